/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdmapolicy_snic: an emulated SmartNIC (soft-RoCE based) that sits on the
 * VM-facing ports of a hypervisor host.  One file per job, as netdevsim:
 *
 *   snic_hook.c     the per-packet hook and its classifier
 *   snic_port.c     binding and unbinding ports, the netdev notifier
 *   snic_flow.c     the flow table: install, uninstall, rights, PSN window
 *   snic_learn.c    learned flows: the miss path, learn, unlearn, used
 *   snic_mcast.c    multicast groups: members, senders, reports
 *   snic_fast.c     the fast route of common data packets (its body in
 *                   snic_fast.h, inline in the hook)
 *   snic_stats.c    the ports' per-CPU counters, port_stats
 *   snic_shim.c     the NIC as the core sees it: ops, register, info, query
 *   snic_debugfs.c  the debugfs directory and its "ports" file; fault
 *                   injection knobs are with the op they break
 *   snic_main.c     module init/exit
 *
 * DOC: Locking
 *
 * rp_snic_lock (a mutex) serializes binding and unbinding of ports and
 * guards changes of rp_snic_ports, the list of bound ports, which the
 * counter readers walk under RCU.  Lock order: RTNL, then
 * the core's locks (it binds the VM ports through the shim), then
 * rp_snic_lock (binding holds RTNL so that the NETDEV_UNREGISTER notifier,
 * which runs under RTNL, always sees a bound port and unbinds it).
 *
 * The packet hooks never take a lock: netfilter calls them under
 * rcu_read_lock() with the port as private data, and a port is freed only
 * after its hooks are unregistered and synchronize_net() has waited out the
 * hooks still running.
 * Counters are per-CPU and written only by the hooks of the CPU they belong
 * to (u64_stats_sync), so the fast path shares no written cache line.
 */
#ifndef _RP_SNIC_H
#define _RP_SNIC_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>

#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

struct dentry;

/*
 * What the NIC makes of a packet on a port (rp_snic_classify()), and the
 * index of the counter it is counted in.  snic_verdicts.h lists them:
 * RP_SNIC_VERDICT(verdict, counter, name) is RP_SNIC_<verdict>, summed
 * into the shim's RP_NIC_CTR_<counter> (rdmapolicy/nic_ctrs.h) and shown
 * as <name> in debugfs "ports".  A new drop reason is a line there (and,
 * if it gets a shim counter of its own, a line in rdmapolicy/nic_ctrs.h
 * and its uapi attribute).
 */
#define RP_SNIC_VERDICT(v, ...)	RP_SNIC_##v,
enum rp_snic_verdict {
#include "snic_verdicts.h"
	/* then bad framing: RP_SNIC_BAD + rp_roce_verdict - RP_ROCE_ERR_TRUNC */
	RP_SNIC_BAD,
	RP_SNIC_VERDICTS = RP_SNIC_BAD + RP_ROCE_VERDICT_MAX - RP_ROCE_ERR_TRUNC,
	RP_SNIC_NOT_ROCE = RP_SNIC_VERDICTS,	/* not RoCEv2: pass, uncounted */
	RP_SNIC_SLOW,		/* rp_snic_fast(): for the full path, never counted */
};

#undef RP_SNIC_VERDICT

/* Per-CPU counters of a port (snic_stats.c) */
struct rp_snic_stats {
	u64_stats_t v[RP_DIRS][RP_SNIC_VERDICTS];
	u64_stats_t cm_dropped[RP_DIRS];	/* punted, exception said drop */
	struct u64_stats_sync syncp;
};

/* Count in this CPU's counters @st (of the port); @ctr is in @st. */
static inline void rp_snic_count(struct rp_snic_stats *st, u64_stats_t *ctr)
{
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&st->syncp);
}

/* Flow table: see snic_flow.c */
#define RP_SNIC_MAX_CONNS	BIT(20)

/*
 * 44 bytes: the namespace by its inode number (unique while it lives) and
 * the tenant (virtual network) of the port the packet is on, so that
 * tenants with the same addresses and QPNs never share a flow.
 */
