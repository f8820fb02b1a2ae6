// SPDX-License-Identifier: GPL-2.0
/*
 * The policy engine (drivers/rdmapolicy/rp_policy.c over rp_table.c):
 * rp_policy_eval() over fuzzed VMs, rule sets and queries, compared with a
 * naive reference walk written here from the documented semantics.
 *
 * Input: a program, one op per step (op byte, then its arguments): add,
 * change or delete a VM or a rule, flush, query, or let the next write run
 * out of memory after a few allocations.  Values are kept to what netlink
 * lets through (prefix lengths <= 128 and masked, selector types and
 * actions in range, rights and QP types within their masks) and to small
 * pools, so that ids, names, ports and prefixes collide.
 *
 * The reference keeps its own copy of every VM and rule the code accepted
 * and checks: a write is accepted exactly when the reference finds it
 * valid (unless memory ran out), a failed write leaves everything as it
 * was, the evaluation-order list is sorted and complete, lookups by id and
 * by address agree with a linear walk, and every query is decided by the
 * first matching rule in (priority, specificity, id) order, or denied.
 */
#include <rdma/rdma_user_cm.h>
#include "rp_policy.h"

#include "fuzz.h"

#define NVM		6	/* VM ids 1..NVM */
#define NRULE		48
#define MAX_OPS		64

struct ref_vm {
	bool present;
	struct rp_vm_spec s;
};

static struct ref_vm ref_vms[NVM + 2];	/* NVM + 1: never added */
static struct rp_rule_spec ref_rules[NRULE];
static unsigned int ref_nrules;

static const u16 ps_pool[] = { RDMA_PS_TCP, RDMA_PS_UDP, RDMA_PS_IB,
			       RDMA_PS_IPOIB };
static const u16 port_pool[] = { 0, 1, 7470, 7471, 7472, 65534, 65535 };

static void fz_addr(struct fz *f, struct in6_addr *a)
{
	u8 k = fz_u8(f);

	memset(a, 0, sizeof(*a));
	if (k & 0x80) {		/* IPv6 fd00::/8-ish, few distinct */
		a->s6_addr[0] = 0xfd;
		a->s6_addr[1] = k & 3;
		a->s6_addr[15] = fz_u8(f) & 7;
	} else {		/* 10.x.y.z, v4-mapped */
		a->s6_addr[10] = 0xff;
		a->s6_addr[11] = 0xff;
		a->s6_addr[12] = 10;
		a->s6_addr[13] = k & 1;
		a->s6_addr[14] = k >> 1 & 3;
		a->s6_addr[15] = k >> 3 & 7;
	}
}

static void fz_prefix(struct fz *f, struct rp_prefix *p)
{
	u8 l;

	fz_addr(f, &p->addr);
	l = fz_u8(f);
	if (ipv6_addr_v4mapped(&p->addr))
		p->plen = 96 + l % 33;
	else
		p->plen = l % 129;
	rp_prefix_mask(p);	/* as the netlink layer does */
}

static void fz_vm_spec(struct fz *f, struct rp_vm_spec *s)
{
	u8 k = fz_u8(f);
	int i;

	memset(s, 0, sizeof(*s));
	s->id = k % (NVM + 1);		/* 0: refused */
	s->tenant = k >> 4 & 1;
	s->remote = k >> 5 & 1;
	k = fz_u8(f);
	snprintf(s->name, sizeof(s->name), "%s%u", k & 0x80 ? "" : "vm",
		 k % 5);
	if (k & 0x40)
		s->name[0] = 0;		/* refused */
	k = fz_u8(f);
	s->nports = k % 3;
	s->nmacs = k >> 2 & 1;
	s->nprefixes = (k >> 3) % 4;
	for (i = 0; i < s->nports; i++)
		s->ports[i].ifindex = 1 + fz_u8(f) % 6;
	for (i = 0; i < s->nmacs; i++)
		s->macs[i][5] = fz_u8(f);
	for (i = 0; i < s->nprefixes; i++)
		fz_prefix(f, &s->prefixes[i]);
}

