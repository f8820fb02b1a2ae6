// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the emulated SmartNIC's data plane (drivers/snic):
 * which opcode classes each set of rights lets through, the per-packet
 * classification of synthetic skbs (rights x opcode class x direction,
 * unknown QPN, spoofed source, processed flag, truncated and malformed
 * frames, ICRC, PSN window), and the flow table: install, lookup both
 * ways, uninstall, and resizes under readers that must never miss a flow
 * that stays installed.
 *
 * Flows are installed under namespaces of the test's own (fake struct net
 * with inode numbers no real namespace has), so they never match real
 * traffic.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/rtnetlink.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <linux/unaligned.h>
#include <uapi/linux/rdmapolicy.h>

#include "../drivers/snic/snic.h"
#include "rp_kunit_pkt.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(RP_SNIC_INTERNAL);

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

/* responses answer the other direction's requests: need its rights */
static bool t_is_response(u8 class)
{
	return class == RP_CLASS_READ_RESP || class == RP_CLASS_ATOMIC_ACK;
}

/* Should a packet of @class pass where the sender may @own, its peer @peer */
static bool t_allowed(u32 own, u32 peer, u8 class)
{
	return !t_needs[class] ||
	       ((t_is_response(class) ? peer : own) & t_needs[class]);
}

static void t_rights(struct kunit *test)
{
	u32 rights, peer;
	u8 class;

	/* by hand, not by t_allowed(): the responder reads nothing ... */
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(0, RP_RIGHT_READ,
						      RP_CLASS_READ_REQ));
	/* ... but answers the requester's READs */
	KUNIT_EXPECT_TRUE(test, rp_snic_rights_allow(0, RP_RIGHT_READ,
						     RP_CLASS_READ_RESP));
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_READ, 0,
						      RP_CLASS_READ_RESP));
	KUNIT_EXPECT_TRUE(test, rp_snic_rights_allow(0, RP_RIGHT_ATOMIC,
						     RP_CLASS_ATOMIC_ACK));
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_ATOMIC, 0,
						      RP_CLASS_ATOMIC_ACK));
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_SEND,
						      RP_RIGHT_ALL,
						      RP_CLASS_WRITE));
	KUNIT_EXPECT_TRUE(test, rp_snic_rights_allow(0, 0, RP_CLASS_ACK));

	for (rights = 0; rights <= RP_RIGHT_ALL; rights++)
		for (peer = 0; peer <= RP_RIGHT_ALL; peer++)
			for (class = RP_CLASS_SEND; class <= RP_CLASS_CNP;
			     class++)
				KUNIT_EXPECT_EQ_MSG(test,
						    rp_snic_rights_allow(rights, peer,
									 class),
						    t_allowed(rights, peer, class),
						    "rights %#x peer %#x class %u",
						    rights, peer, class);
	/* unknown classes never pass */
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_ALL,
						      RP_RIGHT_ALL, 0));
	KUNIT_EXPECT_FALSE(test, rp_snic_rights_allow(RP_RIGHT_ALL,
						      RP_RIGHT_ALL, 99));
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
	r = rp_snic_flow_lookup(net, f->tenant, &pkt);
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

/*
 * Security #1: two tenants may use the same addresses and QPNs (rxe
 * numbers QPs alike), and a connection's uninstall removes only its own
 * flows, never another connection's under the same keys.
 */
static void t_flow_tenants_and_ids(struct kunit *test)
{
	const struct net *net = t_net(test, 9);
	unsigned int base = rp_snic_flow_count();
	struct rp_flow a[2], b[2];

	t_flows_of(1, a);
	a[0].tenant = 1;
	a[1].tenant = 1;
	memcpy(b, a, sizeof(b));
	b[0].tenant = 2;
	b[1].tenant = 2;
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 10, a), 0);
	KUNIT_EXPECT_EQ(test, rp_snic_install(NULL, net, 20, b), 0);
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), base + 2);
	KUNIT_EXPECT_PTR_NE(test, t_lookup(net, &a[0]), t_lookup(net, &b[0]));

	/* the second tenant's connection closing leaves the first's */
	rp_snic_uninstall(NULL, net, 20, b);
	KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &a[0]));
	KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &a[1]));
	KUNIT_EXPECT_NULL(test, t_lookup(net, &b[0]));

	/* the same keys under another id: not installed, not uninstalled */
	KUNIT_EXPECT_EQ(test, rp_snic_install(NULL, net, 30, a), -EEXIST);
	rp_snic_uninstall(NULL, net, 30, a);
	KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &a[0]));
	KUNIT_EXPECT_NOT_NULL(test, t_lookup(net, &a[1]));

	rp_snic_uninstall(NULL, net, 10, a);
	KUNIT_EXPECT_NULL(test, t_lookup(net, &a[0]));
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

/* Classification of whole packets: a connection 10.10.0.1 -> 10.10.0.2 */
#define T_PORT		11		/* the requester's VM port */
#define T_TENANT	5		/* of both ends and of the port */
#define T_REQ_QPN	0x111
#define T_REP_QPN	0x222

static void t_conn(struct rp_flow f[2], u32 rights, u32 req_psn, u32 rep_psn)
{
	memset(f, 0, 2 * sizeof(*f));
	f[0].tenant = T_TENANT;
	f[1].tenant = T_TENANT;
	ipv6_addr_set_v4mapped(htonl(0x0a0a0001), &f[0].saddr);
	ipv6_addr_set_v4mapped(htonl(0x0a0a0002), &f[0].daddr);
	f[0].dqpn = T_REP_QPN;
	f[0].rights = rights;
	f[0].psn = req_psn;
	f[0].src_ifindex = T_PORT;
	f[1].saddr = f[0].daddr;
	f[1].daddr = f[0].saddr;
	f[1].dqpn = T_REQ_QPN;
	f[1].rights = rights;
	f[1].psn = rep_psn;
	f[1].src_ifindex = 0;	/* the responder is behind no port */
}

struct t_pkt_opts {
	unsigned int cut;	/* bytes left off the end of the frame */
	bool frag;		/* everything past the BTH in a page fragment */
	bool flagged;		/* carries the processed flag */
	bool bad_pad;		/* BTH pad 3 with no bytes for it */
	int corrupt;		/* flip this byte after the ICRC is set, or 0 */
};

/* A frame of @s with the right ICRC, as a port's hook would see it. */
static struct sk_buff *t_skb(struct kunit *test, const struct t_spec *s,
			     const struct t_pkt_opts *o)
{
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	unsigned int len, head;
	struct rp_roce_pkt pkt;
	struct sk_buff *skb;
	u16 proto = s->ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
	u32 icrc;

	KUNIT_ASSERT_NOT_NULL(test, b);
	len = t_build(b, s);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, proto, &pkt),
			RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), 0);
	put_unaligned_le32(icrc, b + len - 4);
	if (o->bad_pad)
		b[pkt.bth_off + 1] |= 0x30;
	if (o->corrupt)
		b[o->corrupt] ^= 0x01;
	len -= o->cut;
	head = o->frag ? pkt.bth_off + IB_BTH_BYTES : len;
	skb = alloc_skb(ETH_HLEN + head, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, ETH_HLEN);
	skb_put_data(skb, b, head);
	if (head < len) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), b + head, len - head);
		skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	skb->protocol = htons(proto);
	if (o->flagged)
		skb->mark = rp_processed_mark;
	return skb;
}

/* Classify @skb and free it; @mark (if not NULL) gets its mark after. */
static enum rp_snic_verdict t_classify_skb(const struct net *net,
					   int ifindex, enum rp_dir dir,
					   struct sk_buff *skb, u32 *mark)
{
	enum rp_snic_verdict v;

	rcu_read_lock();
	v = rp_snic_classify(net, ifindex, T_TENANT, dir, skb);
	rcu_read_unlock();
	if (mark)
		*mark = skb->mark;
	kfree_skb(skb);
	return v;
}

/* Classify one frame; @mark (if not NULL) gets the skb's mark after. */
static enum rp_snic_verdict t_classify_opts(struct kunit *test,
					    const struct net *net, int ifindex,
					    enum rp_dir dir,
					    const struct t_spec *s,
					    const struct t_pkt_opts *o,
					    u32 *mark)
{
	return t_classify_skb(net, ifindex, dir, t_skb(test, s, o), mark);
}

static enum rp_snic_verdict t_classify(struct kunit *test,
				       const struct net *net, int ifindex,
				       enum rp_dir dir,
				       const struct t_spec *s)
{
	static const struct t_pkt_opts none;

	return t_classify_opts(test, net, ifindex, dir, s, &none, NULL);
}

