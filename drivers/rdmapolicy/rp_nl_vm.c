// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_VM: the address spaces of a namespace.  Parsing, filling and the
 * VM_NEW/SET/DEL/GET handlers.  Writes go through rp_config.c.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "rp_config.h"
#include "rp_genl.h"
#include "rp_net.h"
#include "rp_nic.h"
#include "rp_nl_attr.h"
#include "rp_port.h"

/*
 * Parse a RP_A_VM nest into @s.  With @old (a change), attributes left out
 * keep their old values; a repeated attribute given at least once replaces
 * the whole old list.  @nest comes from a doit's request, which the genl
 * core has validated (rp_nla_index()).  Context: RTNL held (port names are
 * resolved).
 */
int rp_nl_vm_parse(struct net *net, const struct nlattr *nest,
		   const struct rp_vm *old, struct rp_vm_spec *s,
		   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_VM_MAX + 1];
	bool ports = false, macs = false, addrs = false;
	const struct nlattr *a;
	int err, rem;

	rp_nla_index(tb, RP_A_VM_MAX, nest);
	if (old) {
		rp_vm_spec_get(old, s);
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
			if (s->remote != rp_port_overlay(dev)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_PORT: a remote address space's ports are overlay devices (vxlan), a VM's are not");
				return -EINVAL;
			}
			err = rp_nic_port_check(dev);
			if (err) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "RP_A_VM_PORT: a NIC cannot hook a netdev of this kind");
				return err;
			}
			p = &s->ports[s->nports++];
			p->ifindex = dev->ifindex;
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
			err = rp_nl_prefix_parse(a, &s->prefixes[s->nprefixes],
						 extack);
			if (err)
				return err;
			s->nprefixes++;
			break;
		}
	}
	return 0;
}

/*
 * A port's name: its netdev's now (not kept with the VM).  Under RCU a
 * rename may be half done: the copy is NUL-terminated whatever it holds.
 * A netdev being unregistered may be gone before the notifier drops the
 * port (rp_config.c): false, and the port is left out.
 */
static bool rp_nl_vm_port_name(struct net *net, int ifindex,
			       char name[IFNAMSIZ])
{
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		memcpy(name, dev->name, IFNAMSIZ);
	rcu_read_unlock();
	name[IFNAMSIZ - 1] = 0;
	return dev;
}

