// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for SIDR (rp_exc_sidr.c): SIDR_REQ and SIDR_REP built byte
 * by byte from the IBTA layouts (rdma/ibta_vol1_c12.h) as udaddy's rdma_cm
 * sends them over RoCEv2 (IPv4, RDMA_PS_UDP port 7174, the RDMA CM IP
 * header in the SIDR_REQ's private data), parsed and decided; the UD flows
 * bound by the requester's first datagram; the SIDR_REP that says no to a
 * denied SIDR_REQ; and hostile senders: forged and stray SIDR_REPs,
 * spoofed SIDR_REQs, datagrams from the wrong side.
 *
 * Each case gets a namespace state of its own in init_net with V1 (port
 * 11, 10.10.0.1), V2 (port 12, 10.10.0.2), V3 (port 13, 10.10.0.3) and
 * rule 1: V1 -> V2, udp 7174, UD, allow send (setup cm).  No NIC is
 * registered: flows count as installed.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/ipv6.h>
#include <rdma/ib_cm.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_pack.h>
#include <rdma/ibta_vol1_c12.h>
#include <uapi/rdma/rdma_user_cm.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>
#include "../drivers/rdmapolicy/rp_config.h"
#include "../drivers/rdmapolicy/rp_exc.h"
#include "../drivers/rdmapolicy/rp_learn.h"
#include "../drivers/rdmapolicy/rp_net.h"
#include "../drivers/rdmapolicy/rp_policy.h"
#include "../drivers/rdmapolicy/rp_rej.h"
#include "rp_kunit_pkt.h"
#include "rp_kunit_env.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

enum { P1 = 11, P2 = 12, P3 = 13 };

#define T_PORT		7174
#define T_REQ_ID	0x1234abcd
#define T_TID		0x0000000200000042ULL
#define T_REP_QPN	0x11
#define T_REQ_QPN	0x12
/* IPv4: IP 20, UDP 8, BTH 12: the DETH at 40, the MAD at 48 */
#define T_DETH		40
#define T_MAD		48

static const u8 t_mac1[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 1 };
static const u8 t_mac2[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 2 };
static const u8 t_mac3[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 3 };

static const u8 *t_mac(int port)
{
	return port == P1 ? t_mac1 : port == P2 ? t_mac2 : t_mac3;
}

static struct rp_vm_spec *t_vm(struct kunit *test, u32 id, int ifindex,
			       u8 last_octet)
{
	return rp_kt_vm(test, id, ifindex, t_mac(ifindex),
			htonl(0x0a0a0000 | last_octet));
}

static const struct rp_rule_spec t_rule = {
	.id = 1, .prio = 100,
	.src = { .type = RP_SEL_VM, .vm = 1 },
	.dst = { .type = RP_SEL_VM, .vm = 2 },
	.ps = RDMA_PS_UDP, .port_min = T_PORT, .port_max = T_PORT,
	.qp_types = RP_QP_UD, .action = RP_ACT_ALLOW,
	.rights = RP_RIGHT_SEND, .reply_rights = RP_RIGHT_SEND,
};

static int t_init(struct kunit *test)
{
	struct rp_vm_spec *vms[] = { t_vm(test, 1, P1, 1), t_vm(test, 2, P2, 2),
				     t_vm(test, 3, P3, 3) };

	return rp_kt_net_init(test, vms, ARRAY_SIZE(vms), &t_rule, 1);
}

static void t_exit(struct kunit *test)
{
	rp_kt_net_exit(test);
}

/* What a test message is: who sends it to whom, and its fields. */
struct t_sidr {
	bool rep;		/* SIDR_REP, else SIDR_REQ */
	u8 src, dst;		/* last octets of 10.10.0.x */
	u8 cma_src;		/* SIDR_REQ: the IP header's, 0: @src */
	u16 port;		/* 0: T_PORT */
	u32 req_id;		/* 0: T_REQ_ID */
	u8 status;		/* SIDR_REP */
	u32 qpn;		/* SIDR_REP: 0: T_REP_QPN */
};

/* Set the IPv4 addresses of @b and its ICRC; @len: from IP on. */
static void t_finish(struct kunit *test, u8 *b, unsigned int len, u8 src,
		     u8 dst)
{
	struct rp_roce_pkt pkt;
	u32 icrc;

	put_unaligned_be32(0x0a0a0000 | src, b + 12);
	put_unaligned_be32(0x0a0a0000 | dst, b + 16);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), 0);
	put_unaligned_le32(icrc, b + len - IB_ICRC_BYTES);
}

