// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy nic: the NICs registered with the core, what they can do,
 * and the counters of the VM ports they have bound in this namespace.
 *
 *   nic show
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rdmapolicy.h>
#include <rdmapolicy/counters.h>

#include "print.h"
#include "rdmapolicy.h"

/* The per-port counters (rdmapolicy/counters.h) */
#define RP_NIC_CTR(id, name)	{ RP_A_NIC_CTR_##id, name },
static const struct { int attr; const char *name; } ctrs[] = {
#include <rdmapolicy/nic_ctrs.h>
};

#undef RP_NIC_CTR

static const char *const cap_names[] = { "psn-window", "icrc",
					 "conn-counters" };

static void print_ctrs(const char *key, const struct nlattr *nest)
{
	const struct nlattr *c[RP_A_NIC_CTR_MAX + 1];
	char buf[256] = "";
	size_t n = 0;
	int i;

	rp_nl_parse_nest(nest, c, RP_A_NIC_CTR_MAX);
	pr_nest_start(key);
	for (i = 0; i < RP_NIC_CTRS; i++) {
		const struct nlattr *a = c[ctrs[i].attr];
		uint64_t v = a ? mnl_attr_get_u64(a) : 0;

		if (pr_is_json())
			pr_u64(NULL, ctrs[i].name, v);
		else
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s %llu",
				      n ? " " : "", ctrs[i].name,
				      (unsigned long long)v);
	}
	pr_nest_end();
	if (!pr_is_json())
		pr_str(key, NULL, buf);
}

static int nic_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *nt[RP_A_NIC_MAX + 1];
	const struct nlattr *pt[RP_A_NIC_PORT_MAX + 1];
	char caps[64] = "";
	uint32_t v;
	size_t n = 0;
	int i;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_NIC])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_NIC], nt, RP_A_NIC_MAX);
	pr_obj_start();
	if (nt[RP_A_NIC_NAME])
		pr_str("nic", "nic", mnl_attr_get_str(nt[RP_A_NIC_NAME]));
	v = nt[RP_A_NIC_CAPS] ? mnl_attr_get_u32(nt[RP_A_NIC_CAPS]) : 0;
	pr_arr_start("caps");
	for (i = 0; i < 3; i++)
		if (v & (1U << i)) {
			if (pr_is_json())
				pr_str(NULL, NULL, cap_names[i]);
			else
				n += snprintf(caps + n, sizeof(caps) - n,
					      "%s%s", n ? "," : "",
					      cap_names[i]);
		}
	pr_arr_end();
	if (!pr_is_json())
		pr_str("caps", NULL, n ? caps : "none");
	if (nt[RP_A_NIC_PSN_WINDOW])
		pr_u64("psn-window", "psn_window",
		       mnl_attr_get_u32(nt[RP_A_NIC_PSN_WINDOW]));
	if (nt[RP_A_NIC_CONNS])
		pr_u64("conns", "conns", mnl_attr_get_u32(nt[RP_A_NIC_CONNS]));
	if (nt[RP_A_NIC_MAX_CONNS])
		pr_u64("max-conns", "max_conns",
		       mnl_attr_get_u32(nt[RP_A_NIC_MAX_CONNS]));
	if (nt[RP_A_NIC_PORT]) {
		rp_nl_parse_nest(nt[RP_A_NIC_PORT], pt, RP_A_NIC_PORT_MAX);
		pr_nest_start("port");
		if (pt[RP_A_NIC_PORT_IFNAME])
			pr_str("port", "ifname",
			       mnl_attr_get_str(pt[RP_A_NIC_PORT_IFNAME]));
		if (pt[RP_A_NIC_PORT_IFINDEX] && pr_is_json())
			pr_u64(NULL, "ifindex",
			       mnl_attr_get_u32(pt[RP_A_NIC_PORT_IFINDEX]));
		if (pt[RP_A_NIC_PORT_FROM_VM])
			print_ctrs("from_vm", pt[RP_A_NIC_PORT_FROM_VM]);
		if (pt[RP_A_NIC_PORT_TO_VM])
			print_ctrs("to_vm", pt[RP_A_NIC_PORT_TO_VM]);
		pr_nest_end();
	}
	pr_obj_end();
	return MNL_CB_OK;
}

int cmd_nic(struct args *a)
{
	const char *verb = args_peek(a);
	struct nlmsghdr *nlh;
	int err;

	if (verb && strcmp(verb, "show") && strcmp(verb, "list")) {
		rp_err("nic: unknown command \"%s\" (try: nic show)", verb);
		return -EINVAL;
	}
	if (verb)
		args_next(a, "verb");
	if (args_more(a)) {
		rp_err("nic show: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	pr_begin();
	nlh = rp_nl_msg(g_nl, RP_CMD_NIC_GET, NLM_F_DUMP);
	err = rp_nl_talk(g_nl, nlh, nic_cb, NULL);
	pr_end();
	return err;
}