/*
 * A CM message the full path punts comes with its parse, what the core's
 * rp_roce_parse() makes of the bytes at the network header (which the
 * exception path then does not parse again); @frag: most of it in a page.
 */
static void t_cm_punt_parse(struct kunit *test, const struct net *net,
			    const struct t_spec *s, bool frag)
{
	struct sk_buff *skb = t_skb(test, s, &(struct t_pkt_opts){
		.frag = frag });
	struct rp_roce_pkt nic, core;
	unsigned int off = skb_network_offset(skb), len = skb->len - off;
	u8 *l3 = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l3);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, off, l3, len), 0);
	memset(&nic, 0xa5, sizeof(nic));
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, rp_snic_classify_full(net, T_PORT, T_TENANT,
						    RP_DIR_FROM_VM, skb, &nic),
			RP_SNIC_CM_PUNT);
	rcu_read_unlock();
	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, rp_roce_parse(l3, len, len, ETH_P_IP, &core),
			RP_ROCE_OK);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&nic.saddr, &core.saddr));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&nic.daddr, &core.daddr));
	KUNIT_EXPECT_EQ(test, nic.ip_version, core.ip_version);
	KUNIT_EXPECT_EQ(test, nic.opcode, core.opcode);
	KUNIT_EXPECT_EQ(test, nic.class, core.class);
	KUNIT_EXPECT_EQ(test, nic.pad, core.pad);
	KUNIT_EXPECT_EQ(test, nic.ext, core.ext);
	KUNIT_EXPECT_EQ(test, nic.dqpn, core.dqpn);
	KUNIT_EXPECT_EQ(test, nic.psn, core.psn);
	KUNIT_EXPECT_EQ(test, nic.sport, core.sport);
	KUNIT_EXPECT_EQ(test, nic.ack_req, core.ack_req);
	KUNIT_EXPECT_EQ(test, nic.bth_off, core.bth_off);
	KUNIT_EXPECT_EQ(test, nic.hdr_len, core.hdr_len);
	KUNIT_EXPECT_EQ(test, nic.payload_off, core.payload_off);
	KUNIT_EXPECT_EQ(test, nic.payload_len, core.payload_len);
}

/* A frame from the requester (on its port) or from the responder. */
static struct t_spec t_from(bool requester, u8 opcode, u32 psn)
{
	return (struct t_spec) {
		.ipver = 4, .opcode = opcode, .psn = psn,
		.dqpn = requester ? T_REP_QPN : T_REQ_QPN,
		.reverse = !requester,
		.payload = rp_roce_opcode_ext(opcode) & RP_EXT_CNP ? 0 : 8,
	};
}

/* One opcode of each class, the class's index in t_needs */
static const u8 t_class_opcodes[] = {
	[RP_CLASS_SEND] = IB_OPCODE_RC_SEND_ONLY,
	[RP_CLASS_WRITE] = IB_OPCODE_RC_RDMA_WRITE_ONLY,
	[RP_CLASS_READ_REQ] = IB_OPCODE_RC_RDMA_READ_REQUEST,
	[RP_CLASS_READ_RESP] = IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY,
	[RP_CLASS_ATOMIC] = IB_OPCODE_RC_COMPARE_SWAP,
	[RP_CLASS_ATOMIC_ACK] = IB_OPCODE_RC_ATOMIC_ACKNOWLEDGE,
	[RP_CLASS_ACK] = IB_OPCODE_RC_ACKNOWLEDGE,
	[RP_CLASS_CNP] = IB_OPCODE_CNP | 0x01,
};

/* Every opcode class x every set of rights x both directions. */
static void t_classify_rights(struct kunit *test)
{
	const struct net *net = t_net(test, 10);
	unsigned int saved = rp_snic_psn_window;
	enum rp_snic_verdict v, want;
	struct rp_flow f[2];
	struct t_spec s;
	u32 both, rights, reply, mark;
	u8 class;
	int req;

	rp_snic_psn_window = 0;
	/* the requester's rights x the responder's (rights per direction) */
	for (both = 0; both < (RP_RIGHT_ALL + 1) * (RP_RIGHT_ALL + 1); both++) {
		rights = both % (RP_RIGHT_ALL + 1);
		reply = both / (RP_RIGHT_ALL + 1);
		t_conn(f, rights, 100, 200);
		f[1].rights = reply;
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
		for (class = RP_CLASS_SEND; class <= RP_CLASS_CNP; class++) {
			for (req = 0; req < 2; req++) {
				want = t_allowed(req ? rights : reply,
						 req ? reply : rights, class) ?
				       RP_SNIC_PASS : RP_SNIC_NO_RIGHT;
				s = t_from(req, t_class_opcodes[class], 100);
				v = t_classify_opts(test, net, T_PORT,
						    req ? RP_DIR_FROM_VM :
							  RP_DIR_TO_VM,
						    &s, &(struct t_pkt_opts){},
						    &mark);
				KUNIT_EXPECT_EQ_MSG(test, v, want,
						    "rights %#x reply %#x opcode %#x %s",
						    rights, reply,
						    t_class_opcodes[class],
						    req ? "from VM" : "to VM");
				/* what passes is flagged, nothing else */
				KUNIT_EXPECT_EQ(test,
						!!(mark & rp_processed_mark),
						v == RP_SNIC_PASS);
			}
		}
		rp_snic_uninstall(NULL, net, 1, f);
	}
	rp_snic_psn_window = saved;
}

/* Where a packet comes from and what it is, for one installed connection */
static void t_classify_misc(struct kunit *test)
{
	const struct net *net = t_net(test, 11), *other = t_net(test, 12);
	struct t_spec send = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	struct t_spec s;
	struct rp_flow f[2];

	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);

	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &send), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_classify(test, other, T_PORT, RP_DIR_FROM_VM,
					 &send), RP_SNIC_NO_FLOW);
	/* the same packet on a port of another tenant (security #1) */
	{
		static const struct t_pkt_opts none;
		struct sk_buff *skb = t_skb(test, &send, &none);

		rcu_read_lock();
		KUNIT_EXPECT_EQ(test, rp_snic_classify(net, T_PORT,
						       T_TENANT + 1,
						       RP_DIR_FROM_VM, skb),
				RP_SNIC_NO_FLOW);
		rcu_read_unlock();
		kfree_skb(skb);
	}
	/* unknown QPN */
	s = send;
	s.dqpn = T_REP_QPN + 1;
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &s), RP_SNIC_NO_FLOW);
	/* the requester's packets from another VM port, or from outside */
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT + 1,
					 RP_DIR_FROM_VM, &send),
			RP_SNIC_SPOOFED);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_TO_VM,
					 &send), RP_SNIC_SPOOFED);
	/* the responder (behind no port) sending from a VM port */
	s = t_from(false, IB_OPCODE_RC_SEND_ONLY, 200);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_TO_VM,
					 &s), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &s), RP_SNIC_SPOOFED);
	/* flagged data was checked where it entered this host */
	s = send;
	s.dqpn = 0x999;
	KUNIT_EXPECT_EQ(test,
			t_classify_opts(test, net, T_PORT, RP_DIR_TO_VM, &s,
					&(struct t_pkt_opts){ .flagged = true },
					NULL), RP_SNIC_PASS);
	/* CM: to the exception path unless flagged */
	s = t_from(true, IB_OPCODE_UD_SEND_ONLY, 5);
	s.dqpn = RP_QPN_GSI;
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &s), RP_SNIC_CM_PUNT);
	KUNIT_EXPECT_EQ(test,
			t_classify_opts(test, net, T_PORT, RP_DIR_FROM_VM, &s,
					&(struct t_pkt_opts){ .flagged = true },
					NULL), RP_SNIC_CM_FLAGGED);
	t_cm_punt_parse(test, net, &s, false);
	t_cm_punt_parse(test, net, &s, true);
	/* malformed: cut short, a pad with no bytes, IPv6 cut in its header */
	KUNIT_EXPECT_EQ(test,
			t_classify_opts(test, net, T_PORT, RP_DIR_FROM_VM,
					&send, &(struct t_pkt_opts){ .cut = 20 },
					NULL),
			RP_SNIC_BAD + RP_ROCE_ERR_IP - RP_ROCE_ERR_TRUNC);
	s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	s.payload = 0;
	KUNIT_EXPECT_EQ(test,
			t_classify_opts(test, net, T_PORT, RP_DIR_FROM_VM,
					&s, &(struct t_pkt_opts){ .bad_pad = 1 },
					NULL),
			RP_SNIC_BAD + RP_ROCE_ERR_LEN - RP_ROCE_ERR_TRUNC);
	s = send;
	s.ipver = 6;
	KUNIT_EXPECT_EQ(test,
			t_classify_opts(test, net, T_PORT, RP_DIR_FROM_VM,
					&s, &(struct t_pkt_opts){ .cut = 44 },
					NULL), RP_SNIC_BAD);	/* truncated */
	/* IPv6 well-framed: no IPv6 flow installed */
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &s), RP_SNIC_NO_FLOW);
	rp_snic_uninstall(NULL, net, 1, f);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &send), RP_SNIC_NO_FLOW);
}

