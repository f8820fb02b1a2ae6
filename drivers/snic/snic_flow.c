// SPDX-License-Identifier: GPL-2.0
/*
 * Flow table of the emulated SmartNIC: the connections the core installed,
 * one 136-byte object per connection holding its two flows (one per
 * direction), each hashed by (namespace, tenant, source, destination,
 * destination QPN) in one rhashtable.  Lookups are lock-free under RCU;
 * install and uninstall come from the core in atomic context (see
 * include/rdmapolicy/shim.h) and are serialized by the rhashtable's own
 * bucket locks; objects are freed after a grace period (in batches, by
 * rp_snic_conn_retire()).
 * Each flow remembers the core's id of its connection: uninstall removes
 * a connection only if the flows it finds are that connection's.  The
 * NIC's other ops, and its registration, are in snic_shim.c.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>
#include <uapi/linux/rdmapolicy.h>

#include "snic.h"

/*
 * The flow key's hash: multilinear (Lemire and Kaser, "Strongly universal
 * string hashing is fast"), m[0] + sum of m[i + 1] * word i, modulo 2^64,
 * its top 32 bits: any two keys collide with probability 2^-32 over the
 * random multipliers, which packets cannot learn, so crafted addresses
 * cannot pile up in one bucket.  The table's own seed is XORed into the
 * words, so that a rehash (after a chain grew too long) moves keys apart.
 * With the word compare below, a hit's lookup is 144 instructions
 * shorter than with jhash2() and memcmp() (make bench's profile).
 * The multipliers are written once, at init, before the table exists;
 * the fast route (snic_fast.c) hashes the same words from the packet
 * (rp_snic_hash11(), snic.h).
 */
u64 rp_snic_hash_m[RP_SNIC_KEY_WORDS + 1] __ro_after_init;

/* unrolled: a loop costs twice the instructions */
static u32 rp_snic_key_hash(const void *data, u32 len, u32 seed)
{
	const u32 *w = data;

	BUILD_BUG_ON(RP_SNIC_KEY_WORDS != 11);
	return rp_snic_hash11(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
			      w[8], w[9], w[10], seed);
}

/* the 8 bytes at @off of two keys, XORed */
static __always_inline u64 rp_snic_xor8(const void *a, const void *b,
					unsigned int off)
{
	return get_unaligned((const u64 *)(a + off)) ^
	       get_unaligned((const u64 *)(b + off));
}

/* 0 if @arg's key is @obj's: five 8-byte words and one 4-byte one */
static int rp_snic_key_cmp(struct rhashtable_compare_arg *arg,
			   const void *obj)
{
	const struct rp_snic_flow *f = obj;
	const struct rp_snic_flow_key *a = arg->key, *b = &f->key;

	return (rp_snic_xor8(a, b, 0) | rp_snic_xor8(a, b, 8) |
		rp_snic_xor8(a, b, 16) | rp_snic_xor8(a, b, 24) |
		rp_snic_xor8(a, b, 32)) || a->tenant != b->tenant;
}

/*
 * The bucket table grows at 3/4 full up to one bucket per flow the NIC can
 * hold (2^21: both flows of RP_SNIC_MAX_CONNS), not beyond: at 1M
 * connections 8 bytes of buckets a flow instead of 16, for chains of one
 * flow on average (a hit visits 1.5 flows instead of 1.25; rehashes on a
 * long chain are rhashtable's as before).
 */
const struct rhashtable_params rp_snic_flow_params = {
	.key_len = sizeof(struct rp_snic_flow_key),
	.key_offset = offsetof(struct rp_snic_flow, key),
	.head_offset = offsetof(struct rp_snic_flow, node),
	.max_size = 2 * RP_SNIC_MAX_CONNS,
	.automatic_shrinking = true,
	.hashfn = rp_snic_key_hash,
	.obj_cmpfn = rp_snic_key_cmp,
};

/* shared with snic_learn.c (learned flows), declared in snic.h */
struct rhashtable rp_snic_flows;	/* rp_snic_flow_key -> flow */
struct kmem_cache *rp_snic_conn_cache;	/* struct rp_snic_conn */
atomic_t rp_snic_nconns = ATOMIC_INIT(0);	/* connections and learned */
/* fault injection: fail this many installs (debugfs fail_install) */
atomic_t rp_snic_fail_install = ATOMIC_INIT(0);

/*
 * PSN window: connections installed while it is not 0 have the PSNs of
 * their data checked (rp_snic_psn_ok()); at most 2^22, a quarter of the
 * PSN space, so that ahead and behind stay apart.
 */
