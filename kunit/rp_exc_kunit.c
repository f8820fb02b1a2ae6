// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the exception path (rp_exc.c) and the connection
 * tracker (rp_conn.c): decisions on the captured rping conversation
 * (rp_cm_vectors.h) and bent copies of it, and the tracker's state machine
 * with retransmissions, strays, REJ, timeouts and policy changes.
 *
 * Each case gets a namespace state of its own (rp_net_state_init) in
 * init_net, with V1 (port 11) and V2 (port 12) configured as in the
 * captured run.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/kthread.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>
#include <rdma/ib_pack.h>
#include <uapi/rdma/rdma_user_cm.h>

#include <rdmapolicy/roce.h>
#include "../drivers/rdmapolicy/rp_config.h"
#include "../drivers/rdmapolicy/rp_exc.h"
#include "../drivers/rdmapolicy/rp_net.h"
#include "../drivers/rdmapolicy/rp_nic.h"
#include "../drivers/rdmapolicy/rp_policy.h"
#include "rp_cm_vectors.h"
#include "rp_kunit_env.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* ifindex of V1's and V2's ports, and of V3's and V4's (other tests) */
enum { P1 = 11, P2 = 12, P3 = 13, P4 = 14 };

static const u8 t_mac1[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 1 };
static const u8 t_mac2[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 2 };

static struct rp_vm_spec *t_vm(struct kunit *test, u32 id, int ifindex,
			       const u8 *mac, u8 last_octet)
{
	return rp_kt_vm(test, id, ifindex, mac, htonl(0x0a0a0000 | last_octet));
}

/* rule 1: V1 -> V2, tcp 7174 (rping), RC, send/write/read */
static struct rp_rule_spec t_rule = {
	.id = 1, .prio = 100,
	.src = { .type = RP_SEL_VM, .vm = 1 },
	.dst = { .type = RP_SEL_VM, .vm = 2 },
	.ps = RDMA_PS_TCP, .port_min = 7174, .port_max = 7174,
	.qp_types = RP_QP_RC, .action = RP_ACT_ALLOW,
	.rights = RP_RIGHT_SEND | RP_RIGHT_WRITE | RP_RIGHT_READ,
	.reply_rights = RP_RIGHT_SEND | RP_RIGHT_READ,
};

static int t_init(struct kunit *test)
{
	struct rp_vm_spec *vms[] = { t_vm(test, 1, P1, t_mac1, 1),
				     t_vm(test, 2, P2, t_mac2, 2) };

	return rp_kt_net_init(test, vms, ARRAY_SIZE(vms), &t_rule, 1);
}

static void t_exit(struct kunit *test)
{
	rp_kt_net_exit(test);
}

struct t_msg {
	const u8 *frame;
	unsigned int len;
};

#define MSG(n) ((struct t_msg){ rp_vec_##n, sizeof(rp_vec_##n) })

/* A writable copy of a frame, its ICRC recomputed after @bend. */
static u8 *t_copy(struct kunit *test, struct t_msg msg,
		  void (*bend)(u8 *l3, unsigned int len))
{
	unsigned int len = msg.len - ETH_HLEN;
	struct rp_roce_pkt pkt;
	u8 *l3 = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 icrc;

	KUNIT_ASSERT_NOT_NULL(test, l3);
	memcpy(l3, msg.frame + ETH_HLEN, len);
	if (bend) {
		bend(l3, len);
		KUNIT_ASSERT_EQ(test, rp_roce_parse(l3, len, len, ETH_P_IP,
						    &pkt), RP_ROCE_OK);
		KUNIT_ASSERT_EQ(test, rp_roce_icrc(l3, len, &pkt, &icrc), 0);
		put_unaligned_le32(icrc, l3 + len - IB_ICRC_BYTES);
	}
	return l3;
}

/* As a NIC that parsed the message hands it over (rp_exception()'s @pkt) */
static void t_nic_parse(struct kunit *test, struct rp_exc_ctx *x)
{
	KUNIT_ASSERT_EQ(test, rp_roce_parse(x->l3, x->l3len, x->l3len,
					    x->l3proto, &x->pkt), RP_ROCE_OK);
	x->parsed = true;
}

/* @nic: given the parse, as from a NIC; else the core parses it */
static enum rp_exc_verdict t_feed_as(struct kunit *test, struct t_msg msg,
				     void (*bend)(u8 *l3, unsigned int len),
				     int ifindex, enum rp_dir dir,
				     const u8 *mac, bool *rej, bool nic)
{
	struct rp_exc_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	enum rp_exc_verdict v;

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->rn = test->priv;
	x->ifindex = ifindex;
	x->dir = dir;
	x->l3 = t_copy(test, msg, bend);
	x->l3len = msg.len - ETH_HLEN;
	x->l3proto = ETH_P_IP;
	x->mac = mac;
	if (nic)
		t_nic_parse(test, x);
	rcu_read_lock();
	local_bh_disable();
	v = rp_exc_decide(x);
	local_bh_enable();
	rcu_read_unlock();
	if (rej)
		*rej = x->want_rej;
	return v;
}

static enum rp_exc_verdict t_feed(struct kunit *test, struct t_msg msg,
				  void (*bend)(u8 *l3, unsigned int len),
				  int ifindex, enum rp_dir dir, const u8 *mac,
				  bool *rej)
{
	return t_feed_as(test, msg, bend, ifindex, dir, mac, rej, false);
}

static u64 t_stat(struct kunit *test, enum rp_exc_ctr s)
{
	return atomic64_read(&((struct rp_net *)test->priv)->exc[s]);
}

static struct rp_conn *t_only_conn(struct kunit *test)
{
	struct rp_net *rn = test->priv;

	KUNIT_ASSERT_EQ(test, rn->conns.count, 1);
	return list_first_entry(&rn->conns.all, struct rp_conn, list);
}

/* ---- bends ---- */

static void t_bend_none(u8 *l3, unsigned int len) { }

static void t_bend_gid(u8 *l3, unsigned int len)
{
	/* REQ primary local GID: BTH at 28, DETH 8, MAD hdr 24, +56 */
	l3[28 + 12 + 8 + 24 + 56 + 15] ^= 0x01;
}

static void t_bend_cma_src(u8 *l3, unsigned int len)
{
	/* RDMA CM header in private data (MAD 24 + 140): src addr +4 +12 */
	l3[28 + 12 + 8 + 24 + 140 + 4 + 15] = 9;
}

