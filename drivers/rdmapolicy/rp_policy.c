// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-access policy rules and their evaluation.
 *
 * Rules are kept in one RCU list in evaluation order: ascending priority,
 * then descending specificity, then ascending id.  The first rule that
 * matches decides; when none does the answer is deny.
 *
 * For evaluation the same rules are also split by source: one list per
 * VM for the rules whose source is that VM, one list for all others, each
 * in evaluation order.  A query walks its source VM's list and the others'
 * and takes the earlier of the two first matches (the two lists partition
 * the rules a query can match, so that is the first match overall).  It
 * costs O(rules of the requester's VM + rules not naming a source VM),
 * whatever the number of other VMs' rules.
 *
 * Specificity, most significant first: the source selector (VM > prefix,
 * longer first > tenant > any), the destination selector (same), the
 * service (narrower port range first, any last), the QP types (fewer
 * first).  So at equal priority "V1 to V2 on port 7471" comes before "tenant
 * 7 to anything".
 */
#include <kunit/visibility.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "rp_policy.h"

static u64 rp_sel_order(const struct rp_sel *s)
{
	switch (s->type) {
	case RP_SEL_VM:
		return 200;
	case RP_SEL_PREFIX:
	case RP_SEL_GROUP:
		return 2 + s->pfx.plen;
	case RP_SEL_TENANT:
		return 1;
	default:
		return 0;
	}
}

/* Bigger: more specific.  src 8 bits | dst 8 bits | service 17 | qp 3. */
u64 rp_rule_order(const struct rp_rule_spec *s)
{
	u64 svc = s->any_service ? 0 :
		  0x10000 - (u64)(s->port_max - s->port_min);

	return rp_sel_order(&s->src) << 28 | rp_sel_order(&s->dst) << 20 |
	       svc << 3 | (4 - hweight32(s->qp_types & RP_QP_ALL));
}
EXPORT_SYMBOL_IF_KUNIT(rp_rule_order);

/* Does @a come before @b in evaluation order? */
static bool rp_rule_before(const struct rp_rule *a, const struct rp_rule *b)
{
	if (a->s.prio != b->s.prio)
		return a->s.prio < b->s.prio;
	if (a->order != b->order)
		return a->order > b->order;
	return a->s.id < b->s.id;
}

static bool rp_sel_match(const struct rp_sel *s, const struct rp_vm *vm,
			 const struct in6_addr *addr)
{
	switch (s->type) {
	case RP_SEL_ANY:
		return true;
	case RP_SEL_VM:
		return vm && vm->s.id == s->vm;
	case RP_SEL_TENANT:
		return vm && vm->s.tenant == s->tenant;
	case RP_SEL_PREFIX:
	case RP_SEL_GROUP:
		return rp_prefix_match(&s->pfx, addr);
	default:
		return false;
	}
}

VISIBLE_IF_KUNIT bool rp_rule_match(const struct rp_rule *r,
				    const struct rp_query *q)
{
	if (!(r->s.qp_types & q->qp_type))
		return false;
	/* a group query matches the group rules of its side only, no other */
	if (q->group != (r->s.src.type == RP_SEL_GROUP ? RP_QG_JOIN :
			 r->s.dst.type == RP_SEL_GROUP ? RP_QG_SEND :
			 RP_QG_NONE))
		return false;
	if (q->group) {
		/* a group rule has no service (rp_rule_spec_check()) */
	} else if (q->setup == RP_SETUP_LEARNED) {
		/*
		 * A learned flow has no service.  An allow applies to it only
		 * where the rule opts in (setup any, any service); a deny
		 * whatever its setup and service, so that a flow set up
		 * without CM cannot get round it.
		 */
		if (r->s.action == RP_ACT_ALLOW &&
		    (r->s.setup != RP_SETUP_ANY || !r->s.any_service))
			return false;
	} else if (!r->s.any_service &&
		   (r->s.ps != q->ps || q->port < r->s.port_min ||
		    q->port > r->s.port_max)) {
		return false;
	}
	return rp_sel_match(&r->s.src, q->src_vm, &q->saddr) &&
	       rp_sel_match(&r->s.dst, q->dst_vm, &q->daddr);
}
EXPORT_SYMBOL_IF_KUNIT(rp_rule_match);

/* The first rule of @head (a src_list) that matches @q, or NULL. */
static struct rp_rule *rp_rules_first(struct rp_tables *t,
				      struct list_head *head,
				      const struct rp_query *q)
{
	struct rp_rule *r;

	list_for_each_entry_rcu(r, head, src_list, lockdep_is_held(t->lock))
		if (rp_rule_match(r, q))
			return r;
	return NULL;
}

/**
 * rp_policy_eval() - decide a connection
 * @t: tables
 * @q: the connection
 * @d: the decision: action, granted rights and the deciding rule
 *
 * Context: rcu_read_lock() or the writers' lock; @d->rule is valid only
 * as long as that is held.
 */
void rp_policy_eval(struct rp_tables *t, const struct rp_query *q,
		    struct rp_decision *d)
{
	struct rp_rule_bucket *b = NULL;
	struct rp_rule *r, *o;

	if (q->src_vm)
		b = xa_load(&t->rules_by_src, q->src_vm->s.id);
	r = b ? rp_rules_first(t, &b->rules, q) : NULL;
	o = rp_rules_first(t, &t->rules_other, q);
	if (!r || (o && rp_rule_before(o, r)))
		r = o;
	if (!r) {
		d->rule = NULL;
		d->action = RP_ACT_DENY;
		d->rights = 0;
		d->reply_rights = 0;
		return;
	}
	if (!q->recheck)
		atomic64_inc(&r->hits);
	d->rule = r;
	d->action = r->s.action;
	d->rights = r->s.action == RP_ACT_ALLOW ? r->s.rights : 0;
	d->reply_rights = r->s.action == RP_ACT_ALLOW ? r->s.reply_rights : 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_policy_eval);

/**
 * rp_policy_eval_learned() - decide a flow learned from its first packet
 * @t: tables
 * @q: the flow: its sender as src, its destination as dst, no service
 *     (nothing says one), setup RP_SETUP_LEARNED
 * @d: the decision; @d->rights are the flow's
 * @as_responder: out: allowed as the responder of the other direction
 *
 * The sender may send as a requester if a rule allows it so; else, when
 * no rule at all decides it as a requester, as the responder of the other
 * direction if a rule allows that (@d->rights are then the rule's reply
 * rights), as over RDMA CM the responder of an allowed REQ may; that
 * is no hit of the rule (the flow it answers was).  A rule
 * that denies the sender as a requester is final.  When the flow is not
 * allowed, @d is the first decision.
 * Context: as rp_policy_eval().
 */
void rp_policy_eval_learned(struct rp_tables *t, const struct rp_query *q,
			    struct rp_decision *d, bool *as_responder)
{
	struct rp_query r = *q;
	struct rp_decision rd;

	*as_responder = false;
	rp_policy_eval(t, q, d);
	if (d->rule)
		return;
	r.src_vm = q->dst_vm;
	r.dst_vm = q->src_vm;
	r.saddr = q->daddr;
	r.daddr = q->saddr;
	/* the requester's flow it answers was the decision (as a REP is) */
	r.recheck = true;
	rp_policy_eval(t, &r, &rd);
	if (rd.action != RP_ACT_ALLOW)
		return;
	*as_responder = true;
	d->action = RP_ACT_ALLOW;
	d->rights = rd.reply_rights;
	d->reply_rights = rd.rights;
	d->rule = rd.rule;
}
EXPORT_SYMBOL_IF_KUNIT(rp_policy_eval_learned);

/* A group selector names multicast groups only: 224.0.0.0/4, ff00::/8. */
static bool rp_sel_group_ok(const struct rp_sel *s)
{
	const struct in6_addr *a = &s->pfx.addr;

	if (ipv6_addr_v4mapped(a))
		return s->pfx.plen >= 96 + 4 &&
		       ipv4_is_multicast(a->s6_addr32[3]);
	return s->pfx.plen >= 8 && ipv6_addr_is_multicast(a);
}

/* What a rule with a group selector must be: see Documentation/multicast.rst */
static int rp_rule_group_check(const struct rp_rule_spec *s,
			       struct netlink_ext_ack *extack)
{
	const struct rp_sel *g = s->src.type == RP_SEL_GROUP ? &s->src :
				 &s->dst;

	if (s->src.type == RP_SEL_GROUP && s->dst.type == RP_SEL_GROUP) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_DST: a group rule names a group on one side only");
		return -EINVAL;
	}
	if (!rp_sel_group_ok(g)) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_SEL_PREFIX: a group selector is a multicast prefix (224.0.0.0/4, ff00::/8)");
		return -EINVAL;
	}
	if (!s->any_service) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_PS: a group rule has no service");
		return -EINVAL;
	}
	if (!(s->qp_types & RP_QP_UD)) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_QP_TYPES: a group rule is for UD");
		return -EINVAL;
	}
	/* (a reply right is meaningless for a group: the default is let be) */
	if ((s->rights | s->reply_rights) & ~RP_RIGHT_SEND) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_RIGHTS: a group rule grants send only");
		return -EINVAL;
	}
	return 0;
}

