// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for learned flows (rp_learn.c, rp_learn_guard.c): the
 * first-packet decision on byte buffers (direction, opcode, rights, QP
 * type, anti-spoofing, setup cm against setup any), the negative cache,
 * the per-VM rate of decisions and bound on learned flows, and the
 * revalidation of learned flows by a configuration change.
 *
 * Each case gets a namespace state of its own in init_net with V1 (port
 * 11, 10.10.0.1) and V2 (port 12, 10.10.0.2), and rule 1: V1 -> V2, any
 * service, setup any, send and write, reply send.  No NIC is registered:
 * a learned flow counts as installed.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <rdma/ib_pack.h>
#include <uapi/rdma/rdma_user_cm.h>

#include <rdmapolicy/roce.h>
#include "../drivers/rdmapolicy/rp_config.h"
#include "../drivers/rdmapolicy/rp_event.h"
#include "../drivers/rdmapolicy/rp_nic.h"
#include "../drivers/rdmapolicy/rp_exc.h"
#include "../drivers/rdmapolicy/rp_learn.h"
#include "../drivers/rdmapolicy/rp_learn_guard.h"
#include "../drivers/rdmapolicy/rp_net.h"
#include "../drivers/rdmapolicy/rp_policy.h"
#include "rp_kunit_pkt.h"
#include "rp_kunit_env.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

enum { P1 = 11, P2 = 12 };

static const u8 t_mac1[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 1 };
static const u8 t_mac2[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 2 };

static struct rp_vm_spec *t_vm(struct kunit *test, u32 id, int ifindex,
			       const u8 *mac, u8 last_octet)
{
	return rp_kt_vm(test, id, ifindex, mac, htonl(0x0a0a0000 | last_octet));
}

static const struct rp_rule_spec t_rule = {
	.id = 1, .prio = 100,
	.src = { .type = RP_SEL_VM, .vm = 1 },
	.dst = { .type = RP_SEL_VM, .vm = 2 },
	.any_service = true, .qp_types = RP_QP_ALL, .action = RP_ACT_ALLOW,
	.rights = RP_RIGHT_SEND | RP_RIGHT_WRITE,
	.reply_rights = RP_RIGHT_SEND, .setup = RP_SETUP_ANY,
};

/*
 * A denial stays cached for 10 minutes in every case: how fast the guest
 * runs (TCG, KASAN, a loaded host) must not decide whether a cached
 * denial is still there.  t_negative_cache makes one expire on purpose.
 */
#define T_NEG_MS	600000
static unsigned int t_neg_ms_saved;

static int t_init(struct kunit *test)
{
	struct rp_vm_spec *vms[] = { t_vm(test, 1, P1, t_mac1, 1),
				     t_vm(test, 2, P2, t_mac2, 2) };

	t_neg_ms_saved = rp_learn_neg_ms;
	rp_learn_neg_ms = T_NEG_MS;
	return rp_kt_net_init(test, vms, ARRAY_SIZE(vms), &t_rule, 1);
}

static void t_exit(struct kunit *test)
{
	rp_kt_net_exit(test);
	rp_learn_neg_ms = t_neg_ms_saved;
}

/* Replace rule 1 by @r, in one configuration transaction. */
static void t_set_rule(struct kunit *test, const struct rp_rule_spec *r)
{
	struct rp_net *rn = test->priv;
	struct rp_config cfg;
	struct rp_tables *t;

	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_set(t, r, NULL)), 0);
}

/* Add @r to the configuration, in one transaction. */
static void t_add_rule(struct kunit *test, struct rp_rule_spec *r)
{
	struct rp_net *rn = test->priv;
	struct rp_config cfg;
	struct rp_tables *t;

	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_add(t, r, NULL)), 0);
}

/* the sender's QPN t_feed() writes into a DETH */
static u32 t_sqpn = 0x77;