/* check_icrc: the ICRC over linear and paged frames */
static void t_classify_icrc(struct kunit *test)
{
	const struct net *net = t_net(test, 13);
	struct t_spec s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	bool saved = rp_snic_check_icrc;
	struct rp_flow f[2];
	int frag;

	s.payload = 400;	/* more than one pass of the ICRC loop */
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	for (frag = 0; frag < 2; frag++) {
		rp_snic_check_icrc = true;
		KUNIT_EXPECT_EQ(test,
				t_classify_opts(test, net, T_PORT,
						RP_DIR_FROM_VM, &s,
						&(struct t_pkt_opts){
							.frag = frag },
						NULL), RP_SNIC_PASS);
		/* a payload byte, then the ICRC itself */
		KUNIT_EXPECT_EQ(test,
				t_classify_opts(test, net, T_PORT,
						RP_DIR_FROM_VM, &s,
						&(struct t_pkt_opts){
							.frag = frag,
							.corrupt = 300 },
						NULL), RP_SNIC_ICRC);
		KUNIT_EXPECT_EQ(test,
				t_classify_opts(test, net, T_PORT,
						RP_DIR_FROM_VM, &s,
						&(struct t_pkt_opts){
							.frag = frag,
							.corrupt = 20 + 8 + 12 +
								   400 + 1 },
						NULL), RP_SNIC_ICRC);
		/* masked fields (TTL) are not covered */
		KUNIT_EXPECT_EQ(test,
				t_classify_opts(test, net, T_PORT,
						RP_DIR_FROM_VM, &s,
						&(struct t_pkt_opts){
							.frag = frag,
							.corrupt = 8 },
						NULL), RP_SNIC_PASS);
		rp_snic_check_icrc = false;
		KUNIT_EXPECT_EQ(test,
				t_classify_opts(test, net, T_PORT,
						RP_DIR_FROM_VM, &s,
						&(struct t_pkt_opts){
							.frag = frag,
							.corrupt = 300 },
						NULL), RP_SNIC_PASS);
	}
	rp_snic_check_icrc = saved;
	rp_snic_uninstall(NULL, net, 1, f);
}

static enum rp_snic_verdict t_psn(struct kunit *test, const struct net *net,
				  bool requester, u8 opcode, u32 psn)
{
	struct t_spec s = t_from(requester, opcode, psn & 0xffffff);

	return t_classify(test, net, T_PORT, requester ? RP_DIR_FROM_VM :
							 RP_DIR_TO_VM, &s);
}

/* The PSN window, across the wrap of the requester's PSN space */
static void t_classify_psn(struct kunit *test)
{
	const struct net *net = t_net(test, 14);
	unsigned int saved = rp_snic_psn_window;
	const u32 start = 0xfffff0;
	struct rp_nic_conn_info info;
	struct rp_flow f[2];

	rp_snic_psn_window = 16;
	t_conn(f, RP_RIGHT_ALL, start, 1000);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	/* the shim's query: nothing seen yet, the PSN before each start */
	KUNIT_ASSERT_EQ(test, rp_snic_query(NULL, net, 1, f, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.psn_tracked);
	KUNIT_EXPECT_EQ(test, info.psn_seen[0], start - 1);
	KUNIT_EXPECT_EQ(test, info.psn_seen[1], 999);

	/* requests from the starting PSN on, up to 16 ahead (wrapping) */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    start), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true,
				    IB_OPCODE_RC_RDMA_WRITE_ONLY, start + 17),
			RP_SNIC_PSN);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true,
				    IB_OPCODE_RC_RDMA_WRITE_ONLY, start + 16),
			RP_SNIC_PASS);		/* 0x000000: advances */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    17), RP_SNIC_PSN);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    16), RP_SNIC_PASS);
	/* a retransmission is behind, within the window (across the wrap) */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    0), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    0xffffff), RP_SNIC_PSN);
	/* the responder's ACKs echo the requester's PSNs */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false, IB_OPCODE_RC_ACKNOWLEDGE,
				    16), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false,
				    IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY, 20),
			RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false, IB_OPCODE_RC_ACKNOWLEDGE,
				    1000), RP_SNIC_PSN);
	/* ... and responses do not advance it */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    33), RP_SNIC_PSN);
	/* the responder's own requests have their own space */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false, IB_OPCODE_RC_SEND_ONLY,
				    1000), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false, IB_OPCODE_RC_SEND_ONLY,
				    1000 + BIT(23)), RP_SNIC_PSN);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_ACKNOWLEDGE,
				    1001), RP_SNIC_PASS);
	KUNIT_ASSERT_EQ(test, rp_snic_query(NULL, net, 1, f, &info), 0);
	KUNIT_EXPECT_EQ(test, info.psn_seen[0], 16);
	KUNIT_EXPECT_EQ(test, info.psn_seen[1], 1000);
	/* a CNP carries no sequence */
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_CNP | 0x01,
				    12345), RP_SNIC_PASS);
	/* no window, no check */
	rp_snic_psn_window = 0;
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    BIT(22)), RP_SNIC_PASS);
	rp_snic_uninstall(NULL, net, 1, f);

	/* installed while the window was 0: not tracked */
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	rp_snic_psn_window = 16;
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    BIT(22)), RP_SNIC_PASS);
	KUNIT_ASSERT_EQ(test, rp_snic_query(NULL, net, 1, f, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.psn_tracked);
	rp_snic_uninstall(NULL, net, 1, f);
	KUNIT_EXPECT_EQ(test, rp_snic_query(NULL, net, 1, f, &info), -ENOENT);

	/* installed again at PSNs nobody knows (shim.h): not tracked */
	f[0].psn_unknown = true;
	f[1].psn_unknown = true;
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    start + BIT(22)), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, false, IB_OPCODE_RC_ACKNOWLEDGE,
				    BIT(23)), RP_SNIC_PASS);
	KUNIT_ASSERT_EQ(test, rp_snic_query(NULL, net, 1, f, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.psn_tracked);
	rp_snic_uninstall(NULL, net, 1, f);
	/* and at a PSN a NIC that went had got to: tracked from there */
	f[0].psn_unknown = false;
	f[1].psn_unknown = false;
	f[0].psn = BIT(22);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    BIT(22) + 3), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_psn(test, net, true, IB_OPCODE_RC_SEND_ONLY,
				    start), RP_SNIC_PSN);
	rp_snic_uninstall(NULL, net, 1, f);
	rp_snic_psn_window = saved;
}

/*
 * Security #11: only netdevs whose ingress faces the VM can be VM ports;
 * macvtap/ipvtap (a VM's frames are transmitted on them) and unknown
 * kinds are refused.
 */
static void t_port_kinds(struct kunit *test)
{
	static const struct {
		const char *kind;
		bool ok;
	} kinds[] = {
		{ NULL, true }, { "tun", true }, { "veth", true },
		{ "dummy", true }, { "macvtap", false }, { "ipvtap", false },
		{ "macvlan", false }, { "bridge", false }, { "vxlan", false },
	};
	struct net_device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	struct rtnl_link_ops *ops = kunit_kzalloc(test, sizeof(*ops),
						  GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		ops->kind = kinds[i].kind;
		dev->rtnl_link_ops = kinds[i].kind ? ops : NULL;
		KUNIT_EXPECT_EQ_MSG(test, rp_snic_kind_ok(dev), kinds[i].ok,
				    "kind %s",
				    kinds[i].kind ? kinds[i].kind : "(none)");
	}
	/* a NIC without a link kind, but the loopback one */
	dev->rtnl_link_ops = NULL;
	dev->flags = IFF_LOOPBACK;
	KUNIT_EXPECT_FALSE(test, rp_snic_kind_ok(dev));
}

/* A frame from the bytes of @b (@len, from its L3 header on), not flagged. */
static struct sk_buff *t_raw_skb(struct kunit *test, const u8 *b,
				 unsigned int len, u16 proto)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + len, GFP_KERNEL);
	struct ethhdr *eth;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, ETH_HLEN);
	skb_put_data(skb, b, len);
	skb_reset_network_header(skb);
	eth = skb_push(skb, ETH_HLEN);
	eth_zero_addr(eth->h_dest);
	eth_zero_addr(eth->h_source);
	eth->h_proto = htons(proto);
	skb_reset_mac_header(skb);
	/* as at netdev ingress: data at the network header */
	skb_pull(skb, ETH_HLEN);
	skb->protocol = htons(proto);
	return skb;
}

