// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "rdmapolicy": configuration, dumps and events.
 * The ABI is described in include/uapi/linux/rdmapolicy.h.
 *
 * All attribute parsing lives in this file.  Every rejection names the
 * attribute and the reason in the extack.  State-changing commands need
 * CAP_NET_ADMIN in the initial user namespace, or with the module parameter
 * userns_admin set, in the user namespace that owns the network namespace
 * (see rp_nl_pre_doit()).
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "rp_net.h"
#include "rp_nic.h"
#include "rp_netlink.h"
#include "rp_policy.h"

static const struct nla_policy rp_prefix_policy[RP_A_PREFIX_MAX + 1] = {
	[RP_A_PREFIX_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	[RP_A_PREFIX_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy rp_vm_policy[RP_A_VM_MAX + 1] = {
	[RP_A_VM_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_VM_NAME]		= { .type = NLA_NUL_STRING,
				    .len = RP_NAME_LEN - 1 },
	[RP_A_VM_TENANT]	= { .type = NLA_U32 },
	[RP_A_VM_REMOTE]	= { .type = NLA_FLAG },
	[RP_A_VM_PORT]		= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[RP_A_VM_MAC]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[RP_A_VM_ADDR]		= NLA_POLICY_NESTED(rp_prefix_policy),
	[RP_A_VM_MAX_CONNS]	= { .type = NLA_U32 },
	[RP_A_VM_SETUP_RATE]	= { .type = NLA_U32 },
	[RP_A_VM_STATS]		= { .type = NLA_REJECT },
};

static const struct nla_policy rp_sel_policy[RP_A_SEL_MAX + 1] = {
	[RP_A_SEL_TYPE]		= NLA_POLICY_MAX(NLA_U8, __RP_SEL_MAX - 1),
	[RP_A_SEL_VM]		= NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_SEL_TENANT]	= { .type = NLA_U32 },
	[RP_A_SEL_PREFIX]	= NLA_POLICY_NESTED(rp_prefix_policy),
};

static const struct nla_policy rp_rule_policy[RP_A_RULE_MAX + 1] = {
	[RP_A_RULE_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[RP_A_RULE_PRIO]	= { .type = NLA_U32 },
	[RP_A_RULE_SRC]		= NLA_POLICY_NESTED(rp_sel_policy),
	[RP_A_RULE_DST]		= NLA_POLICY_NESTED(rp_sel_policy),
	[RP_A_RULE_PS]		= { .type = NLA_U16 },
	[RP_A_RULE_PORT_MIN]	= { .type = NLA_U16 },
	[RP_A_RULE_PORT_MAX]	= { .type = NLA_U16 },
	[RP_A_RULE_QP_TYPES]	= NLA_POLICY_MASK(NLA_U32, RP_QP_ALL),
	[RP_A_RULE_ACTION]	= NLA_POLICY_MAX(NLA_U8, __RP_ACT_MAX - 1),
	[RP_A_RULE_RIGHTS]	= NLA_POLICY_MASK(NLA_U32, RP_RIGHT_ALL),
	[RP_A_RULE_REPLY_RIGHTS] = NLA_POLICY_MASK(NLA_U32, RP_RIGHT_ALL),
	[RP_A_RULE_HITS]	= { .type = NLA_REJECT },
};

static const struct nla_policy rp_conn_policy[__RP_A_CONN_MAX] = {
	[RP_A_CONN_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy rp_policy[RP_A_MAX + 1] = {
	[RP_A_VM]		= NLA_POLICY_NESTED(rp_vm_policy),
	[RP_A_RULE]		= NLA_POLICY_NESTED(rp_rule_policy),
	[RP_A_FLUSH]		= NLA_POLICY_MASK(NLA_U32,
						  RP_FLUSH_VMS | RP_FLUSH_RULES),
	[RP_A_STATS]		= { .type = NLA_REJECT },
	[RP_A_EVENT]		= { .type = NLA_REJECT },
	[RP_A_CONN]		= NLA_POLICY_NESTED(rp_conn_policy),
	[RP_A_NIC]		= { .type = NLA_REJECT },
};

static struct genl_family rp_family;

/*
 * Set while rp_family is registered.  rp_genl_exit() clears it and waits
 * for a grace period before unregistering the family: rp_genl_event()
 * checks it under RCU, so no event touches the family's multicast group
 * once genl_unregister_family() has released the group's id (another
 * family may be given it) -- such as the events of the connections that
 * the namespaces' teardown flushes afterwards.
 */
static bool rp_genl_live;

static bool rp_userns_admin;
module_param_named(userns_admin, rp_userns_admin, bool, 0644);
MODULE_PARM_DESC(userns_admin,
		 "admin commands need CAP_NET_ADMIN only in the netns's own user namespace (default 0: in the initial one)");

enum rp_mcgrp { RP_MCGRP_EVENTS };

/* ---- parsing ---------------------------------------------------------- */

static int rp_parse_prefix(const struct nlattr *nest, struct rp_prefix *p,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_PREFIX_MAX + 1];
	int err, len;

	err = nla_parse_nested(tb, RP_A_PREFIX_MAX, nest, rp_prefix_policy,
			       extack);
	if (err)
		return err;
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

static int rp_put_prefix(struct sk_buff *skb, int type,
			 const struct rp_prefix *p)
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

/*
 * Parse a RP_A_VM nest into @s.  With @old (a change), attributes left out
 * keep their old values; a repeated attribute given at least once replaces
 * the whole old list.  Context: RTNL held (port names are resolved).
 */
static int rp_parse_vm(struct net *net, const struct nlattr *nest,
		       const struct rp_vm_spec *old, struct rp_vm_spec *s,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_VM_MAX + 1];
	bool ports = false, macs = false, addrs = false;
	const struct nlattr *a;
	int err, rem;

	err = nla_parse_nested(tb, RP_A_VM_MAX, nest, rp_vm_policy, extack);
	if (err)
		return err;
	if (old) {
		*s = *old;
	} else {
		memset(s, 0, sizeof(*s));
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_VM_ID)) {
			NL_SET_ERR_MSG(extack, "RP_A_VM_ID: missing");
			return -EINVAL;
		}
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_VM_NAME)) {
			NL_SET_ERR_MSG(extack, "RP_A_VM_NAME: missing");
			return -EINVAL;
		}
		s->remote = nla_get_flag(tb[RP_A_VM_REMOTE]);
	}
	if (tb[RP_A_VM_ID])
		s->id = nla_get_u32(tb[RP_A_VM_ID]);
	if (tb[RP_A_VM_NAME]) {
		memset(s->name, 0, sizeof(s->name));
		nla_strscpy(s->name, tb[RP_A_VM_NAME], sizeof(s->name));
	}
	if (tb[RP_A_VM_TENANT])
		s->tenant = nla_get_u32(tb[RP_A_VM_TENANT]);
	if (tb[RP_A_VM_MAX_CONNS])
		s->max_conns = nla_get_u32(tb[RP_A_VM_MAX_CONNS]);
	if (tb[RP_A_VM_SETUP_RATE])
		s->setup_rate = nla_get_u32(tb[RP_A_VM_SETUP_RATE]);

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case RP_A_VM_PORT: {
			struct rp_vm_port *p;
			struct net_device *dev;

			if (!ports) {
				ports = true;
				s->nports = 0;
			}
			if (s->nports == RP_VM_MAX_PORTS) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_PORT: too many ports");
				return -E2BIG;
			}
			dev = __dev_get_by_name(net, nla_data(a));
			if (!dev) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_PORT: no such netdev");
				return -ENODEV;
			}
			err = rp_nic_port_check(dev);
			if (err) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_PORT: a NIC cannot hook a netdev of this kind");
				return err;
			}
			p = &s->ports[s->nports++];
			memset(p, 0, sizeof(*p));
			p->ifindex = dev->ifindex;
			strscpy(p->ifname, dev->name, sizeof(p->ifname));
			break;
		}
		case RP_A_VM_MAC:
			if (!macs) {
				macs = true;
				s->nmacs = 0;
			}
			if (s->nmacs == RP_VM_MAX_MACS) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_MAC: too many MACs");
				return -E2BIG;
			}
			if (!is_valid_ether_addr(nla_data(a))) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_MAC: not a unicast MAC");
				return -EINVAL;
			}
			ether_addr_copy(s->macs[s->nmacs++], nla_data(a));
			break;
		case RP_A_VM_ADDR:
			if (!addrs) {
				addrs = true;
				s->nprefixes = 0;
			}
			if (s->nprefixes == RP_VM_MAX_PREFIXES) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_ADDR: too many prefixes");
				return -E2BIG;
			}
			err = rp_parse_prefix(a, &s->prefixes[s->nprefixes],
					      extack);
			if (err)
				return err;
			s->nprefixes++;
			break;
		}
	}
	return 0;
}

