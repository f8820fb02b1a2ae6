/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The groups' table of a namespace: its members and senders, as
 * rp_mcast.c keeps them (Documentation/multicast.rst).
 *
 * DOC: Multicast locking
 *
 * rp_mcast_table.lock (a BH-safe spinlock: reports and first packets are
 * decided in softirq) guards the table's list, its count and every write
 * to a struct rp_mcast_ent; lookups by key go through the rhashtable
 * under RCU or the lock, entries are freed with kfree_rcu().  NICs are
 * told under the lock (their ops are atomic-safe), so a NIC's state
 * follows the table's order of changes.  Lock order: after rp_net.lock
 * (revalidation runs under it), beside rp_conntrack.lock (never both
 * held).  The decision paths read the tables under rcu_read_lock() and
 * rp_conntrack.gen as the learned flows do: a decision made before a
 * configuration change is made again (the change's revalidation has
 * bumped the generation before it takes this lock).
 */
#ifndef _RP_MCAST_TABLE_H
#define _RP_MCAST_TABLE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * What a member (a VM's port in a group) or a sender (a VM's source
 * address that sent to a group) is known by, as the NICs key them: a
 * member by its port, a sender by its address (@ifindex 0).
 */
struct rp_mcast_key {
	struct in6_addr group;		/* IPv4 v4-mapped */
	struct in6_addr saddr;		/* a sender's, zero for a member */
	u32 tenant;
	int ifindex;			/* a member's port, 0 for a sender */
	u32 kind;			/* enum rp_mcast_kind */
};

/* A member or a sender (allowed or not): immutable but for @allowed. */
struct rp_mcast_ent {
	struct rhash_head node;
	struct rp_mcast_key key;
	int ifindex;			/* the VM's port */
	bool allowed;			/* a sender's verdict; members: true */
	struct list_head list;		/* rp_mcast_table.all, under lock */
	u32 vm_id;
	u32 rule_id;			/* the deciding rule, 0: none */
	unsigned long since;		/* jiffies */
	struct rcu_head rcu;
};

struct rp_mcast_table {
	spinlock_t lock;		/* see DOC above */
	struct rhashtable ht;		/* rp_mcast key -> rp_mcast_ent */
	struct list_head all;		/* every entry, for walks under lock */
	u32 count;
};

struct net;
struct rp_mcast;
struct rp_vm;

int rp_mcast_init(struct rp_mcast_table *mt);
void rp_mcast_destroy(struct rp_mcast_table *mt);
struct rp_mcast_ent *rp_mcast_lookup(struct rp_mcast_table *mt,
				     const struct rp_mcast_key *key);
int rp_mcast_add(struct rp_mcast_table *mt, struct net *net,
		 const struct rp_mcast_key *key, int ifindex, bool allowed,
		 struct rp_vm *vm, u32 rule_id);
void rp_mcast_del(struct rp_mcast_table *mt, struct net *net,
		  struct rp_mcast_ent *e, struct rp_vm *vm);
void rp_mcast_flush(struct rp_mcast_table *mt, struct net *net);
void rp_mcast_to_nic(const struct rp_mcast_ent *e, struct rp_mcast *m);

extern unsigned int rp_mcast_vm_max;

#endif
