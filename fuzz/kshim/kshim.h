/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API stand-ins for building the rdmapolicy parsers and policy
 * engine as userspace code under libFuzzer (fuzz/Makefile force-includes
 * this file into every compile).
 *
 * Only what drivers/rdmapolicy/{rp_roce,rp_cm,rp_rej,rp_policy,rp_table}.c
 * use is here, written for userspace: the uapi headers of linux-libc-dev
 * give the wire structs (iphdr, ipv6hdr, udphdr, in6_addr, ETH_P_*), the
 * IBTA tables come unchanged from the kernel's own rdma/ headers (see
 * fuzz/Makefile), and the rest is below.  The headers under fuzz/kshim/
 * (linux/, net/, rdma/, asm/, kunit/) only stand in for the kernel headers
 * of the same name, so that the sources compile as they are.
 *
 * Semantics kept from the kernel where a bug could hide behind them:
 * WARN_ON() and refcount underflow abort (as with panic_on_warn), RCU
 * callbacks run only at kshim_synchronize_rcu() (a reader never sees an
 * object freed under it), and xarray reserved entries behave as in
 * lib/xarray.c (invisible to loads and walks, but occupied for xa_insert).
 */
#ifndef _RP_KSHIM_H
#define _RP_KSHIM_H

#include <endian.h>
#include <errno.h>
#include <assert.h>	/* static_assert */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef unsigned int gfp_t;

/* compiler */
#define __force
#define __maybe_unused		__attribute__((__unused__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int : (-!!(e)); })))
#define BUILD_BUG_ON(e)		((void)BUILD_BUG_ON_ZERO(e))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof((p)->member[0]) * (size_t)(n))
/* @a a power of 2 */
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((typeof(x))(a) - 1))
/* no CONFIG_* option is set in the fuzz build */
#define IS_ENABLED(option)	0

/* errors in pointers */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }

/* reports: a WARN is a bug, as under panic_on_warn */
#define kshim_die(...) \
	do { fprintf(stderr, "kshim: " __VA_ARGS__); abort(); } while (0)
#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (__c)							\
		kshim_die("WARN_ON(%s) at %s:%d\n", #cond, __FILE__,	\
			  __LINE__);					\
	__c; })
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define BUG_ON(cond) \
	do { if (cond) kshim_die("BUG_ON(%s)\n", #cond); } while (0)
#define pr_debug(...)		do { } while (0)
#define pr_info(...)		do { } while (0)
#define pr_warn(...)		do { } while (0)
#define pr_err(...)		do { } while (0)

/* modules */
#define EXPORT_SYMBOL(sym)	extern int kshim_export_##sym __maybe_unused
#define EXPORT_SYMBOL_GPL(sym)	EXPORT_SYMBOL(sym)

/* bits */
#define BITS_PER_LONG		64
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define __bf_shf(x)		(__builtin_ffsll(x) - 1)
#define FIELD_GET(mask, reg) \
	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val) \
	(((typeof(mask))(val) << __bf_shf(mask)) & (mask))
#define hweight32(x)		((unsigned int)__builtin_popcount((u32)(x)))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

#define set_bit(nr, addr)	__set_bit(nr, addr)
#define clear_bit(nr, addr)	__clear_bit(nr, addr)

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG) & 1;
}