/*
 * Feed one packet (V1 -> V2, or V2 -> V1 when @reverse) on @port, from
 * the MAC of the VM of that port.
 */
static enum rp_exc_verdict t_feed(struct kunit *test, u8 opcode, u32 dqpn,
				  bool reverse, int port, u32 *conn_id)
{
	struct t_spec s = {
		.ipver = 4, .opcode = opcode, .dqpn = dqpn, .psn = 0x1234,
		.payload = 16, .reverse = reverse,
	};
	struct rp_learn_ctx x = {
		.rn = test->priv, .ifindex = port, .l3proto = ETH_P_IP,
		.mac = port == P1 ? t_mac1 : t_mac2,
	};
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	enum rp_exc_verdict v;
	unsigned int len;

	KUNIT_ASSERT_NOT_NULL(test, b);
	len = t_build(b, &s);
	/* a UD sender's QPN in the DETH: 0x77 unless a case says */
	if (rp_roce_opcode_ext(opcode) & RP_EXT_DETH)
		put_unaligned_be32(t_sqpn, b + 20 + 8 + IB_BTH_BYTES + 4);
	x.l3 = b;
	x.l3len = len;
	x.pktlen = len;
	rcu_read_lock();
	local_bh_disable();
	v = rp_learn_decide(&x);
	local_bh_enable();
	rcu_read_unlock();
	if (conn_id)
		*conn_id = x.conn_id;
	return v;
}

static u64 t_stat(struct kunit *test, enum rp_exc_ctr c)
{
	return atomic64_read(&((struct rp_net *)test->priv)->exc[c]);
}

static struct rp_conn *t_conn(struct kunit *test, u32 id)
{
	return rp_conn_by_id(&((struct rp_net *)test->priv)->conns, id);
}

struct t_case {
	const char *name;
	u8 opcode;
	bool reverse;		/* V2 -> V1 */
	int port;
	enum rp_exc_verdict v;
	u32 rights;		/* of the learned flow */
	u32 qp_type;
	bool as_responder;
	enum rp_exc_ctr ctr;	/* counted */
};

static const struct t_case t_cases[] = {
	{ "rc send", IB_OPCODE_RC_SEND_ONLY, false, P1, RP_EXC_FORWARD,
	  RP_RIGHT_SEND | RP_RIGHT_WRITE, RP_QP_RC, false,
	  RP_EXC_CTR_LEARN_ALLOWED },
	{ "rc write", IB_OPCODE_RC_RDMA_WRITE_ONLY, false, P1, RP_EXC_FORWARD,
	  RP_RIGHT_SEND | RP_RIGHT_WRITE, RP_QP_RC, false,
	  RP_EXC_CTR_LEARN_ALLOWED },
	{ "uc send", IB_OPCODE_UC_SEND_ONLY, false, P1, RP_EXC_FORWARD,
	  RP_RIGHT_SEND | RP_RIGHT_WRITE, RP_QP_UC, false,
	  RP_EXC_CTR_LEARN_ALLOWED },
	{ "ud send", IB_OPCODE_UD_SEND_ONLY, false, P1, RP_EXC_FORWARD,
	  RP_RIGHT_SEND | RP_RIGHT_WRITE, RP_QP_UD, false,
	  RP_EXC_CTR_LEARN_ALLOWED },
	{ "read not granted", IB_OPCODE_RC_RDMA_READ_REQUEST, false, P1,
	  RP_EXC_DROP, 0, 0, false, RP_EXC_CTR_LEARN_DENIED },
	{ "reverse ack", IB_OPCODE_RC_ACKNOWLEDGE, true, P2, RP_EXC_FORWARD,
	  RP_RIGHT_SEND, RP_QP_RC, true, RP_EXC_CTR_LEARN_ALLOWED },
	{ "reverse read response", IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY, true,
	  P2, RP_EXC_FORWARD, RP_RIGHT_SEND, RP_QP_RC, true,
	  RP_EXC_CTR_LEARN_ALLOWED },
	{ "reverse send", IB_OPCODE_RC_SEND_ONLY, true, P2, RP_EXC_FORWARD,
	  RP_RIGHT_SEND, RP_QP_RC, true, RP_EXC_CTR_LEARN_ALLOWED },
	{ "reverse write: no reply right", IB_OPCODE_RC_RDMA_WRITE_ONLY, true,
	  P2, RP_EXC_DROP, 0, 0, false, RP_EXC_CTR_LEARN_DENIED },
	{ "V1's address from V2's port", IB_OPCODE_RC_SEND_ONLY, false, P2,
	  RP_EXC_DROP, 0, 0, false, RP_EXC_CTR_LEARN_SPOOFED },
	{ "port of no VM", IB_OPCODE_RC_SEND_ONLY, false, 99, RP_EXC_DROP, 0,
	  0, false, RP_EXC_CTR_NO_VM },
};

