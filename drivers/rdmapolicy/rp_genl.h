/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "rdmapolicy": what the per-object files
 * (rp_nl_*.c) share with the family (rp_genl.c).  Laid out as the kernel's
 * YAML-generated family headers are: the family, its attribute policies
 * and every handler, so that the family file depends on no object file.
 */
#ifndef _RP_GENL_H
#define _RP_GENL_H

#include <linux/build_bug.h>
#include <net/genetlink.h>
#include <uapi/linux/rdmapolicy.h>

#include "rp_nl_gen.h"	/* the attribute policies, from the spec */

extern struct genl_family rp_family;

enum rp_mcgrp { RP_MCGRP_EVENTS };

int rp_genl_init(void);
void rp_genl_exit(void);
bool rp_genl_live(void);
bool rp_nl_admin(const struct sk_buff *skb);
/* the extack message of an admin command refused by rp_nl_admin() */
#define RP_NL_ADMIN_MSG \
	"needs CAP_NET_ADMIN in the initial user namespace (see rdmapolicy.userns_admin)"

/*
 * Dumps: each keeps its cursor in a typed context over cb->ctx, set up by
 * the op's .start, and stamps cb->seq with the namespace's configuration
 * generation in each part, so that genl_dump_check_consistent() flags
 * NLM_F_DUMP_INTR in a part that follows a change.  0 means "unchecked"
 * to netlink, hence the + 1.
 */
#define RP_NL_DUMP_CTX(cb, type)					\
	({								\
		static_assert(sizeof(type) <=				\
			      sizeof_field(struct netlink_callback, ctx)); \
		(type *)(cb)->ctx;					\
	})

static inline void rp_nl_dump_gen(struct netlink_callback *cb, u32 gen)
{
	cb->seq = gen + 1;
}

struct rp_rule_spec;
struct rp_vm;
struct rp_vm_spec;

/* rp_nl_vm.c */
int rp_nl_vm_parse(struct net *net, const struct nlattr *nest,
		   const struct rp_vm *old, struct rp_vm_spec *s,
		   struct netlink_ext_ack *extack);
int rp_nl_vm_new(struct sk_buff *skb, struct genl_info *info);
int rp_nl_vm_set(struct sk_buff *skb, struct genl_info *info);
int rp_nl_vm_del(struct sk_buff *skb, struct genl_info *info);
int rp_nl_vm_get(struct sk_buff *skb, struct genl_info *info);
int rp_nl_vm_dump_start(struct netlink_callback *cb);
int rp_nl_vm_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* rp_nl_rule.c */
int rp_nl_rule_parse(const struct nlattr *nest, struct rp_rule_spec *s,
		     bool need_id, struct netlink_ext_ack *extack);
int rp_nl_rule_new(struct sk_buff *skb, struct genl_info *info);
int rp_nl_rule_set(struct sk_buff *skb, struct genl_info *info);
int rp_nl_rule_del(struct sk_buff *skb, struct genl_info *info);
int rp_nl_rule_get(struct sk_buff *skb, struct genl_info *info);
int rp_nl_rule_dump_start(struct netlink_callback *cb);
int rp_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* rp_nl_config.c */
int rp_nl_flush(struct sk_buff *skb, struct genl_info *info);
int rp_nl_config_set(struct sk_buff *skb, struct genl_info *info);

/* rp_nl_stats.c */
int rp_nl_stats_get(struct sk_buff *skb, struct genl_info *info);

/* rp_nl_conn.c */
int rp_nl_conn_dump_start(struct netlink_callback *cb);
int rp_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int rp_nl_conn_del(struct sk_buff *skb, struct genl_info *info);
int rp_nl_conn_flush(struct sk_buff *skb, struct genl_info *info);

/* rp_nl_nic.c */
int rp_nl_nic_dump_start(struct netlink_callback *cb);
int rp_nl_nic_dump(struct sk_buff *skb, struct netlink_callback *cb);
int rp_nl_nic_dump_done(struct netlink_callback *cb);

/* rp_nl_group.c */
int rp_nl_group_dump_start(struct netlink_callback *cb);
int rp_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _RP_GENL_H */