static void t_bend_port(u8 *l3, unsigned int len)
{
	/* service id low byte: MAD 24 + 8 + 7 */
	l3[28 + 12 + 8 + 24 + 8 + 7] ^= 0x01;
}

static void t_bend_comm_id(u8 *l3, unsigned int len)
{
	/* REQ Local Comm ID: MAD 24 + 0 */
	l3[28 + 12 + 8 + 24 + 3] ^= 0x55;
}

static void t_bend_comm_id2(u8 *l3, unsigned int len)
{
	l3[28 + 12 + 8 + 24 + 3] ^= 0xaa;
}

static void t_bend_ip_src(u8 *l3, unsigned int len)
{
	l3[15] = 9;	/* 10.10.0.9 */
}

/* ---- decisions ---- */

struct t_dcase {
	const char *name;
	void (*bend)(u8 *l3, unsigned int len);
	int ifindex;
	bool mac_ok;
	bool corrupt_icrc;
	enum rp_exc_verdict want;
	bool rej;
	enum rp_exc_ctr stat;	/* the counter that must move */
};

static const struct t_dcase t_dcases[] = {
	{ "allowed", NULL, P1, true, false, RP_EXC_FORWARD, false,
	  RP_EXC_CTR_CM_FLAGGED },
	{ "no_rule_for_port", t_bend_port, P1, true, false, RP_EXC_DROP, true,
	  RP_EXC_CTR_DENIED },
	{ "wrong_mac", NULL, P1, false, false, RP_EXC_DROP, false,
	  RP_EXC_CTR_SPOOFED },
	{ "source_ip_not_owned", t_bend_ip_src, P1, true, false, RP_EXC_DROP,
	  false, RP_EXC_CTR_SPOOFED },
	{ "gid_not_source", t_bend_gid, P1, true, false, RP_EXC_DROP, false,
	  RP_EXC_CTR_SPOOFED },
	{ "cma_src_not_source", t_bend_cma_src, P1, true, false, RP_EXC_DROP,
	  false, RP_EXC_CTR_SPOOFED },
	{ "port_of_no_vm", NULL, 99, true, false, RP_EXC_DROP, false,
	  RP_EXC_CTR_NO_VM },
	{ "bad_icrc", NULL, P1, true, true, RP_EXC_DROP, false,
	  RP_EXC_CTR_MALFORMED },
	{ "from_v2_port", t_bend_none, P2, true, false, RP_EXC_DROP, false,
	  RP_EXC_CTR_SPOOFED },
};

static void t_dcase_desc(const struct t_dcase *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_decide, t_dcases, t_dcase_desc);

static void t_bend_icrc(u8 *l3, unsigned int len)
{
	l3[len - 1] ^= 0xff;
}

/* @nic: the message as a NIC hands it over with its parse */
static void t_decide_as(struct kunit *test, bool nic)
{
	const struct t_dcase *c = test->param_value;
	u64 before = t_stat(test, c->stat);
	struct rp_exc_ctx *x;
	bool rej = false;
	enum rp_exc_verdict v;

	if (c->corrupt_icrc) {
		/* bend after the ICRC: use the raw copy */
		x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x);
		x->rn = test->priv;
		x->ifindex = c->ifindex;
		x->l3len = sizeof(rp_vec_req) - ETH_HLEN;
		x->l3 = t_copy(test, MSG(req), NULL);
		t_bend_icrc((u8 *)x->l3, x->l3len);
		x->l3proto = ETH_P_IP;
		x->mac = t_mac1;
		if (nic)
			t_nic_parse(test, x);
		rcu_read_lock();
		local_bh_disable();
		v = rp_exc_decide(x);
		local_bh_enable();
		rcu_read_unlock();
	} else {
		v = t_feed_as(test, MSG(req), c->bend, c->ifindex,
			      RP_DIR_FROM_VM,
			      c->mac_ok ? (c->ifindex == P2 ? t_mac2 : t_mac1) :
					  t_mac2, &rej, nic);
	}
	KUNIT_EXPECT_EQ(test, v, c->want);
	KUNIT_EXPECT_EQ(test, rej, c->rej);
	KUNIT_EXPECT_EQ(test, t_stat(test, c->stat), before + 1);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count,
			c->want == RP_EXC_FORWARD ? 1 : 0);
}

static void t_decide(struct kunit *test)
{
	t_decide_as(test, false);
}

/* The same decisions when the NIC hands over its parse (one parse) */
static void t_decide_nic_parsed(struct kunit *test)
{
	t_decide_as(test, true);
}

/*
 * A NIC's parse is used as given, but not past the packet: one whose
 * payload would run past the bytes, or whose payload starts before the
 * DETH's end, is malformed (nothing read out of bounds, nothing tracked).
 */
static void t_nic_parse_bounds(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	u64 bad = t_stat(test, RP_EXC_CTR_MALFORMED);
	struct rp_exc_ctx *x;
	int i;

	for (i = 0; i < 3; i++) {
		x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x);
		x->rn = rn;
		x->ifindex = P1;
		x->dir = RP_DIR_FROM_VM;
		x->l3len = sizeof(rp_vec_req) - ETH_HLEN;
		x->l3 = t_copy(test, MSG(req), NULL);
		x->l3proto = ETH_P_IP;
		x->mac = t_mac1;
		t_nic_parse(test, x);
		if (i == 0)
			x->pkt.payload_len += 1;
		else if (i == 1)
			x->pkt.payload_len = U32_MAX - 8;
		else
			x->pkt.payload_off = x->pkt.bth_off + IB_BTH_BYTES;
		rcu_read_lock();
		local_bh_disable();
		KUNIT_EXPECT_EQ(test, rp_exc_decide(x), RP_EXC_DROP);
		local_bh_enable();
		rcu_read_unlock();
	}
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MALFORMED), bad + 3);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	/* and the REQ as parsed passes */
	KUNIT_EXPECT_EQ(test, t_feed_as(test, MSG(req), NULL, P1,
					RP_DIR_FROM_VM, t_mac1, NULL, true),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
}

/* ---- the tracker's state machine ---- */

