// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration transactions (DOC: Locking in rp_config.h), and the
 * NETDEV_UNREGISTER notifier that keeps VM ports from dangling, the one
 * writer that is no netlink request.
 *
 *	cfg_t = rp_config_begin(&cfg, rn, flags);
 *	err = change(cfg_t, ...);
 *	rp_config_event(&cfg, RP_EV_..., vm_id, rule_id);
 *	return rp_config_end(&cfg, err);
 */
#include <kunit/visibility.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "rp_config.h"
#include "rp_conn.h"
#include "rp_event.h"
#include "rp_mcast.h"
#include "rp_net.h"
#include "rp_port.h"

/**
 * rp_config_begin() - start changing a namespace's configuration
 * @cfg: the transaction, filled
 * @rn: the namespace
 * @flags: RP_CONFIG_PORTS if VM ports may change (takes RTNL)
 *
 * Context: process context; takes RTNL (with RP_CONFIG_PORTS) and
 * @rn->lock, which rp_config_commit() or rp_config_abort() drop.
 * Return: the current tables, to change in place.
 */
struct rp_tables *rp_config_begin(struct rp_config *cfg, struct rp_net *rn,
				  unsigned int flags)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rn = rn;
	cfg->flags = flags;
	if (flags & RP_CONFIG_PORTS)
		rtnl_lock();
	mutex_lock(&rn->lock);
	cfg->t = rp_tables_locked(rn);
	return cfg->t;
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_begin);

/**
 * rp_config_check_last() - the request making the change, and its
 * RP_A_IF_LAST_SEQ against the last change
 * @cfg: the transaction, begun
 * @info: the request
 *
 * Remembers who asks, for rp_config_commit() to record as the last change
 * (any other transaction records none).  A request with RP_A_IF_LAST_SEQ
 * takes effect only if the last change committed was its socket's request
 * with that sequence number: requests pipelined so, each naming the one
 * before, take effect up to the first that fails and none after it, even
 * while other writers change the configuration between them.
 * Return: 0, or -ESTALE if the last change was another.
 */
int rp_config_check_last(struct rp_config *cfg, struct genl_info *info)
{
	const struct nlattr *want = info->attrs[RP_A_IF_LAST_SEQ];
	struct rp_net *rn = cfg->rn;

	lockdep_assert_held(&rn->lock);
	cfg->portid = info->snd_portid;
	cfg->seq = info->snd_seq;
	if (!want || (rn->last_portid == info->snd_portid &&
		      rn->last_seq == nla_get_u32(want)))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, want,
			    "RP_A_IF_LAST_SEQ: the last change was another");
	return -ESTALE;
}

/**
 * rp_config_replace() - publish whole new tables at commit
 * @cfg: the transaction
 * @new: fully built tables (their ->lock is &rn->lock)
 *
 * VMs of @new that have the id of a current VM take over its counters
 * (rp_tables_adopt_ctrs()): the connections survive, so must their
 * counts.  rp_config_commit() hands the old tables to rp_tables_retire(),
 * which frees them after a grace period.
 */
void rp_config_replace(struct rp_config *cfg, struct rp_tables *new)
{
	struct rp_net *rn = cfg->rn;

	if (cfg->t)
		rp_tables_adopt_ctrs(new, cfg->t);
	cfg->old = rcu_replace_pointer(rn->tables, new,
				       lockdep_is_held(&rn->lock));
	cfg->t = new;
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_replace);

/* The event rp_config_commit() sends once it has dropped the locks. */
void rp_config_event(struct rp_config *cfg, u8 type, u32 vm_id, u32 rule_id)
{
	cfg->event = type;
	cfg->vm_id = vm_id;
	cfg->rule_id = rule_id;
}

/**
 * rp_config_changed() - the configuration changed: count it, and drop
 * the connections it no longer allows
 * @rn: namespace state, lock held
 *
 * The heart of rp_config_commit(); KUnit calls it after changing tables
 * itself.
 */
void rp_config_changed(struct rp_net *rn)
{
	lockdep_assert_held(&rn->lock);
	WRITE_ONCE(rn->generation, rn->generation + 1);
	rp_conn_revalidate(&rn->conns, rp_tables_locked(rn));
	rp_mcast_revalidate(rn, rp_tables_locked(rn));
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_changed);