unsigned int rp_snic_psn_window;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_psn_window);

static int rp_snic_psn_window_set(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int w;
	int err = kstrtouint(val, 0, &w);

	if (err)
		return err;
	if (w > BIT(22))
		return -ERANGE;
	WRITE_ONCE(rp_snic_psn_window, w);
	return 0;
}

static const struct kernel_param_ops rp_snic_psn_window_ops = {
	.set = rp_snic_psn_window_set,
	.get = param_get_uint,
};
module_param_cb(psn_window, &rp_snic_psn_window_ops, &rp_snic_psn_window,
		0644);
MODULE_PARM_DESC(psn_window,
		 "PSNs ahead of and behind the highest request PSN seen that data may carry; 0: no PSN check (for connections installed after a change)");

void rp_snic_key(struct rp_snic_flow_key *k, const struct net *net,
		 const struct rp_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->saddr = f->saddr;
	k->daddr = f->daddr;
	k->dqpn = f->dqpn;
	k->netns = net->ns.inum;
	k->tenant = f->tenant;
}

/*
 * The flow of @tenant in @net a packet belongs to.  Context: RCU.
 * Exported (RP_SNIC_INTERNAL) for KUnit and rp_bench's profile.
 */
struct rp_snic_flow *rp_snic_flow_lookup(const struct net *net, u32 tenant,
					 const struct rp_roce_pkt *pkt)
{
	struct rp_snic_flow_key k = {
		.saddr = pkt->saddr, .daddr = pkt->daddr, .dqpn = pkt->dqpn,
		.netns = net->ns.inum, .tenant = tenant,
	};

	return rhashtable_lookup(&rp_snic_flows, &k, rp_snic_flow_params);
}
EXPORT_SYMBOL_NS_GPL(rp_snic_flow_lookup, RP_SNIC_INTERNAL);

/*
 * Is a packet of @class allowed on a flow granting @rights, whose peer
 * flow (the other direction of its connection) grants @peer_rights?
 * Requests need their sender's right; responses (read responses, atomic
 * ACKs) answer the peer's requests, so they need the peer's right: the
 * rights are per direction (struct rp_flow).
 */
bool rp_snic_rights_allow(u32 rights, u32 peer_rights, u8 class)
{
	/* as rp_snic_flow_admit() sees them: the peer as flow[1] */
	u32 state = FIELD_PREP(RP_SNIC_ST_RIGHTS, rights & RP_RIGHT_ALL);
	u32 peer_state = FIELD_PREP(RP_SNIC_ST_RIGHTS,
				    peer_rights & RP_RIGHT_ALL) |
			 RP_SNIC_ST_DIR;

	return rp_snic_rights_w(state, peer_state) & rp_snic_rights_need(class);
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_rights_allow);

/**
 * rp_snic_psn_ok() - is a packet's PSN within the window of its connection?
 * @flow: the flow the packet matched, with RP_SNIC_ST_TRACK set
 * @class: its enum rp_roce_class
 * @psn: its BTH PSN
 * @window: PSNs ahead of and behind the highest request PSN seen
 *
 * A connection has two PSN spaces, one per side's requests, each tracked
 * in the flow its requests travel on, from its first PSN (which the peer's
 * CM message announced, see struct rp_flow).  Requests (send, write, read
 * request, atomic) carry their sender's PSN and advance the tracker;
 * responses (ACK/NAK, read response, atomic ACK) echo the PSNs of the
 * other side's requests and are checked against the other flow's tracker.
 * A CNP carries no sequence.
 *
 * Trackers are advanced with cmpxchg() without retrying: of two CPUs
 * advancing one at the same time one wins, and the window absorbs it.
 *
 * Context: rcu_read_lock(); @flow is installed.
 */
bool rp_snic_psn_ok(struct rp_snic_flow *flow, u8 class, u32 psn, u32 window)
{
	struct rp_snic_flow *space = flow;
	bool request;
	u32 old;
	s32 d;

	switch (class) {
	case RP_CLASS_SEND:
	case RP_CLASS_WRITE:
	case RP_CLASS_READ_REQ:
	case RP_CLASS_ATOMIC:
		request = true;
		break;
	case RP_CLASS_ACK:
	case RP_CLASS_READ_RESP:
	case RP_CLASS_ATOMIC_ACK:
		request = false;
		space = rp_snic_flow_peer(flow);
		break;
	default:
		return true;
	}
	old = READ_ONCE(space->state);
	d = sign_extend32((psn - old) & RP_SNIC_ST_PSN, 23);
	if (d > (s32)window || d < -(s32)window)
		return false;
	if (request && d > 0)
		cmpxchg(&space->state, old,
			(old & ~RP_SNIC_ST_PSN) | (psn & RP_SNIC_ST_PSN));
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_psn_ok);

