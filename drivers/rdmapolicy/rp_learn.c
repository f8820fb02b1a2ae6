// SPDX-License-Identifier: GPL-2.0
/*
 * Learned flows: the first-packet exception path for QPs set up without
 * RDMA CM (QP numbers swapped over TCP: perftest without -R, the
 * ibv_*_pingpong tools, NCCL, UCX, MPI).  A NIC hands the core a RoCEv2
 * data packet that a VM sent and that matches no installed flow
 * (rp_learn(), include/rdmapolicy/shim.h).  The core checks that the VM
 * owns the source address (as for CM messages), asks the policy (rules
 * with setup "any"), and when allowed tracks a learned flow for that
 * direction (source, destination, destination QPN, tenant) and installs
 * it in the NICs; the packet itself then passes.  Each direction is
 * learned from its own first packet.  Documentation/learned.rst.
 *
 * Runs in the NIC's packet path: softirq, rcu_read_lock() held.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/unaligned.h>
#include <rdma/ib_hdrs.h>
#include <rdma/ib_pack.h>

#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

#include "rp_conn.h"
#include "rp_event.h"
#include "rp_exc.h"
#include "rp_learn.h"
#include "rp_learn_guard.h"
#include "rp_net.h"
#include "rp_policy.h"

#define RP_LEARN_RETRY	(RP_EXC_DROP + 1)	/* configuration changed */
#define RP_LEARN_RETRIES	4

static void rp_learn_count(struct rp_net *rn, enum rp_exc_ctr c)
{
	atomic64_inc(&rn->exc[c]);
}

