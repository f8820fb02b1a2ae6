/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace's state with VMs and rules, for the KUnit suites that drive
 * the exception path (exc, learn, sidr, mcast): each test gets its own
 * struct rp_net in test->priv.
 */
#ifndef _RP_KUNIT_ENV_H
#define _RP_KUNIT_ENV_H

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "../drivers/rdmapolicy/rp_config.h"
#include "../drivers/rdmapolicy/rp_net.h"
#include "../drivers/rdmapolicy/rp_policy.h"

/*
 * A VM of tenant 7 named "vmID": one port (@ifindex), one MAC and one
 * IPv4 address (@addr, a /32), freed with the test.
 */
static inline struct rp_vm_spec *rp_kt_vm(struct kunit *test, u32 id,
					  int ifindex, const u8 *mac,
					  __be32 addr)
{
	struct rp_vm_spec *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->id = id;
	snprintf(s->name, sizeof(s->name), "vm%u", id);
	s->tenant = 7;
	s->nports = 1;
	s->ports[0].ifindex = ifindex;
	s->nmacs = 1;
	memcpy(s->macs[0], mac, ETH_ALEN);
	s->nprefixes = 1;
	ipv6_addr_set_v4mapped(addr, &s->prefixes[0].addr);
	s->prefixes[0].plen = 128;
	return s;
}

/*
 * test->priv: a namespace state (of init_net) with @nvms VMs and @nrules
 * rules added in one go; the suite's .init.
 */
static inline int rp_kt_net_init(struct kunit *test,
				 struct rp_vm_spec *const *vms, int nvms,
				 const struct rp_rule_spec *rules, int nrules)
{
	struct rp_net *rn = kunit_kzalloc(test, sizeof(*rn), GFP_KERNEL);
	struct rp_tables *t;
	int i, err = 0;

	if (!rn || rp_net_state_init(rn, &init_net))
		return -ENOMEM;
	test->priv = rn;
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	for (i = 0; i < nvms && !err; i++)
		err = rp_vm_add(t, vms[i], NULL);
	for (i = 0; i < nrules && !err; i++) {
		struct rp_rule_spec r = rules[i];

		err = rp_rule_add(t, &r, NULL);
	}
	mutex_unlock(&rn->lock);
	return err;
}

/* The suite's .exit: the state gone, its RCU callbacks run. */
static inline void rp_kt_net_exit(struct kunit *test)
{
	rp_net_state_exit(test->priv);
	rcu_barrier();
}

#endif