static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long off)
{
	for (; off < size; off++)
		if (test_bit(off, addr))
			return off;
	return size;
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_next_bit((addr), (size), 0); (bit) < (size);	\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

/* byte order (x86-64: little endian) */
#define cpu_to_be16(x)		((__force __be16)__builtin_bswap16(x))
#define cpu_to_be32(x)		((__force __be32)__builtin_bswap32(x))
#define cpu_to_be64(x)		((__force __be64)__builtin_bswap64(x))
#define be16_to_cpu(x)		__builtin_bswap16((__force u16)(x))
#define be32_to_cpu(x)		__builtin_bswap32((__force u32)(x))
#define be64_to_cpu(x)		__builtin_bswap64((__force u64)(x))
#define cpu_to_le32(x)		((__force __le32)htole32(x))
#define le32_to_cpu(x)		le32toh((__force u32)(x))
#define htons(x)		cpu_to_be16(x)
#define ntohs(x)		be16_to_cpu(x)
#define htonl(x)		cpu_to_be32(x)
#define ntohl(x)		be32_to_cpu(x)

/* linux/unaligned.h */
#define get_unaligned(p) ({						\
	const struct { typeof(*(p)) x; } __packed *__pp = (const void *)(p); \
	__pp->x; })
#define put_unaligned(v, p) do {					\
	struct { typeof(*(p)) x; } __packed *__pp = (void *)(p);	\
	__pp->x = (v); } while (0)

