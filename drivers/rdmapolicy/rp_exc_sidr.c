// SPDX-License-Identifier: GPL-2.0
/*
 * SIDR: UD services over RDMA CM (RDMA_PS_UDP, rdma-core's udaddy).  A
 * requester asks a service for a UD QP with a SIDR_REQ; the responder
 * answers with a SIDR_REP naming its UD QPN and Q_Key; then both send UD
 * datagrams.  There is no RTU and no DREQ.
 *
 * - SIDR_REQ: judged like a REQ (rp_exc.c): the RDMA CM IP header must
 *   name the packet's addresses, the policy decides (service: the service
 *   id's port space and port; QP type UD; setup cm), the requester's
 *   limits apply, and the exchange is tracked (setup sidr, state req)
 *   under its tenant, both addresses and its Request ID.  Denied, it is
 *   answered with a SIDR_REP of status REJECT (rp_rej.c): the requester's
 *   rdma_cm reports RDMA_CM_EVENT_UNREACHABLE at once.
 * - SIDR_REP: passes only if it answers a tracked SIDR_REQ (the Request
 *   ID, the addresses swapped) and comes from the side the SIDR_REQ was
 *   for.  A rejecting one ends the exchange; an accepting one makes it
 *   established and re-keys it by the responder's UD QPN.
 * - The flows: requester -> responder's QPN (from the SIDR_REP) and
 *   responder -> requester's QPN, which no CM message names (the SIDR_REQ
 *   comes from QP1): it is the source QPN (DETH) of the requester's first
 *   datagram.  That datagram matches no flow, so its NIC hands it to
 *   rp_learn(), which asks rp_exc_sidr_bind() first: both flows are then
 *   installed through the NICs' learned-flow ops, each bound to its
 *   sending QP (shim.h).  A requester behind no port of this host sends
 *   its datagrams towards the responder's port, where no miss is handed
 *   over: its flow (any of its QPs) is installed at the SIDR_REP and the
 *   other one from the responder's first datagram (its destination QPN).
 * - Expiry: as learned flows, after learn_idle_timeout without a packet
 *   (or without its first datagram); a SIDR_REQ without SIDR_REP after
 *   halfopen_timeout.  Configuration changes decide it again like a
 *   connection.
 *
 * Runs in the NIC's packet path: softirq, rcu_read_lock() held.  No
 * sk_buff here: KUnit feeds byte buffers.
 */
#include <linux/jiffies.h>
#include <net/ipv6.h>
#include <rdma/ib_cm.h>
#include <rdma/rdma_user_cm.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>

#include "rp_conn.h"
#include "rp_event.h"
#include "rp_exc.h"
#include "rp_learn.h"
#include "rp_net.h"
#include "rp_policy.h"

static void rp_sidr_count(struct rp_net *rn, enum rp_exc_ctr c)
{
	atomic64_inc(&rn->exc[c]);
}

/* The key of an exchange by its requester and @id (Request ID or QPN). */
static void rp_sidr_key(struct rp_conn_key *k, u32 tenant,
			const struct in6_addr *req, const struct in6_addr *rep,
			u32 kind, u32 id)
{
	memset(k, 0, sizeof(*k));
	k->addr = *req;
	k->daddr = *rep;
	k->comm_id = id;
	k->tenant = tenant;
	k->sidr = kind;
}

/**
 * rp_exc_sidr_req() - decide a SIDR_REQ
 * @x: the exception path's context, sender known (rp_exc_decide())
 *
 * Return: an enum rp_exc_verdict, or RP_EXC_RETRY.
 */