static void t_case_desc(const struct t_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_first, t_cases, t_case_desc);

/* The first packet's decision, and what is learned from it. */
static void t_first_packet(struct kunit *test)
{
	const struct t_case *c = test->param_value;
	u64 base = 0, packets = 0;
	u32 id = 0, conns = 0;
	struct rp_conn *n;

	/* V2 answers: V1's flow towards it first (finding 1 of the review) */
	if (c->reverse && c->port == P2) {
		KUNIT_ASSERT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x99,
					     false, P1, NULL), RP_EXC_FORWARD);
		base = t_stat(test, c->ctr);
		packets = 1;
		conns = 1;
	}
	KUNIT_EXPECT_EQ(test, t_feed(test, c->opcode, 0x42, c->reverse,
				     c->port, &id), c->v);
	KUNIT_EXPECT_EQ(test, t_stat(test, c->ctr), base + 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_PACKETS),
			packets + 1);
	if (c->v != RP_EXC_FORWARD) {
		KUNIT_EXPECT_EQ(test,
				((struct rp_net *)test->priv)->conns.count,
				conns);
		return;
	}
	rcu_read_lock();
	n = t_conn(test, id);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->state, RP_CONN_STATE_LEARNED);
	KUNIT_EXPECT_TRUE(test, n->key.learned);
	KUNIT_EXPECT_TRUE(test, n->installed);
	KUNIT_EXPECT_EQ(test, n->rights, c->rights);
	KUNIT_EXPECT_EQ(test, n->qp_type, c->qp_type);
	KUNIT_EXPECT_EQ(test, n->as_responder, c->as_responder);
	KUNIT_EXPECT_EQ(test, n->rep_qpn, 0x42);
	KUNIT_EXPECT_EQ(test, n->req_psn, 0x1234);
	KUNIT_EXPECT_EQ(test, n->req_vm, c->reverse ? 2 : 1);
	KUNIT_EXPECT_EQ(test, n->req_ifindex, c->port);
	KUNIT_EXPECT_EQ(test, n->rule_id, 1);
	/* UD: bound to the sender's QPN of the DETH */
	KUNIT_EXPECT_EQ(test, n->req_qpn, c->qp_type == RP_QP_UD ? 0x77 : 0);
	rcu_read_unlock();
	/* the same flow again (another CPU's): not learned twice */
	KUNIT_EXPECT_EQ(test, t_feed(test, c->opcode, 0x42, c->reverse,
				     c->port, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count,
			conns + 1);
}

/* setup cm (the default): learned flows are opt-in */
static void t_setup_cm(struct kunit *test)
{
	struct rp_rule_spec r = t_rule;
	struct rp_net *rn = test->priv;
	struct rp_vm *vm;

	r.setup = RP_SETUP_CM;
	t_set_rule(test, &r);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, false,
				     P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 1);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	rcu_read_lock();
	vm = rp_vm_by_id(rcu_dereference(rn->tables), 1);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vm->ctr->denied), 1);
	rcu_read_unlock();
	/* a setup cm rule still decides CM queries */
	r.setup = RP_SETUP_ANY + 1;
	mutex_lock(&rn->lock);
	KUNIT_EXPECT_EQ(test, rp_rule_set(rp_tables_locked(rn), &r, NULL),
			-EINVAL);
	mutex_unlock(&rn->lock);
}

