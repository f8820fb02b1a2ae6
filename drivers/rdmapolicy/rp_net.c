// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: setup and teardown.  Locking: DOC: Locking
 * in rp_config.h.
 */
#include <kunit/visibility.h>

#include "rp_net.h"

unsigned int rp_net_id __read_mostly;

/**
 * rp_net_state_init() - set up the state of a namespace
 * @rn: the state (zeroed)
 * @net: its namespace
 *
 * Also what KUnit uses to get a namespace state of its own.
 */
int rp_net_state_init(struct rp_net *rn, struct net *net)
{
	struct rp_tables *t;
	int err;

	rn->net = net;
	mutex_init(&rn->lock);
	xa_init(&rn->bound);
	err = rp_conntrack_init(&rn->conns, net, &rn->tables, &rn->lock);
	if (err)
		return err;
	rn->conns.learn_expired = &rn->exc[RP_EXC_CTR_LEARN_EXPIRED];
	rp_learn_neg_init(&rn->learn_neg);
	err = rp_mcast_init(&rn->mcast);
	if (err) {
		rp_conntrack_destroy(&rn->conns);
		return err;
	}
	t = rp_tables_alloc(&rn->lock);
	if (!t) {
		rp_mcast_destroy(&rn->mcast);
		rp_conntrack_destroy(&rn->conns);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(rn->tables, t);
	schedule_delayed_work(&rn->conns.gc, HZ);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_state_init);

void rp_net_state_exit(struct rp_net *rn)
{
	struct rp_tables *t;

	/* connections first: uninstalling them needs the tables */
	rp_conn_flush(&rn->conns, 0, "namespace exit");
	rp_mcast_flush(&rn->mcast, rn->net);
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	RCU_INIT_POINTER(rn->tables, NULL);
	mutex_unlock(&rn->lock);
	synchronize_rcu();
	rp_conntrack_destroy(&rn->conns);
	rp_mcast_destroy(&rn->mcast);
	rp_tables_free(t);
	/* the namespace's netdevs are gone: NICs unbound them */
	xa_destroy(&rn->bound);
	mutex_destroy(&rn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(rp_net_state_exit);

static int __net_init rp_net_init_net(struct net *net)
{
	return rp_net_state_init(rp_net(net), net);
}

static void __net_exit rp_net_exit_net(struct net *net)
{
	rp_net_state_exit(rp_net(net));
}

static struct pernet_operations rp_net_ops = {
	.init = rp_net_init_net,
	.exit = rp_net_exit_net,
	.id = &rp_net_id,
	.size = sizeof(struct rp_net),
};

int rp_net_init(void)
{
	return register_pernet_subsys(&rp_net_ops);
}

void rp_net_exit(void)
{
	unregister_pernet_subsys(&rp_net_ops);
}
