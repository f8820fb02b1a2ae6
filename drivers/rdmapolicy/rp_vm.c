// SPDX-License-Identifier: GPL-2.0
/*
 * Writes of the address-space table (rp_table.h): add, change and delete
 * a VM, each all-or-nothing (see Documentation/design.rst).
 *
 * Locking: see DOC: rp_tables in rp_table.h; every write needs the
 * writers' lock.
 */
#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "rp_table.h"

static void rp_plen_get(struct rp_tables *t, u32 plen)
{
	if (!t->plen_refs[plen]++)
		set_bit(128 - plen, t->plens);
}

static void rp_plen_put(struct rp_tables *t, u32 plen)
{
	if (!--t->plen_refs[plen])
		clear_bit(128 - plen, t->plens);
}

static int rp_vm_spec_check(const struct rp_vm_spec *s,
			    struct netlink_ext_ack *extack)
{
	int i, j;

	if (!s->id) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ID: VM id 0 is reserved");
		return -EINVAL;
	}
	if (!s->name[0]) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_NAME: a VM needs a name");
		return -EINVAL;
	}
	if (s->nports > RP_VM_MAX_PORTS) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_PORT: too many ports");
		return -E2BIG;
	}
	if (s->nmacs > RP_VM_MAX_MACS) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_MAC: too many MACs");
		return -E2BIG;
	}
	if (s->nprefixes > RP_VM_MAX_PREFIXES) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ADDR: too many prefixes");
		return -E2BIG;
	}
	/* its ports are overlays (rp_nl_vm.c checks when it names them) */
	if (s->remote && s->nmacs) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_VM_REMOTE: a remote address space has no MACs");
		return -EINVAL;
	}
	for (i = 0; i < s->nports; i++)
		for (j = 0; j < i; j++)
			if (s->ports[i].ifindex == s->ports[j].ifindex) {
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_PORT: port given twice");
				return -EINVAL;
			}
	for (i = 0; i < s->nprefixes; i++)
		for (j = 0; j < i; j++)
			if (s->prefixes[i].plen == s->prefixes[j].plen &&
			    ipv6_addr_equal(&s->prefixes[i].addr,
					    &s->prefixes[j].addr)) {
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_ADDR: prefix given twice");
				return -EINVAL;
			}
	return 0;
}

/* The bytes of a VM with @s's lists: struct rp_vm and what follows it */
static size_t rp_vm_size(const struct rp_vm_spec *s)
{
	return RP_VM_PFX_OFF(s->nports) +
	       s->nprefixes * sizeof(struct rp_vm_pfx) +
	       s->nmacs * sizeof(*s->macs);
}

static struct rp_vm *rp_vm_new(const struct rp_vm_spec *s,
			       struct rp_vm_ctr *ctr)
{
	struct rp_vm_pfx *pfx;
	struct rp_vm *vm;
	int i;

	vm = kzalloc(rp_vm_size(s), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return NULL;
	if (ctr) {
		refcount_inc(&ctr->ref);
	} else {
		ctr = kzalloc(sizeof(*ctr), GFP_KERNEL_ACCOUNT);
		if (!ctr) {
			kfree(vm);
			return NULL;
		}
		refcount_set(&ctr->ref, 1);
		spin_lock_init(&ctr->rate_lock);
		/*
		 * (u32)jiffies start 300 s below 0: a window at 0 would last
		 * until then
		 */
		ctr->rate_window = (u32)jiffies - HZ;
		ctr->learn_window = ctr->rate_window;
	}
	vm->ctr = ctr;
	vm->s.id = s->id;
	memcpy(vm->s.name, s->name, sizeof(vm->s.name));
	vm->s.tenant = s->tenant;
	vm->s.remote = s->remote;
	vm->s.max_conns = s->max_conns;
	vm->s.setup_rate = s->setup_rate;
	vm->s.nports = s->nports;
	vm->s.nmacs = s->nmacs;
	vm->s.nprefixes = s->nprefixes;
	memcpy(rp_vm_ports(vm), s->ports, s->nports * sizeof(*s->ports));
	memcpy(rp_vm_macs(vm), s->macs, s->nmacs * sizeof(*s->macs));
	pfx = rp_vm_pfxs(vm);
	for (i = 0; i < s->nprefixes; i++) {
		pfx[i].key.addr = s->prefixes[i].addr;
		pfx[i].key.plen = s->prefixes[i].plen;
		pfx[i].key.tenant = s->tenant;
		pfx[i].key.off = ((char *)&pfx[i] - (char *)vm) / RP_PFX_UNIT;
	}
	return vm;
}

/**
 * rp_vm_spec_get() - the settings of a VM, to change
 * @vm: the VM
 * @s: filled (its lists' unused room zeroed)
 */
void rp_vm_spec_get(const struct rp_vm *vm, struct rp_vm_spec *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->id = vm->s.id;
	memcpy(s->name, vm->s.name, sizeof(s->name));
	s->tenant = vm->s.tenant;
	s->remote = vm->s.remote;
	s->max_conns = vm->s.max_conns;
	s->setup_rate = vm->s.setup_rate;
	s->nports = vm->s.nports;
	s->nmacs = vm->s.nmacs;
	s->nprefixes = vm->s.nprefixes;
	memcpy(s->ports, rp_vm_ports(vm), s->nports * sizeof(*s->ports));
	memcpy(s->macs, rp_vm_macs(vm), s->nmacs * sizeof(*s->macs));
	for (i = 0; i < s->nprefixes; i++)
		s->prefixes[i] = rp_vm_prefix(vm, i);
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_spec_get);

/* Index in @vm of the port with @ifindex, or -1. */
static int rp_vm_port_idx(const struct rp_vm *vm, int ifindex)
{
	int i;

	for (i = 0; i < vm->s.nports; i++)
		if (rp_vm_ports(vm)[i].ifindex == ifindex)
			return i;
	return -1;
}

static int rp_vm_pfx_idx(const struct rp_vm *vm, const struct rp_pfx_key *k)
{
	int i;

	for (i = 0; i < vm->s.nprefixes; i++)
		if (!memcmp(&rp_vm_pfxs(vm)[i].key, k, RP_PFX_KEY_LEN))
			return i;
	return -1;
}

/*
 * Index what @new has and @old (the version it replaces, or NULL) has not:
 * the steps of a write that can fail.  On failure everything inserted here
 * is taken out again.
 */
static int rp_vm_index_new(struct rp_tables *t, struct rp_vm *new,
			   struct rp_vm *old, struct netlink_ext_ack *extack)
{
	unsigned long ports_done = 0, pfx_done = 0;
	bool name_done = false;
	int i, err;

