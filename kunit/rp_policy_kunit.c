// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the address-space table (rp_table.c) and the policy
 * (rp_policy.c): lookups, overlapping prefixes and tenants, all-or-nothing
 * writes, and table-driven policy decisions.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <uapi/rdma/rdma_user_cm.h>

#include "../drivers/rdmapolicy/rp_policy.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct t_env {
	struct mutex lock;	/* the tables' writers' lock */
	struct rp_tables *t;
};

static int t_init(struct kunit *test)
{
	struct t_env *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

	if (!e)
		return -ENOMEM;
	mutex_init(&e->lock);
	e->t = rp_tables_alloc(&e->lock);
	if (!e->t)
		return -ENOMEM;
	test->priv = e;
	return 0;
}

static void t_exit(struct kunit *test)
{
	struct t_env *e = test->priv;

	synchronize_rcu();
	rcu_barrier();		/* VMs and rules freed with call_rcu */
	rp_tables_free(e->t);
}

/*
 * Cases run as writers: they take the tables' lock and drop it with
 * t_unlock() at their end.  A failed assertion leaves it held, which
 * lockdep then reports as well: the run fails either way.
 */
static struct rp_tables *t_lock(struct kunit *test)
{
	struct t_env *e = test->priv;

	mutex_lock(&e->lock);
	return e->t;
}

static void t_unlock(struct kunit *test)
{
	struct t_env *e = test->priv;

	mutex_unlock(&e->lock);
}

/* "10.0.0.1" or "fd00::1" -> v4-mapped/v6 address */
static struct in6_addr t_addr(const char *s)
{
	struct in6_addr a = { };

	/* in4_pton() refuses zero octets such as 10.0.0.1; in_aton() not */
	if (!strchr(s, ':'))
		ipv6_addr_set_v4mapped(in_aton(s), &a);
	else
		WARN_ON(!in6_pton(s, -1, a.s6_addr, -1, NULL));
	return a;
}

static struct rp_prefix t_pfx(const char *s, int plen)
{
	struct rp_prefix p = { .addr = t_addr(s), .plen = plen };

	if (ipv6_addr_v4mapped(&p.addr))
		p.plen += 96;
	rp_prefix_mask(&p);
	return p;
}

static struct rp_vm_spec *t_vm(struct kunit *test, u32 id, const char *name,
			       u32 tenant, int ifindex, const char *addr,
			       int plen)
{
	struct rp_vm_spec *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->id = id;
	strscpy(s->name, name, sizeof(s->name));
	s->tenant = tenant;
	if (ifindex) {
		s->nports = 1;
		s->ports[0].ifindex = ifindex;
	} else {
		s->remote = true;
	}
	if (addr) {
		s->nprefixes = 1;
		s->prefixes[0] = t_pfx(addr, plen);
	}
	return s;
}

static struct rp_vm *t_lookup(struct rp_tables *t, u32 tenant, const char *a)
{
	struct in6_addr addr = t_addr(a);

	return rp_vm_by_addr(t, tenant, &addr);
}

