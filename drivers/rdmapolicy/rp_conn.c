// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracker.  Locking: DOC in rp_conn.h.
 */
#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/user_namespace.h>

#include <net/net_namespace.h>

#include <rdmapolicy/roce.h>

#include "rp_conn.h"
#include "rp_event.h"
#include "rp_nic.h"
#include "rp_policy.h"

unsigned int rp_conn_max = 65536;
module_param_named(max_conns, rp_conn_max, uint, 0644);
MODULE_PARM_DESC(max_conns, "connections tracked per network namespace");

/*
 * A namespace that an unprivileged user owns (userns_admin=1 lets its
 * admin configure it) must not take the NICs' flow table, shared by all
 * namespaces (2^20 connections in the emulated NIC), from the others.
 */
unsigned int rp_conn_userns_max = 4096;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_userns_max);
module_param_named(userns_max_conns, rp_conn_userns_max, uint, 0644);
MODULE_PARM_DESC(userns_max_conns,
		 "connections tracked (and installed) per network namespace not owned by the initial user namespace");

unsigned int rp_conn_vm_max = 4096;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_vm_max);
module_param_named(vm_max_conns, rp_conn_vm_max, uint, 0644);
MODULE_PARM_DESC(vm_max_conns,
		 "connections per VM (requester) whose max-conns is 0; 0: no limit");

unsigned int rp_conn_anon_max = 1024;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_anon_max);
module_param_named(anon_max_conns, rp_conn_anon_max, uint, 0644);
MODULE_PARM_DESC(anon_max_conns,
		 "connections per namespace whose requester is no address space of ours");

unsigned int rp_conn_closing_secs = 10;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_closing_secs);

unsigned int rp_conn_halfopen_secs = 30;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_halfopen_secs);

unsigned int rp_conn_learn_idle_secs = 30;
EXPORT_SYMBOL_IF_KUNIT(rp_conn_learn_idle_secs);

/* At most an hour, so that seconds * HZ fits the unsigned int it is in. */
#define RP_CONN_HALFOPEN_MAX	3600

/* The timeouts: 1 to RP_CONN_HALFOPEN_MAX seconds. */
static int rp_conn_halfopen_set(const char *val, const struct kernel_param *kp)
{
	unsigned int secs;
	int err = kstrtouint(val, 0, &secs);

	if (err)
		return err;
	if (!secs || secs > RP_CONN_HALFOPEN_MAX)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, secs);
	return 0;
}

static const struct kernel_param_ops rp_conn_halfopen_ops = {
	.set = rp_conn_halfopen_set,
	.get = param_get_uint,
};
module_param_cb(halfopen_timeout, &rp_conn_halfopen_ops,
		&rp_conn_halfopen_secs, 0644);
MODULE_PARM_DESC(halfopen_timeout,
		 "seconds (1 to 3600) a REQ waits for its REP before it is forgotten");
module_param_cb(closing_timeout, &rp_conn_halfopen_ops, &rp_conn_closing_secs,
		0644);
MODULE_PARM_DESC(closing_timeout,
		 "seconds (1 to 3600) a connection waits for the DREP of its DREQ before it is removed");
module_param_cb(learn_idle_timeout, &rp_conn_halfopen_ops,
		&rp_conn_learn_idle_secs, 0644);
MODULE_PARM_DESC(learn_idle_timeout,
		 "seconds (1 to 3600) without a packet after which a learned flow is removed (it goes after one to two of them)");

/*
 * The tracker's key hash: multilinear (Lemire and Kaser, "Strongly
 * universal string hashing is fast"), m[0] + the sum of m[i + 1] * word i
 * modulo 2^64, its top 32 bits, over the key's 12 words (native-endian
 * loads; the key has no padding, and every field is a word).  The NIC's
 * flow key is hashed so (drivers/snic/snic_flow.c).  With the word
 * compare below it replaces rhashtable's default: jhash2() over the same
 * 12 words, which the tracker's lookups reached by an indirect call
 * (ht->p.hashfn, the lookup being compiled out of line), and memcmp().
 * A new REQ hashes its key twice (the retransmission lookup, the
 * insert); Documentation/performance.rst has what it saves.
 *
 * Why a hostile VM cannot make keys collide at will: it chooses its
 * Local Comm IDs (and a requester of another host its address) freely,
 * so it chooses keys; but for any two distinct keys, over the random
 * multipliers, the two hashes are equal with probability 2^-32, and the
 * low bits rhashtable takes for the bucket with probability 1/buckets
 * (the family is strongly universal, and so is any choice of its output
 * bits).  The multipliers come from get_random_bytes() once, at module
 * load, before any table exists; no packet, dump or counter shows a hash
 * or a bucket, so the keys a VM sends are chosen without knowing them,
 * and its chains stay as long as random keys' would.  (What it could
 * measure is its own REQs' timing, a side channel that jhash2() with a
 * random seed, not a keyed PRF either, left open the same way; and a
 * VM's entries are bounded by its max-conns and setup rate.)  The bucket
 * table's own seed, new at each rehash, is XORed into every word, so a
 * rehash after a chain grew past rhashtable's bound rearranges the keys
 * too; the argument above rests on the multipliers alone.
 */
