// SPDX-License-Identifier: GPL-2.0
/*
 * NIC registry of the shim (include/rdmapolicy/shim.h): the core installs
 * approved connections in every registered NIC and uninstalls them.
 *
 * rp_nics is an RCU list: installs and uninstalls walk it in atomic
 * context; rp_nic_mutex serializes registration and is held while ports
 * are bound and unbound (which sleeps) in the listed NICs.
 *
 * Ports: the VM ports of a namespace (its tables' port index) are bound
 * in every NIC, each with its VM's tenant; rp_net.bound remembers which
 * the core has bound and with which tenant, so that a port that stops
 * being a VM port is unbound again and one whose VM changed tenant is
 * bound again with the new one.
 */
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include <rdmapolicy/shim.h>

#include "rp_conn.h"
#include "rp_net.h"
#include "rp_nic.h"

static LIST_HEAD(rp_nics);		/* registered NICs, RCU */
static DEFINE_MUTEX(rp_nic_mutex);	/* serializes (un)registration */

static void rp_conn_flows(const struct rp_conn *c, struct rp_flow f[2])
{
	memset(f, 0, 2 * sizeof(*f));
	f[0].tenant = c->key.tenant;
	f[1].tenant = c->key.tenant;
	f[0].saddr = c->key.addr;		/* requester -> responder */
	f[0].daddr = c->rep_addr;
	f[0].dqpn = c->rep_qpn;
	f[0].rights = c->rights;
	f[0].psn = c->rep_psn;	/* the REP tells the requester's first */
	f[0].src_ifindex = c->req_ifindex;
	f[1].saddr = c->rep_addr;		/* responder -> requester */
	f[1].daddr = c->key.addr;
	f[1].dqpn = c->req_qpn;
	f[1].rights = c->reply_rights;
	f[1].psn = c->req_psn;	/* and the REQ the responder's */
	f[1].src_ifindex = c->rep_ifindex;
}

static int rp_nic_install_one(struct rp_nic *nic, const struct net *net,
			      const struct rp_conn *c)
{
	struct rp_flow f[2];

	rp_conn_flows(c, f);
	return nic->ops->install(nic->priv, net, c->id, f);
}

/* Context: atomic allowed. */
static void rp_nic_uninstall_all(struct rp_net *rn, const struct rp_conn *c)
{
	struct rp_flow f[2];
	struct rp_nic *nic;

	rp_conn_flows(c, f);
	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list)
		nic->ops->uninstall(nic->priv, rn->net, c->id, f);
	rcu_read_unlock();
}

/**
 * rp_nic_install() - install an established connection in every NIC
 * @rn: its namespace
 * @c: the connection (REQ and REP side known)
 *
 * All or nothing: if a NIC fails, the connection is taken out of the
 * NICs that installed it, and its data is dropped everywhere.
 * Context: atomic allowed.
 * Return: 0 if every NIC installed it.
 */
int rp_nic_install(struct rp_net *rn, struct rp_conn *c)
{
	struct rp_nic *nic;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		err = rp_nic_install_one(nic, rn->net, c);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err)
		rp_nic_uninstall_all(rn, c);
	c->installed = !err;
	return err;
}

/*
 * Take a connection out of the NICs.  NICs match it by its id too, so
 * this never removes another connection's flows, and is harmless for a
 * connection a NIC does not hold (e.g. one a late NIC failed to take).
 * Context: atomic allowed.
 */
void rp_nic_uninstall(struct rp_net *rn, struct rp_conn *c)
{
	rp_nic_uninstall_all(rn, c);
	c->installed = false;
}

/**
 * rp_nic_port_check() - can @dev be a VM port in every NIC?
 * @dev: the netdev a configuration names as a VM port
 *
 * What a NIC knows it can never hook (a netdev of the wrong kind) refuses
 * the configuration before it changes anything; a bind that fails later
 * anyway (out of memory) is logged and tried again at the next change.
 * Context: process context, RTNL held.
 * Return: 0 or the first NIC's errno.
 */
int rp_nic_port_check(const struct net_device *dev)
{
	struct rp_nic *nic;
	int err = 0;

	ASSERT_RTNL();
	mutex_lock(&rp_nic_mutex);
	list_for_each_entry(nic, &rp_nics, list) {
		err = nic->ops->port_check ?
		      nic->ops->port_check(nic->priv, dev) : 0;
		if (err) {
			netdev_warn(dev, "rdmapolicy: NIC %s cannot hook it: %d\n",
				    nic->name, err);
			break;
		}
	}
	mutex_unlock(&rp_nic_mutex);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_nic_port_check);