static netdev_tx_t t_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops t_netdev_ops = {
	.ndo_start_xmit = t_xmit,
};

/* A netdev of the test's own (link kind of @ops, or none), bound. */
static struct net_device *t_port_dev(struct kunit *test, const char *name,
				     const struct rtnl_link_ops *ops,
				     u32 tenant)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(0, name, NET_NAME_USER, ether_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->netdev_ops = &t_netdev_ops;
	dev->rtnl_link_ops = ops;
	eth_hw_addr_random(dev);
	err = register_netdev(dev);
	if (err)
		free_netdev(dev);
	KUNIT_ASSERT_EQ(test, err, 0);
	rtnl_lock();
	err = rp_snic_bind(dev, tenant, true);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, 0);
	return dev;
}

/* Gone with its netdev: the notifier unbinds it. */
static void t_port_dev_free(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static enum rp_snic_verdict t_classify_from(struct kunit *test,
					    const struct net_device *port,
					    const struct t_spec *s,
					    const struct t_pkt_opts *o,
					    int iif)
{
	struct sk_buff *skb = t_skb(test, s, o);
	enum rp_snic_verdict v;

	skb->skb_iif = iif;
	rcu_read_lock();
	v = rp_snic_classify(&init_net, port->ifindex, T_TENANT,
			     RP_DIR_TO_VM, skb);
	rcu_read_unlock();
	kfree_skb(skb);
	return v;
}

static unsigned int t_overlay_hook(struct kunit *test,
				   const struct net_device *overlay,
				   struct sk_buff *skb, int iif)
{
	struct nf_hook_state state = { .net = &init_net };
	struct rp_snic_port *port;
	unsigned int r;

	skb->skb_iif = iif;
	rcu_read_lock();
	port = rp_snic_port_lookup(&init_net, overlay->ifindex);
	KUNIT_EXPECT_NOT_NULL(test, port);
	r = port ? rp_snic_overlay_hook(port, skb, &state) : NF_ACCEPT;
	rcu_read_unlock();
	kfree_skb(skb);
	return r;
}

/*
 * Issue #13: tenants meet only where the policy says.  A packet towards a
 * VM port that this host received on a bound port of another tenant (a
 * VM's port, flagged or not, or an overlay, i.e. another tenant's VNI) is
 * dropped; one received on a port of the same tenant, on a port that is
 * not bound (a flat uplink) or made by the host is judged as before.
 * RoCEv2 going into an overlay from a port of another tenant is dropped.
 * Real netdevs of the test's own in init_net (bound ports are found by
 * namespace and ifindex); the KUnit guest has no RoCE traffic of its own.
 */
static void t_tenant_crossing(struct kunit *test)
{
	static const struct rtnl_link_ops vxlan_ops = { .kind = "vxlan" };
	static const struct t_pkt_opts none, flagged = { .flagged = true };
	struct t_spec s = t_from(false, IB_OPCODE_RC_SEND_ONLY, 200);
	struct net_device *pa, *pa2, *pb, *oa, *ob;
	u8 raw[28] = { 0x45, 0, 0, 28, 0, 0, 0, 0, 64, IPPROTO_UDP };
	struct rp_flow f[2];

	pa = t_port_dev(test, "rpk-pa", NULL, T_TENANT);
	pa2 = t_port_dev(test, "rpk-pa2", NULL, T_TENANT);
	pb = t_port_dev(test, "rpk-pb", NULL, T_TENANT + 1);
	oa = t_port_dev(test, "rpk-oa", &vxlan_ops, T_TENANT);
	ob = t_port_dev(test, "rpk-ob", &vxlan_ops, T_TENANT + 1);
	KUNIT_EXPECT_TRUE(test, rp_snic_is_overlay(oa));
	KUNIT_EXPECT_FALSE(test, rp_snic_is_overlay(pa));
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, &init_net, 1, f), 0);

	/* the responder's data over the tenant's overlay, or a flat uplink */
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &none,
					      oa->ifindex), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &none, 0x7fff0000),
			RP_SNIC_PASS);
	/* ... over another tenant's VNI: the same addresses and QPN */
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &none,
					      ob->ifindex), RP_SNIC_TENANT);
	/* flagged by a VM port of this tenant, or of another one */
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &flagged,
					      pa2->ifindex), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &flagged,
					      pb->ifindex), RP_SNIC_TENANT);
	/* CM messages too, flagged or for the exception path */
	s.dqpn = RP_QPN_GSI;
	s.opcode = IB_OPCODE_UD_SEND_ONLY;
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &flagged,
					      pb->ifindex), RP_SNIC_TENANT);
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &none,
					      ob->ifindex), RP_SNIC_TENANT);
	KUNIT_EXPECT_EQ(test, t_classify_from(test, pa, &s, &none,
					      oa->ifindex), RP_SNIC_CM_PUNT);

	/* into an overlay: RoCEv2 of its tenant only; other traffic passes */
	s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	KUNIT_EXPECT_EQ(test, t_overlay_hook(test, oa, t_skb(test, &s, &none),
					     pa->ifindex), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, t_overlay_hook(test, oa, t_skb(test, &s, &none),
					     pb->ifindex), NF_DROP);
	KUNIT_EXPECT_EQ(test, t_overlay_hook(test, ob, t_skb(test, &s, &none),
					     pa->ifindex), NF_DROP);
	KUNIT_EXPECT_EQ(test, t_overlay_hook(test, oa, t_skb(test, &s, &none),
					     0), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, t_overlay_hook(test, oa,
					     t_raw_skb(test, raw, sizeof(raw),
						       ETH_P_IP),
					     pb->ifindex), NF_ACCEPT);

	rp_snic_uninstall(NULL, &init_net, 1, f);
	t_port_dev_free(ob);
	t_port_dev_free(oa);
	t_port_dev_free(pb);
	t_port_dev_free(pa2);
	t_port_dev_free(pa);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, rp_snic_port_lookup(&init_net, 0x7fff0000));
	rcu_read_unlock();
}

/* The bytes of @s with the right ICRC into @b; returns the length. */
static unsigned int t_bytes(struct kunit *test, u8 *b, const struct t_spec *s)
{
	u16 proto = s->ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
	unsigned int len = t_build(b, s);
	struct rp_roce_pkt pkt;
	u32 icrc;

	KUNIT_ASSERT_EQ(test, rp_roce_parse(b, len, len, proto, &pkt),
			RP_ROCE_OK);
	KUNIT_ASSERT_EQ(test, rp_roce_icrc(b, len, &pkt, &icrc), 0);
	put_unaligned_le32(icrc, b + len - 4);
	return len;
}

static struct sk_buff *t_gso_skb(struct kunit *test, const struct t_spec *s,
				 u16 dport)
{
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	unsigned int len, l3;
	struct sk_buff *skb;

	KUNIT_ASSERT_NOT_NULL(test, b);
	len = t_bytes(test, b, s);
	l3 = s->ipver == 4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	((struct udphdr *)(b + l3))->dest = htons(dport);
	skb = t_raw_skb(test, b, len, s->ipver == 4 ? ETH_P_IP : ETH_P_IPV6);
	/* what GRO or a UDP_SEGMENT sender makes of several datagrams */
	skb_shinfo(skb)->gso_size = 16;
	skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(len - l3 - 8, 16);
	return skb;
}

/*
 * security #10: a GSO/GRO skb is judged by its first header only; its
 * later segments start at bytes the sender chose and would inherit the
 * processed flag.  RoCEv2 in one is dropped; other GSO traffic passes.
 */
static void t_sec10_gso(struct kunit *test)
{
	const struct net *net = t_net(test, 15);
	struct t_spec send = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	struct t_spec cm = t_from(true, IB_OPCODE_UD_SEND_ONLY, 5);
	struct rp_flow f[2];
	u32 mark;

	send.payload = 64;
	cm.dqpn = RP_QPN_GSI;
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	/* the same frame unsegmented passes, flagged */
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM,
					 &send), RP_SNIC_PASS);

	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_gso_skb(test, &send,
						       ROCE_V2_UDP_DPORT),
					     &mark), RP_SNIC_GSO);
	KUNIT_EXPECT_FALSE(test, mark & rp_processed_mark);
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_gso_skb(test, &cm,
						       ROCE_V2_UDP_DPORT),
					     &mark), RP_SNIC_GSO);
	send.reverse = true;
	send.dqpn = T_REQ_QPN;
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_TO_VM,
					     t_gso_skb(test, &send,
						       ROCE_V2_UDP_DPORT),
					     &mark), RP_SNIC_GSO);
	send.ipver = 6;
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_TO_VM,
					     t_gso_skb(test, &send,
						       ROCE_V2_UDP_DPORT),
					     &mark), RP_SNIC_GSO);
	/* other UDP in GSO skbs passes untouched */
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_gso_skb(test, &send, 4790),
					     &mark), RP_SNIC_NOT_ROCE);
	KUNIT_EXPECT_EQ(test, mark, 0);
	send.ipver = 4;
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_gso_skb(test, &send, 443),
					     &mark), RP_SNIC_NOT_ROCE);
	KUNIT_EXPECT_EQ(test, mark, 0);
	rp_snic_uninstall(NULL, net, 1, f);
}

