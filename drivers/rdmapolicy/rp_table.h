/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-VM address-space table and the policy rules of one network
 * namespace, held together in one struct rp_tables so that a whole
 * configuration can be built aside and swapped in at once.
 */
#ifndef _RP_TABLE_H
#define _RP_TABLE_H

#include <linux/if_ether.h>
#include <linux/if.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>
#include <uapi/linux/rdmapolicy.h>

#include "rp_learn_neg.h"

/*
 * A prefix over 128 bits: IPv4 prefixes are kept v4-mapped with 96 added
 * to their length, as GIDs carry IPv4 addresses.
 */
struct rp_prefix {
	struct in6_addr addr;	/* host bits zero */
	u8 plen;		/* 0..128 */
};

/*
 * Counters of a VM; shared by the versions of a VM that a change makes
 * (64 bytes on 64-bit without lock debugging: kmalloc-64).
 */
struct rp_vm_ctr {
	refcount_t ref;		/* one per rp_vm version pointing here */
	atomic_t conns;
	atomic64_t allowed;
	atomic64_t denied;
	atomic_t learned;	/* learned flows it sends on */
	atomic_t mcast;		/* groups it is in or sent to (rp_mcast.c) */
	spinlock_t rate_lock;	/* guards the four fields below */
	/* (u32)jiffies the current second began (time_before32()) */
	u32 rate_window;
	u32 learn_window;	/* the same for first data packets */
	u32 rate_count;		/* REQs allowed in rate_window's second */
	u32 learn_count;	/* learned-flow decisions in learn_window's */
	/*
	 * Rules naming this VM in the tables its current version is in;
	 * writers only (rp_tables_adopt_ctrs() carries a new table's count
	 * over with the counters).  Here, not in each version, as it was:
	 * the versions share it, and it fills what was padding.
	 */
	u32 rule_refs;
	/* set once, at the first denial (rp_learn_neg.h); freed with these */
	struct rp_learn_neg_slots *neg;
};

struct rp_vm;

/*
 * A port: its ifindex only.  Its name is the netdev's, read when a VM is
 * dumped (rp_nl_vm.c); the NETDEV_UNREGISTER notifier (rp_config.c) drops
 * a port whose netdev goes away.
 */
struct rp_vm_port {
	int ifindex;
};

/*
 * Key of a prefix of a VM in rp_tables.pfx: tenant + prefix, the first
 * RP_PFX_KEY_LEN bytes (off is not part of it; the rest is zero).
 */
struct rp_pfx_key {
	struct in6_addr addr;	/* host bits zero */
	u32 tenant;
	u8 plen;		/* 0..128 */
	/* not hashed: this entry's offset in its VM, in RP_PFX_UNITs */
	u8 off;
};

#define RP_PFX_KEY_LEN	offsetof(struct rp_pfx_key, off)

/*
 * Index node of one prefix of a VM.  The VM is found from the entry by its
 * offset (rp_vm_pfx_vm()), not by a pointer: 32 bytes an entry.  It is the
 * VM's one copy of the prefix (rp_vm_prefix()).
 */
struct rp_vm_pfx {
	struct rhash_head node;
	struct rp_pfx_key key;
};

/*
 * What an operator says about a VM, room for the most it may have: the
 * unit of rp_vm_add() and rp_vm_set(), built by a request (and KUnit),
 * never kept.
 */
struct rp_vm_spec {
	u32 id;
	char name[RP_NAME_LEN];
	u32 tenant;
	bool remote;
	u32 max_conns;
	u32 setup_rate;
	u8 nports;
	u8 nmacs;
	u8 nprefixes;
	struct rp_vm_port ports[RP_VM_MAX_PORTS];
	u8 macs[RP_VM_MAX_MACS][ETH_ALEN];
	struct rp_prefix prefixes[RP_VM_MAX_PREFIXES];
};

/*
 * The settings of a published VM: those of its rp_vm_spec, the lists
 * sized to what the VM has (the arrays follow the rp_vm, in its one
 * allocation, rp_vm_new(); rp_vm_ports() and the others find them).
 */
struct rp_vm_info {
	u32 id;
	char name[RP_NAME_LEN];
	u32 tenant;
	bool remote;
	u8 nports;
	u8 nmacs;
	u8 nprefixes;
	u32 max_conns;
	u32 setup_rate;
};

/*
 * A VM (local, with ports) or a remote address space.  Immutable once
 * published: a change publishes a new version and frees this one after a
 * grace period.
 */
struct rp_vm {
	struct rhash_head name_node;	/* in rp_tables.names */
	struct rp_vm_ctr *ctr;		/* shared by its versions, refcounted */
	struct rcu_head rcu;		/* frees it after a grace period */
	struct rp_vm_info s;
	/*
	 * s.nports ports, from offset 84 on 64-bit (in what would be the
	 * struct's padding), then, aligned (RP_PFX_UNIT), s.nprefixes index
	 * entries of its prefixes, then s.nmacs MACs (allocated so,
	 * rp_vm_size()): 126 bytes on 64-bit with one port, MAC and
	 * prefix, 120 for a remote VM with one prefix (kmalloc-128 both).
	 */
	struct rp_vm_port ports[];
};

/* The entries' alignment, the unit of rp_pfx_key.off */
#define RP_PFX_UNIT	__alignof__(struct rp_vm_pfx)

/* Offset of a VM's prefix index entries, after its @nports ports */
#define RP_VM_PFX_OFF(nports)						\
	ALIGN(offsetof(struct rp_vm, ports) +				\
	      (nports) * sizeof(struct rp_vm_port),			\
	      RP_PFX_UNIT)