/* Denied flows are dropped by the negative cache until it forgets them. */
static void t_negative_cache(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 2);
	/* another QPN, and the same flow from another port: not cached */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x43,
				     false, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42,
				     true, P2, NULL), RP_EXC_FORWARD);
	/* a spoofed first packet is cached too */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x50,
				     false, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x50,
				     false, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_SPOOFED), 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 3);
	/*
	 * Forgotten once learn_neg_ms is over: a denial remembered for 1 ms
	 * (one jiffy), 100 ms ago (a sleep is never shorter), is decided
	 * again, and SEND is allowed.
	 */
	rp_learn_neg_ms = 1;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x44,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 2);
	msleep(100);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x44,
				     false, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 3);
	rp_learn_neg_ms = T_NEG_MS;
}

/*
 * The negative cache alone, on a parse.  A VM's slots are allocated at its
 * first denial: looking up costs no memory.
 */
static void t_negative_cache_slots(struct kunit *test)
{
	struct rp_learn_neg *neg = kunit_kzalloc(test, sizeof(*neg),
						 GFP_KERNEL);
	struct rp_learn_neg_slots *sl = NULL, *first;
	struct rp_roce_pkt a = { .dqpn = 1000 }, b = { .dqpn = 1001 };
	unsigned int ms = rp_learn_neg_ms;

	KUNIT_ASSERT_NOT_NULL(test, neg);
	rp_learn_neg_init(neg);
	KUNIT_EXPECT_FALSE(test, rp_learn_neg_hit(neg, &sl, 1, P1, &a));
	KUNIT_EXPECT_NULL(test, sl);
	rp_learn_neg_ms = 0;		/* off: nothing is remembered */
	rp_learn_neg_add(neg, &sl, 1, P1, &b);
	KUNIT_EXPECT_NULL(test, sl);
	rp_learn_neg_ms = ms;
	rp_learn_neg_add(neg, &sl, 1, P1, &a);
	KUNIT_ASSERT_NOT_NULL(test, sl);
	first = sl;
	KUNIT_EXPECT_TRUE(test, rp_learn_neg_hit(neg, &sl, 1, P1, &a));
	KUNIT_EXPECT_FALSE(test, rp_learn_neg_hit(neg, &sl, 1, P2, &a));
	KUNIT_EXPECT_FALSE(test, rp_learn_neg_hit(neg, &sl, 1, P1, &b));
	/* another configuration generation: forgotten */
	KUNIT_EXPECT_FALSE(test, rp_learn_neg_hit(neg, &sl, 2, P1, &a));
	rp_learn_neg_add(neg, &sl, 1, P1, &b);
	KUNIT_EXPECT_PTR_EQ(test, sl, first);	/* one allocation a VM */
	KUNIT_EXPECT_TRUE(test, rp_learn_neg_hit(neg, &sl, 1, P1, &b));
	kfree(sl);
}

/*
 * A configuration change forgets the denials made before it (review
 * finding 4): before, a flow denied a moment before a rule allowed it
 * stayed dropped for learn_neg_ms.
 */
static void t_negative_cache_config(struct kunit *test)
{
	struct rp_rule_spec r = t_rule;

	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 1);
	r.rights |= RP_RIGHT_READ;
	t_set_rule(test, &r);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 1);
}

/*
 * One VM's denials cannot evict another's (finding 4): V2 spoofing first
 * packets to thousands of QPNs fills its own slots only; V1's denial
 * stays cached.  Before, all VMs shared 256 slots.
 */