/* Bind @dev of @tenant in @nic; already bound is fine. */
static int rp_nic_bind_one(struct rp_nic *nic, struct net_device *dev,
			   u32 tenant)
{
	int err = nic->ops->port_bind(nic->priv, dev, tenant);

	if (err == -EEXIST)
		return 0;
	if (err)
		netdev_warn(dev, "rdmapolicy: NIC %s cannot bind it: %d\n",
			    nic->name, err);
	return err;
}

/**
 * rp_nic_sync_ports() - make the NICs hook exactly the VM ports
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
void rp_nic_sync_ports(struct rp_net *rn)
{
	struct rp_tables *t = rp_tables_locked(rn);
	struct rp_vm_port *port;
	struct net_device *dev;
	unsigned long ifindex;
	struct rp_nic *nic;
	bool failed;
	void *e;

	ASSERT_RTNL();
	lockdep_assert_held(&rn->lock);
	mutex_lock(&rp_nic_mutex);
	xa_for_each(&rn->bound, ifindex, e) {
		if (xa_load(&t->ports, ifindex))
			continue;
		dev = __dev_get_by_index(rn->net, ifindex);
		if (dev)
			list_for_each_entry(nic, &rp_nics, list)
				if (nic->ops->port_unbind)
					nic->ops->port_unbind(nic->priv, dev);
		xa_erase(&rn->bound, ifindex);
	}
	xa_for_each(&t->ports, ifindex, port) {
		u32 tenant = port->vm->s.tenant;

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
		failed = false;
		list_for_each_entry(nic, &rp_nics, list)
			if (nic->ops->port_bind &&
			    rp_nic_bind_one(nic, dev, tenant))
				failed = true;
		/* forgotten again, so the next change tries again */
		if (failed)
			xa_erase(&rn->bound, ifindex);
	}
	mutex_unlock(&rp_nic_mutex);
}

/*
 * A new NIC binds the VM ports of every namespace.  Namespaces are
 * collected with a reference first: binding sleeps.
 */
static void rp_nic_bind_all(struct rp_nic *nic)
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
 * rp_nic_query() - what the first NIC that answers knows of a connection
 * @rn: its namespace
 * @c: an installed connection
 * @info: filled
 *
 * Context: atomic allowed.
 * Return: 0, or -ENOENT if no NIC answers (none has query, or none has
 * the connection).
 */
int rp_nic_query(struct rp_net *rn, const struct rp_conn *c,
		 struct rp_nic_conn_info *info)
{
	struct rp_flow f[2];
	struct rp_nic *nic;
	int err = -ENOENT;

	rp_conn_flows(c, f);
	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		if (!nic->ops->query)
			continue;
		err = nic->ops->query(nic->priv, rn->net, c->id, f, info);
		if (!err)
			break;
	}
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_nic_query);

/* Hold the NIC list still for rp_nic_nth(); process context. */
void rp_nic_lock(void)
{
	mutex_lock(&rp_nic_mutex);
}

void rp_nic_unlock(void)
{
	mutex_unlock(&rp_nic_mutex);
}

/* The @n-th registered NIC, or NULL.  Context: rp_nic_lock() held. */
struct rp_nic *rp_nic_nth(unsigned long n)
{
	struct rp_nic *nic;

	lockdep_assert_held(&rp_nic_mutex);
	list_for_each_entry(nic, &rp_nics, list)
		if (!n--)
			return nic;
	return NULL;
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
	struct rp_conn *c;

	mutex_lock(&rp_nic_mutex);
	list_add_tail_rcu(&nic->list, &rp_nics);
	/*
	 * Every namespace's established connections, into the new NIC.  A
	 * namespace being dismantled leaves the list (and a grace period
	 * passes) before our pernet exit frees its tracker.
	 */
	rcu_read_lock();
	for_each_net_rcu(net) {
		struct rp_net *rn = rp_net(net);

		spin_lock_bh(&rn->conns.lock);
		list_for_each_entry(c, &rn->conns.all, list)
			if (c->state != RP_CONN_REQ &&
			    rp_nic_install_one(nic, net, c))
				c->installed = false;
		spin_unlock_bh(&rn->conns.lock);
	}
	rcu_read_unlock();
	mutex_unlock(&rp_nic_mutex);
	rp_nic_bind_all(nic);
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
	mutex_lock(&rp_nic_mutex);
	list_del_rcu(&nic->list);
	mutex_unlock(&rp_nic_mutex);
	synchronize_rcu();
	pr_info("NIC %s unregistered\n", nic->name);
}
EXPORT_SYMBOL_GPL(rp_nic_unregister);
