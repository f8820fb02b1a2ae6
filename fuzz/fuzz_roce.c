// SPDX-License-Identifier: GPL-2.0
/*
 * rp_roce_parse() and the ICRC (drivers/rdmapolicy/rp_roce.c).
 *
 * Input: one byte choosing the ethertype (fz_l3proto()), one byte giving
 * how many header bytes the caller makes available (0: RP_ROCE_MAX_HDR, as
 * the hooks do), then the frame from its L3 header.  Checks: a verdict
 * with a name; a zeroed parse unless RP_ROCE_OK; on RP_ROCE_OK a parse
 * consistent with the bytes (addresses, UDP length, offsets, extension
 * headers of the opcode) and an ICRC equal to the reference one; fewer
 * header bytes never turn a dropped packet into one that passes.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <rdma/ib_pack.h>
#include <rdmapolicy/roce.h>

#include "fuzz.h"

static bool zeroed(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static void check_ok(const u8 *b, unsigned int len, u16 proto,
		     const struct rp_roce_pkt *p)
{
	unsigned int ipl = p->ip_version == 4 ? 20 : 40, end, udplen;
	struct in6_addr a;
	u32 icrc;
	int err;

	FZ_CHECK((proto == ETH_P_IP && p->ip_version == 4) ||
		 (proto == ETH_P_IPV6 && p->ip_version == 6),
		 "proto %#x ip_version %u", proto, p->ip_version);
	FZ_CHECK(p->class >= RP_CLASS_SEND && p->class <= RP_CLASS_CNP,
		 "class %u", p->class);
	FZ_CHECK(p->ext == rp_roce_opcode_ext(p->opcode), "ext %#x", p->ext);
	FZ_CHECK(p->hdr_len == IB_BTH_BYTES + rp_roce_ext_len(p->ext),
		 "hdr_len %u", p->hdr_len);
	FZ_CHECK(p->bth_off >= ipl + 8, "bth_off %u", p->bth_off);
	FZ_CHECK(p->payload_off == p->bth_off + p->hdr_len, "payload_off");
	FZ_CHECK(p->pad <= 3 && p->dqpn <= 0xffffff && p->psn <= 0xffffff,
		 "pad %u dqpn %#x psn %#x", p->pad, p->dqpn, p->psn);
	end = p->payload_off + p->payload_len + p->pad + IB_ICRC_BYTES;
	FZ_CHECK(end <= len, "datagram end %u past %u bytes", end, len);
	/* the fields, read back from the bytes */
	FZ_CHECK(get_unaligned_be16(b + p->bth_off - 6) == ROCE_V2_UDP_DPORT,
		 "UDP port");
	FZ_CHECK(get_unaligned_be16(b + p->bth_off - 8) == p->sport, "sport");
	udplen = get_unaligned_be16(b + p->bth_off - 4);
	FZ_CHECK(udplen == end - (p->bth_off - 8), "UDP length %u", udplen);
	FZ_CHECK(b[p->bth_off] == p->opcode, "opcode");
	FZ_CHECK((b[p->bth_off + 1] >> 4 & 3) == p->pad, "pad");
	FZ_CHECK(!(b[p->bth_off + 1] & 0xf), "tver");
	FZ_CHECK((get_unaligned_be32(b + p->bth_off + 4) & 0xffffff) == p->dqpn,
		 "dqpn");
	FZ_CHECK((get_unaligned_be32(b + p->bth_off + 8) & 0xffffff) == p->psn,
		 "psn");
	FZ_CHECK(p->ack_req == !!(b[p->bth_off + 8] & 0x80), "ack_req");
	if (p->ip_version == 4) {
		FZ_CHECK((b[0] >> 4) == 4 && b[9] == IPPROTO_UDP, "IPv4 header");
		ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(b + 12)),
				       &a);
		FZ_CHECK(ipv6_addr_equal(&a, &p->saddr), "saddr");
		ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(b + 16)),
				       &a);
		FZ_CHECK(ipv6_addr_equal(&a, &p->daddr), "daddr");
		FZ_CHECK(end <= get_unaligned_be16(b + 2), "past tot_len");
	} else {
		FZ_CHECK((b[0] >> 4) == 6, "IPv6 header");
		FZ_CHECK(!memcmp(b + 8, &p->saddr, 16) &&
			 !memcmp(b + 24, &p->daddr, 16), "addresses");
		FZ_CHECK(!ipv6_addr_v4mapped(&p->saddr) &&
			 !ipv6_addr_v4mapped(&p->daddr), "v4-mapped IPv6");
		FZ_CHECK(end <= 40u + get_unaligned_be16(b + 4),
			 "past payload_len");
	}

	/* ICRC over the datagram, as the exception path asks for it */
	err = rp_roce_icrc(b, end, p, &icrc);
	if (p->bth_off != ipl + 8) {
		FZ_CHECK(err == -EOPNOTSUPP, "ICRC with options: %d", err);
		FZ_CHECK(!rp_roce_icrc_ok(b, end, p), "ICRC ok with options");
		return;
	}
	FZ_CHECK(!err, "rp_roce_icrc: %d", err);
	FZ_CHECK(icrc == ref_icrc(b, end, p->ip_version),
		 "ICRC %#x, reference %#x", icrc,
		 ref_icrc(b, end, p->ip_version));
	FZ_CHECK(rp_roce_icrc_ok(b, end, p) ==
		 (get_unaligned_le32(b + end - 4) == icrc), "rp_roce_icrc_ok");
	FZ_CHECK(rp_roce_icrc(b, p->bth_off + IB_BTH_BYTES + 3, p, &icrc) ==
		 -EINVAL, "ICRC of a datagram too short for one");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rp_roce_pkt p, p2;
	enum rp_roce_verdict v, v2;
	unsigned int len, hl;
	u16 proto;
	u8 *b;

	if (size < 2 || size > 0xffff)
		return 0;
	proto = fz_l3proto(data[0]);
	hl = data[1] ? data[1] : RP_ROCE_MAX_HDR;
	len = size - 2;
	b = fz_dup(data + 2, len);

	memset(&p, 0xa5, sizeof(p));
	v = rp_roce_parse(b, len, len, proto, &p);
	FZ_CHECK((unsigned int)v < RP_ROCE_VERDICT_MAX, "verdict %d", v);
	FZ_CHECK(strcmp(rp_roce_verdict_name(v), "?"), "unnamed verdict %d", v);
	if (v == RP_ROCE_OK)
		check_ok(b, len, proto, &p);
	else
		FZ_CHECK(zeroed(&p, sizeof(p)), "parse not zeroed on %s",
			 rp_roce_verdict_name(v));

	/*
	 * What the hooks see: the first @hl bytes of a @len-byte packet, in
	 * a buffer of @hl bytes (ASan: nothing past them is read).
	 */
	hl = min(hl, len);
	free(b);
	b = fz_dup(data + 2, hl);
	v2 = rp_roce_parse(b, hl, len, proto, &p2);
	if (v2 == RP_ROCE_OK || v2 == RP_ROCE_NOT)
		FZ_CHECK(v2 == v && (v != RP_ROCE_OK || !memcmp(&p, &p2, sizeof(p))),
			 "%u of %u header bytes: %s, all: %s", hl, len,
			 rp_roce_verdict_name(v2), rp_roce_verdict_name(v));
	else if (v2 != v)
		FZ_CHECK(v2 == RP_ROCE_ERR_TRUNC ||
			 (v2 == RP_ROCE_ERR_VLAN &&
			  (proto == ETH_P_8021Q || proto == ETH_P_8021AD)),
			 "%u of %u header bytes: %s, all: %s", hl, len,
			 rp_roce_verdict_name(v2), rp_roce_verdict_name(v));
	free(b);
	return 0;
}
