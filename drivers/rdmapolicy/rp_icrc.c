// SPDX-License-Identifier: GPL-2.0
/*
 * The RoCEv2 ICRC on byte buffers, after rp_roce_parse() (rp_roce.c).
 * See include/rdmapolicy/roce.h for the contract.
 */
#include <linux/crc32.h>
#include <linux/export.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/string.h>
#include <rdma/ib_hdrs.h>
#include <rdma/ib_verbs.h>
#include <linux/unaligned.h>

#include <rdmapolicy/roce.h>

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