struct rp_snic_flow_key {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u32 dqpn;
	u32 netns;
	u32 tenant;
};

/*
 * rp_snic_flow.state: the flow's constants and its PSN tracker in one word
 * (a connection has to fit in 136 bytes).  Only the PSN changes while the
 * flow is installed (cmpxchg() by the hooks, see rp_snic_psn_ok()); the
 * visited bit only at module exit, when no hook runs.
 */
#define RP_SNIC_ST_PSN		GENMASK(23, 0)	/* highest request PSN seen */
#define RP_SNIC_ST_RIGHTS	GENMASK(27, 24)	/* RP_RIGHT_* */
#define RP_SNIC_ST_DIR		BIT(28)		/* 0: requester -> responder */
#define RP_SNIC_ST_TRACK	BIT(29)		/* PSN window on */
#define RP_SNIC_ST_VISITED	BIT(30)		/* flow[0]: seen at exit */
#define RP_SNIC_ST_LEARNED	BIT(30)		/* flow[1]: of a learned flow */
/*
 * flow[1] of a learned UD flow: sender's QPN bound, in flow[1].key.dqpn.
 * Bit 29 is TRACK on a connection's flows: only with LEARNED it is this.
 */
#define RP_SNIC_ST_SQPN		BIT(29)
#define RP_SNIC_ST_UD_BOUND	(RP_SNIC_ST_LEARNED | RP_SNIC_ST_SQPN)
/*
 * flow[1] of a learned flow: the transport its packets must be of (the
 * opcode's top three bits, plus one; 0: any), in bits of the PSN tracker
 * that flow[1] of a learned flow never uses.
 */
#define RP_SNIC_ST_TRANSPORT	GENMASK(3, 0)
#define RP_SNIC_ST_USED		BIT(31)		/* passed a packet, see below */

/* 64 bytes */
struct rp_snic_flow {
	struct rhash_head node;
	struct rp_snic_flow_key key;
	int src_ifindex;		/* sender's port, 0: not a VM port */
	u32 state;			/* RP_SNIC_ST_* */
	u32 conn_id;			/* the core's id of its connection */
};

/*
 * One installed connection: 136 bytes (two flows and a link), from a
 * cache of its own.  @retired links it, once out of the table, into the
 * connections that wait for a grace period to be freed (snic_flow.c,
 * rp_snic_conn_retire()): 8 bytes where an rcu_head would take 16.
 */
struct rp_snic_conn {
	struct rp_snic_flow flow[2];
	struct llist_node retired;
};

/*
 * The flow key's hash (snic_flow.c explains it) over its 11 words @w0..
 * @w10 as they lie in struct rp_snic_flow_key (native-endian loads),
 * seeded with the bucket table's @seed: rhashtable's hashfn, and the fast
 * route's (snic_fast.c), which takes the words from the packet.
 */
#define RP_SNIC_KEY_WORDS	(sizeof(struct rp_snic_flow_key) / sizeof(u32))
extern u64 rp_snic_hash_m[RP_SNIC_KEY_WORDS + 1];

#define RP_SNIC_MUL(i, w, seed)	(rp_snic_hash_m[(i) + 1] * (u64)((w) ^ (seed)))
static __always_inline u32 rp_snic_hash11(u32 w0, u32 w1, u32 w2, u32 w3,
					  u32 w4, u32 w5, u32 w6, u32 w7,
					  u32 w8, u32 w9, u32 w10, u32 seed)
{
	u64 h = rp_snic_hash_m[0] +
		RP_SNIC_MUL(0, w0, seed) + RP_SNIC_MUL(1, w1, seed) +
		RP_SNIC_MUL(2, w2, seed) + RP_SNIC_MUL(3, w3, seed) +
		RP_SNIC_MUL(4, w4, seed) + RP_SNIC_MUL(5, w5, seed) +
		RP_SNIC_MUL(6, w6, seed) + RP_SNIC_MUL(7, w7, seed) +
		RP_SNIC_MUL(8, w8, seed) + RP_SNIC_MUL(9, w9, seed) +
		RP_SNIC_MUL(10, w10, seed);

	return h >> 32;
}

