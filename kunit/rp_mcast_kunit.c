// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for multicast (rp_mcast_parse.c, rp_mcast.c): IGMP and MLD
 * membership reports parsed from byte buffers (v1/v2, v3 records, MLDv1
 * and MLDv2 behind a hop-by-hop header, cut-short, fragmented and
 * non-multicast reports), and the group decisions on byte buffers: joins
 * allowed, denied and forged, leaves, link-local groups, the per-VM bound,
 * senders allowed and denied, group rules' checks, and the revalidation
 * of members and senders by a configuration change.
 *
 * Each case gets a namespace state of its own in init_net with V1 (port
 * 11, 10.10.0.1), V2 (port 12, 10.10.0.2) and V3 (port 13, 10.10.0.3),
 * all of tenant 7, and rules 1 (V1 may send to 239.1.0.0/16) and 2 (V2
 * may join 239.1.0.0/16).  No NIC is registered.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <rdma/ib_pack.h>

#include <rdmapolicy/roce.h>
#include "../drivers/rdmapolicy/rp_config.h"
#include "../drivers/rdmapolicy/rp_mcast.h"
#include "../drivers/rdmapolicy/rp_net.h"
#include "../drivers/rdmapolicy/rp_policy.h"
#include "rp_kunit_pkt.h"
#include "rp_kunit_env.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

enum { P1 = 11, P2 = 12, P3 = 13 };

#define T_G1	0xef010101	/* 239.1.1.1 */
#define T_G2	0xef010102
#define T_G3	0xef010103
#define T_G4	0xef010104
#define T_ADDR(n)	(0x0a0a0000 | (n))	/* 10.10.0.n */

static const u8 t_macs[3][ETH_ALEN] = {
	{ 0x52, 0x54, 0, 0, 1, 1 },
	{ 0x52, 0x54, 0, 0, 1, 2 },
	{ 0x52, 0x54, 0, 0, 1, 3 },
};

/* ---- building reports ---- */

/* An IPv4 header with a router alert option (IGMP's); returns its length */
static unsigned int t_ip4(u8 *b, u32 saddr, u8 proto, unsigned int plen)
{
	memset(b, 0, 24 + plen);
	b[0] = 0x46;			/* version 4, 6 words */
	put_unaligned_be16(24 + plen, b + 2);
	b[8] = 1;			/* TTL */
	b[9] = proto;
	put_unaligned_be32(saddr, b + 12);
	put_unaligned_be32(0xe0000016, b + 16);	/* 224.0.0.22 */
	b[20] = 0x94;			/* router alert */
	b[21] = 4;
	return 24;
}

/* IGMPv1/v2 @type for @group from @saddr */
static unsigned int t_igmp(u8 *b, u32 saddr, u8 type, u32 group)
{
	unsigned int off = t_ip4(b, saddr, IPPROTO_IGMP, 8);

	b[off] = type;
	put_unaligned_be32(group, b + off + 4);
	return off + 8;
}

struct t_rec {
	u8 type;		/* IGMPv3/MLDv2 record type */
	u8 nsrcs;
	u32 group;		/* IPv4; MLD: ff0e::<group> */
};

/* IGMPv3 report of @n records from @saddr */
static unsigned int t_igmp3(u8 *b, u32 saddr, const struct t_rec *r,
			    unsigned int n)
{
	unsigned int i, plen = 8, off, p;

	for (i = 0; i < n; i++)
		plen += 8 + r[i].nsrcs * 4;
	off = t_ip4(b, saddr, IPPROTO_IGMP, plen);
	b[off] = 0x22;
	put_unaligned_be16(n, b + off + 6);
	for (i = 0, p = off + 8; i < n; i++) {
		b[p] = r[i].type;
		put_unaligned_be16(r[i].nsrcs, b + p + 2);
		put_unaligned_be32(r[i].group, b + p + 4);
		p += 8 + r[i].nsrcs * 4;
	}
	return p;
}