static int rp_sel_check(struct rp_tables *t, const struct rp_sel *s,
			struct netlink_ext_ack *extack)
{
	if (s->type == RP_SEL_VM && !xa_load(&t->vms, s->vm)) {
		NL_SET_ERR_MSG(extack, "RP_A_SEL_VM: no VM with this id");
		return -ENOENT;
	}
	return 0;
}

static void rp_sel_ref(struct rp_tables *t, const struct rp_sel *s, int d)
{
	struct rp_vm *vm;

	if (s->type != RP_SEL_VM)
		return;
	vm = xa_load(&t->vms, s->vm);
	if (!WARN_ON(!vm))
		vm->ctr->rule_refs += d;
}

static int rp_rule_spec_check(struct rp_tables *t,
			      const struct rp_rule_spec *s,
			      struct netlink_ext_ack *extack)
{
	int err;

	if (!s->any_service && s->port_min > s->port_max) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_PORT_MAX: smaller than RP_A_RULE_PORT_MIN");
		return -EINVAL;
	}
	if (!(s->qp_types & RP_QP_ALL) || (s->qp_types & ~RP_QP_ALL)) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_QP_TYPES: no or unknown QP types");
		return -EINVAL;
	}
	if (s->action == RP_ACT_ALLOW && (!s->rights ||
					  (s->rights & ~RP_RIGHT_ALL))) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_RIGHTS: an allowing rule grants one or more known rights");
		return -EINVAL;
	}
	if (s->setup != RP_SETUP_CM && s->setup != RP_SETUP_ANY) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_SETUP: a rule accepts setup cm or any");
		return -EINVAL;
	}
	if (s->reply_rights & ~RP_RIGHT_ALL) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_REPLY_RIGHTS: unknown rights");
		return -EINVAL;
	}
	if (s->action == RP_ACT_DENY && (s->rights || s->reply_rights)) {
		NL_SET_ERR_MSG(extack,
			       "RP_A_RULE_RIGHTS: a denying rule grants no rights");
		return -EINVAL;
	}
	if (s->src.type == RP_SEL_GROUP || s->dst.type == RP_SEL_GROUP) {
		err = rp_rule_group_check(s, extack);
		if (err)
			return err;
	}
	err = rp_sel_check(t, &s->src, extack);
	if (!err)
		err = rp_sel_check(t, &s->dst, extack);
	return err;
}