static int rp_parse_sel(const struct nlattr *nest, struct rp_sel *sel,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_SEL_MAX + 1];
	int err;

	memset(sel, 0, sizeof(*sel));
	if (!nest)
		return 0;	/* any */
	err = nla_parse_nested(tb, RP_A_SEL_MAX, nest, rp_sel_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_TYPE)) {
		NL_SET_ERR_MSG(extack, "RP_A_SEL_TYPE: missing");
		return -EINVAL;
	}
	sel->type = nla_get_u8(tb[RP_A_SEL_TYPE]);
	switch (sel->type) {
	case RP_SEL_VM:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_VM)) {
			NL_SET_ERR_MSG(extack, "RP_A_SEL_VM: missing for a VM selector");
			return -EINVAL;
		}
		sel->vm = nla_get_u32(tb[RP_A_SEL_VM]);
		break;
	case RP_SEL_TENANT:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_TENANT)) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_SEL_TENANT: missing for a tenant selector");
			return -EINVAL;
		}
		sel->tenant = nla_get_u32(tb[RP_A_SEL_TENANT]);
		break;
	case RP_SEL_PREFIX:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_PREFIX)) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_SEL_PREFIX: missing for a prefix selector");
			return -EINVAL;
		}
		return rp_parse_prefix(tb[RP_A_SEL_PREFIX], &sel->pfx, extack);
	}
	return 0;
}

