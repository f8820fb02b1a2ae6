// SPDX-License-Identifier: GPL-2.0
/*
 * The ports of the emulated SmartNIC: binding a VM port hooks it (the hook
 * is in snic_hook.c), unbinding unhooks it, and a port whose netdev goes
 * away is unbound (the netdev notifier).  Locking: snic.h.
 */
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netfilter_netdev.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <net/vxlan.h>

#include "snic.h"

/* serializes (un)binding; protects changes of rp_snic_ports (snic.h) */
static DEFINE_MUTEX(rp_snic_lock);
/* bound ports: changed under rp_snic_lock, read under RCU (counters) */
LIST_HEAD(rp_snic_ports);

/*
 * The same ports by (namespace, ifindex), for the hooks' question "was
 * this packet received on a port of another tenant": entries added and
 * removed under rp_snic_lock, looked up under RCU.
 */
static struct rhashtable rp_snic_port_table;

static const struct rhashtable_params rp_snic_port_params = {
	.key_len = sizeof(struct rp_snic_port_key),
	.key_offset = offsetof(struct rp_snic_port, key),
	.head_offset = offsetof(struct rp_snic_port, node),
	.automatic_shrinking = true,
};

/**
 * rp_snic_port_lookup() - a bound port by its namespace and ifindex
 * @net: its namespace
 * @ifindex: its ifindex
 *
 * Context: rcu_read_lock(); the port stays until it is unlocked.
 * Return: the port (a VM's or an overlay's), NULL if none is bound.
 */
struct rp_snic_port *rp_snic_port_lookup(const struct net *net, int ifindex)
{
	struct rp_snic_port_key key = {
		.netns = net->ns.inum, .ifindex = ifindex,
	};

	return rhashtable_lookup(&rp_snic_port_table, &key,
				 rp_snic_port_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_port_lookup);

/*
 * An overlay device: a remote address space's port, through which the
 * host carries one tenant to others (one VXLAN VNI; the kernel's vxlan
 * driver encapsulates, not us).  Bound, its egress is hooked: what goes
 * into it must be of its tenant (rp_snic_overlay_hook()).
 */
bool rp_snic_is_overlay(const struct net_device *dev)
{
	return netif_is_vxlan(dev);
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_is_overlay);

/*
 * Which netdevs can be a VM's port, so that the ingress hook sees what the
 * VM sends and the egress hook what it receives: a tap (tun driver), a
 * veth, a NIC or representor (no link kind: the test host's virtio-net
 * NICs; not loopback), a dummy (benchmarks).  Not macvtap/ipvtap (libvirt "direct"): a
 * VM's frames are transmitted on those, so the hooks would face the wrong
 * way; nor anything else we do not know.
 */
bool rp_snic_kind_ok(const struct net_device *dev)
{
	static const char * const kinds[] = { "tun", "veth", "dummy" };
	const char *kind;
	int i;

	if (dev->flags & IFF_LOOPBACK)
		return false;
	if (!dev->rtnl_link_ops)
		return true;
	kind = dev->rtnl_link_ops->kind;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kind && !strcmp(kind, kinds[i]))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_kind_ok);

/*
 * What runs before our hooks on a port and so can take a VM's packets
 * past them: an XDP program (before netdev ingress) and tc ingress
 * filters (before netfilter ingress; a redirect skips it).  Said once, at
 * bind: an operator must not run those on VM ports (datapath.rst).
 */
static void rp_snic_warn_bypass(struct net_device *dev)
{
	if (dev_xdp_prog_count(dev))
		netdev_warn(dev, "rdmapolicy_snic: an XDP program on this port runs before the NIC's checks and can bypass them\n");
	/* created with the first ingress/clsact qdisc, never freed before */
	if (rcu_access_pointer(dev->ingress_queue))
		netdev_warn(dev, "rdmapolicy_snic: tc ingress (an ingress or clsact qdisc) on this port runs before the NIC's checks and can bypass them\n");
}

static struct rp_snic_port *rp_snic_find(struct net_device *dev)
{
	struct rp_snic_port *port;

	lockdep_assert_held(&rp_snic_lock);
	list_for_each_entry(port, &rp_snic_ports, list)
		if (port->dev == dev)
			return port;
	return NULL;
}

/**
 * rp_snic_bind() - hook a VM-facing port
 * @dev: the port's netdev, registered
 * @tenant: the tenant of its VM
 * @retag: if @dev is bound already, it is of @tenant now (the core's
 *	   binds); if not (debugfs), its tenant stays
 *
 * Context: process context, RTNL held (so @dev cannot go away before the
 * NETDEV_UNREGISTER notifier can see the port).
 * Return: 0, -EEXIST if already bound, -EOPNOTSUPP for a netdev that
 * cannot be a VM port (see rp_snic_kind_ok()), or a negative errno.
 */