static inline u16 get_unaligned_be16(const void *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return be16toh(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

static inline u64 get_unaligned_be64(const void *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

/* strings */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = 0;
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return n;
}

/* memory */
#define GFP_KERNEL		0u
#define GFP_KERNEL_ACCOUNT	0u
#define GFP_ATOMIC		1u
/* how many allocations may still succeed; negative: all (see kshim.c) */
extern long kshim_alloc_budget;
void *kshim_malloc(size_t size, bool zero);
#define kmalloc(size, gfp)	kshim_malloc((size), false)
#define kzalloc(size, gfp)	kshim_malloc((size), true)
#define kfree(p)		free((void *)(p))

/* lists (the _rcu variants are the plain ones: readers never race here) */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	/* poisoned, as the kernel's LIST_POISON: a use after del faults */
	e->next = (void *)0x100;
	e->prev = (void *)0x122;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_add_rcu		list_add
#define list_add_tail_rcu	list_add_tail
#define list_del_rcu		list_del
#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, typeof(*pos), member);	\
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, typeof(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_rcu(pos, head, member, cond...) \
	list_for_each_entry(pos, head, member)

/* locking: the harnesses are single-threaded */
struct mutex {
	int held;
};

typedef struct {
	int locked;
} spinlock_t;

#define mutex_init(m)		((m)->held = 0)
#define mutex_lock(m)		((m)->held = 1)
#define mutex_unlock(m)		((m)->held = 0)
#define lockdep_is_held(m)	((m)->held)
#define lockdep_assert_held(m) \
	do { if (!(m)->held) kshim_die("lock not held at %s:%d\n", \
				       __FILE__, __LINE__); } while (0)
#define spin_lock_init(l)	((l)->locked = 0)
#define spin_lock(l)		((l)->locked = 1)
#define spin_unlock(l)		((l)->locked = 0)

/* RCU: callbacks wait for kshim_synchronize_rcu() */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	void *kfree_ptr;
};

#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define rcu_dereference(p)	(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#define RCU_INIT_POINTER(p, v)	((p) = (v))
#define __rcu
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void kshim_kfree_rcu(struct rcu_head *head, void *ptr);
#define kfree_rcu(ptr, field)	kshim_kfree_rcu(&(ptr)->field, (ptr))
/* a grace period: run every queued callback */
void kshim_synchronize_rcu(void);
#define synchronize_rcu()	kshim_synchronize_rcu()

/* lock-free lists (linux/llist.h): single-threaded here */
struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

#define LLIST_HEAD(name)	struct llist_head name = { NULL }
/* true if the list was empty */
static inline bool llist_add(struct llist_node *n, struct llist_head *head)
{
	n->next = head->first;
	head->first = n;
	return !n->next;
}

static inline struct llist_node *llist_del_all(struct llist_head *head)
{
	struct llist_node *first = head->first;

	head->first = NULL;
	return first;
}

#define llist_for_each_entry_safe(pos, n, node, member)			\
	for (pos = (node) ? container_of(node, typeof(*pos), member) : NULL; \
	     pos && (n = pos->member.next ?				\
		     container_of(pos->member.next, typeof(*pos), member) : \
		     NULL, 1);						\
	     pos = n)

/* work items (linux/workqueue.h): queue_work() runs the item at once */
struct work_struct {
	void (*func)(struct work_struct *work);
};

struct workqueue_struct;
#define system_unbound_wq	((struct workqueue_struct *)NULL)
#define DECLARE_WORK(name, fn)	struct work_struct name = { fn }
static inline bool queue_work(struct workqueue_struct *wq,
			      struct work_struct *work)
{
	work->func(work);
	return true;
}

static inline bool flush_work(struct work_struct *work)
{
	return false;
}

/* linux/sched.h */
#define cond_resched()		do { } while (0)

/* atomics and refcounts */
typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

#define atomic_read(a)		((a)->counter)
#define atomic_set(a, v)	((a)->counter = (v))
#define atomic_inc(a)		((a)->counter++)
#define atomic_dec(a)		((a)->counter--)
#define atomic64_read(a)	((a)->counter)
#define atomic64_set(a, v)	((a)->counter = (v))
#define atomic64_inc(a)		((a)->counter++)

typedef struct {
	int refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	r->refs = n;
}

static inline void refcount_inc(refcount_t *r)
{
	if (r->refs <= 0)
		kshim_die("refcount_inc on %d\n", r->refs);
	r->refs++;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	if (r->refs <= 0)
		kshim_die("refcount underflow\n");
	return --r->refs == 0;
}

/* netlink */
struct netlink_ext_ack {
	const char *_msg;
};

#define NL_SET_ERR_MSG(extack, msg) \
	do { if (extack) (extack)->_msg = (msg); } while (0)
#define NL_SET_ERR_MSG_MOD(extack, msg)	NL_SET_ERR_MSG(extack, msg)

/* xarray: a sorted array of index -> entry */
struct kshim_xa_ent {
	unsigned long index;
	void *entry;		/* NULL: reserved */
};

struct xarray {
	struct kshim_xa_ent *ents;
	unsigned int n, cap;
	unsigned int flags;
};

struct xa_limit {
	u32 max;
	u32 min;
};

#define XA_FLAGS_ALLOC		1u
#define XA_FLAGS_ALLOC1		3u
#define XA_LIMIT(_min, _max)	((struct xa_limit){ .min = _min, .max = _max })
#define xa_limit_32b		XA_LIMIT(0, UINT_MAX)

static inline void xa_init_flags(struct xarray *xa, unsigned int flags)
{
	memset(xa, 0, sizeof(*xa));
	xa->flags = flags;
}

#define xa_init(xa)		xa_init_flags(xa, 0)
/* xa_store() cannot fail here: there is no error entry */
#define xa_is_err(entry)	((void)(entry), false)
void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp);
void xa_release(struct xarray *xa, unsigned long index);
int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp);
void xa_destroy(struct xarray *xa);
/* the first entry at an index >= *index, which it sets; NULL if none */
void *kshim_xa_find(struct xarray *xa, unsigned long *index);
#define xa_for_each(xa, idx, entry)					\
	for ((idx) = 0, (entry) = kshim_xa_find((xa), &(idx)); (entry);	\
	     (entry) = (idx) == ULONG_MAX ? NULL :			\
		       ((idx)++, kshim_xa_find((xa), &(idx))))

/* rhashtable: a list, with the kernel's interface (memcmp keys only) */
struct rhash_head {
	struct rhash_head *next;
};

struct rhashtable_params {
	u16 nelem_hint;
	u16 key_len;
	u16 key_offset;
	u16 head_offset;
	unsigned int max_size;
	u16 min_size;
	bool automatic_shrinking;
};

struct rhashtable {
	struct rhash_head *first;
	struct rhashtable_params p;
	unsigned int nelems;
};

int rhashtable_init(struct rhashtable *ht,
		    const struct rhashtable_params *params);
