// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the RoCEv2 framing parser (drivers/rdmapolicy/rp_roce.c).
 *
 * Packets are built byte by byte from the IBTA layouts, then bent into every
 * malformed shape the parser must refuse.  Buffers are kmalloc'ed to their
 * exact length so KASAN catches any read past what the parser was given.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_verbs.h>
#include <linux/unaligned.h>

#include <rdmapolicy/roce.h>

#include "rp_kunit_pkt.h"

enum t_mut {
	M_NONE,
	M_TCP,			/* IP protocol TCP */
	M_OTHER_PORT,		/* UDP dport 4790 */
	M_ARP,			/* l3proto not IP */
	M_IP_TOTLEN_LONG,	/* tot_len beyond the packet */
	M_IP_IHL_SHORT,		/* ihl 4 */
	M_IP_VERSION,		/* version 5 in an ETH_P_IP frame */
	M_IP_FIRST_FRAG,	/* MF set, offset 0 */
	M_IP_LATER_FRAG,	/* offset 8 */
	M_UDP_LEN_LONG,		/* UDP length beyond the IP datagram */
	M_UDP_LEN_TINY,		/* UDP length 7 */
	M_UDP_NO_BTH,		/* UDP length 8 + 8: no room for BTH + ICRC */
	M_PAD_OVER,		/* BTH pad 3 with no bytes for it */
	M_CUT_HDR,		/* caller copied only the IP + UDP headers */
	M_CUT_IP,		/* caller copied 10 bytes */
	M_V6_HOP,		/* IPv6 hop-by-hop options before UDP */
	M_V6_FRAG_FIRST,	/* IPv6 fragment header, first fragment */
	M_V6_JUMBO,		/* IPv6 payload_len 0 */
	M_V6_EXT_LOOP,		/* five chained destination options */
	M_V6_MAPPED_SRC,	/* IPv6 from ::ffff:10.10.0.1 */
	M_V6_MAPPED_DST,	/* IPv6 to ::ffff:10.10.0.2 */
	M_V6_MAPPED_OTHER_PORT,	/* the same, UDP dport 4790 */
	M_ROCEV1,		/* ethertype 0x8915 */
	M_VLAN,			/* under an in-band 802.1Q tag */
	M_VLAN_OTHER_PORT,	/* the same, UDP dport 4790 */
	M_VLAN_QINQ,		/* under in-band 802.1ad + 802.1Q tags */
	M_VLAN_DEEP,		/* under nine in-band tags, UDP dport 4790 */
	M_VLAN_CUT,		/* an in-band tag cut short */
	M_VLAN_ROCEV1,		/* RoCEv1 under an in-band tag */
};

struct t_case {
	const char *name;
	struct t_spec spec;
	enum t_mut mut;
	enum rp_roce_verdict want;
	u8 class;
	u16 ext;
};

#define V4(op)		{ .ipver = 4, .opcode = (op), .dqpn = 0x000abc, \
			  .psn = 0x123456, .payload = 32 }
#define V6(op)		{ .ipver = 6, .opcode = (op), .dqpn = 0x000abc, \
			  .psn = 0x123456, .payload = 32 }

