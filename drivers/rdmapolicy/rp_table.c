// SPDX-License-Identifier: GPL-2.0
/*
 * Per-VM address-space table: VMs and remote address spaces, indexed by
 * id, name, port (ifindex) and address (longest prefix within a tenant).
 * This file: the tables and their lookups; VM writes are in rp_vm.c.
 *
 * Locking: see DOC: rp_tables in rp_table.h.  Lookups need rcu_read_lock()
 * (or the writers' lock); changes need the writers' lock.
 */
#include <kunit/visibility.h>
#include <linux/llist.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include "rp_table.h"

const struct rhashtable_params rp_name_params = {
	.key_len = RP_NAME_LEN,
	.key_offset = offsetof(struct rp_vm, s.name),
	.head_offset = offsetof(struct rp_vm, name_node),
	.automatic_shrinking = true,
};

const struct rhashtable_params rp_pfx_params = {
	.key_len = RP_PFX_KEY_LEN,
	.key_offset = offsetof(struct rp_vm_pfx, key),
	.head_offset = offsetof(struct rp_vm_pfx, node),
	.automatic_shrinking = true,
};

void rp_prefix_mask(struct rp_prefix *p)
{
	struct in6_addr a = p->addr;

	/* ipv6_addr_prefix() clears its destination first: not in place */
	ipv6_addr_prefix(&p->addr, &a, p->plen);
}
EXPORT_SYMBOL_IF_KUNIT(rp_prefix_mask);

bool rp_prefix_match(const struct rp_prefix *p, const struct in6_addr *addr)
{
	return ipv6_prefix_equal(&p->addr, addr, p->plen);
}
EXPORT_SYMBOL_IF_KUNIT(rp_prefix_match);

void rp_tables_assert_locked(struct rp_tables *t)
{
	lockdep_assert_held(t->lock);
}

struct rp_tables *rp_tables_alloc(struct mutex *lock)
{
	struct rp_tables *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->lock = lock;
	xa_init(&t->vms);
	xa_init(&t->ports);
	xa_init_flags(&t->rules_by_id, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&t->rules);
	xa_init(&t->rules_by_src);
	INIT_LIST_HEAD(&t->rules_other);
	t->next_rule_id = 1;
	if (rhashtable_init(&t->names, &rp_name_params))
		goto free;
	if (rhashtable_init(&t->pfx, &rp_pfx_params))
		goto names;
	return t;

names:
	rhashtable_destroy(&t->names);
free:
	kfree(t);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(rp_tables_alloc);

/* A VM's counters fit kmalloc-64 where spinlock_t is 4 bytes */
#if BITS_PER_LONG == 64 && !defined(CONFIG_DEBUG_SPINLOCK) && \
	!defined(CONFIG_DEBUG_LOCK_ALLOC)
static_assert(sizeof(struct rp_vm_ctr) <= 64, "struct rp_vm_ctr: kmalloc-64");
#endif
/* A VM's ports start in its struct's padding; its last entry's off fits */
static_assert(offsetof(struct rp_vm, ports) % __alignof__(struct rp_vm_port) == 0,
	      "struct rp_vm: ports aligned");
static_assert(RP_VM_PFX_OFF(RP_VM_MAX_PORTS) +
	      (RP_VM_MAX_PREFIXES - 1) * sizeof(struct rp_vm_pfx) <=
	      255 * RP_PFX_UNIT, "struct rp_pfx_key: off fits");

/* Drop a version's reference to its VM's counters. */
static void rp_vm_ctr_put(struct rp_vm_ctr *ctr)
{
	if (refcount_dec_and_test(&ctr->ref)) {
		kfree(ctr->neg);
		kfree(ctr);
	}
}

void rp_vm_free(struct rp_vm *vm)
{
	rp_vm_ctr_put(vm->ctr);
	kfree(vm);
}

void rp_vm_free_rcu(struct rcu_head *head)
{
	rp_vm_free(container_of(head, struct rp_vm, rcu));
}

/**
 * rp_tables_free() - free tables no reader can reach any more
 * @t: tables, unpublished and past a grace period (or never published)
 */
void rp_tables_free(struct rp_tables *t)
{
	struct rp_rule_bucket *b;
	struct rp_rule *r, *tmp;
	struct rp_vm *vm;
	unsigned long id;

	if (!t)
		return;
	list_for_each_entry_safe(r, tmp, &t->rules, list) {
		kfree(r);
		cond_resched();	/* 100k rules and more */
	}
	xa_for_each(&t->rules_by_src, id, b)
		kfree(b);
	xa_destroy(&t->rules_by_src);
	xa_for_each(&t->vms, id, vm)
		rp_vm_free(vm);
	xa_destroy(&t->vms);
	xa_destroy(&t->ports);
	xa_destroy(&t->rules_by_id);
	rhashtable_destroy(&t->names);
	rhashtable_destroy(&t->pfx);
	kfree(t);
}
EXPORT_SYMBOL_IF_KUNIT(rp_tables_free);

/*
 * Replaced tables wait on this list for a grace period and their freeing,
 * done by rp_tables_reap_work off the replacing request's path: the
 * request holds RTNL and rp_net.lock, and a grace period waited for under
 * RTNL would stall every RTNL user of the host.  Lock-free (llist): any
 * writer pushes, the worker alone takes the whole list.
 */
static LLIST_HEAD(rp_tables_retired);

static void rp_tables_reap(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&rp_tables_retired);
	struct rp_tables *t, *tmp;

