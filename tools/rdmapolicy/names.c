// SPDX-License-Identifier: GPL-2.0
/* The tool's vocabulary; see names.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>
#include <rdma/rdma_user_cm.h>

#include "names.h"
#include "utils.h"

const struct rp_name rp_rights[] = {
	{ RP_RIGHT_SEND, "send" }, { RP_RIGHT_WRITE, "write" },
	{ RP_RIGHT_READ, "read" }, { RP_RIGHT_ATOMIC, "atomic" },
	{ 0, NULL },
};

const struct rp_name rp_qp_types[] = {
	{ RP_QP_RC, "rc" }, { RP_QP_UC, "uc" }, { RP_QP_UD, "ud" },
	{ RP_QP_XRC, "xrc" }, { 0, NULL },
};

const struct rp_name rp_port_spaces[] = {
	{ RDMA_PS_TCP, "tcp" }, { RDMA_PS_UDP, "udp" }, { RDMA_PS_IB, "ib" },
	{ RDMA_PS_IPOIB, "ipoib" }, { 0, NULL },
};

const struct rp_name rp_conn_states[] = {
	{ RP_CONN_STATE_REQ, "req" },
	{ RP_CONN_STATE_ESTABLISHED, "established" },
	{ RP_CONN_STATE_CLOSING, "closing" },
	{ RP_CONN_STATE_LEARNED, "learned" },
	{ 0, NULL },
};

const struct rp_name rp_events[] = {
	{ RP_EV_VM_NEW, "vm new" }, { RP_EV_VM_SET, "vm change" },
	{ RP_EV_VM_DEL, "vm del" }, { RP_EV_RULE_NEW, "rule new" },
	{ RP_EV_RULE_SET, "rule change" }, { RP_EV_RULE_DEL, "rule del" },
	{ RP_EV_FLUSH, "flush" }, { RP_EV_CONFIG_SET, "config replace" },
	{ RP_EV_CONN_NEW, "conn new" },
	{ RP_EV_CONN_ESTABLISHED, "conn established" },
	{ RP_EV_CONN_DENIED, "conn denied" },
	{ RP_EV_CONN_DESTROYED, "conn destroyed" },
	{ RP_EV_GROUP_JOIN, "group join" },
	{ RP_EV_GROUP_LEAVE, "group leave" },
	{ RP_EV_GROUP_DENIED, "group denied" },
	{ 0, NULL },
};

const struct rp_name rp_nic_caps[] = {
	{ RP_NIC_CAP_PSN_WINDOW, "psn-window" }, { RP_NIC_CAP_ICRC, "icrc" },
	{ RP_NIC_CAP_CONN_COUNTERS, "conn-counters" }, { 0, NULL },
};

/*
 * The counters, from the kernel's lists (rdmapolicy/nic_ctrs.h and
 * exc_ctrs.h), in the kernel's order.  The exception path's list is split
 * by its detail flag: the totals `stats` always shows, the rest with -s.
 */
#define RP_NIC_CTR(id, text, json)	{ RP_A_NIC_CTR_##id, text, json },
const struct rp_name rp_nic_ctrs[] = {
#include <rdmapolicy/nic_ctrs.h>
	{ 0, NULL },
};

#undef RP_NIC_CTR

#define RP_ONLY_0(...)	__VA_ARGS__
#define RP_ONLY_1(...)
#define RP_EXC_CTR(id, text, json, detail) \
	RP_ONLY_##detail({ RP_A_STATS_##id, text, json },)
const struct rp_name rp_stats_ctrs[] = {
#include <rdmapolicy/exc_ctrs.h>
	{ 0, NULL },
};

#undef RP_ONLY_0
#undef RP_ONLY_1
#define RP_ONLY_0(...)
#define RP_ONLY_1(...)	__VA_ARGS__
const struct rp_name rp_exception_ctrs[] = {
#include <rdmapolicy/exc_ctrs.h>
	{ 0, NULL },
};

#undef RP_EXC_CTR
#undef RP_ONLY_0
#undef RP_ONLY_1

const struct rp_name rp_vm_ctrs[] = {
	{ RP_A_VM_STATS_ALLOWED, "allowed" },
	{ RP_A_VM_STATS_DENIED, "denied" },
	{ 0, NULL },
};

const struct rp_name *rp_name_find(const struct rp_name *t, uint32_t val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t;
	return NULL;
}

const char *rp_name_of(const struct rp_name *t, uint32_t val,
		       const char *dflt)
{
	const struct rp_name *n = rp_name_find(t, val);

	return n ? n->name : dflt;
}

const char *rp_jname(const struct rp_name *n)
{
	return n->jname ? n->jname : n->name;
}

int rp_name_parse(const struct rp_name *t, const char *s, uint32_t *val)
{
	for (; t->name; t++)
		if (!strcmp(s, t->name)) {
			*val = t->val;
			return 0;
		}
	return -ENOENT;
}

/*
 * A comma-separated list of @t's names (empty items skipped, as
 * strtok() would), without a copy of it.
 */
int rp_bits_parse(const char *what, const char *s, const struct rp_name *t,
		  uint32_t all, uint32_t *out)
{
	const struct rp_name *n;
	const char *tok;
	size_t len;

	if (all && !strcmp(s, "all")) {
		*out = all;
		return 0;
	}
	*out = 0;
	for (tok = s; *tok; tok += len) {
		if (*tok == ',') {
			len = 1;
			continue;
		}
		len = strcspn(tok, ",");
		for (n = t; n->name; n++)
			if (!strncmp(tok, n->name, len) && !n->name[len])
				break;
		if (!n->name) {
			rp_err("%s: unknown \"%.*s\"", what, (int)len, tok);
			return -EINVAL;
		}
		*out |= n->val;
	}
	if (!*out) {
		rp_err("%s: empty list", what);
		return -EINVAL;
	}
	return 0;
}