/* IPv6 + hop-by-hop (router alert) + ICMPv6 of @icmp bytes from fe80::1 */
static unsigned int t_ip6(u8 *b, unsigned int icmp)
{
	memset(b, 0, 48 + icmp);
	b[0] = 0x60;
	put_unaligned_be16(8 + icmp, b + 4);
	b[6] = NEXTHDR_HOP;
	b[7] = 1;
	b[8] = 0xfe;			/* saddr fe80::1 */
	b[9] = 0x80;
	b[23] = 1;
	b[24] = 0xff;			/* daddr ff02::16 */
	b[25] = 0x02;
	b[39] = 0x16;
	b[40] = NEXTHDR_ICMP;		/* HBH: next, length 0 (8 bytes) */
	b[42] = 5;			/* router alert, 2 bytes, MLD */
	b[43] = 2;
	b[46] = 1;			/* PadN, 0 bytes */
	return 48;
}

static void t_mld_group(u8 *p, u32 group)
{
	memset(p, 0, 16);
	p[0] = 0xff;
	p[1] = 0x0e;			/* global scope */
	put_unaligned_be32(group, p + 12);
}

/* MLDv2 report of @n records */
static unsigned int t_mld2(u8 *b, const struct t_rec *r, unsigned int n)
{
	unsigned int i, plen = 8, off, p;

	for (i = 0; i < n; i++)
		plen += 20 + r[i].nsrcs * 16;
	off = t_ip6(b, plen);
	b[off] = 143;
	put_unaligned_be16(n, b + off + 6);
	for (i = 0, p = off + 8; i < n; i++) {
		b[p] = r[i].type;
		put_unaligned_be16(r[i].nsrcs, b + p + 2);
		t_mld_group(b + p + 4, r[i].group);
		p += 20 + r[i].nsrcs * 16;
	}
	return p;
}

static u8 *t_buf(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	return b;
}

static void t_expect_rec(struct kunit *test, struct rp_mcast_report *r,
			 u32 group, bool join, bool change)
{
	struct rp_mcast_rec rec;
	struct in6_addr g;

	KUNIT_ASSERT_TRUE(test, rp_mcast_next(r, &rec));
	ipv6_addr_set_v4mapped(htonl(group), &g);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&rec.group, &g));
	KUNIT_EXPECT_EQ(test, rec.join, join);
	KUNIT_EXPECT_EQ(test, rec.change, change);
}

/* ---- parsing ---- */

static void t_parse_igmp_v2(struct kunit *test)
{
	struct rp_mcast_report r;
	u8 *b = t_buf(test);
	unsigned int len;

	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_REPORT);
	KUNIT_EXPECT_EQ(test, r.ip_version, 4);
	KUNIT_EXPECT_EQ(test, r.saddr.s6_addr32[3], htonl(T_ADDR(2)));
	t_expect_rec(test, &r, T_G1, true, true);
	KUNIT_EXPECT_FALSE(test, rp_mcast_next(&r, &(struct rp_mcast_rec){}));

	len = t_igmp(b, T_ADDR(2), 0x17, T_G1);		/* v2 leave */
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_REPORT);
	t_expect_rec(test, &r, T_G1, false, true);

	len = t_igmp(b, T_ADDR(2), 0x12, T_G2);		/* v1 report */
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_REPORT);
	t_expect_rec(test, &r, T_G2, true, true);
}

static void t_parse_igmp_v3(struct kunit *test)
{
	static const struct t_rec recs[] = {
		{ 2, 0, T_G1 },		/* MODE_IS_EXCLUDE {}: in */
		{ 3, 0, T_G2 },		/* CHANGE_TO_INCLUDE {}: a leave */
		{ 6, 1, T_G3 },		/* BLOCK_OLD_SOURCES: no change */
		{ 1, 2, T_G4 },		/* MODE_IS_INCLUDE {a, b}: in */
		{ 9, 0, T_G1 },		/* unknown: ignored */
	};
	struct rp_mcast_report r;
	u8 *b = t_buf(test);
	unsigned int len;

	len = t_igmp3(b, T_ADDR(2), recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_REPORT);
	t_expect_rec(test, &r, T_G1, true, true);
	t_expect_rec(test, &r, T_G2, false, true);
	t_expect_rec(test, &r, T_G3, false, false);
	t_expect_rec(test, &r, T_G4, true, true);
	t_expect_rec(test, &r, T_G1, false, false);
	KUNIT_EXPECT_FALSE(test, rp_mcast_next(&r, &(struct rp_mcast_rec){}));
}