static void t_lifecycle(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_conn *c;
	bool rej;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, &rej), RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_REQ);
	KUNIT_EXPECT_EQ(test, c->req_vm, 1);
	KUNIT_EXPECT_EQ(test, c->rep_vm, 2);
	KUNIT_EXPECT_EQ(test, c->port, 7174);
	KUNIT_EXPECT_EQ(test, c->rights, t_rule.rights);
	KUNIT_EXPECT_EQ(test, c->reply_rights, t_rule.reply_rights);
	KUNIT_EXPECT_FALSE(test, c->installed);

	/* a retransmitted REQ: forwarded, not tracked twice */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_RETRANSMIT), 1);

	/* the REP from V2's port establishes it */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_NE(test, c->rep_qpn, 0);
	/* a REP sent again is fine, a REP from the requester is not */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rtu), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);

	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(dreq), NULL, P1,
				     RP_DIR_FROM_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_only_conn(test)->state, RP_CONN_STATE_CLOSING);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(drep), NULL, P2,
				     RP_DIR_FROM_VM, t_mac2, NULL),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	/* a late DREP for what is gone is untracked (security #7) */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(drep), NULL, P2,
				     RP_DIR_FROM_VM, t_mac2, NULL),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 1);
}

static void t_strays(struct kunit *test)
{
	struct rp_net *rn = test->priv;

	/* REP and RTU with no REQ before them: dropped */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rtu), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 2);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

static void t_rejected(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	u8 *rej = t_copy(test, MSG(rej), NULL);
	struct rp_roce_pkt pkt;
	struct rp_cm_msg m;
	unsigned int len = sizeof(rp_vec_rej) - ETH_HLEN;
	u32 icrc;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	/*
	 * The captured REJ answered another REQ: untracked, it is dropped
	 * (security #7: a stray REJ could abort another VM's connect).
	 */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rej), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 1);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	/* aimed at our REQ, it ends the connection */
	KUNIT_ASSERT_EQ(test, rp_roce_parse(rej, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	rp_cm_parse(rej + pkt.bth_off + IB_BTH_BYTES,
		    IB_DETH_BYTES + pkt.payload_len, &m);
	put_unaligned_be32(t_only_conn(test)->key.comm_id,
			   rej + pkt.payload_off + 24 + 4);
	KUNIT_ASSERT_EQ(test, rp_roce_icrc(rej, len, &pkt, &icrc), 0);
	put_unaligned_le32(icrc, rej + len - IB_ICRC_BYTES);
	{
		struct rp_exc_ctx *x = kunit_kzalloc(test, sizeof(*x),
						     GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, x);
		x->rn = rn;
		x->ifindex = P2;
		x->dir = RP_DIR_FROM_VM;
		x->l3 = rej;
		x->l3len = len;
		x->l3proto = ETH_P_IP;
		x->mac = t_mac2;
		rcu_read_lock();
		local_bh_disable();
		KUNIT_EXPECT_EQ(test, rp_exc_decide(x), RP_EXC_FORWARD);
		local_bh_enable();
		rcu_read_unlock();
	}
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

static void t_timeout(struct kunit *test)
{
	unsigned int saved = rp_conn_halfopen_secs;
	struct rp_net *rn = test->priv;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	rp_conntrack_expire(&rn->conns);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);	/* 30 s not over */
	rp_conn_halfopen_secs = 0;
	msleep(20);
	rp_conntrack_expire(&rn->conns);
	rp_conn_halfopen_secs = saved;
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	/* the REP comes too late */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_DROP);
}

static void t_policy_change(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_rule_spec r = t_rule;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	mutex_lock(&rn->lock);
	/* same rights: stays */
	r.prio = 50;
	KUNIT_EXPECT_EQ(test, rp_rule_set(rp_tables_locked(rn), &r, NULL), 0);
	rp_config_changed(rn);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	/* fewer rights for the responder: goes (rights per direction) */
	r.reply_rights = RP_RIGHT_SEND;
	KUNIT_EXPECT_EQ(test, rp_rule_set(rp_tables_locked(rn), &r, NULL), 0);
	rp_config_changed(rn);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	mutex_unlock(&rn->lock);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	mutex_lock(&rn->lock);
	/* fewer rights: goes */
	r.rights = RP_RIGHT_SEND;
	KUNIT_EXPECT_EQ(test, rp_rule_set(rp_tables_locked(rn), &r, NULL), 0);
	rp_config_changed(rn);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	mutex_unlock(&rn->lock);
}

static void t_max_conns(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *s = t_vm(test, 1, P1, t_mac1, 1);
	bool rej;

	s->max_conns = 1;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), s, NULL), 0);
	mutex_unlock(&rn->lock);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	/* the same REQ again is a retransmission, not a second connection */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_none, P1,
				     RP_DIR_FROM_VM, t_mac1, &rej),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_RETRANSMIT), 1);
	/* another comm id is a second connection: one too many, REJ */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, P1,
				     RP_DIR_FROM_VM, t_mac1, &rej),
			RP_EXC_DROP);
	KUNIT_EXPECT_TRUE(test, rej);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_DENIED), 1);
	/* once the first is gone, it fits */
	rp_conn_flush(&rn->conns, 0, "test");
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, P1,
				     RP_DIR_FROM_VM, t_mac1, &rej),
			RP_EXC_FORWARD);
}

/* Add VM @id of @tenant (port @ifindex, 10.10.0.@last_octet) to rn. */
static void t_add_vm(struct kunit *test, u32 id, u32 tenant, int ifindex,
		     const u8 *mac, u8 last_octet)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *s = t_vm(test, id, ifindex, mac, last_octet);

	s->tenant = tenant;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_add(rp_tables_locked(rn), s, NULL), 0);
	mutex_unlock(&rn->lock);
}

static void t_add_rule(struct kunit *test, u32 id, u32 src, u32 dst)
{
	struct rp_net *rn = test->priv;
	struct rp_rule_spec r = t_rule;

	r.id = id;
	r.src.vm = src;
	r.dst.vm = dst;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_rule_add(rp_tables_locked(rn), &r, NULL), 0);
	mutex_unlock(&rn->lock);
}

static struct rp_conn *t_conn_by_id(struct rp_net *rn, u32 id)
{
	struct rp_conn *c;

	list_for_each_entry(c, &rn->conns.all, list)
		if (c->id == id)
			return c;
	return NULL;
}

