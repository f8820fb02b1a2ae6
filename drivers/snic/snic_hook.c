// SPDX-License-Identifier: GPL-2.0
/*
 * The per-packet hook of the emulated SmartNIC and its classifier.
 *
 * A bound port (snic_port.c) gets a netfilter netdev ingress hook (packets
 * from the VM) and an egress hook (packets towards the VM).  Per packet:
 * RoCEv2 framing is checked (malformed RoCEv2 is dropped and counted by
 * reason); a CM message to QP1 without the processed flag goes to the
 * exception path, whose verdict is obeyed; flagged CM messages pass; data
 * packets pass only on an installed connection (snic_flow.c) with a
 * granted opcode.  Every verdict is counted (snic_stats.c).
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter_netdev.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>

#include "snic_fast.h"

bool rp_snic_check_icrc;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_check_icrc);
module_param_named(check_icrc, rp_snic_check_icrc, bool, 0644);
MODULE_PARM_DESC(check_icrc,
		 "drop RoCEv2 packets whose ICRC is wrong (as rxe does); off by default: the receiving device checks it anyway");

/* Is the ICRC at the end of the RoCEv2 datagram at @off in @skb right? */
static bool rp_snic_icrc_ok(const struct sk_buff *skb, int off,
			    const struct rp_roce_pkt *pkt)
{
	/* where the ICRC is: after the payload and pad (not the L2 pad) */
	unsigned int pos, end = pkt->payload_off + pkt->payload_len + pkt->pad;
	unsigned int n, hl = pkt->bth_off + IB_BTH_BYTES;
	/* the ICRC covers fixed headers only: IP, UDP, BTH */
	u8 hbuf[sizeof(struct ipv6hdr) + sizeof(struct udphdr) +
		IB_BTH_BYTES];
	__le32 wire_buf, *wire;
	const void *hdr;
	u8 buf[256];
	const u8 *p;
	u32 crc;

	if (hl > sizeof(hbuf))
		return false;	/* options or extension headers */
	hdr = skb_header_pointer(skb, off, hl, hbuf);
	if (!hdr || !rp_roce_icrc_begin(hdr, pkt, &crc))
		return false;
	for (pos = pkt->bth_off + IB_BTH_BYTES; pos < end; pos += n) {
		n = min_t(unsigned int, end - pos, sizeof(buf));
		p = skb_header_pointer(skb, off + pos, n, buf);
		if (!p)
			return false;
		crc = crc32_le(crc, p, n);
	}
	wire = skb_header_pointer(skb, off + end, sizeof(wire_buf), &wire_buf);
	return wire && le32_to_cpu(*wire) == ~crc;
}

/*
 * A data packet passes only on an installed connection, from its sender's
 * side, with a granted opcode and (if tracked) a PSN within the window.
 * It is checked once per host, where it enters; then it carries the
 * processed flag.
 */
static enum rp_snic_verdict rp_snic_data(const struct net *net, int ifindex,
					 u32 tenant, enum rp_dir dir,
					 struct sk_buff *skb,
					 const struct rp_roce_pkt *pkt)
{
	struct rp_snic_flow *flow;
	u32 state, peer_state, window;
	enum rp_snic_verdict v;

	if (rp_skb_processed(skb))
		return RP_SNIC_PASS;
	flow = rp_snic_flow_lookup(net, tenant, pkt);
	if (!flow)
		return RP_SNIC_NO_FLOW;
	v = rp_snic_flow_admit(flow, ifindex, dir,
			       rp_snic_rights_need(pkt->class), &state,
			       &peer_state);
	if (v != RP_SNIC_PASS)
		return v;
	/* a learned flow: its QP type, UD its sender's QP (snic_learn.c) */
	if (unlikely(peer_state & RP_SNIC_ST_LEARNED)) {
		v = rp_snic_learned_check(flow, peer_state, skb, pkt);
		if (v != RP_SNIC_PASS)
			return v;
	}
	window = READ_ONCE(rp_snic_psn_window);
	if ((state & RP_SNIC_ST_TRACK) && window &&
	    !rp_snic_psn_ok(flow, pkt->class, pkt->psn, window))
		return RP_SNIC_PSN;
	rp_snic_flow_touch(flow);
	skb->mark |= rp_processed_mark;
	return RP_SNIC_PASS;
}

/*
 * Is the IPv6 packet at @off, past all its extension headers, UDP to port
 * 4791 (or can we not tell)?  rp_roce_parse() walks a few extension
 * headers within the bytes it is given and refuses longer chains, since
 * they could hide RoCEv2 from it; traffic that is not RoCEv2 must pass
 * whatever its chain, so when the parser refuses, the chain is walked here
 * on the whole skb, as the receiver's stack would walk it.
 */
