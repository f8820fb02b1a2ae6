// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the CM parser (rp_cm.c), the ICRC (rp_roce.c) and the
 * fast REJ (rp_rej.c), on packets captured from real rping/ucmatose runs
 * (rp_cm_vectors.h) and on every malformed variant of them we could think
 * of.  Buffers are kmalloc'ed to their exact length so KASAN catches reads
 * past them.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>
#include <uapi/linux/rdmapolicy.h>
#include <uapi/rdma/rdma_user_cm.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>
#include "../drivers/rdmapolicy/rp_rej.h"
#include "rp_cm_vectors.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct t_vec {
	const char *name;
	const u8 *frame;
	unsigned int len;
	u8 type;
};

#define VEC(n, t) { #n, rp_vec_##n, sizeof(rp_vec_##n), t }

static const struct t_vec t_vecs[] = {
	VEC(req, RP_CM_REQ), VEC(rep, RP_CM_REP), VEC(rtu, RP_CM_RTU),
	VEC(dreq, RP_CM_DREQ), VEC(drep, RP_CM_DREP), VEC(rej, RP_CM_REJ),
};

/* Parse a captured frame down to its CM message; returns the L3 copy. */
static u8 *t_open(struct kunit *test, const u8 *frame, unsigned int len,
		  struct rp_roce_pkt *pkt, struct rp_cm_msg *m,
		  enum rp_cm_verdict *cv)
{
	unsigned int l3len = len - ETH_HLEN;
	u8 *l3 = kunit_kmalloc(test, l3len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l3);
	memcpy(l3, frame + ETH_HLEN, l3len);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(l3, l3len, l3len,
					    ntohs(*(__be16 *)(frame + 12)),
					    pkt), RP_ROCE_OK);
	*cv = rp_cm_parse(l3 + pkt->bth_off + IB_BTH_BYTES,
			  IB_DETH_BYTES + pkt->payload_len, m);
	return l3;
}

static unsigned int t_dglen(const struct rp_roce_pkt *pkt)
{
	return pkt->payload_off + pkt->payload_len + pkt->pad + IB_ICRC_BYTES;
}

static void t_vec_desc(const struct t_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_captured, t_vecs, t_vec_desc);

/* Every captured packet: well framed, right ICRC, the right CM type. */
static void t_captured(struct kunit *test)
{
	const struct t_vec *v = test->param_value;
	struct rp_roce_pkt pkt;
	enum rp_cm_verdict cv;
	struct rp_cm_msg m;
	u8 *l3;

	l3 = t_open(test, v->frame, v->len, &pkt, &m, &cv);
	KUNIT_EXPECT_EQ(test, pkt.dqpn, RP_QPN_GSI);
	KUNIT_EXPECT_EQ(test, pkt.opcode, IB_OPCODE_UD_SEND_ONLY);
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(l3, t_dglen(&pkt), &pkt));
	KUNIT_EXPECT_STREQ(test, rp_cm_verdict_name(cv), "ok");
	KUNIT_EXPECT_STREQ(test, rp_cm_type_name(m.type),
			   rp_cm_type_name(v->type));

	/* any flipped bit after the IP header breaks the ICRC */
	l3[pkt.payload_off + 40] ^= 0x10;
	KUNIT_EXPECT_FALSE(test, rp_roce_icrc_ok(l3, t_dglen(&pkt), &pkt));
	l3[pkt.payload_off + 40] ^= 0x10;
	/* ... but not in the fields routers may change */
	l3[8] = 3;			/* TTL */
	l3[1] = 0x22;			/* TOS */
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(l3, t_dglen(&pkt), &pkt));
}