static void t_negative_cache_per_vm(struct kunit *test)
{
	int i;

	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	for (i = 0; i < 2000; i++)
		t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x1000 + i, false, P2,
		       NULL);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_SPOOFED), 2000);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_RDMA_READ_REQUEST, 0x42,
				     false, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 1);
}

/* At most learn_rate decisions a second per VM; the others are dropped. */
static void t_rate_limit(struct kunit *test)
{
	unsigned int rate = rp_learn_rate;
	int i, fwd = 0;

	rp_learn_rate = 3;
	for (i = 0; i < 5; i++)
		fwd += t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x100 + i, false,
			      P1, NULL) == RP_EXC_FORWARD;
	KUNIT_EXPECT_EQ(test, fwd, 3);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_RATE_LIMITED), 2);
	/* per VM: V2 has its own */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, true,
				     P2, NULL), RP_EXC_FORWARD);
	msleep(1100);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x104, false,
				     P1, NULL), RP_EXC_FORWARD);
	rp_learn_rate = rate;
}

/* At most vm_max_learned learned flows per VM. */
static void t_vm_bound(struct kunit *test)
{
	unsigned int max = rp_learn_vm_max;

	rp_learn_vm_max = 2;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x100, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x101, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x102, false,
				     P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_FULL), 1);
	/* a bound is not the policy's denial (review finding 5) */
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 0);
	rp_learn_vm_max = max;
}

/* A configuration change that no longer allows a learned flow removes it */
static void t_revalidate(struct kunit *test)
{
	struct rp_rule_spec r = t_rule;
	struct rp_net *rn = test->priv;

	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_ACKNOWLEDGE, 0x43, true,
				     P2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 2);
	/* more rights: both stay */
	r.rights |= RP_RIGHT_READ;
	t_set_rule(test, &r);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 2);
	/* the responder's send taken away: V2's flow goes, V1's stays */
	r.reply_rights = 0;
	t_set_rule(test, &r);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	/* setup cm: V1's goes too */
	r.setup = RP_SETUP_CM;
	t_set_rule(test, &r);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

static void t_qp_types(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rp_learn_qp_type(IB_OPCODE_RC_SEND_ONLY),
			RP_QP_RC);
	KUNIT_EXPECT_EQ(test, rp_learn_qp_type(IB_OPCODE_UC_SEND_ONLY),
			RP_QP_UC);
	KUNIT_EXPECT_EQ(test, rp_learn_qp_type(IB_OPCODE_UD_SEND_ONLY),
			RP_QP_UD);
	KUNIT_EXPECT_EQ(test, rp_learn_qp_type(0xa0), RP_QP_XRC);
	KUNIT_EXPECT_EQ(test, rp_learn_qp_type(IB_OPCODE_CNP), 0);
	KUNIT_EXPECT_TRUE(test, rp_learn_class_ok(0, RP_CLASS_ACK));
	KUNIT_EXPECT_TRUE(test, rp_learn_class_ok(0, RP_CLASS_READ_RESP));
	KUNIT_EXPECT_FALSE(test, rp_learn_class_ok(RP_RIGHT_SEND,
						   RP_CLASS_WRITE));
	KUNIT_EXPECT_FALSE(test, rp_learn_class_ok(RP_RIGHT_ALL,
						   RP_CLASS_CNP));
}

/*
 * A deny rule applies to learned flows whatever its setup and service
 * (review of the learned flows, finding 1): before, a deny left at its
 * default, setup cm, was skipped and a broader setup any allow decided.
 */
static void t_deny_rules_apply(struct kunit *test)
{
	struct rp_rule_spec deny = {
		.id = 2, .prio = 10,
		.src = { .type = RP_SEL_VM, .vm = 1 },
		.dst = { .type = RP_SEL_VM, .vm = 2 },
		.ps = RDMA_PS_TCP, .port_min = 7174, .port_max = 7174,
		.qp_types = RP_QP_ALL, .action = RP_ACT_DENY,
		.setup = RP_SETUP_CM,
	};
	u32 id = 0;

	t_add_rule(test, &deny);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, false,
				     P1, &id), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 1);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count, 0);
}