/* snic_flow.c: the flow table, rights and PSN checks */
struct rp_snic_flow *rp_snic_flow_lookup(const struct net *net, u32 tenant,
					 const struct rp_roce_pkt *pkt);
bool rp_snic_rights_allow(u32 rights, u32 peer_rights, u8 class);

/*
 * The rights a packet needs, as a mask over its flow's state and its
 * peer's side by side (rp_snic_rights_w(): the flow's RP_SNIC_ST_RIGHTS
 * at bits 24-27, the peer's at bits 56-59): requests their sender's right,
 * responses (read responses, atomic ACKs) the peer's (they answer the
 * peer's requests; the rights are per direction, struct rp_flow).
 * Acknowledgements and congestion control need none (they always belong
 * to an installed connection): their mask is the RP_SNIC_ST_DIR bit of
 * both, of which exactly one is set (flow[0] has it clear, flow[1] set,
 * and a flow's peer is the other one, rp_snic_flow_peer()).  Unknown
 * classes: 0, nothing passes.  One AND on the hit path, the same for the
 * full path (from the class) and the fast route (per opcode, from this
 * at init).
 */
#define RP_SNIC_NEED_OWN(r)	((u64)(r) << 24)
#define RP_SNIC_NEED_PEER(r)	((u64)(r) << 56)
#define RP_SNIC_NEED_ANY	((u64)RP_SNIC_ST_DIR << 32 | RP_SNIC_ST_DIR)

static __always_inline u64 rp_snic_rights_need(unsigned int class)
{
	switch (class) {
	case RP_CLASS_SEND:
		return RP_SNIC_NEED_OWN(RP_RIGHT_SEND);
	case RP_CLASS_WRITE:
		return RP_SNIC_NEED_OWN(RP_RIGHT_WRITE);
	case RP_CLASS_READ_REQ:
		return RP_SNIC_NEED_OWN(RP_RIGHT_READ);
	case RP_CLASS_READ_RESP:
		return RP_SNIC_NEED_PEER(RP_RIGHT_READ);
	case RP_CLASS_ATOMIC:
		return RP_SNIC_NEED_OWN(RP_RIGHT_ATOMIC);
	case RP_CLASS_ATOMIC_ACK:
		return RP_SNIC_NEED_PEER(RP_RIGHT_ATOMIC);
	case RP_CLASS_ACK:
	case RP_CLASS_CNP:
		return RP_SNIC_NEED_ANY;
	default:
		return 0;
	}
}

/* a flow's @state and its peer's @peer_state, for rp_snic_rights_need() */
static __always_inline u64 rp_snic_rights_w(u32 state, u32 peer_state)
{
	return state | (u64)peer_state << 32;
}

/* The other direction of @flow's connection (flow[0] <-> flow[1]). */
static inline struct rp_snic_flow *rp_snic_flow_peer(struct rp_snic_flow *f)
{
	return f->state & RP_SNIC_ST_DIR ? f - 1 : f + 1;
}

/*
 * The first checks of a data packet on the flow it was found on, for the
 * full path (rp_snic_data()) and the fast route (snic_fast.c) alike.  The
 * sender must be where the flow's sender is: from a VM port only that
 * port's flows, from elsewhere (towards the VM, not flagged) only flows
 * of senders behind no VM port.  The opcode's class must be granted by
 * the flow's rights (requests) or its peer's (responses): @need is
 * rp_snic_rights_need() of the class.  @state and @peer_state: the two
 * flows' states as read here.
 * Return: RP_SNIC_PASS to go on, else the verdict.
 */
