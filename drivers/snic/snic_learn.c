// SPDX-License-Identifier: GPL-2.0
/*
 * Learned flows in the emulated NIC: the miss path hands a data packet a
 * VM sent that matches no installed flow to the core (rp_learn(), see
 * include/rdmapolicy/shim.h), and the core installs what it learned
 * through the ops below.
 *
 * A learned flow is one direction only.  It lives in a struct
 * rp_snic_conn like a connection's two flows, so the hit path is the same
 * for both: flow[0] is the learned flow, in the flow table; flow[1] is
 * never in the table (marked RP_SNIC_ST_LEARNED) and only stands for the
 * other direction in the rights check: it grants every right, so the
 * learned flow passes every response (responses answer the other
 * direction's requests, which that direction's own flow was checked for),
 * and its requests only within the flow's own rights.  The PSN window is
 * off for learned flows: the other direction's PSNs, which responses
 * echo, are not known to this flow.  A learned UD flow is bound to the
 * sending QP of its first packet (the DETH's source QPN, kept in flow[1]'s
 * key, RP_SNIC_ST_SQPN): another QP's packets are dropped as spoofed.
 * Every learned flow keeps to the QP type of its first packet (flow[1]'s
 * RP_SNIC_ST_TRANSPORT): another transport's opcodes are not granted.
 *
 * Activity: the hit path sets RP_SNIC_ST_USED in a flow's state when it
 * passes a packet and the bit is clear (rp_snic_flow_touch()); used()
 * reads and clears it, so the core sees whether the flow carried anything
 * since it last asked.
 *
 * Locking as snic_flow.c: the table's own bucket locks, RCU lookups,
 * objects freed after a grace period (rp_snic_conn_retire()).
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <rdma/ib_pack.h>
#include <uapi/linux/rdmapolicy.h>

#include "snic.h"

/* RP_SNIC_ST_TRANSPORT of a QP type: its opcodes' top three bits, plus one */
static u32 rp_snic_transport(u32 qp_type)
{
	switch (qp_type) {
	case RP_QP_RC:
		return (IB_OPCODE_RC >> 5) + 1;
	case RP_QP_UC:
		return (IB_OPCODE_UC >> 5) + 1;
	case RP_QP_UD:
		return (IB_OPCODE_UD >> 5) + 1;
	case RP_QP_XRC:
		return (0xa0 >> 5) + 1;	/* XRC, which 6.1's ib_pack.h lacks */
	default:
		return 0;		/* any */
	}
}

/* A slot and an object, as rp_snic_install() takes them (fail_install too) */
static struct rp_snic_conn *rp_snic_learned_alloc(void)
{
	struct rp_snic_conn *c = NULL;

	if (!atomic_add_unless(&rp_snic_nconns, 1, RP_SNIC_MAX_CONNS))
		return ERR_PTR(-ENOSPC);
	if (!atomic_add_unless(&rp_snic_fail_install, -1, 0))
		c = kmem_cache_zalloc(rp_snic_conn_cache, GFP_ATOMIC);
	if (!c) {
		atomic_dec(&rp_snic_nconns);
		return ERR_PTR(-ENOMEM);
	}
	return c;
}

/* The learned flow @conn_id of key @f.  Context: rcu_read_lock(). */
static struct rp_snic_flow *rp_snic_learned_find(const struct net *net,
						 u32 conn_id,
						 const struct rp_flow *f)
{
	struct rp_roce_pkt pkt = {
		.saddr = f->saddr, .daddr = f->daddr, .dqpn = f->dqpn,
	};
	struct rp_snic_flow *flow = rp_snic_flow_lookup(net, f->tenant, &pkt);

	if (!flow || (flow->state & RP_SNIC_ST_DIR) ||
	    flow->conn_id != conn_id ||
	    !(rp_snic_flow_peer(flow)->state & RP_SNIC_ST_LEARNED))
		return NULL;
	return flow;
}

int rp_snic_learn(void *priv, const struct net *net, u32 conn_id,
		  const struct rp_flow *f)
{
	struct rp_snic_conn *c;
	int err;

	c = rp_snic_learned_alloc();
	if (IS_ERR(c))
		return PTR_ERR(c);
	rp_snic_key(&c->flow[0].key, net, f);
	c->flow[0].src_ifindex = f->src_ifindex;
	c->flow[0].conn_id = conn_id;
	/* no PSN window (see above); the first PSN for the record */
	c->flow[0].state = FIELD_PREP(RP_SNIC_ST_PSN,
				      (f->psn - 1) & RP_SNIC_ST_PSN) |
			   FIELD_PREP(RP_SNIC_ST_RIGHTS,
				      f->rights & RP_RIGHT_ALL);
	c->flow[1].conn_id = conn_id;
	c->flow[1].state = RP_SNIC_ST_DIR | RP_SNIC_ST_LEARNED |
			   FIELD_PREP(RP_SNIC_ST_RIGHTS, RP_RIGHT_ALL) |
			   FIELD_PREP(RP_SNIC_ST_TRANSPORT,
				      rp_snic_transport(f->qp_type));
	if (f->sqpn) {
		c->flow[1].key.dqpn = f->sqpn;
		c->flow[1].state |= RP_SNIC_ST_SQPN;
	}
	err = rhashtable_lookup_insert_fast(&rp_snic_flows, &c->flow[0].node,
					    rp_snic_flow_params);
	if (err) {
		kmem_cache_free(rp_snic_conn_cache, c);
		atomic_dec(&rp_snic_nconns);
	}
	return err;
}
EXPORT_SYMBOL_NS_GPL(rp_snic_learn, RP_SNIC_INTERNAL);