static const struct t_case t_cases[] = {
	{ "rc_send_only", V4(IB_OPCODE_RC_SEND_ONLY), M_NONE, RP_ROCE_OK,
	  RP_CLASS_SEND, 0 },
	{ "rc_send_imm", V4(IB_OPCODE_RC_SEND_ONLY_WITH_IMMEDIATE), M_NONE,
	  RP_ROCE_OK, RP_CLASS_SEND, RP_EXT_IMMDT },
	{ "rc_send_inv", V4(IB_OPCODE_RC_SEND_ONLY_WITH_INVALIDATE), M_NONE,
	  RP_ROCE_OK, RP_CLASS_SEND, RP_EXT_IETH },
	{ "rc_write_first", V4(IB_OPCODE_RC_RDMA_WRITE_FIRST), M_NONE,
	  RP_ROCE_OK, RP_CLASS_WRITE, RP_EXT_RETH },
	{ "rc_write_middle", V4(IB_OPCODE_RC_RDMA_WRITE_MIDDLE), M_NONE,
	  RP_ROCE_OK, RP_CLASS_WRITE, 0 },
	{ "rc_write_only_imm",
	  V4(IB_OPCODE_RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE), M_NONE, RP_ROCE_OK,
	  RP_CLASS_WRITE, RP_EXT_RETH | RP_EXT_IMMDT },
	{ "rc_read_req", V4(IB_OPCODE_RC_RDMA_READ_REQUEST), M_NONE,
	  RP_ROCE_OK, RP_CLASS_READ_REQ, RP_EXT_RETH },
	{ "rc_read_resp_mid", V4(IB_OPCODE_RC_RDMA_READ_RESPONSE_MIDDLE),
	  M_NONE, RP_ROCE_OK, RP_CLASS_READ_RESP, 0 },
	{ "rc_read_resp_only", V4(IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY),
	  M_NONE, RP_ROCE_OK, RP_CLASS_READ_RESP, RP_EXT_AETH },
	{ "rc_ack", V4(IB_OPCODE_RC_ACKNOWLEDGE), M_NONE, RP_ROCE_OK,
	  RP_CLASS_ACK, RP_EXT_AETH },
	{ "rc_cmp_swap", V4(IB_OPCODE_RC_COMPARE_SWAP), M_NONE, RP_ROCE_OK,
	  RP_CLASS_ATOMIC, RP_EXT_ATOMICETH },
	{ "rc_atomic_ack", V4(IB_OPCODE_RC_ATOMIC_ACKNOWLEDGE), M_NONE,
	  RP_ROCE_OK, RP_CLASS_ATOMIC_ACK, RP_EXT_AETH | RP_EXT_ATMACK },
	{ "uc_write_only", V4(IB_OPCODE_UC_RDMA_WRITE_ONLY), M_NONE,
	  RP_ROCE_OK, RP_CLASS_WRITE, RP_EXT_RETH },
	{ "ud_send_only", V4(IB_OPCODE_UD_SEND_ONLY), M_NONE, RP_ROCE_OK,
	  RP_CLASS_SEND, RP_EXT_DETH },
	{ "ud_send_imm", V4(IB_OPCODE_UD_SEND_ONLY_WITH_IMMEDIATE), M_NONE,
	  RP_ROCE_OK, RP_CLASS_SEND, RP_EXT_DETH | RP_EXT_IMMDT },
	{ "xrc_send_only", V4(0xa0 | IB_OPCODE_SEND_ONLY), M_NONE,
	  RP_ROCE_OK, RP_CLASS_SEND, RP_EXT_XRCETH },
	{ "xrc_read_resp", V4(0xa0 | IB_OPCODE_RDMA_READ_RESPONSE_ONLY),
	  M_NONE, RP_ROCE_OK, RP_CLASS_READ_RESP, RP_EXT_AETH },
	{ "cnp", V4(0x81), M_NONE, RP_ROCE_OK, RP_CLASS_CNP, RP_EXT_CNP },
	{ "v6_rc_write", V6(IB_OPCODE_RC_RDMA_WRITE_ONLY), M_NONE,
	  RP_ROCE_OK, RP_CLASS_WRITE, RP_EXT_RETH },
	{ "v6_hop_by_hop", V6(IB_OPCODE_RC_SEND_ONLY), M_V6_HOP, RP_ROCE_OK,
	  RP_CLASS_SEND, 0 },

	{ "tcp", V4(IB_OPCODE_RC_SEND_ONLY), M_TCP, RP_ROCE_NOT },
	{ "other_udp_port", V4(IB_OPCODE_RC_SEND_ONLY), M_OTHER_PORT,
	  RP_ROCE_NOT },
	{ "arp", V4(IB_OPCODE_RC_SEND_ONLY), M_ARP, RP_ROCE_NOT },
	{ "later_fragment", V4(IB_OPCODE_RC_SEND_ONLY), M_IP_LATER_FRAG,
	  RP_ROCE_NOT },

	{ "rd_opcode", V4(0x44), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "rc_reserved_op", V4(0x15), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "uc_read_req", V4(0x2c), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "ud_send_first", V4(0x60), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "cnp_other", V4(0x80), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "msp", V4(0xe0), M_NONE, RP_ROCE_ERR_OPCODE },
	{ "tver_1", { .ipver = 4, .opcode = IB_OPCODE_RC_SEND_ONLY,
		      .tver = 1, .payload = 8 }, M_NONE, RP_ROCE_ERR_TVER },
	{ "ip_totlen_long", V4(IB_OPCODE_RC_SEND_ONLY), M_IP_TOTLEN_LONG,
	  RP_ROCE_ERR_IP },
	{ "ip_ihl_short", V4(IB_OPCODE_RC_SEND_ONLY), M_IP_IHL_SHORT,
	  RP_ROCE_ERR_IP },
	{ "ip_version", V4(IB_OPCODE_RC_SEND_ONLY), M_IP_VERSION,
	  RP_ROCE_ERR_IP },
	{ "first_fragment", V4(IB_OPCODE_RC_SEND_ONLY), M_IP_FIRST_FRAG,
	  RP_ROCE_ERR_FRAG },
	{ "udp_len_long", V4(IB_OPCODE_RC_SEND_ONLY), M_UDP_LEN_LONG,
	  RP_ROCE_ERR_UDP_LEN },
	{ "udp_len_tiny", V4(IB_OPCODE_RC_SEND_ONLY), M_UDP_LEN_TINY,
	  RP_ROCE_ERR_UDP_LEN },
	{ "udp_no_bth", V4(IB_OPCODE_RC_SEND_ONLY), M_UDP_NO_BTH,
	  RP_ROCE_ERR_LEN },
	{ "pad_3", { .ipver = 4, .opcode = IB_OPCODE_RC_SEND_ONLY,
		     .pad = 3, .payload = 1 }, M_NONE, RP_ROCE_OK,
	  RP_CLASS_SEND, 0 },
	{ "pad_past_udp", { .ipver = 4, .opcode = IB_OPCODE_RC_RDMA_WRITE_FIRST },
	  M_PAD_OVER, RP_ROCE_ERR_LEN },
	{ "cut_after_udp", V4(IB_OPCODE_RC_SEND_ONLY), M_CUT_HDR,
	  RP_ROCE_ERR_TRUNC },
	{ "cut_in_ip", V4(IB_OPCODE_RC_SEND_ONLY), M_CUT_IP,
	  RP_ROCE_ERR_TRUNC },
	{ "v6_first_fragment", V6(IB_OPCODE_RC_SEND_ONLY), M_V6_FRAG_FIRST,
	  RP_ROCE_ERR_FRAG },
	{ "v6_jumbo", V6(IB_OPCODE_RC_SEND_ONLY), M_V6_JUMBO, RP_ROCE_ERR_IP },
	{ "v6_ext_chain_too_long", V6(IB_OPCODE_RC_SEND_ONLY), M_V6_EXT_LOOP,
	  RP_ROCE_ERR_IP },

	/* security #17: parser edges */
	{ "sec17_v6_v4mapped_src", V6(IB_OPCODE_RC_SEND_ONLY), M_V6_MAPPED_SRC,
	  RP_ROCE_ERR_IP },
	{ "sec17_v6_v4mapped_dst", V6(IB_OPCODE_UD_SEND_ONLY), M_V6_MAPPED_DST,
	  RP_ROCE_ERR_IP },
	{ "sec17_v6_v4mapped_not_roce", V6(IB_OPCODE_RC_SEND_ONLY),
	  M_V6_MAPPED_OTHER_PORT, RP_ROCE_NOT },
	{ "sec17_rocev1", V4(IB_OPCODE_RC_SEND_ONLY), M_ROCEV1,
	  RP_ROCE_ERR_ROCEV1 },
	{ "sec17_vlan_inner_tag", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN,
	  RP_ROCE_ERR_VLAN },
	{ "sec17_vlan_inner_tag_v6", V6(IB_OPCODE_UD_SEND_ONLY), M_VLAN,
	  RP_ROCE_ERR_VLAN },
	{ "sec17_vlan_not_roce", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN_OTHER_PORT,
	  RP_ROCE_NOT },
	{ "sec17_vlan_qinq", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN_QINQ,
	  RP_ROCE_ERR_VLAN },
	{ "sec17_vlan_too_deep", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN_DEEP,
	  RP_ROCE_ERR_VLAN },
	{ "sec17_vlan_cut", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN_CUT,
	  RP_ROCE_ERR_TRUNC },
	{ "sec17_vlan_rocev1", V4(IB_OPCODE_RC_SEND_ONLY), M_VLAN_ROCEV1,
	  RP_ROCE_ERR_ROCEV1 },
	/* a malformed RoCEv2 packet under a tag is refused all the same */
	{ "sec17_vlan_bad_opcode", V4(0x44), M_VLAN, RP_ROCE_ERR_VLAN },
};

