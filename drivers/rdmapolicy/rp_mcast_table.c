// SPDX-License-Identifier: GPL-2.0
/*
 * The groups' table of a namespace (rp_mcast_table.h): its members and
 * senders, and what the NICs are told of each.  What goes in is decided
 * by rp_mcast.c.  Locking: DOC: Multicast locking in rp_mcast_table.h.
 */
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "rp_mcast_table.h"
#include "rp_nic.h"
#include "rp_table.h"

unsigned int rp_mcast_vm_max = 64;
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_vm_max);
module_param_named(mcast_vm_max, rp_mcast_vm_max, uint, 0644);
MODULE_PARM_DESC(mcast_vm_max,
		 "groups a VM may be in or send to (members and senders, allowed or denied), default 64");

static const struct rhashtable_params rp_mcast_params = {
	.key_len = sizeof(struct rp_mcast_key),
	.key_offset = offsetof(struct rp_mcast_ent, key),
	.head_offset = offsetof(struct rp_mcast_ent, node),
	.automatic_shrinking = true,
};

/* What the NICs are told of @e */
void rp_mcast_to_nic(const struct rp_mcast_ent *e, struct rp_mcast *m)
{
	memset(m, 0, sizeof(*m));
	m->tenant = e->key.tenant;
	m->group = e->key.group;
	m->saddr = e->key.saddr;
	m->ifindex = e->ifindex;
	m->kind = e->key.kind;
	m->allowed = e->allowed;
}

struct rp_mcast_ent *rp_mcast_lookup(struct rp_mcast_table *mt,
				     const struct rp_mcast_key *key)
{
	return rhashtable_lookup_fast(&mt->ht, key, rp_mcast_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_lookup);

/*
 * Add a member or sender of @vm and tell the NICs.  Context: mt->lock.
 * Return: 0, -ENOSPC over the VM's bound, -ENOMEM, or a NIC's errno.
 */
int rp_mcast_add(struct rp_mcast_table *mt, struct net *net,
		 const struct rp_mcast_key *key, int ifindex, bool allowed,
		 struct rp_vm *vm, u32 rule_id)
{
	struct rp_mcast_ent *e;
	struct rp_mcast m;
	int err;

	lockdep_assert_held(&mt->lock);
	if (!atomic_add_unless(&vm->ctr->mcast, 1, rp_mcast_vm_max))
		return -ENOSPC;
	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e) {
		err = -ENOMEM;
		goto unbound;
	}
	e->key = *key;
	e->ifindex = ifindex;
	e->allowed = allowed;
	e->vm_id = vm->s.id;
	e->rule_id = rule_id;
	e->since = jiffies;
	err = rhashtable_lookup_insert_fast(&mt->ht, &e->node,
					    rp_mcast_params);
	if (err)
		goto free;
	rp_mcast_to_nic(e, &m);
	err = rp_nic_mcast_set(net, &m);
	if (err) {
		rhashtable_remove_fast(&mt->ht, &e->node, rp_mcast_params);
		kfree_rcu(e, rcu);
		goto unbound;
	}
	list_add_tail(&e->list, &mt->all);
	mt->count++;
	return 0;

free:
	kfree(e);
unbound:
	atomic_dec(&vm->ctr->mcast);
	return err;
}

/*
 * Take @e out of the table and the NICs; @vm its VM, NULL if it is gone
 * (its counters with it).  Context: mt->lock.
 */
void rp_mcast_del(struct rp_mcast_table *mt, struct net *net,
		  struct rp_mcast_ent *e, struct rp_vm *vm)
{
	struct rp_mcast m;

	lockdep_assert_held(&mt->lock);
	rhashtable_remove_fast(&mt->ht, &e->node, rp_mcast_params);
	list_del(&e->list);
	mt->count--;
	rp_mcast_to_nic(e, &m);
	rp_nic_mcast_clear(net, &m);
	if (vm)
		atomic_dec(&vm->ctr->mcast);
	kfree_rcu(e, rcu);
}

/* Every member and sender out of the table and the NICs (namespace exit) */
void rp_mcast_flush(struct rp_mcast_table *mt, struct net *net)
{
	struct rp_mcast_ent *e, *tmp;

	spin_lock_bh(&mt->lock);
	list_for_each_entry_safe(e, tmp, &mt->all, list)
		rp_mcast_del(mt, net, e, NULL);
	spin_unlock_bh(&mt->lock);
}
EXPORT_SYMBOL_IF_KUNIT(rp_mcast_flush);

int rp_mcast_init(struct rp_mcast_table *mt)
{
	spin_lock_init(&mt->lock);
	INIT_LIST_HEAD(&mt->all);
	mt->count = 0;
	return rhashtable_init(&mt->ht, &rp_mcast_params);
}

/* After rp_mcast_flush() and a grace period */
void rp_mcast_destroy(struct rp_mcast_table *mt)
{
	WARN_ON(!list_empty(&mt->all));
	rhashtable_destroy(&mt->ht);
}