static void t_table_lookups(struct kunit *test)
{
	struct rp_tables *t = t_lock(test);
	struct rp_vm_spec *a = t_vm(test, 1, "web1", 7, 11, "10.0.0.0", 16);
	struct rp_vm_spec *b = t_vm(test, 2, "web2", 7, 12, "10.0.5.0", 24);
	struct rp_vm_spec *c = t_vm(test, 3, "other", 8, 13, "10.0.5.0", 24);
	struct rp_vm_spec *d = t_vm(test, 4, "v6", 7, 14, "fd00:7::", 64);

	KUNIT_ASSERT_EQ(test, rp_vm_add(t, a, NULL), 0);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, b, NULL), 0);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, c, NULL), 0);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, d, NULL), 0);
	KUNIT_EXPECT_EQ(test, t->nvms, 4);

	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_id(t, 2), rp_vm_by_name(t, "web2"));
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_id(t, 2), rp_vm_by_port(t, 12));
	KUNIT_EXPECT_NULL(test, rp_vm_by_id(t, 5));
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "web3"));
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 99));

	/* longest prefix within the tenant */
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.0.5.7"), rp_vm_by_id(t, 2));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.0.6.1"), rp_vm_by_id(t, 1));
	/* same prefix, other tenant: a different VM */
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 8, "10.0.5.7"), rp_vm_by_id(t, 3));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 8, "10.0.6.1"));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 9, "10.0.5.7"));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.1.0.1"));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "fd00:7::42"), rp_vm_by_id(t, 4));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "fd00:8::42"));

	/* removing the /24 uncovers the /16 */
	KUNIT_ASSERT_EQ(test, rp_vm_del(t, 2, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.0.5.7"), rp_vm_by_id(t, 1));
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 12));
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "web2"));
	KUNIT_EXPECT_EQ(test, rp_vm_del(t, 2, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, t->nvms, 3);
	t_unlock(test);
}

/* A refused add leaves every index as it was. */
static void t_table_all_or_nothing(struct kunit *test)
{
	struct rp_tables *t = t_lock(test);
	struct rp_vm_spec *a = t_vm(test, 1, "a", 7, 11, "10.0.0.1", 32);
	struct rp_vm_spec *s;

	KUNIT_ASSERT_EQ(test, rp_vm_add(t, a, NULL), 0);

	s = t_vm(test, 1, "b", 7, 12, "10.0.0.2", 32);		/* same id */
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EEXIST);
	s = t_vm(test, 2, "a", 7, 12, "10.0.0.2", 32);		/* same name */
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EEXIST);
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 12));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.0.0.2"));

	/* port taken: name and prefix of the new VM must not stay indexed */
	s = t_vm(test, 2, "b", 7, 11, "10.0.0.2", 32);
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EBUSY);
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "b"));
	KUNIT_EXPECT_NULL(test, rp_vm_by_id(t, 2));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.0.0.2"));
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 11), rp_vm_by_id(t, 1));

	/* prefix taken in the tenant: port of the new VM must not stay */
	s = t_vm(test, 2, "b", 7, 12, "10.0.0.1", 32);
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EEXIST);
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 12));
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "b"));

	/*
	 * remote address spaces have no MACs (their ports are overlay
	 * devices: rp_nl_vm.c checks the kind where it names them)
	 */
	s = t_vm(test, 2, "b", 7, 12, "10.0.0.2", 32);
	s->remote = true;
	s->nmacs = 1;
	eth_random_addr(s->macs[0]);
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->nvms, 1);

	s = t_vm(test, 0, "z", 7, 12, NULL, 0);
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -EINVAL);
	t_unlock(test);
}