/* Put IPv6 extension headers (@n bytes of @eh) after the fixed header. */
static unsigned int t_v6_exthdrs(u8 *b, unsigned int len, const u8 *eh,
				 unsigned int n, u8 first)
{
	struct ipv6hdr *ip6 = (void *)b;

	memmove(b + 40 + n, b + 40, len - 40);
	memcpy(b + 40 + 0, eh, n);
	ip6->payload_len = htons(ntohs(ip6->payload_len) + n);
	ip6->nexthdr = first;
	return len + n;
}

/*
 * security #17: IPv6 traffic that is not RoCEv2 passes whatever its chain
 * of extension headers (more than the parser walks, or longer than the
 * bytes it is given); RoCEv2 behind the same chains is still dropped.
 */
static void t_sec17_ipv6_ext_chain(struct kunit *test)
{
	const struct net *net = t_net(test, 16);
	struct t_spec s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	u8 *b = kunit_kzalloc(test, 1024, GFP_KERNEL);
	u8 *eh = kunit_kzalloc(test, 264, GFP_KERNEL);
	static const u16 ports[] = { 53, ROCE_V2_UDP_DPORT };
	unsigned int len, i;
	int chain;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, eh);
	s.ipver = 6;
	for (chain = 0; chain < 2; chain++) {
		for (i = 0; i < ARRAY_SIZE(ports); i++) {
			enum rp_snic_verdict v;
			unsigned int n;
			int j;

			len = t_bytes(test, b, &s);
			((struct udphdr *)(b + 40))->dest = htons(ports[i]);
			memset(eh, 0, 264);
			if (chain == 0) {
				/* six destination options headers */
				for (j = 0; j < 6; j++)
					eh[j * 8] = j < 5 ? NEXTHDR_DEST :
							    IPPROTO_UDP;
				n = 48;
			} else {
				/* one 264-byte hop-by-hop header (PadN) */
				eh[0] = IPPROTO_UDP;
				eh[1] = 264 / 8 - 1;
				eh[2] = 1;
				eh[3] = 255;
				eh[2 + 2 + 255] = 1;
				eh[2 + 2 + 255 + 1] = 1;
				n = 264;
			}
			len = t_v6_exthdrs(b, len, eh, n,
					   chain ? NEXTHDR_HOP : NEXTHDR_DEST);
			v = t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					   t_raw_skb(test, b, len, ETH_P_IPV6),
					   NULL);
			if (ports[i] == ROCE_V2_UDP_DPORT)
				KUNIT_EXPECT_NE_MSG(test, v, RP_SNIC_NOT_ROCE,
						    "chain %d", chain);
			else
				KUNIT_EXPECT_EQ_MSG(test, v, RP_SNIC_NOT_ROCE,
						    "chain %d", chain);
			KUNIT_EXPECT_NE(test, v, RP_SNIC_PASS);
		}
	}
	/* TCP behind a long chain */
	len = t_bytes(test, b, &s);
	memset(eh, 0, 264);
	for (i = 0; i < 6; i++)
		eh[i * 8] = i < 5 ? NEXTHDR_DEST : IPPROTO_TCP;
	len = t_v6_exthdrs(b, len, eh, 48, NEXTHDR_DEST);
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_raw_skb(test, b, len,
						       ETH_P_IPV6), NULL),
			RP_SNIC_NOT_ROCE);
}

/*
 * security #17: an IPv6 packet with a v4-mapped address would match the
 * IPv4 connection it names (keys hold IPv4 v4-mapped): refused.
 */
static void t_sec17_v4mapped(struct kunit *test)
{
	const struct net *net = t_net(test, 17);
	struct t_spec s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	u8 *b = kunit_kzalloc(test, T_MAX_PKT, GFP_KERNEL);
	struct ipv6hdr *ip6 = (void *)b;
	struct rp_flow f[2];
	unsigned int len;

	KUNIT_ASSERT_NOT_NULL(test, b);
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	s.ipver = 6;
	len = t_build(b, &s);
	ip6->saddr = f[0].saddr;
	ip6->daddr = f[0].daddr;
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					     t_raw_skb(test, b, len,
						       ETH_P_IPV6), NULL),
			RP_SNIC_BAD + RP_ROCE_ERR_IP - RP_ROCE_ERR_TRUNC);
	rp_snic_uninstall(NULL, net, 1, f);
}

/* security #17: RoCEv1 from (or to) a VM cannot be policed: dropped. */
static void t_sec17_rocev1(struct kunit *test)
{
	const struct net *net = t_net(test, 18);
	u8 *b = kunit_kzalloc(test, 128, GFP_KERNEL);
	int dir;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* GRH (IPv6-like, next header 0x1b: BTH), BTH of a SEND to QP 0x222 */
	b[0] = 0x60;
	b[5] = 64 - 40;
	b[6] = 0x1b;
	b[7] = 64;
	b[40] = IB_OPCODE_RC_SEND_ONLY;
	b[42] = 0xff;
	b[43] = 0xff;
	b[46] = 0x02;
	b[47] = 0x22;
	for (dir = 0; dir < RP_DIRS; dir++)
		KUNIT_EXPECT_EQ(test,
				t_classify_skb(net, T_PORT, dir,
					       t_raw_skb(test, b, 64,
							 ETH_P_IBOE), NULL),
				RP_SNIC_BAD + RP_ROCE_ERR_ROCEV1 -
				RP_ROCE_ERR_TRUNC);
}

/* A frame of @s under an in-band tag (802.1Q, VID 10) */
static struct sk_buff *t_inband_skb(struct kunit *test, const struct t_spec *s,
				    u16 dport, bool nh_after_tag)
{
	u8 *b = kunit_kzalloc(test, T_MAX_PKT + 4, GFP_KERNEL);
	u16 proto = s->ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
	unsigned int len, l3;
	struct sk_buff *skb;

	KUNIT_ASSERT_NOT_NULL(test, b);
	len = t_bytes(test, b + 4, s);
	l3 = s->ipver == 4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	((struct udphdr *)(b + 4 + l3))->dest = htons(dport);
	b[1] = 10;
	put_unaligned_be16(proto, b + 2);
	skb = t_raw_skb(test, b, len + 4, ETH_P_8021Q);
	if (nh_after_tag) {
		/* as vlan_insert_tag() leaves it, at egress */
		skb_push(skb, ETH_HLEN);
		skb_set_network_header(skb, ETH_HLEN + 4);
	}
	return skb;
}

/*
 * security #17: RoCE under an in-band VLAN tag (QinQ: the outer tag is in
 * skb->vlan_tci) is not parsed by the exception path nor keyed by the
 * flows: dropped.  Other traffic under such a tag passes, and a frame
 * whose only tag is out of band is judged as usual.
 */
static void t_sec17_qinq(struct kunit *test)
{
	const struct net *net = t_net(test, 19);
	struct t_spec send = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	struct t_spec cm = t_from(true, IB_OPCODE_UD_SEND_ONLY, 5);
	const enum rp_snic_verdict vlan = RP_SNIC_BAD + RP_ROCE_ERR_VLAN -
					  RP_ROCE_ERR_TRUNC;
	struct sk_buff *skb;
	struct rp_flow f[2];
	int after;
	u32 mark;

	cm.dqpn = RP_QPN_GSI;
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	for (after = 0; after < 2; after++) {
		KUNIT_EXPECT_EQ(test,
				t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					       t_inband_skb(test, &send,
							    ROCE_V2_UDP_DPORT,
							    after), &mark),
				vlan);
		KUNIT_EXPECT_FALSE(test, mark & rp_processed_mark);
		KUNIT_EXPECT_EQ(test,
				t_classify_skb(net, T_PORT, RP_DIR_TO_VM,
					       t_inband_skb(test, &cm,
							    ROCE_V2_UDP_DPORT,
							    after), NULL),
				vlan);
		KUNIT_EXPECT_EQ(test,
				t_classify_skb(net, T_PORT, RP_DIR_FROM_VM,
					       t_inband_skb(test, &send, 53,
							    after), &mark),
				RP_SNIC_NOT_ROCE);
		KUNIT_EXPECT_EQ(test, mark, 0);
	}
	/* one tag, out of band: a data packet of the connection */
	skb = t_skb(test, &send, &(struct t_pkt_opts){});
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021AD), 10);
	KUNIT_EXPECT_EQ(test, t_classify_skb(net, T_PORT, RP_DIR_FROM_VM, skb,
					     NULL), RP_SNIC_PASS);
	rp_snic_uninstall(NULL, net, 1, f);
}