/* One VM of @net; @cb: a part of a dump, else a reply. */
static int rp_nl_vm_fill(struct sk_buff *skb, struct net *net,
			 const struct rp_vm *vm, u32 portid, u32 seq,
			 int flags, struct netlink_callback *cb)
{
	const struct rp_vm_info *s = &vm->s;
	struct nlattr *nest, *st;
	char ifname[IFNAMSIZ];
	void *hdr;
	int i;

	hdr = genlmsg_put(skb, portid, seq, &rp_family, flags, RP_CMD_VM_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
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
		if (rp_nl_vm_port_name(net, rp_vm_ports(vm)[i].ifindex,
				       ifname) &&
		    nla_put_string(skb, RP_A_VM_PORT, ifname))
			goto cancel;
	for (i = 0; i < s->nmacs; i++)
		if (nla_put(skb, RP_A_VM_MAC, ETH_ALEN, rp_vm_macs(vm)[i]))
			goto cancel;
	for (i = 0; i < s->nprefixes; i++) {
		struct rp_prefix p = rp_vm_prefix(vm, i);

		if (rp_nl_prefix_put(skb, RP_A_VM_ADDR, &p))
			goto cancel;
	}
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

/* The VM a request names by RP_A_VM_ID or RP_A_VM_NAME. */
static struct rp_vm *rp_nl_vm_find(struct rp_tables *t,
				   const struct nlattr *nest,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_VM_MAX + 1];
	struct rp_vm *vm = NULL;

	rp_nla_index(tb, RP_A_VM_MAX, nest);
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
 * so the transaction takes RTNL (DOC: Locking in rp_config.h).
 */
static int rp_nl_vm_change(struct genl_info *info, bool add)
{
	struct net *net = genl_info_net(info);
	struct rp_vm *vm = NULL;
	struct rp_config cfg;
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
	t = rp_config_begin(&cfg, rp_net(net), RP_CONFIG_PORTS);
	err = rp_config_check_last(&cfg, info);
	if (!err && !add) {
		vm = rp_nl_vm_find(t, info->attrs[RP_A_VM], info->extack);
		err = PTR_ERR_OR_ZERO(vm);
	}
	if (!err)
		err = rp_nl_vm_parse(net, info->attrs[RP_A_VM],
				     vm, s, info->extack);
	if (!err && vm && s->id != vm->s.id) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM_ID: cannot be changed");
		err = -EINVAL;
	}
	if (!err)
		err = add ? rp_vm_add(t, s, info->extack) :
			    rp_vm_set(t, s, info->extack);
	if (!err)
		rp_config_event(&cfg, add ? RP_EV_VM_NEW : RP_EV_VM_SET,
				s->id, 0);
	err = rp_config_end(&cfg, err);
	kfree(s);
	return err;
}

int rp_nl_vm_new(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_vm_change(info, true);
}

int rp_nl_vm_set(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_vm_change(info, false);
}

int rp_nl_vm_del(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_config cfg;
	struct rp_tables *t;
	struct rp_vm *vm;
	u32 id = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_VM)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_VM: missing");
		return -EINVAL;
	}
	/* its ports are unbound in the NICs */
	t = rp_config_begin(&cfg, rp_net(genl_info_net(info)), RP_CONFIG_PORTS);
	err = rp_config_check_last(&cfg, info);
	if (err)
		return rp_config_end(&cfg, err);
	vm = rp_nl_vm_find(t, info->attrs[RP_A_VM], info->extack);
	err = PTR_ERR_OR_ZERO(vm);
	if (!err) {
		id = vm->s.id;
		err = rp_vm_del(t, id, info->extack);
	}
	rp_config_event(&cfg, RP_EV_VM_DEL, id, 0);
	return rp_config_end(&cfg, err);
}

int rp_nl_vm_get(struct sk_buff *skb, struct genl_info *info)
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
	vm = rp_nl_vm_find(rcu_dereference(rn->tables), info->attrs[RP_A_VM],
			   info->extack);
	err = PTR_ERR_OR_ZERO(vm);
	if (!err)
		err = rp_nl_vm_fill(msg, genl_info_net(info), vm,
				    info->snd_portid, info->snd_seq, 0, NULL);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Cursor of a VM dump: ids only grow along it. */
struct rp_nl_vm_dump_ctx {
	struct rp_net *rn;
	unsigned long next;	/* id to resume at */
	bool done;		/* an id past U32_MAX would be 0 on 32-bit */
};

int rp_nl_vm_dump_start(struct netlink_callback *cb)
{
	struct rp_nl_vm_dump_ctx *ctx;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_vm_dump_ctx);
	ctx->rn = rp_net(sock_net(cb->skb->sk));
	return 0;
}

/* Walks the tables' VM xarray under RCU. */
int rp_nl_vm_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nl_vm_dump_ctx *ctx;
	struct rp_net *rn;
	unsigned long id;
	struct rp_vm *vm;
	int err = 0;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_vm_dump_ctx);
	rn = ctx->rn;
	if (ctx->done)
		return 0;
	rcu_read_lock();
	rp_nl_dump_gen(cb, READ_ONCE(rn->generation));
	xa_for_each_start(&rcu_dereference(rn->tables)->vms, id, vm,
			  ctx->next) {
		err = rp_nl_vm_fill(skb, ctx->rn->net, vm,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (err)
		ctx->next = id;
	else
		ctx->done = true;
	return skb->len;
}
