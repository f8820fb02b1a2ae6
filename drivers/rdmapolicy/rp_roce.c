// SPDX-License-Identifier: GPL-2.0
/*
 * RoCEv2 framing parser: IPv4/IPv6 + UDP 4791 + BTH + extension headers.
 *
 * See include/rdmapolicy/roce.h for the contract.  Field accessors come from
 * the kernel's own rdma/ib_hdrs.h and opcodes from rdma/ib_pack.h.
 */
#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_hdrs.h>
#include <rdma/ib_verbs.h>

#include <rdmapolicy/roce.h>

/* Not named by 6.1's ib_pack.h. */
#define RP_OPCODE_XRC		0xa0
#define RP_OPCODE_CNP		(IB_OPCODE_CNP | 0x01)
#define RP_OPCODE_TRANSPORT	0xe0
#define RP_OPCODE_OP		0x1f

#define RP_INFO(class, ext)	((u16)(((class) << 12) | (ext)))
#define RP_INFO_CLASS(info)	((info) >> 12)
#define RP_INFO_EXT(info)	((info) & 0x0fff)

/* Class and extension headers of an RC operation (low 5 opcode bits). */
static u16 rp_rc_op_info(u8 op)
{
	switch (op) {
	case IB_OPCODE_SEND_FIRST:
	case IB_OPCODE_SEND_MIDDLE:
	case IB_OPCODE_SEND_LAST:
	case IB_OPCODE_SEND_ONLY:
		return RP_INFO(RP_CLASS_SEND, 0);
	case IB_OPCODE_SEND_LAST_WITH_IMMEDIATE:
	case IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE:
		return RP_INFO(RP_CLASS_SEND, RP_EXT_IMMDT);
	case IB_OPCODE_SEND_LAST_WITH_INVALIDATE:
	case IB_OPCODE_SEND_ONLY_WITH_INVALIDATE:
		return RP_INFO(RP_CLASS_SEND, RP_EXT_IETH);
	case IB_OPCODE_RDMA_WRITE_FIRST:
	case IB_OPCODE_RDMA_WRITE_ONLY:
		return RP_INFO(RP_CLASS_WRITE, RP_EXT_RETH);
	case IB_OPCODE_RDMA_WRITE_MIDDLE:
	case IB_OPCODE_RDMA_WRITE_LAST:
		return RP_INFO(RP_CLASS_WRITE, 0);
	case IB_OPCODE_RDMA_WRITE_LAST_WITH_IMMEDIATE:
		return RP_INFO(RP_CLASS_WRITE, RP_EXT_IMMDT);
	case IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE:
		return RP_INFO(RP_CLASS_WRITE, RP_EXT_RETH | RP_EXT_IMMDT);
	case IB_OPCODE_RDMA_READ_REQUEST:
		return RP_INFO(RP_CLASS_READ_REQ, RP_EXT_RETH);
	case IB_OPCODE_RDMA_READ_RESPONSE_FIRST:
	case IB_OPCODE_RDMA_READ_RESPONSE_LAST:
	case IB_OPCODE_RDMA_READ_RESPONSE_ONLY:
		return RP_INFO(RP_CLASS_READ_RESP, RP_EXT_AETH);
	case IB_OPCODE_RDMA_READ_RESPONSE_MIDDLE:
		return RP_INFO(RP_CLASS_READ_RESP, 0);
	case IB_OPCODE_ACKNOWLEDGE:
		return RP_INFO(RP_CLASS_ACK, RP_EXT_AETH);
	case IB_OPCODE_ATOMIC_ACKNOWLEDGE:
		return RP_INFO(RP_CLASS_ATOMIC_ACK, RP_EXT_AETH | RP_EXT_ATMACK);
	case IB_OPCODE_COMPARE_SWAP:
	case IB_OPCODE_FETCH_ADD:
		return RP_INFO(RP_CLASS_ATOMIC, RP_EXT_ATOMICETH);
	default:
		return 0;
	}
}