static bool rp_snic_ipv6_may_be_roce(const struct sk_buff *skb, int off)
{
	const struct ipv6hdr *ip6;
	struct ipv6hdr ip6_buf;
	const __be16 *dport;
	__be16 frag_off, buf;
	u8 nexthdr;
	int l4;

	ip6 = skb_header_pointer(skb, off, sizeof(*ip6), &ip6_buf);
	if (!ip6)
		return true;
	nexthdr = ip6->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr, &frag_off);
	if (l4 < 0)
		return true;		/* cut short: the parser's verdict */
	if (nexthdr != IPPROTO_UDP || (frag_off & htons(IP6_OFFSET)))
		return false;		/* not UDP, or a later fragment */
	dport = skb_header_pointer(skb, l4 + offsetof(struct udphdr, dest),
				   sizeof(buf), &buf);
	return !dport || *dport == htons(ROCE_V2_UDP_DPORT);
}

/* rp_snic_parse() of a copy: the skb's linear head had too little */
static noinline enum rp_roce_verdict
rp_snic_parse_copy(const struct sk_buff *skb, int off, unsigned int copy,
		   unsigned int len, u16 l3proto, struct rp_roce_pkt *pkt)
{
	u8 buf[RP_ROCE_MAX_HDR];
	const void *hdr;

	hdr = skb_header_pointer(skb, off, copy, buf);
	if (!hdr)
		return RP_ROCE_NOT;
	return rp_roce_parse(hdr, copy, len, l3proto, pkt);
}

/*
 * rp_roce_parse() of the packet at @off in @skb (@len bytes to its end),
 * given all the bytes the parser may read (RP_ROCE_MAX_HDR).  They are
 * read in place when the linear head has them; when it has fewer (a
 * nonlinear skb), in place too if those are enough for the parser to
 * decide: it reads only within what it is given, and says
 * RP_ROCE_ERR_TRUNC (under in-band tags, RP_ROCE_ERR_VLAN) when that is
 * not enough.  On that, and on any other error, it parses a copy of all.
 */
static enum rp_roce_verdict rp_snic_parse(const struct sk_buff *skb,
					  int off, unsigned int len,
					  u16 l3proto, struct rp_roce_pkt *pkt)
{
	unsigned int copy = min_t(unsigned int, len, RP_ROCE_MAX_HDR);
	unsigned int head = skb_headlen(skb) > off ? skb_headlen(skb) - off :
						     0;
	enum rp_roce_verdict v = RP_ROCE_ERR_TRUNC;

	if (head)
		v = rp_roce_parse(skb->data + off, min(head, copy), len,
				  l3proto, pkt);
	if (likely(v == RP_ROCE_OK || v == RP_ROCE_NOT || head >= copy))
		return v;
	return rp_snic_parse_copy(skb, off, copy, len, l3proto, pkt);
}

/*
 * Tenants meet only where the policy says: a packet on its way out of a
 * port (towards a VM, or into an overlay) that this host received on
 * another bound port (skb_iif: a VM's port, or an overlay's, after the
 * vxlan driver took the outer headers off) must be of that port's
 * tenant.  Packets the host received elsewhere (a flat uplink, a port
 * not bound) or made itself are not judged here.
 */
bool rp_snic_origin_ok(const struct net *net, const struct sk_buff *skb,
		       int ifindex, u32 tenant)
{
	const struct rp_snic_port *from;

	if (!skb->skb_iif || skb->skb_iif == ifindex)
		return true;
	from = rp_snic_port_lookup(net, skb->skb_iif);
	return !from || READ_ONCE(from->tenant) == tenant;
}

/* Where RoCE may begin in @skb: past in-band VLAN tags; -1: nowhere. */
static int rp_snic_l3_off(const struct sk_buff *skb)
{
	u16 l3proto = ntohs(skb->protocol);
	int off = skb_network_offset(skb);

	/*
	 * In-band VLAN tags follow the Ethernet header, whether the network
	 * header was left before them (the receive path's untagging of the
	 * outer tag) or after them (vlan_insert_tag()).
	 */
	if ((l3proto == ETH_P_8021Q || l3proto == ETH_P_8021AD) &&
	    skb_mac_header_was_set(skb))
		off = skb_mac_offset(skb) + ETH_HLEN;
	if (off < 0 || skb->len <= off)
		return -1;
	return off;
}