/* A VM's ports, prefix index entries and MACs: the arrays after it */
static inline struct rp_vm_port *rp_vm_ports(const struct rp_vm *vm)
{
	return (struct rp_vm_port *)vm->ports;
}

static inline struct rp_vm_pfx *rp_vm_pfxs(const struct rp_vm *vm)
{
	return (struct rp_vm_pfx *)((char *)vm + RP_VM_PFX_OFF(vm->s.nports));
}

static inline u8 (*rp_vm_macs(const struct rp_vm *vm))[ETH_ALEN]
{
	return (void *)&rp_vm_pfxs(vm)[vm->s.nprefixes];
}

/* The VM whose prefix index entry @e is */
static inline struct rp_vm *rp_vm_pfx_vm(const struct rp_vm_pfx *e)
{
	return (struct rp_vm *)((char *)e - e->key.off * RP_PFX_UNIT);
}

/* A VM's prefix @i, as struct rp_prefix */
static inline struct rp_prefix rp_vm_prefix(const struct rp_vm *vm,
					    unsigned int i)
{
	const struct rp_pfx_key *k = &rp_vm_pfxs(vm)[i].key;

	return (struct rp_prefix){ .addr = k->addr, .plen = k->plen };
}

struct rp_sel {
	u8 type;		/* enum rp_sel_type */
	u32 vm;
	u32 tenant;
	struct rp_prefix pfx;
};

struct rp_rule_spec {
	u32 id;
	u32 prio;
	struct rp_sel src;
	struct rp_sel dst;
	bool any_service;
	u16 ps;
	u16 port_min;
	u16 port_max;
	u32 qp_types;
	u8 action;
	u32 rights;		/* the requester's on the responder's memory */
	u32 reply_rights;	/* the responder's on the requester's memory */
	u8 setup;		/* RP_SETUP_CM or RP_SETUP_ANY */
};

struct rp_rule {
	struct list_head list;	/* in rp_tables.rules, evaluation order */
	/* in its source VM's rp_rule_bucket, or rp_tables.rules_other */
	struct list_head src_list;
	struct rp_rule_spec s;
	u64 order;		/* specificity key, see rp_rule_before() */
	atomic64_t hits;
	struct rcu_head rcu;
};

/* The rules whose source selector is one VM (rp_tables.rules_by_src). */
struct rp_rule_bucket {
	struct list_head rules;		/* RCU, by rp_rule.src_list */
	struct rcu_head rcu;
};

/*
 * DOC: rp_tables
 *
 * Readers (the exception path, dumps) hold rcu_read_lock() and see
 * consistent objects: every VM and rule is immutable while published and
 * is freed only after a grace period.  Writers hold the mutex @lock points
 * to (the namespace's config lock); each write is all-or-nothing: it
 * prepares what can fail first, then publishes with operations that cannot
 * fail, so a failed request leaves the tables exactly as they were.
 */
struct rp_tables {
	struct mutex *lock;		/* writers' lock, for lockdep */
	struct xarray vms;		/* id -> struct rp_vm */
	struct rhashtable names;	/* name -> struct rp_vm */
	struct xarray ports;		/* ifindex -> struct rp_vm */
	struct rhashtable pfx;		/* rp_pfx_key -> struct rp_vm_pfx */
	u32 plen_refs[129];		/* indexed prefixes per length */
	DECLARE_BITMAP(plens, 129);	/* bit 128 - plen set: length used */
	struct list_head rules;		/* RCU list in evaluation order */
	struct xarray rules_by_id;	/* id -> struct rp_rule */
	/*
	 * The same rules split by source, each an RCU list in evaluation
	 * order linked through rp_rule.src_list: those whose source is one
	 * VM in that VM's bucket, the others (any, tenant, prefix) here.
	 */
	struct xarray rules_by_src;	/* VM id -> struct rp_rule_bucket */
	struct list_head rules_other;
	u32 nvms;
	u32 nrules;
	u32 next_rule_id;
	struct llist_node retired;	/* on rp_tables_retired, once replaced */
};

struct rp_tables *rp_tables_alloc(struct mutex *lock);
void rp_tables_free(struct rp_tables *t);
void rp_tables_retire(struct rp_tables *t);
void rp_tables_retire_flush(void);
void rp_tables_adopt_ctrs(struct rp_tables *t, struct rp_tables *old);

int rp_vm_add(struct rp_tables *t, const struct rp_vm_spec *spec,
	      struct netlink_ext_ack *extack);
int rp_vm_set(struct rp_tables *t, const struct rp_vm_spec *spec,
	      struct netlink_ext_ack *extack);
int rp_vm_del(struct rp_tables *t, u32 id, struct netlink_ext_ack *extack);
void rp_vm_spec_get(const struct rp_vm *vm, struct rp_vm_spec *s);

struct rp_vm *rp_vm_by_id(struct rp_tables *t, u32 id);
struct rp_vm *rp_vm_by_name(struct rp_tables *t, const char *name);
struct rp_vm *rp_vm_by_port(struct rp_tables *t, int ifindex);
struct rp_vm *rp_vm_by_addr(struct rp_tables *t, u32 tenant,
			    const struct in6_addr *addr);

/* Shared by rp_table.c and rp_vm.c only. */
extern const struct rhashtable_params rp_name_params;
extern const struct rhashtable_params rp_pfx_params;
void rp_tables_assert_locked(struct rp_tables *t);
void rp_vm_free(struct rp_vm *vm);
void rp_vm_free_rcu(struct rcu_head *head);

void rp_prefix_mask(struct rp_prefix *p);
bool rp_prefix_match(const struct rp_prefix *p, const struct in6_addr *addr);

#endif /* _RP_TABLE_H */