static bool rp_class_is_request(unsigned int class)
{
	return class == RP_CLASS_SEND || class == RP_CLASS_WRITE ||
	       class == RP_CLASS_READ_REQ || class == RP_CLASS_ATOMIC;
}

/* Class and extension headers of @opcode, or 0 if no RoCEv2 device takes it. */
static __always_inline u16 rp_opcode_info(u8 opcode)
{
	u8 op = opcode & RP_OPCODE_OP;
	u16 info;

	switch (opcode & RP_OPCODE_TRANSPORT) {
	case IB_OPCODE_RC:
		return rp_rc_op_info(op);
	case IB_OPCODE_UC:
		return op <= IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE ?
		       rp_rc_op_info(op) : 0;
	case IB_OPCODE_UD:
		if (op == IB_OPCODE_SEND_ONLY)
			return RP_INFO(RP_CLASS_SEND, RP_EXT_DETH);
		if (op == IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE)
			return RP_INFO(RP_CLASS_SEND, RP_EXT_DETH | RP_EXT_IMMDT);
		return 0;
	case RP_OPCODE_XRC:
		info = rp_rc_op_info(op);
		if (info && rp_class_is_request(RP_INFO_CLASS(info)))
			info |= RP_EXT_XRCETH;
		return info;
	case IB_OPCODE_CNP:
		return opcode == RP_OPCODE_CNP ?
		       RP_INFO(RP_CLASS_CNP, RP_EXT_CNP) : 0;
	default:	/* RD and MSP are not RoCEv2 transports */
		return 0;
	}
}

/**
 * rp_roce_opcode_ext() - extension headers carried by a BTH opcode
 * @opcode: BTH opcode
 *
 * Return: mask of enum rp_roce_ext, 0 for opcodes with only a BTH (and for
 * invalid opcodes; use rp_roce_parse() to tell those apart).
 */
u16 rp_roce_opcode_ext(u8 opcode)
{
	return RP_INFO_EXT(rp_opcode_info(opcode));
}
EXPORT_SYMBOL_GPL(rp_roce_opcode_ext);

/**
 * rp_roce_opcode_class() - the class of a BTH opcode
 * @opcode: BTH opcode
 *
 * For tables of the data path (the SmartNIC's fast route builds one at
 * init from this and rp_roce_opcode_ext()).
 * Return: its enum rp_roce_class, 0 if no RoCEv2 device takes it.
 */
u8 rp_roce_opcode_class(u8 opcode)
{
	return RP_INFO_CLASS(rp_opcode_info(opcode));
}
EXPORT_SYMBOL_GPL(rp_roce_opcode_class);

/**
 * rp_roce_ext_len() - bytes taken by a set of extension headers
 * @ext: mask of enum rp_roce_ext
 *
 * DETH 8, XRCETH 4, RETH 16, AtomicETH 28, AETH 4 (bits 0-4); AtomicAckETH
 * 8, ImmDt 4, IETH 4, a CNP's 16 reserved bytes (bits 5-8): two tables of
 * sums (rp_roce_kunit checks them against the lengths one by one).
 */
unsigned int rp_roce_ext_len(u16 ext)
{
	/* index: the mask's bits 0-4, each entry the sum of their lengths */
	static const u8 lo[32] = {
		0, 8, 4, 12, 16, 24, 20, 28,
		28, 36, 32, 40, 44, 52, 48, 56,
		4, 12, 8, 16, 20, 28, 24, 32,
		32, 40, 36, 44, 48, 56, 52, 60,
	};
	/* index: bits 5-8 */
	static const u8 hi[16] = {
		0, 8, 4, 12, 4, 12, 8, 16,
		16, 24, 20, 28, 20, 28, 24, 32,
	};

	return lo[ext & 0x1f] + hi[(ext >> 5) & 0xf];
}
EXPORT_SYMBOL_GPL(rp_roce_ext_len);