static void t_table_change(struct kunit *test)
{
	struct rp_tables *t = t_lock(test);
	struct rp_vm_spec *a = t_vm(test, 1, "a", 7, 11, "10.0.0.1", 32);
	struct rp_vm_spec *b = t_vm(test, 2, "b", 7, 12, "10.0.0.2", 32);
	struct rp_vm_spec *s;
	struct rp_vm *old;

	KUNIT_ASSERT_EQ(test, rp_vm_add(t, a, NULL), 0);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, b, NULL), 0);
	old = rp_vm_by_id(t, 1);
	atomic64_set(&old->ctr->allowed, 5);

	/* new name, a second port, the address moved */
	s = t_vm(test, 1, "a2", 7, 11, "10.0.0.3", 32);
	s->nports = 2;
	s->ports[1].ifindex = 21;
	KUNIT_ASSERT_EQ(test, rp_vm_set(t, s, NULL), 0);
	KUNIT_EXPECT_PTR_NE(test, rp_vm_by_id(t, 1), old);
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_name(t, "a2"), rp_vm_by_id(t, 1));
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "a"));
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 11), rp_vm_by_id(t, 1));
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 21), rp_vm_by_id(t, 1));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.0.0.1"));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.0.0.3"), rp_vm_by_id(t, 1));
	/* counters carry over */
	KUNIT_EXPECT_EQ(test, atomic64_read(&rp_vm_by_id(t, 1)->ctr->allowed),
			5);

	/* a change that collides with b changes nothing */
	old = rp_vm_by_id(t, 1);
	s = t_vm(test, 1, "a3", 7, 12, "10.0.0.9", 32);
	KUNIT_EXPECT_EQ(test, rp_vm_set(t, s, NULL), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_id(t, 1), old);
	KUNIT_EXPECT_NULL(test, rp_vm_by_name(t, "a3"));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.0.0.9"));
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 12), rp_vm_by_id(t, 2));

	/* moving to another tenant moves the address lookup with it */
	s = t_vm(test, 1, "a2", 9, 11, "10.0.0.3", 32);
	KUNIT_ASSERT_EQ(test, rp_vm_set(t, s, NULL), 0);
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.0.0.3"));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 9, "10.0.0.3"), rp_vm_by_id(t, 1));
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 21));

	s = t_vm(test, 5, "none", 7, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, rp_vm_set(t, s, NULL), -ENOENT);
	t_unlock(test);
}

/* ---- policy ---- */

enum { V1 = 1, V2, V3, R9 = 9 };

static struct rp_sel t_sel_vm(u32 id)
{
	return (struct rp_sel){ .type = RP_SEL_VM, .vm = id };
}

static struct rp_sel t_sel_tenant(u32 tenant)
{
	return (struct rp_sel){ .type = RP_SEL_TENANT, .tenant = tenant };
}

static struct rp_sel t_sel_pfx(const char *a, int plen)
{
	return (struct rp_sel){ .type = RP_SEL_PREFIX, .pfx = t_pfx(a, plen) };
}

static void t_policy_setup(struct kunit *test, struct rp_tables *t)
{
	struct rp_rule_spec r[] = {
		{ .id = 1, .prio = 100, .src = t_sel_vm(V1), .dst = t_sel_vm(V2),
		  .ps = RDMA_PS_TCP, .port_min = 18515, .port_max = 18520,
		  .qp_types = RP_QP_RC, .action = RP_ACT_ALLOW,
		  .rights = RP_RIGHT_SEND | RP_RIGHT_WRITE | RP_RIGHT_READ },
		{ .id = 2, .prio = 100, .src = t_sel_tenant(7),
		  .dst = t_sel_tenant(7), .any_service = true,
		  .qp_types = RP_QP_ALL, .action = RP_ACT_ALLOW,
		  .rights = RP_RIGHT_SEND },
		{ .id = 3, .prio = 50, .dst = t_sel_vm(V3), .any_service = true,
		  .qp_types = RP_QP_ALL, .action = RP_ACT_DENY },
		{ .id = 4, .prio = 200, .src = t_sel_pfx("10.10.0.0", 24),
		  .dst = t_sel_pfx("10.30.0.0", 24), .any_service = true,
		  .qp_types = RP_QP_ALL, .action = RP_ACT_ALLOW,
		  .rights = RP_RIGHT_SEND | RP_RIGHT_WRITE },
		{ .id = 5, .prio = 100, .src = t_sel_vm(V1), .dst = t_sel_vm(V2),
		  .ps = RDMA_PS_TCP, .port_min = 18515, .port_max = 18515,
		  .qp_types = RP_QP_RC, .action = RP_ACT_ALLOW,
		  .rights = RP_RIGHT_ALL },
	};
	int i;

	static const struct {
		u32 id, tenant;
		int ifindex;
		const char *name, *addr;
		int plen;
	} vms[] = {
		{ V1, 7, 11, "v1", "10.10.0.1", 32 },
		{ V2, 7, 12, "v2", "10.10.0.2", 32 },
		{ V3, 8, 13, "v3", "10.20.0.3", 32 },
		{ R9, 7, 0, "far", "10.40.0.0", 24 },	/* remote */
	};

	for (i = 0; i < ARRAY_SIZE(vms); i++) {
		struct rp_vm_spec *s = t_vm(test, vms[i].id, vms[i].name,
					    vms[i].tenant, vms[i].ifindex,
					    vms[i].addr, vms[i].plen);

		KUNIT_ASSERT_EQ(test, rp_vm_add(t, s, NULL), 0);
	}
	for (i = 0; i < ARRAY_SIZE(r); i++)
		KUNIT_ASSERT_EQ(test, rp_rule_add(t, &r[i], NULL), 0);
}