/*
 * A rule that denies the sender as a requester is final: the reverse
 * rule's reply rights do not override it (finding 2).  Before, V2 denied
 * towards V1 could still send to V1 as the responder of rule 1.
 */
static void t_deny_not_overridden_by_reverse(struct kunit *test)
{
	struct rp_rule_spec deny = {
		.id = 3, .prio = 10,
		.src = { .type = RP_SEL_VM, .vm = 2 },
		.dst = { .type = RP_SEL_VM, .vm = 1 },
		.any_service = true, .qp_types = RP_QP_ALL,
		.action = RP_ACT_DENY,
	};

	t_add_rule(test, &deny);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, true,
				     P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 1);
	/* V1 -> V2 itself is still allowed by rule 1 */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, false,
				     P1, NULL), RP_EXC_FORWARD);
}

/*
 * A UD first packet whose DETH names QP0 or QP1 is malformed: sqpn 0
 * left the flow bound to no QP (finding 3).
 */
static void t_ud_sqpn_reserved(struct kunit *test)
{
	u32 qpn;

	for (qpn = 0; qpn <= RP_QPN_GSI; qpn++) {
		t_sqpn = qpn;
		KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x42,
					     false, P1, NULL), RP_EXC_DROP);
	}
	t_sqpn = 0x77;
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MALFORMED), 2);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count, 0);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x42, false,
				     P1, NULL), RP_EXC_FORWARD);
}

/* A NIC that learns as told, and tells use as told */
static int t_nic_learn_err;
static int t_nic_used;

static int t_nic_install(void *priv, const struct net *net, u32 id,
			 const struct rp_flow f[2])
{
	return 0;
}

static void t_nic_uninstall(void *priv, const struct net *net, u32 id,
			    const struct rp_flow f[2])
{
}

static int t_nic_learn(void *priv, const struct net *net, u32 id,
		       const struct rp_flow *f)
{
	return t_nic_learn_err;
}

static void t_nic_unlearn(void *priv, const struct net *net, u32 id,
			  const struct rp_flow *f)
{
}

static int t_nic_used_op(void *priv, const struct net *net, u32 id,
			 const struct rp_flow *f)
{
	return t_nic_used;
}

static const struct rp_nic_ops t_nic_ops = {
	.install = t_nic_install, .uninstall = t_nic_uninstall,
	.learn = t_nic_learn, .unlearn = t_nic_unlearn, .used = t_nic_used_op,
};

static struct rp_nic t_nic = { .ops = &t_nic_ops, .name = "kunit" };

/* The learned flow V1 -> V2 (or back) to @dqpn, or NULL.  Context: RCU. */
static struct rp_conn *t_flow(struct kunit *test, bool reverse, u32 dqpn)
{
	struct in6_addr a, b;

	ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &a);
	ipv6_addr_set_v4mapped(htonl(0x0a0a0002), &b);
	return rp_conn_lookup_learned(&((struct rp_net *)test->priv)->conns,
				      7, reverse ? &b : &a, reverse ? &a : &b,
				      dqpn);
}

/*
 * A responder's flow needs a learned requester flow of the other
 * direction (review finding 1): before, under rule 1 (V1 -> V2) V2 could
 * send within the reply rights to any QP of V1, unasked.  RC and UC: of
 * the same pair and QP type; UD: the very QPs.  And it goes when what it
 * answers is gone, however busy.
 */
