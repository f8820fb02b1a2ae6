// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast groups: the VMs' joins (IGMP/MLD membership reports a NIC
 * hands over) and the first packet of a sender to a group, decided with
 * the policy's group rules; the members and senders kept per namespace
 * and given to the NICs, which police the data path with them.  See
 * Documentation/multicast.rst; locking: DOC: Multicast locking in
 * rp_mcast.h.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <rdma/ib_verbs.h>

#include "rp_event.h"
#include "rp_exc.h"
#include "rp_learn_guard.h"
#include "rp_mcast.h"
#include "rp_net.h"
#include "rp_nic.h"
#include "rp_policy.h"

/* decisions made again when a configuration change overtakes them */
#define RP_MCAST_RETRIES	3
/* a longer report (more than a jumbo frame's) is malformed: no copy */
#define RP_MCAST_MAX_REPORT	9216

static void rp_mcast_count(struct rp_net *rn, enum rp_exc_ctr c)
{
	atomic64_inc(&rn->exc[c]);
}

/* "WHAT GROUP", for events */
static void rp_mcast_why(char *buf, size_t len, const char *what,
			 const struct in6_addr *group)
{
	if (ipv6_addr_v4mapped(group))
		snprintf(buf, len, "%s %pI4", what, &group->s6_addr32[3]);
	else
		snprintf(buf, len, "%s %pI6c", what, group);
}

#define RP_MCAST_WHY_LEN	64	/* "policy: denied now " and an IPv6 address */

/**
 * rp_mcast_allowed() - may @vm join (receive) or send to @group?
 * @t: tables
 * @vm: the VM
 * @group: the group
 * @send: send to it, else join it
 * @rule_id: out: the deciding rule, 0 if none (the default deny)
 *
 * Context: rcu_read_lock() or the writers' lock.
 */
bool rp_mcast_allowed(struct rp_tables *t, const struct rp_vm *vm,
		      const struct in6_addr *group, bool send, u32 *rule_id)
{
	struct rp_query q = {
		.qp_type = RP_QP_UD,
		.group = send ? RP_QG_SEND : RP_QG_JOIN,
	};
	struct rp_decision d;

	if (send) {
		q.src_vm = vm;
		q.daddr = *group;
	} else {
		q.dst_vm = vm;
		q.saddr = *group;
	}
	rp_policy_eval(t, &q, &d);
	*rule_id = d.rule ? d.rule->s.id : 0;
	return d.action == RP_ACT_ALLOW && (d.rights & RP_RIGHT_SEND);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_allowed);

/* A member's key */
static void rp_mcast_member_key(struct rp_mcast_key *k, u32 tenant,
				const struct in6_addr *group, int ifindex)
{
	memset(k, 0, sizeof(*k));
	k->group = *group;
	k->tenant = tenant;
	k->ifindex = ifindex;
	k->kind = RP_MCAST_MEMBER;
}

/*
 * Does @vm own the source of its report?  Its address; or, as the RFCs
 * allow (an address not yet configured, MLD's link-local source), none
 * of its own: the unspecified or a link-local address, then only its MAC
 * is checked.  Memberships are the port's either way.
 */
static bool rp_mcast_src_ok(struct rp_tables *t, const struct rp_vm *vm,
			    const u8 *mac, const struct in6_addr *saddr)
{
	int i;

	if (!(ipv6_addr_v4mapped(saddr) ? !saddr->s6_addr32[3] :
	      ipv6_addr_any(saddr) ||
	      ipv6_addr_type(saddr) & IPV6_ADDR_LINKLOCAL))
		return rp_exc_sender_ok(t, vm, mac, saddr);
	if (!vm->s.nmacs || !mac)
		return true;
	for (i = 0; i < vm->s.nmacs; i++)
		if (ether_addr_equal(rp_vm_macs(vm)[i], mac))
			return true;
	return false;
}

/*
 * The port's VM joins @group.  Return: false if it may not (the report is
 * dropped).  Context: rcu_read_lock(), BHs off.
 */
