/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IGMP and MLD membership reports read as bytes (rp_mcast_parse.c); what
 * rp_mcast.c decides joins and leaves from.
 */
#ifndef _RP_MCAST_PARSE_H
#define _RP_MCAST_PARSE_H

#include <linux/in6.h>
#include <linux/types.h>

enum rp_mcast_parse_verdict {
	RP_MCAST_REPORT,		/* a well-formed membership report */
	RP_MCAST_NOT,			/* no report (a query, other ICMPv6) */
	RP_MCAST_BAD,			/* a report that is cut short or bad */
};

/*
 * A parsed report: where its records are, walked by rp_mcast_next().
 * IGMPv1/v2 reports and leaves and MLDv1 reports and dones carry one
 * group; IGMPv3 and MLDv2 reports a list of records.
 */
struct rp_mcast_report {
	struct in6_addr saddr;		/* IPv4 v4-mapped */
	u8 ip_version;			/* 4 or 6 */
	u8 type;			/* IGMP or ICMPv6 type */
	bool v3;			/* IGMPv3 / MLDv2: records */
	bool leave;			/* v1/v2: a leave (done) */
	struct in6_addr group;		/* v1/v2: the one group */
	u16 nrec;			/* v3: records left to walk */
	const u8 *rec;			/* v3: the next record */
};

/* One record: a group and whether the VM is in it now. */
struct rp_mcast_rec {
	struct in6_addr group;		/* IPv4 v4-mapped */
	bool join;			/* false: left (or not in it) */
	bool change;			/* false: no change (BLOCK_OLD, unknown) */
};

enum rp_mcast_parse_verdict rp_mcast_parse(const u8 *l3, unsigned int len,
					   u16 l3proto,
					   struct rp_mcast_report *r);
bool rp_mcast_next(struct rp_mcast_report *r, struct rp_mcast_rec *rec);
bool rp_mcast_is_group(const struct in6_addr *a);
bool rp_mcast_link_local(const struct in6_addr *group);

#endif
