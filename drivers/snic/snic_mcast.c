// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast groups in the emulated NIC (include/rdmapolicy/shim.h): the
 * VMs' membership reports go to the core (rp_mcast_report()), which tells
 * the NIC who is a member and who may send (mcast_set/mcast_clear); the
 * data path passes RoCEv2 to a group
 *
 *  - from a VM port only from a sender the core allowed, on its own port
 *    (a source no decision is held for goes to the core: rp_mcast_send());
 *  - towards a VM port only if the port is a member, and, when a sender
 *    of this host sent it (the processed flag), only if that sender is of
 *    the port's tenant.
 *
 * Locking: the table's own bucket locks for writes (the core serializes
 * the writes of one key under its lock), RCU lookups in the hooks,
 * entries freed with kfree_rcu(); @allowed is the one field that changes
 * (WRITE_ONCE, read with READ_ONCE).
 */
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <rdma/ib_verbs.h>

#include "snic.h"

/* 48 bytes: a member by its port, a sender by its address (ifindex 0) */
struct rp_snic_mcast_key {
	struct in6_addr group;
	struct in6_addr saddr;
	u32 netns;
	u32 tenant;
	int ifindex;
	u32 kind;			/* enum rp_mcast_kind */
};

struct rp_snic_mcast {
	struct rhash_head node;
	struct rp_snic_mcast_key key;
	int ifindex;			/* the VM's port */
	bool allowed;			/* a sender's verdict; members: true */
	struct rcu_head rcu;
};

static const struct rhashtable_params rp_snic_mcast_params = {
	.key_len = sizeof(struct rp_snic_mcast_key),
	.key_offset = offsetof(struct rp_snic_mcast, key),
	.head_offset = offsetof(struct rp_snic_mcast, node),
	.automatic_shrinking = true,
};

static struct rhashtable rp_snic_mcasts;	/* group state, see above */

static void rp_snic_mcast_key(struct rp_snic_mcast_key *k,
			      const struct net *net, u32 tenant,
			      const struct in6_addr *group,
			      const struct in6_addr *saddr, int ifindex,
			      u32 kind)
{
	memset(k, 0, sizeof(*k));
	k->group = *group;
	if (kind == RP_MCAST_SENDER)
		k->saddr = *saddr;
	else
		k->ifindex = ifindex;
	k->netns = net->ns.inum;
	k->tenant = tenant;
	k->kind = kind;
}

static struct rp_snic_mcast *
rp_snic_mcast_find(const struct net *net, u32 tenant,
		   const struct in6_addr *group, const struct in6_addr *saddr,
		   int ifindex, u32 kind)
{
	struct rp_snic_mcast_key k;

	rp_snic_mcast_key(&k, net, tenant, group, saddr, ifindex, kind);
	return rhashtable_lookup(&rp_snic_mcasts, &k, rp_snic_mcast_params);
}

int rp_snic_mcast_set(void *priv, const struct net *net,
		      const struct rp_mcast *m)
{
	struct rp_snic_mcast *e, *old;

	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return -ENOMEM;
	rp_snic_mcast_key(&e->key, net, m->tenant, &m->group, &m->saddr,
			  m->ifindex, m->kind);
	e->ifindex = m->ifindex;
	e->allowed = m->allowed;
	rcu_read_lock();
	old = rhashtable_lookup_get_insert_fast(&rp_snic_mcasts, &e->node,
						rp_snic_mcast_params);
	if (!IS_ERR_OR_NULL(old))	/* a new verdict on a known sender */
		WRITE_ONCE(old->allowed, m->allowed);
	rcu_read_unlock();
	if (!old)
		return 0;		/* inserted */
	kfree(e);
	return PTR_ERR_OR_ZERO(old);
}

void rp_snic_mcast_clear(void *priv, const struct net *net,
			 const struct rp_mcast *m)
{
	struct rp_snic_mcast *e;

	rcu_read_lock();
	e = rp_snic_mcast_find(net, m->tenant, &m->group, &m->saddr,
			       m->ifindex, m->kind);
	if (e && !rhashtable_remove_fast(&rp_snic_mcasts, &e->node,
					 rp_snic_mcast_params))
		kfree_rcu(e, rcu);
	rcu_read_unlock();
}

/**
 * rp_snic_mcast_data() - a RoCEv2 packet to a multicast group
 * @net: the port's namespace
 * @ifindex: the port
 * @tenant: the port's VM's tenant
 * @dir: which way it goes
 * @skb: the packet; gets the processed flag when it passes from a VM
 * @pkt: its parse (pkt->daddr is a group)
 *
 * Only UD SENDs to QP 0xFFFFFF go to a group.
 * Context: the hook's (rcu_read_lock()).
 * Return: RP_SNIC_PASS, RP_SNIC_MCAST_MISS (no decision on this sender:
 * for the core), or a drop.
 */