int rp_snic_bind(struct net_device *dev, u32 tenant, bool retag)
{
	bool overlay = rp_snic_is_overlay(dev);
	struct rp_snic_port *port;
	int err, i;

	ASSERT_RTNL();
	if (!overlay && !rp_snic_kind_ok(dev)) {
		netdev_warn(dev, "rdmapolicy_snic: a %s cannot be a VM port\n",
			    dev->rtnl_link_ops->kind ?: "netdev");
		return -EOPNOTSUPP;
	}
	mutex_lock(&rp_snic_lock);
	port = rp_snic_find(dev);
	if (port) {
		if (retag)
			WRITE_ONCE(port->tenant, tenant);
		err = -EEXIST;
		goto unlock;
	}
	err = -ENOMEM;
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		goto unlock;
	port->stats = netdev_alloc_pcpu_stats(struct rp_snic_stats);
	if (!port->stats)
		goto free_port;

	port->dev = dev;
	port->tenant = tenant;
	port->overlay = overlay;
	port->key.netns = dev_net(dev)->ns.inum;
	port->key.ifindex = dev->ifindex;
	/* a VM port both ways; an overlay where packets go into it */
	port->nops = overlay ? 1 : RP_DIRS;
	for (i = 0; i < port->nops; i++) {
		port->ops[i] = (struct nf_hook_ops) {
			.hook = overlay ? rp_snic_overlay_hook : rp_snic_hook,
			.priv = port,
			.pf = NFPROTO_NETDEV,
			.hooknum = i == RP_DIR_FROM_VM && !overlay ?
				   NF_NETDEV_INGRESS : NF_NETDEV_EGRESS,
			.priority = INT_MIN + 1,	/* before any nft chain */
			.dev = dev,
		};
	}
	err = rhashtable_insert_fast(&rp_snic_port_table, &port->node,
				     rp_snic_port_params);
	if (err)
		goto free_stats;
	err = nf_register_net_hooks(dev_net(dev), port->ops, port->nops);
	if (err)
		goto unindex;
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&port->list, &rp_snic_ports);
	mutex_unlock(&rp_snic_lock);
	netdev_info(dev, "rdmapolicy_snic: %s bound\n",
		    overlay ? "overlay port" : "port");
	if (!overlay)
		rp_snic_warn_bypass(dev);
	return 0;

unindex:
	rhashtable_remove_fast(&rp_snic_port_table, &port->node,
			       rp_snic_port_params);
	synchronize_net();	/* a hook may have found it */
free_stats:
	free_percpu(port->stats);
free_port:
	kfree(port);
unlock:
	mutex_unlock(&rp_snic_lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_bind);

static void rp_snic_port_free(struct rp_snic_port *port)
{
	lockdep_assert_held(&rp_snic_lock);
	list_del_rcu(&port->list);
	rhashtable_remove_fast(&rp_snic_port_table, &port->node,
			       rp_snic_port_params);
	nf_unregister_net_hooks(dev_net(port->dev), port->ops, port->nops);
	/*
	 * hooks already running, and readers of the counters, may still use
	 * @port until a grace period
	 */
	synchronize_net();
	netdev_info(port->dev, "rdmapolicy_snic: port unbound\n");
	netdev_put(port->dev, &port->dev_tracker);
	free_percpu(port->stats);
	kfree(port);
}

int rp_snic_unbind(struct net_device *dev)
{
	struct rp_snic_port *port;
	int err = -ENOENT;

	mutex_lock(&rp_snic_lock);
	port = rp_snic_find(dev);
	if (port) {
		rp_snic_port_free(port);
		err = 0;
	}
	mutex_unlock(&rp_snic_lock);
	return err;
}

void rp_snic_unbind_all(void)
{
	struct rp_snic_port *port, *tmp;

	mutex_lock(&rp_snic_lock);
	list_for_each_entry_safe(port, tmp, &rp_snic_ports, list)
		rp_snic_port_free(port);
	mutex_unlock(&rp_snic_lock);
}

static int rp_snic_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER)
		rp_snic_unbind(dev);
	return NOTIFY_DONE;
}

static struct notifier_block rp_snic_netdev_nb = {
	.notifier_call = rp_snic_netdev_event,
};

int rp_snic_notifier_init(void)
{
	return register_netdevice_notifier(&rp_snic_netdev_nb);
}

void rp_snic_notifier_exit(void)
{
	unregister_netdevice_notifier(&rp_snic_netdev_nb);
}

int rp_snic_port_init(void)
{
	return rhashtable_init(&rp_snic_port_table, &rp_snic_port_params);
}

/* After rp_snic_unbind_all(): the table is empty. */
void rp_snic_port_exit(void)
{
	rhashtable_destroy(&rp_snic_port_table);
}