struct t_pcase {
	const char *name;
	u32 src;		/* VM id */
	u32 dst;		/* VM id, 0: unknown address */
	const char *daddr;	/* for an unknown destination */
	u16 ps;
	u16 port;
	u32 qp;
	u8 action;
	u32 rule;		/* 0: default deny */
	u32 rights;
};

static const struct t_pcase t_pcases[] = {
	{ "single_port_beats_range", V1, V2, NULL, RDMA_PS_TCP, 18515, RP_QP_RC,
	  RP_ACT_ALLOW, 5, RP_RIGHT_ALL },
	{ "vm_range_beats_tenant", V1, V2, NULL, RDMA_PS_TCP, 18516, RP_QP_RC,
	  RP_ACT_ALLOW, 1, RP_RIGHT_SEND | RP_RIGHT_WRITE | RP_RIGHT_READ },
	{ "range_upper_edge", V1, V2, NULL, RDMA_PS_TCP, 18520, RP_QP_RC,
	  RP_ACT_ALLOW, 1, RP_RIGHT_SEND | RP_RIGHT_WRITE | RP_RIGHT_READ },
	{ "past_range_falls_to_tenant", V1, V2, NULL, RDMA_PS_TCP, 18521,
	  RP_QP_RC, RP_ACT_ALLOW, 2, RP_RIGHT_SEND },
	{ "qp_type_mismatch", V1, V2, NULL, RDMA_PS_TCP, 18516, RP_QP_UD,
	  RP_ACT_ALLOW, 2, RP_RIGHT_SEND },
	{ "port_space_mismatch", V1, V2, NULL, RDMA_PS_UDP, 18516, RP_QP_RC,
	  RP_ACT_ALLOW, 2, RP_RIGHT_SEND },
	{ "reverse_direction", V2, V1, NULL, RDMA_PS_TCP, 18516, RP_QP_RC,
	  RP_ACT_ALLOW, 2, RP_RIGHT_SEND },
	{ "lower_prio_deny_wins", V1, V3, NULL, RDMA_PS_TCP, 18516, RP_QP_RC,
	  RP_ACT_DENY, 3, 0 },
	{ "cross_tenant_default_deny", V3, V1, NULL, RDMA_PS_TCP, 1, RP_QP_RC,
	  RP_ACT_DENY, 0, 0 },
	{ "remote_in_tenant", V1, R9, NULL, RDMA_PS_TCP, 1, RP_QP_XRC,
	  RP_ACT_ALLOW, 2, RP_RIGHT_SEND },
	{ "unknown_dst_by_prefix", V1, 0, "10.30.0.5", RDMA_PS_IB, 9, RP_QP_UC,
	  RP_ACT_ALLOW, 4, RP_RIGHT_SEND | RP_RIGHT_WRITE },
	{ "unknown_dst_default_deny", V1, 0, "10.99.0.1", RDMA_PS_TCP, 9,
	  RP_QP_RC, RP_ACT_DENY, 0, 0 },
};

static void t_pcase_desc(const struct t_pcase *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_policy, t_pcases, t_pcase_desc);