static int rp_parse_rule(const struct nlattr *nest, struct rp_rule_spec *s,
			 bool need_id, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_RULE_MAX + 1];
	int err;

	memset(s, 0, sizeof(*s));
	err = nla_parse_nested(tb, RP_A_RULE_MAX, nest, rp_rule_policy,
			       extack);
	if (err)
		return err;
	if (need_id && NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_RULE_ID)) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ID: missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_RULE_ACTION)) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ACTION: missing");
		return -EINVAL;
	}
	if (tb[RP_A_RULE_ID])
		s->id = nla_get_u32(tb[RP_A_RULE_ID]);
	if (tb[RP_A_RULE_PRIO])
		s->prio = nla_get_u32(tb[RP_A_RULE_PRIO]);
	err = rp_parse_sel(tb[RP_A_RULE_SRC], &s->src, extack);
	if (!err)
		err = rp_parse_sel(tb[RP_A_RULE_DST], &s->dst, extack);
	if (err)
		return err;
	s->any_service = !tb[RP_A_RULE_PS];
	if (s->any_service) {
		if (tb[RP_A_RULE_PORT_MIN] || tb[RP_A_RULE_PORT_MAX]) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_RULE_PORT_MIN: ports need a port space (RP_A_RULE_PS)");
			return -EINVAL;
		}
	} else {
		s->ps = nla_get_u16(tb[RP_A_RULE_PS]);
		s->port_min = tb[RP_A_RULE_PORT_MIN] ?
			      nla_get_u16(tb[RP_A_RULE_PORT_MIN]) : 0;
		if (tb[RP_A_RULE_PORT_MAX])
			s->port_max = nla_get_u16(tb[RP_A_RULE_PORT_MAX]);
		else
			s->port_max = tb[RP_A_RULE_PORT_MIN] ? s->port_min :
							       U16_MAX;
	}
	s->qp_types = tb[RP_A_RULE_QP_TYPES] ?
		      nla_get_u32(tb[RP_A_RULE_QP_TYPES]) : RP_QP_ALL;
	s->action = nla_get_u8(tb[RP_A_RULE_ACTION]);
	if (tb[RP_A_RULE_RIGHTS])
		s->rights = nla_get_u32(tb[RP_A_RULE_RIGHTS]);
	/*
	 * Rights per direction: by default the responder may SEND back (into
	 * buffers the requester posted), nothing of its memory otherwise.
	 */
	if (tb[RP_A_RULE_REPLY_RIGHTS])
		s->reply_rights = nla_get_u32(tb[RP_A_RULE_REPLY_RIGHTS]);
	else if (s->action == RP_ACT_ALLOW)
		s->reply_rights = s->rights & RP_RIGHT_SEND;
	return 0;
}

/* ---- messages --------------------------------------------------------- */

