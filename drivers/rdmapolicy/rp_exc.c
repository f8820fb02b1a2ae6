// SPDX-License-Identifier: GPL-2.0
/*
 * The exception path: NICs hand the core every RoCEv2 message to QP1 that
 * lacks the processed flag (include/rdmapolicy/shim.h).  The core parses
 * it, finds who sent it, checks that the sender is who it claims to be
 * (anti-spoofing), applies the memory-access policy to REQs, tracks the
 * connection (a REP and the messages after it must belong to a tracked
 * connection, from one of its ends; the policy is not asked again), and
 * answers: forward (flagged) or drop.  A denied REQ from a local VM is
 * answered with a CM REJ (rp_exc_rej.c) so that its connect fails at once.
 * SIDR (UD services) follows the same course in rp_exc_sidr.c.
 *
 * Runs in the NIC's packet path: softirq, rcu_read_lock() held.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

#include "rp_conn.h"
#include "rp_exc.h"
#include "rp_net.h"
#include "rp_event.h"
#include "rp_policy.h"

u32 rp_processed_mark __read_mostly = 0x40000000;
EXPORT_SYMBOL_GPL(rp_processed_mark);

/*
 * The flag is one bit: with 0 nothing would ever be flagged, with several
 * bits a mark holding any one of them (set by other host software) would
 * pass for processed.
 */
static int rp_processed_mark_set(const char *val,
				 const struct kernel_param *kp)
{
	u32 mark;
	int err = kstrtou32(val, 0, &mark);

	if (err)
		return err;
	if (!is_power_of_2(mark))
		return -EINVAL;
	*(u32 *)kp->arg = mark;
	return 0;
}

VISIBLE_IF_KUNIT const struct kernel_param_ops rp_processed_mark_ops = {
	.set = rp_processed_mark_set,
	.get = param_get_uint,
};
EXPORT_SYMBOL_IF_KUNIT(rp_processed_mark_ops);
module_param_cb(processed_mark, &rp_processed_mark_ops, &rp_processed_mark,
		0444);
MODULE_PARM_DESC(processed_mark,
		 "skb->mark bit that flags a CM message as processed (exactly one bit)");

#define RP_EXC_MAX_LEN	1024	/* CM messages are ~310 bytes from IP on */
#define RP_EXC_RETRIES	4

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit: runs between a REQ's policy decision and the tracker's lock */
rp_exc_hook_t rp_exc_decided_hook;
EXPORT_SYMBOL_IF_KUNIT(rp_exc_decided_hook);
#endif

/* Exception path counters, per namespace: rdmapolicy/exc_ctrs.h */
static void rp_exc_count(struct rp_net *rn, enum rp_exc_ctr c)
{
	atomic64_inc(&rn->exc[c]);
}

/*
 * Is @vm the owner of @addr: the VM of its tenant with the longest prefix
 * holding it?  A VM whose prefix covers the more specific prefixes of
 * other VMs owns only what they leave.  Compared by id: a VM being
 * changed has two versions while readers run.
 */
static bool rp_exc_owner(struct rp_tables *t, const struct rp_vm *vm,
			 const struct in6_addr *addr)
{
	const struct rp_vm *owner = rp_vm_by_addr(t, vm->s.tenant, addr);

	return owner && owner->s.id == vm->s.id;
}

/* Does @vm own the sender's MAC (when it lists MACs) and address? */
bool rp_exc_sender_ok(struct rp_tables *t, const struct rp_vm *vm,
		      const u8 *mac, const struct in6_addr *saddr)
{
	int i;

	if (vm->s.nmacs && mac) {
		for (i = 0; i < vm->s.nmacs; i++)
			if (ether_addr_equal(rp_vm_macs(vm)[i], mac))
				break;
		if (i == vm->s.nmacs)
			return false;
	}
	return rp_exc_owner(t, vm, saddr);
}

/*
 * Per-VM setup rate: at most vm->s.setup_rate new connections a second,
 * REQs and learned flows together (rp_learn.c).
 */
