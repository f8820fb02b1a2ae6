/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast: which VM may join which group and which may send to it
 * (Documentation/multicast.rst).  rp_mcast_parse.c reads IGMP and MLD
 * membership reports as bytes; rp_mcast.c decides joins and senders with
 * the policy, keeps the groups' members and senders (rp_mcast_table.h,
 * its locking there) and tells the NICs.
 */
#ifndef _RP_MCAST_H
#define _RP_MCAST_H

#include <linux/types.h>
#include <rdmapolicy/shim.h>

#include "rp_mcast_parse.h"
#include "rp_mcast_table.h"

struct rp_net;
struct rp_tables;
struct rp_vm;

/* One report or first packet to a group on the decision path. */
struct rp_mcast_ctx {
	struct rp_net *rn;
	int ifindex;			/* the port it came in on, from its VM */
	const u8 *l3;			/* the packet, from the IP header */
	unsigned int l3len;		/* bytes at @l3 */
	unsigned int pktlen;		/* bytes of the packet from IP on */
	u16 l3proto;			/* ETH_P_IP or ETH_P_IPV6 */
	const u8 *mac;			/* sender's MAC, NULL if unknown */
};

enum rp_exc_verdict rp_mcast_report_decide(struct rp_mcast_ctx *x);
enum rp_exc_verdict rp_mcast_send_decide(struct rp_mcast_ctx *x);
bool rp_mcast_allowed(struct rp_tables *t, const struct rp_vm *vm,
		      const struct in6_addr *group, bool send, u32 *rule_id);

void rp_mcast_revalidate(struct rp_net *rn, struct rp_tables *t);

#endif