/* A SIDR_REQ or SIDR_REP (UD SEND_ONLY QP1 -> QP1) into @b. */
static unsigned int t_build_sidr(struct kunit *test, u8 *b,
				 const struct t_sidr *s)
{
	struct t_spec sp = {
		.ipver = 4, .opcode = IB_OPCODE_UD_SEND_ONLY, .dqpn = 1,
		.payload = 256,
	};
	unsigned int len = t_build(b, &sp);
	struct ib_mad_hdr *hdr = (void *)(b + T_MAD);
	u64 sid = 0x01000000ULL | (RDMA_PS_UDP << 16) | (s->port ?: T_PORT);
	u32 id = s->req_id ?: T_REQ_ID;

	put_unaligned_be32(IB_QP1_QKEY, b + T_DETH);
	put_unaligned_be32(1, b + T_DETH + 4);
	hdr->base_version = IB_MGMT_BASE_VERSION;
	hdr->mgmt_class = IB_MGMT_CLASS_CM;
	hdr->class_version = 2;
	hdr->method = IB_MGMT_METHOD_SEND;
	hdr->tid = cpu_to_be64(T_TID);
	if (s->rep) {
		struct cm_sidr_rep_msg *m = (void *)hdr;

		hdr->attr_id = CM_SIDR_REP_ATTR_ID;
		IBA_SET(CM_SIDR_REP_REQUESTID, m, id);
		IBA_SET(CM_SIDR_REP_STATUS, m, s->status);
		IBA_SET(CM_SIDR_REP_QPN, m, s->qpn ?: T_REP_QPN);
		IBA_SET(CM_SIDR_REP_SERVICEID, m, sid);
		IBA_SET(CM_SIDR_REP_Q_KEY, m, 0x1234567);
	} else {
		struct cm_sidr_req_msg *m = (void *)hdr;
		u8 *pd = IBA_GET_MEM_PTR(CM_SIDR_REQ_PRIVATE_DATA, m);

		hdr->attr_id = CM_SIDR_REQ_ATTR_ID;
		IBA_SET(CM_SIDR_REQ_REQUESTID, m, id);
		IBA_SET(CM_SIDR_REQ_PARTITION_KEY, m, 0xffff);
		IBA_SET(CM_SIDR_REQ_SERVICEID, m, sid);
		/* the RDMA CM IP header: version 0, IPv4, ports, addresses */
		pd[1] = 4 << 4;
		put_unaligned_be16(49152, pd + 2);
		put_unaligned_be32(0x0a0a0000 | (s->cma_src ?: s->src),
				   pd + 4 + 12);
		put_unaligned_be32(0x0a0a0000 | s->dst, pd + 20 + 12);
	}
	t_finish(test, b, len, s->src, s->dst);
	return len;
}

/* Decide @s as the NIC of @port hands it over, going @dir. */
static enum rp_exc_verdict t_cm_dir(struct kunit *test,
				    const struct t_sidr *s, int port,
				    enum rp_dir dir, struct rp_exc_ctx **out)
{
	struct rp_exc_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	enum rp_exc_verdict v;

	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, b);
	x->rn = test->priv;
	x->ifindex = port;
	x->dir = dir;
	x->l3 = b;
	x->l3len = t_build_sidr(test, b, s);
	x->l3proto = ETH_P_IP;
	x->mac = t_mac(port);
	rcu_read_lock();
	local_bh_disable();
	v = rp_exc_decide(x);
	local_bh_enable();
	rcu_read_unlock();
	if (out)
		*out = x;
	return v;
}

/* ... from the VM of @port */
static enum rp_exc_verdict t_cm(struct kunit *test, const struct t_sidr *s,
				int port, struct rp_exc_ctx **out)
{
	return t_cm_dir(test, s, port, RP_DIR_FROM_VM, out);
}