static const char * const rp_verdict_names[RP_ROCE_VERDICT_MAX] = {
	[RP_ROCE_OK]		= "ok",
	[RP_ROCE_NOT]		= "not_roce",
	[RP_ROCE_ERR_TRUNC]	= "truncated",
	[RP_ROCE_ERR_IP]	= "bad_ip",
	[RP_ROCE_ERR_FRAG]	= "fragment",
	[RP_ROCE_ERR_UDP_LEN]	= "bad_udp_len",
	[RP_ROCE_ERR_TVER]	= "bad_tver",
	[RP_ROCE_ERR_OPCODE]	= "bad_opcode",
	[RP_ROCE_ERR_LEN]	= "bad_len",
	[RP_ROCE_ERR_ROCEV1]	= "rocev1",
	[RP_ROCE_ERR_VLAN]	= "vlan",
};

const char *rp_roce_verdict_name(enum rp_roce_verdict v)
{
	return (unsigned int)v < RP_ROCE_VERDICT_MAX ? rp_verdict_names[v] : "?";
}
EXPORT_SYMBOL_GPL(rp_roce_verdict_name);

/* Position of the UDP header and the end of the IP datagram. */
struct rp_l3 {
	unsigned int l4off;	/* UDP header offset */
	unsigned int end;	/* end of the IP datagram */
	bool first_frag;	/* a fragment that holds the UDP header */
	bool later_frag;	/* a fragment past the UDP header */
};

static enum rp_roce_verdict rp_roce_ipv4(const u8 *p, unsigned int hdr_len,
					 unsigned int pkt_len,
					 struct rp_roce_pkt *pkt,
					 struct rp_l3 *l3)
{
	struct iphdr iph;
	unsigned int ihl, tot;

	if (hdr_len < sizeof(iph))
		return RP_ROCE_ERR_TRUNC;
	memcpy(&iph, p, sizeof(iph));
	ihl = iph.ihl * 4;
	tot = ntohs(iph.tot_len);
	if (iph.version != 4 || ihl < sizeof(iph) || tot < ihl || tot > pkt_len)
		return RP_ROCE_ERR_IP;
	if (iph.protocol != IPPROTO_UDP)
		return RP_ROCE_NOT;
	if (iph.frag_off & htons(IP_OFFSET))
		l3->later_frag = true;
	else if (iph.frag_off & htons(IP_MF))
		l3->first_frag = true;
	ipv6_addr_set_v4mapped(iph.saddr, &pkt->saddr);
	ipv6_addr_set_v4mapped(iph.daddr, &pkt->daddr);
	pkt->ip_version = 4;
	l3->l4off = ihl;
	l3->end = tot;
	return RP_ROCE_OK;
}

/* At most this many IPv6 extension headers are walked to find UDP. */
#define RP_IPV6_MAX_EXTHDRS	4

static enum rp_roce_verdict rp_roce_ipv6(const u8 *p, unsigned int hdr_len,
					 unsigned int pkt_len,
					 struct rp_roce_pkt *pkt,
					 struct rp_l3 *l3)
{
	struct ipv6hdr ip6;
	unsigned int off = sizeof(ip6), i, end;
	u8 nexthdr;

	if (hdr_len < sizeof(ip6))
		return RP_ROCE_ERR_TRUNC;
	memcpy(&ip6, p, sizeof(ip6));
	end = sizeof(ip6) + ntohs(ip6.payload_len);
	/* payload_len 0 is a jumbogram: never RoCEv2 on a VM port */
	if (ip6.version != 6 || end == sizeof(ip6) || end > pkt_len)
		return RP_ROCE_ERR_IP;
	nexthdr = ip6.nexthdr;

