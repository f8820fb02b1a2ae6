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

int rp_nl_prefix_parse(const struct nlattr *nest, struct rp_prefix *p,
		       struct netlink_ext_ack *extack);
int rp_nl_prefix_put(struct sk_buff *skb, int type, const struct rp_prefix *p);
int rp_nl_addr_put(struct sk_buff *skb, int type, const struct in6_addr *a);

#endif /* _RP_NL_ATTR_H */