static bool rp_mcast_join(struct rp_mcast_ctx *x, const struct in6_addr *group)
{
	struct rp_mcast_table *mt = &x->rn->mcast;
	char why[RP_MCAST_WHY_LEN];
	struct rp_mcast_key key;
	int tries = 0, err;
	struct rp_tables *t;
	struct rp_vm *vm;
	bool allowed;
	u32 gen, rule;

again:
	/* pairs with rp_conn_revalidate()'s release: tables this new */
	gen = smp_load_acquire(&x->rn->conns.gen);
	t = rcu_dereference(x->rn->tables);
	vm = t ? rp_vm_by_port(t, x->ifindex) : NULL;
	if (!vm)
		return false;
	allowed = rp_mcast_allowed(t, vm, group, false, &rule);
	if (!allowed) {
		rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_JOIN_DENIED);
		atomic64_inc(&vm->ctr->denied);
		rp_mcast_why(why, sizeof(why), "join", group);
		rp_event(x->rn->net, RP_EV_GROUP_DENIED, vm->s.id, rule, why);
		return false;
	}
	rp_mcast_member_key(&key, vm->s.tenant, group, x->ifindex);
	spin_lock(&mt->lock);
	if (gen != READ_ONCE(x->rn->conns.gen) &&
	    ++tries < RP_MCAST_RETRIES) {
		spin_unlock(&mt->lock);
		goto again;
	}
	if (rp_mcast_lookup(mt, &key)) {
		spin_unlock(&mt->lock);
		return true;		/* a report repeated, or a refresh */
	}
	err = rp_mcast_add(mt, x->rn->net, &key, x->ifindex, true, vm, rule);
	spin_unlock(&mt->lock);
	if (err) {
		rp_mcast_count(x->rn, err == -ENOSPC ? RP_EXC_CTR_MCAST_FULL :
				      RP_EXC_CTR_INSTALL_FAILED);
		return false;
	}
	atomic64_inc(&vm->ctr->allowed);
	rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_JOINED);
	rp_mcast_why(why, sizeof(why), "join", group);
	rp_event(x->rn->net, RP_EV_GROUP_JOIN, vm->s.id, rule, why);
	return true;
}

/* The port's VM leaves @group.  Context: rcu_read_lock(), BHs off. */
static void rp_mcast_leave(struct rp_mcast_ctx *x, struct rp_vm *vm,
			   const struct in6_addr *group)
{
	struct rp_mcast_table *mt = &x->rn->mcast;
	char why[RP_MCAST_WHY_LEN];
	struct rp_mcast_key key;
	struct rp_mcast_ent *e;

	rp_mcast_member_key(&key, vm->s.tenant, group, x->ifindex);
	spin_lock(&mt->lock);
	e = rp_mcast_lookup(mt, &key);
	if (e)
		rp_mcast_del(mt, x->rn->net, e, vm);
	spin_unlock(&mt->lock);
	if (!e)
		return;
	rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_LEFT);
	rp_mcast_why(why, sizeof(why), "left", group);
	rp_event(x->rn->net, RP_EV_GROUP_LEAVE, vm->s.id, 0, why);
}

/**
 * rp_mcast_report_decide() - decide a VM's membership report, as bytes
 * @x: in: rn, ifindex, l3, l3len (all of the report), l3proto, mac
 *
 * In order: framing; the port's VM; anti-spoofing (the VM owns the
 * source address, and the MAC); then each record: a join of a group the
 * policy lets the VM join is recorded (and given to the NICs), one it
 * does not is denied (counted, an event); a leave ends the membership.
 * Joins of link-local groups are not policed (and not recorded).
 * Context: softirq or BHs off; rcu_read_lock() held.
 * Return: RP_EXC_DROP if the report is malformed, spoofed or has a denied
 * join, else RP_EXC_FORWARD.
 */
enum rp_exc_verdict rp_mcast_report_decide(struct rp_mcast_ctx *x)
{
	struct rp_mcast_report r;
	struct rp_mcast_rec rec;
	enum rp_exc_verdict v = RP_EXC_FORWARD;
	struct rp_tables *t;
	struct rp_vm *vm;