/* One connection's messages, as rping's rdma_cm sent them. */
static void t_conversation(struct kunit *test)
{
	struct rp_cm_msg *msgs = kunit_kcalloc(test, 5, sizeof(*msgs),
					       GFP_KERNEL);
	struct rp_roce_pkt pkt;
	enum rp_cm_verdict cv;
	struct in6_addr a;

	KUNIT_ASSERT_NOT_NULL(test, msgs);
#define req (msgs[0])
#define rep (msgs[1])
#define rtu (msgs[2])
#define dreq (msgs[3])
#define drep (msgs[4])
	t_open(test, rp_vec_req, sizeof(rp_vec_req), &pkt, &req, &cv);
	KUNIT_ASSERT_EQ(test, cv, RP_CM_OK);
	KUNIT_EXPECT_EQ(test, req.type, RP_CM_REQ);
	KUNIT_EXPECT_TRUE(test, req.rdma_cm);
	KUNIT_EXPECT_EQ(test, req.ps, RDMA_PS_TCP);
	KUNIT_EXPECT_EQ(test, req.port, 7174);		/* rping's port */
	KUNIT_EXPECT_EQ(test, req.qp_type, RP_QP_RC);
	KUNIT_EXPECT_TRUE(test, req.has_cma);
	KUNIT_EXPECT_EQ(test, req.cma_ip_version, 4);
	KUNIT_EXPECT_NE(test, req.cma_port, 0);	/* rping's source port */
	ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &a);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&req.cma_src, &a));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&req.gid_local, &a));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.saddr, &a));
	ipv6_addr_set_v4mapped(htonl(0x0a0a0002), &a);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&req.cma_dst, &a));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&req.gid_remote, &a));
	KUNIT_EXPECT_NE(test, req.local_comm_id, 0);
	KUNIT_EXPECT_NE(test, req.qpn, 0);
	/* rping asks for RDMA READ: responder resources and depth > 0 */
	KUNIT_EXPECT_GT(test, req.resp_res + req.init_depth, 0);

	t_open(test, rp_vec_rep, sizeof(rp_vec_rep), &pkt, &rep, &cv);
	KUNIT_EXPECT_EQ(test, cv, RP_CM_OK);
	KUNIT_EXPECT_EQ(test, rep.remote_comm_id, req.local_comm_id);
	KUNIT_EXPECT_NE(test, rep.qpn, 0);
	t_open(test, rp_vec_rtu, sizeof(rp_vec_rtu), &pkt, &rtu, &cv);
	KUNIT_EXPECT_EQ(test, rtu.local_comm_id, req.local_comm_id);
	KUNIT_EXPECT_EQ(test, rtu.remote_comm_id, rep.local_comm_id);
	t_open(test, rp_vec_dreq, sizeof(rp_vec_dreq), &pkt, &dreq, &cv);
	t_open(test, rp_vec_drep, sizeof(rp_vec_drep), &pkt, &drep, &cv);
	KUNIT_EXPECT_EQ(test, drep.remote_comm_id, dreq.local_comm_id);
	KUNIT_EXPECT_EQ(test, drep.local_comm_id, dreq.remote_comm_id);
#undef req
#undef rep
#undef rtu
#undef dreq
#undef drep
}

/* Shorter than DETH + MAD: refused without reading past the end. */
static void t_truncated(struct kunit *test)
{
	const u8 *cm = rp_vec_req + ETH_HLEN + 20 + 8 + IB_BTH_BYTES;
	struct rp_cm_msg m;
	unsigned int len;

	for (len = 0; len < RP_CM_MIN_LEN; len++) {
		u8 *b = kmalloc(len ? len : 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, b);
		memcpy(b, cm, len);
		KUNIT_EXPECT_EQ(test, rp_cm_parse(b, len, &m), RP_CM_ERR_TRUNC);
		kfree(b);
	}
}

struct t_bend {
	const char *name;
	unsigned int off;	/* from the DETH */
	u8 val;
	enum rp_cm_verdict want;
};