/* A UD datagram 10.10.0.@src -> .@dst, QP @sqpn -> @dqpn, from @port. */
static enum rp_exc_verdict t_dgram(struct kunit *test, u8 src, u8 dst,
				   u32 sqpn, u32 dqpn, int port)
{
	struct t_spec sp = {
		.ipver = 4, .opcode = IB_OPCODE_UD_SEND_ONLY, .dqpn = dqpn,
		.payload = 16,
	};
	struct rp_learn_ctx x = {
		.rn = test->priv, .ifindex = port, .l3proto = ETH_P_IP,
		.mac = t_mac(port),
	};
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	enum rp_exc_verdict v;
	unsigned int len;

	KUNIT_ASSERT_NOT_NULL(test, b);
	len = t_build(b, &sp);
	put_unaligned_be32(0x1234567, b + T_DETH);
	put_unaligned_be32(sqpn, b + T_DETH + 4);
	t_finish(test, b, len, src, dst);
	x.l3 = b;
	x.l3len = len;
	x.pktlen = len;
	rcu_read_lock();
	local_bh_disable();
	v = rp_learn_decide(&x);
	local_bh_enable();
	rcu_read_unlock();
	return v;
}

static u64 t_stat(struct kunit *test, enum rp_exc_ctr c)
{
	return atomic64_read(&((struct rp_net *)test->priv)->exc[c]);
}

static struct rp_conn *t_only_conn(struct kunit *test)
{
	struct rp_net *rn = test->priv;

	KUNIT_ASSERT_EQ(test, rn->conns.count, 1);
	return list_first_entry(&rn->conns.all, struct rp_conn, list);
}

static const struct t_sidr t_req = { .src = 1, .dst = 2 };
static const struct t_sidr t_rep = { .rep = true, .src = 2, .dst = 1 };

/* The parser on both messages: what the policy and the tracker read. */
static void t_parse(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	struct rp_cm_msg m;
	struct in6_addr a;

	KUNIT_ASSERT_NOT_NULL(test, b);
	t_build_sidr(test, b, &t_req);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(b + T_DETH, 8 + 256, &m), RP_CM_OK);
	KUNIT_EXPECT_EQ(test, m.type, RP_CM_SIDR_REQ);
	KUNIT_EXPECT_EQ(test, m.request_id, T_REQ_ID);
	KUNIT_EXPECT_EQ(test, m.tid, T_TID);
	KUNIT_EXPECT_TRUE(test, m.rdma_cm);
	KUNIT_EXPECT_EQ(test, m.ps, RDMA_PS_UDP);
	KUNIT_EXPECT_EQ(test, m.port, T_PORT);
	KUNIT_EXPECT_EQ(test, m.qp_type, RP_QP_UD);
	KUNIT_EXPECT_TRUE(test, m.has_cma);
	KUNIT_EXPECT_EQ(test, m.cma_ip_version, 4);
	ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &a);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&m.cma_src, &a));
	ipv6_addr_set_v4mapped(htonl(0x0a0a0002), &a);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&m.cma_dst, &a));

	t_build_sidr(test, b, &t_rep);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(b + T_DETH, 8 + 256, &m), RP_CM_OK);
	KUNIT_EXPECT_EQ(test, m.type, RP_CM_SIDR_REP);
	KUNIT_EXPECT_EQ(test, m.request_id, T_REQ_ID);
	KUNIT_EXPECT_EQ(test, m.sidr_status, IB_SIDR_SUCCESS);
	KUNIT_EXPECT_EQ(test, m.qpn, T_REP_QPN);
	KUNIT_EXPECT_EQ(test, m.port, T_PORT);
	/* short of a whole MAD: truncated, never read past */
	KUNIT_EXPECT_EQ(test, rp_cm_parse(b + T_DETH, 8 + 255, &m),
			RP_CM_ERR_TRUNC);
}