	switch (rp_mcast_parse(x->l3, x->l3len, x->l3proto, &r)) {
	case RP_MCAST_NOT:
		return RP_EXC_FORWARD;
	case RP_MCAST_BAD:
		rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_REPORTS);
		rp_mcast_count(x->rn, RP_EXC_CTR_MALFORMED);
		return RP_EXC_DROP;
	case RP_MCAST_REPORT:
		break;
	}
	rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_REPORTS);
	t = rcu_dereference(x->rn->tables);
	vm = t ? rp_vm_by_port(t, x->ifindex) : NULL;
	if (!vm) {
		rp_mcast_count(x->rn, RP_EXC_CTR_NO_VM);
		return RP_EXC_DROP;
	}
	if (!rp_mcast_src_ok(t, vm, x->mac, &r.saddr)) {
		rp_mcast_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	while (rp_mcast_next(&r, &rec)) {
		if (!rec.change || rp_mcast_link_local(&rec.group))
			continue;
		if (!rec.join)
			rp_mcast_leave(x, vm, &rec.group);
		else if (!rp_mcast_join(x, &rec.group))
			v = RP_EXC_DROP;
	}
	return v;
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_report_decide);

/* A sender's key */
static void rp_mcast_sender_key(struct rp_mcast_key *k, u32 tenant,
				const struct rp_roce_pkt *pkt)
{
	memset(k, 0, sizeof(*k));
	k->group = pkt->daddr;
	k->saddr = pkt->saddr;
	k->tenant = tenant;
	k->kind = RP_MCAST_SENDER;
}

/*
 * Record the decision on a sender (allowed or not) and tell the NICs, so
 * that its further packets are decided there.  Context: as below.
 * Return: the verdict.
 */
static int rp_mcast_sender(struct rp_mcast_ctx *x,
			   const struct rp_roce_pkt *pkt)
{
	struct rp_mcast_table *mt = &x->rn->mcast;
	char why[RP_MCAST_WHY_LEN];
	struct rp_mcast_key key;
	struct rp_mcast_ent *e;
	int tries = 0, err, v;
	struct rp_tables *t;
	struct rp_vm *vm;
	bool allowed;
	u32 gen, rule;

again:
	/* pairs with rp_conn_revalidate()'s release: tables this new */
	gen = smp_load_acquire(&x->rn->conns.gen);
	t = rcu_dereference(x->rn->tables);
	vm = t ? rp_vm_by_port(t, x->ifindex) : NULL;
	if (!vm) {
		rp_mcast_count(x->rn, RP_EXC_CTR_NO_VM);
		return RP_EXC_DROP;
	}
	if (!rp_exc_sender_ok(t, vm, x->mac, &pkt->saddr)) {
		rp_mcast_count(x->rn, RP_EXC_CTR_SPOOFED);
		return RP_EXC_DROP;
	}
	/* a flood of first packets costs what a learned flow's would */
	if (!tries && !rp_learn_rate_ok(vm)) {
		rp_mcast_count(x->rn, RP_EXC_CTR_LEARN_RATE_LIMITED);
		return RP_EXC_DROP;
	}
	allowed = rp_mcast_allowed(t, vm, &pkt->daddr, true, &rule);
	rp_mcast_sender_key(&key, vm->s.tenant, pkt);
	spin_lock(&mt->lock);
	if (gen != READ_ONCE(x->rn->conns.gen) &&
	    ++tries < RP_MCAST_RETRIES) {
		spin_unlock(&mt->lock);
		goto again;
	}
	e = rp_mcast_lookup(mt, &key);
	if (e) {			/* decided meanwhile, on another CPU */
		v = e->allowed && e->ifindex == x->ifindex ? RP_EXC_FORWARD :
							     RP_EXC_DROP;
		spin_unlock(&mt->lock);
		return v;
	}
	err = rp_mcast_add(mt, x->rn->net, &key, x->ifindex, allowed, vm, rule);
	spin_unlock(&mt->lock);
	if (err)
		rp_mcast_count(x->rn, err == -ENOSPC ? RP_EXC_CTR_MCAST_FULL :
				      RP_EXC_CTR_INSTALL_FAILED);
	if (!allowed) {
		rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_SEND_DENIED);
		atomic64_inc(&vm->ctr->denied);
		rp_mcast_why(why, sizeof(why), "send", &pkt->daddr);
		rp_event(x->rn->net, RP_EV_GROUP_DENIED, vm->s.id, rule, why);
		return RP_EXC_DROP;
	}
	if (err)
		return RP_EXC_DROP;
	atomic64_inc(&vm->ctr->allowed);
	rp_mcast_count(x->rn, RP_EXC_CTR_MCAST_SEND_ALLOWED);
	return RP_EXC_FORWARD;
}