static void t_parse_bad(struct kunit *test)
{
	static const struct t_rec recs[] = { { 2, 0, T_G1 }, { 4, 3, T_G2 } };
	struct rp_mcast_report r;
	u8 *b = t_buf(test);
	unsigned int len;

	/* a record cut short: the IP length ends inside its sources */
	len = t_igmp3(b, T_ADDR(2), recs, 2);
	put_unaligned_be16(len - 4, b + 2);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_BAD);
	/* more records announced than there are */
	len = t_igmp3(b, T_ADDR(2), recs, 1);
	put_unaligned_be16(2, b + 24 + 6);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_BAD);
	/* the IP length beyond the bytes */
	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len - 1, ETH_P_IP, &r),
			RP_MCAST_BAD);
	/* a unicast "group" */
	len = t_igmp(b, T_ADDR(2), 0x16, T_ADDR(9));
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_BAD);
	/* a fragment */
	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	put_unaligned_be16(0x2000, b + 6);		/* MF */
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_BAD);
	/* not reports: a query, UDP */
	len = t_igmp(b, T_ADDR(2), 0x11, T_G1);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IP, &r),
			RP_MCAST_NOT);
	len = t_ip4(b, T_ADDR(2), IPPROTO_UDP, 8);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len + 8, ETH_P_IP, &r),
			RP_MCAST_NOT);
}

static void t_parse_mld(struct kunit *test)
{
	static const struct t_rec recs[] = { { 4, 0, 0x12 }, { 3, 0, 0x13 } };
	struct rp_mcast_report r;
	struct rp_mcast_rec rec;
	u8 *b = t_buf(test);
	struct in6_addr g;
	unsigned int len, off;

	len = t_mld2(b, recs, 2);
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, len, ETH_P_IPV6, &r),
			RP_MCAST_REPORT);
	KUNIT_EXPECT_EQ(test, r.ip_version, 6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_type(&r.saddr) &
				IPV6_ADDR_LINKLOCAL);
	KUNIT_ASSERT_TRUE(test, rp_mcast_next(&r, &rec));
	t_mld_group((u8 *)&g, 0x12);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&rec.group, &g));
	KUNIT_EXPECT_TRUE(test, rec.join);
	KUNIT_EXPECT_FALSE(test, rp_mcast_link_local(&rec.group));
	KUNIT_ASSERT_TRUE(test, rp_mcast_next(&r, &rec));
	KUNIT_EXPECT_FALSE(test, rec.join);
	KUNIT_EXPECT_FALSE(test, rp_mcast_next(&r, &rec));

	/* cut short: one byte of the last record missing */
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len, ETH_P_IPV6, &r),
			RP_MCAST_REPORT);
	put_unaligned_be16(get_unaligned_be16(b + 4) - 1, b + 4);
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, len - 1, ETH_P_IPV6, &r),
			RP_MCAST_BAD);

	/* MLDv1 done */
	off = t_ip6(b, 24);
	b[off] = 132;
	t_mld_group(b + off + 8, 0x12);
	KUNIT_ASSERT_EQ(test, rp_mcast_parse(b, off + 24, ETH_P_IPV6, &r),
			RP_MCAST_REPORT);
	KUNIT_ASSERT_TRUE(test, rp_mcast_next(&r, &rec));
	KUNIT_EXPECT_FALSE(test, rec.join);

	/* an echo request is no report */
	b[off] = 128;
	KUNIT_EXPECT_EQ(test, rp_mcast_parse(b, off + 24, ETH_P_IPV6, &r),
			RP_MCAST_NOT);
}