static void t_case_desc(const struct t_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_parse, t_cases, t_case_desc);

/* Insert @n bytes of IPv6 extension header(s) after the fixed header. */
static unsigned int t_v6_insert(u8 *b, unsigned int len, const u8 *eh,
				unsigned int n)
{
	struct ipv6hdr *ip6 = (void *)b;

	memmove(b + 40 + n, b + 40, len - 40);
	memcpy(b + 40, eh, n);
	ip6->payload_len = htons(ntohs(ip6->payload_len) + n);
	return len + n;
}

/* Put an in-band VLAN tag (@tpid, VID 10) in front of the packet at @b. */
static unsigned int t_vlan_push(u8 *b, unsigned int len, u16 *l3proto,
				u16 tpid)
{
	memmove(b + 4, b, len);
	b[0] = 0;
	b[1] = 10;			/* TCI: VID 10 */
	b[2] = *l3proto >> 8;		/* what the tag holds */
	b[3] = *l3proto & 0xff;
	*l3proto = tpid;
	return len + 4;
}

static unsigned int t_mutate(u8 *b, unsigned int len, enum t_mut mut,
			     u16 *l3proto, unsigned int *hdr_len)
{
	struct iphdr *ip = (void *)b;
	struct udphdr *uh = (void *)(b + 20);
	struct ipv6hdr *ip6 = (void *)b;
	u8 eh[48] = { };
	int i;

	switch (mut) {
	case M_NONE:
		break;
	case M_TCP:
		ip->protocol = IPPROTO_TCP;
		break;
	case M_OTHER_PORT:
		uh->dest = htons(4790);
		break;
	case M_ARP:
		*l3proto = ETH_P_ARP;
		break;
	case M_IP_TOTLEN_LONG:
		ip->tot_len = htons(len + 1);
		break;
	case M_IP_IHL_SHORT:
		ip->ihl = 4;
		break;
	case M_IP_VERSION:
		ip->version = 5;
		break;
	case M_IP_FIRST_FRAG:
		ip->frag_off = htons(IP_MF);
		break;
	case M_IP_LATER_FRAG:
		ip->frag_off = htons(1);
		break;
	case M_UDP_LEN_LONG:
		uh->len = htons(ntohs(uh->len) + 1);
		break;
	case M_UDP_LEN_TINY:
		uh->len = htons(7);
		break;
	case M_UDP_NO_BTH:
		uh->len = htons(16);
		break;
	case M_PAD_OVER:
		b[20 + 8 + 1] |= 3 << 4;
		break;
	case M_CUT_HDR:
		*hdr_len = 28;
		break;
	case M_CUT_IP:
		*hdr_len = 10;
		break;
	case M_V6_HOP:
		eh[0] = IPPROTO_UDP;	/* next header */
		eh[1] = 0;		/* 8 bytes */
		eh[2] = 1;		/* PadN option */
		eh[3] = 4;
		((struct ipv6hdr *)b)->nexthdr = NEXTHDR_HOP;
		return t_v6_insert(b, len, eh, 8);
	case M_V6_FRAG_FIRST:
		eh[0] = IPPROTO_UDP;
		eh[3] = 1;		/* offset 0, M flag */
		((struct ipv6hdr *)b)->nexthdr = NEXTHDR_FRAGMENT;
		return t_v6_insert(b, len, eh, 8);
	case M_V6_EXT_LOOP:
		for (i = 0; i < 5; i++)
			eh[i * 8] = i < 4 ? NEXTHDR_DEST : IPPROTO_UDP;
		((struct ipv6hdr *)b)->nexthdr = NEXTHDR_DEST;
		return t_v6_insert(b, len, eh, 40);
	case M_V6_JUMBO:
		((struct ipv6hdr *)b)->payload_len = 0;
		break;
	case M_V6_MAPPED_OTHER_PORT:
		((struct udphdr *)(b + 40))->dest = htons(4790);
		fallthrough;
	case M_V6_MAPPED_SRC:
		ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &ip6->saddr);
		break;
	case M_V6_MAPPED_DST:
		ipv6_addr_set_v4mapped(htonl(0x0a0a0002), &ip6->daddr);
		break;
	case M_ROCEV1:
		*l3proto = ETH_P_IBOE;
		break;
	case M_VLAN_OTHER_PORT:
		uh->dest = htons(4790);
		fallthrough;
	case M_VLAN:
		return t_vlan_push(b, len, l3proto, ETH_P_8021Q);
	case M_VLAN_QINQ:
		len = t_vlan_push(b, len, l3proto, ETH_P_8021Q);
		return t_vlan_push(b, len, l3proto, ETH_P_8021AD);
	case M_VLAN_DEEP:
		uh->dest = htons(4790);
		for (i = 0; i < 9; i++)
			len = t_vlan_push(b, len, l3proto, ETH_P_8021Q);
		return len;
	case M_VLAN_CUT:
		len = t_vlan_push(b, len, l3proto, ETH_P_8021Q);
		*hdr_len = 3;
		return len;
	case M_VLAN_ROCEV1:
		*l3proto = ETH_P_IBOE;
		return t_vlan_push(b, len, l3proto, ETH_P_8021Q);
	}
	return len;
}

