// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/rdmapolicy.yaml */
/* by scripts/ynl-gen.py (ynl-gen-c kernel policies) */

#include "rp_nl_gen.h"

const struct nla_policy rdmapolicy_conn_nl_policy[RP_A_CONN_TENANT + 1] = {
	[RP_A_CONN_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_CONN_STATE] = NLA_POLICY_RANGE(NLA_U8, 1, 4),
	[RP_A_CONN_REQ_VM] = { .type = NLA_U32, },
	[RP_A_CONN_REP_VM] = { .type = NLA_U32, },
	[RP_A_CONN_REQ_ADDR] = { .type = NLA_BINARY, },
	[RP_A_CONN_REP_ADDR] = { .type = NLA_BINARY, },
	[RP_A_CONN_REQ_QPN] = { .type = NLA_U32, },
	[RP_A_CONN_REP_QPN] = { .type = NLA_U32, },
	[RP_A_CONN_REQ_PSN] = { .type = NLA_U32, },
	[RP_A_CONN_REP_PSN] = { .type = NLA_U32, },
	[RP_A_CONN_PS] = { .type = NLA_U16, },
	[RP_A_CONN_PORT] = { .type = NLA_U16, },
	[RP_A_CONN_QP_TYPE] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_CONN_RIGHTS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_CONN_RULE_ID] = { .type = NLA_U32, },
	[RP_A_CONN_AGE] = { .type = NLA_U32, },
	[RP_A_CONN_INSTALLED] = { .type = NLA_FLAG, },
	[RP_A_CONN_REQ_PSN_SEEN] = { .type = NLA_U32, },
	[RP_A_CONN_REP_PSN_SEEN] = { .type = NLA_U32, },
	[RP_A_CONN_REPLY_RIGHTS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_CONN_SETUP] = NLA_POLICY_MAX(NLA_U8, 3),
	[RP_A_CONN_TENANT] = { .type = NLA_U32, },
};

const struct nla_policy rdmapolicy_prefix_nl_policy[RP_A_PREFIX_LEN + 1] = {
	[RP_A_PREFIX_ADDR] = { .type = NLA_BINARY, .len = 16, },
	[RP_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy rdmapolicy_rule_nl_policy[RP_A_RULE_SETUP + 1] = {
	[RP_A_RULE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_RULE_PRIO] = { .type = NLA_U32, },
	[RP_A_RULE_SRC] = NLA_POLICY_NESTED(rdmapolicy_sel_nl_policy),
	[RP_A_RULE_DST] = NLA_POLICY_NESTED(rdmapolicy_sel_nl_policy),
	[RP_A_RULE_PS] = { .type = NLA_U16, },
	[RP_A_RULE_PORT_MIN] = { .type = NLA_U16, },
	[RP_A_RULE_PORT_MAX] = { .type = NLA_U16, },
	[RP_A_RULE_QP_TYPES] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U8, 1),
	[RP_A_RULE_RIGHTS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_RULE_HITS] = { .type = NLA_U64, },
	[RP_A_RULE_REPLY_RIGHTS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[RP_A_RULE_SETUP] = NLA_POLICY_MAX(NLA_U8, 3),
};

const struct nla_policy rdmapolicy_sel_nl_policy[RP_A_SEL_PREFIX + 1] = {
	[RP_A_SEL_TYPE] = NLA_POLICY_MAX(NLA_U8, 4),
	[RP_A_SEL_VM] = NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_SEL_TENANT] = { .type = NLA_U32, },
	[RP_A_SEL_PREFIX] = NLA_POLICY_NESTED(rdmapolicy_prefix_nl_policy),
};

const struct nla_policy rdmapolicy_vm_nl_policy[RP_A_VM_PAD + 1] = {
	[RP_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[RP_A_VM_TENANT] = { .type = NLA_U32, },
	[RP_A_VM_REMOTE] = { .type = NLA_FLAG, },
	[RP_A_VM_PORT] = { .type = NLA_NUL_STRING, .len = 15, },
	[RP_A_VM_MAC] = NLA_POLICY_EXACT_LEN(6),
	[RP_A_VM_ADDR] = NLA_POLICY_NESTED(rdmapolicy_prefix_nl_policy),
	[RP_A_VM_MAX_CONNS] = { .type = NLA_U32, },
	[RP_A_VM_SETUP_RATE] = { .type = NLA_U32, },
	[RP_A_VM_STATS] = NLA_POLICY_NESTED(rdmapolicy_vm_stats_nl_policy),
};

const struct nla_policy rdmapolicy_vm_stats_nl_policy[RP_A_VM_STATS_PAD + 1] = {
	[RP_A_VM_STATS_ALLOWED] = { .type = NLA_U64, },
	[RP_A_VM_STATS_DENIED] = { .type = NLA_U64, },
	[RP_A_VM_STATS_CONNS] = { .type = NLA_U32, },
};

/* Global operation policy for rdmapolicy */
const struct nla_policy rdmapolicy_nl_policy[RP_A_IF_LAST_SEQ + 1] = {
	[RP_A_VM] = NLA_POLICY_NESTED(rdmapolicy_vm_nl_policy),
	[RP_A_RULE] = NLA_POLICY_NESTED(rdmapolicy_rule_nl_policy),
	[RP_A_FLUSH] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[RP_A_CONN] = NLA_POLICY_NESTED(rdmapolicy_conn_nl_policy),
	[RP_A_IF_LAST_SEQ] = { .type = NLA_U32, },
};
