// SPDX-License-Identifier: GPL-2.0
/*
 * What the NICs must know of every namespace: its VM ports (bound in
 * every NIC, each with its VM's tenant) and, for a NIC that registers
 * late, the connections established before.  Holds the shim's
 * rp_nic_register() and rp_nic_unregister().
 *
 * rp_net.bound remembers which ports the core has bound and with which
 * tenant, so that a port that stops being a VM port is unbound again and
 * one whose VM changed tenant is bound again with the new one.  Locking:
 * DOC: Locking in rp_config.h.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/vxlan.h>

#include <rdmapolicy/shim.h>

#include "rp_conn.h"
#include "rp_net.h"
#include "rp_nic.h"
#include "rp_port.h"

/**
 * rp_port_sync() - make the NICs hook exactly the VM ports
 * @rn: the namespace, after a change of its VMs
 *
 * Binds every VM port not bound by the core yet in every NIC that binds
 * ports, and unbinds the ports the core bound that are no VM's any more.
 * A NIC that fails to bind a port says so in the log; the port is then
 * unprotected in that NIC (as while no NIC is loaded) until a later call
 * binds it (a failed port is not remembered as bound).  Ports no NIC can
 * ever hook were refused before (rp_nic_port_check()).
 *
 * Context: process context, RTNL and @rn->lock held.
 */
void rp_port_sync(struct rp_net *rn)
{
	struct rp_tables *t = rp_tables_locked(rn);
	struct rp_vm *vm;
	struct net_device *dev;
	unsigned long ifindex;
	void *e;

	ASSERT_RTNL();
	lockdep_assert_held(&rn->lock);
	rp_nic_lock();
	xa_for_each(&rn->bound, ifindex, e) {
		if (xa_load(&t->ports, ifindex))
			continue;
		dev = __dev_get_by_index(rn->net, ifindex);
		if (dev)
			rp_nic_unbind(dev);
		xa_erase(&rn->bound, ifindex);
	}
	xa_for_each(&t->ports, ifindex, vm) {
		u32 tenant = vm->s.tenant;

		e = xa_load(&rn->bound, ifindex);
		if (e && xa_to_value(e) == tenant)
			continue;
		dev = __dev_get_by_index(rn->net, ifindex);
		if (!dev)
			continue;
		/* remembered first: if that fails, nothing is bound */
		if (xa_err(xa_store(&rn->bound, ifindex, xa_mk_value(tenant),
				    GFP_KERNEL))) {
			netdev_warn(dev, "rdmapolicy: out of memory: port not bound\n");
			continue;
		}
		/* forgotten again, so the next change tries again */
		if (!rp_nic_bind(dev, tenant))
			xa_erase(&rn->bound, ifindex);
	}
	rp_nic_unlock();
}

/**
 * rp_port_overlay() - is @dev an overlay device
 * @dev: a netdev a configuration names as a port
 *
 * A remote address space may have ports: the overlay devices through
 * which this host reaches it (a vxlan per tenant, Linux's own driver
 * doing the encapsulation); a local VM's ports are never overlays.  The
 * NICs bind a remote space's ports with its tenant like a VM's: packets
 * that cross from a port of one tenant to a port of another are dropped
 * (shim.h: Ports).
 */
bool rp_port_overlay(const struct net_device *dev)
{
	return netif_is_vxlan(dev);
}

/*
 * A new NIC binds the VM ports of every namespace.  Namespaces are
 * collected with a reference first: binding sleeps.
 */
static void rp_port_bind_all(struct rp_nic *nic)
{
	struct net *net, **nets;
	unsigned int n = 0, max = 0, i;

	if (!nic->ops->port_bind)
		return;
	rcu_read_lock();
	for_each_net_rcu(net)
		max++;
	rcu_read_unlock();
	nets = kcalloc(max, sizeof(*nets), GFP_KERNEL);
	if (!nets) {
		pr_warn("NIC %s: out of memory, VM ports not bound\n",
			nic->name);
		return;
	}
	rcu_read_lock();
	for_each_net_rcu(net) {
		if (n == max)
			break;
		nets[n] = maybe_get_net(net);	/* NULL: being dismantled */
		if (nets[n])
			n++;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		struct rp_net *rn = rp_net(nets[i]);
		struct rp_tables *t;
		unsigned long ifindex;
		void *e;

		rtnl_lock();
		mutex_lock(&rn->lock);
		t = rp_tables_locked(rn);
		xa_for_each(&rn->bound, ifindex, e) {
			struct net_device *dev;

			dev = __dev_get_by_index(nets[i], ifindex);
			if (dev && t && xa_load(&t->ports, ifindex))
				rp_nic_bind_one(nic, dev, xa_to_value(e));
		}
		mutex_unlock(&rn->lock);
		rtnl_unlock();
		put_net(nets[i]);
	}
	kfree(nets);
}

/**
 * rp_nic_register() - a NIC offers its data plane
 * @nic: the NIC, with ops and priv set; stays registered until
 *	 rp_nic_unregister()
 *
 * Connections established before are installed in it, and the VM ports
 * are bound in it.
 * Context: process context, takes RTNL.
 */
int rp_nic_register(struct rp_nic *nic)
{
	struct net *net;

	rp_nic_lock();
	rp_nic_add(nic);
	/*
	 * Every namespace's established connections, into the new NIC.  A
	 * namespace being dismantled leaves the list (and a grace period
	 * passes) before our pernet exit frees its tracker.
	 */
	rcu_read_lock();
	for_each_net_rcu(net)
		rp_conn_install_nic(&rp_net(net)->conns, nic);
	rcu_read_unlock();
	rp_nic_unlock();
	rp_port_bind_all(nic);
	pr_info("NIC %s registered\n", nic->name);
	return 0;
}
EXPORT_SYMBOL_GPL(rp_nic_register);

/**
 * rp_nic_unregister() - the core stops using a NIC
 * @nic: a registered NIC
 *
 * Returns once no call of the core can be running in @nic; the NIC
 * unbinds its ports and frees its flows itself then.
 * Context: process context, sleeps.
 */
void rp_nic_unregister(struct rp_nic *nic)
{
	struct net *net;

	/* where its PSN windows had got to, for the next NIC */
	rp_nic_lock();
	rcu_read_lock();
	for_each_net_rcu(net)
		rp_conn_save_nic(&rp_net(net)->conns, nic);
	rcu_read_unlock();
	rp_nic_unlock();
	rp_nic_del(nic);
	pr_info("NIC %s unregistered\n", nic->name);
}
EXPORT_SYMBOL_GPL(rp_nic_unregister);