/*
 * A learned flow (snic_learn.c): one direction, its requests within its
 * rights, every response; no PSN window; used() reads and clears the mark
 * the hit path sets; unlearn() removes only its own flow.
 */
static void t_learned_flow(struct kunit *test)
{
	const struct net *net = t_net(test, 13);
	unsigned int saved = rp_snic_psn_window, n = rp_snic_flow_count();
	struct t_spec s;
	struct rp_flow f[2];
	u8 ok[] = { IB_OPCODE_RC_SEND_ONLY, IB_OPCODE_RC_ACKNOWLEDGE,
		    IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY,
		    IB_OPCODE_RC_ATOMIC_ACKNOWLEDGE };
	int i;

	rp_snic_psn_window = 1024;
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 5, &f[0]), 0);
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), n + 1);
	KUNIT_EXPECT_EQ(test, rp_snic_used(NULL, net, 5, &f[0]), 0);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		/* far from the first PSN: no window on learned flows */
		s = t_from(true, ok[i], 100 + (1 << 20));
		KUNIT_EXPECT_EQ_MSG(test, t_classify(test, net, T_PORT,
						     RP_DIR_FROM_VM, &s),
				    RP_SNIC_PASS, "opcode %#x", ok[i]);
	}
	s = t_from(true, IB_OPCODE_RC_RDMA_WRITE_ONLY, 100);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM, &s),
			RP_SNIC_NO_RIGHT);
	s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT + 1, RP_DIR_FROM_VM,
					 &s), RP_SNIC_SPOOFED);
	/* the other direction is not learned with it */
	s = t_from(false, IB_OPCODE_RC_ACKNOWLEDGE, 200);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_TO_VM, &s),
			RP_SNIC_NO_FLOW);
	KUNIT_EXPECT_EQ(test, rp_snic_used(NULL, net, 5, &f[0]), 1);
	KUNIT_EXPECT_EQ(test, rp_snic_used(NULL, net, 5, &f[0]), 0);
	KUNIT_EXPECT_EQ(test, rp_snic_used(NULL, net, 6, &f[0]), -ENOENT);
	/* a connection with the same key cannot go in; another id stays out */
	KUNIT_EXPECT_EQ(test, rp_snic_install(NULL, net, 7, f), -EEXIST);
	KUNIT_EXPECT_EQ(test, rp_snic_learn(NULL, net, 8, &f[0]), -EEXIST);
	rp_snic_unlearn(NULL, net, 6, &f[0]);
	rp_snic_uninstall(NULL, net, 5, f);
	s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM, &s),
			RP_SNIC_PASS);
	rp_snic_unlearn(NULL, net, 5, &f[0]);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM, &s),
			RP_SNIC_NO_FLOW);
	KUNIT_EXPECT_EQ(test, rp_snic_flow_count(), n);
	rp_snic_psn_window = saved;
}

/* A learned UD flow passes only its sending QP's packets (the DETH's). */
static enum rp_snic_verdict t_ud_from(struct kunit *test,
				      const struct net *net, u32 sqpn)
{
	static const struct t_pkt_opts none;
	struct t_spec s = t_from(true, IB_OPCODE_UD_SEND_ONLY, 100);
	struct sk_buff *skb = t_skb(test, &s, &none);

	/* IPv4 20, UDP 8, BTH 12, Q_Key 4: the source QPN */
	put_unaligned_be32(sqpn, skb->data + 20 + 8 + IB_BTH_BYTES + 4);
	return t_classify_skb(net, T_PORT, RP_DIR_FROM_VM, skb, NULL);
}

static void t_learned_ud_flow(struct kunit *test)
{
	const struct net *net = t_net(test, 14);
	struct rp_flow f[2];

	t_conn(f, RP_RIGHT_SEND, 100, 200);
	f[0].sqpn = 0x77;
	KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 5, &f[0]), 0);
	KUNIT_EXPECT_EQ(test, t_ud_from(test, net, 0x77), RP_SNIC_PASS);
	KUNIT_EXPECT_EQ(test, t_ud_from(test, net, 0x78), RP_SNIC_SPOOFED);
	rp_snic_unlearn(NULL, net, 5, &f[0]);
	/* unbound (sqpn 0): any QP of the sender */
	f[0].sqpn = 0;
	KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 5, &f[0]), 0);
	KUNIT_EXPECT_EQ(test, t_ud_from(test, net, 0x78), RP_SNIC_PASS);
	rp_snic_unlearn(NULL, net, 5, &f[0]);
}

/*
 * A learned flow keeps to the QP type it was learned as (review finding
 * 2): before, a flow learned from an RC packet carried UD and UC SENDs,
 * and a UD flow RC requests with no DETH to bind.  A CNP goes on any.
 */
static void t_learned_qp_type(struct kunit *test)
{
	const struct net *net = t_net(test, 20);
	static const struct {
		u32 qp_type;
		u8 opcode;
		enum rp_snic_verdict v;
	} c[] = {
		{ RP_QP_RC, IB_OPCODE_RC_SEND_ONLY, RP_SNIC_PASS },
		{ RP_QP_RC, IB_OPCODE_UC_SEND_ONLY, RP_SNIC_NO_RIGHT },
		{ RP_QP_RC, IB_OPCODE_UD_SEND_ONLY, RP_SNIC_NO_RIGHT },
		{ RP_QP_RC, IB_OPCODE_CNP | 0x01, RP_SNIC_PASS },
		{ RP_QP_UC, IB_OPCODE_UC_SEND_ONLY, RP_SNIC_PASS },
		{ RP_QP_UC, IB_OPCODE_RC_SEND_ONLY, RP_SNIC_NO_RIGHT },
		{ RP_QP_UC, IB_OPCODE_RC_ACKNOWLEDGE, RP_SNIC_NO_RIGHT },
		{ RP_QP_UD, IB_OPCODE_RC_SEND_ONLY, RP_SNIC_NO_RIGHT },
		{ RP_QP_UD, IB_OPCODE_UC_SEND_ONLY, RP_SNIC_NO_RIGHT },
		{ 0, IB_OPCODE_UD_SEND_ONLY, RP_SNIC_PASS },	/* 0: any */
	};
	struct rp_flow f[2];
	struct t_spec s;
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		t_conn(f, RP_RIGHT_SEND, 100, 200);
		f[0].qp_type = c[i].qp_type;
		KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 5, &f[0]), 0);
		s = t_from(true, c[i].opcode, 100);
		KUNIT_EXPECT_EQ_MSG(test, t_classify(test, net, T_PORT,
						     RP_DIR_FROM_VM, &s),
				    c[i].v, "learned as %#x, opcode %#x",
				    c[i].qp_type, c[i].opcode);
		rp_snic_unlearn(NULL, net, 5, &f[0]);
	}
	/* UD bound to its QP: the QP type first, then the QP */
	t_conn(f, RP_RIGHT_SEND, 100, 200);
	f[0].qp_type = RP_QP_UD;
	f[0].sqpn = 0x77;
	KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 5, &f[0]), 0);
	KUNIT_EXPECT_EQ(test, t_ud_from(test, net, 0x77), RP_SNIC_PASS);
	s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	KUNIT_EXPECT_EQ(test, t_classify(test, net, T_PORT, RP_DIR_FROM_VM, &s),
			RP_SNIC_NO_RIGHT);
	rp_snic_unlearn(NULL, net, 5, &f[0]);
}

/*
 * The fast route (snic_fast.c) against the full path: the same frames,
 * good and mutated, through both must give the same verdicts, the same
 * processed flag and the same flow states (PSN trackers, used marks);
 * what the fast route leaves (RP_SNIC_SLOW) it must leave untouched.
 */
#define T_FAST_FLOWS	6

struct t_fast {
	struct kunit *test;
	const struct net *net;
	struct rp_snic_flow *flow[T_FAST_FLOWS];	/* states kept equal */
	unsigned int trials, fast;
};