/*
 * Security #1: V3 and V4 of tenant 8 use V1's and V2's addresses (and
 * the captured conversation's QPNs and comm ids).  Both connections are
 * tracked and installed, and the second one's close leaves the first
 * one installed in the NIC.
 */
static void t_tenants_overlap(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_nic_conn_info info;
	struct rp_conn *c1, *c2;
	u32 id1, id2;

	t_add_vm(test, 3, 8, P3, t_mac1, 1);
	t_add_vm(test, 4, 8, P4, t_mac2, 2);
	t_add_rule(test, 2, 3, 4);

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	c1 = t_only_conn(test);
	id1 = c1->id;
	KUNIT_EXPECT_TRUE(test, c1->installed);

	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), NULL, P3, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_RETRANSMIT), 0);
	KUNIT_ASSERT_EQ(test, rn->conns.count, 2);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, P4, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	c2 = list_last_entry(&rn->conns.all, struct rp_conn, list);
	id2 = c2->id;
	KUNIT_EXPECT_NE(test, id1, id2);
	KUNIT_EXPECT_EQ(test, c2->req_vm, 3);
	KUNIT_EXPECT_EQ(test, c2->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_TRUE(test, c2->installed);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_INSTALL_FAILED), 0);

	/* tenant 8's connection closes; tenant 7's stays, in the NIC too */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(dreq), NULL, P3,
				     RP_DIR_FROM_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(drep), NULL, P4,
				     RP_DIR_FROM_VM, t_mac2, NULL),
			RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, rn->conns.count, 1);
	c1 = t_conn_by_id(rn, id1);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	KUNIT_EXPECT_EQ(test, c1->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_TRUE(test, c1->installed);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, rp_conn_query(&rn->conns, c1, &info), 0);
	rcu_read_unlock();
}

static const u8 t_mac5[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 5 };

/* Establish the captured V1 -> V2 connection. */
static struct rp_conn *t_establish(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_only_conn(test)->state, RP_CONN_STATE_ESTABLISHED);
	return t_only_conn(test);
}

/*
 * Security #3: V5 owns 10.10.0.0/24, inside which V1 and V2 own /32s.
 * From its own port it can claim neither V1's nor V2's address: not to
 * tear their connection down, not to open one as V1.
 */
static void t_spoof_nested_prefix(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *s = t_vm(test, 5, 15, t_mac5, 0);
	u64 spoofed;

	s->prefixes[0].plen = 96 + 24;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_add(rp_tables_locked(rn), s, NULL), 0);
	mutex_unlock(&rn->lock);
	t_add_rule(test, 2, 5, 2);
	t_establish(test);
	spoofed = t_stat(test, RP_EXC_CTR_SPOOFED);

	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(dreq), NULL, 15,
				     RP_DIR_FROM_VM, t_mac5, NULL),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(drep), NULL, 15,
				     RP_DIR_FROM_VM, t_mac5, NULL),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_only_conn(test)->state, RP_CONN_STATE_ESTABLISHED);
	/* V1's REQ, as V1, under V5's rule: refused too */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, 15,
				     RP_DIR_FROM_VM, t_mac5, NULL),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), spoofed + 3);
}

/*
 * Security #4: an unflagged CM message on its way to a VM (so: from the
 * uplink) that claims a local VM's address is forged: a local VM's own
 * messages are flagged at its port.  Neither a REQ "from V1" delivered on
 * V2's port nor a DREP "from V2" delivered on V1's port does anything.
 */
static void t_spoof_local_from_uplink(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	u64 spoofed = t_stat(test, RP_EXC_CTR_SPOOFED);

	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), NULL, P2, RP_DIR_TO_VM,
				     t_mac1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	t_establish(test);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(drep), NULL, P1, RP_DIR_TO_VM,
				     t_mac2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(dreq), NULL, P2, RP_DIR_TO_VM,
				     t_mac1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_only_conn(test)->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), spoofed + 3);
}

static const u8 t_mac6[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 6 };

/*
 * Security #6: the REP must come from the responder the REQ was decided
 * for.  V2 gives its address up to V6 while V1's REQ waits for the REP,
 * and V6's REP comes before the change's revalidation (which would end
 * the REQ, #13): from its own port, with the address it now owns, it
 * does not establish a connection no rule allowed towards V6.
 */
static void t_rep_from_other_vm(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *v2 = t_vm(test, 2, P2, t_mac2, 3);
	u64 spoofed;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	/* published, not revalidated yet: the window of an in-flight REP */
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), v2, NULL), 0);
	mutex_unlock(&rn->lock);
	t_add_vm(test, 6, 7, 16, t_mac6, 2);
	spoofed = t_stat(test, RP_EXC_CTR_SPOOFED);

	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(rep), NULL, 16, RP_DIR_FROM_VM,
				     t_mac6, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), spoofed + 1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 0);
	KUNIT_EXPECT_EQ(test, t_only_conn(test)->state, RP_CONN_STATE_REQ);
}

static atomic_t t_in_window, t_deleted;

/* Holds a REQ between its decision and the tracker until rule 1 is gone */
static void t_window_hook(void)
{
	unsigned long end = jiffies + 10 * HZ;

	atomic_set(&t_in_window, 1);
	while (!atomic_read(&t_deleted) && time_before(jiffies, end))
		cpu_relax();
}

struct t_racer {
	struct rp_net *rn;
	u8 *l3;
	unsigned int len;
	enum rp_exc_verdict v;
	struct completion done;
};

