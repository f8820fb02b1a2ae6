// SPDX-License-Identifier: GPL-2.0
/*
 * RoCEv2 framing parser: IPv4/IPv6 + UDP 4791 + BTH + extension headers.
 *
 * See include/rdmapolicy/roce.h for the contract.  Field accessors come from
 * the kernel's own rdma/ib_hdrs.h and opcodes from rdma/ib_pack.h.
 */
#include <linux/crc32.h>
#include <linux/export.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_hdrs.h>
#include <rdma/ib_verbs.h>
#include <asm/unaligned.h>

#include <rdmapolicy/roce.h>

/* Not named by 6.1's ib_pack.h. */
#define RP_OPCODE_XRC		0xa0
#define RP_OPCODE_CNP		(IB_OPCODE_CNP | 0x01)
#define RP_OPCODE_TRANSPORT	0xe0
#define RP_OPCODE_OP		0x1f
/* ib_bth_get_psn() returns the whole third BTH word, AckReq bit included */
#define RP_PSN_MASK		0xffffff

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
static u16 rp_opcode_info(u8 opcode)
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
 * rp_roce_ext_len() - bytes taken by a set of extension headers
 * @ext: mask of enum rp_roce_ext
 */
unsigned int rp_roce_ext_len(u16 ext)
{
	static const u8 len[] = {
		[0] = IB_DETH_BYTES,		/* RP_EXT_DETH */
		[1] = IB_EXT_XRC_BYTES,		/* RP_EXT_XRCETH */
		[2] = 16,			/* RP_EXT_RETH */
		[3] = IB_EXT_ATOMICETH_BYTES,	/* RP_EXT_ATOMICETH */
		[4] = 4,			/* RP_EXT_AETH */
		[5] = 8,			/* RP_EXT_ATMACK */
		[6] = 4,			/* RP_EXT_IMMDT */
		[7] = 4,			/* RP_EXT_IETH */
		[8] = 16,			/* RP_EXT_CNP reserved bytes */
	};
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(len); i++)
		if (ext & BIT(i))
			n += len[i];
	return n;
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