static void t_policy_decide(struct kunit *test)
{
	struct rp_tables *t = t_lock(test);
	const struct t_pcase *c = test->param_value;
	struct rp_decision d;
	struct rp_query q = { };
	struct rp_vm *dst;

	t_policy_setup(test, t);
	q.src_vm = rp_vm_by_id(t, c->src);
	dst = c->dst ? rp_vm_by_id(t, c->dst) : NULL;
	q.dst_vm = dst;
	q.saddr = rp_vm_prefix(q.src_vm, 0).addr;
	q.daddr = dst ? rp_vm_prefix(dst, 0).addr : t_addr(c->daddr);
	if (dst && dst->s.remote)	/* an address inside the prefix */
		q.daddr.s6_addr[15] = 5;
	q.ps = c->ps;
	q.port = c->port;
	q.qp_type = c->qp;

	rp_policy_eval(t, &q, &d);
	KUNIT_EXPECT_EQ(test, d.action, c->action);
	KUNIT_EXPECT_EQ(test, d.rule ? d.rule->s.id : 0, c->rule);
	KUNIT_EXPECT_EQ(test, d.rights, c->rights);
	if (d.rule)
		KUNIT_EXPECT_EQ(test, atomic64_read(&d.rule->hits), 1);
	t_unlock(test);
}

static void t_policy_changes(struct kunit *test)
{
	struct rp_tables *t = t_lock(test);
	struct rp_rule_spec r = { .prio = 1, .src = t_sel_vm(V1),
				  .any_service = true, .qp_types = RP_QP_ALL,
				  .action = RP_ACT_DENY };
	struct rp_query q = { .ps = RDMA_PS_TCP, .port = 18516,
			      .qp_type = RP_QP_RC };
	struct rp_decision d;

	t_policy_setup(test, t);
	q.src_vm = rp_vm_by_id(t, V1);
	q.dst_vm = rp_vm_by_id(t, V2);

	/* a kernel-chosen id, then it takes precedence */
	KUNIT_ASSERT_EQ(test, rp_rule_add(t, &r, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.id, 6);
	rp_policy_eval(t, &q, &d);
	KUNIT_EXPECT_EQ(test, d.rule->s.id, 6);
	KUNIT_EXPECT_EQ(test, d.action, RP_ACT_DENY);

	/* rules keep the VMs they name */
	KUNIT_EXPECT_EQ(test, rp_vm_del(t, V1, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, rp_vms_flush(t, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, t->nvms, 4);

	/* change it to a lower priority: rule 1 decides again */
	r.prio = 1000;
	KUNIT_ASSERT_EQ(test, rp_rule_set(t, &r, NULL), 0);
	rp_policy_eval(t, &q, &d);
	KUNIT_EXPECT_EQ(test, d.rule->s.id, 1);
	KUNIT_EXPECT_EQ(test, t->nrules, 6);

	KUNIT_EXPECT_EQ(test, rp_rule_del(t, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, rp_rule_del(t, 1, NULL), -ENOENT);
	rp_policy_eval(t, &q, &d);
	KUNIT_EXPECT_EQ(test, d.rule->s.id, 2);

	/* invalid rules are refused and change nothing */
	r.id = 0;
	r.action = RP_ACT_ALLOW;
	r.rights = 0;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r.rights = RP_RIGHT_SEND;
	r.dst = t_sel_vm(77);
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -ENOENT);
	r.dst = t_sel_vm(V2);
	r.any_service = false;
	r.port_min = 10;
	r.port_max = 9;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r.id = 2;
	r.port_max = 11;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, t->nrules, 5);

	rp_rules_flush(t);
	KUNIT_EXPECT_EQ(test, t->nrules, 0);
	rp_policy_eval(t, &q, &d);
	KUNIT_EXPECT_NULL(test, d.rule);
	KUNIT_EXPECT_EQ(test, d.action, RP_ACT_DENY);
	KUNIT_EXPECT_EQ(test, rp_vms_flush(t, NULL), 0);
	KUNIT_EXPECT_EQ(test, t->nvms, 0);
	t_unlock(test);
}

static void t_policy_order(struct kunit *test)
{
	enum { VM, P32, P24, TEN, ANY, PORT, RANGE, ONLYRC, N };
	struct rp_rule_spec *r = kunit_kcalloc(test, N, sizeof(*r), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < N; i++) {
		r[i].any_service = true;
		r[i].qp_types = RP_QP_ALL;
	}
	r[VM].src = t_sel_vm(1);
	r[P32].src = t_sel_pfx("10.0.0.1", 32);
	r[P24].src = t_sel_pfx("10.0.0.0", 24);
	r[TEN].src = t_sel_tenant(7);
	r[PORT].any_service = false;
	r[PORT].port_min = 5;
	r[PORT].port_max = 5;
	r[RANGE] = r[PORT];
	r[RANGE].port_max = 6;
	r[ONLYRC].qp_types = RP_QP_RC;

	KUNIT_EXPECT_GT(test, rp_rule_order(&r[VM]), rp_rule_order(&r[P32]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[P32]), rp_rule_order(&r[P24]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[P24]), rp_rule_order(&r[TEN]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[TEN]), rp_rule_order(&r[ANY]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[PORT]), rp_rule_order(&r[RANGE]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[RANGE]), rp_rule_order(&r[ANY]));
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[ONLYRC]), rp_rule_order(&r[ANY]));
	/* the source outranks everything about the service */
	KUNIT_EXPECT_GT(test, rp_rule_order(&r[TEN]), rp_rule_order(&r[PORT]));
}

