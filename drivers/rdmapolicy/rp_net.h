/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of the rdmapolicy core.
 *
 * DOC: Locking
 *
 * rp_net.lock (a mutex) serializes every configuration write of the
 * namespace: netlink requests, the NETDEV_UNREGISTER notifier and
 * namespace teardown.  Lock order: RTNL, then rp_net.lock, then the NIC
 * registry's mutex (requests that resolve port names or change which
 * ports are VM ports take RTNL first, so a netdev cannot go away between
 * its lookup and its insertion without the notifier seeing it, and ports
 * can be bound in the NICs).
 *
 * rp_net.tables is RCU-protected: readers (the exception path, dumps)
 * use rcu_dereference() under rcu_read_lock(); writers use
 * rp_tables_locked() with the lock held, which lockdep checks.  A whole
 * configuration replace builds new tables aside, swaps the pointer and
 * frees the old tables after a grace period.
 */
#ifndef _RP_NET_H
#define _RP_NET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "rp_conn.h"
#include "rp_exc.h"
#include "rp_table.h"

struct rp_net {
	struct net *net;
	struct mutex lock;		/* serializes config writers */
	struct rp_tables __rcu *tables;	/* current config, see DOC */
	u32 generation;			/* config changes; under lock */
	atomic64_t exc[RP_EXC_CTRS];	/* rdmapolicy/exc_ctrs.h */
	struct rp_conntrack conns;	/* connections, own lock */
	/*
	 * ifindexes of the VM ports the core has bound in the NICs (values
	 * unused); under RTNL and lock, see rp_nic_sync_ports()
	 */
	struct xarray bound;
};

extern unsigned int rp_net_id;

static inline struct rp_net *rp_net(const struct net *net)
{
	return net_generic(net, rp_net_id);
}

static inline struct rp_tables *rp_tables_locked(struct rp_net *rn)
{
	return rcu_dereference_protected(rn->tables,
					 lockdep_is_held(&rn->lock));
}

int rp_net_init(void);
void rp_net_exit(void);
void rp_net_replace(struct rp_net *rn, struct rp_tables *new);
void rp_net_changed(struct rp_net *rn);
int rp_net_state_init(struct rp_net *rn, struct net *net);
void rp_net_state_exit(struct rp_net *rn);

#endif /* _RP_NET_H */