static enum rp_roce_verdict rp_parse_ipv4(const u8 *p, unsigned int hdr_len,
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

static enum rp_roce_verdict rp_parse_ipv6(const u8 *p, unsigned int hdr_len,
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
static enum rp_roce_verdict rp_parse_vlan(const u8 *p, unsigned int hdr_len,
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
	const u8 *p = hdr;
	struct ib_other_headers oh;
	enum rp_roce_verdict v;
	struct rp_l3 l3 = { };
	unsigned int udplen, bth, extlen, need;
	struct udphdr uh;
	u16 info;

	memset(pkt, 0, sizeof(*pkt));
	if (hdr_len > pkt_len)
		hdr_len = pkt_len;

	if (l3proto == ETH_P_IP)
		v = rp_parse_ipv4(p, hdr_len, pkt_len, pkt, &l3);
	else if (l3proto == ETH_P_IPV6)
		v = rp_parse_ipv6(p, hdr_len, pkt_len, pkt, &l3);
	else if (l3proto == ETH_P_IBOE)	/* GRH + BTH, no IP: not policed */
		v = RP_ROCE_ERR_ROCEV1;
	else if (rp_ethertype_vlan(l3proto))
		v = rp_parse_vlan(p, hdr_len, pkt_len);
	else
		v = RP_ROCE_NOT;
	if (v != RP_ROCE_OK)
		goto out;

	/* A non-first fragment cannot be told apart; its first one can. */
	if (l3.later_frag) {
		v = RP_ROCE_NOT;
		goto out;
	}
	if (l3.l4off + sizeof(uh) > l3.end) {
		/* a first fragment too small to show its ports is refused */
		v = l3.first_frag ? RP_ROCE_ERR_FRAG : RP_ROCE_ERR_UDP_LEN;
		goto out;
	}
	if (l3.l4off + sizeof(uh) > hdr_len) {
		v = RP_ROCE_ERR_TRUNC;
		goto out;
	}
	memcpy(&uh, p + l3.l4off, sizeof(uh));
	if (uh.dest != htons(ROCE_V2_UDP_DPORT)) {
		v = RP_ROCE_NOT;
		goto out;
	}
	/*
	 * IPv4 addresses are keyed v4-mapped (as in a GID): an IPv6 packet
	 * with a v4-mapped address would pass for an IPv4 one.
	 */
	if (pkt->ip_version == 6 && (ipv6_addr_v4mapped(&pkt->saddr) ||
				     ipv6_addr_v4mapped(&pkt->daddr))) {
		v = RP_ROCE_ERR_IP;
		goto out;
	}
	if (l3.first_frag) {
		v = RP_ROCE_ERR_FRAG;
		goto out;
	}
	udplen = ntohs(uh.len);
	if (udplen < sizeof(uh) || l3.l4off + udplen > l3.end) {
		v = RP_ROCE_ERR_UDP_LEN;
		goto out;
	}
	if (udplen < sizeof(uh) + IB_BTH_BYTES + IB_ICRC_BYTES) {
		v = RP_ROCE_ERR_LEN;
		goto out;
	}
	bth = l3.l4off + sizeof(uh);
	if (bth + IB_BTH_BYTES > hdr_len) {
		v = RP_ROCE_ERR_TRUNC;
		goto out;
	}
	memcpy(&oh.bth, p + bth, IB_BTH_BYTES);
	if (ib_bth_get_tver(&oh) != 0) {
		v = RP_ROCE_ERR_TVER;
		goto out;
	}
	pkt->opcode = ib_bth_get_opcode(&oh);
	info = rp_opcode_info(pkt->opcode);
	if (!info) {
		v = RP_ROCE_ERR_OPCODE;
		goto out;
	}
	pkt->pad = ib_bth_get_pad(&oh);
	extlen = rp_roce_ext_len(RP_INFO_EXT(info));
	need = sizeof(uh) + IB_BTH_BYTES + extlen + pkt->pad + IB_ICRC_BYTES;
	if (need > udplen) {
		v = RP_ROCE_ERR_LEN;
		goto out;
	}
	if (bth + IB_BTH_BYTES + extlen > hdr_len) {
		v = RP_ROCE_ERR_TRUNC;
		goto out;
	}

	pkt->class = RP_INFO_CLASS(info);
	pkt->ext = RP_INFO_EXT(info);
	pkt->sport = ntohs(uh.source);
	pkt->dqpn = ib_bth_get_qpn(&oh);
	pkt->psn = ib_bth_get_psn(&oh) & RP_PSN_MASK;
	pkt->ack_req = ib_bth_get_ackreq(&oh);
	pkt->bth_off = bth;
	pkt->hdr_len = IB_BTH_BYTES + extlen;
	pkt->payload_off = bth + IB_BTH_BYTES + extlen;
	pkt->payload_len = udplen - need;
	return RP_ROCE_OK;
out:
	memset(pkt, 0, sizeof(*pkt));
	return v;
}
EXPORT_SYMBOL_GPL(rp_roce_parse);

/*
 * ICRC (IBTA RoCEv2 annex): CRC-32 over the IP datagram up to the ICRC,
 * with the fields that routers may change masked to ones: IPv4 TOS, TTL and
 * header checksum (IPv6 traffic class, flow label and hop limit), the UDP
 * checksum, and the BTH byte that holds FECN/BECN.  The LRH that RoCEv2
 * does not carry counts as 8 bytes of ones: starting from ~0 and feeding
 * those gives the seed below (the value rxe uses).
 */
#define RP_ICRC_SEED	0xdebb20e3

/**
 * rp_roce_icrc_begin() - start the ICRC of a RoCEv2 datagram
 * @l3: the packet from its IP header, at least up to the end of the BTH
 * @pkt: its parse (rp_roce_parse() returned RP_ROCE_OK for it)
 * @crc: set to the running CRC over the masked IP, UDP and base transport
 *	 headers; it goes on with crc32_le() over the rest of the packet up
 *	 to the ICRC, and the ICRC is its inverse
 *
 * Return: false if the headers are not the fixed ones the ICRC masks (IP
 * options or IPv6 extension headers).
 */
bool rp_roce_icrc_begin(const u8 *l3, const struct rp_roce_pkt *pkt, u32 *crc)
{
	u8 hdr[sizeof(struct ipv6hdr) + 8 + IB_BTH_BYTES];
	unsigned int hl = pkt->bth_off + IB_BTH_BYTES, ipl;

	ipl = pkt->ip_version == 4 ? sizeof(struct iphdr) :
				     sizeof(struct ipv6hdr);
	if (hl != ipl + 8 + IB_BTH_BYTES)
		return false;
	memcpy(hdr, l3, hl);
	if (pkt->ip_version == 4) {
		hdr[1] = 0xff;			/* TOS */
		hdr[8] = 0xff;			/* TTL */
		hdr[10] = 0xff;			/* header checksum */
		hdr[11] = 0xff;
	} else {
		hdr[0] |= 0x0f;			/* traffic class, flow label */
		hdr[1] = 0xff;
		hdr[2] = 0xff;
		hdr[3] = 0xff;
		hdr[7] = 0xff;			/* hop limit */
	}
	hdr[ipl + 6] = 0xff;			/* UDP checksum */
	hdr[ipl + 7] = 0xff;
	hdr[ipl + 8 + 4] = 0xff;		/* BTH: F, B, resv6 */
	*crc = crc32_le(RP_ICRC_SEED, hdr, hl);
	return true;
}
EXPORT_SYMBOL_GPL(rp_roce_icrc_begin);

/**
 * rp_roce_icrc() - compute the ICRC of a RoCEv2 datagram
 * @l3: the packet from its IP header
 * @len: bytes from the IP header to the end of the ICRC
 * @pkt: its parse (rp_roce_parse() returned RP_ROCE_OK for it)
 * @icrc: set to the ICRC on success; it is stored on the wire in
 *	  little-endian byte order
 *
 * Every 32-bit value is a possible ICRC, so failure is told apart by the
 * return value only, never by what lands in @icrc.
 *
 * Return: 0; -EINVAL if @len cannot hold the headers and an ICRC;
 * -EOPNOTSUPP for IP options or IPv6 extension headers, which the ICRC's
 * masks do not cover (a packet with them cannot be verified).
 */
int rp_roce_icrc(const u8 *l3, unsigned int len, const struct rp_roce_pkt *pkt,
		 u32 *icrc)
{
	unsigned int hl = pkt->bth_off + IB_BTH_BYTES;
	u32 crc;

	if (len < hl + IB_ICRC_BYTES)
		return -EINVAL;
	if (!rp_roce_icrc_begin(l3, pkt, &crc))
		return -EOPNOTSUPP;
	crc = crc32_le(crc, l3 + hl, len - hl - IB_ICRC_BYTES);
	*icrc = ~crc;
	return 0;
}
EXPORT_SYMBOL_GPL(rp_roce_icrc);

/**
 * rp_roce_icrc_ok() - does a RoCEv2 datagram carry the right ICRC?
 * @l3: the packet from its IP header
 * @len: bytes from the IP header to the end of the ICRC
 * @pkt: its parse
 *
 * Return: true only if the ICRC could be computed and equals the one on
 * the wire; false for a wrong ICRC and for a packet whose ICRC cannot be
 * computed (see rp_roce_icrc()).
 */
bool rp_roce_icrc_ok(const u8 *l3, unsigned int len,
		     const struct rp_roce_pkt *pkt)
{
	u32 icrc;

	return !rp_roce_icrc(l3, len, pkt, &icrc) &&
	       get_unaligned_le32(l3 + len - IB_ICRC_BYTES) == icrc;
}
EXPORT_SYMBOL_GPL(rp_roce_icrc_ok);