static void fz_sel(struct fz *f, struct rp_sel *s)
{
	u8 k = fz_u8(f);

	memset(s, 0, sizeof(*s));
	/*
	 * the reference walk below knows no group selectors (multicast:
	 * rp_mcast_kunit.c covers their rules); every other type
	 */
	s->type = k % RP_SEL_GROUP;
	if (s->type == RP_SEL_VM)
		s->vm = 1 + (k >> 2) % (NVM + 1);	/* NVM + 1: none */
	else if (s->type == RP_SEL_TENANT)
		s->tenant = k >> 2 & 1;
	else if (s->type == RP_SEL_PREFIX)
		fz_prefix(f, &s->pfx);
}

static void fz_rule_spec(struct fz *f, struct rp_rule_spec *s)
{
	u8 k = fz_u8(f);

	memset(s, 0, sizeof(*s));
	s->id = k % 12;			/* 0: allocate */
	s->prio = k >> 4 & 3;
	fz_sel(f, &s->src);
	fz_sel(f, &s->dst);
	k = fz_u8(f);
	s->any_service = k & 1;
	if (!s->any_service) {
		s->ps = ps_pool[k >> 1 & 3];
		s->port_min = port_pool[(k >> 3) % ARRAY_SIZE(port_pool)];
		k = fz_u8(f);
		s->port_max = port_pool[k % ARRAY_SIZE(port_pool)];
	}
	k = fz_u8(f);
	s->qp_types = k & RP_QP_ALL;
	s->action = k >> 4 & 1;
	k = fz_u8(f);
	s->rights = k & RP_RIGHT_ALL;
	s->reply_rights = k >> 4 & RP_RIGHT_ALL;
}

/* the reference: validity, matching and order, from the documentation */

static bool ref_vm_spec_ok(const struct rp_vm_spec *s, bool set)
{
	unsigned int id, i, j, k;

	/* a remote space's ports are overlays (checked by netlink's parse) */
	if (!s->id || !s->name[0] || (s->remote && s->nmacs))
		return false;
	for (i = 0; i < s->nports; i++)
		for (j = 0; j < i; j++)
			if (s->ports[i].ifindex == s->ports[j].ifindex)
				return false;
	for (i = 0; i < s->nprefixes; i++)
		for (j = 0; j < i; j++)
			if (s->prefixes[i].plen == s->prefixes[j].plen &&
			    ipv6_addr_equal(&s->prefixes[i].addr,
					    &s->prefixes[j].addr))
				return false;
	if (set != ref_vms[s->id].present)
		return false;
	if (set && ref_vms[s->id].s.remote != s->remote)
		return false;
	for (id = 1; id <= NVM; id++) {
		const struct rp_vm_spec *o = &ref_vms[id].s;

		if (!ref_vms[id].present || id == s->id)
			continue;
		if (!strcmp(o->name, s->name))
			return false;
		for (i = 0; i < s->nports; i++)
			for (k = 0; k < o->nports; k++)
				if (s->ports[i].ifindex == o->ports[k].ifindex)
					return false;
		for (i = 0; i < s->nprefixes; i++)
			for (k = 0; k < o->nprefixes; k++)
				if (o->tenant == s->tenant &&
				    o->prefixes[k].plen == s->prefixes[i].plen &&
				    ipv6_addr_equal(&o->prefixes[k].addr,
						    &s->prefixes[i].addr))
					return false;
	}
	return true;
}

static bool ref_sel_ok(const struct rp_sel *s)
{
	return s->type != RP_SEL_VM ||
	       (s->vm <= NVM && ref_vms[s->vm].present);
}

static struct rp_rule_spec *ref_rule(u32 id)
{
	unsigned int i;

	for (i = 0; i < ref_nrules; i++)
		if (ref_rules[i].id == id)
			return &ref_rules[i];
	return NULL;
}

static bool ref_rule_spec_ok(const struct rp_rule_spec *s)
{
	if (!s->any_service && s->port_min > s->port_max)
		return false;
	if (!s->qp_types)
		return false;
	if (s->action == RP_ACT_ALLOW && !s->rights)
		return false;
	if (s->action == RP_ACT_DENY && (s->rights || s->reply_rights))
		return false;
	return ref_sel_ok(&s->src) && ref_sel_ok(&s->dst);
}