static void t_parse(struct kunit *test)
{
	const struct t_case *c = test->param_value;
	unsigned int len, hdr_len, ext;
	struct rp_roce_pkt pkt;
	enum rp_roce_verdict v;
	u16 l3proto;
	u8 *tmp, *b;

	tmp = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tmp);
	len = t_build(tmp, &c->spec);
	l3proto = c->spec.ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
	hdr_len = UINT_MAX;
	len = t_mutate(tmp, len, c->mut, &l3proto, &hdr_len);
	hdr_len = min(hdr_len, len);

	/* exact-size copy: KASAN reports any read past hdr_len */
	b = kunit_kmalloc(test, hdr_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, tmp, hdr_len);

	v = rp_roce_parse(b, hdr_len, len, l3proto, &pkt);
	KUNIT_EXPECT_STREQ(test, rp_roce_verdict_name(v),
			   rp_roce_verdict_name(c->want));
	if (v != RP_ROCE_OK || c->want != RP_ROCE_OK)
		return;

	ext = rp_roce_ext_len(c->ext);
	KUNIT_EXPECT_EQ(test, pkt.class, c->class);
	KUNIT_EXPECT_EQ(test, pkt.ext, c->ext);
	KUNIT_EXPECT_EQ(test, pkt.opcode, c->spec.opcode);
	KUNIT_EXPECT_EQ(test, pkt.dqpn, c->spec.dqpn);
	KUNIT_EXPECT_EQ(test, pkt.psn, c->spec.psn);
	KUNIT_EXPECT_EQ(test, pkt.pad, c->spec.pad);
	KUNIT_EXPECT_TRUE(test, pkt.ack_req);
	KUNIT_EXPECT_EQ(test, pkt.ip_version, c->spec.ipver);
	KUNIT_EXPECT_EQ(test, pkt.hdr_len, IB_BTH_BYTES + ext);
	KUNIT_EXPECT_EQ(test, pkt.payload_len, c->spec.payload);
	/* payload + pad + ICRC end exactly at the end of the datagram */
	KUNIT_EXPECT_EQ(test, pkt.payload_off + pkt.payload_len + pkt.pad + 4,
			len);
	if (c->spec.ipver == 4) {
		KUNIT_EXPECT_TRUE(test, ipv6_addr_v4mapped(&pkt.saddr));
		KUNIT_EXPECT_EQ(test, ntohl(pkt.saddr.s6_addr32[3]), 0x0a0a0001);
		KUNIT_EXPECT_EQ(test, ntohl(pkt.daddr.s6_addr32[3]), 0x0a0a0002);
	} else {
		KUNIT_EXPECT_EQ(test, pkt.saddr.s6_addr[15], 1);
		KUNIT_EXPECT_EQ(test, pkt.daddr.s6_addr[15], 2);
	}
}