	/*
	 * The receiver's IPv6 stack skips extension headers before UDP, so
	 * they must not hide a RoCEv2 packet from us.
	 */
	for (i = 0; nexthdr != IPPROTO_UDP; i++) {
		u8 eh[2];

		if (nexthdr != NEXTHDR_HOP && nexthdr != NEXTHDR_ROUTING &&
		    nexthdr != NEXTHDR_DEST && nexthdr != NEXTHDR_FRAGMENT)
			return RP_ROCE_NOT;
		if (i == RP_IPV6_MAX_EXTHDRS || off + 8 > end)
			return RP_ROCE_ERR_IP;
		if (off + 8 > hdr_len)
			return RP_ROCE_ERR_TRUNC;
		memcpy(eh, p + off, sizeof(eh));
		if (nexthdr == NEXTHDR_FRAGMENT) {
			__be16 fo;

			memcpy(&fo, p + off + 2, sizeof(fo));
			if (fo & htons(IP6_OFFSET))
				l3->later_frag = true;
			else if (fo & htons(IP6_MF))
				l3->first_frag = true;
			off += 8;
		} else {
			off += (eh[1] + 1) * 8;
		}
		nexthdr = eh[0];
	}
	pkt->saddr = ip6.saddr;
	pkt->daddr = ip6.daddr;
	pkt->ip_version = 6;
	l3->l4off = off;
	l3->end = end;
	return RP_ROCE_OK;
}

static bool rp_ethertype_vlan(u16 proto)
{
	return proto == ETH_P_8021Q || proto == ETH_P_8021AD;
}

/* In-band VLAN tags nested deeper than this are refused. */
#define RP_VLAN_MAX_TAGS	8

/*
 * In-band VLAN tags (a receive path takes the outer tag of a frame out
 * into skb->vlan_tci; tags left in the bytes are inner ones, QinQ): @p
 * starts at the first tag's TCI.  Connections are not keyed by VLAN and
 * the exception path does not parse tags, so RoCE (v1 or v2, well framed
 * or not) hidden under one is refused; what they hide that is not RoCE
 * passes.
 */
static enum rp_roce_verdict rp_roce_vlan(const u8 *p, unsigned int hdr_len,
					 unsigned int pkt_len)
{
	struct rp_roce_pkt inner;
	enum rp_roce_verdict v;
	unsigned int off = 0;
	int tags = 0;
	__be16 proto;

	do {
		if (++tags > RP_VLAN_MAX_TAGS)
			return RP_ROCE_ERR_VLAN;
		if (off + VLAN_HLEN > hdr_len)
			return RP_ROCE_ERR_TRUNC;
		memcpy(&proto, p + off + 2, sizeof(proto));
		off += VLAN_HLEN;
	} while (rp_ethertype_vlan(ntohs(proto)));

	v = rp_roce_parse(p + off, hdr_len - off, pkt_len - off, ntohs(proto),
			  &inner);
	return v == RP_ROCE_NOT || v == RP_ROCE_ERR_ROCEV1 ? v :
							     RP_ROCE_ERR_VLAN;
}

/* One packet through rp_roce_parse()'s stages. */
struct rp_roce_rx {
	const u8 *p;			/* from the IP header */
	unsigned int hdr_len;		/* bytes at @p */
	unsigned int pkt_len;		/* bytes of the packet from @p */
	struct rp_roce_pkt *pkt;	/* filled as the stages go */
	struct rp_l3 l3;
	struct udphdr uh;
	struct ib_other_headers oh;	/* its BTH only */
	unsigned int udplen;		/* UDP length, header included */
	unsigned int bth;		/* BTH offset */
	unsigned int extlen;		/* extension headers after the BTH */
	unsigned int need;		/* UDP bytes the headers need */
	u16 info;			/* the opcode's class and extensions */
};

/* The IP header, by ethertype. */
static enum rp_roce_verdict rp_roce_l3(struct rp_roce_rx *rx, u16 l3proto)
{
	if (l3proto == ETH_P_IP)
		return rp_roce_ipv4(rx->p, rx->hdr_len, rx->pkt_len, rx->pkt,
				    &rx->l3);
	if (l3proto == ETH_P_IPV6)
		return rp_roce_ipv6(rx->p, rx->hdr_len, rx->pkt_len, rx->pkt,
				    &rx->l3);
	if (l3proto == ETH_P_IBOE)	/* GRH + BTH, no IP: not policed */
		return RP_ROCE_ERR_ROCEV1;
	if (rp_ethertype_vlan(l3proto))
		return rp_roce_vlan(rx->p, rx->hdr_len, rx->pkt_len);
	return RP_ROCE_NOT;
}

