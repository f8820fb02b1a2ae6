/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration transactions: the one way to change a namespace's tables.
 *
 * DOC: Locking
 *
 * This is the one place the lock order is written down; the other files
 * point here.
 *
 * - RTNL, then rp_net.lock (a mutex per namespace), then the NIC
 *   registry's mutex (rp_nic.c), then the connection tracker's spinlock
 *   rp_conntrack.lock (BH-safe; rp_conn.h), then the xa_lock of the
 *   tracker's id xarray.
 * - rp_net.lock serializes every configuration write of the namespace:
 *   all of them are transactions of this file (netlink requests, the
 *   NETDEV_UNREGISTER notifier).  Namespace setup and teardown
 *   (rp_net.c) take it too.
 * - A transaction that can change which netdevs are VM ports
 *   (RP_CONFIG_PORTS) takes RTNL first: port names are resolved under it,
 *   so a netdev cannot go away between its lookup and its insertion
 *   without the notifier seeing it, and the ports are bound in the NICs
 *   at commit.  The notifier runs under RTNL already.
 * - rp_net.tables is RCU-protected: readers (the exception path, dumps)
 *   use rcu_dereference() under rcu_read_lock(); writers use
 *   rp_tables_locked() with rp_net.lock held, which lockdep checks.  A
 *   whole configuration replace builds new tables aside, swaps the
 *   pointer and, once the locks are dropped, hands the old tables to
 *   rp_tables_retire(): a worker frees them after a grace period, so no
 *   grace period is waited for under RTNL or rp_net.lock.  The next
 *   replace waits for that freeing before it builds (under the genl
 *   mutex alone): two configurations at most exist at a time.
 * - rp_net.generation is written under rp_net.lock (WRITE_ONCE) and read
 *   locklessly by dumps (NLM_F_DUMP_INTR) and under the lock by stats.
 * - Events are sent after every lock is dropped.
 */
#ifndef _RP_CONFIG_H
#define _RP_CONFIG_H

#include <linux/types.h>

struct genl_info;
struct rp_net;
struct rp_tables;

/* Flags of rp_config_begin(). */
enum {
	RP_CONFIG_PORTS = BIT(0),	/* VM ports may change: RTNL, NIC sync */
};

/* One configuration change in progress; on the caller's stack. */
struct rp_config {
	struct rp_net *rn;
	struct rp_tables *t;		/* the tables to change, locked */
	struct rp_tables *old;		/* replaced by rp_config_replace() */
	unsigned int flags;
	u8 event;			/* enum rp_event_type, 0: none */
	u32 vm_id, rule_id;		/* of the event */
	/* the request making the change (0, 0: none), for rp_net.last_* */
	u32 portid, seq;
};

struct rp_tables *rp_config_begin(struct rp_config *cfg, struct rp_net *rn,
				  unsigned int flags);
int rp_config_check_last(struct rp_config *cfg, struct genl_info *info);
void rp_config_replace(struct rp_config *cfg, struct rp_tables *new);
void rp_config_event(struct rp_config *cfg, u8 type, u32 vm_id, u32 rule_id);
void rp_config_commit(struct rp_config *cfg);
void rp_config_abort(struct rp_config *cfg);
int rp_config_end(struct rp_config *cfg, int err);

void rp_config_changed(struct rp_net *rn);

int rp_config_init(void);
void rp_config_exit(void);

#endif /* _RP_CONFIG_H */
