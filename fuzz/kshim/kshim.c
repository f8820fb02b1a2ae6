// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementations behind kshim.h: allocation with a failure
 * budget, deferred RCU callbacks, xarray, rhashtable, crc32 and the
 * Internet checksum.
 */
#include <kshim.h>

long kshim_alloc_budget = -1;

void *kshim_malloc(size_t size, bool zero)
{
	if (kshim_alloc_budget == 0)
		return NULL;
	if (kshim_alloc_budget > 0)
		kshim_alloc_budget--;
	/* malloc(0) may return NULL; the kernel's ZERO_SIZE_PTR is not NULL */
	return zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
}

/* RCU */
static struct rcu_head *kshim_rcu_pending;

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	head->func = func;
	head->kfree_ptr = NULL;
	head->next = kshim_rcu_pending;
	kshim_rcu_pending = head;
}

void kshim_kfree_rcu(struct rcu_head *head, void *ptr)
{
	head->func = NULL;
	head->kfree_ptr = ptr;
	head->next = kshim_rcu_pending;
	kshim_rcu_pending = head;
}

void kshim_synchronize_rcu(void)
{
	while (kshim_rcu_pending) {
		struct rcu_head *h = kshim_rcu_pending;

		kshim_rcu_pending = h->next;
		if (h->func)
			h->func(h);
		else
			free(h->kfree_ptr);
	}
}

/* xarray */
static unsigned int kshim_xa_pos(const struct xarray *xa, unsigned long index)
{
	unsigned int lo = 0, hi = xa->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (xa->ents[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct kshim_xa_ent *kshim_xa_get(struct xarray *xa,
					 unsigned long index)
{
	unsigned int i = kshim_xa_pos(xa, index);

	return i < xa->n && xa->ents[i].index == index ? &xa->ents[i] : NULL;
}

/* Insert a slot for @index (absent); false when out of memory. */
static bool kshim_xa_add(struct xarray *xa, unsigned long index, void *entry)
{
	unsigned int i = kshim_xa_pos(xa, index);

	if (xa->n == xa->cap) {
		unsigned int cap = xa->cap ? 2 * xa->cap : 4;
		struct kshim_xa_ent *e;

		if (kshim_alloc_budget == 0)
			return false;
		e = realloc(xa->ents, cap * sizeof(*e));
		if (!e)
			return false;
		xa->ents = e;
		xa->cap = cap;
	}
	memmove(&xa->ents[i + 1], &xa->ents[i],
		(xa->n - i) * sizeof(xa->ents[0]));
	xa->ents[i].index = index;
	xa->ents[i].entry = entry;
	xa->n++;
	return true;
}

static void kshim_xa_del(struct xarray *xa, struct kshim_xa_ent *e)
{
	unsigned int i = e - xa->ents;

	memmove(e, e + 1, (xa->n - i - 1) * sizeof(*e));
	xa->n--;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct kshim_xa_ent *e = kshim_xa_get(xa, index);

	return e ? e->entry : NULL;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct kshim_xa_ent *e = kshim_xa_get(xa, index);
	void *old;

	if (!entry) {
		old = e ? e->entry : NULL;
		if (e)
			kshim_xa_del(xa, e);
		return old;
	}
	if (e) {
		old = e->entry;
		e->entry = entry;
		return old;
	}
	/* an xa_store() that must allocate may fail in the kernel too */
	if (!kshim_xa_add(xa, index, entry))
		kshim_die("xa_store: no memory, which the caller cannot see\n");
	return NULL;
}

int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct kshim_xa_ent *e = kshim_xa_get(xa, index);

	if (e)
		return -EBUSY;	/* reserved entries count as present */
	if (!entry)
		kshim_die("xa_insert of NULL is not used by rdmapolicy\n");
	return kshim_xa_add(xa, index, entry) ? 0 : -ENOMEM;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store(xa, index, NULL, 0);
}

int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	if (kshim_xa_get(xa, index))
		return 0;
	return kshim_xa_add(xa, index, NULL) ? 0 : -ENOMEM;
}

void xa_release(struct xarray *xa, unsigned long index)
{
	struct kshim_xa_ent *e = kshim_xa_get(xa, index);

	if (e && !e->entry)
		kshim_xa_del(xa, e);
}

int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp)
{
	u32 min = limit.min, start, i;
	int wrapped = 0;

	if ((xa->flags & XA_FLAGS_ALLOC1) == XA_FLAGS_ALLOC1 && min == 0)
		min = 1;
	start = *next < min || *next > limit.max ? min : *next;
	for (i = start;; ) {
		if (!kshim_xa_get(xa, i)) {
			if (!kshim_xa_add(xa, i, entry))
				return -ENOMEM;
			*id = i;
			*next = i + 1;
			if (i == limit.max)
				*next = min;
			return wrapped;
		}
		if (i == limit.max) {
			i = min;
			wrapped = 1;
		} else {
			i++;
		}
		if (i == start)
			return -EBUSY;
	}
}