static __always_inline enum rp_snic_verdict
rp_snic_flow_admit(struct rp_snic_flow *flow, int ifindex, enum rp_dir dir,
		   u64 need, u32 *state, u32 *peer_state)
{
	if (flow->src_ifindex != (dir == RP_DIR_FROM_VM ? ifindex : 0))
		return RP_SNIC_SPOOFED;
	*state = READ_ONCE(flow->state);
	*peer_state = READ_ONCE(rp_snic_flow_peer(flow)->state);
	if (!(rp_snic_rights_w(*state, *peer_state) & need))
		return RP_SNIC_NO_RIGHT;
	return RP_SNIC_PASS;
}

/*
 * The hit path marks a flow used (snic_learn.c reads and clears it for
 * learned flows): one write when the mark is clear, no retry (the next
 * packet marks it if this one loses to a PSN update, which keeps the
 * mark).  A connection's flows are marked once and stay so: a read.
 */
static __always_inline void rp_snic_flow_touch(struct rp_snic_flow *f)
{
	u32 state = READ_ONCE(f->state);

	if (!(state & RP_SNIC_ST_USED))
		cmpxchg(&f->state, state, state | RP_SNIC_ST_USED);
}

bool rp_snic_psn_ok(struct rp_snic_flow *flow, u8 class, u32 psn, u32 window);
extern unsigned int rp_snic_psn_window;
unsigned int rp_snic_flow_count(void);
/* the NIC's ops; exported (RP_SNIC_INTERNAL) for KUnit and rp_bench */
int rp_snic_install(void *priv, const struct net *net, u32 conn_id,
		    const struct rp_flow flows[2]);
void rp_snic_uninstall(void *priv, const struct net *net, u32 conn_id,
		       const struct rp_flow flows[2]);
struct rp_snic_conn *rp_snic_conn_find(const struct net *net, u32 conn_id,
				       const struct rp_flow flows[2]);
void rp_snic_key(struct rp_snic_flow_key *k, const struct net *net,
		 const struct rp_flow *f);
void rp_snic_conn_retire(struct rp_snic_conn *c);
extern const struct rhashtable_params rp_snic_flow_params;
extern struct rhashtable rp_snic_flows;
extern struct kmem_cache *rp_snic_conn_cache;
extern atomic_t rp_snic_nconns;
extern atomic_t rp_snic_fail_install;
void rp_snic_flow_setup(void);
int rp_snic_flow_init(void);
void rp_snic_flow_exit(void);
void rp_snic_flow_debugfs_init(struct dentry *dir);

/* snic_learn.c: learned flows, the miss path */
int rp_snic_learn(void *priv, const struct net *net, u32 conn_id,
		  const struct rp_flow *f);
void rp_snic_unlearn(void *priv, const struct net *net, u32 conn_id,
		     const struct rp_flow *f);
int rp_snic_used(void *priv, const struct net *net, u32 conn_id,
		 const struct rp_flow *f);
enum rp_snic_verdict rp_snic_learned_check(struct rp_snic_flow *flow,
					   u32 peer_state,
					   const struct sk_buff *skb,
					   const struct rp_roce_pkt *pkt);
enum rp_snic_verdict rp_snic_learn_miss(struct net_device *dev,
					enum rp_dir dir, struct sk_buff *skb);

/* snic_mcast.c: multicast groups */
int rp_snic_mcast_set(void *priv, const struct net *net,
		      const struct rp_mcast *m);
void rp_snic_mcast_clear(void *priv, const struct net *net,
			 const struct rp_mcast *m);
enum rp_snic_verdict rp_snic_mcast_data(const struct net *net, int ifindex,
					u32 tenant, enum rp_dir dir,
					struct sk_buff *skb,
					const struct rp_roce_pkt *pkt);
enum rp_snic_verdict rp_snic_mcast_miss(struct net_device *dev,
					struct sk_buff *skb);
enum rp_snic_verdict rp_snic_mcast_report(struct net_device *dev,
					  struct sk_buff *skb);
int rp_snic_mcast_init(void);
void rp_snic_mcast_exit(void);

