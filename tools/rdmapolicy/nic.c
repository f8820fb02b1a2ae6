// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy nic: the NICs registered with the core, what they can do,
 * and the counters of the VM ports they have bound in this namespace.
 *
 *   nic show
 *
 * The kernel sends one message per NIC and bound port.  Text output
 * gathers them in one block per NIC: the NIC on the first line, then one
 * line per port; with -s the port's counters that are not zero, both
 * directions added up; with -s -s every counter, per direction.  JSON
 * keeps one object per message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

static void print_ctrs(struct pr *p, int mode, const char *key,
		       const char *label, const struct nlattr *nest)
{
	const struct nlattr *c[RP_A_NIC_CTR_MAX + 1];
	const struct rp_name *n;

	rp_nl_parse_nest(nest, c, RP_A_NIC_CTR_MAX);
	pr_nest_start(p, mode, key, label);
	for (n = rp_nic_ctrs; n->name; n++)
		pr_ctr(p, mode, n->name, rp_jname(n),
		       c[n->val] ? mnl_attr_get_u64(c[n->val]) : 0);
	pr_nest_end(p);
}

/* -s: one line of the counters of both directions, added up */
static void print_sums(struct pr *p, const struct nlattr **pt)
{
	const struct nlattr *c[2][RP_A_NIC_CTR_MAX + 1];
	const struct rp_name *n;
	int d;

	memset(c, 0, sizeof(c));
	if (pt[RP_A_NIC_PORT_FROM_VM])
		rp_nl_parse_nest(pt[RP_A_NIC_PORT_FROM_VM], c[0],
				 RP_A_NIC_CTR_MAX);
	if (pt[RP_A_NIC_PORT_TO_VM])
		rp_nl_parse_nest(pt[RP_A_NIC_PORT_TO_VM], c[1],
				 RP_A_NIC_CTR_MAX);
	pr_nest_start(p, PR_TEXT, NULL, NULL);
	for (n = rp_nic_ctrs; n->name; n++) {
		uint64_t v = 0;

		for (d = 0; d < 2; d++)
			if (c[d][n->val])
				v += mnl_attr_get_u64(c[d][n->val]);
		pr_ctr(p, PR_TEXT, n->name, NULL, v);
	}
	pr_nest_end(p);
}

static int nic_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *nt[RP_A_NIC_MAX + 1];
	const struct nlattr *pt[RP_A_NIC_PORT_MAX + 1];
	struct rd *rd = data;
	struct pr *p = &rd->pr;
	const char *name = "?";
	int head, dir;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_NIC])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_NIC], nt, RP_A_NIC_MAX);
	if (nt[RP_A_NIC_NAME])
		name = mnl_attr_get_str(nt[RP_A_NIC_NAME]);
	/* text: the next port of the same NIC goes on in the same block */
	head = pr_obj_start_group(p, name);
	if (nt[RP_A_NIC_NAME])
		pr_strc(p, head, PR_C_NAME, "nic", "nic", name);
	pr_bits(p, head, "caps", "caps", nt[RP_A_NIC_CAPS] ?
		mnl_attr_get_u32(nt[RP_A_NIC_CAPS]) : 0, rp_nic_caps, 0);
	if (nt[RP_A_NIC_PSN_WINDOW])
		pr_u64(p, head, "psn-window", "psn_window",
		       mnl_attr_get_u32(nt[RP_A_NIC_PSN_WINDOW]));
	if (nt[RP_A_NIC_CONNS])
		pr_u64(p, head, "conns", "conns",
		       mnl_attr_get_u32(nt[RP_A_NIC_CONNS]));
	if (nt[RP_A_NIC_MAX_CONNS])
		pr_u64(p, head, "max-conns", "max_conns",
		       mnl_attr_get_u32(nt[RP_A_NIC_MAX_CONNS]));
	if (nt[RP_A_NIC_PORT]) {
		rp_nl_parse_nest(nt[RP_A_NIC_PORT], pt, RP_A_NIC_PORT_MAX);
		pr_nest_start(p, PR_ANY, "port", NULL);
		if (pt[RP_A_NIC_PORT_IFNAME])
			pr_strc(p, PR_ANY, PR_C_NAME, "port", "ifname",
				mnl_attr_get_str(pt[RP_A_NIC_PORT_IFNAME]));
		if (pt[RP_A_NIC_PORT_IFINDEX])
			pr_u64(p, PR_JSON, NULL, "ifindex",
			       mnl_attr_get_u32(pt[RP_A_NIC_PORT_IFINDEX]));
		if (pt[RP_A_NIC_PORT_TENANT])
			pr_u64(p, PR_ANY, "tenant", "tenant",
			       mnl_attr_get_u32(pt[RP_A_NIC_PORT_TENANT]));
		if (pt[RP_A_NIC_PORT_TENANT])
			pr_flag(p, PR_ANY, "overlay", "overlay",
				!!pt[RP_A_NIC_PORT_OVERLAY]);
		if (rd->stats == 1)
			print_sums(p, pt);
		dir = rd->stats >= 2 ? PR_ANY : PR_JSON;
		if (pt[RP_A_NIC_PORT_FROM_VM])
			print_ctrs(p, dir, "from_vm", "from-vm:",
				   pt[RP_A_NIC_PORT_FROM_VM]);
		if (pt[RP_A_NIC_PORT_TO_VM])
			print_ctrs(p, dir, "to_vm", "to-vm:  ",
				   pt[RP_A_NIC_PORT_TO_VM]);
		pr_nest_end(p);
	}
	pr_obj_end_group(p);
	return MNL_CB_OK;
}

static int nic_show(struct rd *rd, struct args *a)
{
	struct nlmsghdr *nlh;
	int err;

	if (args_end(a, "nic show"))
		return -EINVAL;
	pr_begin(&rd->pr);
	nlh = rp_nl_msg(&rd->nl, RP_CMD_NIC_GET, NLM_F_DUMP);
	err = rp_nl_talk(&rd->nl, nlh, nic_cb, rd);
	pr_end(&rd->pr);
	return err;
}

const struct cmd nic_cmds[] = {
	{ "show", nic_show, "",
	  "show NICs and their VM ports (with -s: the ports' counters)" },
	{ "list", nic_show, "", "", CMD_F_EXACT | CMD_F_HIDDEN },
	{ NULL },
};