/**
 * rp_mcast_send_decide() - decide a sender's first packet to a group
 * @x: in: rn, ifindex, l3, l3len, pktlen, l3proto, mac
 *
 * A UD SEND to a multicast address (destination QP 0xFFFFFF) from a VM
 * port that no NIC holds a decision for: anti-spoofing, the VM's rate of
 * decisions, then the policy; the decision, allowed or not, is given to
 * the NICs (so a denied sender's flood is dropped there).
 * Context: softirq or BHs off; rcu_read_lock() held.
 * Return: RP_EXC_FORWARD if the VM may send to the group.
 */
enum rp_exc_verdict rp_mcast_send_decide(struct rp_mcast_ctx *x)
{
	struct rp_roce_pkt pkt;

	if (rp_roce_parse(x->l3, x->l3len, x->pktlen, x->l3proto,
			  &pkt) != RP_ROCE_OK ||
	    !rp_mcast_is_group(&pkt.daddr) || pkt.dqpn != IB_MULTICAST_QPN ||
	    !(pkt.ext & RP_EXT_DETH) || pkt.class != RP_CLASS_SEND) {
		rp_mcast_count(x->rn, RP_EXC_CTR_MALFORMED);
		return RP_EXC_DROP;
	}
	return rp_mcast_sender(x, &pkt);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_send_decide);

/*
 * After a configuration change: decide every member and sender again.
 * Members the policy no longer lets in, and those whose VM is gone or
 * no longer has the port (or the tenant), leave; senders get the new
 * verdict, or go with their VM or address.
 * Context: rn->lock held (rp_config_changed()); @t: the tables under it.
 */
void rp_mcast_revalidate(struct rp_net *rn, struct rp_tables *t)
{
	struct rp_mcast_table *mt = &rn->mcast;
	char why[RP_MCAST_WHY_LEN];
	struct rp_mcast_ent *e, *tmp;
	struct rp_vm *vm, *pvm;
	struct rp_mcast m;
	bool allowed;
	u32 rule;

	lockdep_assert_held(&rn->lock);
	spin_lock_bh(&mt->lock);
	list_for_each_entry_safe(e, tmp, &mt->all, list) {
		bool sender = e->key.kind == RP_MCAST_SENDER;
		const char *reason = "vm removed";

		vm = rp_vm_by_id(t, e->vm_id);
		pvm = rp_vm_by_port(t, e->ifindex);
		if (!vm || !pvm || pvm->s.id != e->vm_id ||
		    vm->s.tenant != e->key.tenant ||
		    (sender && !rp_exc_sender_ok(t, vm, NULL, &e->key.saddr)))
			goto del;
		allowed = rp_mcast_allowed(t, vm, &e->key.group, sender,
					   &rule);
		if (!sender && !allowed) {
			reason = "policy: denied now";
			goto del;
		}
		if (allowed == e->allowed)
			continue;
		e->allowed = allowed;
		e->rule_id = rule;
		rp_mcast_to_nic(e, &m);
		if (!rp_nic_mcast_set(rn->net, &m))
			continue;
		rp_mcast_count(rn, RP_EXC_CTR_INSTALL_FAILED);
del:
		if (!sender) {
			rp_mcast_count(rn, RP_EXC_CTR_MCAST_LEFT);
			rp_mcast_why(why, sizeof(why), reason, &e->key.group);
			rp_event(rn->net, RP_EV_GROUP_LEAVE, e->vm_id, 0, why);
		}
		rp_mcast_del(mt, rn->net, e, vm);
	}
	spin_unlock_bh(&mt->lock);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_revalidate);