/* DETH 0..7, MAD header 8..31, REQ body from 32, private data at 32+140 */
static const struct t_bend t_bends[] = {
	{ "qkey", 0, 0x00, RP_CM_ERR_DETH },
	{ "src_qp", 7, 0x02, RP_CM_ERR_DETH },
	{ "base_version", 8, 2, RP_CM_ERR_MAD },
	{ "other_class", 9, 0x04, RP_CM_NOT_CM },
	{ "class_version", 10, 1, RP_CM_ERR_MAD },
	{ "unknown_attr", 8 + 17, 0x20, RP_CM_ERR_ATTR },
	{ "transport_rd", 32 + 43, 0x02 << 1, RP_CM_ERR_ATTR },
	{ "cma_version", 32 + 140, 1, RP_CM_ERR_CMA },
	{ "cma_ip_version", 32 + 141, 0x50, RP_CM_ERR_CMA },
};

static void t_bend_desc(const struct t_bend *b, char *desc)
{
	strscpy(desc, b->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_bent, t_bends, t_bend_desc);

static void t_bent(struct kunit *test)
{
	const struct t_bend *bend = test->param_value;
	unsigned int off = ETH_HLEN + 20 + 8 + IB_BTH_BYTES;
	unsigned int len = sizeof(rp_vec_req) - off - IB_ICRC_BYTES;
	struct rp_cm_msg m;
	u8 *b;

	b = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, rp_vec_req + off, len);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(b, len, &m), RP_CM_OK);
	b[bend->off] = bend->val;
	KUNIT_EXPECT_STREQ(test, rp_cm_verdict_name(rp_cm_parse(b, len, &m)),
			   rp_cm_verdict_name(bend->want));
}

/* Our REJ is what the peer's CM would send, with our reason. */
static void t_rej_v4(struct kunit *test)
{
	struct rp_roce_pkt pkt, rpkt, real;
	struct rp_cm_msg *msgs = kunit_kcalloc(test, 3, sizeof(*msgs),
					       GFP_KERNEL);
	enum rp_cm_verdict cv;
	unsigned int len;
	u8 *out, *l3;

	KUNIT_ASSERT_NOT_NULL(test, msgs);
#define req (msgs[0])
#define rej (msgs[1])
#define realrej (msgs[2])
	t_open(test, rp_vec_req, sizeof(rp_vec_req), &pkt, &req, &cv);
	out = kunit_kzalloc(test, RP_REJ_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	len = rp_rej_build(&pkt, &req, RP_REJ_REASON, out);
	KUNIT_ASSERT_EQ(test, len, sizeof(rp_vec_rej) - ETH_HLEN);

	KUNIT_ASSERT_EQ(test, rp_roce_parse(out, len, len, ETH_P_IP, &rpkt),
			RP_ROCE_OK);
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(out, len, &rpkt));
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(out, 5), 0);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&rpkt.saddr, &pkt.daddr));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&rpkt.daddr, &pkt.saddr));
	KUNIT_ASSERT_EQ(test, rp_cm_parse(out + rpkt.bth_off + IB_BTH_BYTES,
					  IB_DETH_BYTES + rpkt.payload_len,
					  &rej), RP_CM_OK);
	KUNIT_EXPECT_EQ(test, rej.type, RP_CM_REJ);
	KUNIT_EXPECT_EQ(test, rej.remote_comm_id, req.local_comm_id);
	KUNIT_EXPECT_EQ(test, rej.rej_reason, RP_REJ_REASON);
	KUNIT_EXPECT_EQ(test, rej.rej_msg, 0);
	KUNIT_EXPECT_EQ(test, rej.tid, req.tid);

	/*
	 * Rebuilt for the REQ that the captured REJ (a connect to a port
	 * nobody listened on) answered, with its reason, our REJ is the one
	 * the peer's CM sent, byte for byte from the DETH on (rxe sets a PSN
	 * and AckReq in the BTH, which UD receivers ignore).
	 */
	l3 = t_open(test, rp_vec_rej, sizeof(rp_vec_rej), &real, &realrej,
		    &cv);
	req.local_comm_id = realrej.remote_comm_id;
	req.tid = realrej.tid;
	KUNIT_ASSERT_EQ(test, rp_rej_build(&pkt, &req, realrej.rej_reason, out),
			len);
	KUNIT_EXPECT_EQ(test, memcmp(out + rpkt.bth_off + IB_BTH_BYTES,
				     l3 + real.bth_off + IB_BTH_BYTES,
				     len - rpkt.bth_off - IB_BTH_BYTES -
				     IB_ICRC_BYTES), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out + rpkt.bth_off, l3 + real.bth_off, 8),
			0);