/*
 * Connections out of the table that readers may still hold: each retired
 * one is pushed here (lock-free, any context); the first push into an
 * empty list queues rp_snic_reap_work, which takes the whole list, waits
 * for one grace period for all of them and frees them, until the list
 * stays empty.  One link in the object instead of an rcu_head, one grace
 * period a batch instead of one callback each.  rp_snic_flow_exit()
 * flushes the work before the cache goes.
 */
static LLIST_HEAD(rp_snic_retired);	/* rp_snic_conn.retired */

static void rp_snic_reap(struct work_struct *work)
{
	struct rp_snic_conn *c, *next;
	struct llist_node *batch;

	while ((batch = llist_del_all(&rp_snic_retired))) {
		synchronize_rcu();
		llist_for_each_entry_safe(c, next, batch, retired)
			kmem_cache_free(rp_snic_conn_cache, c);
	}
}

static DECLARE_WORK(rp_snic_reap_work, rp_snic_reap);

/* Free @c, out of the table, after a grace period.  Context: any. */
void rp_snic_conn_retire(struct rp_snic_conn *c)
{
	if (llist_add(&c->retired, &rp_snic_retired))
		schedule_work(&rp_snic_reap_work);
}

/* The NIC's ops; exported only for the KUnit suite and rp_bench. */
int rp_snic_install(void *priv, const struct net *net, u32 conn_id,
		    const struct rp_flow flows[2])
{
	struct rp_snic_conn *c;
	u32 track;
	int i, err;

	/* a slot first: checking, then counting, would let two CPUs past */
	if (!atomic_add_unless(&rp_snic_nconns, 1, RP_SNIC_MAX_CONNS))
		return -ENOSPC;
	err = -ENOMEM;
	if (atomic_add_unless(&rp_snic_fail_install, -1, 0))
		goto unslot;		/* injected */
	c = kmem_cache_zalloc(rp_snic_conn_cache, GFP_ATOMIC);
	if (!c)
		goto unslot;
	track = READ_ONCE(rp_snic_psn_window) ? RP_SNIC_ST_TRACK : 0;
	for (i = 0; i < 2; i++) {
		rp_snic_key(&c->flow[i].key, net, &flows[i]);
		c->flow[i].src_ifindex = flows[i].src_ifindex;
		c->flow[i].conn_id = conn_id;
		/*
		 * Nothing seen yet: the highest PSN is the one before start;
		 * a flow at a PSN nobody knows is not checked (shim.h).
		 */
		c->flow[i].state = (flows[i].psn_unknown ? 0 : track) |
			FIELD_PREP(RP_SNIC_ST_PSN,
				   (flows[i].psn - 1) & RP_SNIC_ST_PSN) |
			FIELD_PREP(RP_SNIC_ST_RIGHTS,
				   flows[i].rights & RP_RIGHT_ALL) |
			(i ? RP_SNIC_ST_DIR : 0);
	}
	err = rhashtable_lookup_insert_fast(&rp_snic_flows, &c->flow[0].node,
					    rp_snic_flow_params);
	if (err)
		goto free;
	err = rhashtable_lookup_insert_fast(&rp_snic_flows, &c->flow[1].node,
					    rp_snic_flow_params);
	if (err) {
		rhashtable_remove_fast(&rp_snic_flows, &c->flow[0].node,
				       rp_snic_flow_params);
		rp_snic_conn_retire(c);
		goto unslot;
	}
	return 0;
free:
	kmem_cache_free(rp_snic_conn_cache, c);
unslot:
	atomic_dec(&rp_snic_nconns);
	return err;
}
EXPORT_SYMBOL_NS_GPL(rp_snic_install, RP_SNIC_INTERNAL);

/*
 * The installed connection @conn_id whose flows are @flows, or NULL.
 * Context: rcu_read_lock().
 */
struct rp_snic_conn *rp_snic_conn_find(const struct net *net, u32 conn_id,
				       const struct rp_flow flows[2])
{
	struct rp_snic_flow_key k, k1;
	struct rp_snic_flow *f;
	struct rp_snic_conn *c;

	rp_snic_key(&k, net, &flows[0]);
	rp_snic_key(&k1, net, &flows[1]);
	f = rhashtable_lookup(&rp_snic_flows, &k, rp_snic_flow_params);
	/* the same key may be another connection's reverse flow: not ours */
	if (!f || (f->state & RP_SNIC_ST_DIR))
		return NULL;
	/* the same flows may be another connection's (e.g. a retry) */
	if (f->conn_id != conn_id)
		return NULL;
	c = container_of(f, struct rp_snic_conn, flow[0]);
	/* both flows must be this connection's (the keys are unique) */
	return memcmp(&c->flow[1].key, &k1, sizeof(k1)) ? NULL : c;
}