static void rp_config_unlock(struct rp_config *cfg)
{
	mutex_unlock(&cfg->rn->lock);
	if (cfg->flags & RP_CONFIG_PORTS)
		rtnl_unlock();
}

/**
 * rp_config_commit() - the change is complete: apply it everywhere
 * @cfg: the transaction
 *
 * Bumps the generation, revalidates the connections, binds and unbinds
 * VM ports in the NICs (RP_CONFIG_PORTS), unlocks, hands replaced tables
 * to rp_tables_retire() (freed after a grace period), then sends the
 * event.
 * Context: process context.
 */
void rp_config_commit(struct rp_config *cfg)
{
	struct rp_net *rn = cfg->rn;

	rp_config_changed(rn);
	rn->last_portid = cfg->portid;
	rn->last_seq = cfg->seq;
	if (cfg->flags & RP_CONFIG_PORTS)
		rp_port_sync(rn);
	rp_config_unlock(cfg);
	/* freed after a grace period, not waited for here (under RTNL) */
	if (cfg->old)
		rp_tables_retire(cfg->old);
	cfg->old = NULL;
	if (cfg->event)
		rp_event(rn->net, cfg->event, cfg->vm_id, cfg->rule_id, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_commit);

/*
 * Nothing changed (the change failed before changing anything, or left
 * the tables as they were): unlock, no event.
 */
void rp_config_abort(struct rp_config *cfg)
{
	WARN_ON_ONCE(cfg->old);
	rp_config_unlock(cfg);
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_abort);

/* Commit if @err is 0, else abort; returns @err. */
int rp_config_end(struct rp_config *cfg, int err)
{
	if (err)
		rp_config_abort(cfg);
	else
		rp_config_commit(cfg);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_config_end);

/*
 * Drop a vanishing netdev from the VM that owns it.  RTNL is held by the
 * notifier chain; the NICs unbind a vanishing netdev themselves, so this
 * transaction neither takes RTNL nor syncs ports, and sends no event.
 */
static void rp_config_port_gone(struct net_device *dev)
{
	struct rp_net *rn = rp_net(dev_net(dev));
	struct rp_vm_spec *spec;
	struct rp_config cfg;
	struct rp_tables *t;
	struct rp_vm *vm;
	int i, j;

	t = rp_config_begin(&cfg, rn, 0);
	xa_erase(&rn->bound, dev->ifindex);
	vm = t ? rp_vm_by_port(t, dev->ifindex) : NULL;
	if (!vm) {
		rp_config_abort(&cfg);
		return;
	}
	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (spec) {
		rp_vm_spec_get(vm, spec);
		for (i = 0, j = 0; i < spec->nports; i++)
			if (spec->ports[i].ifindex != dev->ifindex)
				spec->ports[j++] = spec->ports[i];
		spec->nports = j;
		if (!rp_vm_set(t, spec, NULL)) {
			rp_config_commit(&cfg);
			netdev_info(dev, "rdmapolicy: port removed from VM %u\n",
				    spec->id);
			kfree(spec);
			return;
		}
		kfree(spec);
	}
	/* out of memory: at least the index must not point at the port */
	xa_erase(&t->ports, dev->ifindex);
	netdev_warn(dev, "rdmapolicy: port unindexed, VM %u still lists it\n",
		    vm->s.id);
	rp_config_commit(&cfg);	/* and its connections go (#13) */
}

static int rp_config_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	if (event == NETDEV_UNREGISTER)
		rp_config_port_gone(netdev_notifier_info_to_dev(ptr));
	return NOTIFY_DONE;
}

static struct notifier_block rp_config_netdev_nb = {
	.notifier_call = rp_config_netdev_event,
};

int rp_config_init(void)
{
	return register_netdevice_notifier(&rp_config_netdev_nb);
}

void rp_config_exit(void)
{
	unregister_netdevice_notifier(&rp_config_netdev_nb);
	/* no request replaces tables any more (the family is gone) */
	rp_tables_retire_flush();
}