/* A UDP header to the RoCEv2 port, whole in the first fragment. */
static enum rp_roce_verdict rp_roce_udp(struct rp_roce_rx *rx)
{
	const struct rp_l3 *l3 = &rx->l3;

	/* A non-first fragment cannot be told apart; its first one can. */
	if (l3->later_frag)
		return RP_ROCE_NOT;
	/* a first fragment too small to show its ports is refused */
	if (l3->l4off + sizeof(rx->uh) > l3->end)
		return l3->first_frag ? RP_ROCE_ERR_FRAG : RP_ROCE_ERR_UDP_LEN;
	if (l3->l4off + sizeof(rx->uh) > rx->hdr_len)
		return RP_ROCE_ERR_TRUNC;
	memcpy(&rx->uh, rx->p + l3->l4off, sizeof(rx->uh));
	if (rx->uh.dest != htons(ROCE_V2_UDP_DPORT))
		return RP_ROCE_NOT;
	return RP_ROCE_OK;
}

/*
 * IPv4 addresses are keyed v4-mapped (as in a GID): an IPv6 packet with a
 * v4-mapped address would pass for an IPv4 one.
 */
static enum rp_roce_verdict rp_roce_addrs(struct rp_roce_rx *rx)
{
	const struct rp_roce_pkt *pkt = rx->pkt;

	if (pkt->ip_version == 6 && (ipv6_addr_v4mapped(&pkt->saddr) ||
				     ipv6_addr_v4mapped(&pkt->daddr)))
		return RP_ROCE_ERR_IP;
	return RP_ROCE_OK;
}

/* Not fragmented, and a UDP length that holds a BTH and an ICRC. */
static enum rp_roce_verdict rp_roce_udp_len(struct rp_roce_rx *rx)
{
	if (rx->l3.first_frag)
		return RP_ROCE_ERR_FRAG;
	rx->udplen = ntohs(rx->uh.len);
	if (rx->udplen < sizeof(rx->uh) ||
	    rx->l3.l4off + rx->udplen > rx->l3.end)
		return RP_ROCE_ERR_UDP_LEN;
	if (rx->udplen < sizeof(rx->uh) + IB_BTH_BYTES + IB_ICRC_BYTES)
		return RP_ROCE_ERR_LEN;
	return RP_ROCE_OK;
}

/* The BTH: transport version 0 and an opcode we know. */
static enum rp_roce_verdict rp_roce_bth(struct rp_roce_rx *rx)
{
	struct ib_other_headers *oh = &rx->oh;

	rx->bth = rx->l3.l4off + sizeof(rx->uh);
	if (rx->bth + IB_BTH_BYTES > rx->hdr_len)
		return RP_ROCE_ERR_TRUNC;
	memcpy(&oh->bth, rx->p + rx->bth, IB_BTH_BYTES);
	if (ib_bth_get_tver(oh) != 0)
		return RP_ROCE_ERR_TVER;
	rx->pkt->opcode = ib_bth_get_opcode(oh);
	rx->info = rp_opcode_info(rx->pkt->opcode);
	if (!rx->info)
		return RP_ROCE_ERR_OPCODE;
	return RP_ROCE_OK;
}

/* The opcode's extension headers, pad and ICRC fit the UDP length. */
static enum rp_roce_verdict rp_roce_ext(struct rp_roce_rx *rx)
{
	rx->pkt->pad = ib_bth_get_pad(&rx->oh);
	rx->extlen = rp_roce_ext_len(RP_INFO_EXT(rx->info));
	rx->need = sizeof(rx->uh) + IB_BTH_BYTES + rx->extlen + rx->pkt->pad +
		   IB_ICRC_BYTES;
	if (rx->need > rx->udplen)
		return RP_ROCE_ERR_LEN;
	if (rx->bth + IB_BTH_BYTES + rx->extlen > rx->hdr_len)
		return RP_ROCE_ERR_TRUNC;
	return RP_ROCE_OK;
}