static void t_responder_needs_requester(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_conn *n;
	u32 idle = rp_conn_learn_idle_secs;

	/* unasked: refused, every time (not cached: V1 may ask a moment later) */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, true,
				     P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, true,
				     P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_DENIED), 2);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 0);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	/* a UC flow of V1 does not let V2 answer on RC */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UC_SEND_ONLY, 0x50, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_ACKNOWLEDGE, 0x42, true,
				     P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UC_SEND_ONLY, 0x43, true,
				     P2, NULL), RP_EXC_FORWARD);
	/* RC: V1 asked; V2 answers (to any QP of V1: the RC binding) */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x51, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_ACKNOWLEDGE, 0x42, true,
				     P2, NULL), RP_EXC_FORWARD);
	/* UD: V1's QP 0x77 sent to V2's 0x60; V2 answers from 0x60 to 0x77 */
	t_sqpn = 0x77;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x60, false,
				     P1, NULL), RP_EXC_FORWARD);
	t_sqpn = 0x61;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x77, true,
				     P2, NULL), RP_EXC_DROP);
	t_sqpn = 0x60;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x78, true,
				     P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_UD_SEND_ONLY, 0x77, true,
				     P2, NULL), RP_EXC_FORWARD);
	t_sqpn = 0x77;
	KUNIT_EXPECT_EQ(test, rn->conns.count, 6);

	/* V1's RC flow goes: V2's RC answer goes at its next expiry */
	rp_conn_learn_idle_secs = 1;
	rcu_read_lock();
	spin_lock_bh(&rn->conns.lock);
	n = t_flow(test, false, 0x51);
	KUNIT_ASSERT_NOT_NULL(test, n);
	rp_conn_del(&rn->conns, n, "test");
	list_for_each_entry(n, &rn->conns.all, list)
		n->since -= 2 * HZ;	/* all idle for the gc */
	spin_unlock_bh(&rn->conns.lock);
	rcu_read_unlock();
	/* a NIC that saw every flow busy: only answers without a question go */
	t_nic_learn_err = 0;
	t_nic_used = 1;
	KUNIT_ASSERT_EQ(test, rp_nic_register(&t_nic), 0);
	rp_conntrack_expire(&rn->conns);
	rp_nic_unregister(&t_nic);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 4);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, t_flow(test, true, 0x42));
	n = t_flow(test, true, 0x43);
	KUNIT_EXPECT_TRUE(test, n && n->qp_type == RP_QP_UC);
	KUNIT_EXPECT_NOT_NULL(test, t_flow(test, true, 0x77));
	rcu_read_unlock();
	rp_conn_learn_idle_secs = idle;
}

/* Set V1's max-conns and setup-rate, in one transaction. */
static void t_set_v1(struct kunit *test, u32 max_conns, u32 setup_rate)
{
	struct rp_vm_spec *v = t_vm(test, 1, P1, t_mac1, 1);
	struct rp_config cfg;
	struct rp_tables *t;

	v->max_conns = max_conns;
	v->setup_rate = setup_rate;
	t = rp_config_begin(&cfg, test->priv, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_vm_set(t, v, NULL)), 0);
}

/*
 * Learned flows count against the VM's own max-conns and setup-rate, as
 * its REQs do (review finding 3): before, only vm_max_learned and the
 * namespace's max_conns held, and 64 VMs at their bound filled it.
 */
static void t_vm_conns_and_rate(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	int i, fwd = 0;

	t_set_v1(test, 2, 0);
	for (i = 0; i < 3; i++)
		fwd += t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x100 + i, false,
			      P1, NULL) == RP_EXC_FORWARD;
	KUNIT_EXPECT_EQ(test, fwd, 2);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_FULL), 1);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test,
			  rp_exc_vm_full(rp_vm_by_id(rcu_dereference(rn->tables),
						     1)));
	rcu_read_unlock();
	/* setup-rate 1: one more this second, the next is refused, uncached */
	t_set_v1(test, 0, 1);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x110, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x111, false,
				     P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x111, false,
				     P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_RATE_LIMITED), 2);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_CACHED), 0);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 3);
}

/* events seen, by type */
static atomic_t t_events[RP_EV_CONN_DESTROYED + 8];

static void t_event(u8 type, u32 vm_id, u32 rule_id, const char *reason)
{
	if (type < ARRAY_SIZE(t_events))
		atomic_inc(&t_events[type]);
}