int rp_exc_sidr_req(struct rp_exc_ctx *x)
{
	struct rp_conntrack *ct = &x->rn->conns;
	u32 tenant = x->port_vm->s.tenant, max;
	struct rp_vm *src = x->sender, *dst;
	struct rp_query q = { };
	struct rp_conn_key key;
	struct rp_decision d;
	struct rp_conn *n;

	/* the RDMA CM IP header must name the packet's addresses */
	if (x->m.has_cma && (!ipv6_addr_equal(&x->m.cma_src, &x->pkt.saddr) ||
			     !ipv6_addr_equal(&x->m.cma_dst, &x->pkt.daddr))) {
		rp_sidr_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	dst = x->dir == RP_DIR_FROM_VM ?
	      rp_vm_by_addr(x->t, tenant, &x->pkt.daddr) : x->port_vm;
	q.src_vm = src;
	q.dst_vm = dst;
	q.saddr = x->pkt.saddr;
	q.daddr = x->pkt.daddr;
	if (x->m.rdma_cm) {
		q.ps = x->m.ps;
		q.port = x->m.port;
	}
	q.qp_type = RP_QP_UD;
	rp_policy_eval(x->t, &q, &d);
	rp_sidr_count(x->rn, RP_EXC_CTR_DECISIONS);
	if (d.action != RP_ACT_ALLOW)
		return rp_exc_deny(x, d.rule ? d.rule->s.id : 0,
				   d.rule ? "denied by rule (setup sidr)" :
					    "no rule allows (setup sidr)");

	spin_lock(&ct->lock);
	/* as rp_exc_req(): decided on tables a revalidation has passed */
	if (rp_exc_stale(x)) {
		spin_unlock(&ct->lock);
		return RP_EXC_RETRY;
	}
	rp_sidr_key(&key, tenant, &x->pkt.saddr, &x->pkt.daddr,
		    RP_CONN_SIDR_REQ, x->m.request_id);
	/* a retransmitted SIDR_REQ: already decided */
	if (rp_conn_lookup_key(ct, &key)) {
		spin_unlock(&ct->lock);
		rp_sidr_count(x->rn, RP_EXC_CTR_RETRANSMIT);
		return RP_EXC_FORWARD;
	}
	/* the requester's limits, as for a REQ: an exchange counts as one */
	max = src ? src->s.max_conns ?: READ_ONCE(rp_conn_vm_max) : 0;
	if (src && max && atomic_read(&src->ctr->conns) >= max) {
		spin_unlock(&ct->lock);
		return rp_exc_deny(x, d.rule->s.id,
				   "max-conns reached (setup sidr)");
	}
	if (!src && ct->anon >= READ_ONCE(rp_conn_anon_max)) {
		spin_unlock(&ct->lock);
		return rp_exc_deny(x, d.rule->s.id,
				   "max-conns of unknown requesters reached (setup sidr)");
	}
	if (src && !rp_exc_rate_ok(src)) {
		spin_unlock(&ct->lock);
		return rp_exc_deny(x, d.rule->s.id,
				   "setup-rate exceeded (setup sidr)");
	}
	/* built in place, as a REQ's (rp_exc.c) */
	n = rp_conn_alloc(ct);
	if (!IS_ERR_OR_NULL(n)) {
		n->key = key;
		n->state = RP_CONN_STATE_REQ;
		n->req_vm = src ? src->s.id : 0;
		n->req_ifindex = x->dir == RP_DIR_FROM_VM ? x->ifindex : 0;
		n->rep_vm = dst ? dst->s.id : 0;
		n->rep_addr = x->pkt.daddr;
		n->ps = q.ps;
		n->port = q.port;
		n->qp_type = RP_QP_UD;
		/* UD carries SENDs only */
		n->rights = d.rights & RP_RIGHT_SEND;
		n->reply_rights = d.reply_rights & RP_RIGHT_SEND;
		n->rule_id = d.rule->s.id;
		n = rp_conn_add(ct, n);
	}
	if (IS_ERR_OR_NULL(n)) {
		spin_unlock(&ct->lock);
		return rp_exc_deny(x, d.rule->s.id,
				   "connection table full (setup sidr)");
	}
	if (src) {
		atomic_inc(&src->ctr->conns);
		atomic64_inc(&src->ctr->allowed);
	}
	spin_unlock(&ct->lock);
	rp_conn_event(x->rn->net, RP_EV_CONN_NEW, tenant, src ? src->s.id : 0,
		      d.rule->s.id, "setup sidr");
	return RP_EXC_FORWARD;
}

/**
 * rp_exc_sidr_rep() - decide a SIDR_REP
 * @x: the exception path's context, sender known (rp_exc_decide())
 *
 * Return: an enum rp_exc_verdict, or RP_EXC_RETRY.
 */
int rp_exc_sidr_rep(struct rp_exc_ctx *x)
{
	struct rp_conntrack *ct = &x->rn->conns;
	u32 tenant = x->port_vm->s.tenant;
	struct rp_conn_key key;
	struct rp_conn *c;
	int err;

	/* it answers the requester's Request ID: addresses swapped */
	rp_sidr_key(&key, tenant, &x->pkt.daddr, &x->pkt.saddr,
		    RP_CONN_SIDR_REQ, x->m.request_id);
	spin_lock(&ct->lock);
	if (rp_exc_stale(x)) {
		spin_unlock(&ct->lock);
		return RP_EXC_RETRY;
	}
	c = rp_conn_lookup_key(ct, &key);
	if (!c) {
		/*
		 * The requester's CM matches a SIDR_REP by the Request ID
		 * alone: an untracked one could answer another VM's request.
		 */
		spin_unlock(&ct->lock);
		rp_sidr_count(x->rn, RP_EXC_CTR_UNTRACKED);
		return RP_EXC_DROP;
	}
	/* from the side the SIDR_REQ was for, when it was decided */
	if ((x->sender ? x->sender->s.id : 0) != c->rep_vm) {
		spin_unlock(&ct->lock);
		rp_sidr_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	if (x->m.sidr_status != IB_SIDR_SUCCESS) {
		rp_conn_del(ct, c, "rejected by peer (setup sidr)");
		spin_unlock(&ct->lock);
		return RP_EXC_FORWARD;
	}
	/* QP0 and QP1 are no UD service's (and 0 would bind no QP) */
	if (x->m.qpn <= RP_QPN_GSI) {
		spin_unlock(&ct->lock);
		rp_sidr_count(x->rn, RP_EXC_CTR_MALFORMED);
		return RP_EXC_DROP;
	}
	c->rep_qpn = x->m.qpn;
	c->rep_ifindex = x->dir == RP_DIR_FROM_VM ? x->ifindex : 0;
	rp_sidr_key(&key, tenant, &c->key.addr, &c->rep_addr,
		    RP_CONN_SIDR_UD, c->rep_qpn);
	err = rp_conn_rekey(ct, c, &key);
	if (err) {
		/*
		 * -EEXIST: this requester address has an exchange with that
		 * QP already (the NICs key flows so): that one stays and
		 * carries the datagrams, this one's answer still passes.
		 */
		rp_conn_del(ct, c, err == -EEXIST ?
			    "duplicate of a tracked exchange (setup sidr)" :
			    "out of memory (setup sidr)");
		spin_unlock(&ct->lock);
		if (err != -EEXIST)
			return RP_EXC_DROP;
		rp_sidr_count(x->rn, RP_EXC_CTR_RETRANSMIT);
		return RP_EXC_FORWARD;
	}
	rp_conn_set_state(c, RP_CONN_STATE_ESTABLISHED);
	/* what is known now: the flow of a requester behind no port here */
	if (rp_conn_install(ct, c))
		rp_sidr_count(x->rn, RP_EXC_CTR_INSTALL_FAILED);
	rp_conn_event(x->rn->net, RP_EV_CONN_ESTABLISHED, c->key.tenant,
		      c->req_vm, c->rule_id, "setup sidr");
	spin_unlock(&ct->lock);
	return RP_EXC_FORWARD;
}

/*
 * The exchange whose flows the first datagram @x binds: the requester's
 * to the responder's QP, or (a requester behind no port here) the
 * responder's from its QP.  Sets *@before to the flows installed already
 * and fills in the requester's QPN.  Context: ct->lock held.
 */
static struct rp_conn *rp_sidr_bindable(struct rp_learn_ctx *x,
					unsigned int *before)
{
	struct rp_conntrack *ct = &x->rn->conns;
	u32 tenant = x->vm->s.tenant, id = x->vm->s.id;
	struct rp_conn_key key;
	struct rp_conn *c;

	rp_sidr_key(&key, tenant, &x->pkt.saddr, &x->pkt.daddr,
		    RP_CONN_SIDR_UD, x->pkt.dqpn);
	c = rp_conn_lookup_key(ct, &key);
	if (c && !c->req_qpn && c->req_ifindex == x->ifindex &&
	    c->req_vm == id) {
		*before = rp_conn_sidr_flows(c);
		c->req_qpn = x->sqpn;
		return c;
	}
	rp_sidr_key(&key, tenant, &x->pkt.daddr, &x->pkt.saddr,
		    RP_CONN_SIDR_UD, x->sqpn);
	c = rp_conn_lookup_key(ct, &key);
	if (c && !c->req_qpn && !c->req_ifindex &&
	    c->rep_ifindex == x->ifindex && c->rep_vm == id &&
	    x->pkt.dqpn > RP_QPN_GSI) {
		*before = rp_conn_sidr_flows(c);
		c->req_qpn = x->pkt.dqpn;
		return c;
	}
	return NULL;
}

/**
 * rp_exc_sidr_bind() - the first UD datagram of a SIDR exchange
 * @x: the learning path's context: the packet, its sender's QPN, the
 *     sender's VM (the port's, anti-spoofing passed), the tables
 *
 * Called by rp_learn_decide() for a data packet of no installed flow.
 * Context: softirq or BHs off; rcu_read_lock() held.
 * Return: -ENOENT if it is none (a learned flow may be), -EAGAIN if the
 * configuration changed meanwhile (decide again), else an enum
 * rp_exc_verdict: RP_EXC_FORWARD if both flows are installed.
 */
int rp_exc_sidr_bind(struct rp_learn_ctx *x)
{
	struct rp_conntrack *ct = &x->rn->conns;
	unsigned int before;
	struct rp_conn *c;
	bool reply;

	if (x->qp_type != RP_QP_UD)
		return -ENOENT;
	spin_lock(&ct->lock);
	if (READ_ONCE(ct->gen) != x->gen) {
		spin_unlock(&ct->lock);
		return -EAGAIN;
	}
	c = rp_sidr_bindable(x, &before);
	if (!c) {
		spin_unlock(&ct->lock);
		return -ENOENT;
	}
	reply = !c->req_ifindex;
	if (!rp_learn_class_ok(reply ? c->reply_rights : c->rights,
			       x->pkt.class)) {
		c->req_qpn = 0;
		spin_unlock(&ct->lock);
		return RP_EXC_DROP;
	}
	if (rp_conn_install_more(ct, c, before)) {
		rp_sidr_count(x->rn, RP_EXC_CTR_INSTALL_FAILED);
		rp_conn_del(ct, c, "install failed (setup sidr)");
		spin_unlock(&ct->lock);
		return RP_EXC_DROP;
	}
	c->since = jiffies;
	x->conn_id = c->id;
	spin_unlock(&ct->lock);
	return RP_EXC_FORWARD;
}