/* Every stage passed: the rest of the parse. */
static void rp_roce_fill(struct rp_roce_rx *rx)
{
	struct ib_other_headers *oh = &rx->oh;
	struct rp_roce_pkt *pkt = rx->pkt;

	pkt->class = RP_INFO_CLASS(rx->info);
	pkt->ext = RP_INFO_EXT(rx->info);
	pkt->sport = ntohs(rx->uh.source);
	pkt->dqpn = ib_bth_get_qpn(oh);
	/* ib_bth_get_psn(): the whole third BTH word, AckReq bit included */
	pkt->psn = ib_bth_get_psn(oh) & RP_PSN_MASK;
	pkt->ack_req = ib_bth_get_ackreq(oh);
	pkt->bth_off = rx->bth;
	pkt->hdr_len = IB_BTH_BYTES + rx->extlen;
	pkt->payload_off = rx->bth + IB_BTH_BYTES + rx->extlen;
	pkt->payload_len = rx->udplen - rx->need;
}

/*
 * The common packet in one pass: IPv4 without options or IPv6 without
 * extension headers, neither fragmented, UDP to 4791, a BTH of transport
 * version 0 with an opcode we know, its extension headers, pad and ICRC
 * within the UDP length, all headers within @hdr_len.  Each check is one of
 * the stages' below with the outcome they give a well-framed packet, so a
 * packet that passes them all passes the stages with the same result
 * (rp_roce_kunit compares the two); any other packet, well framed or not,
 * is left to the stages: false, @pkt in any state.
 */
static bool rp_roce_fast(const u8 *p, unsigned int hdr_len,
			 unsigned int pkt_len, u16 l3proto,
			 struct rp_roce_pkt *pkt)
{
	unsigned int l4, end, udplen, bth, extlen, need;
	struct ib_other_headers oh;
	__be16 sport;
	u16 info;

	if (l3proto == ETH_P_IP) {
		/* version 4, IHL 5, UDP, no MF, offset 0, tot_len in the frame */
		if (hdr_len < sizeof(struct iphdr) + 8 + IB_BTH_BYTES ||
		    p[0] != 0x45 || p[9] != IPPROTO_UDP ||
		    (get_unaligned_be16(p + 6) & (IP_MF | IP_OFFSET)))
			return false;
		l4 = sizeof(struct iphdr);
		end = get_unaligned_be16(p + 2);
		memset(pkt, 0, sizeof(*pkt));
		ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(p + 12)),
				       &pkt->saddr);
		ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(p + 16)),
				       &pkt->daddr);
		pkt->ip_version = 4;
	} else if (l3proto == ETH_P_IPV6) {
		/* version 6, next header UDP, payload in the frame, not mapped */
		if (hdr_len < sizeof(struct ipv6hdr) + 8 + IB_BTH_BYTES ||
		    (p[0] >> 4) != 6 || p[6] != IPPROTO_UDP)
			return false;
		l4 = sizeof(struct ipv6hdr);
		end = l4 + get_unaligned_be16(p + 4);
		memset(pkt, 0, sizeof(*pkt));
		memcpy(&pkt->saddr, p + 8, sizeof(pkt->saddr));
		memcpy(&pkt->daddr, p + 24, sizeof(pkt->daddr));
		if (ipv6_addr_v4mapped(&pkt->saddr) ||
		    ipv6_addr_v4mapped(&pkt->daddr))
			return false;
		pkt->ip_version = 6;
	} else {
		return false;
	}
	/* UDP to 4791 whose length holds a BTH and an ICRC */
	udplen = get_unaligned_be16(p + l4 + 4);
	if (end > pkt_len ||
	    get_unaligned((const __be16 *)(p + l4 + 2)) !=
	    htons(ROCE_V2_UDP_DPORT) ||
	    udplen < 8 + IB_BTH_BYTES + IB_ICRC_BYTES || l4 + udplen > end)
		return false;
	sport = get_unaligned((const __be16 *)(p + l4));
	bth = l4 + 8;
	memcpy(&oh.bth, p + bth, IB_BTH_BYTES);
	if (ib_bth_get_tver(&oh) != 0)
		return false;
	info = rp_opcode_info(ib_bth_get_opcode(&oh));
	if (!info)
		return false;
	extlen = rp_roce_ext_len(RP_INFO_EXT(info));
	need = 8 + IB_BTH_BYTES + extlen + ib_bth_get_pad(&oh) + IB_ICRC_BYTES;
	if (need > udplen || bth + IB_BTH_BYTES + extlen > hdr_len)
		return false;
	/* as rp_roce_fill() */
	pkt->opcode = ib_bth_get_opcode(&oh);
	pkt->pad = ib_bth_get_pad(&oh);
	pkt->class = RP_INFO_CLASS(info);
	pkt->ext = RP_INFO_EXT(info);
	pkt->sport = ntohs(sport);
	pkt->dqpn = ib_bth_get_qpn(&oh);
	pkt->psn = ib_bth_get_psn(&oh) & RP_PSN_MASK;
	pkt->ack_req = ib_bth_get_ackreq(&oh);
	pkt->bth_off = bth;
	pkt->hdr_len = IB_BTH_BYTES + extlen;
	pkt->payload_off = bth + IB_BTH_BYTES + extlen;
	pkt->payload_len = udplen - need;
	return true;
}