/* Decides V1's REQ once, then waits to be stopped (for kthread_stop()). */
static int t_racer_fn(void *arg)
{
	struct t_racer *r = arg;
	struct rp_exc_ctx x = {
		.rn = r->rn, .ifindex = P1, .dir = RP_DIR_FROM_VM, .l3 = r->l3,
		.l3len = r->len, .l3proto = ETH_P_IP, .mac = t_mac1,
	};

	rcu_read_lock();
	local_bh_disable();
	r->v = rp_exc_decide(&x);
	local_bh_enable();
	rcu_read_unlock();
	complete(&r->done);
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

/* Connections that name rule @id. */
static unsigned int t_conns_of_rule(struct rp_net *rn, u32 id)
{
	unsigned int n = 0;
	struct rp_conn *c;

	spin_lock_bh(&rn->conns.lock);
	list_for_each_entry(c, &rn->conns.all, list)
		n += c->rule_id == id;
	spin_unlock_bh(&rn->conns.lock);
	return n;
}

/*
 * Security #5: a REQ is decided on one CPU under rule 1 and, before it
 * reaches the tracker, rule 1 is deleted on another.  Once the deletion
 * (and its revalidation) returned, no connection may name the rule: the
 * REQ is decided again, and now denied.
 */
static void t_decide_races_rule_delete(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct t_racer r = {
		.rn = rn, .l3 = t_copy(test, MSG(req), NULL),
		.len = sizeof(rp_vec_req) - ETH_HLEN,
	};
	struct task_struct *task;
	int i, err;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	init_completion(&r.done);
	atomic_set(&t_in_window, 0);
	atomic_set(&t_deleted, 0);
	/* the racer spins with BHs off: it and we must be on other CPUs */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(0)), 0);
	task = kthread_create(t_racer_fn, &r, "rp_exc_racer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, 1);
	WRITE_ONCE(rp_exc_decided_hook, t_window_hook);
	wake_up_process(task);
	/* no ASSERT until the thread is stopped */
	for (i = 0; i < 5000 && !atomic_read(&t_in_window); i++)
		usleep_range(1000, 2000);
	mutex_lock(&rn->lock);
	err = rp_rule_del(rp_tables_locked(rn), 1, NULL);
	rp_config_changed(rn);
	mutex_unlock(&rn->lock);
	atomic_set(&t_deleted, 1);
	wait_for_completion_timeout(&r.done, 10 * HZ);
	kthread_stop(task);
	WRITE_ONCE(rp_exc_decided_hook, NULL);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	KUNIT_EXPECT_EQ(test, atomic_read(&t_in_window), 1);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, t_conns_of_rule(rn, 1), 0);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
	KUNIT_EXPECT_EQ(test, r.v, RP_EXC_DROP);
}

/* Security #8: a DREQ with no DREP does not keep its entry forever. */
static void t_closing_expires(struct kunit *test)
{
	unsigned int saved = rp_conn_closing_secs;
	struct rp_net *rn = test->priv;

	t_establish(test);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(dreq), NULL, P1,
				     RP_DIR_FROM_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	rp_conntrack_expire(&rn->conns);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);	/* 10 s not over */
	rp_conn_closing_secs = 0;
	msleep(20);
	rp_conntrack_expire(&rn->conns);
	rp_conn_closing_secs = saved;
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

/* The REQ from 10.10.0.9, an address no space of ours holds. */
static void t_bend_foreign_src(u8 *l3, unsigned int len)
{
	l3[15] = 9;
	l3[28 + 12 + 8 + 24 + 56 + 15] = 9;		/* primary local GID */
	l3[28 + 12 + 8 + 24 + 140 + 4 + 15] = 9;	/* RDMA CM src addr */
}

static void t_bend_foreign_src2(u8 *l3, unsigned int len)
{
	t_bend_foreign_src(l3, len);
	t_bend_comm_id(l3, len);
}

/*
 * Security #8: limits hold without an operator setting them: a VM
 * without max-conns gets rdmapolicy.vm_max_conns, and requesters that
 * are no address space of ours share rdmapolicy.anon_max_conns.
 */
static void t_default_limits(struct kunit *test)
{
	unsigned int saved_vm = rp_conn_vm_max, saved_anon = rp_conn_anon_max;
	struct rp_net *rn = test->priv;
	struct rp_rule_spec r = t_rule;
	bool rej = false;

	rp_conn_vm_max = 1;
	rp_conn_anon_max = 1;
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, P1,
				     RP_DIR_FROM_VM, t_mac1, &rej),
			RP_EXC_DROP);
	KUNIT_EXPECT_TRUE(test, rej);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);

	/* from the uplink, from nobody we know, to V2 */
	r.id = 2;
	r.src.type = RP_SEL_ANY;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_rule_add(rp_tables_locked(rn), &r, NULL), 0);
	mutex_unlock(&rn->lock);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_foreign_src, P2,
				     RP_DIR_TO_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 2);
	KUNIT_EXPECT_EQ(test, rn->conns.anon, 1);
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_foreign_src2, P2,
				     RP_DIR_TO_VM, t_mac1, NULL),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_DENIED), 2);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 2);
	rp_conn_flush(&rn->conns, 0, "test");
	KUNIT_EXPECT_EQ(test, rn->conns.anon, 0);
	rp_conn_vm_max = saved_vm;
	rp_conn_anon_max = saved_anon;
}

/*
 * Security #13: a connection ends when its requester loses the port it
 * came from (the port went away: its ifindex may come back as another
 * VM's) or the address it used.
 */
static void t_revalidate_port_and_addr(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *v1 = t_vm(test, 1, P1, t_mac1, 1);

	t_establish(test);
	v1->ports[0].ifindex = 21;		/* P1 is gone */
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), v1, NULL), 0);
	rp_config_changed(rn);
	mutex_unlock(&rn->lock);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);

	/* back on P1, the connection again; then V1 changes its address */
	v1 = t_vm(test, 1, P1, t_mac1, 1);
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), v1, NULL), 0);
	rp_config_changed(rn);
	mutex_unlock(&rn->lock);
	t_establish(test);
	v1 = t_vm(test, 1, P1, t_mac1, 5);
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), v1, NULL), 0);
	rp_config_changed(rn);
	mutex_unlock(&rn->lock);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

/* Write @val to a module parameter's sysfs file, as an operator would. */
static int t_param_write(const char *path, const char *val)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/*
 * security #18: halfopen_timeout is seconds, multiplied by HZ in an
 * unsigned int: values that overflow it (or 0, which forgets every REQ at
 * once) are refused.
 */
/* A timeout parameter @name (in @var) takes 1 to 3600 s, nothing else. */
static void t_timeout_param(struct kunit *test, const char *name,
			    unsigned int *var)
{
	unsigned int saved = *var;
	char path[80];

	snprintf(path, sizeof(path), "/sys/module/rdmapolicy/parameters/%s",
		 name);
	KUNIT_EXPECT_LT(test, t_param_write(path, "4294967295"), 0);
	KUNIT_EXPECT_LT(test, t_param_write(path, "17179870"), 0);
	KUNIT_EXPECT_LT(test, t_param_write(path, "0"), 0);
	KUNIT_EXPECT_EQ(test, *var, saved);
	KUNIT_EXPECT_EQ(test, t_param_write(path, "3600"), 0);
	KUNIT_EXPECT_EQ(test, *var, 3600);
	KUNIT_EXPECT_EQ(test, t_param_write(path, "5"), 0);
	KUNIT_EXPECT_EQ(test, *var, 5);
	*var = saved;
}