/* Link @r into @head (through @member of its rules) in evaluation order. */
static void rp_rule_insert(struct list_head *head, struct rp_rule *r,
			   size_t member)
{
	struct list_head *node = (void *)r + member, *pos;

	/* appending in order is the common case (batch loads): O(1) */
	if (list_empty(head) ||
	    rp_rule_before((void *)head->prev - member, r)) {
		list_add_tail_rcu(node, head);
		return;
	}
	for (pos = head->next; pos != head; pos = pos->next)
		if (rp_rule_before(r, (void *)pos - member))
			break;
	list_add_tail_rcu(node, pos);
}

/*
 * The bucket a rule from @spec goes into, made if needed (the fallible
 * part of linking a rule; an empty bucket made for nothing is harmless).
 * Return: the bucket, NULL if the rule goes into rules_other, or an
 * ERR_PTR.
 */
static struct rp_rule_bucket *rp_rule_bucket(struct rp_tables *t,
					     const struct rp_rule_spec *spec)
{
	struct rp_rule_bucket *b;
	int err;

	if (spec->src.type != RP_SEL_VM)
		return NULL;
	b = xa_load(&t->rules_by_src, spec->src.vm);
	if (b)
		return b;
	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&b->rules);
	err = xa_insert(&t->rules_by_src, spec->src.vm, b, GFP_KERNEL_ACCOUNT);
	if (err) {
		kfree(b);
		return ERR_PTR(err);
	}
	return b;
}