static int rp_fill_vm(struct sk_buff *skb, const struct rp_vm *vm, u32 portid,
		      u32 seq, int flags, u8 cmd)
{
	const struct rp_vm_spec *s = &vm->s;
	struct nlattr *nest, *st;
	void *hdr;
	int i;

	hdr = genlmsg_put(skb, portid, seq, &rp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RP_A_VM);
	if (!nest)
		goto cancel;
	if (nla_put_u32(skb, RP_A_VM_ID, s->id) ||
	    nla_put_string(skb, RP_A_VM_NAME, s->name) ||
	    nla_put_u32(skb, RP_A_VM_TENANT, s->tenant) ||
	    (s->remote && nla_put_flag(skb, RP_A_VM_REMOTE)) ||
	    nla_put_u32(skb, RP_A_VM_MAX_CONNS, s->max_conns) ||
	    nla_put_u32(skb, RP_A_VM_SETUP_RATE, s->setup_rate))
		goto cancel;
	for (i = 0; i < s->nports; i++)
		if (nla_put_string(skb, RP_A_VM_PORT, s->ports[i].ifname))
			goto cancel;
	for (i = 0; i < s->nmacs; i++)
		if (nla_put(skb, RP_A_VM_MAC, ETH_ALEN, s->macs[i]))
			goto cancel;
	for (i = 0; i < s->nprefixes; i++)
		if (rp_put_prefix(skb, RP_A_VM_ADDR, &s->prefixes[i]))
			goto cancel;
	st = nla_nest_start(skb, RP_A_VM_STATS);
	if (!st ||
	    nla_put_u64_64bit(skb, RP_A_VM_STATS_ALLOWED,
			      atomic64_read(&vm->ctr->allowed),
			      RP_A_VM_STATS_PAD) ||
	    nla_put_u64_64bit(skb, RP_A_VM_STATS_DENIED,
			      atomic64_read(&vm->ctr->denied),
			      RP_A_VM_STATS_PAD) ||
	    nla_put_u32(skb, RP_A_VM_STATS_CONNS,
			atomic_read(&vm->ctr->conns)))
		goto cancel;
	nla_nest_end(skb, st);
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int rp_put_sel(struct sk_buff *skb, int type, const struct rp_sel *s)
{
	struct nlattr *nest;

	if (s->type == RP_SEL_ANY)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest || nla_put_u8(skb, RP_A_SEL_TYPE, s->type))
		return -EMSGSIZE;
	if ((s->type == RP_SEL_VM && nla_put_u32(skb, RP_A_SEL_VM, s->vm)) ||
	    (s->type == RP_SEL_TENANT &&
	     nla_put_u32(skb, RP_A_SEL_TENANT, s->tenant)) ||
	    (s->type == RP_SEL_PREFIX &&
	     rp_put_prefix(skb, RP_A_SEL_PREFIX, &s->pfx)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int rp_fill_rule(struct sk_buff *skb, const struct rp_rule *r,
			u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct rp_rule_spec *s = &r->s;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RP_A_RULE);
	if (!nest ||
	    nla_put_u32(skb, RP_A_RULE_ID, s->id) ||
	    nla_put_u32(skb, RP_A_RULE_PRIO, s->prio) ||
	    rp_put_sel(skb, RP_A_RULE_SRC, &s->src) ||
	    rp_put_sel(skb, RP_A_RULE_DST, &s->dst) ||
	    (!s->any_service &&
	     (nla_put_u16(skb, RP_A_RULE_PS, s->ps) ||
	      nla_put_u16(skb, RP_A_RULE_PORT_MIN, s->port_min) ||
	      nla_put_u16(skb, RP_A_RULE_PORT_MAX, s->port_max))) ||
	    nla_put_u32(skb, RP_A_RULE_QP_TYPES, s->qp_types) ||
	    nla_put_u8(skb, RP_A_RULE_ACTION, s->action) ||
	    (s->action == RP_ACT_ALLOW &&
	     (nla_put_u32(skb, RP_A_RULE_RIGHTS, s->rights) ||
	      nla_put_u32(skb, RP_A_RULE_REPLY_RIGHTS, s->reply_rights))) ||
	    nla_put_u64_64bit(skb, RP_A_RULE_HITS, atomic64_read(&r->hits),
			      RP_A_RULE_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * rp_genl_event() - tell listeners of the events group what happened
 * @net: namespace
 * @type: enum rp_event_type
 * @vm_id: VM concerned, 0 if none
 * @rule_id: rule concerned, 0 if none
 * @reason: short text, or NULL
 *
 * Built only if the group has listeners, and as large as it needs to be:
 * callers may hold the tracker's lock (BHs off).  Events carry ids and a
 * reason, nothing a connection's endpoints would need to keep secret.
 *
 * Context: any; allocates with GFP_ATOMIC.
 */
void rp_genl_event(struct net *net, u8 type, u32 vm_id, u32 rule_id,
		   const char *reason)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	size_t size;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(rp_genl_live) ||
	    !genl_has_listeners(&rp_family, net, RP_MCGRP_EVENTS))
		goto unlock;
	size = nla_total_size(0) +			/* RP_A_EVENT */
	       nla_total_size(sizeof(u8)) +		/* TYPE */
	       nla_total_size(sizeof(u32)) * 2 +	/* VM_ID, RULE_ID */
	       (reason ? nla_total_size(strlen(reason) + 1) : 0);
	skb = genlmsg_new(size, GFP_ATOMIC);
	if (!skb)
		goto unlock;
	hdr = genlmsg_put(skb, 0, 0, &rp_family, 0, RP_CMD_EVENT);
	if (!hdr)
		goto free;
	nest = nla_nest_start(skb, RP_A_EVENT);
	if (!nest || nla_put_u8(skb, RP_A_EVENT_TYPE, type) ||
	    (vm_id && nla_put_u32(skb, RP_A_EVENT_VM_ID, vm_id)) ||
	    (rule_id && nla_put_u32(skb, RP_A_EVENT_RULE_ID, rule_id)) ||
	    (reason && nla_put_string(skb, RP_A_EVENT_REASON, reason)))
		goto free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&rp_family, net, skb, 0, RP_MCGRP_EVENTS,
				GFP_ATOMIC);
	goto unlock;
free:
	nlmsg_free(skb);
unlock:
	rcu_read_unlock();
}

/* ---- VM commands ------------------------------------------------------ */

/* The VM a request names by RP_A_VM_ID or RP_A_VM_NAME. */
static struct rp_vm *rp_nl_find_vm(struct rp_tables *t,
				   const struct nlattr *nest,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_VM_MAX + 1];
	struct rp_vm *vm = NULL;

	if (nla_parse_nested(tb, RP_A_VM_MAX, nest, rp_vm_policy, extack))
		return ERR_PTR(-EINVAL);
	if (tb[RP_A_VM_ID]) {
		vm = rp_vm_by_id(t, nla_get_u32(tb[RP_A_VM_ID]));
	} else if (tb[RP_A_VM_NAME]) {
		vm = rp_vm_by_name(t, nla_data(tb[RP_A_VM_NAME]));
	} else {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ID: give the VM's id or name");
		return ERR_PTR(-EINVAL);
	}
	if (!vm) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RP_A_VM_ID] ?: tb[RP_A_VM_NAME],
				    "RP_A_VM_ID: no such VM");
		return ERR_PTR(-ENOENT);
	}
	return vm;
}

/*
 * VM_NEW (@add) and VM_SET: parse the request against the VM it changes
 * (none for a new one), apply, tell listeners.  Port names are resolved,
 * so RTNL is taken before the config lock (DOC in rp_net.h).
 */
static int rp_nl_vm_change(struct genl_info *info, bool add)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_vm *vm = NULL;
	struct rp_vm_spec *s;
	struct rp_tables *t;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_VM)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM: missing");
		return -EINVAL;
	}
	s = kmalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	rtnl_lock();
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	if (!add) {
		vm = rp_nl_find_vm(t, info->attrs[RP_A_VM], info->extack);
		err = PTR_ERR_OR_ZERO(vm);
	}
	if (!err)
		err = rp_parse_vm(net, info->attrs[RP_A_VM],
				  vm ? &vm->s : NULL, s, info->extack);
	if (!err && vm && s->id != vm->s.id) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM_ID: cannot be changed");
		err = -EINVAL;
	}
	if (!err)
		err = add ? rp_vm_add(t, s, info->extack) :
			    rp_vm_set(t, s, info->extack);
	if (!err) {
		rp_net_changed(rn);
		rp_nic_sync_ports(rn);
	}
	mutex_unlock(&rn->lock);
	rtnl_unlock();
	if (!err)
		rp_genl_event(net, add ? RP_EV_VM_NEW : RP_EV_VM_SET, s->id, 0,
			      NULL);
	kfree(s);
	return err;
}

static int rp_nl_vm_new(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_vm_change(info, true);
}

static int rp_nl_vm_set(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_vm_change(info, false);
}