/*
 * Every valid packet cut short at every length, both as a short packet and
 * as a short copy of a longer packet: never OK, never a read past the copy.
 */
static void t_truncations(struct kunit *test)
{
	unsigned int i, cut, len;
	struct rp_roce_pkt pkt;
	u8 *tmp;

	tmp = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tmp);
	for (i = 0; i < ARRAY_SIZE(t_cases); i++) {
		const struct t_case *c = &t_cases[i];
		u16 l3proto = c->spec.ipver == 4 ? ETH_P_IP : ETH_P_IPV6;

		if (c->want != RP_ROCE_OK || c->mut != M_NONE)
			continue;
		len = t_build(tmp, &c->spec);
		for (cut = 0; cut < len; cut++) {
			u8 *b = kmalloc(cut ? cut : 1, GFP_KERNEL);

			KUNIT_ASSERT_NOT_NULL(test, b);
			memcpy(b, tmp, cut);
			/* short packet: IP total length no longer fits */
			KUNIT_EXPECT_NE_MSG(test, rp_roce_parse(b, cut, cut,
								l3proto, &pkt),
					    RP_ROCE_OK, "%s cut %u", c->name, cut);
			/* short copy of a whole packet: OK only past headers */
			if (rp_roce_parse(b, cut, len, l3proto, &pkt) ==
			    RP_ROCE_OK)
				KUNIT_EXPECT_LE_MSG(test, pkt.payload_off, cut,
						    "%s cut %u", c->name, cut);
			kfree(b);
		}
	}
}

