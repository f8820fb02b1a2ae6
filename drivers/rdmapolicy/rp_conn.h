/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection tracker: the RDMA connections the exception path let a REQ
 * through for, from REQ to DREP (or REJ, timeout, policy change).
 *
 * DOC: Connection tracker locking
 *
 * rp_conntrack.lock (a BH-safe spinlock; the exception path runs in
 * softirq) guards the tracker's list and counts and every write to a
 * struct rp_conn.  Lookups by key go through the rhashtable under RCU;
 * entries are freed with kfree_rcu().  Lock order: DOC: Locking in
 * rp_config.h.
 *
 * Ids come from rp_conntrack.ids, an allocating xarray (xa_alloc_cyclic():
 * 1..U32_MAX, wrapping, never one a live entry has).  It is changed only
 * under rp_conntrack.lock, so its own xa_lock nests inside it, always with
 * BHs off, and allocations there are GFP_ATOMIC.  An entry is stored with
 * its id, its fields filled, before it goes into the rhashtable (both under
 * the lock): readers of the xarray may find an entry not yet in the
 * rhashtable, or about to be removed again if that insert fails (then
 * freed with kfree_rcu() too), so they use what they find only under the
 * lock.  Lookups by id (rp_conn_by_id()) and dumps walk the xarray under
 * RCU; a dump copies each entry under the lock (rp_conn_snapshot()), O(1)
 * with BHs off per entry.
 */
#ifndef _RP_CONN_H
#define _RP_CONN_H

#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <rdmapolicy/cm.h>

#include <uapi/linux/rdmapolicy.h>

/*
 * A connection is known by its tenant, its requester's address and the
 * requester's Local Comm ID: tenants may use the same addresses.  A
 * learned flow (@learned) by its tenant, source and destination address
 * and destination QPN (in @comm_id): what the NICs key it by.  A SIDR
 * exchange (@sidr, rp_exc_sidr.c) by its tenant, requester and responder
 * address and, while its SIDR_REQ waits for the SIDR_REP
 * (RP_CONN_SIDR_REQ), the SIDR_REQ's Request ID, after it
 * (RP_CONN_SIDR_UD) the responder's UD QPN.
 */
struct rp_conn_key {
	struct in6_addr addr;
	struct in6_addr daddr;		/* learned only, else zero */
	u32 comm_id;			/* learned: the destination QPN */
	u32 tenant;
	u32 learned;			/* 0: set up over RDMA CM */
	u32 sidr;			/* 0 or RP_CONN_SIDR_* */
};

enum {
	RP_CONN_SIDR_REQ = 1,		/* keyed by the Request ID */
	RP_CONN_SIDR_UD,		/* keyed by the responder's UD QPN */
};

/*
 * The pair a learned requester flow is indexed by in rp_conntrack.pairs
 * (its sender, destination and QP type): what the first packet of the
 * other direction can be checked against when its sender is only the
 * responder (RC and UC responses go to the requester's QPN, which no
 * packet of the requester carries).
 */
struct rp_conn_pair_key {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u32 tenant;
	u32 qp_type;
};

struct rp_conn {
	struct rhash_head node;
	struct rp_conn_key key;
	struct list_head list;		/* rp_conntrack.all, under lock */
	u32 id;
	u8 state;			/* enum rp_conn_state */
	bool installed;			/* in the NICs */
	/*
	 * A learned flow (state LEARNED): requester is its sender, the
	 * responder's address and QPN its destination; rights those of the
	 * flow; req_qpn the sender's QPN (UD: from the DETH), req_psn the
	 * first PSN seen.  @as_responder: allowed by a rule for the other
	 * direction, the flow's rights are that rule's reply rights.
	 */
	bool as_responder;
	bool paired;			/* in rp_conntrack.pairs by @pair */
	struct rhlist_head pair_node;
	struct rp_conn_pair_key pair;
	/*
	 * SIDR (key.sidr): the two UD flows of rp_conn_flows(), learned-flow
	 * style; req_qpn 0 until the first datagram names it (rp_exc_sidr.c).
	 */
	u32 req_vm;			/* VM ids, 0 if none of ours */
	u32 rep_vm;
	int req_ifindex;		/* port the REQ came from, 0: remote */
	int rep_ifindex;		/* port the REP came from, 0: remote */
	struct in6_addr rep_addr;
	u32 req_qpn, req_psn;
	u32 rep_qpn, rep_psn, rep_comm_id;
	u16 ps, port;
	u32 qp_type;
	u32 rights;			/* requester -> responder flow */
	u32 reply_rights;		/* responder -> requester flow */
	u32 rule_id;
	/*
	 * @psn_resume: a NIC that tracked this connection's PSNs went
	 * (rp_conn_save_nic()); @psn_next[i] is the PSN after the highest
	 * it had seen on flow i, where a NIC it is installed into next
	 * takes up the tracking, rather than the CM's starting PSNs (which
	 * data long past them would be dropped against).  Under lock.
	 */
	bool psn_resume;
	u32 psn_next[2];
	unsigned long created;		/* jiffies */
	unsigned long since;		/* jiffies, of the last state change */
	struct rcu_head rcu;
};