static void t_link_local(struct kunit *test)
{
	struct in6_addr a;

	ipv6_addr_set_v4mapped(htonl(0xe00000fb), &a);	/* 224.0.0.251 */
	KUNIT_EXPECT_TRUE(test, rp_mcast_link_local(&a));
	ipv6_addr_set_v4mapped(htonl(T_G1), &a);
	KUNIT_EXPECT_FALSE(test, rp_mcast_link_local(&a));
	KUNIT_EXPECT_TRUE(test, rp_mcast_is_group(&a));
	ipv6_addr_set_v4mapped(htonl(T_ADDR(1)), &a);
	KUNIT_EXPECT_FALSE(test, rp_mcast_is_group(&a));
	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0xff;
	a.s6_addr[1] = 0x02;				/* ff02::1 */
	a.s6_addr[15] = 1;
	KUNIT_EXPECT_TRUE(test, rp_mcast_link_local(&a));
	a.s6_addr[1] = 0x05;				/* ff05::1 */
	KUNIT_EXPECT_FALSE(test, rp_mcast_link_local(&a));
}

/* ---- decisions ---- */

static struct rp_vm_spec *t_vm(struct kunit *test, u32 id, int ifindex)
{
	return rp_kt_vm(test, id, ifindex, t_macs[id - 1], htonl(T_ADDR(id)));
}

static void t_group_sel(struct rp_sel *s, u32 prefix, u8 plen)
{
	s->type = RP_SEL_GROUP;
	ipv6_addr_set_v4mapped(htonl(prefix), &s->pfx.addr);
	s->pfx.plen = 96 + plen;
}

/* rule 1: V1 sends to 239.1/16; rule 2: V2 joins it */
static void t_rules(struct rp_rule_spec *send, struct rp_rule_spec *join)
{
	memset(send, 0, sizeof(*send));
	send->id = 1;
	send->prio = 100;
	send->src.type = RP_SEL_VM;
	send->src.vm = 1;
	t_group_sel(&send->dst, 0xef010000, 16);
	send->any_service = true;
	send->qp_types = RP_QP_UD;
	send->action = RP_ACT_ALLOW;
	send->rights = RP_RIGHT_SEND;
	*join = *send;
	join->id = 2;
	memset(&join->src, 0, sizeof(join->src));
	t_group_sel(&join->src, 0xef010000, 16);
	memset(&join->dst, 0, sizeof(join->dst));
	join->dst.type = RP_SEL_VM;
	join->dst.vm = 2;
}

static int t_init(struct kunit *test)
{
	struct rp_vm_spec *vms[] = { t_vm(test, 1, P1), t_vm(test, 2, P2),
				     t_vm(test, 3, P3) };
	struct rp_rule_spec rules[2];

	t_rules(&rules[0], &rules[1]);
	return rp_kt_net_init(test, vms, ARRAY_SIZE(vms), rules,
			      ARRAY_SIZE(rules));
}

static void t_exit(struct kunit *test)
{
	rp_kt_net_exit(test);
	rp_mcast_vm_max = 64;
}

static u64 t_stat(struct kunit *test, enum rp_exc_ctr c)
{
	return atomic64_read(&((struct rp_net *)test->priv)->exc[c]);
}

/* Decide report @b of @len bytes on @port, from the port's VM's MAC */
static enum rp_exc_verdict t_report(struct kunit *test, int port,
				    const u8 *b, unsigned int len)
{
	struct rp_mcast_ctx x = {
		.rn = test->priv, .ifindex = port, .l3 = b, .l3len = len,
		.pktlen = len, .l3proto = b[0] >> 4 == 4 ? ETH_P_IP :
							   ETH_P_IPV6,
		.mac = t_macs[port - P1],
	};
	enum rp_exc_verdict v;

	rcu_read_lock();
	local_bh_disable();
	v = rp_mcast_report_decide(&x);
	local_bh_enable();
	rcu_read_unlock();
	return v;
}