enum rp_snic_verdict rp_snic_mcast_data(const struct net *net, int ifindex,
					u32 tenant, enum rp_dir dir,
					struct sk_buff *skb,
					const struct rp_roce_pkt *pkt)
{
	struct rp_snic_mcast *s;

	if (pkt->dqpn != IB_MULTICAST_QPN || !(pkt->ext & RP_EXT_DETH) ||
	    pkt->class != RP_CLASS_SEND)
		return RP_SNIC_NO_RIGHT;
	if (dir == RP_DIR_FROM_VM) {
		s = rp_snic_mcast_find(net, tenant, &pkt->daddr, &pkt->saddr,
				       0, RP_MCAST_SENDER);
		if (!s)
			return RP_SNIC_MCAST_MISS;
		if (s->ifindex != ifindex)
			return RP_SNIC_SPOOFED;
		if (!READ_ONCE(s->allowed))
			return RP_SNIC_MCAST_DENIED;
		skb->mark |= rp_processed_mark;
		return RP_SNIC_PASS;
	}
	if (!rp_snic_mcast_find(net, tenant, &pkt->daddr, NULL, ifindex,
				RP_MCAST_MEMBER))
		return RP_SNIC_MCAST_NO_MEMBER;
	if (rp_skb_processed(skb)) {
		/* sent by a VM of this host: of the member's tenant only */
		s = rp_snic_mcast_find(net, tenant, &pkt->daddr, &pkt->saddr,
				       0, RP_MCAST_SENDER);
		if (!s || !READ_ONCE(s->allowed))
			return RP_SNIC_MCAST_DENIED;
	}
	return RP_SNIC_PASS;
}

/* The miss path: a sender no decision is held for goes to the core. */
enum rp_snic_verdict rp_snic_mcast_miss(struct net_device *dev,
					struct sk_buff *skb)
{
	return rp_mcast_send(dev, skb) == RP_EXC_FORWARD ? RP_SNIC_PASS :
							   RP_SNIC_MCAST_DENIED;
}

/* Is @skb (not RoCEv2) an IGMP message or an MLD report or done? */
static bool rp_snic_is_report(const struct sk_buff *skb)
{
	int off = skb_network_offset(skb), l4;
	struct ipv6hdr ip6_buf;
	const struct ipv6hdr *ip6;
	const struct iphdr *ip;
	struct iphdr ip_buf;
	__be16 frag_off;
	u8 nexthdr, buf;
	const u8 *type;

	if (skb->protocol == htons(ETH_P_IP)) {
		ip = skb_header_pointer(skb, off, sizeof(ip_buf), &ip_buf);
		return ip && ip->protocol == IPPROTO_IGMP;
	}
	if (skb->protocol != htons(ETH_P_IPV6))
		return false;
	ip6 = skb_header_pointer(skb, off, sizeof(ip6_buf), &ip6_buf);
	if (!ip6)
		return false;
	nexthdr = ip6->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr, &frag_off);
	if (l4 < 0 || nexthdr != IPPROTO_ICMPV6 || frag_off)
		return false;
	type = skb_header_pointer(skb, l4, sizeof(buf), &buf);
	return type && (*type == ICMPV6_MGM_REPORT ||
			*type == ICMPV6_MGM_REDUCTION ||
			*type == ICMPV6_MLD2_REPORT);
}

/**
 * rp_snic_mcast_report() - what a VM sends that is not RoCEv2: its
 * membership reports go to the core
 * @dev: the port
 * @skb: the packet
 *
 * Context: the hook's.
 * Return: RP_SNIC_NOT_ROCE (pass, uncounted) or RP_SNIC_MCAST_REPORT_DROP.
 */
enum rp_snic_verdict rp_snic_mcast_report(struct net_device *dev,
					  struct sk_buff *skb)
{
	if (!rp_snic_is_report(skb) ||
	    rp_mcast_report(dev, skb) == RP_EXC_FORWARD)
		return RP_SNIC_NOT_ROCE;
	return RP_SNIC_MCAST_REPORT_DROP;
}

int rp_snic_mcast_init(void)
{
	return rhashtable_init(&rp_snic_mcasts, &rp_snic_mcast_params);
}

static void rp_snic_mcast_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* No hook runs and the core calls no more: after rp_snic_flow_exit() */
void rp_snic_mcast_exit(void)
{
	rcu_barrier();		/* entries cleared with kfree_rcu() */
	rhashtable_free_and_destroy(&rp_snic_mcasts, rp_snic_mcast_free,
				    NULL);
}

static_assert(sizeof(struct rp_snic_mcast_key) == 48);
