// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute types several objects share: prefixes and addresses.  IPv4
 * travels as 4 bytes and is kept v4-mapped (rp_table.h).
 */
#include <net/ipv6.h>
#include <net/netlink.h>

#include "rp_genl.h"
#include "rp_nl_attr.h"
#include "rp_table.h"

int rp_nl_prefix_parse(const struct nlattr *nest, struct rp_prefix *p,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_PREFIX_MAX + 1];
	int len;

	rp_nla_index(tb, RP_A_PREFIX_MAX, nest);
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_PREFIX_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_PREFIX_LEN)) {
		NL_SET_ERR_MSG(extack, "prefix: needs an address and a length");
		return -EINVAL;
	}
	len = nla_len(tb[RP_A_PREFIX_ADDR]);
	p->plen = nla_get_u8(tb[RP_A_PREFIX_LEN]);
	if (len == 4) {
		if (p->plen > 32) {
			NL_SET_ERR_MSG_ATTR(extack, tb[RP_A_PREFIX_LEN],
					    "RP_A_PREFIX_LEN: over 32 for IPv4");
			return -EINVAL;
		}
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[RP_A_PREFIX_ADDR]),
				       &p->addr);
		p->plen += 96;
	} else if (len == 16) {
		p->addr = nla_get_in6_addr(tb[RP_A_PREFIX_ADDR]);
	} else {
		NL_SET_ERR_MSG_ATTR(extack, tb[RP_A_PREFIX_ADDR],
				    "RP_A_PREFIX_ADDR: not 4 or 16 bytes");
		return -EINVAL;
	}
	rp_prefix_mask(p);
	return 0;
}

int rp_nl_prefix_put(struct sk_buff *skb, int type, const struct rp_prefix *p)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (ipv6_addr_v4mapped(&p->addr) && p->plen >= 96) {
		if (nla_put_in_addr(skb, RP_A_PREFIX_ADDR, p->addr.s6_addr32[3]) ||
		    nla_put_u8(skb, RP_A_PREFIX_LEN, p->plen - 96))
			goto cancel;
	} else {
		if (nla_put_in6_addr(skb, RP_A_PREFIX_ADDR, &p->addr) ||
		    nla_put_u8(skb, RP_A_PREFIX_LEN, p->plen))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int rp_nl_addr_put(struct sk_buff *skb, int type, const struct in6_addr *a)
{
	if (ipv6_addr_v4mapped(a))
		return nla_put_in_addr(skb, type, a->s6_addr32[3]);
	return nla_put_in6_addr(skb, type, a);
}