/* A UD SEND from 10.10.0.@from on @port to @group, QP @dqpn */
static enum rp_exc_verdict t_send(struct kunit *test, int port, u32 from,
				  u32 group, u32 dqpn)
{
	struct t_spec s = {
		.ipver = 4, .opcode = IB_OPCODE_UD_SEND_ONLY, .dqpn = dqpn,
		.payload = 16,
	};
	struct rp_mcast_ctx x = {
		.rn = test->priv, .ifindex = port, .l3proto = ETH_P_IP,
		.mac = t_macs[port - P1],
	};
	u8 *b = t_buf(test);
	enum rp_exc_verdict v;
	unsigned int len;

	len = t_build(b, &s);
	put_unaligned_be32(T_ADDR(from), b + 12);
	put_unaligned_be32(group, b + 16);
	put_unaligned_be32(0x77, b + 20 + 8 + IB_BTH_BYTES + 4);  /* sqpn */
	x.l3 = b;
	x.l3len = len;
	x.pktlen = len;
	rcu_read_lock();
	local_bh_disable();
	v = rp_mcast_send_decide(&x);
	local_bh_enable();
	rcu_read_unlock();
	return v;
}

static struct rp_mcast_ent *t_member(struct kunit *test, int port, u32 group)
{
	struct rp_mcast_key k = { .tenant = 7, .ifindex = port,
				  .kind = RP_MCAST_MEMBER };

	ipv6_addr_set_v4mapped(htonl(group), &k.group);
	return rp_mcast_lookup(&((struct rp_net *)test->priv)->mcast, &k);
}

static struct rp_mcast_ent *t_sender(struct kunit *test, u32 from, u32 group)
{
	struct rp_mcast_key k = { .tenant = 7, .kind = RP_MCAST_SENDER };

	ipv6_addr_set_v4mapped(htonl(group), &k.group);
	ipv6_addr_set_v4mapped(htonl(T_ADDR(from)), &k.saddr);
	return rp_mcast_lookup(&((struct rp_net *)test->priv)->mcast, &k);
}

static int t_vm_groups(struct kunit *test, u32 id)
{
	struct rp_net *rn = test->priv;
	struct rp_vm *vm;
	int n;

	rcu_read_lock();
	vm = rp_vm_by_id(rcu_dereference(rn->tables), id);
	n = vm ? atomic_read(&vm->ctr->mcast) : -1;
	rcu_read_unlock();
	return n;
}

static void t_join_allowed_denied(struct kunit *test)
{
	u8 *b = t_buf(test);
	unsigned int len;

	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_NOT_NULL(test, t_member(test, P2, T_G1));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_JOINED), 1);
	KUNIT_EXPECT_EQ(test, t_vm_groups(test, 2), 1);
	/* again (a refresh): nothing new */
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_JOINED), 1);

	/* V3 may not join: dropped, counted, not a member */
	len = t_igmp(b, T_ADDR(3), 0x16, T_G1);
	KUNIT_EXPECT_EQ(test, t_report(test, P3, b, len), RP_EXC_DROP);
	KUNIT_EXPECT_NULL(test, t_member(test, P3, T_G1));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_JOIN_DENIED), 1);
	/* nor may V2 join a group outside 239.1/16 */
	len = t_igmp(b, T_ADDR(2), 0x16, 0xef020101);
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_JOIN_DENIED), 2);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_REPORTS), 4);
}

static void t_join_forged(struct kunit *test)
{
	u8 *b = t_buf(test);
	unsigned int len;

	/* V3 claims V2's address: spoofed, whatever V2 may */
	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_EXPECT_EQ(test, t_report(test, P3, b, len), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), 1);
	KUNIT_EXPECT_NULL(test, t_member(test, P3, T_G1));
	KUNIT_EXPECT_NULL(test, t_member(test, P2, T_G1));
	/* no address yet (0.0.0.0): the port's, MAC checked */
	len = t_igmp(b, 0, 0x16, T_G1);
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_NOT_NULL(test, t_member(test, P2, T_G1));
	/* garbage is malformed */
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, 30), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MALFORMED), 1);
}

static void t_leave(struct kunit *test)
{
	static const struct t_rec leave[] = { { 3, 0, T_G1 } };
	u8 *b = t_buf(test);
	unsigned int len;

	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_ASSERT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	len = t_igmp3(b, T_ADDR(2), leave, 1);		/* TO_IN {} */
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_NULL(test, t_member(test, P2, T_G1));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_LEFT), 1);
	KUNIT_EXPECT_EQ(test, t_vm_groups(test, 2), 0);
	/* a leave of a group it is not in: nothing */
	len = t_igmp(b, T_ADDR(2), 0x17, T_G2);
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_LEFT), 1);
}