	if (!old || strcmp(old->s.name, new->s.name)) {
		err = rhashtable_lookup_insert_fast(&t->names, &new->name_node,
						    rp_name_params);
		if (err) {
			if (err == -EEXIST)
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_NAME: a VM with this name exists");
			else
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_NAME: cannot index the name");
			goto undo;
		}
		name_done = true;
	}
	for (i = 0; i < new->s.nports; i++) {
		struct rp_vm_port *p = &rp_vm_ports(new)[i];

		if (old && rp_vm_port_idx(old, p->ifindex) >= 0)
			continue;
		err = xa_insert(&t->ports, p->ifindex, new, GFP_KERNEL_ACCOUNT);
		if (err) {
			if (err == -EBUSY)
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_PORT: port belongs to another VM");
			else
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_PORT: cannot index the port");
			goto undo;
		}
		__set_bit(i, &ports_done);
	}
	for (i = 0; i < new->s.nprefixes; i++) {
		struct rp_vm_pfx *e = &rp_vm_pfxs(new)[i];

		if (old && rp_vm_pfx_idx(old, &e->key) >= 0)
			continue;
		err = rhashtable_lookup_insert_fast(&t->pfx, &e->node,
						    rp_pfx_params);
		if (err) {
			if (err == -EEXIST)
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_ADDR: prefix belongs to another VM of the tenant");
			else
				NL_SET_ERR_MSG(extack,
					       "RP_A_VM_ADDR: cannot index the prefix");
			goto undo;
		}
		__set_bit(i, &pfx_done);
		rp_plen_get(t, e->key.plen);
	}
	return 0;

undo:
	for_each_set_bit(i, &pfx_done, RP_VM_MAX_PREFIXES) {
		rhashtable_remove_fast(&t->pfx, &rp_vm_pfxs(new)[i].node,
				       rp_pfx_params);
		rp_plen_put(t, rp_vm_pfxs(new)[i].key.plen);
	}
	for_each_set_bit(i, &ports_done, RP_VM_MAX_PORTS)
		xa_erase(&t->ports, rp_vm_ports(new)[i].ifindex);
	if (name_done)
		rhashtable_remove_fast(&t->names, &new->name_node,
				       rp_name_params);
	return err;
}

/*
 * Publish @new in place of @old (steps that cannot fail): entries both
 * have are replaced atomically, so readers never miss them; entries only
 * @old has are removed.
 */
static void rp_vm_index_swap(struct rp_tables *t, struct rp_vm *new,
			     struct rp_vm *old)
{
	int i, j;