bool rp_exc_rate_ok(struct rp_vm *vm)
{
	struct rp_vm_ctr *ctr = vm->ctr;
	u32 now = jiffies;
	bool ok;

	if (!vm->s.setup_rate)
		return true;
	spin_lock(&ctr->rate_lock);
	if (!time_before32(now, ctr->rate_window + HZ)) {
		ctr->rate_window = now;
		ctr->rate_count = 0;
	}
	ok = ctr->rate_count < vm->s.setup_rate;
	if (ok)
		ctr->rate_count++;
	spin_unlock(&ctr->rate_lock);
	return ok;
}

/*
 * Has @vm its max-conns (its own, else vm_max_conns)?  Its connections
 * and its learned flows together: a learned flow takes an entry of the
 * namespace's table as a connection does.  Context: conns.lock held.
 */
bool rp_exc_vm_full(const struct rp_vm *vm)
{
	u32 max = vm->s.max_conns ?: READ_ONCE(rp_conn_vm_max);

	return max && (u32)atomic_read(&vm->ctr->conns) +
		      (u32)atomic_read(&vm->ctr->learned) >= max;
}
EXPORT_SYMBOL_IF_KUNIT(rp_exc_vm_full);

enum rp_exc_verdict rp_exc_deny(struct rp_exc_ctx *x, u32 rule_id,
				const char *why)
{
	struct rp_vm *req = x->sender;

	rp_exc_count(x->rn, RP_EXC_CTR_DENIED);
	if (req)
		atomic64_inc(&req->ctr->denied);
	rp_conn_event(x->rn->net, RP_EV_CONN_DENIED, x->port_vm->s.tenant,
		      req ? req->s.id : 0, rule_id, why);
	/* tell the requester now, not by timeout (see rp_exc_send_rej()) */
	x->want_rej = true;
	return RP_EXC_DROP;
}

/*
 * Did a revalidation run since @x read the tables?  Context: conns.lock
 * held.  The acquire pairs with the release in rp_conn_revalidate(): the
 * tables read after the generation are at least as new as it says.
 */
bool rp_exc_stale(const struct rp_exc_ctx *x)
{
	return READ_ONCE(x->rn->conns.gen) != x->gen;
}

