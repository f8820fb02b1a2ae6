/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory-access policy: rules and their evaluation.
 *
 * Evaluation is a pure function of the tables and a query, so KUnit can
 * drive it directly; the exception path builds the query from a CM message.
 */
#ifndef _RP_POLICY_H
#define _RP_POLICY_H

#include "rp_table.h"

/*
 * Which query about a multicast group (rp_query.group): a join has the
 * group as its source (its sends come from it) and the joining VM as its
 * destination, a send the sending VM as its source and the group as its
 * destination.  Group queries match group rules only, and only those.
 */
enum rp_query_group {
	RP_QG_NONE,			/* a connection or a learned flow */
	RP_QG_JOIN,			/* may dst_vm receive group saddr? */
	RP_QG_SEND,			/* may src_vm send to group daddr? */
};

/* The connection a decision is asked for, seen from its requester. */
struct rp_query {
	const struct rp_vm *src_vm;	/* requester's address space */
	const struct rp_vm *dst_vm;	/* responder's, NULL if unknown */
	struct in6_addr saddr;
	struct in6_addr daddr;
	u16 ps;				/* RDMA CM port space, 0: none */
	u16 port;
	u32 qp_type;			/* one RP_QP_* bit */
	u8 setup;			/* RP_SETUP_CM or RP_SETUP_LEARNED */
	bool recheck;			/* not a decision: hits not counted */
	u8 group;			/* enum rp_query_group */
};

struct rp_decision {
	u8 action;			/* enum rp_action */
	u32 rights;			/* RP_RIGHT_*, 0 when denied */
	u32 reply_rights;		/* the responder's, 0 when denied */
	const struct rp_rule *rule;	/* NULL: default deny */
};

void rp_policy_eval(struct rp_tables *t, const struct rp_query *q,
		    struct rp_decision *d);
void rp_policy_eval_learned(struct rp_tables *t, const struct rp_query *q,
			    struct rp_decision *d, bool *as_responder);

int rp_rule_add(struct rp_tables *t, struct rp_rule_spec *spec,
		struct netlink_ext_ack *extack);
int rp_rule_set(struct rp_tables *t, const struct rp_rule_spec *spec,
		struct netlink_ext_ack *extack);
int rp_rule_del(struct rp_tables *t, u32 id, struct netlink_ext_ack *extack);
void rp_rules_flush(struct rp_tables *t);
int rp_vms_flush(struct rp_tables *t, struct netlink_ext_ack *extack);

u64 rp_rule_order(const struct rp_rule_spec *s);
#if IS_ENABLED(CONFIG_KUNIT)
bool rp_rule_match(const struct rp_rule *r, const struct rp_query *q);
#endif

#endif /* _RP_POLICY_H */