struct rp_conntrack {
	spinlock_t lock;		/* see DOC above */
	struct net *net;		/* the namespace, for events and NICs */
	/*
	 * The namespace's tables (rp_net.tables), read under RCU or under
	 * the writers' lock @cfg_lock (rp_net.lock), for the VMs' counters.
	 */
	struct rp_tables __rcu **tables;
	struct mutex *cfg_lock;		/* rp_net.lock, see above */
	struct rhashtable ht;		/* rp_conn_key -> rp_conn */
	/*
	 * Learned requester flows by pair (struct rp_conn_pair_key), several
	 * a pair; inserted and removed under @lock, looked up under it.
	 */
	struct rhltable pairs;
	struct xarray ids;		/* id -> rp_conn, see DOC */
	struct list_head all;		/* every entry, for walks under lock */
	u32 count;
	u32 anon;			/* of them with no requester VM */
	u32 next_id;			/* xa_alloc_cyclic() cursor */
	/*
	 * Configuration generation: bumped under lock by every revalidation
	 * (rp_conn_revalidate()).  A decision made before a bump is not
	 * added after it: the exception path reads it before deciding and
	 * decides again if it changed by the time it holds the lock.
	 */
	u32 gen;
	struct delayed_work gc;		/* expires REQ, CLOSING, idle LEARNED */
	/* rp_net.exc[RP_EXC_CTR_LEARN_EXPIRED], NULL: not counted */
	atomic64_t *learn_expired;
};

struct rp_nic;
struct rp_nic_conn_info;
struct rp_tables;

int rp_conntrack_init(struct rp_conntrack *ct, struct net *net,
		      struct rp_tables __rcu **tables, struct mutex *cfg_lock);
void rp_conntrack_destroy(struct rp_conntrack *ct);

struct rp_conn *rp_conn_lookup(struct rp_conntrack *ct, u32 tenant,
			       const struct in6_addr *addr, u32 comm_id);
struct rp_conn *rp_conn_by_id(struct rp_conntrack *ct, u32 id);
bool rp_conn_snapshot(struct rp_conntrack *ct, const struct rp_conn *c,
		      struct rp_conn *copy);
struct rp_conn *rp_conn_alloc(struct rp_conntrack *ct);
struct rp_conn *rp_conn_add(struct rp_conntrack *ct, struct rp_conn *n);
void rp_conn_hash_init(void);
#if IS_ENABLED(CONFIG_KUNIT)
u32 rp_conn_key_hash(const void *data, u32 len, u32 seed);
#endif
void rp_conn_del(struct rp_conntrack *ct, struct rp_conn *c, const char *why);
void rp_conn_flush(struct rp_conntrack *ct, u32 vm_id, const char *why);
void rp_conn_revalidate(struct rp_conntrack *ct, struct rp_tables *t);
void rp_conntrack_expire(struct rp_conntrack *ct);

int rp_conn_install(struct rp_conntrack *ct, struct rp_conn *c);
struct rp_conn *rp_conn_lookup_learned(struct rp_conntrack *ct, u32 tenant,
				       const struct in6_addr *saddr,
				       const struct in6_addr *daddr, u32 dqpn);
bool rp_conn_learned_ok(struct rp_tables *t, const struct rp_conn *c);
int rp_conn_pair_add(struct rp_conntrack *ct, struct rp_conn *c);
bool rp_conn_answers(struct rp_conntrack *ct, u32 tenant,
		     const struct in6_addr *saddr,
		     const struct in6_addr *daddr, u32 dqpn, u32 sqpn,
		     u32 qp_type);
void rp_conn_install_nic(struct rp_conntrack *ct, struct rp_nic *nic);
void rp_conn_save_nic(struct rp_conntrack *ct, struct rp_nic *nic);
int rp_conn_query(struct rp_conntrack *ct, const struct rp_conn *c,
		  struct rp_nic_conn_info *info);

void rp_conn_set_state(struct rp_conn *c, u8 state);
int rp_conn_rekey(struct rp_conntrack *ct, struct rp_conn *c,
		  const struct rp_conn_key *key);
struct rp_conn *rp_conn_lookup_key(struct rp_conntrack *ct,
				   const struct rp_conn_key *key);
int rp_conn_install_more(struct rp_conntrack *ct, struct rp_conn *c,
			 unsigned int before);
unsigned int rp_conn_sidr_flows(const struct rp_conn *c);

extern unsigned int rp_conn_max;
extern unsigned int rp_conn_vm_max;
extern unsigned int rp_conn_userns_max;
extern unsigned int rp_conn_anon_max;
extern unsigned int rp_conn_halfopen_secs;
extern unsigned int rp_conn_closing_secs;
extern unsigned int rp_conn_learn_idle_secs;

#endif /* _RP_CONN_H */