/* Drop @spec's bucket if it holds no rule (after a failed add). */
static void rp_rule_bucket_put(struct rp_tables *t,
			       const struct rp_rule_spec *spec)
{
	struct rp_rule_bucket *b;

	if (spec->src.type != RP_SEL_VM)
		return;
	b = xa_load(&t->rules_by_src, spec->src.vm);
	if (b && list_empty(&b->rules)) {
		xa_erase(&t->rules_by_src, spec->src.vm);
		kfree_rcu(b, rcu);
	}
}

static void rp_rule_link(struct rp_tables *t, struct rp_rule *r,
			 struct rp_rule_bucket *b)
{
	rp_rule_insert(&t->rules, r, offsetof(struct rp_rule, list));
	rp_rule_insert(b ? &b->rules : &t->rules_other, r,
		       offsetof(struct rp_rule, src_list));
}

/*
 * Fill @r from @spec and link it where it is evaluated, in @b (from
 * rp_rule_bucket()); see unlink.
 */
static void rp_rule_publish(struct rp_tables *t, struct rp_rule *r,
			    const struct rp_rule_spec *spec,
			    struct rp_rule_bucket *b)
{
	r->s = *spec;
	r->order = rp_rule_order(spec);
	rp_sel_ref(t, &r->s.src, 1);
	rp_sel_ref(t, &r->s.dst, 1);
	rp_rule_link(t, r, b);
	t->nrules++;
}

/**
 * rp_rule_add() - add a rule
 * @t: tables
 * @spec: the rule; @spec->id 0 asks for a free id, written back
 * @extack: where to say why it failed
 *
 * Context: writers' lock held.
 * Return: 0, or a negative errno with @t unchanged.
 */
int rp_rule_add(struct rp_tables *t, struct rp_rule_spec *spec,
		struct netlink_ext_ack *extack)
{
	struct rp_rule_bucket *b;
	struct rp_rule *r;
	u32 id;
	int err;