static int rp_nl_vm_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_tables *t;
	struct rp_vm *vm;
	u32 id = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_VM)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM: missing");
		return -EINVAL;
	}
	rtnl_lock();		/* its ports are unbound in the NICs */
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	vm = rp_nl_find_vm(t, info->attrs[RP_A_VM], info->extack);
	err = PTR_ERR_OR_ZERO(vm);
	if (!err) {
		id = vm->s.id;
		err = rp_vm_del(t, id, info->extack);
	}
	if (!err) {
		rp_net_changed(rn);
		rp_nic_sync_ports(rn);
	}
	mutex_unlock(&rn->lock);
	rtnl_unlock();
	if (!err)
		rp_genl_event(net, RP_EV_VM_DEL, id, 0, NULL);
	return err;
}

static int rp_nl_vm_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct sk_buff *msg;
	struct rp_vm *vm;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_VM)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM: missing");
		return -EINVAL;
	}
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	vm = rp_nl_find_vm(rcu_dereference(rn->tables), info->attrs[RP_A_VM],
			   info->extack);
	err = PTR_ERR_OR_ZERO(vm);
	if (!err)
		err = rp_fill_vm(msg, vm, info->snd_portid, info->snd_seq, 0,
				 RP_CMD_VM_GET);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump the VMs, resuming from the id in cb->args[0]: ids only grow along a
 * dump.  cb->args[1] says the dump is complete (an id past U32_MAX would
 * be 0 on 32-bit).
 */
static int rp_nl_vm_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_net *rn = rp_net(sock_net(skb->sk));
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	struct rp_tables *t;
	unsigned long id;
	void *obj;
	int err = 0;

	if (cb->args[1])
		return 0;
	rcu_read_lock();
	t = rcu_dereference(rn->tables);
	xa_for_each_start(&t->vms, id, obj, cb->args[0]) {
		err = rp_fill_vm(skb, obj, portid, seq, NLM_F_MULTI,
				 RP_CMD_VM_GET);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (err)
		cb->args[0] = id;
	else
		cb->args[1] = 1;
	return skb->len;
}

/* ---- rule commands ---------------------------------------------------- */

static int rp_nl_rule_change(struct genl_info *info, bool add)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_rule_spec s;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_RULE)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE: missing");
		return -EINVAL;
	}
	err = rp_parse_rule(info->attrs[RP_A_RULE], &s, !add, info->extack);
	if (err)
		return err;
	mutex_lock(&rn->lock);
	if (add)
		err = rp_rule_add(rp_tables_locked(rn), &s, info->extack);
	else
		err = rp_rule_set(rp_tables_locked(rn), &s, info->extack);
	if (!err)
		rp_net_changed(rn);
	mutex_unlock(&rn->lock);
	if (err)
		return err;
	rp_genl_event(net, add ? RP_EV_RULE_NEW : RP_EV_RULE_SET, 0, s.id,
		      NULL);
	return 0;
}

static int rp_nl_rule_new(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_rule_change(info, true);
}

static int rp_nl_rule_set(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_rule_change(info, false);
}

static int rp_nl_rule_id(struct genl_info *info, u32 *id)
{
	struct nlattr *tb[RP_A_RULE_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_RULE)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE: missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, RP_A_RULE_MAX, info->attrs[RP_A_RULE],
			       rp_rule_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[RP_A_RULE], tb,
			      RP_A_RULE_ID)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE_ID: missing");
		return -EINVAL;
	}
	*id = nla_get_u32(tb[RP_A_RULE_ID]);
	return 0;
}

static int rp_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	u32 id;
	int err;

	err = rp_nl_rule_id(info, &id);
	if (err)
		return err;
	mutex_lock(&rn->lock);
	err = rp_rule_del(rp_tables_locked(rn), id, info->extack);
	if (!err)
		rp_net_changed(rn);
	mutex_unlock(&rn->lock);
	if (!err)
		rp_genl_event(net, RP_EV_RULE_DEL, 0, id, NULL);
	return err;
}

static int rp_nl_rule_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct sk_buff *msg;
	struct rp_rule *r;
	u32 id;
	int err;

	err = rp_nl_rule_id(info, &id);
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	r = xa_load(&rcu_dereference(rn->tables)->rules_by_id, id);
	if (r)
		err = rp_fill_rule(msg, r, info->snd_portid, info->snd_seq, 0,
				   RP_CMD_RULE_GET);
	rcu_read_unlock();
	if (!r) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE_ID: no rule with this id");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump the rules in evaluation order (t->rules, the order the policy tries
 * them in), resuming after the cb->args[0] rules sent before.  A change
 * between two parts of the dump may skip or repeat a rule, as a change
 * may make the VM dump miss one.  cb->args[1] says the dump is complete.
 */
static int rp_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_net *rn = rp_net(sock_net(skb->sk));
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	struct rp_tables *t;
	struct rp_rule *r;
	long n = 0;
	int err = 0;

	if (cb->args[1])
		return 0;
	rcu_read_lock();
	t = rcu_dereference(rn->tables);
	list_for_each_entry_rcu(r, &t->rules, list) {
		if (n < cb->args[0]) {
			n++;
			continue;
		}
		err = rp_fill_rule(skb, r, portid, seq, NLM_F_MULTI,
				   RP_CMD_RULE_GET);
		if (err)
			break;
		n++;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (err)
		cb->args[0] = n;
	else
		cb->args[1] = 1;
	return skb->len;
}

/* ---- whole configuration ---------------------------------------------- */

