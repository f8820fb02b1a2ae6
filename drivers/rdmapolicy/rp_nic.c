// SPDX-License-Identifier: GPL-2.0
/*
 * NIC registry of the shim (include/rdmapolicy/shim.h): the list of
 * registered NICs and the calls into all of them, by flows.  Which
 * connections and ports the NICs must hold is the tracker's (rp_conn.c)
 * and rp_port.c's business; this file knows neither.
 *
 * rp_nics is an RCU list: installs and uninstalls walk it in atomic
 * context; rp_nic_mutex serializes registration and is held while ports
 * are bound and unbound (which sleeps) in the listed NICs.  Lock order:
 * DOC: Locking in rp_config.h.
 */
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>

#include <rdmapolicy/shim.h>

#include "rp_nic.h"

static LIST_HEAD(rp_nics);		/* registered NICs, RCU */
static DEFINE_MUTEX(rp_nic_mutex);	/* serializes (un)registration */

/* Install connection @id's flows in @nic.  Context: atomic allowed. */
int rp_nic_install_in(struct rp_nic *nic, struct net *net, u32 id,
		      const struct rp_flow f[2])
{
	return nic->ops->install(nic->priv, net, id, f);
}

/*
 * Take a connection out of every NIC.  NICs match it by its id too, so
 * this never removes another connection's flows, and is harmless for a
 * connection a NIC does not hold (e.g. one a late NIC failed to take).
 * Context: atomic allowed.
 */
void rp_nic_uninstall(struct net *net, u32 id, const struct rp_flow f[2])
{
	struct rp_nic *nic;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list)
		nic->ops->uninstall(nic->priv, net, id, f);
	rcu_read_unlock();
}

/**
 * rp_nic_install() - install a connection's flows in every NIC
 * @net: its namespace
 * @id: the connection's id
 * @f: its flows, requester to responder and back
 *
 * All or nothing: if a NIC fails, the connection is taken out of the
 * NICs that installed it, and its data is dropped everywhere.
 * Context: atomic allowed.
 * Return: 0 if every NIC installed it.
 */
int rp_nic_install(struct net *net, u32 id, const struct rp_flow f[2])
{
	struct rp_nic *nic;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		err = rp_nic_install_in(nic, net, id, f);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err)
		rp_nic_uninstall(net, id, f);
	return err;
}

/*
 * Take learned flow @id out of every NIC that learns.
 * Context: atomic allowed.
 */
void rp_nic_unlearn(struct net *net, u32 id, const struct rp_flow *f)
{
	struct rp_nic *nic;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list)
		if (nic->ops->unlearn)
			nic->ops->unlearn(nic->priv, net, id, f);
	rcu_read_unlock();
}

/* Install learned flow @id in @nic, if it learns.  Context: atomic. */
int rp_nic_learn_in(struct rp_nic *nic, struct net *net, u32 id,
		    const struct rp_flow *f)
{
	return nic->ops->learn ? nic->ops->learn(nic->priv, net, id, f) : 0;
}

/**
 * rp_nic_learn() - install a learned flow in every NIC that learns
 * @net: its namespace
 * @id: the learned connection's id
 * @f: its one flow
 *
 * All or nothing, as rp_nic_install().
 * Context: atomic allowed.
 * Return: 0 if every NIC that learns installed it.
 */
int rp_nic_learn(struct net *net, u32 id, const struct rp_flow *f)
{
	struct rp_nic *nic;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		err = rp_nic_learn_in(nic, net, id, f);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err)
		rp_nic_unlearn(net, id, f);
	return err;
}

/*
 * Did any NIC pass a packet on learned flow @id since it was last asked?
 * Every NIC is asked (each clears its own mark).  A NIC that does not
 * have the flow (-ENOENT) passed nothing on it: it tells.
 * Context: atomic allowed.
 * Return: true if one did, or if no NIC can tell (then it never idles).
 */