/* The first rule in evaluation order that matches: what the index must give */
static const struct rp_rule *t_first_match(struct rp_tables *t,
					   const struct rp_query *q)
{
	const struct rp_rule *r;

	list_for_each_entry(r, &t->rules, list)
		if (rp_rule_match(r, q))
			return r;
	return NULL;
}

static struct rp_sel t_random_sel(void)
{
	static const u32 vms[] = { V1, V2, V3, R9 };

	switch (get_random_u32_below(4)) {
	case 0:
		return t_sel_vm(vms[get_random_u32_below(4)]);
	case 1:
		return t_sel_tenant(7 + get_random_u32_below(2));
	case 2:
		return t_sel_pfx("10.10.0.0", 16 + get_random_u32_below(17));
	default:
		return (struct rp_sel){ .type = RP_SEL_ANY };
	}
}

static void t_random_rule(struct rp_rule_spec *r, u32 id)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->prio = get_random_u32_below(4);
	r->src = t_random_sel();
	r->dst = t_random_sel();
	r->any_service = get_random_u32_below(2);
	if (!r->any_service) {
		r->ps = RDMA_PS_TCP;
		r->port_min = 1 + get_random_u32_below(4);
		r->port_max = r->port_min + get_random_u32_below(3);
	}
	r->qp_types = 1 + get_random_u32_below(RP_QP_ALL);
	r->action = get_random_u32_below(2) ? RP_ACT_ALLOW : RP_ACT_DENY;
	r->rights = r->action == RP_ACT_ALLOW ? RP_RIGHT_SEND : 0;
}

/*
 * The per-source index decides as one walk of all rules in evaluation
 * order would: random rules, random queries, after adds, changes and
 * deletes; and a VM's bucket goes with its last rule.
 */
