// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy group: the multicast groups' members and senders.
 *
 *   group show
 *
 * One line each: the group, member or sender, the VM, its port (and a
 * sender's address), whether it may send, the deciding rule and the age
 * (Documentation/multicast.rst).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

static void print_addr(struct pr *p, const char *tkey, const char *jkey,
		       const struct nlattr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6,
		  mnl_attr_get_payload(a), buf, sizeof(buf));
	pr_strc(p, PR_ANY, PR_C_ADDR, tkey, jkey, buf);
}

static int group_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *gt[RP_A_GROUP_MAX + 1];
	struct rd *rd = data;
	struct pr *p = &rd->pr;
	char buf[64], ifname[IF_NAMESIZE];
	bool sender;
	uint32_t v;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_GROUP])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_GROUP], gt, RP_A_GROUP_MAX);
	if (!gt[RP_A_GROUP_GROUP] || !gt[RP_A_GROUP_KIND])
		return MNL_CB_OK;
	sender = mnl_attr_get_u8(gt[RP_A_GROUP_KIND]) == RP_GROUP_SENDER;
	pr_obj_start(p);
	print_addr(p, "group", "group", gt[RP_A_GROUP_GROUP]);
	pr_str(p, PR_ANY, NULL, "kind", sender ? "sender" : "member");
	if (gt[RP_A_GROUP_VM_ID]) {
		v = mnl_attr_get_u32(gt[RP_A_GROUP_VM_ID]);
		pr_strc(p, PR_ANY, PR_C_NAME, "vm", "vm",
			rd_vm_name(rd, v, buf, sizeof(buf)));
	}
	if (gt[RP_A_GROUP_TENANT])
		pr_u64(p, PR_ANY, "tenant", "tenant",
		       mnl_attr_get_u32(gt[RP_A_GROUP_TENANT]));
	if (gt[RP_A_GROUP_IFINDEX]) {
		v = mnl_attr_get_u32(gt[RP_A_GROUP_IFINDEX]);
		pr_str(p, PR_ANY, "port", "port",
		       if_indextoname(v, ifname) ? ifname : "?");
	}
	if (gt[RP_A_GROUP_ADDR])
		print_addr(p, "addr", "addr", gt[RP_A_GROUP_ADDR]);
	if (sender)
		pr_strc(p, PR_ANY, gt[RP_A_GROUP_ALLOWED] ? PR_C_GOOD :
			PR_C_BAD, NULL, "verdict",
			gt[RP_A_GROUP_ALLOWED] ? "allowed" : "denied");
	if (gt[RP_A_GROUP_RULE_ID])
		pr_u64(p, PR_ANY, "rule", "rule",
		       mnl_attr_get_u32(gt[RP_A_GROUP_RULE_ID]));
	if (gt[RP_A_GROUP_AGE])
		pr_u64(p, PR_ANY, "age", "age",
		       mnl_attr_get_u32(gt[RP_A_GROUP_AGE]));
	pr_obj_end(p);
	return MNL_CB_OK;
}

static int group_show(struct rd *rd, struct args *a)
{
	struct nlmsghdr *nlh;
	int err;

	if (args_end(a, "group show"))
		return -EINVAL;
	err = cache_load(&rd->cache, &rd->nl);
	if (err)
		return err;
	pr_begin(&rd->pr);
	nlh = rp_nl_msg(&rd->nl, RP_CMD_GROUP_GET, NLM_F_DUMP);
	err = rp_nl_talk(&rd->nl, nlh, group_cb, rd);
	pr_end(&rd->pr);
	return err;
}

const struct cmd group_cmds[] = {
	{ "show", group_show, "",
	  "show the multicast groups' members and senders" },
	{ "list", group_show, "", "", CMD_F_EXACT | CMD_F_HIDDEN },
	{ NULL },
};