static bool ref_prefix_match(const struct rp_prefix *p,
			     const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < p->plen; i++)
		if ((p->addr.s6_addr[i / 8] ^ a->s6_addr[i / 8]) &
		    (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool ref_sel_match(const struct rp_sel *s, u32 vm,
			  const struct in6_addr *a)
{
	switch (s->type) {
	case RP_SEL_ANY:
		return true;
	case RP_SEL_VM:
		return vm && vm == s->vm;
	case RP_SEL_TENANT:
		return vm && ref_vms[vm].s.tenant == s->tenant;
	default:
		return ref_prefix_match(&s->pfx, a);
	}
}

struct ref_query {
	u32 src_vm, dst_vm;	/* 0: none */
	struct in6_addr saddr, daddr;
	u16 ps, port;
	u32 qp_type;
};

static bool ref_match(const struct rp_rule_spec *r, const struct ref_query *q)
{
	if (!(r->qp_types & q->qp_type))
		return false;
	if (!r->any_service &&
	    (r->ps != q->ps || q->port < r->port_min || q->port > r->port_max))
		return false;
	return ref_sel_match(&r->src, q->src_vm, &q->saddr) &&
	       ref_sel_match(&r->dst, q->dst_vm, &q->daddr);
}

/* VM > prefix (longer first) > tenant > any */
static int ref_sel_rank(const struct rp_sel *s)
{
	switch (s->type) {
	case RP_SEL_VM:
		return 1000;
	case RP_SEL_PREFIX:
		return 10 + s->pfx.plen;
	case RP_SEL_TENANT:
		return 1;
	default:
		return 0;
	}
}

/* <0: @a is evaluated before @b */
static long ref_cmp(const struct rp_rule_spec *a, const struct rp_rule_spec *b)
{
	long d;

	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	d = ref_sel_rank(&b->src) - ref_sel_rank(&a->src);
	if (d)
		return d;
	d = ref_sel_rank(&b->dst) - ref_sel_rank(&a->dst);
	if (d)
		return d;
	/* a service before any; a narrower port range first */
	if (a->any_service != b->any_service)
		return a->any_service ? 1 : -1;
	if (!a->any_service) {
		d = (long)(a->port_max - a->port_min) -
		    (long)(b->port_max - b->port_min);
		if (d)
			return d;
	}
	d = (long)hweight32(a->qp_types) - (long)hweight32(b->qp_types);
	if (d)
		return d;
	return a->id < b->id ? -1 : a->id > b->id;
}

static unsigned int ref_rule_refs(u32 vm)
{
	unsigned int i, n = 0;

	for (i = 0; i < ref_nrules; i++)
		n += (ref_rules[i].src.type == RP_SEL_VM &&
		      ref_rules[i].src.vm == vm) +
		     (ref_rules[i].dst.type == RP_SEL_VM &&
		      ref_rules[i].dst.vm == vm);
	return n;
}

/* the longest prefix of a VM of @tenant holding @a: its id, or 0 */
static u32 ref_vm_by_addr(u32 tenant, const struct in6_addr *a)
{
	unsigned int id, i;
	int best = -1;
	u32 vm = 0;

	for (id = 1; id <= NVM; id++) {
		const struct rp_vm_spec *s = &ref_vms[id].s;

		if (!ref_vms[id].present || s->tenant != tenant)
			continue;
		for (i = 0; i < s->nprefixes; i++)
			if (s->prefixes[i].plen > best &&
			    ref_prefix_match(&s->prefixes[i], a)) {
				best = s->prefixes[i].plen;
				vm = id;
			}
	}
	return vm;
}

/* the tables against the reference, after every step */
static void check_tables(struct rp_tables *t)
{
	const struct rp_rule_spec *prev = NULL;
	struct rp_rule *r;
	unsigned int n = 0, id, i;

	list_for_each_entry(r, &t->rules, list) {
		const struct rp_rule_spec *s = ref_rule(r->s.id);

		FZ_CHECK(s && !memcmp(s, &r->s, sizeof(*s)),
			 "rule %u is not the one accepted", r->s.id);
		FZ_CHECK(!prev || ref_cmp(prev, s) < 0,
			 "rule %u out of order after rule %u", s->id, prev->id);
		FZ_CHECK(xa_load(&t->rules_by_id, s->id) == r, "rules_by_id");
		prev = s;
		n++;
	}
	FZ_CHECK(n == ref_nrules && t->nrules == n,
		 "%u rules listed, %u counted, %u accepted", n, t->nrules,
		 ref_nrules);
	for (n = 0, id = 0; id <= NVM + 1; id++) {
		struct rp_vm *vm = rp_vm_by_id(t, id);
		const struct rp_vm_spec *s = &ref_vms[id].s;

		if (id == 0 || id > NVM || !ref_vms[id].present) {
			FZ_CHECK(!vm, "VM %u not accepted but there", id);
			continue;
		}
		FZ_CHECK(vm && vm->s.id == id && vm->s.tenant == s->tenant &&
			 !strcmp(vm->s.name, s->name) &&
			 vm->s.nprefixes == s->nprefixes &&
			 vm->s.nports == s->nports, "VM %u", id);
		FZ_CHECK(rp_vm_by_name(t, s->name) == vm, "VM %u by name", id);
		for (i = 0; i < s->nports; i++)
			FZ_CHECK(rp_vm_by_port(t, s->ports[i].ifindex) == vm,
				 "VM %u by port", id);
		FZ_CHECK(vm->ctr->rule_refs == ref_rule_refs(id),
			 "VM %u: %u rule refs, %u rules name it", id,
			 vm->ctr->rule_refs, ref_rule_refs(id));
		n++;
	}
	FZ_CHECK(t->nvms == n, "%u VMs counted, %u accepted", t->nvms, n);
}

static void query(struct rp_tables *t, struct fz *f)
{
	const struct rp_rule_spec *best = NULL;
	struct rp_decision d;
	struct ref_query rq;
	struct rp_query q;
	unsigned int i;
	u8 k = fz_u8(f);
	u32 byaddr;

	memset(&rq, 0, sizeof(rq));
	rq.src_vm = k % (NVM + 1);
	if (!ref_vms[rq.src_vm].present)
		rq.src_vm = 0;
	fz_addr(f, &rq.saddr);
	fz_addr(f, &rq.daddr);
	k = fz_u8(f);
	rq.ps = ps_pool[k & 3];
	rq.port = port_pool[(k >> 2) % ARRAY_SIZE(port_pool)];
	rq.qp_type = 1u << (k >> 5 & 3);
	/* the responder as the exception path finds it: by address */
	byaddr = ref_vm_by_addr(rq.src_vm ? ref_vms[rq.src_vm].s.tenant : 0,
				&rq.daddr);
	rq.dst_vm = k & 0x80 ? byaddr : 0;

	memset(&q, 0, sizeof(q));
	q.src_vm = rq.src_vm ? rp_vm_by_id(t, rq.src_vm) : NULL;
	q.dst_vm = rp_vm_by_addr(t, rq.src_vm ? ref_vms[rq.src_vm].s.tenant : 0,
				 &rq.daddr);
	FZ_CHECK(q.dst_vm ? q.dst_vm->s.id == byaddr : !byaddr,
		 "rp_vm_by_addr: VM %u, reference %u",
		 q.dst_vm ? q.dst_vm->s.id : 0, byaddr);
	if (!(k & 0x80))
		q.dst_vm = NULL;
	q.saddr = rq.saddr;
	q.daddr = rq.daddr;
	q.ps = rq.ps;
	q.port = rq.port;
	q.qp_type = rq.qp_type;
	memset(&d, 0xa5, sizeof(d));
	rp_policy_eval(t, &q, &d);

	for (i = 0; i < ref_nrules; i++)
		if (ref_match(&ref_rules[i], &rq) &&
		    (!best || ref_cmp(&ref_rules[i], best) < 0))
			best = &ref_rules[i];
	if (!best) {
		FZ_CHECK(!d.rule && d.action == RP_ACT_DENY && !d.rights &&
			 !d.reply_rights, "no rule matches, rule %u decided",
			 d.rule ? d.rule->s.id : 0);
		return;
	}
	FZ_CHECK(d.rule && d.rule->s.id == best->id,
		 "rule %u decided, reference: rule %u",
		 d.rule ? d.rule->s.id : 0, best->id);
	FZ_CHECK(d.action == best->action &&
		 d.rights == (best->action == RP_ACT_ALLOW ? best->rights : 0) &&
		 d.reply_rights == (best->action == RP_ACT_ALLOW ?
				    best->reply_rights : 0), "decision");
}

static void step(struct rp_tables *t, struct fz *f, long *budget)
{
	struct netlink_ext_ack ext = { };
	struct rp_rule_spec rs, *old;
	struct rp_vm_spec vs;
	bool ok, nomem = *budget >= 0;
	u8 op = fz_u8(f);
	unsigned int i;
	int err = 0;

	kshim_alloc_budget = *budget;
	*budget = -1;
	switch (op % 10) {
	case 0:
	case 1:
		fz_vm_spec(f, &vs);
		ok = ref_vm_spec_ok(&vs, op % 10 == 1);
		err = op % 10 ? rp_vm_set(t, &vs, &ext) :
				rp_vm_add(t, &vs, &ext);
		if (!err) {
			ref_vms[vs.id].present = true;
			ref_vms[vs.id].s = vs;
		}
		break;
	case 2:
		i = fz_u8(f) % (NVM + 2);
		ok = i && i <= NVM && ref_vms[i].present && !ref_rule_refs(i);
		err = rp_vm_del(t, i, &ext);
		if (!err)
			ref_vms[i].present = false;
		break;
	case 3:
	case 4:
		fz_rule_spec(f, &rs);
		old = ref_rule(rs.id);
		if (op % 10 == 3) {
			if (ref_nrules == NRULE)
				return;	/* the reference is full */
			ok = ref_rule_spec_ok(&rs) && !(rs.id && old);
			err = rp_rule_add(t, &rs, &ext);
			if (!err) {
				FZ_CHECK(rs.id && !ref_rule(rs.id),
					 "new rule id %u", rs.id);
				ref_rules[ref_nrules++] = rs;
			}
		} else {
			ok = rs.id && old && ref_rule_spec_ok(&rs);
			err = rp_rule_set(t, &rs, &ext);
			if (!err)
				*old = rs;
		}
		break;
	case 5:
		i = fz_u8(f) % 12;
		old = ref_rule(i);
		ok = old;
		err = rp_rule_del(t, i, &ext);
		if (!err)
			*old = ref_rules[--ref_nrules];
		break;
	case 6:
		ok = true;
		rp_rules_flush(t);
		ref_nrules = 0;
		break;
	case 7:
		for (ok = true, i = 1; i <= NVM; i++)
			ok &= !ref_vms[i].present || !ref_rule_refs(i);
		err = rp_vms_flush(t, &ext);
		if (!err)
			for (i = 1; i <= NVM; i++)
				ref_vms[i].present = false;
		break;
	case 8:
		kshim_alloc_budget = -1;
		query(t, f);
		return;
	default:
		/* the next write may make this many allocations */
		*budget = fz_u8(f) % 4;
		return;
	}
	kshim_alloc_budget = -1;
	kshim_synchronize_rcu();
	if (err)
		FZ_CHECK(ext._msg || err == -ENOMEM,
			 "op %u: error %d without a message", op % 10, err);
	FZ_CHECK(!err == ok || (err == -ENOMEM && nomem),
		 "op %u: %d, reference: %s (%s)", op % 10, err,
		 ok ? "valid" : "invalid", ext._msg ? ext._msg : "");
	check_tables(t);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	struct rp_tables *t;
	struct mutex lock;	/* the tables' writers' lock, held throughout */
	long budget = -1;
	int n;

	memset(ref_vms, 0, sizeof(ref_vms));
	ref_nrules = 0;
	mutex_init(&lock);
	mutex_lock(&lock);
	kshim_alloc_budget = -1;
	t = rp_tables_alloc(&lock);
	FZ_CHECK(t, "rp_tables_alloc");
	for (n = 0; f.n && n < MAX_OPS; n++)
		step(t, &f, &budget);
	rp_rules_flush(t);
	kshim_synchronize_rcu();
	rp_tables_free(t);
	kshim_synchronize_rcu();
	mutex_unlock(&lock);
	return 0;
}