static void t_policy_index(struct kunit *test)
{
	static const u32 vms[] = { V1, V2, V3, R9 };
	struct rp_tables *t = t_lock(test);
	struct rp_rule_spec r;
	struct rp_query q;
	struct rp_decision d;
	int round, i;
	u32 id;

	t_policy_setup(test, t);
	rp_rules_flush(t);
	KUNIT_EXPECT_TRUE(test, xa_empty(&t->rules_by_src));
	for (round = 0; round < 4; round++) {
		for (id = 1; id <= 60; id++) {
			t_random_rule(&r, id);
			if (round == 0)
				KUNIT_ASSERT_EQ(test, rp_rule_add(t, &r, NULL),
						0);
			else if (get_random_u32_below(3))
				KUNIT_ASSERT_EQ(test, rp_rule_set(t, &r, NULL),
						0);
		}
		for (i = 0; i < 500; i++) {
			const struct rp_rule *want;

			memset(&q, 0, sizeof(q));
			q.src_vm = rp_vm_by_id(t, vms[get_random_u32_below(4)]);
			q.dst_vm = get_random_u32_below(4) ?
				   rp_vm_by_id(t, vms[get_random_u32_below(4)]) :
				   NULL;
			q.saddr = t_addr(get_random_u32_below(2) ?
					 "10.10.0.1" : "10.20.0.3");
			q.daddr = t_addr("10.10.7.7");
			q.ps = RDMA_PS_TCP;
			q.port = 1 + get_random_u32_below(6);
			q.qp_type = BIT(get_random_u32_below(4));
			want = t_first_match(t, &q);
			rp_policy_eval(t, &q, &d);
			KUNIT_ASSERT_PTR_EQ_MSG(test, d.rule, want,
						"round %d query %d", round, i);
			KUNIT_EXPECT_EQ(test, d.action,
					want ? want->s.action : RP_ACT_DENY);
		}
	}
	for (id = 1; id <= 60; id++)
		KUNIT_EXPECT_EQ(test, rp_rule_del(t, id, NULL), 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&t->rules_by_src));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->rules_other));
	t_unlock(test);
}

/*
 * A VM is allocated to the size of what it has: one port, MAC and prefix
 * fit in 128 bytes (kmalloc-128), and so does a remote one with one prefix;
 * the most of each all kept and indexed; more than the most refused.
 */