	if (!list)
		return;
	/* tables pushed later are in a new list, for the next run */
	synchronize_rcu();
	llist_for_each_entry_safe(t, tmp, list, retired)
		rp_tables_free(t);
}

static DECLARE_WORK(rp_tables_reap_work, rp_tables_reap);

/**
 * rp_tables_retire() - free unpublished tables after a grace period
 * @t: tables readers may still hold under rcu_read_lock()
 *
 * The tables' VMs share their counters with the tables that replaced
 * them (refcounted); nothing else of them is reachable once unpublished.
 * Context: any; returns at once.
 */
void rp_tables_retire(struct rp_tables *t)
{
	/* the first push queues the worker; later ones ride with it */
	if (llist_add(&t->retired, &rp_tables_retired))
		queue_work(system_unbound_wq, &rp_tables_reap_work);
}
EXPORT_SYMBOL_IF_KUNIT(rp_tables_retire);

/**
 * rp_tables_retire_flush() - wait until every retired table is freed
 *
 * Called before a replace builds new tables, so that back-to-back
 * replaces hold at most two configurations (the current one and the one
 * being built), as when the old tables were freed inline; and at module
 * exit, after the last replace.  Waits for a grace period and the
 * freeing only if tables are still waiting.
 * Context: process context; no lock the worker takes (none: it takes
 * only the rhashtables' own mutexes).
 */
void rp_tables_retire_flush(void)
{
	flush_work(&rp_tables_reap_work);
}
EXPORT_SYMBOL_IF_KUNIT(rp_tables_retire_flush);

/**
 * rp_tables_adopt_ctrs() - carry the VMs' counters over to new tables
 * @t: new tables, not published yet
 * @old: the tables they replace
 *
 * A VM of @t with the id of a VM of @old takes over that VM's counters
 * (connections, decisions, setup rate), as rp_vm_set() does: the tracker
 * knows a connection's VMs by id, and connections the new configuration
 * still allows survive it, so max-conns and setup-rate must go on counting
 * from where they were.
 * Context: writers' lock held.
 */
void rp_tables_adopt_ctrs(struct rp_tables *t, struct rp_tables *old)
{
	struct rp_vm *vm, *ovm;
	unsigned long id;

	rp_tables_assert_locked(t);
	xa_for_each(&t->vms, id, vm) {
		ovm = xa_load(&old->vms, id);
		if (!ovm || ovm->ctr == vm->ctr)
			continue;
		refcount_inc(&ovm->ctr->ref);
		/* @old and its rules are freed unchanged: @t's count holds */
		ovm->ctr->rule_refs = vm->ctr->rule_refs;
		rp_vm_ctr_put(vm->ctr);
		vm->ctr = ovm->ctr;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rp_tables_adopt_ctrs);

struct rp_vm *rp_vm_by_id(struct rp_tables *t, u32 id)
{
	return xa_load(&t->vms, id);
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_by_id);

struct rp_vm *rp_vm_by_name(struct rp_tables *t, const char *name)
{
	char key[RP_NAME_LEN] = { };

	strscpy(key, name, sizeof(key));
	return rhashtable_lookup_fast(&t->names, key, rp_name_params);
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_by_name);

struct rp_vm *rp_vm_by_port(struct rp_tables *t, int ifindex)
{
	return xa_load(&t->ports, ifindex);
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_by_port);

/**
 * rp_vm_by_addr() - the address space an address belongs to
 * @t: tables
 * @tenant: virtual network the address is looked up in
 * @addr: address (IPv4 v4-mapped)
 *
 * Context: rcu_read_lock() or the writers' lock.
 * Return: the VM with the longest prefix holding @addr in @tenant, or NULL.
 * Cost: one hash lookup per distinct prefix length in use.
 */
struct rp_vm *rp_vm_by_addr(struct rp_tables *t, u32 tenant,
			    const struct in6_addr *addr)
{
	struct rp_pfx_key key = { .tenant = tenant };
	struct rp_vm_pfx *e;
	unsigned int bit;

	for_each_set_bit(bit, t->plens, 129) {
		key.plen = 128 - bit;
		ipv6_addr_prefix(&key.addr, addr, key.plen);
		e = rhashtable_lookup_fast(&t->pfx, &key, rp_pfx_params);
		if (e)
			return rp_vm_pfx_vm(e);
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_by_addr);