#define RP_CONN_KEY_WORDS	(sizeof(struct rp_conn_key) / sizeof(u32))
static u64 rp_conn_hash_m[RP_CONN_KEY_WORDS + 1] __ro_after_init;

/* At module init, before any namespace's tracker (and table) exists. */
void __init rp_conn_hash_init(void)
{
	get_random_bytes(rp_conn_hash_m, sizeof(rp_conn_hash_m));
}

static __always_inline u64 rp_conn_mul(const u32 *w, unsigned int i,
				       u32 seed)
{
	return rp_conn_hash_m[i + 1] * (u64)(w[i] ^ seed);
}

/* unrolled, as the NIC's: a loop costs about twice the instructions */
VISIBLE_IF_KUNIT u32 rp_conn_key_hash(const void *data, u32 len, u32 seed)
{
	const u32 *w = data;
	u64 h;

	BUILD_BUG_ON(sizeof(struct rp_conn_key) != 12 * sizeof(u32));
	h = rp_conn_hash_m[0] +
	    rp_conn_mul(w, 0, seed) + rp_conn_mul(w, 1, seed) +
	    rp_conn_mul(w, 2, seed) + rp_conn_mul(w, 3, seed) +
	    rp_conn_mul(w, 4, seed) + rp_conn_mul(w, 5, seed) +
	    rp_conn_mul(w, 6, seed) + rp_conn_mul(w, 7, seed) +
	    rp_conn_mul(w, 8, seed) + rp_conn_mul(w, 9, seed) +
	    rp_conn_mul(w, 10, seed) + rp_conn_mul(w, 11, seed);
	return h >> 32;
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_key_hash);

/* the 8 bytes at @off of two keys, XORed */
static __always_inline u64 rp_conn_xor8(const void *a, const void *b,
					unsigned int off)
{
	return get_unaligned((const u64 *)(a + off)) ^
	       get_unaligned((const u64 *)(b + off));
}

/* 0 if @arg's key is @obj's: the 48 bytes as six 8-byte words */
static int rp_conn_key_cmp(struct rhashtable_compare_arg *arg,
			   const void *obj)
{
	const struct rp_conn *c = obj;
	const void *a = arg->key, *b = &c->key;

	return !!(rp_conn_xor8(a, b, 0) | rp_conn_xor8(a, b, 8) |
		  rp_conn_xor8(a, b, 16) | rp_conn_xor8(a, b, 24) |
		  rp_conn_xor8(a, b, 32) | rp_conn_xor8(a, b, 40));
}

static const struct rhashtable_params rp_conn_params = {
	.key_len = sizeof(struct rp_conn_key),
	.key_offset = offsetof(struct rp_conn, key),
	.head_offset = offsetof(struct rp_conn, node),
	.automatic_shrinking = true,
	.hashfn = rp_conn_key_hash,
	.obj_cmpfn = rp_conn_key_cmp,
};

static const struct rhashtable_params rp_conn_pair_params = {
	.key_len = sizeof(struct rp_conn_pair_key),
	.key_offset = offsetof(struct rp_conn, pair),
	.head_offset = offsetof(struct rp_conn, pair_node),
	.automatic_shrinking = true,
};

static void rp_conntrack_gc(struct work_struct *work);

int rp_conntrack_init(struct rp_conntrack *ct, struct net *net,
		      struct rp_tables __rcu **tables, struct mutex *cfg_lock)
{
	int err;

	spin_lock_init(&ct->lock);
	ct->net = net;
	ct->tables = tables;
	ct->cfg_lock = cfg_lock;
	xa_init_flags(&ct->ids, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&ct->all);
	ct->next_id = 1;
	INIT_DELAYED_WORK(&ct->gc, rp_conntrack_gc);
	err = rhltable_init(&ct->pairs, &rp_conn_pair_params);
	if (err)
		return err;
	err = rhashtable_init(&ct->ht, &rp_conn_params);
	if (err)
		rhltable_destroy(&ct->pairs);
	return err;
}