/* All 256 opcodes: valid ones parse with consistent lengths, others refuse. */
static void t_all_opcodes(struct kunit *test)
{
	struct t_spec s = { .ipver = 4, .payload = 4 };
	struct rp_roce_pkt pkt;
	unsigned int op, len, valid = 0;
	u8 *b;

	b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (op = 0; op < 256; op++) {
		enum rp_roce_verdict v;

		s.opcode = op;
		len = t_build(b, &s);
		v = rp_roce_parse(b, len, len, ETH_P_IP, &pkt);
		if (v == RP_ROCE_ERR_OPCODE)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, v, RP_ROCE_OK, "opcode %#x", op);
		KUNIT_EXPECT_EQ_MSG(test, pkt.payload_len, 4, "opcode %#x", op);
		valid++;
	}
	/* RC 23 + UC 12 + UD 2 + XRC 23 + CNP 1 */
	KUNIT_EXPECT_EQ(test, valid, 61);
}

/* Random bytes behind a valid IPv4/UDP 4791 prefix must never break rules. */
static void t_random_bytes(struct kunit *test)
{
	struct t_spec s = V4(IB_OPCODE_RC_SEND_ONLY);
	struct rp_roce_pkt pkt;
	unsigned int i, len, ok = 0;
	u8 *b;

	b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 20000; i++) {
		unsigned int hdr;

		len = t_build(b, &s);
		get_random_bytes(b + 28, len - 28);	/* BTH onwards */
		hdr = get_random_u32() % (len + 1);
		if (rp_roce_parse(b, hdr, len, ETH_P_IP, &pkt) != RP_ROCE_OK)
			continue;
		ok++;
		KUNIT_EXPECT_LE(test, pkt.payload_off, hdr);
		KUNIT_EXPECT_EQ(test, pkt.payload_off + pkt.payload_len +
				pkt.pad + 4, len);
	}
	kunit_info(test, "%u of 20000 random packets were well framed\n", ok);
}

