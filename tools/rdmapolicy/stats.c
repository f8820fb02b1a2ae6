// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy stats: the namespace's counts, and with -s the exception
 * path's counters on a line of their own (-s -s: the zero ones too).
 */
#include <errno.h>
#include <stdio.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *st[RP_A_STATS_MAX + 1];
	/* gauges (u32) around the totals of rp_stats_ctrs (u64) */
	static const struct {
		int attr;
		const char *key;
	} before[] = {
		{ RP_A_STATS_VMS, "vms" },
		{ RP_A_STATS_RULES, "rules" },
	}, after[] = {
		{ RP_A_STATS_GENERATION, "generation" },
		{ RP_A_STATS_CONNS, "conns" },
	};
	struct rd *rd = data;
	struct pr *p = &rd->pr;
	const struct rp_name *n;
	size_t i;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_STATS])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_STATS], st, RP_A_STATS_MAX);
	pr_obj_start(p);
	for (i = 0; i < sizeof(before) / sizeof(before[0]); i++)
		if (st[before[i].attr])
			pr_u64(p, PR_ANY, before[i].key, before[i].key,
			       mnl_attr_get_u32(st[before[i].attr]));
	for (n = rp_stats_ctrs; n->name; n++)
		if (st[n->val])
			pr_u64(p, PR_ANY, n->name, rp_jname(n),
			       mnl_attr_get_u64(st[n->val]));
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++)
		if (st[after[i].attr])
			pr_u64(p, PR_ANY, after[i].key, after[i].key,
			       mnl_attr_get_u32(st[after[i].attr]));
	if (rd->stats) {
		pr_nest_start(p, PR_ANY, "exception", "exception path:");
		for (n = rp_exception_ctrs; n->name; n++)
			if (st[n->val])
				pr_ctr(p, PR_ANY, n->name, rp_jname(n),
				       mnl_attr_get_u64(st[n->val]));
		pr_nest_end(p);
	}
	pr_obj_end(p);
	return MNL_CB_OK;
}

static int stats_show(struct rd *rd, struct args *a)
{
	int err;

	if (args_end(a, "stats"))
		return -EINVAL;
	pr_begin(&rd->pr);
	err = rp_nl_talk(&rd->nl,
			 rp_nl_msg(&rd->nl, RP_CMD_STATS_GET, NLM_F_ACK),
			 stats_cb, rd);
	pr_end(&rd->pr);
	return err;
}

const struct cmd stats_cmds[] = {
	{ "show", stats_show, "",
	  "show the namespace's counts (with -s: the exception path's)" },
	{ NULL },
};
