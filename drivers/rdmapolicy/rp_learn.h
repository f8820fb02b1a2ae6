/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Learned flows: RoCEv2 data of QPs set up without RDMA CM, decided from
 * the first packet of each direction (rp_learn.c, see
 * Documentation/learned.rst); what guards that path is rp_learn_guard.h.
 */
#ifndef _RP_LEARN_H
#define _RP_LEARN_H

#include <linux/in6.h>
#include <linux/types.h>
#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

struct rp_net;
struct rp_tables;
struct rp_vm;

/* One first data packet on the learning path; see rp_learn_decide(). */
struct rp_learn_ctx {
	struct rp_net *rn;
	int ifindex;			/* the port it came in on, from its VM */
	const u8 *l3;			/* its first bytes, from the IP header */
	unsigned int l3len;		/* bytes at @l3 */
	unsigned int pktlen;		/* bytes of the packet from IP on */
	u16 l3proto;			/* ETH_P_IP or ETH_P_IPV6 */
	const u8 *mac;			/* sender's MAC, NULL if unknown */
	/* out */
	struct rp_roce_pkt pkt;
	u32 qp_type;			/* RP_QP_*, from the opcode */
	u32 sqpn;			/* UD: the sender's QPN (DETH) */
	u32 conn_id;			/* the learned flow, when allowed */
	/* the decision's */
	struct rp_tables *t;
	struct rp_vm *vm;		/* the port's VM, the sender */
	u32 gen;			/* rp_conntrack.gen when @t was read */
};

enum rp_exc_verdict rp_learn_decide(struct rp_learn_ctx *x);
u32 rp_learn_qp_type(u8 opcode);
bool rp_learn_class_ok(u32 rights, u8 class);

#endif