/* Return: an enum rp_exc_verdict, or RP_EXC_RETRY */
static int rp_exc_req(struct rp_exc_ctx *x)
{
	struct rp_vm *src = x->sender, *dst;
	u32 tenant = x->port_vm->s.tenant;
	struct rp_decision d;
	struct rp_query q = { };
	struct rp_conn *n;

	/* the claims inside the REQ must match the packet */
	if (!ipv6_addr_equal(&x->m.gid_local, &x->pkt.saddr) ||
	    !ipv6_addr_equal(&x->m.gid_remote, &x->pkt.daddr) ||
	    (x->m.has_cma && (!ipv6_addr_equal(&x->m.cma_src, &x->pkt.saddr) ||
			      !ipv6_addr_equal(&x->m.cma_dst,
					       &x->pkt.daddr)))) {
		rp_exc_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	dst = x->dir == RP_DIR_FROM_VM ?
	      rp_vm_by_addr(x->t, src->s.tenant, &x->pkt.daddr) : x->port_vm;
	q.src_vm = src;
	q.dst_vm = dst;
	q.saddr = x->pkt.saddr;
	q.daddr = x->pkt.daddr;
	if (x->m.rdma_cm) {
		q.ps = x->m.ps;
		q.port = x->m.port;
	}
	q.qp_type = x->m.qp_type;
	rp_policy_eval(x->t, &q, &d);
	rp_exc_count(x->rn, RP_EXC_CTR_DECISIONS);
	if (d.action != RP_ACT_ALLOW)
		return rp_exc_deny(x, d.rule ? d.rule->s.id : 0,
				   d.rule ? "denied by rule" : "no rule allows");

#if IS_ENABLED(CONFIG_KUNIT)
	if (READ_ONCE(rp_exc_decided_hook))
		rp_exc_decided_hook();
#endif
	spin_lock(&x->rn->conns.lock);
	/*
	 * The configuration changed since we read it, and its revalidation
	 * is over: what we decided may not hold, decide again (the caller
	 * does).  If it has not changed, a revalidation to come sees what
	 * we add.  Either way nothing decided under a removed rule stays.
	 */
	if (rp_exc_stale(x)) {
		spin_unlock(&x->rn->conns.lock);
		return RP_EXC_RETRY;
	}
	/* a retransmitted REQ: already decided */
	n = rp_conn_lookup(&x->rn->conns, tenant, &x->pkt.saddr,
			   x->m.local_comm_id);
	if (n) {
		spin_unlock(&x->rn->conns.lock);
		rp_exc_count(x->rn, RP_EXC_CTR_RETRANSMIT);
		return RP_EXC_FORWARD;
	}
	/* a VM without max-conns of its own gets the default */
	if (src && rp_exc_vm_full(src)) {
		spin_unlock(&x->rn->conns.lock);
		return rp_exc_deny(x, d.rule->s.id, "max-conns reached");
	}
	/* requesters that are no address space of ours share one cap */
	if (!src && x->rn->conns.anon >= READ_ONCE(rp_conn_anon_max)) {
		spin_unlock(&x->rn->conns.lock);
		return rp_exc_deny(x, d.rule->s.id,
				   "max-conns of unknown requesters reached");
	}
	if (src && !rp_exc_rate_ok(src)) {
		spin_unlock(&x->rn->conns.lock);
		return rp_exc_deny(x, d.rule->s.id, "setup-rate exceeded");
	}
	/* built in place, in its allocation (zeroed) */
	n = rp_conn_alloc(&x->rn->conns);
	if (IS_ERR_OR_NULL(n)) {
		spin_unlock(&x->rn->conns.lock);
		return rp_exc_deny(x, d.rule->s.id, "connection table full");
	}
	/*
	 * READ and ATOMIC only if granted and asked for: the requester's by
	 * its initiator depth, the responder's by the responder resources
	 * the requester offers it.
	 */
	n->rights = d.rights;
	n->reply_rights = d.reply_rights;
	if (!x->m.init_depth)
		n->rights &= ~(RP_RIGHT_READ | RP_RIGHT_ATOMIC);
	if (!x->m.resp_res)
		n->reply_rights &= ~(RP_RIGHT_READ | RP_RIGHT_ATOMIC);
	n->key.addr = x->pkt.saddr;
	n->key.comm_id = x->m.local_comm_id;
	n->key.tenant = tenant;
	n->state = RP_CONN_STATE_REQ;
	n->req_vm = src ? src->s.id : 0;
	n->req_ifindex = x->dir == RP_DIR_FROM_VM ? x->ifindex : 0;
	n->rep_vm = dst ? dst->s.id : 0;
	n->rep_addr = x->pkt.daddr;
	n->req_qpn = x->m.qpn;
	n->req_psn = x->m.start_psn;
	n->ps = q.ps;
	n->port = q.port;
	n->qp_type = q.qp_type;
	n->rule_id = d.rule->s.id;
	n = rp_conn_add(&x->rn->conns, n);
	if (IS_ERR(n)) {
		spin_unlock(&x->rn->conns.lock);
		return rp_exc_deny(x, d.rule->s.id, "connection table full");
	}
	if (src) {
		atomic_inc(&src->ctr->conns);
		atomic64_inc(&src->ctr->allowed);
	}
	spin_unlock(&x->rn->conns.lock);
	/* not from @n: it may be gone by now */
	rp_conn_event(x->rn->net, RP_EV_CONN_NEW, tenant, src ? src->s.id : 0,
		      d.rule->s.id, NULL);
	return RP_EXC_FORWARD;
}

/*
 * REP, RTU, MRA, REJ, DREQ, DREP: must belong to a tracked connection.
 * Return: an enum rp_exc_verdict, or RP_EXC_RETRY.
 */
static int rp_exc_follow_up(struct rp_exc_ctx *x)
{
	u32 tenant = x->port_vm->s.tenant;
	enum rp_exc_verdict v = RP_EXC_FORWARD;
	struct rp_conn *c;
	bool from_req;

	/*
	 * Messages of the requester carry its comm id as local, those of
	 * the responder as remote; which one this is we learn from the
	 * addresses.
	 */
	spin_lock(&x->rn->conns.lock);
	/* judged on tables older than a revalidation: again (as REQs) */
	if (rp_exc_stale(x)) {
		spin_unlock(&x->rn->conns.lock);
		return RP_EXC_RETRY;
	}
	c = rp_conn_lookup(&x->rn->conns, tenant, &x->pkt.saddr,
			   x->m.local_comm_id);
	from_req = c && ipv6_addr_equal(&c->rep_addr, &x->pkt.daddr);
	if (!from_req) {
		c = rp_conn_lookup(&x->rn->conns, tenant, &x->pkt.daddr,
				   x->m.remote_comm_id);
		if (c && !ipv6_addr_equal(&c->rep_addr, &x->pkt.saddr))
			c = NULL;
	}
	/*
	 * Each side's messages come from the VM (or remote space, or
	 * nobody of ours: 0) that was that side when the REQ was decided.
	 */
	if (c && (x->sender ? x->sender->s.id : 0) !=
		 (from_req ? c->req_vm : c->rep_vm)) {
		spin_unlock(&x->rn->conns.lock);
		rp_exc_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	if (!c) {
		/*
		 * Nothing untracked passes, REJ and DREP included: IB CM
		 * matches a REJ by the remote comm id alone, and comm ids are
		 * predictable, so a stray REJ could abort another VM's
		 * connect.
		 */
		spin_unlock(&x->rn->conns.lock);
		rp_exc_count(x->rn, RP_EXC_CTR_UNTRACKED);
		return RP_EXC_DROP;
	}
	switch (x->m.type) {
	case RP_CM_REP:
		if (from_req || c->state != RP_CONN_STATE_REQ) {
			/* REPs come from the responder, once (or resent) */
			if (c->state == RP_CONN_STATE_ESTABLISHED && !from_req &&
			    c->rep_comm_id == x->m.local_comm_id)
				break;
			rp_exc_count(x->rn, RP_EXC_CTR_UNTRACKED);
			v = RP_EXC_DROP;
			break;
		}
		c->rep_qpn = x->m.qpn;
		c->rep_psn = x->m.start_psn;
		c->rep_comm_id = x->m.local_comm_id;
		c->rep_ifindex = x->dir == RP_DIR_FROM_VM ? x->ifindex : 0;
		rp_conn_set_state(c, RP_CONN_STATE_ESTABLISHED);
		/* REQ and REP both processed: the NICs install it */
		if (rp_conn_install(&x->rn->conns, c))
			rp_exc_count(x->rn, RP_EXC_CTR_INSTALL_FAILED);
		rp_conn_event(x->rn->net, RP_EV_CONN_ESTABLISHED,
			      c->key.tenant, c->req_vm, c->rule_id, NULL);
		break;
	case RP_CM_REJ:
		rp_conn_del(&x->rn->conns, c, "rejected by peer");
		break;
	case RP_CM_DREQ:
		/* a resent DREQ does not move the deadline */
		if (c->state != RP_CONN_STATE_CLOSING)
			rp_conn_set_state(c, RP_CONN_STATE_CLOSING);
		break;
	case RP_CM_DREP:
		rp_conn_del(&x->rn->conns, c, "disconnected");
		break;
	case RP_CM_MRA:
		/* the peer asks for more time: the half-open clock restarts */
		if (c->state == RP_CONN_STATE_REQ)
			rp_conn_set_state(c, RP_CONN_STATE_REQ);
		break;
	default:	/* RTU */
		break;
	}
	spin_unlock(&x->rn->conns.lock);
	return v;
}

/*
 * The RoCEv2 framing of @x->l3: rp_roce_parse()'s, or the NIC's parse of
 * it (@x->parsed), which was rp_roce_parse()'s too.  A NIC's parse is not
 * taken on trust for what we read with it: its headers and payload must
 * lie within @x->l3len (a UD SEND's DETH between the BTH and the payload),
 * as rp_roce_parse() makes them, so no NIC's mistake makes us read past.
 */
static bool rp_exc_framing_ok(struct rp_exc_ctx *x)
{
	const struct rp_roce_pkt *p = &x->pkt;

	if (!x->parsed)
		return rp_roce_parse(x->l3, x->l3len, x->l3len, x->l3proto,
				     &x->pkt) == RP_ROCE_OK;
	return p->bth_off + IB_BTH_BYTES + IB_DETH_BYTES <= p->payload_off &&
	       (u64)p->payload_off + p->payload_len + p->pad + IB_ICRC_BYTES <=
	       x->l3len;
}

/**
 * rp_exc_decide() - decide a CM message, given as bytes
 * @x: in: rn, ifindex, dir, l3, l3len, l3proto, mac, mac_dst (NULL if
 *     unknown), and when @x->parsed the NIC's parse in @x->pkt; out: the
 *     parse, want_rej
 *
 * The whole exception path but for the sk_buff: what KUnit drives.
 * Context: softirq or BHs off; rcu_read_lock() held.
 */
enum rp_exc_verdict rp_exc_decide(struct rp_exc_ctx *x)
{
	enum rp_exc_verdict v = RP_EXC_DROP;
	int r, tries = 0;

	rp_exc_count(x->rn, RP_EXC_CTR_CM_MESSAGES);
	if (!rp_exc_framing_ok(x) || x->pkt.dqpn != RP_QPN_GSI ||
	    x->pkt.opcode != IB_OPCODE_UD_SEND_ONLY ||
	    rp_cm_parse(x->l3 + x->pkt.bth_off + IB_BTH_BYTES,
			IB_DETH_BYTES + x->pkt.payload_len, &x->m) != RP_CM_OK ||
	    !rp_roce_icrc_ok(x->l3, x->pkt.payload_off + x->pkt.payload_len +
			     x->pkt.pad + IB_ICRC_BYTES, &x->pkt)) {
		rp_exc_count(x->rn, RP_EXC_CTR_MALFORMED);
		goto out;
	}

again:
	/* pairs with rp_conn_revalidate()'s release: tables this new */
	x->gen = smp_load_acquire(&x->rn->conns.gen);
	x->t = rcu_dereference(x->rn->tables);
	x->port_vm = x->t ? rp_vm_by_port(x->t, x->ifindex) : NULL;
	if (!x->port_vm) {
		rp_exc_count(x->rn, RP_EXC_CTR_NO_VM);
		goto out;
	}
	if (x->dir == RP_DIR_FROM_VM) {
		/* anti-spoofing: the port's VM must own what it claims */
		if (!rp_exc_sender_ok(x->t, x->port_vm, x->mac,
				      &x->pkt.saddr)) {
			rp_exc_count(x->rn, RP_EXC_CTR_SPOOFED);
			goto out;
		}
		x->sender = x->port_vm;
	} else {
		/* towards our VM: it must be for its address */
		if (!rp_exc_owner(x->t, x->port_vm, &x->pkt.daddr)) {
			rp_exc_count(x->rn, RP_EXC_CTR_SPOOFED);
			goto out;
		}
		x->sender = rp_vm_by_addr(x->t, x->port_vm->s.tenant,
					  &x->pkt.saddr);
		/*
		 * A VM with ports here has its messages judged, and flagged,
		 * where they leave its port; unflagged here, it did not send
		 * this.  (A VM without ports here, e.g. migrated away, may;
		 * a remote space's ports are overlays its messages come in
		 * by.)
		 */
		if (x->sender && !x->sender->s.remote && x->sender->s.nports) {
			rp_exc_count(x->rn, RP_EXC_CTR_SPOOFED);
			goto out;
		}
	}

	switch (x->m.type) {
	case RP_CM_REQ:
		r = rp_exc_req(x);
		break;
	case RP_CM_REP:
	case RP_CM_RTU:
	case RP_CM_MRA:
	case RP_CM_REJ:
	case RP_CM_DREQ:
	case RP_CM_DREP:
		r = rp_exc_follow_up(x);
		break;
	case RP_CM_SIDR_REQ:
		r = rp_exc_sidr_req(x);		/* UD services: rp_exc_sidr.c */
		break;
	case RP_CM_SIDR_REP:
		r = rp_exc_sidr_rep(x);
		break;
	default:
		/* path migration (LAP/APR) is not supported */
		rp_exc_count(x->rn, RP_EXC_CTR_UNSUPPORTED);
		r = RP_EXC_DROP;
		break;
	}
	/* RP_EXC_RETRIES changes in a row: give up, the peer resends */
	if (r == RP_EXC_RETRY && ++tries < RP_EXC_RETRIES)
		goto again;
	v = r == RP_EXC_RETRY ? RP_EXC_DROP : r;
out:
	rp_exc_count(x->rn, v == RP_EXC_FORWARD ? RP_EXC_CTR_CM_FLAGGED :
						  RP_EXC_CTR_CM_DROPPED);
	return v;
}
EXPORT_SYMBOL_IF_KUNIT(rp_exc_decide);

/**
 * rp_exception() - decide a CM message a NIC handed over
 * @port: the VM port the NIC saw it on
 * @dir: whether the port's VM sent it or is to receive it
 * @skb: the packet; its network header is set
 * @pkt: the NIC's parse of it (rp_roce_parse() of the bytes at the
 *	 network header: see include/rdmapolicy/shim.h), or NULL: parsed here
 *
 * Context: see include/rdmapolicy/shim.h.
 * Return: RP_EXC_FORWARD (and @skb carries the processed flag) or
 * RP_EXC_DROP.
 */
enum rp_exc_verdict rp_exception(struct net_device *port, enum rp_dir dir,
				 struct sk_buff *skb,
				 const struct rp_roce_pkt *pkt)
{
	struct rp_exc_ctx x = {
		.rn = rp_net(dev_net(port)),
		.ifindex = port->ifindex,
		.dir = dir,
		.l3proto = ntohs(skb->protocol),
	};
	int off = skb_network_offset(skb);
	enum rp_exc_verdict v;
	u8 *buf = NULL;

	/* several datagrams under one header (see the NIC's classifier) */
	if (off < 0 || skb->len <= off || skb->len - off > RP_EXC_MAX_LEN ||
	    skb_is_gso(skb))
		goto malformed;
	x.l3len = skb->len - off;
	/*
	 * Parsed where it is when the linear head holds it all (the usual
	 * case: nothing here writes to the packet); a copy otherwise.
	 */
	if (skb_headlen(skb) >= skb->len) {
		x.l3 = skb->data + off;
	} else {
		buf = kmalloc(x.l3len, GFP_ATOMIC);
		if (!buf)
			goto malformed;
		if (skb_copy_bits(skb, off, buf, x.l3len)) {
			kfree(buf);
			goto malformed;
		}
		x.l3 = buf;
	}
	if (pkt) {
		x.pkt = *pkt;
		x.parsed = true;
	}
	if (skb_mac_header_was_set(skb) &&
	    skb_network_header(skb) - skb_mac_header(skb) >= ETH_HLEN) {
		x.mac_dst = eth_hdr(skb)->h_dest;
		x.mac = eth_hdr(skb)->h_source;
	}
	v = rp_exc_decide(&x);
	/* counted only if it left: a REJ may fail to be built or queued */
	if (x.want_rej && x.mac &&
	    rp_exc_send_rej(port, dir, skb, &x.pkt, &x.m, x.mac_dst, x.mac))
		rp_exc_count(x.rn, RP_EXC_CTR_REJ_SENT);
	kfree(buf);
	if (v == RP_EXC_FORWARD)
		skb->mark |= rp_processed_mark;
	return v;

malformed:
	rp_exc_count(x.rn, RP_EXC_CTR_CM_MESSAGES);
	rp_exc_count(x.rn, RP_EXC_CTR_MALFORMED);
	rp_exc_count(x.rn, RP_EXC_CTR_CM_DROPPED);
	return RP_EXC_DROP;
}
EXPORT_SYMBOL_GPL(rp_exception);