/* @len bytes of @b as a frame of @proto, the first @head of them linear */
static struct sk_buff *t_fast_skb(struct kunit *test, const u8 *b,
				  unsigned int len, unsigned int head,
				  u16 proto, bool egress, u32 mark)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + head, GFP_KERNEL);
	struct ethhdr *eth;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, ETH_HLEN);
	skb_put_data(skb, b, head);
	if (head < len) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), b + head, len - head);
		skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	eth = skb_push(skb, ETH_HLEN);
	memset(eth, 0, ETH_HLEN);
	eth->h_proto = htons(proto);
	skb_reset_mac_header(skb);
	/* ingress: data at the network header; egress: at the MAC header */
	if (!egress)
		skb_pull(skb, ETH_HLEN);
	skb->protocol = htons(proto);
	skb->mark = mark;
	return skb;
}

/* One frame through both; returns whether the fast route took it. */
static bool t_fast_one(struct t_fast *t, int ifindex, enum rp_dir dir,
		       const u8 *b, unsigned int len, unsigned int head,
		       u16 proto, u32 mark)
{
	struct kunit *test = t->test;
	bool egress = dir == RP_DIR_TO_VM;
	struct sk_buff *a = t_fast_skb(test, b, len, head, proto, egress, mark);
	struct sk_buff *z = t_fast_skb(test, b, len, head, proto, egress, mark);
	u32 st0[T_FAST_FLOWS], stf[T_FAST_FLOWS];
	enum rp_snic_verdict vf, vs;
	struct rp_roce_pkt pkt;
	int i;

	for (i = 0; i < T_FAST_FLOWS; i++)
		st0[i] = READ_ONCE(t->flow[i]->state);
	rcu_read_lock();
	vf = rp_snic_fast(t->net, ifindex, T_TENANT, dir, a);
	for (i = 0; i < T_FAST_FLOWS; i++) {
		stf[i] = READ_ONCE(t->flow[i]->state);
		WRITE_ONCE(t->flow[i]->state, st0[i]);
	}
	vs = rp_snic_classify_full(t->net, ifindex, T_TENANT, dir, z, &pkt);
	rcu_read_unlock();
	t->trials++;
	if (vf == RP_SNIC_SLOW) {
		KUNIT_EXPECT_EQ(test, a->mark, mark);
		for (i = 0; i < T_FAST_FLOWS; i++)
			KUNIT_EXPECT_EQ(test, stf[i], st0[i]);
	} else {
		t->fast++;
		KUNIT_EXPECT_EQ_MSG(test, vf, vs,
				    "len %u head %u proto %#x dir %d op %#x",
				    len, head, proto, dir,
				    len > 48 ? b[proto == ETH_P_IP ? 28 : 48] : 0);
		KUNIT_EXPECT_EQ(test, a->mark, z->mark);
		for (i = 0; i < T_FAST_FLOWS; i++)
			KUNIT_EXPECT_EQ(test, stf[i],
					READ_ONCE(t->flow[i]->state));
	}
	for (i = 0; i < T_FAST_FLOWS; i++)
		WRITE_ONCE(t->flow[i]->state, st0[i]);
	kfree_skb(a);
	kfree_skb(z);
	return vf != RP_SNIC_SLOW;
}

/* A frame, then each byte of it flipped (three ways), cut and split. */
static void t_fast_mutations(struct t_fast *t, int ifindex, enum rp_dir dir,
			     const struct t_spec *spec, u32 mark, bool deep)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	u16 proto = spec->ipver == 4 ? ETH_P_IP : ETH_P_IPV6;
	u8 *b = kunit_kzalloc(t->test, 2 * T_MAX_PKT, GFP_KERNEL), *m;
	unsigned int len, i, j;

	KUNIT_ASSERT_NOT_NULL(t->test, b);
	m = b + T_MAX_PKT;
	len = t_build(b, spec);
	t_fast_one(t, ifindex, dir, b, len, len, proto, mark);
	if (!deep)
		goto out;
	for (i = 0; i < len; i++) {
		for (j = 0; j < ARRAY_SIZE(flips); j++) {
			memcpy(m, b, len);
			m[i] ^= flips[j];
			t_fast_one(t, ifindex, dir, m, len, len, proto, mark);
		}
		/* cut short (lengths left), and the same bytes nonlinear */
		if (i)
			t_fast_one(t, ifindex, dir, b, i, i, proto, mark);
		if (i)
			t_fast_one(t, ifindex, dir, b, len, i, proto, mark);
	}
out:
	kunit_kfree(t->test, b);
}

static void t_fast_vs_full(struct kunit *test)
{
	const struct net *net = t_net(test, 21);
	unsigned int saved = rp_snic_psn_window, rights, op, n;
	struct t_fast t = { .test = test, .net = net };
	struct rp_flow f4[2], f6[2], fl;
	struct t_spec s;
	int req, ipv, mk;
	u8 *vlan = kunit_kzalloc(test, 4 + T_MAX_PKT, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vlan);

	for (rights = 0; rights <= RP_RIGHT_ALL; rights += 5) {
		rp_snic_psn_window = rights & 1 ? 16 : 0;
		/* IPv4 and IPv6 connections, the requester on T_PORT */
		t_conn(f4, rights, 100, 200);
		f6[0] = f4[0];
		f6[1] = f4[1];
		memset(&f6[0].saddr, 0, 16);
		f6[0].saddr.s6_addr[0] = 0xfd;
		f6[0].saddr.s6_addr[15] = 1;
		f6[0].daddr = f6[0].saddr;
		f6[0].daddr.s6_addr[15] = 2;
		f6[1].saddr = f6[0].daddr;
		f6[1].daddr = f6[0].saddr;
		f6[1].rights = RP_RIGHT_ALL & ~rights;
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f4), 0);
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 2, f6), 0);
		/* a learned flow: the fast route leaves it */
		fl = f4[0];
		fl.dqpn = 0x333;
		fl.qp_type = RP_QP_RC;
		KUNIT_ASSERT_EQ(test, rp_snic_learn(NULL, net, 3, &fl), 0);
		/* installed for the test's length: no RCU needed after */
		t.flow[0] = (struct rp_snic_flow *)t_lookup(net, &f4[0]);
		t.flow[2] = (struct rp_snic_flow *)t_lookup(net, &f6[0]);
		t.flow[4] = (struct rp_snic_flow *)t_lookup(net, &fl);
		for (n = 0; n < T_FAST_FLOWS; n += 2) {
			KUNIT_ASSERT_NOT_NULL(test, t.flow[n]);
			t.flow[n + 1] = rp_snic_flow_peer(t.flow[n]);
		}

		/* nothing past the MAC header */
		t_fast_one(&t, T_PORT, RP_DIR_TO_VM, vlan, 0, 0, ETH_P_IP, 0);
		/* every opcode, both ways, both sides, flagged or not */
		for (op = 0; op < 256; op++)
			for (n = 0; n < 16; n++) {
				ipv = n & 1 ? 6 : 4;
				req = n & 2;
				mk = n & 4;
				s = t_from(req, op, n & 8 ? 100 : 0x800000);
				s.ipver = ipv;
				if (req && (n & 8) && ipv == 4 && op < 0x20)
					s.dqpn = 0x333;	/* learned */
				/* from its own side, and from the other */
				t_fast_mutations(&t, T_PORT,
						 req ? RP_DIR_FROM_VM :
						       RP_DIR_TO_VM,
						 &s, mk ? rp_processed_mark : 0,
						 false);
				t_fast_mutations(&t, T_PORT,
						 req ? RP_DIR_TO_VM :
						       RP_DIR_FROM_VM,
						 &s, 0, false);
			}
		/* one opcode of each class (and UD, XRC), every byte mutated */
		for (op = 0; op < ARRAY_SIZE(t_class_opcodes) + 2; op++)
			for (n = 0; n < 4; n++) {
				u8 o = op < ARRAY_SIZE(t_class_opcodes) ?
				       t_class_opcodes[op] :
				       op == ARRAY_SIZE(t_class_opcodes) ?
				       IB_OPCODE_UD_SEND_ONLY : 0xa4;

				if (!o)
					continue;
				req = n & 1;
				s = t_from(req, o, 100);
				s.ipver = n & 2 ? 6 : 4;
				t_fast_mutations(&t, T_PORT,
						 req ? RP_DIR_FROM_VM :
						       RP_DIR_TO_VM,
						 &s, 0, rights == 0 ||
						 rights == RP_RIGHT_ALL);
			}
		/* an in-band VLAN tag: never the fast route's */
		s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
		memset(vlan, 0, 4);
		vlan[2] = ETH_P_IP >> 8;
		vlan[3] = ETH_P_IP & 0xff;
		n = t_build(vlan + 4, &s) + 4;
		KUNIT_EXPECT_FALSE(test, t_fast_one(&t, T_PORT, RP_DIR_FROM_VM,
						    vlan, n, n, ETH_P_8021Q,
						    0));
		rp_snic_unlearn(NULL, net, 3, &fl);
		rp_snic_uninstall(NULL, net, 2, f6);
		rp_snic_uninstall(NULL, net, 1, f4);
	}
	rp_snic_psn_window = saved;
	kunit_info(test, "%u frames, %u on the fast route\n", t.trials,
		   t.fast);
	/* the good frames of every class do take it */
	KUNIT_EXPECT_GT(test, t.fast, t.trials / 20);
}