/* SIDR_REQ, SIDR_REP, first datagram: both UD flows bound and installed */
static void t_allow_bind(struct kunit *test)
{
	struct rp_conn *c;

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->key.sidr, RP_CONN_SIDR_REQ);
	KUNIT_EXPECT_EQ(test, c->key.comm_id, T_REQ_ID);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_REQ);
	KUNIT_EXPECT_EQ(test, c->qp_type, RP_QP_UD);
	KUNIT_EXPECT_EQ(test, c->ps, RDMA_PS_UDP);
	KUNIT_EXPECT_EQ(test, c->port, T_PORT);
	KUNIT_EXPECT_EQ(test, c->rule_id, 1);
	KUNIT_EXPECT_EQ(test, c->req_ifindex, P1);
	/* resent: tracked already (the policy is asked first, as for a REQ) */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_RETRANSMIT), 1);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count, 1);

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, c->key.sidr, RP_CONN_SIDR_UD);
	KUNIT_EXPECT_EQ(test, c->key.comm_id, T_REP_QPN);
	KUNIT_EXPECT_EQ(test, c->rep_qpn, T_REP_QPN);
	KUNIT_EXPECT_EQ(test, c->rep_ifindex, P2);
	/* the requester's QPN is not known yet: nothing installed */
	KUNIT_EXPECT_EQ(test, c->req_qpn, 0);
	KUNIT_EXPECT_FALSE(test, c->installed);
	KUNIT_EXPECT_EQ(test, rp_conn_sidr_flows(c), 0);

	/* the responder first: not its to bind (the requester is local) */
	KUNIT_EXPECT_EQ(test, t_dgram(test, 2, 1, T_REP_QPN, T_REQ_QPN, P2),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, c->req_qpn, 0);
	/* V3 to the responder's QP: not the requester */
	KUNIT_EXPECT_EQ(test, t_dgram(test, 3, 2, T_REQ_QPN, T_REP_QPN, P3),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, c->req_qpn, 0);

	KUNIT_EXPECT_EQ(test, t_dgram(test, 1, 2, T_REQ_QPN, T_REP_QPN, P1),
			RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->req_qpn, T_REQ_QPN);
	KUNIT_EXPECT_TRUE(test, c->installed);
	KUNIT_EXPECT_EQ(test, rp_conn_sidr_flows(c), 2);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_LEARN_ALLOWED), 0);
	/* bound once: the next first packet is a learned flow's to judge */
	KUNIT_EXPECT_EQ(test, t_dgram(test, 1, 2, T_REQ_QPN + 1, T_REP_QPN,
				      P1), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, c->req_qpn, T_REQ_QPN);
}

/* Denied: dropped, counted, and answered by a rejecting SIDR_REP. */
static void t_deny_rej(struct kunit *test)
{
	struct t_sidr s = t_req;
	struct rp_roce_pkt pkt;
	struct rp_exc_ctx *x;
	struct rp_cm_msg m;
	unsigned int len;
	u8 *out;

	s.port = T_PORT + 1;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P1, &x), RP_EXC_DROP);
	KUNIT_EXPECT_TRUE(test, x->want_rej);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_DENIED), 1);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count, 0);

	out = kunit_kzalloc(test, RP_REJ_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	len = rp_rej_build(&x->pkt, &x->m, RP_REJ_REASON, out);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(out, len, len, ETH_P_IP, &pkt),
			RP_ROCE_OK);
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(out, len, &pkt));
	KUNIT_EXPECT_EQ(test, pkt.dqpn, RP_QPN_GSI);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.saddr, &x->pkt.daddr));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.daddr, &x->pkt.saddr));
	KUNIT_ASSERT_EQ(test, rp_cm_parse(out + pkt.bth_off + IB_BTH_BYTES,
					  IB_DETH_BYTES + pkt.payload_len, &m),
			RP_CM_OK);
	KUNIT_EXPECT_EQ(test, m.type, RP_CM_SIDR_REP);
	KUNIT_EXPECT_EQ(test, m.sidr_status, IB_SIDR_REJECT);
	KUNIT_EXPECT_EQ(test, m.request_id, T_REQ_ID);
	KUNIT_EXPECT_EQ(test, m.tid, T_TID);
	KUNIT_EXPECT_EQ(test, m.port, T_PORT + 1);
}