static void t_link_local_join(struct kunit *test)
{
	u8 *b = t_buf(test);
	unsigned int len;

	/* V3 may join no group, but 224.0.0.251 is not policed */
	len = t_igmp(b, T_ADDR(3), 0x16, 0xe00000fb);
	KUNIT_EXPECT_EQ(test, t_report(test, P3, b, len), RP_EXC_FORWARD);
	KUNIT_EXPECT_NULL(test, t_member(test, P3, 0xe00000fb));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_JOIN_DENIED), 0);
}

static void t_vm_bound(struct kunit *test)
{
	static const struct t_rec recs[] = {
		{ 2, 0, T_G1 }, { 2, 0, T_G2 }, { 2, 0, T_G3 },
	};
	u8 *b = t_buf(test);
	unsigned int len;

	rp_mcast_vm_max = 2;
	len = t_igmp3(b, T_ADDR(2), recs, 3);
	KUNIT_EXPECT_EQ(test, t_report(test, P2, b, len), RP_EXC_DROP);
	KUNIT_EXPECT_NOT_NULL(test, t_member(test, P2, T_G1));
	KUNIT_EXPECT_NOT_NULL(test, t_member(test, P2, T_G2));
	KUNIT_EXPECT_NULL(test, t_member(test, P2, T_G3));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_FULL), 1);
	KUNIT_EXPECT_EQ(test, t_vm_groups(test, 2), 2);
}

static void t_senders(struct kunit *test)
{
	struct rp_mcast_ent *e;

	KUNIT_EXPECT_EQ(test, t_send(test, P1, 1, T_G1, IB_MULTICAST_QPN),
			RP_EXC_FORWARD);
	e = t_sender(test, 1, T_G1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_TRUE(test, e->allowed);
	KUNIT_EXPECT_EQ(test, e->ifindex, P1);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_SEND_ALLOWED), 1);
	/* V2 may join but not send: denied, and kept so (the NIC drops) */
	KUNIT_EXPECT_EQ(test, t_send(test, P2, 2, T_G1, IB_MULTICAST_QPN),
			RP_EXC_DROP);
	e = t_sender(test, 2, T_G1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_FALSE(test, e->allowed);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_SEND_DENIED), 1);
	/* V3 sending as V1: spoofed, nothing kept */
	KUNIT_EXPECT_EQ(test, t_send(test, P3, 1, T_G2, IB_MULTICAST_QPN),
			RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_SPOOFED), 1);
	KUNIT_EXPECT_NULL(test, t_sender(test, 1, T_G2));
	/* to a group, but not to the multicast QP */
	KUNIT_EXPECT_EQ(test, t_send(test, P1, 1, T_G2, 0x42), RP_EXC_DROP);
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MALFORMED), 1);
}