static void t_table_vm_size(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 1 };
	struct rp_tables *t = t_lock(test);
	struct rp_vm_spec *s = t_vm(test, 1, "one", 7, 11, "10.0.0.1", 32);
	struct rp_vm_spec *back;
	struct rp_vm *vm;
	int i;

	s->nmacs = 1;
	memcpy(s->macs[0], mac, ETH_ALEN);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, s, NULL), 0);
	vm = rp_vm_by_id(t, 1);
	kunit_info(test, "VM with 1 port, 1 MAC, 1 prefix: %zu bytes (%zu allocated), spec %zu\n",
		   (size_t)((char *)&rp_vm_macs(vm)[1] - (char *)vm), ksize(vm),
		   sizeof(*s));
	if (BITS_PER_LONG == 64)
		KUNIT_EXPECT_EQ(test, (char *)&rp_vm_macs(vm)[1] - (char *)vm,
				126);
	KUNIT_EXPECT_LE(test, ksize(vm), 128);
	KUNIT_EXPECT_EQ(test, rp_vm_ports(vm)[0].ifindex, 11);
	KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 11), vm);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(rp_vm_macs(vm)[0], mac));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.0.0.1"), vm);

	s = t_vm(test, 2, "far", 7, 0, "10.0.1.0", 24);
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, s, NULL), 0);
	KUNIT_EXPECT_LE(test, ksize(rp_vm_by_id(t, 2)), 128);

	/* the most of everything; read back whole */
	s = t_vm(test, 3, "many", 7, 0, NULL, 0);
	s->remote = false;
	s->nports = RP_VM_MAX_PORTS;
	s->nmacs = RP_VM_MAX_MACS;
	s->nprefixes = RP_VM_MAX_PREFIXES;
	for (i = 0; i < RP_VM_MAX_PORTS; i++)
		s->ports[i].ifindex = 100 + i;
	for (i = 0; i < RP_VM_MAX_MACS; i++) {
		memcpy(s->macs[i], mac, ETH_ALEN);
		s->macs[i][5] = 0x10 + i;
	}
	for (i = 0; i < RP_VM_MAX_PREFIXES; i++) {
		char a[16];

		snprintf(a, sizeof(a), "10.3.%d.0", i);
		s->prefixes[i] = t_pfx(a, 24);
	}
	KUNIT_ASSERT_EQ(test, rp_vm_add(t, s, NULL), 0);
	vm = rp_vm_by_id(t, 3);
	back = kunit_kzalloc(test, sizeof(*back), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, back);
	rp_vm_spec_get(vm, back);
	KUNIT_EXPECT_EQ(test, back->nports, RP_VM_MAX_PORTS);
	KUNIT_EXPECT_EQ(test, back->nmacs, RP_VM_MAX_MACS);
	KUNIT_EXPECT_EQ(test, back->nprefixes, RP_VM_MAX_PREFIXES);
	KUNIT_EXPECT_STREQ(test, back->name, "many");
	for (i = 0; i < RP_VM_MAX_PORTS; i++) {
		KUNIT_EXPECT_EQ(test, back->ports[i].ifindex, 100 + i);
		KUNIT_EXPECT_PTR_EQ(test, rp_vm_by_port(t, 100 + i), vm);
	}
	KUNIT_EXPECT_EQ(test, memcmp(back->macs, s->macs, sizeof(s->macs)), 0);
	for (i = 0; i < RP_VM_MAX_PREFIXES; i++) {
		char a[16];

		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&back->prefixes[i].addr,
							&s->prefixes[i].addr));
		KUNIT_EXPECT_EQ(test, back->prefixes[i].plen,
				s->prefixes[i].plen);
		snprintf(a, sizeof(a), "10.3.%d.9", i);
		KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, a), vm);
	}
	/* changed to one of each: sized down, the rest unindexed */
	back->nports = 1;
	back->nmacs = 1;
	back->nprefixes = 1;
	KUNIT_ASSERT_EQ(test, rp_vm_set(t, back, NULL), 0);
	KUNIT_EXPECT_LE(test, ksize(rp_vm_by_id(t, 3)), 128);
	KUNIT_EXPECT_NULL(test, rp_vm_by_port(t, 101));
	KUNIT_EXPECT_NULL(test, t_lookup(t, 7, "10.3.1.9"));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, 7, "10.3.0.9"),
			    rp_vm_by_id(t, 3));

	/* counts over the most: refused, nothing added */
	s = t_vm(test, 4, "over", 7, 0, NULL, 0);
	s->remote = false;
	s->nports = RP_VM_MAX_PORTS + 1;
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -E2BIG);
	s->nports = 0;
	s->nmacs = RP_VM_MAX_MACS + 1;
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -E2BIG);
	s->nmacs = 0;
	s->nprefixes = RP_VM_MAX_PREFIXES + 1;
	KUNIT_EXPECT_EQ(test, rp_vm_add(t, s, NULL), -E2BIG);
	KUNIT_EXPECT_NULL(test, rp_vm_by_id(t, 4));
	KUNIT_EXPECT_EQ(test, t->nvms, 3);
	t_unlock(test);
}

static struct kunit_case rp_table_cases[] = {
	KUNIT_CASE(t_table_lookups),
	KUNIT_CASE(t_table_all_or_nothing),
	KUNIT_CASE(t_table_change),
	KUNIT_CASE(t_table_vm_size),
	{}
};

static struct kunit_case rp_policy_cases[] = {
	KUNIT_CASE_PARAM(t_policy_decide, t_policy_gen_params),
	KUNIT_CASE(t_policy_changes),
	KUNIT_CASE(t_policy_order),
	KUNIT_CASE(t_policy_index),
	{}
};

static struct kunit_suite rp_table_suite = {
	.name = "rdmapolicy_table",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_table_cases,
};

static struct kunit_suite rp_policy_suite = {
	.name = "rdmapolicy_policy",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_policy_cases,
};

kunit_test_suites(&rp_table_suite, &rp_policy_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy tables and policy");