/**
 * rp_snic_classify_full() - what the NIC makes of a packet on a VM port
 * @net: the port's namespace
 * @ifindex: the port's ifindex
 * @tenant: the tenant of the port's VM: only its flows match
 * @dir: RP_DIR_FROM_VM (netdev ingress) or RP_DIR_TO_VM (egress)
 * @skb: the packet, its network header set (and its MAC header, for
 *	 in-band VLAN tags)
 * @pkt: out: on RP_SNIC_CM_PUNT, the parse of the message (rp_roce_parse()
 *	 of the bytes at its network header), for the exception path
 *
 * RoCEv2 framing is checked as rxe's receive path checks it (and the ICRC
 * too with check_icrc=1); CM messages (to QP1) pass if they carry the
 * processed flag, else they are for the exception path; data is checked
 * against the installed connections, data to a multicast group against
 * its members and senders (snic_mcast.c).  A data packet that passes gets
 * the processed flag.  RoCE the NIC cannot police is dropped: RoCEv2 in a
 * GSO/GRO skb, RoCEv1, RoCE under an in-band (inner) VLAN tag.
 *
 * The full path: every packet rp_snic_fast() leaves (RP_SNIC_SLOW) comes
 * here, and the fast route must decide what this decides for the packets
 * it takes.  Exported (RP_SNIC_INTERNAL) for KUnit (which compares the two)
 * and rp_bench's profile.
 *
 * Context: rcu_read_lock() (a netfilter hook).
 * Return: a verdict; RP_SNIC_PASS, RP_SNIC_CM_FLAGGED and RP_SNIC_NOT_ROCE
 * pass, RP_SNIC_CM_PUNT goes to the exception path, the rest are drops.
 */
enum rp_snic_verdict rp_snic_classify_full(const struct net *net,
					   int ifindex, u32 tenant,
					   enum rp_dir dir,
					   struct sk_buff *skb,
					   struct rp_roce_pkt *pkt)
{
	u16 l3proto = ntohs(skb->protocol);
	enum rp_roce_verdict v;
	int off;

	off = rp_snic_l3_off(skb);
	if (off < 0)
		return RP_SNIC_NOT_ROCE;

	/*
	 * What parses (RP_ROCE_OK) begins at the network header: RoCE
	 * under in-band tags (where @off is past the MAC header instead)
	 * never does, so the exception path gets the parse of the bytes it
	 * reads.
	 */
	v = rp_snic_parse(skb, off, skb->len - off, l3proto, pkt);
	if (v == RP_ROCE_NOT)
		return RP_SNIC_NOT_ROCE;
	if (v != RP_ROCE_OK) {
		if (l3proto == ETH_P_IPV6 &&
		    !rp_snic_ipv6_may_be_roce(skb, off))
			return RP_SNIC_NOT_ROCE;
		return RP_SNIC_BAD + v - RP_ROCE_ERR_TRUNC;
	}
	/*
	 * A GSO/GRO skb is several datagrams under the first one's headers:
	 * the segments after the first begin with bytes of the sender's
	 * choosing and would all leave with the processed flag.  RoCEv2 is
	 * not sent so (rxe sends one datagram per skb).
	 */
	if (skb_is_gso(skb))
		return RP_SNIC_GSO;
	if (dir == RP_DIR_TO_VM && !rp_snic_origin_ok(net, skb, ifindex, tenant))
		return RP_SNIC_TENANT;
	if (READ_ONCE(rp_snic_check_icrc) &&
	    !rp_snic_icrc_ok(skb, off, pkt))
		return RP_SNIC_ICRC;
	if (unlikely(rp_snic_is_group(&pkt->daddr)))
		return rp_snic_mcast_data(net, ifindex, tenant, dir, skb, pkt);
	if (pkt->dqpn == RP_QPN_GSI)
		return rp_skb_processed(skb) ? RP_SNIC_CM_FLAGGED :
					       RP_SNIC_CM_PUNT;
	return rp_snic_data(net, ifindex, tenant, dir, skb, pkt);
}
EXPORT_SYMBOL_NS_GPL(rp_snic_classify_full, RP_SNIC_INTERNAL);

/**
 * rp_snic_classify() - what the NIC makes of a packet on a VM port
 * @net: the port's namespace
 * @ifindex: the port's ifindex
 * @tenant: the tenant of the port's VM: only its flows match
 * @dir: RP_DIR_FROM_VM (netdev ingress) or RP_DIR_TO_VM (egress)
 * @skb: the packet (see rp_snic_classify_full())
 *
 * The fast route (snic_fast.c) for the common data packet, the full path
 * (rp_snic_classify_full()) for everything else: the same verdicts.
 * Exported (RP_SNIC_INTERNAL) for KUnit and rp_bench's profile.
 *
 * Context: rcu_read_lock() (a netfilter hook).
 * Return: as rp_snic_classify_full().
 */
enum rp_snic_verdict rp_snic_classify(const struct net *net, int ifindex,
				      u32 tenant, enum rp_dir dir,
				      struct sk_buff *skb)
{
	enum rp_snic_verdict v = RP_SNIC_SLOW;
	struct rp_roce_pkt pkt;