static void t_rule_checks(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_rule_spec send, join, r;
	struct rp_tables *t;
	struct in6_addr g;
	u32 rule;

	t_rules(&send, &join);
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	r = send;
	r.id = 10;
	t_group_sel(&r.dst, T_ADDR(0), 16);		/* not multicast */
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r = send;
	r.id = 10;
	r.rights |= RP_RIGHT_WRITE;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r = send;
	r.id = 10;
	r.any_service = false;
	r.ps = 0x0106;
	r.port_min = 1;
	r.port_max = 2;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r = send;
	r.id = 10;
	r.qp_types = RP_QP_RC;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);
	r = send;
	r.id = 10;
	t_group_sel(&r.src, 0xef000000, 8);		/* group to group */
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), -EINVAL);

	/* a rule without a group selector never decides a group query */
	r = send;
	r.id = 10;
	r.prio = 1;
	r.dst.type = RP_SEL_ANY;
	r.qp_types = RP_QP_ALL;
	r.rights = RP_RIGHT_ALL;
	r.setup = RP_SETUP_ANY;
	KUNIT_EXPECT_EQ(test, rp_rule_add(t, &r, NULL), 0);
	ipv6_addr_set_v4mapped(htonl(0xef020101), &g);
	KUNIT_EXPECT_FALSE(test, rp_mcast_allowed(t, rp_vm_by_id(t, 1), &g,
						  true, &rule));
	KUNIT_EXPECT_EQ(test, rule, 0);
	ipv6_addr_set_v4mapped(htonl(T_G1), &g);
	KUNIT_EXPECT_TRUE(test, rp_mcast_allowed(t, rp_vm_by_id(t, 1), &g,
						 true, &rule));
	KUNIT_EXPECT_EQ(test, rule, 1);
	/* the send rule does not let V1 join, the join rule V2 send */
	KUNIT_EXPECT_FALSE(test, rp_mcast_allowed(t, rp_vm_by_id(t, 1), &g,
						  false, &rule));
	KUNIT_EXPECT_FALSE(test, rp_mcast_allowed(t, rp_vm_by_id(t, 2), &g,
						  true, &rule));
	KUNIT_EXPECT_TRUE(test, rp_mcast_allowed(t, rp_vm_by_id(t, 2), &g,
						 false, &rule));
	KUNIT_EXPECT_EQ(test, rule, 2);
	mutex_unlock(&rn->lock);
}

static void t_revalidate(struct kunit *test)
{
	struct rp_net *rn = test->priv;
	struct rp_config cfg;
	struct rp_tables *t;
	u8 *b = t_buf(test);
	unsigned int len;

	len = t_igmp(b, T_ADDR(2), 0x16, T_G1);
	KUNIT_ASSERT_EQ(test, t_report(test, P2, b, len), RP_EXC_FORWARD);
	KUNIT_ASSERT_EQ(test, t_send(test, P1, 1, T_G1, IB_MULTICAST_QPN),
			RP_EXC_FORWARD);
	/* the join rule goes: V2 leaves */
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_del(t, 2, NULL)), 0);
	KUNIT_EXPECT_NULL(test, t_member(test, P2, T_G1));
	KUNIT_EXPECT_EQ(test, t_stat(test, RP_EXC_CTR_MCAST_LEFT), 1);
	KUNIT_EXPECT_EQ(test, t_vm_groups(test, 2), 0);
	KUNIT_EXPECT_TRUE(test, t_sender(test, 1, T_G1)->allowed);
	/* the send rule goes: V1 is a denied sender now */
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_rule_del(t, 1, NULL)), 0);
	KUNIT_ASSERT_NOT_NULL(test, t_sender(test, 1, T_G1));
	KUNIT_EXPECT_FALSE(test, t_sender(test, 1, T_G1)->allowed);
	/* V1 goes: so does its sender */
	t = rp_config_begin(&cfg, rn, 0);
	KUNIT_ASSERT_EQ(test, rp_config_end(&cfg, rp_vm_del(t, 1, NULL)), 0);
	KUNIT_EXPECT_NULL(test, t_sender(test, 1, T_G1));
	KUNIT_EXPECT_EQ(test, rn->mcast.count, 0);
}

static struct kunit_case rp_mcast_cases[] = {
	KUNIT_CASE(t_parse_igmp_v2),
	KUNIT_CASE(t_parse_igmp_v3),
	KUNIT_CASE(t_parse_bad),
	KUNIT_CASE(t_parse_mld),
	KUNIT_CASE(t_link_local),
	KUNIT_CASE(t_join_allowed_denied),
	KUNIT_CASE(t_join_forged),
	KUNIT_CASE(t_leave),
	KUNIT_CASE(t_link_local_join),
	KUNIT_CASE(t_vm_bound),
	KUNIT_CASE(t_senders),
	KUNIT_CASE(t_rule_checks),
	KUNIT_CASE(t_revalidate),
	{}
};

static struct kunit_suite rp_mcast_suite = {
	.name = "rdmapolicy_mcast",
	.init = t_init,
	.exit = t_exit,
	.test_cases = rp_mcast_cases,
};

kunit_test_suite(rp_mcast_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for rdmapolicy's multicast groups");