void rhashtable_destroy(struct rhashtable *ht);
void *rhashtable_lookup_fast(struct rhashtable *ht, const void *key,
			     const struct rhashtable_params params);
int rhashtable_lookup_insert_fast(struct rhashtable *ht,
				  struct rhash_head *obj,
				  const struct rhashtable_params params);
int rhashtable_remove_fast(struct rhashtable *ht, struct rhash_head *obj,
			   const struct rhashtable_params params);
int rhashtable_replace_fast(struct rhashtable *ht, struct rhash_head *old,
			    struct rhash_head *new,
			    const struct rhashtable_params params);

/* crc32 (little endian, no pre/post inversion, as lib/crc32.c) */
u32 crc32_le(u32 crc, const void *p, size_t len);

/* checksums */
#define CSUM_MANGLED_0		((__force __sum16)0xffff)
__wsum csum_partial(const void *buf, int len, __wsum sum);
__sum16 ip_fast_csum(const void *iph, unsigned int ihl);
__sum16 csum_ipv6_magic(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __u32 len,
			__u8 proto, __wsum csum);

/* linux/ip.h, linux/if_vlan.h, linux/if.h */
#define IP_CE			0x8000
#define IP_DF			0x4000
#define IP_MF			0x2000
#define IP_OFFSET		0x1fff
#define VLAN_HLEN		4
#ifndef IFNAMSIZ
#define IFNAMSIZ		16
#endif

/* net/ipv6.h */
#define NEXTHDR_HOP		0
#define NEXTHDR_ROUTING		43
#define NEXTHDR_FRAGMENT	44
#define NEXTHDR_DEST		60
#define IP6_MF			0x0001
#define IP6_OFFSET		0xfff8

static inline void ipv6_addr_set(struct in6_addr *addr, __be32 w1, __be32 w2,
				 __be32 w3, __be32 w4)
{
	addr->s6_addr32[0] = w1;
	addr->s6_addr32[1] = w2;
	addr->s6_addr32[2] = w3;
	addr->s6_addr32[3] = w4;
}

static inline void ipv6_addr_set_v4mapped(__be32 addr, struct in6_addr *v4)
{
	ipv6_addr_set(v4, 0, 0, htonl(0x0000ffff), addr);
}

static inline bool ipv6_addr_v4mapped(const struct in6_addr *a)
{
	return !a->s6_addr32[0] && !a->s6_addr32[1] &&
	       a->s6_addr32[2] == htonl(0x0000ffff);
}

/* as linux/in.h: 224.0.0.0/4 */
static inline bool ipv4_is_multicast(__be32 addr)
{
	return (addr & htonl(0xf0000000)) == htonl(0xe0000000);
}

/* as net/ipv6.h: ff00::/8 */
static inline bool ipv6_addr_is_multicast(const struct in6_addr *addr)
{
	return (addr->s6_addr32[0] & htonl(0xFF000000)) == htonl(0xFF000000);
}

static inline bool ipv6_addr_equal(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static inline void ipv6_addr_prefix(struct in6_addr *pfx,
				    const struct in6_addr *addr, int plen)
{
	int o = plen >> 3, b = plen & 7;

	memset(pfx->s6_addr, 0, sizeof(pfx->s6_addr));
	memcpy(pfx->s6_addr, addr, o);
	if (b != 0)
		pfx->s6_addr[o] = addr->s6_addr[o] & (0xff00 >> b);
}

static inline bool ipv6_prefix_equal(const struct in6_addr *a1,
				     const struct in6_addr *a2,
				     unsigned int prefixlen)
{
	unsigned int o = prefixlen >> 3, b = prefixlen & 7;

	if (o && memcmp(a1, a2, o))
		return false;
	if (b && ((a1->s6_addr[o] ^ a2->s6_addr[o]) & (0xff00 >> b)))
		return false;
	return true;
}

#endif /* _RP_KSHIM_H */