	if (likely(READ_ONCE(rp_snic_fast_on)))
		v = __rp_snic_fast(net, ifindex, tenant, dir, skb);
	if (likely(v != RP_SNIC_SLOW))
		return v;
	return rp_snic_classify_full(net, ifindex, tenant, dir, skb, &pkt);
}
EXPORT_SYMBOL_NS_GPL(rp_snic_classify, RP_SNIC_INTERNAL);

/*
 * What the hook does with the verdict @v of @skb on @port: the miss
 * paths, the counters, the exception path for a CM message (given the
 * full path's parse @pkt; NULL: it parses itself), then accept or drop.
 */
static __always_inline unsigned int
rp_snic_obey(struct rp_snic_port *port, enum rp_dir dir, struct sk_buff *skb,
	     enum rp_snic_verdict v, const struct rp_roce_pkt *pkt)
{
	struct rp_snic_stats *st = this_cpu_ptr(port->stats);

	if (v == RP_SNIC_NOT_ROCE && dir == RP_DIR_FROM_VM)
		v = rp_snic_mcast_report(port->dev, skb);	/* IGMP, MLD */
	if (v == RP_SNIC_NOT_ROCE)
		return NF_ACCEPT;
	if (v == RP_SNIC_NO_FLOW)	/* the miss path: learned flows */
		v = rp_snic_learn_miss(port->dev, dir, skb);
	else if (v == RP_SNIC_MCAST_MISS)	/* ... and group senders */
		v = rp_snic_mcast_miss(port->dev, skb);
	rp_snic_count(st, &st->v[dir][v]);
	switch (v) {
	case RP_SNIC_PASS:
	case RP_SNIC_CM_FLAGGED:
		return NF_ACCEPT;
	case RP_SNIC_CM_PUNT:
		if (rp_exception(port->dev, dir, skb, pkt) == RP_EXC_FORWARD)
			return NF_ACCEPT;
		rp_snic_count(st, &st->cm_dropped[dir]);
		return NF_DROP;
	default:
		return NF_DROP;
	}
}

/*
 * The hook past the fast route: the full path, whose parse (on its stack
 * here, not on the fast route's) goes with a CM message to the exception
 * path, which then does not parse it again.
 */
static noinline unsigned int rp_snic_hook_full(struct rp_snic_port *port,
					       enum rp_dir dir,
					       struct sk_buff *skb,
					       const struct net *net,
					       u32 tenant)
{
	struct rp_roce_pkt pkt;
	enum rp_snic_verdict v;

	v = rp_snic_classify_full(net, port->dev->ifindex, tenant, dir, skb,
				  &pkt);
	return rp_snic_obey(port, dir, skb, v, &pkt);
}

/*
 * The netfilter hook of a bound port (@priv), both directions: what
 * rp_snic_classify() does, then rp_snic_obey().
 * Context: rcu_read_lock(), BHs off.
 */
unsigned int rp_snic_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	enum rp_dir dir = state->hook == NF_NETDEV_INGRESS ?
			  RP_DIR_FROM_VM : RP_DIR_TO_VM;
	struct rp_snic_port *port = priv;
	u32 tenant = READ_ONCE(port->tenant);
	enum rp_snic_verdict v = RP_SNIC_SLOW;

	if (likely(READ_ONCE(rp_snic_fast_on)))
		v = __rp_snic_fast(state->net, port->dev->ifindex, tenant,
				   dir, skb);
	if (unlikely(v == RP_SNIC_SLOW))
		return rp_snic_hook_full(port, dir, skb, state->net, tenant);
	/* the fast route takes no CM message: no parse to give */
	return rp_snic_obey(port, dir, skb, v, NULL);
}

/*
 * The hook of a bound overlay device (@priv), where packets go into it
 * (to be encapsulated in its VNI): RoCEv2 from a port of another tenant
 * is dropped and counted (as "to" the port, wrong_tenant); the rest is
 * not the NIC's to judge.
 * Context: rcu_read_lock(), BHs off.
 */
unsigned int rp_snic_overlay_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct rp_snic_port *port = priv;
	struct rp_roce_pkt pkt;
	int off;

	if (rp_snic_origin_ok(state->net, skb, port->dev->ifindex,
			      READ_ONCE(port->tenant)))
		return NF_ACCEPT;
	off = rp_snic_l3_off(skb);
	if (off < 0 || rp_snic_parse(skb, off, skb->len - off,
				     ntohs(skb->protocol), &pkt) == RP_ROCE_NOT)
		return NF_ACCEPT;
	rp_snic_count(this_cpu_ptr(port->stats),
		      &this_cpu_ptr(port->stats)->v[RP_DIR_TO_VM][RP_SNIC_TENANT]);
	return NF_DROP;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_overlay_hook);
