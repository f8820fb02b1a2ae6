// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the emulated SmartNIC's data plane (drivers/snic):
 * which opcode classes each set of rights lets through, and the flow
 * table: install, lookup both ways, uninstall, and resizes under readers
 * that must never miss a flow that stays installed.
 *
 * Flows are installed under namespaces of the test's own (fake struct net
 * with inode numbers no real namespace has), so they never match real
 * traffic.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include <uapi/linux/rdmapolicy.h>

#include "../drivers/snic/snic.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* class -> the one right it needs, 0: none */
static const u32 t_needs[] = {
	[RP_CLASS_SEND] = RP_RIGHT_SEND,
	[RP_CLASS_WRITE] = RP_RIGHT_WRITE,
	[RP_CLASS_READ_REQ] = RP_RIGHT_READ,
	[RP_CLASS_READ_RESP] = RP_RIGHT_READ,
	[RP_CLASS_ATOMIC] = RP_RIGHT_ATOMIC,
	[RP_CLASS_ATOMIC_ACK] = RP_RIGHT_ATOMIC,
	[RP_CLASS_ACK] = 0,
	[RP_CLASS_CNP] = 0,
};

static void t_rights(struct kunit *test)
{
	u32 rights;
	u8 class;

	for (rights = 0; rights <= RP_RIGHT_ALL; rights++)
		for (class = RP_CLASS_SEND; class <= RP_CLASS_CNP; class++)
			KUNIT_EXPECT_EQ_MSG(test,
					    rp_snic_rights_allow(rights, class),
					    !t_needs[class] ||
					    !!(rights & t_needs[class]),
					    "rights %#x class %u", rights, class);
	/* unknown classes never pass */
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_ALL, 0));
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_ALL, 99));
}

static void t_flows_of(u32 i, struct rp_flow f[2])
{
	memset(f, 0, 2 * sizeof(*f));
	ipv6_addr_set_v4mapped(htonl(0x0a000000 | (i & 0xffff)), &f[0].saddr);
	ipv6_addr_set_v4mapped(htonl(0x0b000000 | (i >> 16)), &f[0].daddr);
	f[0].dqpn = 0x100 + (i & 0xffff);
	f[0].rights = RP_RIGHT_SEND;
	f[0].src_ifindex = 11;
	f[1].saddr = f[0].daddr;
	f[1].daddr = f[0].saddr;
	f[1].dqpn = 0x200 + (i & 0xffff);
	f[1].rights = RP_RIGHT_SEND;
	f[1].src_ifindex = 0;
}

static const struct rp_snic_flow *t_lookup(const struct net *net,
					   const struct rp_flow *f)
{
	struct rp_roce_pkt pkt = {
		.saddr = f->saddr, .daddr = f->daddr, .dqpn = f->dqpn,
	};
	const struct rp_snic_flow *r;

	rcu_read_lock();
	r = rp_snic_flow_lookup(net, &pkt);
	rcu_read_unlock();
	return r;
}

#define T_N 3000

/* A namespace for the NIC's keys: only ns.inum is read. */
static const struct net *t_net(struct kunit *test, unsigned int inum)
{
	struct net *net = kunit_kzalloc(test, sizeof(*net), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, net);
	net->ns.inum = inum;
	return net;
}