/* The stages alone: rp_roce_parse() without its fast route (for KUnit) */
VISIBLE_IF_KUNIT enum rp_roce_verdict
rp_roce_parse_stages(const void *hdr, unsigned int hdr_len,
		     unsigned int pkt_len, u16 l3proto, struct rp_roce_pkt *pkt)
{
	struct rp_roce_rx rx = {
		.p = hdr, .hdr_len = min(hdr_len, pkt_len), .pkt_len = pkt_len,
		.pkt = pkt,
	};
	enum rp_roce_verdict v;

	memset(pkt, 0, sizeof(*pkt));
	/* each stage as rxe's receive path: the first that fails decides */
	v = rp_roce_l3(&rx, l3proto);
	if (v == RP_ROCE_OK)
		v = rp_roce_udp(&rx);
	if (v == RP_ROCE_OK)
		v = rp_roce_addrs(&rx);
	if (v == RP_ROCE_OK)
		v = rp_roce_udp_len(&rx);
	if (v == RP_ROCE_OK)
		v = rp_roce_bth(&rx);
	if (v == RP_ROCE_OK)
		v = rp_roce_ext(&rx);
	if (v != RP_ROCE_OK) {
		memset(pkt, 0, sizeof(*pkt));
		return v;
	}
	rp_roce_fill(&rx);
	return RP_ROCE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(rp_roce_parse_stages);

/**
 * rp_roce_parse() - classify and check the framing of a RoCEv2 packet
 * @hdr: packet bytes starting at the IP header (at the TCI of the first
 *	 in-band VLAN tag if @l3proto names one)
 * @hdr_len: bytes available at @hdr
 * @pkt_len: bytes of the packet from @hdr to the end of the frame
 * @l3proto: ethertype (host order): ETH_P_IP or ETH_P_IPV6; ETH_P_IBOE
 *	     (RoCEv1), ETH_P_8021Q and ETH_P_8021AD (in-band tags) are refused
 *	     if they hold RoCE
 * @pkt: filled on RP_ROCE_OK; zeroed otherwise
 *
 * Context: any; does not sleep, touches only its arguments.
 * Return: RP_ROCE_OK for a well-framed RoCEv2 packet, RP_ROCE_NOT for
 * anything that is not RoCE (not IP/UDP to port 4791, not RoCEv1, not
 * either under in-band VLAN tags), an RP_ROCE_ERR_* reason for a packet
 * that may be RoCE but is malformed or not policed (the caller drops
 * those).
 */
enum rp_roce_verdict rp_roce_parse(const void *hdr, unsigned int hdr_len,
				   unsigned int pkt_len, u16 l3proto,
				   struct rp_roce_pkt *pkt)
{
	if (likely(rp_roce_fast(hdr, min(hdr_len, pkt_len), pkt_len, l3proto,
				pkt)))
		return RP_ROCE_OK;
	return rp_roce_parse_stages(hdr, hdr_len, pkt_len, l3proto, pkt);
}
EXPORT_SYMBOL_GPL(rp_roce_parse);