static int rp_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_tables *t;
	u32 what;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_FLUSH)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_FLUSH: say what to flush");
		return -EINVAL;
	}
	what = nla_get_u32(info->attrs[RP_A_FLUSH]);
	rtnl_lock();		/* VM ports are unbound in the NICs */
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	if (what & RP_FLUSH_VMS) {
		/* check first, so that a refused flush removes nothing */
		if (!(what & RP_FLUSH_RULES)) {
			err = rp_vms_flush(t, info->extack);
		} else {
			rp_rules_flush(t);
			err = rp_vms_flush(t, info->extack);
		}
	} else if (what & RP_FLUSH_RULES) {
		rp_rules_flush(t);
	}
	if (!err) {
		rp_net_changed(rn);
		rp_nic_sync_ports(rn);
	}
	mutex_unlock(&rn->lock);
	rtnl_unlock();
	if (!err)
		rp_genl_event(net, RP_EV_FLUSH, 0, 0, NULL);
	return err;
}

/*
 * Replace the whole configuration: build new tables from every RP_A_VM and
 * RP_A_RULE of the request (VMs first, so rules can name them), then swap.
 * Any error leaves the old configuration in place.
 */
static int rp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_rule_spec rs;
	struct rp_vm_spec *vs;
	struct rp_tables *t;
	struct nlattr *a;
	int err = 0, rem, pass;

	vs = kmalloc(sizeof(*vs), GFP_KERNEL_ACCOUNT);
	if (!vs)
		return -ENOMEM;
	rtnl_lock();
	mutex_lock(&rn->lock);
	t = rp_tables_alloc(&rn->lock);
	if (!t) {
		err = -ENOMEM;
		goto unlock;
	}
	for (pass = 0; pass < 2 && !err; pass++) {
		nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
			if (pass == 0 && nla_type(a) == RP_A_VM) {
				err = rp_parse_vm(net, a, NULL, vs,
						  info->extack);
				if (!err)
					err = rp_vm_add(t, vs, info->extack);
			} else if (pass == 1 && nla_type(a) == RP_A_RULE) {
				err = rp_parse_rule(a, &rs, false,
						    info->extack);
				if (!err)
					err = rp_rule_add(t, &rs,
							  info->extack);
			}
			if (err) {
				NL_SET_BAD_ATTR(info->extack, a);
				break;
			}
		}
	}
	if (err) {
		rp_tables_free(t);
		goto unlock;
	}
	rp_net_replace(rn, t);
	rp_nic_sync_ports(rn);
unlock:
	mutex_unlock(&rn->lock);
	rtnl_unlock();
	kfree(vs);
	if (!err)
		rp_genl_event(net, RP_EV_CONFIG_SET, 0, 0, NULL);
	return err;
}

static const struct {
	u16 attr;
	u16 stat;
} rp_exc_attrs[] = {
	{ RP_A_STATS_CM_MESSAGES, RP_EXC_MESSAGES },
	{ RP_A_STATS_CM_FLAGGED, RP_EXC_FLAGGED },
	{ RP_A_STATS_CM_DROPPED, RP_EXC_DROPPED },
	{ RP_A_STATS_REJ_SENT, RP_EXC_REJ_SENT },
	{ RP_A_STATS_SPOOFED, RP_EXC_SPOOFED },
	{ RP_A_STATS_MALFORMED, RP_EXC_MALFORMED },
	{ RP_A_STATS_NO_VM, RP_EXC_NO_VM },
	{ RP_A_STATS_UNTRACKED, RP_EXC_UNTRACKED },
	{ RP_A_STATS_RETRANSMIT, RP_EXC_RETRANSMIT },
	{ RP_A_STATS_UNSUPPORTED, RP_EXC_UNSUPPORTED },
	{ RP_A_STATS_INSTALL_FAILED, RP_EXC_INSTALL_FAILED },
};

