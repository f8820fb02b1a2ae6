/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RoCEv2 packets for the KUnit suites, built byte by byte from the IBTA
 * layouts.
 */
#ifndef _RP_KUNIT_PKT_H
#define _RP_KUNIT_PKT_H

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_verbs.h>

#include <rdmapolicy/roce.h>

#define T_MAX_PKT	512

struct t_spec {
	u8 ipver;		/* 4 or 6 */
	u8 opcode;
	u8 pad;
	u8 tver;
	u16 payload;		/* payload bytes after the extension headers */
	u32 dqpn;
	u32 psn;
	bool reverse;		/* from ::2 / .2 to ::1 / .1 */
};

/*
 * Build IP + UDP + BTH + extension headers + payload + pad + ICRC (left 0)
 * into @b; from 10.10.0.1 to 10.10.0.2 (fd00::1 to fd00::2), reversed on
 * request.  Return: the length.
 */
static inline unsigned int t_build(u8 *b, const struct t_spec *s)
{
	unsigned int ext = rp_roce_ext_len(rp_roce_opcode_ext(s->opcode));
	unsigned int l3 = s->ipver == 4 ? sizeof(struct iphdr) :
					  sizeof(struct ipv6hdr);
	unsigned int udplen = 8 + IB_BTH_BYTES + ext + s->payload + s->pad + 4;
	unsigned int len = l3 + udplen;
	struct udphdr *uh = (void *)(b + l3);
	u8 *bth = b + l3 + 8;

	memset(b, 0, len);
	if (s->ipver == 4) {
		struct iphdr *ip = (void *)b;

		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->tot_len = htons(len);
		ip->saddr = htonl(0x0a0a0001);
		ip->daddr = htonl(0x0a0a0002);
	} else {
		struct ipv6hdr *ip6 = (void *)b;

		ip6->version = 6;
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = 64;
		ip6->payload_len = htons(udplen);
		ip6->saddr.s6_addr[0] = 0xfd;
		ip6->saddr.s6_addr[15] = 1;
		ip6->daddr.s6_addr[0] = 0xfd;
		ip6->daddr.s6_addr[15] = 2;
	}
	if (s->reverse) {
		if (s->ipver == 4)
			swap(((struct iphdr *)b)->saddr,
			     ((struct iphdr *)b)->daddr);
		else
			swap(((struct ipv6hdr *)b)->saddr,
			     ((struct ipv6hdr *)b)->daddr);
	}
	uh->source = htons(49152);
	uh->dest = htons(ROCE_V2_UDP_DPORT);
	uh->len = htons(udplen);
	bth[0] = s->opcode;
	bth[1] = (s->pad << 4) | s->tver;
	bth[2] = 0xff;		/* P_Key */
	bth[3] = 0xff;
	bth[5] = s->dqpn >> 16;
	bth[6] = s->dqpn >> 8;
	bth[7] = s->dqpn;
	bth[8] = 0x80;		/* AckReq */
	bth[9] = s->psn >> 16;
	bth[10] = s->psn >> 8;
	bth[11] = s->psn;
	return len;
}

#endif /* _RP_KUNIT_PKT_H */