/* Hostile senders on the new path: all dropped, each counted. */
static void t_hostile(struct kunit *test)
{
	struct t_sidr s = t_req;
	struct rp_conn *c;

	/* a SIDR_REQ whose RDMA CM IP header names another source */
	s.cma_src = 9;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P1, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), 1);
	/* V3 sending V1's SIDR_REQ (V1's address) from its own port */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P3, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), 2);
	KUNIT_EXPECT_EQ(test, ((struct rp_net *)test->priv)->conns.count, 0);

	/* a SIDR_REP answering no tracked request */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 1);

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	/* V3, which the SIDR_REQ was not for, answers it */
	s = t_rep;
	s.src = 3;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P3, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 2);
	/* ... or answers it as V2 */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P3, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), 3);
	/* another Request ID from the right responder */
	s = t_rep;
	s.req_id = T_REQ_ID + 1;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 3);
	/* a SIDR_REP naming QP1 as the service's */
	s = t_rep;
	s.qpn = 1;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MALFORMED), 1);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_REQ);
	/* the real one still passes */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_only_conn(test)->state,
			RP_CONN_STATE_ESTABLISHED);
	/* and a second answer finds no SIDR_REQ waiting */
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_UNTRACKED), 4);
}

/* A rejecting SIDR_REP ends the exchange; an unbound one idles out. */
static void t_end(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct t_sidr s = t_rep;
	struct rp_conn *c;

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	s.status = IB_SIDR_REJECT;
	KUNIT_EXPECT_EQ(test, t_cm(test, &s, P2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_FORWARD);
	c = t_only_conn(test);
	spin_lock_bh(&rn->conns.lock);
	c->since = jiffies - READ_ONCE(rp_conn_learn_idle_secs) * HZ - 1;
	spin_unlock_bh(&rn->conns.lock);
	rp_conntrack_expire(&rn->conns);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

/* A configuration change decides a SIDR exchange again, like a REQ. */
static void t_revalidate(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_rule_spec r = t_rule;
	struct rp_config cfg;
	struct rp_tables *t;

	KUNIT_EXPECT_EQ(test, t_cm(test, &t_req, P1, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_cm(test, &t_rep, P2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_dgram(test, 1, 2, T_REQ_QPN, T_REP_QPN, P1),
			RP_EXC_FORWARD);
	r.qp_types = RP_QP_RC;
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_set(t, &r, NULL)),
			0);
	KUNIT_EXPECT_EQ(test, rn->conns.count, 0);
}

/*
 * A requester behind no port here (10.10.0.9, from the uplink towards
 * V2): its flow is installed at the SIDR_REP, the other one from the
 * responder's first datagram.
 */
static void t_remote_requester(struct kunit *test)
{
	struct t_sidr req = { .src = 9, .dst = 2 };
	struct t_sidr rep = { .rep = true, .src = 2, .dst = 9 };
	struct rp_rule_spec r = t_rule;
	struct rp_net *rn = test->priv;
	struct rp_config cfg;
	struct rp_tables *t;
	struct rp_conn *c;

	r.id = 2;
	r.src.type = RP_SEL_ANY;
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_add(t, &r, NULL)),
			0);
	KUNIT_EXPECT_EQ(test, t_cm_dir(test, &req, P2, RP_DIR_TO_VM, NULL),
			RP_EXC_FORWARD);
	c = t_only_conn(test);
	KUNIT_EXPECT_EQ(test, c->req_vm, 0);
	KUNIT_EXPECT_EQ(test, c->req_ifindex, 0);
	KUNIT_EXPECT_EQ(test, c->rule_id, 2);
	KUNIT_EXPECT_EQ(test, t_cm(test, &rep, P2, NULL), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, c->state, RP_CONN_STATE_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, rp_conn_sidr_flows(c), 1);
	KUNIT_EXPECT_TRUE(test, c->installed);
	/* the responder answers the requester's QP: that is its QPN */
	KUNIT_EXPECT_EQ(test, t_dgram(test, 2, 9, T_REP_QPN, 0x33, P2),
			RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, c->req_qpn, 0x33);
	KUNIT_EXPECT_EQ(test, rp_conn_sidr_flows(c), 2);
	KUNIT_EXPECT_TRUE(test, c->installed);
}

static struct kunit_case rp_sidr_cases[] = {
	KUNIT_CASE(t_parse),
	KUNIT_CASE(t_allow_bind),
	KUNIT_CASE(t_deny_rej),
	KUNIT_CASE(t_hostile),
	KUNIT_CASE(t_end),
	KUNIT_CASE(t_revalidate),
	KUNIT_CASE(t_remote_requester),
	{}
};

static struct kunit_suite rp_sidr_suite = {
	.name = "rdmapolicy_sidr",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_sidr_cases,
};

kunit_test_suite(rp_sidr_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for rdmapolicy's SIDR (UD over RDMA CM)");