static int rp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct rp_tables *t;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rp_family, 0, RP_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, RP_A_STATS);
	if (!nest)
		goto nospace;
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	if (nla_put_u32(msg, RP_A_STATS_VMS, t->nvms) ||
	    nla_put_u32(msg, RP_A_STATS_RULES, t->nrules) ||
	    nla_put_u32(msg, RP_A_STATS_GENERATION, rn->generation) ||
	    nla_put_u64_64bit(msg, RP_A_STATS_DECISIONS,
			      atomic64_read(&rn->decisions), RP_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, RP_A_STATS_DENIED,
			      atomic64_read(&rn->denied), RP_A_STATS_PAD) ||
	    nla_put_u32(msg, RP_A_STATS_CONNS, READ_ONCE(rn->conns.count))) {
		mutex_unlock(&rn->lock);
		goto nospace;
	}
	mutex_unlock(&rn->lock);
	for (i = 0; i < ARRAY_SIZE(rp_exc_attrs); i++)
		if (nla_put_u64_64bit(msg, rp_exc_attrs[i].attr,
				      atomic64_read(&rn->exc[rp_exc_attrs[i].stat]),
				      RP_A_STATS_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- connections ----------------------------------------------------- */

static int rp_put_addr(struct sk_buff *skb, int type, const struct in6_addr *a)
{
	if (ipv6_addr_v4mapped(a))
		return nla_put_in_addr(skb, type, a->s6_addr32[3]);
	return nla_put_in6_addr(skb, type, a);
}

static int rp_fill_conn(struct sk_buff *skb, struct rp_net *rn,
			const struct rp_conn *c, u32 portid, u32 seq,
			int flags)
{
	struct rp_nic_conn_info ni;
	struct nlattr *nest;
	bool psn;
	void *hdr;

	psn = c->installed && !rp_nic_query(rn, c, &ni) && ni.psn_tracked;

	hdr = genlmsg_put(skb, portid, seq, &rp_family, flags, RP_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RP_A_CONN);
	if (!nest ||
	    nla_put_u32(skb, RP_A_CONN_ID, c->id) ||
	    nla_put_u8(skb, RP_A_CONN_STATE, c->state) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_VM, c->req_vm) ||
	    nla_put_u32(skb, RP_A_CONN_REP_VM, c->rep_vm) ||
	    rp_put_addr(skb, RP_A_CONN_REQ_ADDR, &c->key.addr) ||
	    rp_put_addr(skb, RP_A_CONN_REP_ADDR, &c->rep_addr) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_QPN, c->req_qpn) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_PSN, c->req_psn) ||
	    (c->state != RP_CONN_REQ &&
	     (nla_put_u32(skb, RP_A_CONN_REP_QPN, c->rep_qpn) ||
	      nla_put_u32(skb, RP_A_CONN_REP_PSN, c->rep_psn))) ||
	    nla_put_u16(skb, RP_A_CONN_PS, c->ps) ||
	    nla_put_u16(skb, RP_A_CONN_PORT, c->port) ||
	    nla_put_u32(skb, RP_A_CONN_QP_TYPE, c->qp_type) ||
	    nla_put_u32(skb, RP_A_CONN_RIGHTS, c->rights) ||
	    nla_put_u32(skb, RP_A_CONN_REPLY_RIGHTS, c->reply_rights) ||
	    nla_put_u32(skb, RP_A_CONN_RULE_ID, c->rule_id) ||
	    nla_put_u32(skb, RP_A_CONN_AGE,
			jiffies_to_msecs(jiffies - c->created) / 1000) ||
	    (c->installed && nla_put_flag(skb, RP_A_CONN_INSTALLED)) ||
	    (psn && (nla_put_u32(skb, RP_A_CONN_REQ_PSN_SEEN, ni.psn_seen[0]) ||
		     nla_put_u32(skb, RP_A_CONN_REP_PSN_SEEN,
				 ni.psn_seen[1])))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Walks the tracker's id xarray under RCU, each entry copied under the
 * tracker's lock (DOC in rp_conn.h).  Resumes at the id in cb->args[0];
 * cb->args[1] says the dump is complete.
 */
static int rp_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_net *rn = rp_net(sock_net(skb->sk));
	struct rp_conn *c, snap;
	unsigned long id;
	int err = 0;

	if (cb->args[1])
		return 0;
	rcu_read_lock();
	xa_for_each_start(&rn->conns.ids, id, c, cb->args[0]) {
		if (!rp_conn_snapshot(&rn->conns, c, &snap))
			continue;
		err = rp_fill_conn(skb, rn, &snap, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (err)
		cb->args[0] = id;
	else
		cb->args[1] = 1;
	return skb->len;
}

static int rp_nl_conn_del(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct nlattr *tb[__RP_A_CONN_MAX];
	struct rp_conn *c;
	int err = -ENOENT;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_CONN)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN: missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, __RP_A_CONN_MAX - 1, info->attrs[RP_A_CONN],
			       rp_conn_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[RP_A_CONN], tb,
			      RP_A_CONN_ID)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN_ID: missing");
		return -EINVAL;
	}
	id = nla_get_u32(tb[RP_A_CONN_ID]);
	err = -ENOENT;
	rcu_read_lock();
	spin_lock_bh(&rn->conns.lock);
	c = rp_conn_by_id(&rn->conns, id);
	if (c) {
		rp_conn_del(rn, c, "deleted by operator");
		err = 0;
	}
	spin_unlock_bh(&rn->conns.lock);
	rcu_read_unlock();
	if (err)
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN_ID: no such connection");
	return err;
}

static int rp_nl_conn_flush(struct sk_buff *skb, struct genl_info *info)
{
	rp_conn_flush(rp_net(genl_info_net(info)), 0, "flushed by operator");
	return 0;
}

/* ---- NICs ------------------------------------------------------------- */