/* The fast route takes the common data packet, and passes it. */
static void t_fast_taken(struct kunit *test)
{
	const struct net *net = t_net(test, 22);
	struct t_spec s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 100);
	u8 b[T_MAX_PKT];
	struct sk_buff *skb;
	struct rp_flow f[2];
	unsigned int len;
	int ipv;

	t_conn(f, RP_RIGHT_SEND, 100, 200);
	KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, 1, f), 0);
	for (ipv = 4; ipv <= 6; ipv += 2) {
		s.ipver = ipv;
		len = t_build(b, &s);
		skb = t_fast_skb(test, b, len, len,
				 ipv == 4 ? ETH_P_IP : ETH_P_IPV6, false, 0);
		rcu_read_lock();
		KUNIT_EXPECT_EQ(test, rp_snic_fast(net, T_PORT, T_TENANT,
						   RP_DIR_FROM_VM, skb),
				ipv == 4 ? RP_SNIC_PASS : RP_SNIC_NO_FLOW);
		rcu_read_unlock();
		KUNIT_EXPECT_EQ(test, !!(skb->mark & rp_processed_mark),
				ipv == 4);
		kfree_skb(skb);
	}
	rp_snic_uninstall(NULL, net, 1, f);
}

/*
 * Many connections, IPv4 and IPv6, their keys spread over all the words
 * (the table grows and rehashes under the lookups): every frame of each
 * connection, both ways, and a frame of none, through the fast route and
 * the full path.  The fast route hashes an IPv4 key with its constant
 * words folded (snic_fast.h): were that not the table's hash, it would
 * look in the wrong bucket and say NO_FLOW where the full path passes.
 */
#define T_FAST_CONNS	600

static void t_fast_flows(u32 i, struct rp_flow f[2])
{
	u32 x = i * 2654435761u;

	memset(f, 0, 2 * sizeof(*f));
	f[0].tenant = T_TENANT;
	f[1].tenant = T_TENANT;
	if (i & 1) {
		f[0].saddr.s6_addr32[0] = htonl(0xfd000000 | (x >> 8));
		f[0].saddr.s6_addr32[1] = htonl(x);
		f[0].saddr.s6_addr32[2] = htonl(~x);
		f[0].saddr.s6_addr32[3] = htonl(i);
		f[0].daddr = f[0].saddr;
		f[0].daddr.s6_addr32[3] = htonl(i + 0x10000);
	} else {
		ipv6_addr_set_v4mapped(htonl(0x0a000000 | (x & 0xffffff)),
				       &f[0].saddr);
		ipv6_addr_set_v4mapped(htonl(0x0b000000 | i), &f[0].daddr);
	}
	f[0].dqpn = 0x10 + (x & 0x7fffff);
	f[0].rights = RP_RIGHT_SEND;
	f[0].src_ifindex = T_PORT;
	f[1].saddr = f[0].daddr;
	f[1].daddr = f[0].saddr;
	f[1].dqpn = 0x10 + i;
	f[1].rights = RP_RIGHT_SEND;
}

/* a SEND of @f (its addresses, its QPN) through both: their verdicts */
static void t_fast_send(struct kunit *test, const struct net *net,
			const struct rp_flow *f, enum rp_dir dir,
			enum rp_snic_verdict want)
{
	bool v4 = ipv6_addr_v4mapped(&f->saddr);
	struct t_spec s = t_from(true, IB_OPCODE_RC_SEND_ONLY, 1);
	u16 proto = v4 ? ETH_P_IP : ETH_P_IPV6;
	struct sk_buff *a, *z;
	enum rp_snic_verdict vf, vs;
	struct rp_roce_pkt pkt;
	unsigned int len;
	u8 b[T_MAX_PKT];

	s.ipver = v4 ? 4 : 6;
	s.dqpn = f->dqpn;
	len = t_build(b, &s);
	if (v4) {
		memcpy(b + 12, &f->saddr.s6_addr32[3], 4);
		memcpy(b + 16, &f->daddr.s6_addr32[3], 4);
	} else {
		memcpy(b + 8, &f->saddr, 16);
		memcpy(b + 24, &f->daddr, 16);
	}
	a = t_fast_skb(test, b, len, len, proto, dir == RP_DIR_TO_VM, 0);
	z = t_fast_skb(test, b, len, len, proto, dir == RP_DIR_TO_VM, 0);
	rcu_read_lock();
	vf = rp_snic_fast(net, T_PORT, T_TENANT, dir, a);
	vs = rp_snic_classify_full(net, T_PORT, T_TENANT, dir, z, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ_MSG(test, vf, want, "fast: %pI6c -> %pI6c qpn %#x",
			    &f->saddr, &f->daddr, f->dqpn);
	KUNIT_EXPECT_EQ_MSG(test, vs, want, "full: %pI6c -> %pI6c qpn %#x",
			    &f->saddr, &f->daddr, f->dqpn);
	KUNIT_EXPECT_EQ(test, a->mark, z->mark);
	kfree_skb(a);
	kfree_skb(z);
}

static void t_fast_many(struct kunit *test)
{
	const struct net *net = t_net(test, 23);
	unsigned int saved = rp_snic_psn_window;
	struct rp_flow f[2];
	u32 i;

	rp_snic_psn_window = 0;
	for (i = 0; i < T_FAST_CONNS; i++) {
		t_fast_flows(i, f);
		KUNIT_ASSERT_EQ(test, rp_snic_install(NULL, net, i + 1, f), 0);
		/* the ones before too: the table may be growing under them */
		if (i % 100 == 99) {
			t_fast_flows(i / 2, f);
			t_fast_send(test, net, &f[0], RP_DIR_FROM_VM,
				    RP_SNIC_PASS);
		}
	}
	for (i = 0; i < T_FAST_CONNS; i++) {
		t_fast_flows(i, f);
		t_fast_send(test, net, &f[0], RP_DIR_FROM_VM, RP_SNIC_PASS);
		t_fast_send(test, net, &f[1], RP_DIR_TO_VM, RP_SNIC_PASS);
		/* no connection's: the addresses are this one's only */
		f[0].dqpn = f[0].dqpn == 2 ? 3 : 2;
		t_fast_send(test, net, &f[0], RP_DIR_FROM_VM, RP_SNIC_NO_FLOW);
	}
	for (i = 0; i < T_FAST_CONNS; i++) {
		t_fast_flows(i, f);
		rp_snic_uninstall(NULL, net, i + 1, f);
	}
	rp_snic_psn_window = saved;
}

static struct kunit_case rp_snic_cases[] = {
	KUNIT_CASE(t_fast_taken),
	KUNIT_CASE(t_fast_vs_full),
	KUNIT_CASE(t_fast_many),
	KUNIT_CASE(t_learned_flow),
	KUNIT_CASE(t_learned_ud_flow),
	KUNIT_CASE(t_learned_qp_type),
	KUNIT_CASE(t_sec10_gso),
	KUNIT_CASE(t_sec17_ipv6_ext_chain),
	KUNIT_CASE(t_sec17_v4mapped),
	KUNIT_CASE(t_sec17_rocev1),
	KUNIT_CASE(t_sec17_qinq),
	KUNIT_CASE(t_rights),
	KUNIT_CASE(t_classify_rights),
	KUNIT_CASE(t_classify_misc),
	KUNIT_CASE(t_classify_icrc),
	KUNIT_CASE(t_classify_psn),
	KUNIT_CASE(t_flow_table),
	KUNIT_CASE(t_flow_tenants_and_ids),
	KUNIT_CASE(t_resize_under_readers),
	KUNIT_CASE(t_port_kinds),
	KUNIT_CASE(t_tenant_crossing),
	{}
};

static struct kunit_suite rp_snic_suite = {
	.name = "rdmapolicy_snic",
	.test_cases = rp_snic_cases,
};

kunit_test_suite(rp_snic_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rdmapolicy SmartNIC data plane");
