// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "rdmapolicy": top-level policy, ops,
 * multicast group, permissions.  The ABI is described in
 * include/uapi/linux/rdmapolicy.h; each object's parsing, filling and
 * handlers are in its own file (rp_nl_vm.c, rp_nl_rule.c, rp_nl_conn.c,
 * rp_nl_nic.c, rp_nl_stats.c, rp_nl_config.c), events in rp_event.c,
 * configuration writes go through rp_config.c.
 *
 * Every rejection names the attribute and the reason in the extack.
 * State-changing commands need CAP_NET_ADMIN in the initial user
 * namespace, or with the module parameter userns_admin set, in the user
 * namespace that owns the network namespace (see rp_nl_pre_doit()).
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "rp_genl.h"

/*
 * Set while rp_family is registered.  rp_genl_exit() clears it and waits
 * for a grace period before unregistering the family: rp_event() checks
 * it under RCU, so no event touches the family's multicast group once
 * genl_unregister_family() has released the group's id (another family
 * may be given it) -- such as the events of the connections that the
 * namespaces' teardown flushes afterwards.
 */
static bool rp_genl_registered;

/* Context: RCU read side, for the family's multicast group to stay. */
bool rp_genl_live(void)
{
	return READ_ONCE(rp_genl_registered);
}

static bool rp_userns_admin;
module_param_named(userns_admin, rp_userns_admin, bool, 0644);
MODULE_PARM_DESC(userns_admin,
		 "admin commands need CAP_NET_ADMIN only in the netns's own user namespace (default 0: in the initial one)");

/*
 * Whether the sender of @skb may use an admin command.  The genetlink core
 * has already checked GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user
 * namespace owning the network namespace, which an unprivileged user gets
 * with unshare -Urn.  Such a namespace would drive the NICs (whose flow
 * tables all namespaces share) and the exception path, so by default the
 * sender also needs CAP_NET_ADMIN in the initial user namespace, as with
 * GENL_ADMIN_PERM; rdmapolicy.userns_admin=1 trusts namespace admins.
 */
bool rp_nl_admin(const struct sk_buff *skb)
{
	return READ_ONCE(rp_userns_admin) ||
	       netlink_capable(skb, CAP_NET_ADMIN);
}

static int rp_nl_pre_doit(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	if (!(ops->flags & GENL_UNS_ADMIN_PERM) || rp_nl_admin(skb))
		return 0;
	NL_SET_ERR_MSG(info->extack, RP_NL_ADMIN_MSG);
	return -EPERM;
}

/* The commands with a dump: 6.1's small ops have no .start/.done. */
static const struct genl_ops rp_full_ops[] = {
	{ .cmd = RP_CMD_VM_GET, .doit = rp_nl_vm_get,
	  .start = rp_nl_vm_dump_start, .dumpit = rp_nl_vm_dump },
	{ .cmd = RP_CMD_RULE_GET, .doit = rp_nl_rule_get,
	  .start = rp_nl_rule_dump_start, .dumpit = rp_nl_rule_dump },
	{ .cmd = RP_CMD_CONN_GET, .start = rp_nl_conn_dump_start,
	  .dumpit = rp_nl_conn_dump, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_NIC_GET, .start = rp_nl_nic_dump_start,
	  .dumpit = rp_nl_nic_dump, .done = rp_nl_nic_dump_done },
	{ .cmd = RP_CMD_GROUP_GET, .start = rp_nl_group_dump_start,
	  .dumpit = rp_nl_group_dump },
};

/*
 * No op sets GENL_DONT_VALIDATE_*: the genl core checks every request
 * strictly against rdmapolicy_nl_policy, nests included, and the doits'
 * parsers rely on it (rp_nla_index(), rp_genl_validated()).
 */
static const struct genl_small_ops rp_ops[] = {
	{ .cmd = RP_CMD_CONN_DEL, .doit = rp_nl_conn_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_CONN_FLUSH, .doit = rp_nl_conn_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_NEW, .doit = rp_nl_vm_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_SET, .doit = rp_nl_vm_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_DEL, .doit = rp_nl_vm_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_NEW, .doit = rp_nl_rule_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_SET, .doit = rp_nl_rule_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_DEL, .doit = rp_nl_rule_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_FLUSH, .doit = rp_nl_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_CONFIG_SET, .doit = rp_nl_config_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_STATS_GET, .doit = rp_nl_stats_get },
};

static const struct genl_multicast_group rp_mcgrps[] = {
	/*
	 * CAP_NET_ADMIN over the namespace (6.1 has no mcast_bind any more
	 * to ask for the initial namespace's); see rp_event()
	 */
	[RP_MCGRP_EVENTS] = { .name = RDMAPOLICY_MCGRP_EVENTS,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family rp_family __ro_after_init = {
	.name = RDMAPOLICY_GENL_NAME,
	.version = RDMAPOLICY_GENL_VERSION,
	.maxattr = ARRAY_SIZE(rdmapolicy_nl_policy) - 1,
	.policy = rdmapolicy_nl_policy,
	.netnsok = true,
	.pre_doit = rp_nl_pre_doit,
	.module = THIS_MODULE,
	.ops = rp_full_ops,
	.n_ops = ARRAY_SIZE(rp_full_ops),
	.small_ops = rp_ops,
	.n_small_ops = ARRAY_SIZE(rp_ops),
	.mcgrps = rp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rp_mcgrps),
};

/*
 * What rp_nla_index() relies on, checked once: no op skips the core's
 * strict validation or has a policy of its own, and the nests the doits'
 * parsers index are validated by the policies those parsers expect.
 */
static bool __init rp_genl_validated(void)
{
	const struct nla_policy *top = rdmapolicy_nl_policy;
	int i;

	for (i = 0; i < ARRAY_SIZE(rp_ops); i++)
		if (rp_ops[i].validate)
			return false;
	for (i = 0; i < ARRAY_SIZE(rp_full_ops); i++)
		if (rp_full_ops[i].validate || rp_full_ops[i].policy)
			return false;
	return top[RP_A_VM].type == NLA_NESTED &&
	       top[RP_A_VM].nested_policy == rdmapolicy_vm_nl_policy &&
	       top[RP_A_RULE].type == NLA_NESTED &&
	       top[RP_A_RULE].nested_policy == rdmapolicy_rule_nl_policy &&
	       top[RP_A_CONN].type == NLA_NESTED &&
	       top[RP_A_CONN].nested_policy == rdmapolicy_conn_nl_policy &&
	       rdmapolicy_vm_nl_policy[RP_A_VM_ADDR].nested_policy ==
		rdmapolicy_prefix_nl_policy &&
	       rdmapolicy_rule_nl_policy[RP_A_RULE_SRC].nested_policy ==
		rdmapolicy_sel_nl_policy &&
	       rdmapolicy_rule_nl_policy[RP_A_RULE_DST].nested_policy ==
		rdmapolicy_sel_nl_policy &&
	       rdmapolicy_sel_nl_policy[RP_A_SEL_PREFIX].nested_policy ==
		rdmapolicy_prefix_nl_policy;
}

int __init rp_genl_init(void)
{
	int err;

	if (WARN_ON(!rp_genl_validated()))
		return -EINVAL;
	err = genl_register_family(&rp_family);
	if (!err)
		WRITE_ONCE(rp_genl_registered, true);
	return err;
}

/*
 * After this, no request reaches the core (genl_unregister_family() waits
 * for those in flight) and no event is sent (see rp_genl_registered).
 */
void rp_genl_exit(void)
{
	WRITE_ONCE(rp_genl_registered, false);
	synchronize_rcu();
	genl_unregister_family(&rp_family);
}