/*
 * security #15: an ICRC that cannot be computed (IPv4 options, IPv6
 * extension headers: the ICRC's masks do not cover them) never matches the
 * wire.  0 used to be both the error and a valid ICRC, so such a CM
 * message with an ICRC of 0 passed.
 */
static void t_sec15_icrc_error_is_no_icrc(struct kunit *test)
{
	static const u8 nops[4] = { IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP,
				    IPOPT_END };
	struct t_spec s = V4(IB_OPCODE_UD_SEND_ONLY);
	struct rp_roce_pkt pkt;
	unsigned int len;
	u16 l3proto;
	u32 icrc;
	u8 *b;

	b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* a fixed IPv4 header: computed, and what it computes is accepted */
	s.dqpn = RP_QPN_GSI;
	len = t_build(b, &s);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), 0);
	put_unaligned_le32(icrc, b + len - 4);
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(b, len, &pkt));
	/* shorter than its headers and an ICRC */
	KUNIT_EXPECT_EQ(test, rp_roce_icrc(b, pkt.bth_off + 12, &pkt, &icrc),
			-EINVAL);

	/* IPv4 with 4 bytes of options, ICRC 0 */
	len = t_build(b, &s);
	memmove(b + 24, b + 20, len - 20);
	memcpy(b + 20, nops, sizeof(nops));
	len += 4;
	((struct iphdr *)b)->ihl = 6;
	((struct iphdr *)b)->tot_len = htons(len);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	put_unaligned_le32(0, b + len - 4);
	KUNIT_EXPECT_FALSE(test, rp_roce_icrc_ok(b, len, &pkt));
	KUNIT_EXPECT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), -EOPNOTSUPP);

	/* IPv6 with a hop-by-hop header, ICRC 0 */
	s = (struct t_spec)V6(IB_OPCODE_UD_SEND_ONLY);
	s.dqpn = RP_QPN_GSI;
	len = t_build(b, &s);
	l3proto = ETH_P_IPV6;
	len = t_mutate(b, len, M_V6_HOP, &l3proto, &(unsigned int){ 0 });
	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, ETH_P_IPV6, &pkt),
			RP_ROCE_OK);
	put_unaligned_le32(0, b + len - 4);
	KUNIT_EXPECT_FALSE(test, rp_roce_icrc_ok(b, len, &pkt));
	KUNIT_EXPECT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), -EOPNOTSUPP);
}

/* rp_roce_parse() (fast route first) and its stages alone agree on @b */
static void t_same(struct kunit *test, const u8 *b, unsigned int hdr_len,
		   unsigned int len, u16 l3proto, const char *what,
		   unsigned int i)
{
	struct rp_roce_pkt p1, p2;
	enum rp_roce_verdict v1, v2;

	memset(&p1, 0x5a, sizeof(p1));
	memset(&p2, 0xa5, sizeof(p2));
	v1 = rp_roce_parse(b, hdr_len, len, l3proto, &p1);
	v2 = rp_roce_parse_stages(b, hdr_len, len, l3proto, &p2);
	KUNIT_EXPECT_EQ_MSG(test, v1, v2, "%s %u", what, i);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(&p1, &p2, sizeof(p1)), 0, "%s %u",
			    what, i);
}