bool rp_nic_used(struct net *net, u32 id, const struct rp_flow *f)
{
	bool used = false, told = false;
	struct rp_nic *nic;
	int r;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		if (!nic->ops->used)
			continue;
		r = nic->ops->used(nic->priv, net, id, f);
		if (r < 0 && r != -ENOENT)
			continue;
		told = true;
		used |= r > 0;
	}
	rcu_read_unlock();
	return used || !told;
}
EXPORT_SYMBOL_IF_KUNIT(rp_nic_used);

/*
 * Take a group's member or sender @m out of every NIC that holds groups.
 * Context: atomic allowed.
 */
void rp_nic_mcast_clear(struct net *net, const struct rp_mcast *m)
{
	struct rp_nic *nic;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list)
		if (nic->ops->mcast_clear)
			nic->ops->mcast_clear(nic->priv, net, m);
	rcu_read_unlock();
}

/**
 * rp_nic_mcast_set() - give every NIC that holds groups a member or sender
 * @net: its namespace
 * @m: the member or sender
 *
 * All or nothing, as rp_nic_install().
 * Context: atomic allowed.
 * Return: 0 if every NIC that holds groups took it.
 */
int rp_nic_mcast_set(struct net *net, const struct rp_mcast *m)
{
	struct rp_nic *nic;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		if (!nic->ops->mcast_set)
			continue;
		err = nic->ops->mcast_set(nic->priv, net, m);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err)
		rp_nic_mcast_clear(net, m);
	return err;
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
int rp_nic_bind_one(struct rp_nic *nic, struct net_device *dev, u32 tenant)
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
 * rp_nic_bind() - bind a VM port in every NIC that binds ports
 * @dev: the port
 * @tenant: its VM's tenant
 *
 * Context: process context, RTNL and rp_nic_lock() held.
 * Return: false if a NIC failed (it said so in the log).
 */
bool rp_nic_bind(struct net_device *dev, u32 tenant)
{
	struct rp_nic *nic;
	bool ok = true;

	lockdep_assert_held(&rp_nic_mutex);
	list_for_each_entry(nic, &rp_nics, list)
		if (nic->ops->port_bind && rp_nic_bind_one(nic, dev, tenant))
			ok = false;
	return ok;
}

/* Unbind a port in every NIC.  Context: as rp_nic_bind(). */
void rp_nic_unbind(struct net_device *dev)
{
	struct rp_nic *nic;

	lockdep_assert_held(&rp_nic_mutex);
	list_for_each_entry(nic, &rp_nics, list)
		if (nic->ops->port_unbind)
			nic->ops->port_unbind(nic->priv, dev);
}

/**
 * rp_nic_query() - what the first NIC that answers knows of a connection
 * @net: its namespace
 * @id: an installed connection's id
 * @f: its flows
 * @info: filled
 *
 * Context: atomic allowed.
 * Return: 0, or -ENOENT if no NIC answers (none has query, or none has
 * the connection).
 */
int rp_nic_query(struct net *net, u32 id, const struct rp_flow f[2],
		 struct rp_nic_conn_info *info)
{
	struct rp_nic *nic;
	int err = -ENOENT;

	rcu_read_lock();
	list_for_each_entry_rcu(nic, &rp_nics, list) {
		if (!nic->ops->query)
			continue;
		err = nic->ops->query(nic->priv, net, id, f, info);
		if (!err)
			break;
	}
	rcu_read_unlock();
	return err;
}

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

/* Put @nic on the list.  Context: rp_nic_lock() held. */
void rp_nic_add(struct rp_nic *nic)
{
	lockdep_assert_held(&rp_nic_mutex);
	list_add_tail_rcu(&nic->list, &rp_nics);
}

/*
 * Take @nic off the list; returns once no call of the core can be
 * running in it.  Context: process context, sleeps.
 */
void rp_nic_del(struct rp_nic *nic)
{
	mutex_lock(&rp_nic_mutex);
	list_del_rcu(&nic->list);
	mutex_unlock(&rp_nic_mutex);
	synchronize_rcu();
}