static void t_sec18_halfopen_timeout_range(struct kunit *test)
{
	t_timeout_param(test, "halfopen_timeout", &rp_conn_halfopen_secs);
}

/* closing_timeout (security #8) has the same range, for the same reason */
static void t_closing_timeout_range(struct kunit *test)
{
	t_timeout_param(test, "closing_timeout", &rp_conn_closing_secs);
}

/*
 * security #18: processed_mark must be exactly one bit (0 flags nothing;
 * with several, a mark holding any of them passes for processed).  It is
 * read-only once loaded, so its ops are fed a variable of the test's.
 */
static void t_sec18_processed_mark_one_bit(struct kunit *test)
{
	u32 mark = 0x40000000;
	const struct kernel_param kp = {
		.name = "processed_mark",
		.ops = &rp_processed_mark_ops,
		.arg = &mark,
	};

	KUNIT_EXPECT_EQ(test, kp.ops->set("0", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, kp.ops->set("0x3", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, kp.ops->set("0xffffffff", &kp), -EINVAL);
	KUNIT_EXPECT_NE(test, kp.ops->set("0x100000000", &kp), 0);
	KUNIT_EXPECT_NE(test, kp.ops->set("bit", &kp), 0);
	KUNIT_EXPECT_EQ(test, mark, 0x40000000);
	KUNIT_EXPECT_EQ(test, kp.ops->set("0x80", &kp), 0);
	KUNIT_EXPECT_EQ(test, mark, 0x80);
	KUNIT_EXPECT_EQ(test, kp.ops->set("2147483648", &kp), 0);
	KUNIT_EXPECT_EQ(test, mark, BIT(31));
}

/*
 * security #17: the fast REJ goes back on the requester's VLAN: a REQ with
 * a tag (out of band, as the receive path leaves the outer one) gets a REJ
 * with the same tag, an untagged REQ an untagged REJ.
 */
static void t_sec17_rej_vlan(struct kunit *test)
{
	unsigned int len = sizeof(rp_vec_req) - ETH_HLEN;
	u8 *l3 = t_copy(test, MSG(req), NULL);
	struct sk_buff *req, *rej;
	struct net_device *dev;
	struct rp_roce_pkt pkt;
	struct rp_cm_msg m;
	int tagged;

	KUNIT_ASSERT_EQ(test, rp_roce_parse(l3, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(l3 + pkt.bth_off + IB_BTH_BYTES,
					  IB_DETH_BYTES + pkt.payload_len, &m),
			RP_CM_OK);
	dev = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	for (tagged = 0; tagged < 2; tagged++) {
		req = alloc_skb(0, GFP_KERNEL);
		if (!req)
			break;
		if (tagged)
			__vlan_hwaccel_put_tag(req, htons(ETH_P_8021AD), 10);
		rej = rp_exc_rej_skb(dev, req, &pkt, &m, t_mac2, t_mac1);
		kfree_skb(req);
		KUNIT_EXPECT_NOT_NULL(test, rej);
		if (!rej)
			break;
		KUNIT_EXPECT_EQ(test, !!skb_vlan_tag_present(rej), !!tagged);
		if (tagged) {
			KUNIT_EXPECT_EQ(test, skb_vlan_tag_get_id(rej), 10);
			KUNIT_EXPECT_EQ(test, ntohs(rej->vlan_proto),
					ETH_P_8021AD);
		}
		KUNIT_EXPECT_TRUE(test, rej->mark & rp_processed_mark);
		kfree_skb(rej);
	}
	free_netdev(dev);
}

/*
 * security #16: connection ids skip 0, wrap, and never repeat one a live
 * connection has.
 */
static void t_sec16_conn_ids(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_conn *c;
	u32 ids[3], n = 0;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	spin_lock_bh(&rn->conns.lock);
	rn->conns.next_id = U32_MAX;	/* as after 2^32 - 2 connections */
	spin_unlock_bh(&rn->conns.lock);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, P1,
				     RP_DIR_FROM_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id2, P1,
				     RP_DIR_FROM_VM, t_mac1, NULL),
			RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, rn->conns.count, 3);
	spin_lock_bh(&rn->conns.lock);
	list_for_each_entry(c, &rn->conns.all, list)
		ids[n++] = c->id;
	spin_unlock_bh(&rn->conns.lock);
	KUNIT_EXPECT_EQ(test, ids[0], 1);
	KUNIT_EXPECT_EQ(test, ids[1], U32_MAX);
	/* wrapped: not 0, not 1 (live) */
	KUNIT_EXPECT_EQ(test, ids[2], 2);

	/* found and deleted by id, the others stay */
	rcu_read_lock();
	spin_lock_bh(&rn->conns.lock);
	KUNIT_EXPECT_NULL(test, rp_conn_by_id(&rn->conns, 0));
	c = rp_conn_by_id(&rn->conns, U32_MAX);
	KUNIT_EXPECT_NOT_NULL(test, c);
	if (c) {	/* no ASSERT with the lock held */
		KUNIT_EXPECT_EQ(test, c->id, U32_MAX);
		rp_conn_del(&rn->conns, c, "test");
	}
	KUNIT_EXPECT_NULL(test, rp_conn_by_id(&rn->conns, U32_MAX));
	KUNIT_EXPECT_NOT_NULL(test, rp_conn_by_id(&rn->conns, 1));
	KUNIT_EXPECT_NOT_NULL(test, rp_conn_by_id(&rn->conns, 2));
	spin_unlock_bh(&rn->conns.lock);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, rn->conns.count, 2);
}

/*
 * What rp_nl_config_set() does: replace the whole configuration by VM 1
 * (@s1), VM 2 if @vm2, and rule @r if given.  Return: the new tables
 * (current now), or NULL.
 */
static struct rp_tables *t_config_set(struct kunit *test,
				      struct rp_vm_spec *s1, bool vm2,
				      struct rp_rule_spec *r)
{
	struct rp_net *rn = test->priv;
	struct rp_config cfg;
	struct rp_tables *t;