/*
 * The fast route of rp_roce_parse() decides as its stages do (and the
 * extension header lengths it adds are those of the IBTA): every case
 * above, every opcode, and every byte of the headers of a valid IPv4 and
 * IPv6 packet set to 0, 0xff and each single bit flipped, at every copy
 * length of the headers.
 */
static void t_fast_route(struct kunit *test)
{
	static const struct t_spec specs[] = {
		V4(IB_OPCODE_RC_SEND_ONLY), V6(IB_OPCODE_RC_SEND_ONLY),
		V4(IB_OPCODE_RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE),
		V6(IB_OPCODE_RC_COMPARE_SWAP),
	};
	static const u8 ext_len[9] = { 8, 4, 16, 28, 4, 8, 4, 4, 16 };
	unsigned int i, j, k, len, hdr_len;
	struct t_spec s;
	u8 *tmp, *b;
	u16 l3proto;

	/* rp_roce_ext_len()'s tables: every mask, header by header */
	for (i = 0; i < 512; i++) {
		for (j = 0, k = 0; j < 9; j++)
			k += i & BIT(j) ? ext_len[j] : 0;
		KUNIT_EXPECT_EQ_MSG(test, rp_roce_ext_len(i), k, "ext %#x", i);
	}

	tmp = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tmp);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < ARRAY_SIZE(t_cases); i++) {
		const struct t_case *c = &t_cases[i];

		len = t_build(tmp, &c->spec);
		l3proto = c->spec.ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
		hdr_len = UINT_MAX;
		len = t_mutate(tmp, len, c->mut, &l3proto, &hdr_len);
		t_same(test, tmp, min(hdr_len, len), len, l3proto, c->name, 0);
	}
	for (i = 0; i < 512; i++) {
		s = (struct t_spec)V4(0);
		if (i & 256)
			s.ipver = 6;
		s.opcode = i & 255;
		len = t_build(tmp, &s);
		t_same(test, tmp, len, len, i & 256 ? ETH_P_IPV6 : ETH_P_IP,
		       "opcode", i);
	}
	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		unsigned int hdrs;

		len = t_build(tmp, &specs[i]);
		l3proto = specs[i].ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
		hdrs = (specs[i].ipver == 4 ? 20 : 40) + 8 + IB_BTH_BYTES +
		       rp_roce_ext_len(rp_roce_opcode_ext(specs[i].opcode));
		for (j = 0; j < hdrs; j++) {
			for (k = 0; k < 10; k++) {
				memcpy(b, tmp, len);
				b[j] = k < 8 ? b[j] ^ BIT(k) : k == 8 ? 0 : 0xff;
				t_same(test, b, len, len, l3proto, "byte",
				       j * 16 + k);
				t_same(test, b, hdrs - 1 - j % 8, len, l3proto,
				       "byte, copy cut", j * 16 + k);
			}
		}
		for (hdr_len = 0; hdr_len <= len; hdr_len++)
			t_same(test, tmp, hdr_len, len, l3proto, "copy",
			       hdr_len);
		t_same(test, tmp, len, len - 1, l3proto, "short", i);
	}
}

static struct kunit_case rp_roce_cases[] = {
	KUNIT_CASE_PARAM(t_parse, t_parse_gen_params),
	KUNIT_CASE(t_sec15_icrc_error_is_no_icrc),
	KUNIT_CASE(t_truncations),
	KUNIT_CASE(t_all_opcodes),
	KUNIT_CASE(t_random_bytes),
	KUNIT_CASE(t_fast_route),
	{}
};

static struct kunit_suite rp_roce_suite = {
	.name = "rdmapolicy_roce",
	.test_cases = rp_roce_cases,
};

kunit_test_suite(rp_roce_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy RoCEv2 parser");