/* Is @a a multicast group (IPv4 v4-mapped 224.0.0.0/4, or ff00::/8)? */
static inline bool rp_snic_is_group(const struct in6_addr *a)
{
	if (!a->s6_addr32[0] && !a->s6_addr32[1] &&
	    a->s6_addr32[2] == htonl(0xffff))		/* v4-mapped */
		return (a->s6_addr[12] & 0xf0) == 0xe0;
	return a->s6_addr[0] == 0xff;
}

/* snic_hook.c: the per-packet hook */
extern bool rp_snic_check_icrc;
enum rp_snic_verdict rp_snic_classify(const struct net *net, int ifindex,
				      u32 tenant, enum rp_dir dir,
				      struct sk_buff *skb);
enum rp_snic_verdict rp_snic_classify_full(const struct net *net,
					   int ifindex, u32 tenant,
					   enum rp_dir dir,
					   struct sk_buff *skb,
					   struct rp_roce_pkt *pkt);
bool rp_snic_origin_ok(const struct net *net, const struct sk_buff *skb,
		       int ifindex, u32 tenant);

/* snic_fast.c: the fast route of common data packets */
extern bool rp_snic_fast_on;
enum rp_snic_verdict rp_snic_fast(const struct net *net, int ifindex,
				  u32 tenant, enum rp_dir dir,
				  struct sk_buff *skb);
void rp_snic_fast_init(void);
unsigned int rp_snic_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);
unsigned int rp_snic_overlay_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state);

/* snic_port.c: bound ports */
struct rp_snic_port_key {
	u32 netns;			/* the namespace's inode number */
	int ifindex;
};

/*
 * A bound port: a VM's (hooked both ways), or an overlay device that
 * carries a tenant to other hosts (a remote address space's port: a
 * vxlan; hooked where packets go into it, rp_snic_overlay_hook()).
 */
struct rp_snic_port {
	struct list_head list;		/* in rp_snic_ports (RCU list) */
	struct rhash_head node;		/* in rp_snic_port_table, by key */
	struct rp_snic_port_key key;
	struct net_device *dev;		/* held (netdev_hold) while bound */
	netdevice_tracker dev_tracker;
	struct nf_hook_ops ops[RP_DIRS];
	unsigned int nops;		/* hooks in ops: 2, an overlay 1 */
	bool overlay;
	struct rp_snic_stats __percpu *stats;
	u32 tenant;			/* its VM's; WRITE_ONCE under lock */
};

/* bound ports: changed under rp_snic_lock, read under RCU (counters) */
extern struct list_head rp_snic_ports;

int rp_snic_bind(struct net_device *dev, u32 tenant, bool retag);
bool rp_snic_kind_ok(const struct net_device *dev);
bool rp_snic_is_overlay(const struct net_device *dev);
struct rp_snic_port *rp_snic_port_lookup(const struct net *net, int ifindex);
int rp_snic_port_init(void);
void rp_snic_port_exit(void);
int rp_snic_unbind(struct net_device *dev);
void rp_snic_unbind_all(void);
int rp_snic_notifier_init(void);
void rp_snic_notifier_exit(void);

/* snic_stats.c: the ports' counters */
void rp_snic_show_ports(struct seq_file *m);
int rp_snic_port_stats(void *priv, const struct net *net, unsigned int idx,
		       struct rp_nic_port_stats *st);

/* snic_shim.c: what the core sees of the NIC */
#if IS_ENABLED(CONFIG_KUNIT)
int rp_snic_query(void *priv, const struct net *net, u32 conn_id,
		  const struct rp_flow flows[2], struct rp_nic_conn_info *info);
#endif
int rp_snic_nic_register(void);
void rp_snic_nic_unregister(void);

/* snic_main.c: the NIC up (probe) and down (remove) */
int rp_snic_up(void);
void rp_snic_down(void);

/* snic_bus.c: the NIC's device, snic0, and its driver */
int rp_snic_bus_init(void);
void rp_snic_bus_exit(void);

/* snic_debugfs.c: the control directory */
int rp_snic_debugfs_init(void);
void rp_snic_debugfs_exit(void);

#endif /* _RP_SNIC_H */