	rp_config_begin(&cfg, rn, 0);
	t = rp_tables_alloc(&rn->lock);
	if (!t || rp_vm_add(t, s1, NULL) ||
	    (vm2 && rp_vm_add(t, t_vm(test, 2, P2, t_mac2, 2), NULL)) ||
	    (r && rp_rule_add(t, r, NULL))) {
		rp_tables_free(t);
		rp_config_abort(&cfg);
		KUNIT_FAIL(test, "cannot build the new tables");
		return NULL;
	}
	rp_config_replace(&cfg, t);
	rp_config_commit(&cfg);
	/* the old tables went to rp_tables_retire() */
	KUNIT_EXPECT_NULL(test, cfg.old);
	return t;
}

/*
 * security #9: replacing the configuration with the same VMs (restore,
 * RP_CMD_CONFIG_SET) keeps their counters, so a surviving connection still
 * counts against max-conns.
 */
static void t_sec9_replace_keeps_counters(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *s1 = t_vm(test, 1, P1, t_mac1, 1);
	struct rp_rule_spec r = t_rule;
	struct rp_vm *vm;
	bool rej = false;

	s1->max_conns = 1;
	mutex_lock(&rn->lock);
	KUNIT_ASSERT_EQ(test, rp_vm_set(rp_tables_locked(rn), s1, NULL), 0);
	mutex_unlock(&rn->lock);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(rep), NULL, P2, RP_DIR_FROM_VM,
				     t_mac2, NULL), RP_EXC_FORWARD);

	/* the same configuration again */
	if (!t_config_set(test, s1, true, &r))
		return;
	mutex_lock(&rn->lock);
	vm = rp_vm_by_id(rp_tables_locked(rn), 1);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, atomic_read(&vm->ctr->conns), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vm->ctr->allowed), 1);
	mutex_unlock(&rn->lock);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);	/* it survived */

	/* a second connection is one too many */
	KUNIT_EXPECT_EQ(test, t_feed(test, MSG(req), t_bend_comm_id, P1,
				     RP_DIR_FROM_VM, t_mac1, &rej),
			RP_EXC_DROP);
	KUNIT_EXPECT_TRUE(test, rej);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
}

/*
 * A replace hands the old tables to a worker (rp_tables_retire()).  Three
 * replaces in a row, the worker flushed: every replaced version is freed,
 * so the VM's counters, shared along the chain, are referenced by the
 * current tables alone (KASAN and kmemleak watch the rest).
 */
static void t_replace_retires_old(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_vm_spec *s1 = t_vm(test, 1, P1, t_mac1, 1);
	struct rp_tables *t = NULL;
	struct rp_vm *vm;
	int i;

	for (i = 0; i < 3; i++) {
		t = t_config_set(test, s1, false, NULL);
		if (!t)
			return;
	}
	rp_tables_retire_flush();
	mutex_lock(&rn->lock);
	KUNIT_EXPECT_PTR_EQ(test, rp_tables_locked(rn), t);
	vm = rp_vm_by_id(t, 1);
	KUNIT_EXPECT_NOT_NULL(test, vm);
	if (vm)
		KUNIT_EXPECT_EQ(test, refcount_read(&vm->ctr->ref), 1);
	mutex_unlock(&rn->lock);
}

/*
 * Security #14/#11: a netdev the NIC can never hook (here a macvtap) is
 * refused by the core before a configuration names it as a VM port; one
 * it can hook passes.  Asks the NICs registered (the KUnit run loads the
 * emulated one).
 */
/* ---- the tracker's table and its keyed hash (rp_conn.c) ---- */

#define T_HASH_FLIPS	(12 * 32)	/* one bit of the key each */
#define T_HASH_N	(T_HASH_FLIPS + 3000)

/*
 * Key @i: 10.10.0.1's (tenant 7, comm id 0) with one bit flipped, every
 * bit of every word in turn; after those, Local Comm IDs in a row (as one
 * VM sends them) with a destination no flip makes; from T_HASH_N on, the
 * key with no bit flipped.
 */
static void t_hash_key(struct rp_conn_key *k, unsigned int i)
{
	u32 *w = (u32 *)k;

	memset(k, 0, sizeof(*k));
	ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &k->addr);
	k->tenant = 7;
	if (i < T_HASH_FLIPS) {
		w[i / 32] ^= BIT(i % 32);
	} else if (i < T_HASH_N) {
		k->daddr.s6_addr32[0] = 0xdeadbeef;
		k->comm_id = i;
	}
}

static struct rp_conn *t_hash_find(struct rp_conntrack *ct, unsigned int i)
{
	struct rp_conn_key k;

	t_hash_key(&k, i);
	return rp_conn_lookup_key(ct, &k);
}

/*
 * Keys that differ in one bit, at every bit of the key, and keys in a row
 * are each found as themselves, and not once deleted, while the table
 * grows under them.
 */
static void t_tracker_hash_table(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_conntrack *ct = &rn->conns;
	struct rp_conn **c, *n;
	struct rp_conn_key k;
	unsigned int i, found = 0, gone = 0;

	c = kunit_kcalloc(test, T_HASH_N, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < T_HASH_N; i++) {
		t_hash_key(&k, i);
		spin_lock_bh(&ct->lock);
		n = rp_conn_alloc(ct);
		if (!IS_ERR_OR_NULL(n)) {
			n->key = k;
			n->state = RP_CONN_STATE_REQ;
			n = rp_conn_add(ct, n);
		}
		spin_unlock_bh(&ct->lock);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(n), "key %u", i);
		c[i] = n;
	}
	KUNIT_EXPECT_EQ(test, ct->count, T_HASH_N);
	KUNIT_EXPECT_EQ(test, atomic_read(&ct->ht.nelems), T_HASH_N);
	/* the same key again is refused */
	t_hash_key(&k, 5);
	spin_lock_bh(&ct->lock);
	n = rp_conn_alloc(ct);
	if (!IS_ERR_OR_NULL(n)) {
		n->key = k;
		n = rp_conn_add(ct, n);
	}
	spin_unlock_bh(&ct->lock);
	KUNIT_EXPECT_TRUE(test, IS_ERR(n));
	KUNIT_EXPECT_EQ(test, ct->count, T_HASH_N);

	rcu_read_lock();
	for (i = 0; i < T_HASH_N; i++)
		found += t_hash_find(ct, i) == c[i];
	/* the unflipped key, and one two flips away, are no entry's */
	t_hash_key(&k, T_HASH_N);
	KUNIT_EXPECT_NULL(test, rp_conn_lookup_key(ct, &k));
	k.comm_id = 3;
	KUNIT_EXPECT_NULL(test, rp_conn_lookup_key(ct, &k));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, T_HASH_N);

	/* every other one deleted: those gone, the rest still found */
	rcu_read_lock();	/* rp_conn_del() reads the tables */
	spin_lock_bh(&ct->lock);
	for (i = 0; i < T_HASH_N; i += 2)
		rp_conn_del(ct, c[i], NULL);
	spin_unlock_bh(&ct->lock);
	rcu_read_unlock();
	found = 0;
	rcu_read_lock();
	for (i = 0; i < T_HASH_N; i++) {
		n = t_hash_find(ct, i);
		if (i % 2)
			found += n == c[i];
		else
			gone += !n;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, T_HASH_N / 2);
	KUNIT_EXPECT_EQ(test, gone, T_HASH_N / 2);
	rcu_read_lock();
	spin_lock_bh(&ct->lock);
	for (i = 1; i < T_HASH_N; i += 2)
		rp_conn_del(ct, c[i], NULL);
	spin_unlock_bh(&ct->lock);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ct->count, 0);
	KUNIT_EXPECT_EQ(test, ct->anon, 0);
}