/*
 * The bytes of @skb from its network header: in place if linear there,
 * else copied into a buffer the caller frees (*@copy).
 */
static const u8 *rp_mcast_bytes(const struct sk_buff *skb, unsigned int len,
				u8 **copy)
{
	int off = skb_network_offset(skb);

	*copy = NULL;
	if (skb_headlen(skb) >= off + len)
		return skb->data + off;
	*copy = kmalloc(len, GFP_ATOMIC);
	if (*copy && skb_copy_bits(skb, off, *copy, len)) {
		kfree(*copy);
		*copy = NULL;
	}
	return *copy;
}

static void rp_mcast_ctx_init(struct rp_mcast_ctx *x, struct net_device *port,
			      const struct sk_buff *skb)
{
	x->rn = rp_net(dev_net(port));
	x->ifindex = port->ifindex;
	x->l3proto = ntohs(skb->protocol);
	if (skb_mac_header_was_set(skb) &&
	    skb_network_header(skb) - skb_mac_header(skb) >= ETH_HLEN)
		x->mac = eth_hdr(skb)->h_source;
}

/**
 * rp_mcast_report() - decide an IGMP/MLD membership report a NIC handed over
 * @port: the VM port it came in on (the VM sent it)
 * @skb: the packet; its network header is set
 *
 * Context: see include/rdmapolicy/shim.h.
 * Return: RP_EXC_FORWARD, or RP_EXC_DROP (malformed, spoofed, a denied
 * join).
 */
enum rp_exc_verdict rp_mcast_report(struct net_device *port,
				    struct sk_buff *skb)
{
	struct rp_mcast_ctx x = {};
	enum rp_exc_verdict v;
	int off = skb_network_offset(skb);
	u8 *copy = NULL;

	rp_mcast_ctx_init(&x, port, skb);
	if (off < 0 || skb->len <= off)
		return RP_EXC_DROP;
	x.pktlen = skb->len - off;
	x.l3len = x.pktlen;
	x.l3 = x.pktlen <= RP_MCAST_MAX_REPORT ?
	       rp_mcast_bytes(skb, x.l3len, &copy) : NULL;
	if (!x.l3) {
		rp_mcast_count(x.rn, RP_EXC_CTR_MCAST_REPORTS);
		rp_mcast_count(x.rn, RP_EXC_CTR_MALFORMED);
		return RP_EXC_DROP;
	}
	v = rp_mcast_report_decide(&x);
	kfree(copy);
	return v;
}
EXPORT_SYMBOL_GPL(rp_mcast_report);

/**
 * rp_mcast_send() - decide a RoCEv2 packet to a group of no known sender
 * @port: the VM port it came in on (the VM sent it)
 * @skb: the packet; its network header is set
 *
 * Context: see include/rdmapolicy/shim.h.
 * Return: RP_EXC_FORWARD (the sender may send to the group, and @skb
 * carries the processed flag) or RP_EXC_DROP.
 */
enum rp_exc_verdict rp_mcast_send(struct net_device *port,
				  struct sk_buff *skb)
{
	struct rp_mcast_ctx x = {};
	int off = skb_network_offset(skb);
	u8 buf[RP_ROCE_MAX_HDR];

	rp_mcast_ctx_init(&x, port, skb);
	if (off < 0 || skb->len <= off || skb_is_gso(skb))
		goto malformed;
	x.pktlen = skb->len - off;
	x.l3len = min_t(unsigned int, x.pktlen, sizeof(buf));
	x.l3 = skb_header_pointer(skb, off, x.l3len, buf);
	if (!x.l3)
		goto malformed;
	if (rp_mcast_send_decide(&x) != RP_EXC_FORWARD)
		return RP_EXC_DROP;
	skb->mark |= rp_processed_mark;
	return RP_EXC_FORWARD;

malformed:
	rp_mcast_count(x.rn, RP_EXC_CTR_MALFORMED);
	return RP_EXC_DROP;
}
EXPORT_SYMBOL_GPL(rp_mcast_send);