void rp_snic_uninstall(void *priv, const struct net *net, u32 conn_id,
		       const struct rp_flow flows[2])
{
	struct rp_snic_conn *c;

	rcu_read_lock();
	c = rp_snic_conn_find(net, conn_id, flows);
	if (c && !rhashtable_remove_fast(&rp_snic_flows, &c->flow[0].node,
					 rp_snic_flow_params)) {
		rhashtable_remove_fast(&rp_snic_flows, &c->flow[1].node,
				       rp_snic_flow_params);
		atomic_dec(&rp_snic_nconns);
		rp_snic_conn_retire(c);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_NS_GPL(rp_snic_uninstall, RP_SNIC_INTERNAL);

unsigned int rp_snic_flow_count(void)
{
	return atomic_read(&rp_snic_nconns);
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_flow_count);

static int rp_snic_conns_get(void *data, u64 *val)
{
	*val = rp_snic_flow_count();
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(rp_snic_conns_fops, rp_snic_conns_get, NULL, "%llu\n");

/*
 * The flow table's debugfs files, in @dir: "conns", how many connections
 * are installed, and the fault injection knob of rp_snic_install(),
 * "fail_install": how many of the next installs fail with -ENOMEM.
 */
void rp_snic_flow_debugfs_init(struct dentry *dir)
{
	debugfs_create_atomic_t("fail_install", 0600, dir,
				&rp_snic_fail_install);
	debugfs_create_file("conns", 0400, dir, NULL, &rp_snic_conns_fops);
}

/*
 * Once, at module load: the key hash's multipliers and the fast route's
 * tables are __ro_after_init, so a probe after load (a bind through sysfs)
 * must not write them; they stay the same across rebinds.
 */
void __init rp_snic_flow_setup(void)
{
	get_random_bytes(rp_snic_hash_m, sizeof(rp_snic_hash_m));
	rp_snic_fast_init();
}

/* At every probe: the flow table, empty, and a fresh NIC's counts */
int rp_snic_flow_init(void)
{
	int err;

	/* the last remove freed its flows without counting them down */
	atomic_set(&rp_snic_nconns, 0);
	atomic_set(&rp_snic_fail_install, 0);
	rp_snic_conn_cache = KMEM_CACHE(rp_snic_conn, 0);
	if (!rp_snic_conn_cache)
		return -ENOMEM;
	err = rhashtable_init(&rp_snic_flows, &rp_snic_flow_params);
	if (err)
		kmem_cache_destroy(rp_snic_conn_cache);
	return err;
}

/*
 * Both flows of a connection are in the table, in any order and bucket:
 * the connection is freed at the visit of the second one (freeing it at
 * the first would leave the other flow to a use after free).  A learned
 * flow (snic_learn.c) has only flow[0] in the table: freed at its visit.
 */
static void rp_snic_flow_free(void *ptr, void *arg)
{
	struct rp_snic_flow *f = ptr;
	struct rp_snic_conn *c;

	c = f->state & RP_SNIC_ST_DIR ?
		container_of(f, struct rp_snic_conn, flow[1]) :
		container_of(f, struct rp_snic_conn, flow[0]);
	if ((c->flow[0].state & RP_SNIC_ST_VISITED) ||
	    (c->flow[1].state & RP_SNIC_ST_LEARNED))
		kmem_cache_free(rp_snic_conn_cache, c);
	else
		c->flow[0].state |= RP_SNIC_ST_VISITED;
}

/* Context: the core no longer calls us and no hook runs any more. */
void rp_snic_flow_exit(void)
{
	flush_work(&rp_snic_reap_work);	/* the retired connections */
	rhashtable_free_and_destroy(&rp_snic_flows, rp_snic_flow_free, NULL);
	kmem_cache_destroy(rp_snic_conn_cache);
}

static_assert(sizeof(struct rp_snic_flow) == 64);
static_assert(sizeof(struct rp_snic_flow_key) == 44 &&
	      offsetof(struct rp_snic_flow_key, tenant) == 40);
static_assert(sizeof(struct rp_snic_conn) <= 136);
static_assert((RP_SNIC_ST_RIGHTS >> 24) >= RP_RIGHT_ALL);