/*
 * The hash spreads structured keys as random ones: one-bit flips and keys
 * in a row over 1024 buckets, at most 20 in one (random keys: 4 on
 * average, more than 20 with probability ~1e-5); every word counts, and
 * the table's seed changes the hash.
 */
static void t_tracker_hash_spread(struct kunit *test)
{
	u8 *load = kunit_kzalloc(test, 1024, GFP_KERNEL);
	unsigned int i, max = 0, same = 0;
	struct rp_conn_key k;
	u32 h, base;

	KUNIT_ASSERT_NOT_NULL(test, load);
	t_hash_key(&k, T_HASH_N);
	base = rp_conn_key_hash(&k, sizeof(k), 0x1234);
	for (i = 0; i < T_HASH_N; i++) {
		t_hash_key(&k, i);
		h = rp_conn_key_hash(&k, sizeof(k), 0x1234);
		max = max_t(unsigned int, max, ++load[h & 1023]);
		same += h == rp_conn_key_hash(&k, sizeof(k), 0x4321);
		/* a flip of each word's lowest bit changes the hash */
		if (i < T_HASH_FLIPS && i % 32 == 0)
			KUNIT_EXPECT_NE_MSG(test, h, base, "word %u", i / 32);
	}
	KUNIT_EXPECT_LE(test, max, 20);
	KUNIT_EXPECT_LE(test, same, 4);
}

static void t_port_check(struct kunit *test)
{
	struct net_device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	struct rtnl_link_ops *ops = kunit_kzalloc(test, sizeof(*ops),
						  GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	strscpy(dev->name, "t_macvtap0", sizeof(dev->name));
	ops->kind = "macvtap";
	dev->rtnl_link_ops = ops;
	rtnl_lock();
	err = rp_nic_port_check(dev);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, -EOPNOTSUPP);
	ops->kind = "tun";
	rtnl_lock();
	err = rp_nic_port_check(dev);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, 0);
}

/*
 * A configuration transaction: an abort (or an end with an error) leaves
 * the generation and the connections alone and unlocks; a commit bumps the
 * generation once, revalidates (the connection its rule allowed goes with
 * the rule) and unlocks.
 */
static void t_config_txn(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	u32 gen = rn->generation;
	struct rp_config cfg;
	struct rp_tables *t;

	KUNIT_ASSERT_EQ(test, t_feed(test, MSG(req), NULL, P1, RP_DIR_FROM_VM,
				     t_mac1, NULL), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, rn->conns.count, 1);
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_EXPECT_PTR_EQ(test, t, rp_tables_locked(rn));
	rp_config_abort(&cfg);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&rn->lock));
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_EXPECT_EQ(test, rp_config_end(&cfg, -EINVAL), -EINVAL);
	KUNIT_EXPECT_EQ(test, rn->generation, gen);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 1);
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_EXPECT_EQ(test, rp_config_end(&cfg, rp_rule_del(t, t_rule.id,
							      NULL)), 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&rn->lock));
	KUNIT_EXPECT_EQ(test, rn->generation, gen + 1);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

static struct kunit_case rp_exc_cases[] = {
	KUNIT_CASE(t_sec17_rej_vlan),
	KUNIT_CASE(t_sec18_halfopen_timeout_range),
	KUNIT_CASE(t_closing_timeout_range),
	KUNIT_CASE(t_sec18_processed_mark_one_bit),
	KUNIT_CASE_PARAM(t_decide, t_decide_gen_params),
	KUNIT_CASE_PARAM(t_decide_nic_parsed, t_decide_gen_params),
	KUNIT_CASE(t_nic_parse_bounds),
	KUNIT_CASE(t_tracker_hash_table),
	KUNIT_CASE(t_tracker_hash_spread),
	KUNIT_CASE(t_lifecycle),
	KUNIT_CASE(t_strays),
	KUNIT_CASE(t_rejected),
	KUNIT_CASE(t_timeout),
	KUNIT_CASE(t_policy_change),
	KUNIT_CASE(t_max_conns),
	KUNIT_CASE(t_tenants_overlap),
	KUNIT_CASE(t_spoof_nested_prefix),
	KUNIT_CASE(t_spoof_local_from_uplink),
	KUNIT_CASE(t_rep_from_other_vm),
	KUNIT_CASE(t_decide_races_rule_delete),
	KUNIT_CASE(t_closing_expires),
	KUNIT_CASE(t_default_limits),
	KUNIT_CASE(t_revalidate_port_and_addr),
	KUNIT_CASE(t_port_check),
	KUNIT_CASE(t_sec16_conn_ids),
	KUNIT_CASE(t_sec9_replace_keeps_counters),
	KUNIT_CASE(t_replace_retires_old),
	KUNIT_CASE(t_config_txn),
	{}
};

static struct kunit_suite rp_exc_suite = {
	.name = "rdmapolicy_exception",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_exc_cases,
};

kunit_test_suite(rp_exc_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy exception path");