static void t_flow_table(struct kunit *test)
{
	const struct net *net = t_net(test, 7), *other = t_net(test, 8);
	unsigned int base = rp_snic_flow_count();
	const struct rp_snic_flow *r;
	struct rp_flow f[2];
	u32 i;

	for (i = 0; i < T_N; i++) {
		t_flows_of(i, f);
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, i + 1, f), 0);
	}
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), base + T_N);
	/* the same flows again: refused, nothing half-installed */
	t_flows_of(7, f);
	KUNIT_EXPECT_EQ(test, rp_snic_install(NULL, net, 99999, f), -EEXIST);
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), base + T_N);

	for (i = 0; i < T_N; i++) {
		t_flows_of(i, f);
		r = t_lookup(net, &f[0]);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_EQ(test, r->src_ifindex, 11);
		r = t_lookup(net, &f[1]);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_EQ(test, r->src_ifindex, 0);
		/* another namespace sees none of it */
		KUNIT_EXPECT_NULL(test, t_lookup(other, &f[0]));
	}
	/*
	 * A connection whose requester flow is another one's responder flow
	 * cannot be installed, and uninstalling it leaves the other alone.
	 */
	t_flows_of(9, f);
	{
		struct rp_flow g[2] = { f[1], f[0] };

		KUNIT_EXPECT_EQ(test, rp_snic_install(NULL, net, 77777, g),
				-EEXIST);
		rp_snic_uninstall(NULL, net, 77777, g);
		KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &f[0]));
		KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &f[1]));
	}
	/* flows that are not both the connection's do not uninstall it */
	t_flows_of(5, f);
	{
		struct rp_flow g[2] = { f[0], f[1] };

		g[1].dqpn ^= 1;
		rp_snic_uninstall(NULL, net, 6, g);
		KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &f[0]));
		rp_snic_uninstall(NULL, other, 6, f);
		KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &f[0]));
	}
	for (i = 0; i < T_N; i++) {
		t_flows_of(i, f);
		rp_snic_uninstall(NULL, net, i + 1, f);
		KUNIT_EXPECT_NULL(test, t_lookup(net, &f[0]));
		KUNIT_EXPECT_NULL(test, t_lookup(net, &f[1]));
	}
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), base);
}

struct t_reader {
	const struct net *net;
	bool stop;
	unsigned long rounds;
	unsigned long misses;
};

/* Looks up the flows that stay installed, again and again. */
static int t_reader_fn(void *arg)
{
	struct t_reader *rd = arg;
	struct rp_flow f[2];
	u32 i;

	while (!READ_ONCE(rd->stop)) {
		for (i = 0; i < 64; i++) {
			t_flows_of(i, f);
			if (!t_lookup(rd->net, &f[0]) ||
			    !t_lookup(rd->net, &f[1]))
				rd->misses++;
		}
		rd->rounds++;
		cond_resched();
	}
	return 0;
}

static void t_resize_under_readers(struct kunit *test)
{
	const struct net *net = t_net(test, 9);
	struct t_reader rd = { .net = net };
	struct task_struct *task;
	struct rp_flow f[2];
	int round;
	u32 i;

	for (i = 0; i < 64; i++) {
		t_flows_of(i, f);
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, i + 1, f), 0);
	}
	task = kthread_run(t_reader_fn, &rd, "rp_snic_reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	while (!READ_ONCE(rd.rounds))
		usleep_range(1000, 2000);
	/* grow and shrink the table around the permanent flows */
	for (round = 0; round < 3; round++) {
		for (i = 64; i < 64 + 4096; i++) {
			t_flows_of(i, f);
			KUNIT_ASSERT_EQ(test,
					rp_snic_install(NULL, net, i + 1, f), 0);
			cond_resched();
		}
		for (i = 64; i < 64 + 4096; i++) {
			t_flows_of(i, f);
			rp_snic_uninstall(NULL, net, i + 1, f);
			cond_resched();
		}
	}
	WRITE_ONCE(rd.stop, true);
	kthread_stop(task);
	kunit_info(test, "%lu reader rounds, %lu misses\n", rd.rounds,
		   rd.misses);
	KUNIT_EXPECT_GT(test, rd.rounds, 0);
	KUNIT_EXPECT_EQ(test, rd.misses, 0);
	for (i = 0; i < 64; i++) {
		t_flows_of(i, f);
		rp_snic_uninstall(NULL, net, i + 1, f);
	}
}

static struct kunit_case rp_snic_cases[] = {
	KUNIT_CASE(t_rights),
	KUNIT_CASE(t_flow_table),
	KUNIT_CASE(t_resize_under_readers),
	{}
};

static struct kunit_suite rp_snic_suite = {
	.name = "rdmapolicy_snic",
	.test_cases = rp_snic_cases,
};

kunit_test_suite(rp_snic_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy SmartNIC data plane");
