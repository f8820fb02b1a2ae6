// SPDX-License-Identifier: GPL-2.0
/*
 * IGMP and MLD membership reports, read as bytes (no sk_buff, so KUnit
 * drives it on buffers): IGMPv1/v2 reports and v2 leaves (RFC 2236),
 * IGMPv3 reports (RFC 3376 4.2), MLDv1 reports and dones (RFC 2710),
 * MLDv2 reports (RFC 3810 5.2).  A report is checked whole before any
 * of it is used: every record within the packet, every group a multicast
 * address.  Checksums are the receivers' business (a report with a wrong
 * one only ever adds a membership the VM asked for).
 */
#include <kunit/visibility.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/unaligned.h>
#include <net/ipv6.h>

#include "rp_mcast_parse.h"

#define RP_IGMP_V1_REPORT	0x12
#define RP_IGMP_V2_REPORT	0x16
#define RP_IGMP_V2_LEAVE	0x17
#define RP_IGMP_V3_REPORT	0x22
#define RP_MLD_V1_REPORT	131
#define RP_MLD_V1_DONE		132
#define RP_MLD_V2_REPORT	143

/* IGMPv3 / MLDv2 group record types (RFC 3376 4.2.12, RFC 3810 5.2.12) */
enum {
	RP_MODE_IS_INCLUDE = 1,
	RP_MODE_IS_EXCLUDE,
	RP_CHANGE_TO_INCLUDE,
	RP_CHANGE_TO_EXCLUDE,
	RP_ALLOW_NEW_SOURCES,
	RP_BLOCK_OLD_SOURCES,
};

/* IPv6 extension headers walked before the ICMPv6 header */
#define RP_MLD_MAX_EXTHDRS	4

/* Is @a a multicast address (IPv4 v4-mapped 224.0.0.0/4, or ff00::/8)? */
bool rp_mcast_is_group(const struct in6_addr *a)
{
	if (ipv6_addr_v4mapped(a))
		return ipv4_is_multicast(a->s6_addr32[3]);
	return ipv6_addr_is_multicast(a);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_is_group);

/*
 * Is @group of link-local scope (224.0.0.0/24, ff01::/16, ff02::/16):
 * never routed, what ARP-free IPv6 (neighbour discovery) and local
 * discovery protocols need?  Joins of these are not policed.
 */
bool rp_mcast_link_local(const struct in6_addr *group)
{
	if (ipv6_addr_v4mapped(group))
		return ipv4_is_local_multicast(group->s6_addr32[3]);
	return (group->s6_addr[1] & 0x0f) <= IPV6_ADDR_SCOPE_LINKLOCAL;
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_link_local);

static void rp_mcast_v4(struct in6_addr *a, const u8 *p)
{
	ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)p), a);
}

/*
 * Check the @nrec records of @alen-byte addresses at @p (@len bytes to
 * the report's end); the first is left in @r for rp_mcast_next().
 */
static enum rp_mcast_parse_verdict rp_mcast_v3(const u8 *p, unsigned int len,
					       unsigned int alen, u16 nrec,
					       struct rp_mcast_report *r)
{
	struct in6_addr g;
	unsigned int i, n;

	r->v3 = true;
	r->nrec = nrec;
	r->rec = p;
	for (i = 0; i < nrec; i++) {
		if (len < 4 + alen)
			return RP_MCAST_BAD;
		/* type, aux data length (words), number of sources, group */
		n = 4 + alen + (get_unaligned_be16(p + 2) + 0u) * alen +
		    p[1] * 4u;
		if (len < n)
			return RP_MCAST_BAD;
		if (alen == 4)
			rp_mcast_v4(&g, p + 4);
		else
			memcpy(&g, p + 4, sizeof(g));
		if (!rp_mcast_is_group(&g))
			return RP_MCAST_BAD;
		p += n;
		len -= n;
	}
	return RP_MCAST_REPORT;
}

static enum rp_mcast_parse_verdict rp_mcast_igmp(const u8 *l3,
						 unsigned int len,
						 struct rp_mcast_report *r)
{
	unsigned int ihl, tot;
	const u8 *p;

	if (len < 20 || (l3[0] >> 4) != 4)
		return RP_MCAST_NOT;
	if (l3[9] != IPPROTO_IGMP)
		return RP_MCAST_NOT;
	ihl = (l3[0] & 0xf) * 4;
	tot = get_unaligned_be16(l3 + 2);
	/* IGMP is never fragmented: a fragment would hide a report */
	if (ihl < 20 || tot < ihl + 8 || tot > len ||
	    (get_unaligned_be16(l3 + 6) & 0x3fff))
		return RP_MCAST_BAD;
	rp_mcast_v4(&r->saddr, l3 + 12);
	r->ip_version = 4;
	p = l3 + ihl;
	len = tot - ihl;
	r->type = p[0];
	switch (p[0]) {
	case RP_IGMP_V1_REPORT:
	case RP_IGMP_V2_REPORT:
	case RP_IGMP_V2_LEAVE:
		r->leave = p[0] == RP_IGMP_V2_LEAVE;
		rp_mcast_v4(&r->group, p + 4);
		r->nrec = 1;
		return rp_mcast_is_group(&r->group) ? RP_MCAST_REPORT :
						      RP_MCAST_BAD;
	case RP_IGMP_V3_REPORT:
		/* type, reserved, checksum, reserved, number of records */
		return rp_mcast_v3(p + 8, len - 8, 4,
				   get_unaligned_be16(p + 6), r);
	default:
		return RP_MCAST_NOT;		/* queries, and the rest */
	}
}