/* Context: RCU read side.  Returns an entry valid until rcu_read_unlock. */
struct rp_conn *rp_conn_lookup(struct rp_conntrack *ct, u32 tenant,
			       const struct in6_addr *addr, u32 comm_id)
{
	struct rp_conn_key key = {
		.addr = *addr, .comm_id = comm_id, .tenant = tenant,
	};

	return rhashtable_lookup(&ct->ht, &key, rp_conn_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_lookup);

/* The learned flow of these keys.  Context: as rp_conn_lookup(). */
struct rp_conn *rp_conn_lookup_learned(struct rp_conntrack *ct, u32 tenant,
				       const struct in6_addr *saddr,
				       const struct in6_addr *daddr, u32 dqpn)
{
	struct rp_conn_key key = {
		.addr = *saddr, .daddr = *daddr, .comm_id = dqpn,
		.tenant = tenant, .learned = 1,
	};

	return rhashtable_lookup(&ct->ht, &key, rp_conn_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_lookup_learned);

/**
 * rp_conn_pair_add() - index a learned requester flow by its pair
 * @ct: tracker
 * @c: the flow, just added (rp_conn_add())
 *
 * So that the first packet of the other direction can be checked against
 * it (rp_conn_answers()); rp_conn_del() takes it out.
 * Context: ct->lock held.
 * Return: 0 or an errno (out of memory).
 */
int rp_conn_pair_add(struct rp_conntrack *ct, struct rp_conn *c)
{
	int err;

	lockdep_assert_held(&ct->lock);
	c->pair.saddr = c->key.addr;
	c->pair.daddr = c->key.daddr;
	c->pair.tenant = c->key.tenant;
	c->pair.qp_type = c->qp_type;
	err = rhltable_insert(&ct->pairs, &c->pair_node, rp_conn_pair_params);
	c->paired = !err;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_pair_add);

/**
 * rp_conn_answers() - may a responder's flow answer a tracked requester?
 * @ct: tracker
 * @tenant: of both
 * @saddr: the responder's flow: its sender (the requester's destination)
 * @daddr: its destination (the requester)
 * @dqpn: its destination QPN (the requester's QP)
 * @sqpn: UD: its sending QP (the DETH's), else unused
 * @qp_type: RP_QP_* of its packets
 *
 * UD: the requester's learned flow must be the one to @sqpn, from the QP
 * @dqpn (its DETH told): both QPs bound.  RC, UC, XRC: the responder's
 * packets go to the requester's QPN, which none of the requester's
 * packets carries; some learned requester flow of the same QP type from
 * @daddr to @saddr must exist, to any of the responder's QPs.
 * Context: ct->lock held.
 */
bool rp_conn_answers(struct rp_conntrack *ct, u32 tenant,
		     const struct in6_addr *saddr,
		     const struct in6_addr *daddr, u32 dqpn, u32 sqpn,
		     u32 qp_type)
{
	struct rp_conn_pair_key k = {
		.saddr = *daddr, .daddr = *saddr, .tenant = tenant,
		.qp_type = qp_type,
	};
	struct rp_conn *n;

	lockdep_assert_held(&ct->lock);
	if (qp_type == RP_QP_UD) {
		n = rp_conn_lookup_learned(ct, tenant, daddr, saddr, sqpn);
		return n && n->paired && n->qp_type == RP_QP_UD &&
		       n->req_qpn == dqpn;
	}
	return rhltable_lookup(&ct->pairs, &k, rp_conn_pair_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_answers);
/* The entry of @key, whatever its kind.  Context: as rp_conn_lookup(). */
struct rp_conn *rp_conn_lookup_key(struct rp_conntrack *ct,
				   const struct rp_conn_key *key)
{
	return rhashtable_lookup(&ct->ht, key, rp_conn_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_lookup_key);

/**
 * rp_conn_rekey() - give an entry another key
 * @ct: tracker
 * @c: the entry
 * @key: its new key
 *
 * Lookups under RCU meanwhile may miss @c (rhashtable restarts a walk that
 * an entry moved under), never see a freed one.
 * Context: ct->lock held.
 * Return: 0, or -EEXIST if another entry has @key (@c keeps its old one).
 */
int rp_conn_rekey(struct rp_conntrack *ct, struct rp_conn *c,
		  const struct rp_conn_key *key)
{
	struct rp_conn_key old = c->key;
	int err;

	lockdep_assert_held(&ct->lock);
	if (rhashtable_lookup_fast(&ct->ht, key, rp_conn_params))
		return -EEXIST;
	rhashtable_remove_fast(&ct->ht, &c->node, rp_conn_params);
	c->key = *key;
	err = rhashtable_lookup_insert_fast(&ct->ht, &c->node, rp_conn_params);
	if (err) {
		/* its old place is free: only an allocation can fail */
		c->key = old;
		if (rhashtable_lookup_insert_fast(&ct->ht, &c->node,
						  rp_conn_params))
			pr_warn_ratelimited("conn %u lost its key\n", c->id);
	}
	return err;
}

/* Context: RCU read side or ct->lock.  Valid until rcu_read_unlock. */
struct rp_conn *rp_conn_by_id(struct rp_conntrack *ct, u32 id)
{
	return xa_load(&ct->ids, id);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_by_id);

/**
 * rp_conn_snapshot() - a consistent copy of an entry
 * @ct: tracker
 * @c: an entry found under RCU (by rp_conn_by_id() or in ct->ids)
 * @copy: filled
 *
 * Context: RCU read side; takes ct->lock.
 * Return: false if @c was deleted meanwhile.
 */
bool rp_conn_snapshot(struct rp_conntrack *ct, const struct rp_conn *c,
		      struct rp_conn *copy)
{
	bool live;

	spin_lock_bh(&ct->lock);
	live = xa_load(&ct->ids, c->id) == c;
	if (live)
		*copy = *c;
	spin_unlock_bh(&ct->lock);
	return live;
}

/**
 * rp_conn_alloc() - a new entry, for its caller to fill in place
 * @ct: tracker
 *
 * Zeroed (kzalloc(): one memset, which the stock kernel's init_on_alloc
 * would make anyway); the caller fills in the key and the REQ side, then
 * rp_conn_add() tracks it, or kfree() if it changes its mind.
 * Context: ct->lock held.
 * Return: the entry, NULL if the table is full, ERR_PTR(-ENOMEM).
 */
struct rp_conn *rp_conn_alloc(struct rp_conntrack *ct)
{
	struct rp_conn *n;

	lockdep_assert_held(&ct->lock);
	if (ct->count >= READ_ONCE(rp_conn_max))
		return NULL;
	if (ct->net->user_ns != &init_user_ns &&
	    ct->count >= READ_ONCE(rp_conn_userns_max))
		return NULL;
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	return n ?: ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_alloc);

/**
 * rp_conn_add() - track a new connection
 * @ct: tracker
 * @n: from rp_conn_alloc() under the same hold of ct->lock, key and REQ
 *     side filled in; freed if it cannot be added
 *
 * Context: ct->lock held.
 * Return: @n, or an ERR_PTR (@n is freed).
 */
struct rp_conn *rp_conn_add(struct rp_conntrack *ct, struct rp_conn *n)
{
	int err;

	lockdep_assert_held(&ct->lock);
	n->created = jiffies;
	n->since = n->created;
	/*
	 * Its id and its entry in one step (n->id is set before n is
	 * published).  RCU readers of ct->ids may find n before it is in
	 * the hash table; they look at it only under ct->lock, which we
	 * hold (rp_conn_snapshot()), and by then it is either complete or
	 * gone.  Gone: they may still hold it, hence kfree_rcu().
	 */
	err = xa_alloc_cyclic(&ct->ids, &n->id, n, XA_LIMIT(1, U32_MAX),
			      &ct->next_id, GFP_ATOMIC);
	if (err < 0) {
		kfree(n);
		return ERR_PTR(err);
	}
	err = rhashtable_lookup_insert_fast(&ct->ht, &n->node, rp_conn_params);
	if (err) {
		xa_erase(&ct->ids, n->id);
		kfree_rcu(n, rcu);
		return ERR_PTR(err);
	}
	list_add_tail(&n->list, &ct->all);
	ct->count++;
	ct->anon += !n->req_vm;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_add);

/* Context: the tracker's lock held. */
void rp_conn_set_state(struct rp_conn *c, u8 state)
{
	c->state = state;
	c->since = jiffies;
}

/*
 * A connection as the NICs know it: its two flows.  A learned flow is
 * f[0] alone (f[1] zero).
 */
static void rp_conn_flows(const struct rp_conn *c, struct rp_flow f[2])
{
	memset(f, 0, 2 * sizeof(*f));
	if (c->key.sidr) {
		/* two UD flows, each bound to its sending QP (0: not known) */
		f[0].tenant = c->key.tenant;
		f[0].saddr = c->key.addr;	/* requester -> responder */
		f[0].daddr = c->rep_addr;
		f[0].dqpn = c->rep_qpn;
		f[0].sqpn = c->req_qpn;
		f[0].rights = c->rights;
		f[0].src_ifindex = c->req_ifindex;
		f[0].qp_type = RP_QP_UD;	/* the NIC passes UD opcodes only */
		f[1].tenant = c->key.tenant;
		f[1].saddr = c->rep_addr;	/* responder -> requester */
		f[1].daddr = c->key.addr;
		f[1].dqpn = c->req_qpn;
		f[1].sqpn = c->rep_qpn;
		f[1].rights = c->reply_rights;
		f[1].src_ifindex = c->rep_ifindex;
		f[1].qp_type = RP_QP_UD;
		return;
	}
	if (c->key.learned) {
		f[0].tenant = c->key.tenant;
		f[0].saddr = c->key.addr;
		f[0].daddr = c->key.daddr;
		f[0].dqpn = c->key.comm_id;
		f[0].rights = c->rights;
		f[0].psn = c->req_psn;
		f[0].src_ifindex = c->req_ifindex;
		if (c->qp_type == RP_QP_UD)
			f[0].sqpn = c->req_qpn;
		f[0].qp_type = c->qp_type;
		return;
	}
	f[0].tenant = c->key.tenant;
	f[1].tenant = c->key.tenant;
	f[0].saddr = c->key.addr;		/* requester -> responder */
	f[0].daddr = c->rep_addr;
	f[0].dqpn = c->rep_qpn;
	f[0].rights = c->rights;
	f[0].psn = c->rep_psn;	/* the REP tells the requester's first */
	f[0].src_ifindex = c->req_ifindex;
	f[1].saddr = c->rep_addr;		/* responder -> requester */
	f[1].daddr = c->key.addr;
	f[1].dqpn = c->req_qpn;
	f[1].rights = c->reply_rights;
	f[1].psn = c->req_psn;	/* and the REQ the responder's */
	f[1].src_ifindex = c->rep_ifindex;
	if (c->psn_resume) {	/* where the NIC that went had got to */
		f[0].psn = c->psn_next[0];
		f[1].psn = c->psn_next[1];
	}
}

/**
 * rp_conn_sidr_flows() - how many of a SIDR exchange's flows are known
 * @c: the exchange
 *
 * None before its SIDR_REP; both once the requester's QPN is known (its
 * first datagram, rp_exc_sidr.c); before that the requester -> responder
 * flow alone if the requester is behind no port of this host (its first
 * datagram never comes to the core: it arrives towards the responder).
 * Return: 0, 1 (f[0] of rp_conn_flows()) or 2.
 */
unsigned int rp_conn_sidr_flows(const struct rp_conn *c)
{
	if (c->state == RP_CONN_STATE_REQ)
		return 0;
	if (c->req_qpn)
		return 2;
	return c->req_ifindex ? 0 : 1;
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_sidr_flows);

/*
 * A SIDR exchange's flows @from on, learned-flow style, in @nic or (NULL)
 * every NIC; all or nothing.  Context: ct->lock held.
 */
static int rp_conn_sidr_learn(struct rp_conntrack *ct, struct rp_nic *nic,
			      struct rp_conn *c, unsigned int from)
{
	unsigned int i, n = rp_conn_sidr_flows(c);
	struct rp_flow f[2];
	int err = 0;

	rp_conn_flows(c, f);
	for (i = from; i < n; i++) {
		err = nic ? rp_nic_learn_in(nic, ct->net, c->id, &f[i]) :
			    rp_nic_learn(ct->net, c->id, &f[i]);
		if (err)
			break;
	}
	/* rp_nic_learn() took the failed one out; a NIC's own is its own */
	if (err && !nic)
		while (i-- > from)
			rp_nic_unlearn(ct->net, c->id, &f[i]);
	return err;
}

/**
 * rp_conn_install_more() - install a SIDR exchange's flows that are new
 * @ct: its tracker
 * @c: the exchange
 * @before: how many of its flows were installed (rp_conn_sidr_flows())
 *
 * Context: ct->lock held.
 * Return: 0 if every NIC installed them.
 */
int rp_conn_install_more(struct rp_conntrack *ct, struct rp_conn *c,
			 unsigned int before)
{
	int err = rp_conn_sidr_learn(ct, NULL, c, before);

	c->installed = !err && rp_conn_sidr_flows(c);
	return err;
}

/**
 * rp_conn_install() - install an established connection in every NIC
 * @ct: its tracker
 * @c: the connection (REQ and REP side known)
 *
 * All or nothing (rp_nic_install()).
 * Context: ct->lock held.
 * Return: 0 if every NIC installed it.
 */
int rp_conn_install(struct rp_conntrack *ct, struct rp_conn *c)
{
	struct rp_flow f[2];
	int err;

	if (c->key.sidr)
		return rp_conn_install_more(ct, c, 0);
	rp_conn_flows(c, f);
	err = c->key.learned ? rp_nic_learn(ct->net, c->id, &f[0]) :
			       rp_nic_install(ct->net, c->id, f);
	c->installed = !err;
	return err;
}

/* Take a connection out of the NICs.  Context: ct->lock held. */
static void rp_conn_uninstall(struct rp_conntrack *ct, struct rp_conn *c)
{
	struct rp_flow f[2];
	unsigned int i;

	rp_conn_flows(c, f);
	if (c->key.sidr)
		for (i = 0; i < rp_conn_sidr_flows(c); i++)
			rp_nic_unlearn(ct->net, c->id, &f[i]);
	else if (c->key.learned)
		rp_nic_unlearn(ct->net, c->id, &f[0]);
	else
		rp_nic_uninstall(ct->net, c->id, f);
	c->installed = false;
}

/*
 * A NIC registers: every established connection of @ct into it.
 * Context: RCU read side (the namespace may be going away), NIC list
 * locked.
 */
void rp_conn_install_nic(struct rp_conntrack *ct, struct rp_nic *nic)
{
	struct rp_flow f[2];
	struct rp_conn *c;

	spin_lock_bh(&ct->lock);
	list_for_each_entry(c, &ct->all, list) {
		if (c->state == RP_CONN_STATE_REQ)
			continue;
		if (c->key.sidr) {
			if (rp_conn_sidr_learn(ct, nic, c, 0))
				c->installed = false;
			continue;
		}
		rp_conn_flows(c, f);
		/*
		 * Its data may be long past the CM's starting PSNs: unless a
		 * NIC that went left where it had got to, not checked.
		 */
		f[0].psn_unknown = !c->psn_resume;
		f[1].psn_unknown = !c->psn_resume;
		if (c->key.learned ?
		    rp_nic_learn_in(nic, ct->net, c->id, &f[0]) :
		    rp_nic_install_in(nic, ct->net, c->id, f))
			c->installed = false;
	}
	spin_unlock_bh(&ct->lock);
}

/*
 * A NIC goes (rp_nic_unregister()): keep where it had got to in the PSN
 * spaces of each installed connection, for the next NIC it is installed
 * into (rp_conn_flows()).  Data sent while no NIC hooks the ports passes
 * unchecked and moves the PSNs on: the next NIC's window absorbs a short
 * absence (a reload, a rebind), not a long one (datapath.rst).
 * Context: RCU read side (the namespace may be going away), NIC list
 * locked, @nic still on it.
 */
void rp_conn_save_nic(struct rp_conntrack *ct, struct rp_nic *nic)
{
	struct rp_nic_conn_info info;
	struct rp_flow f[2];
	struct rp_conn *c;

	if (!nic->ops->query)
		return;
	spin_lock_bh(&ct->lock);
	list_for_each_entry(c, &ct->all, list) {
		/* learned flows and SIDR have no PSN tracked (learned.rst) */
		if (!c->installed || c->state == RP_CONN_STATE_REQ ||
		    c->key.learned || c->key.sidr)
			continue;
		rp_conn_flows(c, f);
		/* what an earlier NIC left is stale now */
		c->psn_resume = false;
		if (nic->ops->query(nic->priv, ct->net, c->id, f, &info) ||
		    !info.psn_tracked)
			continue;
		c->psn_next[0] = (info.psn_seen[0] + 1) & RP_PSN_MASK;
		c->psn_next[1] = (info.psn_seen[1] + 1) & RP_PSN_MASK;
		c->psn_resume = true;
	}
	spin_unlock_bh(&ct->lock);
}

/**
 * rp_conn_query() - what the first NIC that answers knows of a connection
 * @ct: its tracker
 * @c: an installed connection (a snapshot will do)
 * @info: filled
 *
 * Context: atomic allowed.
 * Return: 0, or -ENOENT if no NIC answers.
 */
int rp_conn_query(struct rp_conntrack *ct, const struct rp_conn *c,
		  struct rp_nic_conn_info *info)
{
	struct rp_flow f[2];

	if (c->key.learned || c->key.sidr)
		return -ENOENT;		/* no PSN tracked: see learned.rst */
	rp_conn_flows(c, f);
	return rp_nic_query(ct->net, c->id, f, info);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_query);

/* The VM's counters, if it still exists.  Context: RCU or ct->cfg_lock. */
static struct rp_vm_ctr *rp_conn_vm_ctr(struct rp_conntrack *ct, u32 vm_id)
{
	struct rp_tables *t = rcu_dereference_check(*ct->tables,
						    lockdep_is_held(ct->cfg_lock));
	struct rp_vm *vm = vm_id && t ? rp_vm_by_id(t, vm_id) : NULL;

	return vm ? vm->ctr : NULL;
}

/**
 * rp_conn_del() - forget a connection
 * @ct: tracker
 * @c: the entry
 * @why: reason given in the destroyed event; NULL: no event (an entry
 *	 never announced by a new event)
 *
 * Context: ct->lock held, RCU read side (or ct->cfg_lock).
 */
void rp_conn_del(struct rp_conntrack *ct, struct rp_conn *c, const char *why)
{
	struct rp_vm_ctr *ctr;

	lockdep_assert_held(&ct->lock);
	if (c->state != RP_CONN_STATE_REQ)
		rp_conn_uninstall(ct, c);
	if (c->paired)
		rhltable_remove(&ct->pairs, &c->pair_node, rp_conn_pair_params);
	rhashtable_remove_fast(&ct->ht, &c->node, rp_conn_params);
	xa_erase(&ct->ids, c->id);
	list_del(&c->list);
	ct->count--;
	ct->anon -= !c->req_vm;
	ctr = rp_conn_vm_ctr(ct, c->req_vm);
	if (ctr)
		atomic_dec_if_positive(c->key.learned ? &ctr->learned :
				       &ctr->conns);
	if (why)
		rp_conn_event(ct->net, RP_EV_CONN_DESTROYED, c->key.tenant,
			      c->req_vm, c->rule_id, why);
	kfree_rcu(c, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_del);

/* Forget every connection (of VM @vm_id as either end, if not 0). */
void rp_conn_flush(struct rp_conntrack *ct, u32 vm_id, const char *why)
{
	struct rp_conn *c, *tmp;

	rcu_read_lock();
	spin_lock_bh(&ct->lock);
	list_for_each_entry_safe(c, tmp, &ct->all, list)
		if (!vm_id || c->req_vm == vm_id || c->rep_vm == vm_id)
			rp_conn_del(ct, c, why);
	spin_unlock_bh(&ct->lock);
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_flush);

/*
 * Is side @vm_id of a connection still where it was: the owner (longest
 * prefix) of @addr in @tenant, and the VM of @ifindex if it came from a
 * port?  0 for both: the side is nobody of ours, and must stay so.
 */
static bool rp_conn_side_ok(struct rp_tables *t, u32 tenant, u32 vm_id,
			    const struct in6_addr *addr, int ifindex)
{
	struct rp_vm *owner = rp_vm_by_addr(t, tenant, addr);

	if ((owner ? owner->s.id : 0) != vm_id)
		return false;
	if (ifindex) {
		owner = rp_vm_by_port(t, ifindex);
		return owner && owner->s.id == vm_id;
	}
	return true;
}

/*
 * After a configuration change: decide every connection again and drop
 * those the policy no longer allows, or allows with fewer rights, and
 * those whose ends no longer own their addresses or ports (a port that
 * went away takes its connections: its ifindex may come back as another
 * VM's).  Called by every configuration commit (rp_config.c).
 * Context: ct->cfg_lock held; @t: the tables under it.
 */
void rp_conn_revalidate(struct rp_conntrack *ct, struct rp_tables *t)
{
	struct rp_conn *c, *tmp;
	struct rp_decision d;
	struct rp_query q;

	lockdep_assert_held(ct->cfg_lock);
	spin_lock_bh(&ct->lock);
	/*
	 * Decisions in flight made under the old configuration: again.  The
	 * release orders the new tables (published before) before the new
	 * generation, for the exception path's acquire.
	 */
	smp_store_release(&ct->gen, ct->gen + 1);
	list_for_each_entry_safe(c, tmp, &ct->all, list) {
		const char *why = NULL;

		if (c->key.learned) {
			if (!rp_conn_learned_ok(t, c))
				rp_conn_del(ct, c, "policy: denied now (setup learned)");
			continue;
		}
		memset(&q, 0, sizeof(q));
		q.src_vm = c->req_vm ? rp_vm_by_id(t, c->req_vm) : NULL;
		q.dst_vm = c->rep_vm ? rp_vm_by_id(t, c->rep_vm) : NULL;
		if ((c->req_vm && !q.src_vm) || (c->rep_vm && !q.dst_vm)) {
			rp_conn_del(ct, c, "vm removed");
			continue;
		}
		/* a connection lives in one tenant, keyed by it */
		if ((q.src_vm && q.src_vm->s.tenant != c->key.tenant) ||
		    (q.dst_vm && q.dst_vm->s.tenant != c->key.tenant)) {
			rp_conn_del(ct, c, "vm moved to another tenant");
			continue;
		}
		if (!rp_conn_side_ok(t, c->key.tenant, c->req_vm, &c->key.addr,
				     c->req_ifindex) ||
		    !rp_conn_side_ok(t, c->key.tenant, c->rep_vm, &c->rep_addr,
				     c->rep_ifindex)) {
			rp_conn_del(ct, c, "address or port no longer the vm's");
			continue;
		}
		q.saddr = c->key.addr;
		q.daddr = c->rep_addr;
		q.ps = c->ps;
		q.port = c->port;
		q.qp_type = c->qp_type;
		rp_policy_eval(t, &q, &d);
		if (d.action != RP_ACT_ALLOW)
			why = "policy: denied now";
		else if ((d.rights & c->rights) != c->rights ||
			 (d.reply_rights & c->reply_rights) != c->reply_rights)
			why = "policy: fewer rights now";
		if (why)
			rp_conn_del(ct, c, why);
		else
			c->rule_id = d.rule ? d.rule->s.id : 0;
	}
	spin_unlock_bh(&ct->lock);
}

/**
 * rp_conn_learned_ok() - is a learned flow still allowed as it is?
 * @t: the tables
 * @c: the learned flow
 *
 * Its sender still owns its address and port, its destination's owner is
 * the same, and the policy grants it at least its rights, the same way
 * (as requester or as responder).
 * Context: RCU read side or the writers' lock.
 */
bool rp_conn_learned_ok(struct rp_tables *t, const struct rp_conn *c)
{
	struct rp_decision d;
	struct rp_query q = { .setup = RP_SETUP_LEARNED, .recheck = true };
	bool as_resp;

	q.src_vm = c->req_vm ? rp_vm_by_id(t, c->req_vm) : NULL;
	q.dst_vm = c->rep_vm ? rp_vm_by_id(t, c->rep_vm) : NULL;
	if (!q.src_vm || (c->rep_vm && !q.dst_vm) ||
	    q.src_vm->s.tenant != c->key.tenant ||
	    (q.dst_vm && q.dst_vm->s.tenant != c->key.tenant))
		return false;
	if (!rp_conn_side_ok(t, c->key.tenant, c->req_vm, &c->key.addr,
			     c->req_ifindex) ||
	    !rp_conn_side_ok(t, c->key.tenant, c->rep_vm, &c->key.daddr, 0))
		return false;
	q.saddr = c->key.addr;
	q.daddr = c->key.daddr;
	q.qp_type = c->qp_type;
	rp_policy_eval_learned(t, &q, &d, &as_resp);
	return d.action == RP_ACT_ALLOW && as_resp == c->as_responder &&
	       (d.rights & c->rights) == c->rights;
}
EXPORT_SYMBOL_IF_KUNIT(rp_conn_learned_ok);

/*
 * A learned flow idle for learn_idle_timeout (no packet since the NICs
 * were last asked) goes; one in use is asked again a timeout later.
 * Context: ct->lock held.
 */
static void rp_conn_learned_expire(struct rp_conntrack *ct, struct rp_conn *c)
{
	struct rp_flow f[2];

	rp_conn_flows(c, f);
	/* a responder's flow lives no longer than what it answers */
	if (c->as_responder &&
	    !rp_conn_answers(ct, c->key.tenant, &c->key.addr, &c->key.daddr,
			     c->key.comm_id, c->req_qpn, c->qp_type)) {
		rp_conn_del(ct, c, "timeout: no requester (setup learned)");
		return;
	}
	if (c->installed && rp_nic_used(ct->net, c->id, &f[0])) {
		c->since = jiffies;
		return;
	}
	if (ct->learn_expired)
		atomic64_inc(ct->learn_expired);
	rp_conn_del(ct, c, "timeout: idle (setup learned)");
}

/*
 * A SIDR exchange idle for learn_idle_timeout goes, as a learned flow: no
 * packet on its flows since the NICs were last asked, or none installed
 * yet (its requester never sent).  Context: ct->lock held.
 */
static void rp_conn_sidr_expire(struct rp_conntrack *ct, struct rp_conn *c)
{
	unsigned int i, n = rp_conn_sidr_flows(c);
	struct rp_flow f[2];
	bool used = false;

	rp_conn_flows(c, f);
	/* every flow asked: each NIC clears its mark */
	for (i = 0; c->installed && i < n; i++)
		used |= rp_nic_used(ct->net, c->id, &f[i]);
	if (used) {
		c->since = jiffies;
		return;
	}
	rp_conn_del(ct, c, "timeout: idle (setup sidr)");
}

/*
 * Forget REQs whose REP did not come in time, and connections whose DREQ
 * got no DREP in time (the peer is gone: a crashed VM must not keep its
 * entries and installed flows forever), and learned flows and SIDR
 * exchanges gone idle.
 */
void rp_conntrack_expire(struct rp_conntrack *ct)
{
	unsigned long halfopen = READ_ONCE(rp_conn_halfopen_secs) * HZ;
	unsigned long closing = READ_ONCE(rp_conn_closing_secs) * HZ;
	unsigned long idle = READ_ONCE(rp_conn_learn_idle_secs) * HZ;
	struct rp_conn *c, *tmp;

	rcu_read_lock();
	spin_lock_bh(&ct->lock);
	list_for_each_entry_safe(c, tmp, &ct->all, list) {
		if (c->state == RP_CONN_STATE_REQ &&
		    time_after(jiffies, c->since + halfopen))
			rp_conn_del(ct, c, "timeout: no REP");
		else if (c->state == RP_CONN_STATE_CLOSING &&
			 time_after(jiffies, c->since + closing))
			rp_conn_del(ct, c, "timeout: no DREP");
		else if (c->state == RP_CONN_STATE_LEARNED &&
			 time_after(jiffies, c->since + idle))
			rp_conn_learned_expire(ct, c);
		else if (c->key.sidr && c->state == RP_CONN_STATE_ESTABLISHED &&
			 time_after(jiffies, c->since + idle))
			rp_conn_sidr_expire(ct, c);
	}
	spin_unlock_bh(&ct->lock);
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(rp_conntrack_expire);

static void rp_conntrack_gc(struct work_struct *work)
{
	struct rp_conntrack *ct = container_of(to_delayed_work(work),
					       struct rp_conntrack, gc);

	rp_conntrack_expire(ct);
	schedule_delayed_work(&ct->gc, HZ);
}

/* Context: namespace going away; nobody adds entries any more. */
void rp_conntrack_destroy(struct rp_conntrack *ct)
{
	struct rp_conn *c, *tmp;

	cancel_delayed_work_sync(&ct->gc);
	list_for_each_entry_safe(c, tmp, &ct->all, list)
		kfree(c);
	xa_destroy(&ct->ids);
	rhashtable_destroy(&ct->ht);
	rhltable_destroy(&ct->pairs);
}