void xa_destroy(struct xarray *xa)
{
	free(xa->ents);
	xa->ents = NULL;
	xa->n = 0;
	xa->cap = 0;
}

void *kshim_xa_find(struct xarray *xa, unsigned long *index)
{
	unsigned int i;

	for (i = kshim_xa_pos(xa, *index); i < xa->n; i++)
		if (xa->ents[i].entry) {
			*index = xa->ents[i].index;
			return xa->ents[i].entry;
		}
	return NULL;
}

/* rhashtable */
int rhashtable_init(struct rhashtable *ht,
		    const struct rhashtable_params *params)
{
	memset(ht, 0, sizeof(*ht));
	ht->p = *params;
	return 0;
}

void rhashtable_destroy(struct rhashtable *ht)
{
	ht->first = NULL;
	ht->nelems = 0;
}

static void *kshim_rht_obj(const struct rhashtable_params *p,
			   struct rhash_head *h)
{
	return (char *)h - p->head_offset;
}

static struct rhash_head **kshim_rht_find(struct rhashtable *ht,
					  const void *key)
{
	struct rhash_head **pp;

	for (pp = &ht->first; *pp; pp = &(*pp)->next)
		if (!memcmp((char *)kshim_rht_obj(&ht->p, *pp) +
			    ht->p.key_offset, key, ht->p.key_len))
			return pp;
	return NULL;
}

static const void *kshim_rht_key(struct rhashtable *ht, struct rhash_head *h)
{
	return (char *)kshim_rht_obj(&ht->p, h) + ht->p.key_offset;
}

void *rhashtable_lookup_fast(struct rhashtable *ht, const void *key,
			     const struct rhashtable_params params)
{
	struct rhash_head **pp = kshim_rht_find(ht, key);

	return pp ? kshim_rht_obj(&ht->p, *pp) : NULL;
}

int rhashtable_lookup_insert_fast(struct rhashtable *ht,
				  struct rhash_head *obj,
				  const struct rhashtable_params params)
{
	if (kshim_rht_find(ht, kshim_rht_key(ht, obj)))
		return -EEXIST;
	if (kshim_alloc_budget == 0)
		return -ENOMEM;	/* a table resize that fails */
	obj->next = ht->first;
	ht->first = obj;
	ht->nelems++;
	return 0;
}

static struct rhash_head **kshim_rht_find_obj(struct rhashtable *ht,
					      struct rhash_head *obj)
{
	struct rhash_head **pp;

	for (pp = &ht->first; *pp; pp = &(*pp)->next)
		if (*pp == obj)
			return pp;
	return NULL;
}

int rhashtable_remove_fast(struct rhashtable *ht, struct rhash_head *obj,
			   const struct rhashtable_params params)
{
	struct rhash_head **pp = kshim_rht_find_obj(ht, obj);

	if (!pp)
		return -ENOENT;
	*pp = obj->next;
	ht->nelems--;
	return 0;
}

int rhashtable_replace_fast(struct rhashtable *ht, struct rhash_head *old,
			    struct rhash_head *new,
			    const struct rhashtable_params params)
{
	struct rhash_head **pp;

	if (memcmp(kshim_rht_key(ht, old), kshim_rht_key(ht, new),
		   ht->p.key_len))
		return -EINVAL;
	pp = kshim_rht_find_obj(ht, old);
	if (!pp)
		return -ENOENT;
	new->next = old->next;
	*pp = new;
	return 0;
}

/* crc32, reflected polynomial 0xedb88320 */
u32 crc32_le(u32 crc, const void *p, size_t len)
{
	static u32 table[256];
	const u8 *b = p;
	u32 i, k, c;

	if (!table[1])
		for (i = 0; i < 256; i++) {
			for (c = i, k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xedb88320 & -(c & 1));
			table[i] = c;
		}
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *b++) & 0xff];
	return crc;
}

/* Internet checksum, on 16-bit words in memory order (as the kernel's) */
static u16 kshim_fold(u64 s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static u64 kshim_sum(const void *buf, size_t len, u64 s)
{
	const u8 *p = buf;
	u16 w;

	for (; len > 1; p += 2, len -= 2) {
		memcpy(&w, p, 2);
		s += w;
	}
	if (len)
		s += *p;	/* little endian: the low byte of its word */
	return s;
}

__wsum csum_partial(const void *buf, int len, __wsum sum)
{
	return kshim_fold(kshim_sum(buf, len, sum));
}

__sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return (u16)~kshim_fold(kshim_sum(iph, ihl * 4, 0));
}

__sum16 csum_ipv6_magic(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __u32 len,
			__u8 proto, __wsum csum)
{
	u32 l = htonl(len), pr = htonl(proto);
	u64 s = csum;

	s = kshim_sum(saddr, 16, s);
	s = kshim_sum(daddr, 16, s);
	s = kshim_sum(&l, 4, s);
	s = kshim_sum(&pr, 4, s);
	return (u16)~kshim_fold(s);
}