static enum rp_mcast_parse_verdict rp_mcast_mld(const u8 *l3,
						unsigned int len,
						struct rp_mcast_report *r)
{
	unsigned int off = sizeof(struct ipv6hdr), end, i;
	u8 nexthdr;
	const u8 *p;

	if (len < off || (l3[0] >> 4) != 6)
		return RP_MCAST_NOT;
	end = off + get_unaligned_be16(l3 + 4);
	if (end > len)
		return RP_MCAST_NOT;	/* not ours to judge: the parse's */
	nexthdr = l3[6];
	for (i = 0; i < RP_MLD_MAX_EXTHDRS; i++) {
		if (nexthdr != NEXTHDR_HOP && nexthdr != NEXTHDR_DEST)
			break;
		if (end < off + 8)
			return RP_MCAST_NOT;
		nexthdr = l3[off];
		off += (l3[off + 1] + 1) * 8;
	}
	if (nexthdr != NEXTHDR_ICMP || end < off + 8)
		return RP_MCAST_NOT;
	p = l3 + off;
	len = end - off;
	memcpy(&r->saddr, l3 + 8, sizeof(r->saddr));
	r->ip_version = 6;
	r->type = p[0];
	switch (p[0]) {
	case RP_MLD_V1_REPORT:
	case RP_MLD_V1_DONE:
		/* type, code, checksum, max delay, reserved, group */
		if (len < 8 + sizeof(r->group))
			return RP_MCAST_BAD;
		r->leave = p[0] == RP_MLD_V1_DONE;
		memcpy(&r->group, p + 8, sizeof(r->group));
		r->nrec = 1;
		return rp_mcast_is_group(&r->group) ? RP_MCAST_REPORT :
						      RP_MCAST_BAD;
	case RP_MLD_V2_REPORT:
		return rp_mcast_v3(p + 8, len - 8, sizeof(struct in6_addr),
				   get_unaligned_be16(p + 6), r);
	default:
		return RP_MCAST_NOT;
	}
}

/**
 * rp_mcast_parse() - read a membership report
 * @l3: the packet from its IP header
 * @len: its bytes at @l3 (all of the packet: reports are short)
 * @l3proto: ETH_P_IP or ETH_P_IPV6
 * @r: out: the report, its records to walk with rp_mcast_next()
 *
 * Return: RP_MCAST_REPORT, RP_MCAST_NOT (no membership report: a query,
 * other ICMPv6, not IGMP) or RP_MCAST_BAD (a report that is cut short,
 * fragmented or names a group that is no multicast address).
 */
enum rp_mcast_parse_verdict rp_mcast_parse(const u8 *l3, unsigned int len,
					   u16 l3proto,
					   struct rp_mcast_report *r)
{
	memset(r, 0, sizeof(*r));
	if (l3proto == ETH_P_IP)
		return rp_mcast_igmp(l3, len, r);
	if (l3proto == ETH_P_IPV6)
		return rp_mcast_mld(l3, len, r);
	return RP_MCAST_NOT;
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_parse);

/**
 * rp_mcast_next() - the next record of a parsed report
 * @r: the report (RP_MCAST_REPORT from rp_mcast_parse())
 * @rec: out: the record's group, whether the VM is in it now and whether
 *	 the record changes that at all
 *
 * Return: false when there are no more.
 */
bool rp_mcast_next(struct rp_mcast_report *r, struct rp_mcast_rec *rec)
{
	unsigned int alen = r->ip_version == 4 ? 4 : sizeof(struct in6_addr);
	u16 nsrcs;

	if (!r->nrec)
		return false;
	r->nrec--;
	if (!r->v3) {
		rec->group = r->group;
		rec->join = !r->leave;
		rec->change = true;
		return true;
	}
	nsrcs = get_unaligned_be16(r->rec + 2);
	if (alen == 4)
		rp_mcast_v4(&rec->group, r->rec + 4);
	else
		memcpy(&rec->group, r->rec + 4, sizeof(rec->group));
	rec->change = true;
	switch (r->rec[0]) {
	case RP_MODE_IS_EXCLUDE:
	case RP_CHANGE_TO_EXCLUDE:
		rec->join = true;		/* all sources but some */
		break;
	case RP_MODE_IS_INCLUDE:
	case RP_CHANGE_TO_INCLUDE:
		rec->join = nsrcs > 0;		/* INCLUDE {}: a leave */
		break;
	case RP_ALLOW_NEW_SOURCES:
		rec->join = true;
		rec->change = nsrcs > 0;
		break;
	default:			/* BLOCK_OLD_SOURCES, unknown: ignored */
		rec->join = false;
		rec->change = false;
		break;
	}
	r->rec += 4 + alen + nsrcs * alen + r->rec[1] * 4u;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_next);