#undef req
#undef rej
#undef realrej
}

/* The REQ moved to IPv6: the REJ has a valid UDP checksum and ICRC. */
static void t_rej_v6(struct kunit *test)
{
	unsigned int v4hl = 20, v6hl = sizeof(struct ipv6hdr);
	unsigned int len4 = sizeof(rp_vec_req) - ETH_HLEN, len6, len;
	struct rp_roce_pkt pkt, rpkt;
	struct rp_cm_msg req, rej;
	struct ipv6hdr *ip6;
	u8 *req6, *out;

	len6 = len4 - v4hl + v6hl;
	req6 = kunit_kzalloc(test, len6, GFP_KERNEL);
	out = kunit_kzalloc(test, RP_REJ_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req6);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memcpy(req6 + v6hl, rp_vec_req + ETH_HLEN + v4hl, len4 - v4hl);
	ip6 = (struct ipv6hdr *)req6;
	ip6->version = 6;
	ip6->nexthdr = IPPROTO_UDP;
	ip6->hop_limit = 64;
	ip6->payload_len = htons(len4 - v4hl);
	ip6->saddr.s6_addr[0] = 0xfd;
	ip6->saddr.s6_addr[15] = 1;
	ip6->daddr.s6_addr[0] = 0xfd;
	ip6->daddr.s6_addr[15] = 2;
	KUNIT_ASSERT_EQ(test, rp_roce_parse(req6, len6, len6, ETH_P_IPV6,
					    &pkt), RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(req6 + pkt.bth_off + IB_BTH_BYTES,
					  IB_DETH_BYTES + pkt.payload_len,
					  &req), RP_CM_OK);

	len = rp_rej_build(&pkt, &req, RP_REJ_REASON, out);
	KUNIT_ASSERT_EQ(test, len, v6hl + 8 + 12 + 8 + 256 + 4);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(out, len, len, ETH_P_IPV6, &rpkt),
			RP_ROCE_OK);
	KUNIT_EXPECT_TRUE(test, rp_roce_icrc_ok(out, len, &rpkt));
	ip6 = (struct ipv6hdr *)out;
	KUNIT_EXPECT_EQ(test,
			(__force u16)csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
						     len - v6hl, IPPROTO_UDP,
						     csum_partial(out + v6hl,
								  len - v6hl,
								  0)), 0);
	KUNIT_ASSERT_EQ(test, rp_cm_parse(out + rpkt.bth_off + IB_BTH_BYTES,
					  IB_DETH_BYTES + rpkt.payload_len,
					  &rej), RP_CM_OK);
	KUNIT_EXPECT_EQ(test, rej.remote_comm_id, req.local_comm_id);
}

static struct kunit_case rp_cm_cases[] = {
	KUNIT_CASE_PARAM(t_captured, t_captured_gen_params),
	KUNIT_CASE(t_conversation),
	KUNIT_CASE(t_truncated),
	KUNIT_CASE_PARAM(t_bent, t_bent_gen_params),
	KUNIT_CASE(t_rej_v4),
	KUNIT_CASE(t_rej_v6),
	{}
};

static struct kunit_suite rp_cm_suite = {
	.name = "rdmapolicy_cm",
	.test_cases = rp_cm_cases,
};

kunit_test_suite(rp_cm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy CM parser, ICRC and REJ");