void rp_snic_unlearn(void *priv, const struct net *net, u32 conn_id,
		     const struct rp_flow *f)
{
	struct rp_snic_flow *flow;

	rcu_read_lock();
	flow = rp_snic_learned_find(net, conn_id, f);
	if (flow && !rhashtable_remove_fast(&rp_snic_flows, &flow->node,
					    rp_snic_flow_params)) {
		atomic_dec(&rp_snic_nconns);
		rp_snic_conn_retire(container_of(flow, struct rp_snic_conn,
						 flow[0]));
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_NS_GPL(rp_snic_unlearn, RP_SNIC_INTERNAL);

/* Did the flow pass a packet since the last call?  Clears the mark. */
int rp_snic_used(void *priv, const struct net *net, u32 conn_id,
		 const struct rp_flow *f)
{
	struct rp_snic_flow *flow;
	u32 old;
	int r;

	rcu_read_lock();
	flow = rp_snic_learned_find(net, conn_id, f);
	if (!flow) {
		rcu_read_unlock();
		return -ENOENT;
	}
	old = READ_ONCE(flow->state);
	while ((old & RP_SNIC_ST_USED) &&
	       !try_cmpxchg(&flow->state, &old, old & ~RP_SNIC_ST_USED))
		;
	r = !!(old & RP_SNIC_ST_USED);
	rcu_read_unlock();
	return r;
}
EXPORT_SYMBOL_NS_GPL(rp_snic_used, RP_SNIC_INTERNAL);

/* Is a packet on a learned UD flow from the flow's QP (the DETH's)? */
static bool rp_snic_learned_sqpn_ok(struct rp_snic_flow *flow,
				    const struct sk_buff *skb,
				    const struct rp_roce_pkt *pkt)
{
	__be32 buf;
	const __be32 *p;

	if (!(pkt->ext & RP_EXT_DETH))
		return false;
	/* the DETH: Q_Key, then 8 reserved bits and the source QPN */
	p = skb_header_pointer(skb, skb_network_offset(skb) + pkt->bth_off +
			       IB_BTH_BYTES + 4, sizeof(buf), &buf);
	return p && (be32_to_cpup(p) & 0xffffff) ==
		    rp_snic_flow_peer(flow)->key.dqpn;
}

/**
 * rp_snic_learned_check() - may a packet go on the learned flow it matched?
 * @flow: the learned flow (flow[0])
 * @peer_state: flow[1]'s state (RP_SNIC_ST_LEARNED set)
 * @skb: the packet (its network header is where the parse began: RoCE
 *	 under an in-band VLAN tag never gets here)
 * @pkt: its parse
 *
 * Its opcode must be of the QP type the flow was learned as (a flow
 * learned from an RC packet carries no UD SEND: a UD SEND's rights are
 * not an RC SEND's, and UD binds the sending QP); a CNP, of no QP type,
 * goes on any.  A UD flow bound to a QP (RP_SNIC_ST_SQPN): the DETH's
 * source QPN must be the one of the flow's first packet.
 * Context: the hook's.
 * Return: RP_SNIC_PASS, RP_SNIC_NO_RIGHT (another QP type) or
 * RP_SNIC_SPOOFED (another sending QP).
 */
enum rp_snic_verdict rp_snic_learned_check(struct rp_snic_flow *flow,
					   u32 peer_state,
					   const struct sk_buff *skb,
					   const struct rp_roce_pkt *pkt)
{
	u32 tr = FIELD_GET(RP_SNIC_ST_TRANSPORT, peer_state);

	if (tr && pkt->class != RP_CLASS_CNP && (pkt->opcode >> 5) + 1 != tr)
		return RP_SNIC_NO_RIGHT;
	if ((peer_state & RP_SNIC_ST_UD_BOUND) == RP_SNIC_ST_UD_BOUND &&
	    !rp_snic_learned_sqpn_ok(flow, skb, pkt))
		return RP_SNIC_SPOOFED;
	return RP_SNIC_PASS;
}

/**
 * rp_snic_learn_miss() - the miss path: a data packet of no installed flow
 * @dev: the port
 * @dir: which way it goes
 * @skb: the packet
 *
 * What the VM sent goes to the core, which may learn its flow; what goes
 * to the VM is not learned here (it is learned, and flagged, where it
 * leaves its sender's port, or is not ours to learn).
 * Context: the hook's (rcu_read_lock(), BHs off).
 * Return: RP_SNIC_PASS if the core learned the flow, else RP_SNIC_NO_FLOW.
 */
enum rp_snic_verdict rp_snic_learn_miss(struct net_device *dev,
					enum rp_dir dir, struct sk_buff *skb)
{
	if (dir == RP_DIR_FROM_VM && rp_learn(dev, skb) == RP_EXC_FORWARD)
		return RP_SNIC_PASS;
	return RP_SNIC_NO_FLOW;
}
