/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/rdmapolicy.yaml */
/* by scripts/ynl-gen.py (ynl-gen-c kernel policies) */

#ifndef _RP_NL_GEN_H
#define _RP_NL_GEN_H

#include <net/netlink.h>

#include <uapi/linux/rdmapolicy.h>

extern const struct nla_policy rdmapolicy_conn_nl_policy[RP_A_CONN_TENANT + 1];
extern const struct nla_policy rdmapolicy_prefix_nl_policy[RP_A_PREFIX_LEN + 1];
extern const struct nla_policy rdmapolicy_rule_nl_policy[RP_A_RULE_SETUP + 1];
extern const struct nla_policy rdmapolicy_sel_nl_policy[RP_A_SEL_PREFIX + 1];
extern const struct nla_policy rdmapolicy_vm_nl_policy[RP_A_VM_PAD + 1];
extern const struct nla_policy rdmapolicy_vm_stats_nl_policy[RP_A_VM_STATS_PAD + 1];
extern const struct nla_policy rdmapolicy_nl_policy[RP_A_IF_LAST_SEQ + 1];

#endif /* _RP_NL_GEN_H */
