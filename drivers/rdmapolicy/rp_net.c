// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state and the netdev notifier that keeps VM ports
 * from dangling.  Locking: DOC in rp_net.h.
 */
#include <kunit/visibility.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "rp_net.h"

unsigned int rp_net_id __read_mostly;

/**
 * rp_net_replace() - publish new tables, free the old ones
 * @rn: namespace state, lock held
 * @new: fully built tables (their ->lock is &@rn->lock)
 *
 * VMs of @new that have the id of a current VM take over its counters
 * (rp_tables_adopt_ctrs()): the connections survive, so must their counts.
 * Context: process context, sleeps for a grace period.
 */
void rp_net_replace(struct rp_net *rn, struct rp_tables *new)
{
	struct rp_tables *old = rp_tables_locked(rn);

	if (old)
		rp_tables_adopt_ctrs(new, old);
	old = rcu_replace_pointer(rn->tables, new, lockdep_is_held(&rn->lock));
	rp_net_changed(rn);
	synchronize_rcu();
	rp_tables_free(old);
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_replace);

/**
 * rp_net_changed() - the configuration changed: count it, and drop the
 * connections it no longer allows
 * @rn: namespace state, lock held
 */
void rp_net_changed(struct rp_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rn->generation++;
	rp_conn_revalidate(rn);
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_changed);

/**
 * rp_net_state_init() - set up the state of a namespace
 * @rn: the state (zeroed)
 * @net: its namespace
 *
 * Also what KUnit uses to get a namespace state of its own.
 */
int rp_net_state_init(struct rp_net *rn, struct net *net)
{
	struct rp_tables *t;
	int err;

	rn->net = net;
	mutex_init(&rn->lock);
	xa_init(&rn->bound);
	err = rp_conntrack_init(&rn->conns);
	if (err)
		return err;
	t = rp_tables_alloc(&rn->lock);
	if (!t) {
		rp_conntrack_destroy(&rn->conns);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(rn->tables, t);
	schedule_delayed_work(&rn->conns.gc, HZ);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_state_init);

void rp_net_state_exit(struct rp_net *rn)
{
	struct rp_tables *t;

	/* connections first: uninstalling them needs the tables */
	rp_conn_flush(rn, 0, "namespace exit");
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	RCU_INIT_POINTER(rn->tables, NULL);
	mutex_unlock(&rn->lock);
	synchronize_rcu();
	rp_conntrack_destroy(&rn->conns);
	rp_tables_free(t);
	/* the namespace's netdevs are gone: NICs unbound them */
	xa_destroy(&rn->bound);
	mutex_destroy(&rn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_state_exit);

static int __net_init rp_net_init_net(struct net *net)
{
	return rp_net_state_init(rp_net(net), net);
}

static void __net_exit rp_net_exit_net(struct net *net)
{
	rp_net_state_exit(rp_net(net));
}

static struct pernet_operations rp_net_ops = {
	.init = rp_net_init_net,
	.exit = rp_net_exit_net,
	.id = &rp_net_id,
	.size = sizeof(struct rp_net),
};

/* Drop a vanishing netdev from the VM that owns it. */
static void rp_net_port_gone(struct net_device *dev)
{
	struct rp_net *rn = rp_net(dev_net(dev));
	struct rp_vm_spec *spec;
	struct rp_tables *t;
	struct rp_vm *vm;
	int i, j;

	mutex_lock(&rn->lock);
	/* the NICs unbind a vanishing netdev themselves */
	xa_erase(&rn->bound, dev->ifindex);
	t = rp_tables_locked(rn);
	vm = t ? rp_vm_by_port(t, dev->ifindex) : NULL;
	if (!vm)
		goto unlock;
	spec = kmemdup(&vm->s, sizeof(*spec), GFP_KERNEL);
	if (spec) {
		for (i = 0, j = 0; i < spec->nports; i++)
			if (spec->ports[i].ifindex != dev->ifindex)
				spec->ports[j++] = spec->ports[i];
		spec->nports = j;
		if (!rp_vm_set(t, spec, NULL)) {
			rp_net_changed(rn);
			netdev_info(dev, "rdmapolicy: port removed from VM %u\n",
				    spec->id);
			kfree(spec);
			goto unlock;
		}
		kfree(spec);
	}
	/* out of memory: at least the index must not point at the port */
	xa_erase(&t->ports, dev->ifindex);
	rp_net_changed(rn);	/* and its connections go (#13) */
	netdev_warn(dev, "rdmapolicy: port unindexed, VM %u still lists it\n",
		    vm->s.id);
unlock:
	mutex_unlock(&rn->lock);
}

static int rp_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	if (event == NETDEV_UNREGISTER)
		rp_net_port_gone(netdev_notifier_info_to_dev(ptr));
	return NOTIFY_DONE;
}

static struct notifier_block rp_netdev_nb = {
	.notifier_call = rp_netdev_event,
};

int rp_net_init(void)
{
	int err;

	err = register_pernet_subsys(&rp_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&rp_netdev_nb);
	if (err)
		unregister_pernet_subsys(&rp_net_ops);
	return err;
}

void rp_net_exit(void)
{
	unregister_netdevice_notifier(&rp_netdev_nb);
	unregister_pernet_subsys(&rp_net_ops);
}