static int rp_put_nic_ctrs(struct sk_buff *skb, int type, const u64 *ctr)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < RP_NIC_CTRS; i++)
		if (nla_put_u64_64bit(skb, RP_A_NIC_CTR_PASS + i, ctr[i],
				      RP_A_NIC_CTR_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One NIC, and one of its ports if @ps. */
static int rp_fill_nic(struct sk_buff *skb, struct netlink_callback *cb,
		       const struct rp_nic *nic, const struct rp_nic_info *ni,
		       const struct rp_nic_port_stats *ps)
{
	struct nlattr *nest, *port;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &rp_family, NLM_F_MULTI, RP_CMD_NIC_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RP_A_NIC);
	if (!nest || nla_put_string(skb, RP_A_NIC_NAME, nic->name) ||
	    nla_put_u32(skb, RP_A_NIC_CAPS, ni->caps) ||
	    nla_put_u32(skb, RP_A_NIC_PSN_WINDOW, ni->psn_window) ||
	    nla_put_u32(skb, RP_A_NIC_CONNS, ni->conns) ||
	    nla_put_u32(skb, RP_A_NIC_MAX_CONNS, ni->max_conns))
		goto cancel;
	if (ps) {
		port = nla_nest_start(skb, RP_A_NIC_PORT);
		if (!port ||
		    nla_put_u32(skb, RP_A_NIC_PORT_IFINDEX, ps->ifindex) ||
		    nla_put_string(skb, RP_A_NIC_PORT_IFNAME, ps->ifname) ||
		    rp_put_nic_ctrs(skb, RP_A_NIC_PORT_FROM_VM,
				    ps->ctr[RP_DIR_FROM_VM]) ||
		    rp_put_nic_ctrs(skb, RP_A_NIC_PORT_TO_VM,
				    ps->ctr[RP_DIR_TO_VM]))
			goto cancel;
		nla_nest_end(skb, port);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * One message per registered NIC and port it has bound in this namespace
 * (one without a port for a NIC with none).  Resumes at (NIC, port) in
 * cb->args[0], args[1].
 */
static int rp_nl_nic_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nic_port_stats *ps;
	unsigned long n = cb->args[0], p = cb->args[1];
	struct net *net = sock_net(skb->sk);
	struct rp_nic_info ni;
	struct rp_nic *nic;
	int err = 0;

	ps = kmalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	rp_nic_lock();
	for (; (nic = rp_nic_nth(n)); n++, p = 0) {
		memset(&ni, 0, sizeof(ni));
		if (nic->ops->info)
			nic->ops->info(nic->priv, &ni);
		for (;; p++) {
			err = nic->ops->port_stats ?
			      nic->ops->port_stats(nic->priv, net, p, ps) :
			      -ENOENT;
			if (err == -ENOENT && p)
				break;		/* past its last port */
			if (err && err != -ENOENT)
				goto out;
			if (rp_fill_nic(skb, cb, nic, &ni, err ? NULL : ps)) {
				err = -EMSGSIZE;
				goto out;
			}
			if (err)
				break;		/* no port at all: said so */
		}
		err = 0;
	}
out:
	rp_nic_unlock();
	kfree(ps);
	cb->args[0] = n;
	cb->args[1] = p;
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/*
 * Whether the sender of @skb may use an admin command.  The genetlink core
 * has already checked GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user
 * namespace owning the network namespace, which an unprivileged user gets
 * with unshare -Urn.  Such a namespace would drive the NICs (whose flow
 * tables all namespaces share) and the exception path, so by default the
 * sender also needs CAP_NET_ADMIN in the initial user namespace, as with
 * GENL_ADMIN_PERM; rdmapolicy.userns_admin=1 trusts namespace admins.
 */
static bool rp_nl_admin(const struct sk_buff *skb)
{
	return READ_ONCE(rp_userns_admin) ||
	       netlink_capable(skb, CAP_NET_ADMIN);
}

static int rp_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			  struct genl_info *info)
{
	if (!(ops->flags & GENL_UNS_ADMIN_PERM) || rp_nl_admin(skb))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "needs CAP_NET_ADMIN in the initial user namespace (see rdmapolicy.userns_admin)");
	return -EPERM;
}

/*
 * The connection dump shows QPNs and PSNs, which the NICs' PSN window
 * relies on VMs not knowing: admins only, by the same rule as the admin
 * commands.  pre_doit does not run for dumps, so the check is in .start
 * (which in 6.1 has no extack to say why).
 */
static int rp_nl_conn_dump_start(struct netlink_callback *cb)
{
	return rp_nl_admin(cb->skb) ? 0 : -EPERM;
}

static const struct genl_ops rp_full_ops[] = {
	{ .cmd = RP_CMD_CONN_GET, .start = rp_nl_conn_dump_start,
	  .dumpit = rp_nl_conn_dump, .flags = GENL_UNS_ADMIN_PERM },
};

static const struct genl_small_ops rp_ops[] = {
	{ .cmd = RP_CMD_CONN_DEL, .doit = rp_nl_conn_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_CONN_FLUSH, .doit = rp_nl_conn_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_NEW, .doit = rp_nl_vm_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_SET, .doit = rp_nl_vm_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_DEL, .doit = rp_nl_vm_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_VM_GET, .doit = rp_nl_vm_get,
	  .dumpit = rp_nl_vm_dump },
	{ .cmd = RP_CMD_RULE_NEW, .doit = rp_nl_rule_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_SET, .doit = rp_nl_rule_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_DEL, .doit = rp_nl_rule_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_RULE_GET, .doit = rp_nl_rule_get,
	  .dumpit = rp_nl_rule_dump },
	{ .cmd = RP_CMD_FLUSH, .doit = rp_nl_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_CONFIG_SET, .doit = rp_nl_config_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RP_CMD_STATS_GET, .doit = rp_nl_stats_get },
	{ .cmd = RP_CMD_NIC_GET, .dumpit = rp_nl_nic_dump },
};

static const struct genl_multicast_group rp_mcgrps[] = {
	/*
	 * CAP_NET_ADMIN over the namespace (6.1 has no mcast_bind any more
	 * to ask for the initial namespace's); see rp_genl_event()
	 */
	[RP_MCGRP_EVENTS] = { .name = RDMAPOLICY_MCGRP_EVENTS,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family rp_family __ro_after_init = {
	.name = RDMAPOLICY_GENL_NAME,
	.version = RDMAPOLICY_GENL_VERSION,
	.maxattr = RP_A_MAX,
	.policy = rp_policy,
	.netnsok = true,
	.pre_doit = rp_nl_pre_doit,
	.module = THIS_MODULE,
	.ops = rp_full_ops,
	.n_ops = ARRAY_SIZE(rp_full_ops),
	.small_ops = rp_ops,
	.n_small_ops = ARRAY_SIZE(rp_ops),
	.mcgrps = rp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rp_mcgrps),
};

int __init rp_genl_init(void)
{
	int err = genl_register_family(&rp_family);

	if (!err)
		WRITE_ONCE(rp_genl_live, true);
	return err;
}

/*
 * After this, no request reaches the core (genl_unregister_family() waits
 * for those in flight) and no event is sent (see rp_genl_live).
 */
void rp_genl_exit(void)
{
	WRITE_ONCE(rp_genl_live, false);
	synchronize_rcu();
	genl_unregister_family(&rp_family);
}