/*
 * Counters and events that lied (review finding 5): an install failure
 * sent a destroyed event for a flow no new event announced; revalidation,
 * retries and the responder's answer counted as rule hits (two a pingpong,
 * where a CM connection counts one); a NIC without the flow (-ENOENT)
 * kept it from ever idling.
 */
static void t_counters_events(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_rule_spec other = {
		.id = 9, .prio = 200,
		.src = { .type = RP_SEL_VM, .vm = 2 },
		.dst = { .type = RP_SEL_VM, .vm = 1 },
		.any_service = true, .qp_types = RP_QP_ALL,
		.action = RP_ACT_DENY,
	};
	struct rp_flow f = { .tenant = 7, .dqpn = 0x4242 };
	const struct rp_rule *r;
	int i;

	for (i = 0; i < ARRAY_SIZE(t_events); i++)
		atomic_set(&t_events[i], 0);
	t_nic_learn_err = -ENOSPC;
	t_nic_used = -ENOENT;
	KUNIT_ASSERT_EQ(test, rp_nic_register(&t_nic), 0);
	WRITE_ONCE(rp_event_kunit_hook, t_event);
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x42, false,
				     P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_INSTALL_FAILED), 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_ALLOWED), 0);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_events[RP_EV_CONN_NEW]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_events[RP_EV_CONN_DESTROYED]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_events[RP_EV_CONN_DENIED]), 1);
	/* no NIC has flow 0x4242: nothing passed on it, it may idle */
	KUNIT_EXPECT_FALSE(test, rp_nic_used(&init_net, 0x7fffffff, &f));
	t_nic_learn_err = 0;
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_SEND_ONLY, 0x43, false,
				     P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_events[RP_EV_CONN_NEW]), 1);
	/* V2's answer: no hit (the flow it answers was the decision) */
	KUNIT_EXPECT_EQ(test, t_feed(test, IB_OPCODE_RC_ACKNOWLEDGE, 0x42, true,
				     P2, NULL), RP_EXC_FORWARD);
	WRITE_ONCE(rp_event_kunit_hook, NULL);
	rp_nic_unregister(&t_nic);
	/* one decision, one hit; a revalidation is none */
	t_add_rule(test, &other);
	rcu_read_lock();
	r = xa_load(&rcu_dereference(rn->tables)->rules_by_id, 1);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, atomic64_read(&r->hits), 2);
	r = xa_load(&rcu_dereference(rn->tables)->rules_by_id, 9);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, atomic64_read(&r->hits), 0);
	rcu_read_unlock();
	/* rule 9 denies V2 -> V1: V2's answer goes, V1's flow stays */
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
}

static struct kunit_case rp_learn_cases[] = {
	KUNIT_CASE_PARAM(t_first_packet, t_first_gen_params),
	KUNIT_CASE(t_setup_cm),
	KUNIT_CASE(t_negative_cache),
	KUNIT_CASE(t_negative_cache_slots),
	KUNIT_CASE(t_rate_limit),
	KUNIT_CASE(t_vm_bound),
	KUNIT_CASE(t_revalidate),
	KUNIT_CASE(t_qp_types),
	KUNIT_CASE(t_deny_rules_apply),
	KUNIT_CASE(t_deny_not_overridden_by_reverse),
	KUNIT_CASE(t_ud_sqpn_reserved),
	KUNIT_CASE(t_responder_needs_requester),
	KUNIT_CASE(t_vm_conns_and_rate),
	KUNIT_CASE(t_negative_cache_config),
	KUNIT_CASE(t_negative_cache_per_vm),
	KUNIT_CASE(t_counters_events),
	{}
};

static struct kunit_suite rp_learn_suite = {
	.name = "rdmapolicy_learn",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_learn_cases,
};

kunit_test_suite(rp_learn_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for rdmapolicy's learned flows");
