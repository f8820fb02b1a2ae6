/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of the rdmapolicy core.  Its configuration
 * is written by transactions only (rp_config.c); locking and the lock
 * order: DOC: Locking in rp_config.h.
 */
#ifndef _RP_NET_H
#define _RP_NET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <rdmapolicy/counters.h>

#include "rp_conn.h"
#include "rp_learn_guard.h"
#include "rp_mcast_table.h"
#include "rp_table.h"

struct rp_net {
	struct net *net;
	struct mutex lock;		/* serializes config writers */
	struct rp_tables __rcu *tables;	/* current config, see DOC */
	u32 generation;			/* config changes; under lock */
	/*
	 * The request that made the last change (its socket's portid and
	 * sequence number; 0, 0: no request's); under lock, see
	 * rp_config_check_last()
	 */
	u32 last_portid, last_seq;
	atomic64_t exc[RP_EXC_CTRS];	/* rdmapolicy/exc_ctrs.h */
	struct rp_conntrack conns;	/* connections, own lock */
	struct rp_learn_neg learn_neg;	/* its key; slots per VM, see its header */
	struct rp_mcast_table mcast;	/* groups, own lock (rp_mcast.h) */
	/*
	 * ifindexes of the VM ports the core has bound in the NICs (values
	 * unused); under RTNL and lock, see rp_port_sync()
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
int rp_net_state_init(struct rp_net *rn, struct net *net);
void rp_net_state_exit(struct rp_net *rn);

#endif /* _RP_NET_H */
