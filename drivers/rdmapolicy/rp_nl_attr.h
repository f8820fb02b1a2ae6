/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribute types that several objects of the family share: prefixes
 * (RP_A_PREFIX_*, in VMs and rule selectors) and addresses.
 */
#ifndef _RP_NL_ATTR_H
#define _RP_NL_ATTR_H

#include <linux/in6.h>
#include <net/netlink.h>

struct rp_prefix;

/*
 * Index the attributes of a nest that the genl core has validated.  Before
 * any doit of the family runs, genl_family_rcv_msg_attrs_parse() checks the
 * whole request against rdmapolicy_nl_policy with NL_VALIDATE_STRICT: every
 * top-level attribute, each instance of a repeated one (CONFIG_SET's RP_A_VM
 * and RP_A_RULE), and every nest against its NLA_POLICY_NESTED policy,
 * recursively.  Parsing such a nest again with its policy would check each
 * attribute twice (a fifth of the kernel's work in a 100k-rule restore):
 * this only fills @tb, the last instance of a type winning as in
 * nla_parse_nested().  Only for nests of a request the core validated
 * (no op of rp_genl.c sets GENL_DONT_VALIDATE_* or a policy of its own,
 * rp_genl_validated() checks it at load); anything else (a nest the
 * family policy does not describe) goes through nla_parse_nested() with
 * its policy.
 */
static inline void rp_nla_index(struct nlattr **tb, int maxtype,
				const struct nlattr *nest)
{
	/* 0: no policy to fail, unknown types skipped */
	(void)__nla_parse(tb, maxtype, nla_data(nest), nla_len(nest), NULL,
			  NL_VALIDATE_LIBERAL, NULL);
}

/* @nest: an RP_A_PREFIX nest of a doit's request (see rp_nla_index()) */
int rp_nl_prefix_parse(const struct nlattr *nest, struct rp_prefix *p,
		       struct netlink_ext_ack *extack);
int rp_nl_prefix_put(struct sk_buff *skb, int type, const struct rp_prefix *p);
int rp_nl_addr_put(struct sk_buff *skb, int type, const struct in6_addr *a);

#endif /* _RP_NL_ATTR_H */