/* The QP type of an opcode (its transport, the top three bits), or 0. */
u32 rp_learn_qp_type(u8 opcode)
{
	switch (opcode & 0xe0) {
	case IB_OPCODE_RC:
		return RP_QP_RC;
	case IB_OPCODE_UC:
		return RP_QP_UC;
	case IB_OPCODE_UD:
		return RP_QP_UD;
	case 0xa0:		/* XRC, which <rdma/ib_pack.h> of 6.1 lacks */
		return RP_QP_XRC;
	default:		/* RD, CNP: no flow of their own is learned */
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_qp_type);

/*
 * May a flow granting @rights carry this first packet?  Requests need
 * their right; responses and ACKs answer requests of the other direction,
 * which its own flow was checked for, and always pass (as in the NIC).
 */
bool rp_learn_class_ok(u32 rights, u8 class)
{
	switch (class) {
	case RP_CLASS_SEND:
		return rights & RP_RIGHT_SEND;
	case RP_CLASS_WRITE:
		return rights & RP_RIGHT_WRITE;
	case RP_CLASS_READ_REQ:
		return rights & RP_RIGHT_READ;
	case RP_CLASS_ATOMIC:
		return rights & RP_RIGHT_ATOMIC;
	case RP_CLASS_READ_RESP:
	case RP_CLASS_ATOMIC_ACK:
	case RP_CLASS_ACK:
		return true;
	default:
		return false;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_class_ok);

/*
 * Refused: counted per namespace (@ctr) and VM, an event.  There is no CM
 * to answer: the peer's QP times out.  Not cached: what may pass a moment
 * later (a rate, a requester's flow still to come).
 */
static enum rp_exc_verdict rp_learn_refuse(struct rp_learn_ctx *x,
					   enum rp_exc_ctr ctr, u32 rule_id,
					   const char *why)
{
	rp_learn_count(x->rn, ctr);
	atomic64_inc(&x->vm->ctr->denied);
	rp_conn_event(x->rn->net, RP_EV_CONN_DENIED, x->vm->s.tenant,
		      x->vm->s.id, rule_id, why);
	return RP_EXC_DROP;
}

/*
 * Denied: refused, and remembered in the VM's negative cache so that the
 * sender's retransmissions and floods cost a lookup.
 */
static enum rp_exc_verdict rp_learn_deny(struct rp_learn_ctx *x,
					 enum rp_exc_ctr ctr, u32 rule_id,
					 const char *why)
{
	rp_learn_refuse(x, ctr, rule_id, why);
	rp_learn_neg_add(&x->rn->learn_neg, &x->vm->ctr->neg, x->gen,
			 x->ifindex, &x->pkt);
	return RP_EXC_DROP;
}

/*
 * @again: decided once already (the configuration changed meanwhile): the
 * rule's hits counted the decision then.
 * Return: an enum rp_exc_verdict, or RP_LEARN_RETRY
 */
static int rp_learn_flow(struct rp_learn_ctx *x, bool again)
{
	struct rp_conntrack *ct = &x->rn->conns;
	u32 tenant = x->vm->s.tenant, max;
	struct rp_query q = { .setup = RP_SETUP_LEARNED };
	struct rp_decision d;
	struct rp_conn *n;
	bool as_resp;
	u32 rule_id;
	int err;

	q.src_vm = x->vm;
	q.dst_vm = rp_vm_by_addr(x->t, tenant, &x->pkt.daddr);
	q.saddr = x->pkt.saddr;
	q.daddr = x->pkt.daddr;
	q.qp_type = x->qp_type;
	q.recheck = again;
	rp_policy_eval_learned(x->t, &q, &d, &as_resp);
	if (d.action != RP_ACT_ALLOW)
		return rp_learn_deny(x, RP_EXC_CTR_LEARN_DENIED,
				     d.rule ? d.rule->s.id : 0,
				     d.rule ? "denied by rule (setup learned)" :
					      "no rule allows (setup learned)");
	if (!rp_learn_class_ok(d.rights, x->pkt.class))
		return rp_learn_deny(x, RP_EXC_CTR_LEARN_DENIED, d.rule->s.id,
				     "opcode not granted (setup learned)");

	spin_lock(&ct->lock);
	/* as rp_exc_req(): decided on tables a revalidation has passed */
	if (READ_ONCE(ct->gen) != x->gen) {
		spin_unlock(&ct->lock);
		return RP_LEARN_RETRY;
	}
	/* learned by another CPU a moment ago */
	n = rp_conn_lookup_learned(ct, tenant, &x->pkt.saddr, &x->pkt.daddr,
				   x->pkt.dqpn);
	if (n) {
		x->conn_id = n->id;
		spin_unlock(&ct->lock);
		/* as the NIC would: not a packet of another QP type */
		return n->installed && n->qp_type == x->qp_type ?
		       RP_EXC_FORWARD : RP_EXC_DROP;
	}
	/*
	 * The responder of the other direction answers only what it was
	 * asked: a learned requester flow towards it (UD: from the QP it
	 * sends to, to the QP it sends from; RC and UC: of that pair and QP
	 * type, see rp_conn_answers()).  Not cached: the requester's first
	 * packet may come a moment later.
	 */
	if (as_resp &&
	    !rp_conn_answers(ct, tenant, &x->pkt.saddr, &x->pkt.daddr,
			     x->pkt.dqpn, x->sqpn, x->qp_type)) {
		spin_unlock(&ct->lock);
		return rp_learn_refuse(x, RP_EXC_CTR_LEARN_DENIED, d.rule->s.id,
				       "responder: no requester flow (setup learned)");
	}
	max = READ_ONCE(rp_learn_vm_max);
	if (max && atomic_read(&x->vm->ctr->learned) >= max) {
		spin_unlock(&ct->lock);
		return rp_learn_deny(x, RP_EXC_CTR_LEARN_FULL, d.rule->s.id,
				     "learned flows limit reached (setup learned)");
	}
	/* the VM's max-conns and setup-rate, as for its REQs (rp_exc.c) */
	if (rp_exc_vm_full(x->vm)) {
		spin_unlock(&ct->lock);
		return rp_learn_deny(x, RP_EXC_CTR_LEARN_FULL, d.rule->s.id,
				     "max-conns reached (setup learned)");
	}
	if (!rp_exc_rate_ok(x->vm)) {
		spin_unlock(&ct->lock);
		/* not cached: the sender retransmits, a later one may pass */
		return rp_learn_refuse(x, RP_EXC_CTR_LEARN_RATE_LIMITED,
				       d.rule->s.id,
				       "setup-rate exceeded (setup learned)");
	}
	rule_id = d.rule->s.id;
	/* built in place, as a REQ's (rp_exc.c) */
	n = rp_conn_alloc(ct);
	if (!IS_ERR_OR_NULL(n)) {
		n->key.addr = x->pkt.saddr;
		n->key.daddr = x->pkt.daddr;
		n->key.comm_id = x->pkt.dqpn;
		n->key.tenant = tenant;
		n->key.learned = 1;
		n->state = RP_CONN_STATE_LEARNED;
		n->as_responder = as_resp;
		n->req_vm = x->vm->s.id;
		n->rep_vm = q.dst_vm ? q.dst_vm->s.id : 0;
		n->req_ifindex = x->ifindex;
		n->rep_addr = x->pkt.daddr;
		n->rep_qpn = x->pkt.dqpn;
		n->req_qpn = x->sqpn;
		n->req_psn = x->pkt.psn;
		n->qp_type = x->qp_type;
		n->rights = d.rights;
		n->rule_id = rule_id;
		n = rp_conn_add(ct, n);
	}
	if (IS_ERR_OR_NULL(n)) {
		spin_unlock(&ct->lock);
		return rp_learn_deny(x, RP_EXC_CTR_LEARN_FULL, rule_id,
				     "connection table full (setup learned)");
	}
	atomic_inc(&x->vm->ctr->learned);
	err = as_resp ? 0 : rp_conn_pair_add(ct, n);
	if (!err)
		err = rp_conn_install(ct, n);
	if (err) {
		/* never announced: no destroyed event, a denied one says why */
		rp_conn_del(ct, n, NULL);
		spin_unlock(&ct->lock);
		return rp_learn_refuse(x, RP_EXC_CTR_INSTALL_FAILED, rule_id,
				       "install failed (setup learned)");
	}
	x->conn_id = n->id;
	spin_unlock(&ct->lock);
	atomic64_inc(&x->vm->ctr->allowed);
	rp_learn_count(x->rn, RP_EXC_CTR_LEARN_ALLOWED);
	rp_conn_event(x->rn->net, RP_EV_CONN_NEW, tenant, x->vm->s.id,
		      rule_id, "setup learned");
	return RP_EXC_FORWARD;
}

/**
 * rp_learn_decide() - decide the first data packet of a flow, as bytes
 * @x: in: rn, ifindex, l3, l3len, pktlen, l3proto, mac; out: the parse,
 *     qp_type, sqpn, conn_id
 *
 * In order: framing; the port's VM; its negative cache; anti-spoofing
 * (the VM must own the source address, by longest prefix, and MAC); the
 * VM's rate of decisions; the policy; the VM's bound on learned flows.
 * Context: softirq or BHs off; rcu_read_lock() held.
 * Return: RP_EXC_FORWARD if the flow is learned (installed), else
 * RP_EXC_DROP.
 */
enum rp_exc_verdict rp_learn_decide(struct rp_learn_ctx *x)
{
	int r, tries = 0;

	rp_learn_count(x->rn, RP_EXC_CTR_LEARN_PACKETS);
	if (rp_roce_parse(x->l3, x->l3len, x->pktlen, x->l3proto,
			  &x->pkt) != RP_ROCE_OK || x->pkt.dqpn == RP_QPN_GSI) {
		rp_learn_count(x->rn, RP_EXC_CTR_MALFORMED);
		return RP_EXC_DROP;
	}
	x->qp_type = rp_learn_qp_type(x->pkt.opcode);
	if (!x->qp_type) {
		rp_learn_count(x->rn, RP_EXC_CTR_UNSUPPORTED);
		return RP_EXC_DROP;
	}
	/*
	 * UD: the sender's QPN, from the DETH (Q_Key, then 8 bits + QPN),
	 * which the flow is bound to.  QP0 and QP1 send no UD data (0 would
	 * also leave the flow bound to no QP).
	 */
	if (x->pkt.ext & RP_EXT_DETH) {
		x->sqpn = get_unaligned_be32(x->l3 + x->pkt.bth_off +
					     IB_BTH_BYTES + 4) & IB_QPN_MASK;
		if (x->sqpn <= RP_QPN_GSI) {
			rp_learn_count(x->rn, RP_EXC_CTR_MALFORMED);
			return RP_EXC_DROP;
		}
	}

again:
	/* pairs with rp_conn_revalidate()'s release: tables this new */
	x->gen = smp_load_acquire(&x->rn->conns.gen);
	x->t = rcu_dereference(x->rn->tables);
	x->vm = x->t ? rp_vm_by_port(x->t, x->ifindex) : NULL;
	if (!x->vm) {
		rp_learn_count(x->rn, RP_EXC_CTR_NO_VM);
		return RP_EXC_DROP;
	}
	/*
	 * A flood of denied first packets stops here: the VM's own slots,
	 * denials under this configuration only.
	 */
	if (!tries && rp_learn_neg_hit(&x->rn->learn_neg, &x->vm->ctr->neg,
				       x->gen, x->ifindex, &x->pkt)) {
		rp_learn_count(x->rn, RP_EXC_CTR_LEARN_CACHED);
		return RP_EXC_DROP;
	}
	if (!rp_exc_sender_ok(x->t, x->vm, x->mac, &x->pkt.saddr)) {
		rp_learn_count(x->rn, RP_EXC_CTR_LEARN_SPOOFED);
		rp_learn_neg_add(&x->rn->learn_neg, &x->vm->ctr->neg, x->gen,
				 x->ifindex, &x->pkt);
		return RP_EXC_DROP;
	}
	/* the first datagram of a SIDR exchange (rp_exc_sidr.c) */
	r = rp_exc_sidr_bind(x);
	if (r == -EAGAIN && ++tries < RP_LEARN_RETRIES)
		goto again;
	if (r != -ENOENT)
		return r == RP_EXC_FORWARD ? RP_EXC_FORWARD : RP_EXC_DROP;
	if (!tries && !rp_learn_rate_ok(x->vm)) {
		rp_learn_count(x->rn, RP_EXC_CTR_LEARN_RATE_LIMITED);
		return RP_EXC_DROP;
	}
	r = rp_learn_flow(x, tries);
	if (r == RP_LEARN_RETRY && ++tries < RP_LEARN_RETRIES)
		goto again;
	return r == RP_EXC_FORWARD ? RP_EXC_FORWARD : RP_EXC_DROP;
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_decide);

/**
 * rp_learn() - decide a data packet of no installed flow a NIC handed over
 * @port: the VM port it came in on (the VM sent it)
 * @skb: the packet; its network header is set
 *
 * Context: see include/rdmapolicy/shim.h.
 * Return: RP_EXC_FORWARD (the flow is learned and @skb carries the
 * processed flag) or RP_EXC_DROP.
 */
enum rp_exc_verdict rp_learn(struct net_device *port, struct sk_buff *skb)
{
	struct rp_learn_ctx x = {
		.rn = rp_net(dev_net(port)),
		.ifindex = port->ifindex,
		.l3proto = ntohs(skb->protocol),
	};
	int off = skb_network_offset(skb);
	u8 buf[RP_ROCE_MAX_HDR];

	if (off < 0 || skb->len <= off || skb_is_gso(skb))
		goto malformed;
	x.pktlen = skb->len - off;
	x.l3len = min_t(unsigned int, x.pktlen, sizeof(buf));
	x.l3 = skb_header_pointer(skb, off, x.l3len, buf);
	if (!x.l3)
		goto malformed;
	if (skb_mac_header_was_set(skb) &&
	    skb_network_header(skb) - skb_mac_header(skb) >= ETH_HLEN)
		x.mac = eth_hdr(skb)->h_source;
	if (rp_learn_decide(&x) != RP_EXC_FORWARD)
		return RP_EXC_DROP;
	skb->mark |= rp_processed_mark;
	return RP_EXC_FORWARD;

malformed:
	rp_learn_count(x.rn, RP_EXC_CTR_LEARN_PACKETS);
	rp_learn_count(x.rn, RP_EXC_CTR_MALFORMED);
	return RP_EXC_DROP;
}
EXPORT_SYMBOL_GPL(rp_learn);