	lockdep_assert_held(t->lock);
	err = rp_rule_spec_check(t, spec, extack);
	if (err)
		return err;
	b = rp_rule_bucket(t, spec);
	if (IS_ERR(b))
		return PTR_ERR(b);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		rp_rule_bucket_put(t, spec);
		return -ENOMEM;
	}
	if (spec->id) {
		id = spec->id;
		err = xa_insert(&t->rules_by_id, id, r, GFP_KERNEL_ACCOUNT);
		if (err == -EBUSY)
			NL_SET_ERR_MSG(extack,
				       "RP_A_RULE_ID: a rule with this id exists");
	} else {
		err = xa_alloc_cyclic(&t->rules_by_id, &id, r, xa_limit_32b,
				      &t->next_rule_id, GFP_KERNEL_ACCOUNT);
		err = err < 0 ? err : 0;
	}
	if (err) {
		kfree(r);
		rp_rule_bucket_put(t, spec);
		return err;
	}
	spec->id = id;
	rp_rule_publish(t, r, spec, b);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_rule_add);

static void rp_rule_unlink(struct rp_tables *t, struct rp_rule *r)
{
	rp_sel_ref(t, &r->s.src, -1);
	rp_sel_ref(t, &r->s.dst, -1);
	list_del_rcu(&r->list);
	list_del_rcu(&r->src_list);
	rp_rule_bucket_put(t, &r->s);
	t->nrules--;
	kfree_rcu(r, rcu);
}

/**
 * rp_rule_set() - replace a rule (same id, new settings)
 * @t: tables
 * @spec: the complete new rule
 * @extack: where to say why it failed
 *
 * Readers see the old rule or the new one; for one moment, while the new
 * one is linked at its place, possibly both (the first in order decides).
 */
int rp_rule_set(struct rp_tables *t, const struct rp_rule_spec *spec,
		struct netlink_ext_ack *extack)
{
	struct rp_rule_bucket *b;
	struct rp_rule *old, *r;
	int err;

	lockdep_assert_held(t->lock);
	old = xa_load(&t->rules_by_id, spec->id);
	if (!old) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ID: no rule with this id");
		return -ENOENT;
	}
	err = rp_rule_spec_check(t, spec, extack);
	if (err)
		return err;
	b = rp_rule_bucket(t, spec);
	if (IS_ERR(b))
		return PTR_ERR(b);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		rp_rule_bucket_put(t, spec);
		return -ENOMEM;
	}
	atomic64_set(&r->hits, atomic64_read(&old->hits));
	rp_rule_publish(t, r, spec, b);
	/* replacing an existing entry allocates nothing: cannot fail */
	WARN_ON(xa_is_err(xa_store(&t->rules_by_id, spec->id, r,
				   GFP_KERNEL_ACCOUNT)));
	rp_rule_unlink(t, old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_rule_set);

int rp_rule_del(struct rp_tables *t, u32 id, struct netlink_ext_ack *extack)
{
	struct rp_rule *r;

	lockdep_assert_held(t->lock);
	r = xa_erase(&t->rules_by_id, id);
	if (!r) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ID: no rule with this id");
		return -ENOENT;
	}
	rp_rule_unlink(t, r);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_rule_del);

void rp_rules_flush(struct rp_tables *t)
{
	struct rp_rule *r, *tmp;

	lockdep_assert_held(t->lock);
	list_for_each_entry_safe(r, tmp, &t->rules, list) {
		xa_erase(&t->rules_by_id, r->s.id);
		rp_rule_unlink(t, r);
	}
	t->next_rule_id = 1;
}
EXPORT_SYMBOL_IF_KUNIT(rp_rules_flush);

/* Remove every address space; fails (removing none) while rules name one. */
int rp_vms_flush(struct rp_tables *t, struct netlink_ext_ack *extack)
{
	struct rp_vm *vm;
	unsigned long id;
	int err;

	lockdep_assert_held(t->lock);
	xa_for_each(&t->vms, id, vm)
		if (vm->ctr->rule_refs) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_FLUSH: rules name VMs; flush rules too");
			return -EBUSY;
		}
	xa_for_each(&t->vms, id, vm) {
		err = rp_vm_del(t, id, extack);
		if (WARN_ON(err))
			return err;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_vms_flush);