	for (i = 0; i < old->s.nports; i++) {
		int ifindex = rp_vm_ports(old)[i].ifindex;

		j = rp_vm_port_idx(new, ifindex);
		if (j >= 0)
			WARN_ON(xa_is_err(xa_store(&t->ports, ifindex, new,
						   GFP_KERNEL_ACCOUNT)));
		else
			xa_erase(&t->ports, ifindex);
	}
	for (i = 0; i < old->s.nprefixes; i++) {
		struct rp_vm_pfx *e = &rp_vm_pfxs(old)[i];

		j = rp_vm_pfx_idx(new, &e->key);
		if (j >= 0) {
			WARN_ON(rhashtable_replace_fast(&t->pfx, &e->node,
							&rp_vm_pfxs(new)[j].node,
							rp_pfx_params));
		} else {
			rhashtable_remove_fast(&t->pfx, &e->node,
					       rp_pfx_params);
			rp_plen_put(t, e->key.plen);
		}
	}
	if (!strcmp(old->s.name, new->s.name))
		WARN_ON(rhashtable_replace_fast(&t->names, &old->name_node,
						&new->name_node,
						rp_name_params));
	else
		rhashtable_remove_fast(&t->names, &old->name_node,
				       rp_name_params);
	WARN_ON(xa_is_err(xa_store(&t->vms, new->s.id, new,
				   GFP_KERNEL_ACCOUNT)));
}

/**
 * rp_vm_add() - add a VM or remote address space
 * @t: tables
 * @spec: what to add; prefixes already masked
 * @extack: where to say why it failed
 *
 * Context: writers' lock held.
 * Return: 0, or a negative errno with @t unchanged.
 */
int rp_vm_add(struct rp_tables *t, const struct rp_vm_spec *spec,
	      struct netlink_ext_ack *extack)
{
	struct rp_vm *vm;
	int err;

	rp_tables_assert_locked(t);
	err = rp_vm_spec_check(spec, extack);
	if (err)
		return err;
	if (xa_load(&t->vms, spec->id)) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ID: a VM with this id exists");
		return -EEXIST;
	}
	vm = rp_vm_new(spec, NULL);
	if (!vm)
		return -ENOMEM;
	/* reserve the id first: it is the one step left that can fail */
	err = xa_reserve(&t->vms, spec->id, GFP_KERNEL_ACCOUNT);
	if (err)
		goto free;
	err = rp_vm_index_new(t, vm, NULL, extack);
	if (err)
		goto release;
	WARN_ON(xa_is_err(xa_store(&t->vms, spec->id, vm, GFP_KERNEL_ACCOUNT)));
	t->nvms++;
	return 0;

release:
	xa_release(&t->vms, spec->id);
free:
	rp_vm_free(vm);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_add);

/**
 * rp_vm_set() - replace a VM's settings
 * @t: tables
 * @spec: the complete new settings; @spec->id names the VM
 * @extack: where to say why it failed
 *
 * Counters and rule references (in the counters) carry over to the new
 * version.
 * Context: writers' lock held.
 * Return: 0, or a negative errno with @t unchanged.
 */
int rp_vm_set(struct rp_tables *t, const struct rp_vm_spec *spec,
	      struct netlink_ext_ack *extack)
{
	struct rp_vm *old, *new;
	int err;

	rp_tables_assert_locked(t);
	err = rp_vm_spec_check(spec, extack);
	if (err)
		return err;
	old = xa_load(&t->vms, spec->id);
	if (!old) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ID: no VM with this id");
		return -ENOENT;
	}
	if (old->s.remote != spec->remote) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_VM_REMOTE: a VM cannot change between local and remote");
		return -EINVAL;
	}
	new = rp_vm_new(spec, old->ctr);
	if (!new)
		return -ENOMEM;
	err = rp_vm_index_new(t, new, old, extack);
	if (err) {
		rp_vm_free(new);
		return err;
	}
	rp_vm_index_swap(t, new, old);
	call_rcu(&old->rcu, rp_vm_free_rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_set);

/**
 * rp_vm_del() - remove a VM or remote address space
 * @t: tables
 * @id: its id
 * @extack: where to say why it failed
 *
 * A VM that rules name cannot be removed: remove the rules first.
 * Context: writers' lock held.
 */
int rp_vm_del(struct rp_tables *t, u32 id, struct netlink_ext_ack *extack)
{
	struct rp_vm *vm;
	int i;

	rp_tables_assert_locked(t);
	vm = xa_load(&t->vms, id);
	if (!vm) {
		NL_SET_ERR_MSG(extack, "RP_A_VM_ID: no VM with this id");
		return -ENOENT;
	}
	if (vm->ctr->rule_refs) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_VM_ID: rules name this VM; delete them first");
		return -EBUSY;
	}
	for (i = 0; i < vm->s.nprefixes; i++) {
		rhashtable_remove_fast(&t->pfx, &rp_vm_pfxs(vm)[i].node,
				       rp_pfx_params);
		rp_plen_put(t, rp_vm_pfxs(vm)[i].key.plen);
	}
	for (i = 0; i < vm->s.nports; i++)
		xa_erase(&t->ports, rp_vm_ports(vm)[i].ifindex);
	rhashtable_remove_fast(&t->names, &vm->name_node, rp_name_params);
	xa_erase(&t->vms, id);
	t->nvms--;
	call_rcu(&vm->rcu, rp_vm_free_rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_vm_del);
