// SPDX-License-Identifier: GPL-2.0
/*
 * rp_bench: the in-kernel packet injector of `make bench`.
 *
 * It feeds prepared frames to a netdev's receive path with
 * netif_receive_skb(), the way pktgen's netif_receive mode does, but with
 * real RoCEv2 packets (pktgen cannot carry a BTH), and times it.  Commands
 * are written to /sys/kernel/debug/rp_bench/ctl; reading it gives the
 * result of the last one:
 *
 *   hook DEV on|off      an empty netdev ingress hook on DEV (baseline)
 *   fill DEV N           install connections 0..N-1 in the SmartNIC, their
 *                        requester behind DEV: 10.a.b.c -> 11.0.0.1, QPN i
 *   empty                uninstall them
 *   rx DEV PKTS hit|miss send PKTS RC SEND packets over 4096 frames spread
 *                        over the installed connections (hit) or to
 *                        connections that do not exist (miss)
 *                        -> "ns_per_pkt=..."
 *   req DEV N            N RDMA CM REQs (the captured rping REQ with new
 *                        communication IDs) -> "ns_per_req=..."
 *   learn DEV N          N first data packets (RC SEND ONLY) of the REQ's
 *                        requester (its MAC and address) to its responder,
 *                        each to a new destination QPN (from 0x100): N
 *                        learned-flow decisions -> "ns_per_pkt=..."
 *   deny DEV N           one such packet to an address no rule allows
 *                        (10.10.0.3, QPN 0x42), received once (its denial),
 *                        then N times timed: negative-cache hits
 *                        -> "ns_per_pkt=..."
 *   prof DEV N           the fast path's parts, each called N times on a
 *                        hit frame of connection 0 (installed):
 *                        rp_roce_parse(), rp_snic_flow_lookup() (the key,
 *                        its hash, the probe), rp_snic_classify() whole
 *                        (parse, lookup and the checks), rp_snic_fast()
 *                        (the fast route alone) and
 *                        rp_snic_classify_full() (the full path alone)
 *                        -> "loop=... parse=... lookup=... classify=...
 *                        fast=... full=..." (ns per call less the empty
 *                        loop's, "loop")
 *   eprof DEV N          the exception path's parts (DEV bound, the REQ's
 *                        policy loaded, no connection tracked): on the
 *                        captured REQ, N times each, copy (kmalloc, copy,
 *                        kfree as rp_exception() does with a nonlinear
 *                        skb), parse (rp_roce_parse()), cm
 *                        (rp_cm_parse()), icrc
 *                        (rp_roce_icrc_ok()); then rp_exception() whole,
 *                        given the parse as the NIC's hook gives it,
 *                        on a REQ with a wrong ICRC (malformed: "bad"),
 *                        on one towards the port's VM for another's
 *                        address (anti-spoofing stops it: "spoof"), on a
 *                        REQ already decided (policy and tracker lookup,
 *                        a retransmission: "retx") and on N new REQs
 *                        (the tracker's insert too: "new")
 *                        -> "loop=... copy=... ... new=..." (ns per call
 *                        less the loop's); leaves N + 1 connections
 *
 * Frames are addressed to a MAC nobody has, so the IP stack drops them
 * right after the ingress hooks: what is timed is the receive path up to
 * and including the hooks.
 */
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>
#include <net/ipv6.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_pack.h>
#include <rdma/ibta_vol1_c12.h>
#include <linux/unaligned.h>
#include <uapi/linux/rdmapolicy.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

#include "../drivers/snic/snic.h"
#include "../kunit/rp_cm_vectors.h"

MODULE_IMPORT_NS(RP_SNIC_INTERNAL);

#define RPB_FRAMES	4096
#define RPB_BATCH	64

static DEFINE_MUTEX(rpb_lock);		/* one command at a time; all below */
static char rpb_result[128];
static struct nf_hook_ops rpb_hook;
static struct net_device *rpb_hook_dev;
static struct net *rpb_net;		/* of the installed connections */
static u32 rpb_filled;			/* connections 0..rpb_filled-1 */
static int rpb_ifindex;

static void rpb_flows(u32 i, int ifindex, struct rp_flow f[2])
{
	memset(f, 0, 2 * sizeof(*f));
	ipv6_addr_set_v4mapped(htonl(0x0a000000 | i), &f[0].saddr);
	ipv6_addr_set_v4mapped(htonl(0x0b000001), &f[0].daddr);
	f[0].dqpn = i & 0xffffff;
	f[0].rights = RP_RIGHT_SEND;
	f[0].src_ifindex = ifindex;
	f[1].saddr = f[0].daddr;
	f[1].daddr = f[0].saddr;
	f[1].dqpn = i & 0xffffff;
	f[1].rights = RP_RIGHT_SEND;
}

static unsigned int rpb_accept(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static int rpb_cmd_hook(struct net_device *dev, bool on)
{
	int err;

	if (on == !!rpb_hook_dev)
		return -EALREADY;
	if (!on) {
		nf_unregister_net_hook(dev_net(rpb_hook_dev), &rpb_hook);
		dev_put(rpb_hook_dev);
		rpb_hook_dev = NULL;
		return 0;
	}
	rpb_hook = (struct nf_hook_ops) {
		.hook = rpb_accept,
		.pf = NFPROTO_NETDEV,
		.hooknum = NF_NETDEV_INGRESS,
		.priority = INT_MIN + 1,
		.dev = dev,
	};
	err = nf_register_net_hook(dev_net(dev), &rpb_hook);
	if (err)
		return err;
	dev_hold(dev);
	rpb_hook_dev = dev;
	return 0;
}

static void rpb_empty(void)
{
	struct rp_flow f[2];
	u32 i;

	for (i = 0; i < rpb_filled; i++) {
		rpb_flows(i, rpb_ifindex, f);
		local_bh_disable();
		rp_snic_uninstall(NULL, rpb_net, i, f);
		local_bh_enable();
		cond_resched();
	}
	rpb_filled = 0;
}

static int rpb_cmd_fill(struct net_device *dev, u32 n)
{
	struct rp_flow f[2];
	int err = 0;

	if (rpb_filled && (rpb_net != dev_net(dev) ||
			   rpb_ifindex != dev->ifindex))
		rpb_empty();
	rpb_net = dev_net(dev);
	rpb_ifindex = dev->ifindex;
	if (n > BIT(24))
		return -ERANGE;
	while (rpb_filled < n) {
		rpb_flows(rpb_filled, rpb_ifindex, f);
		local_bh_disable();
		err = rp_snic_install(NULL, rpb_net, rpb_filled, f);
		local_bh_enable();
		if (err)
			break;
		rpb_filled++;
		cond_resched();
	}
	snprintf(rpb_result, sizeof(rpb_result), "filled=%u\n", rpb_filled);
	return err;
}

/* An RC SEND ONLY with 64 bytes from 10.x (connection @i) to 11.0.0.1 */
static struct sk_buff *rpb_data_frame(struct net_device *dev, u32 i, bool hit)
{
	unsigned int plen = 20 + 8 + IB_BTH_BYTES + 64 + IB_ICRC_BYTES;
	struct sk_buff *skb = alloc_skb(ETH_HLEN + plen + NET_IP_ALIGN,
					GFP_KERNEL);
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *uh;
	u8 *bth;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put_zero(skb, ETH_HLEN + plen);
	eth_random_addr(eth->h_dest);	/* nobody's: dropped after the hooks */
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(ETH_P_IP);
	ip = (void *)(eth + 1);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(plen);
	/* a miss: a source no connection has */
	ip->saddr = htonl((hit ? 0x0a000000 : 0x0c000000) | (i & 0xffffff));
	ip->daddr = htonl(0x0b000001);
	ip->check = ip_fast_csum(ip, ip->ihl);
	uh = (void *)(ip + 1);
	uh->source = htons(49152);
	uh->dest = htons(ROCE_V2_UDP_DPORT);
	uh->len = htons(plen - 20);
	bth = (u8 *)(uh + 1);
	bth[0] = IB_OPCODE_RC_SEND_ONLY;
	bth[2] = 0xff;
	bth[3] = 0xff;
	put_unaligned_be32(i & 0xffffff, bth + 4);
	put_unaligned_be32(i & 0xffffff, bth + 8);
	return skb;
}

/*
 * A first data packet of the captured REQ's requester: from its MAC and
 * 10.10.0.1 to 10.10.0.@dst_octet, RC SEND ONLY (64 bytes) to QPN @qpn,
 * to nobody's MAC (the stack drops it once the hooks passed it).
 */
static struct sk_buff *rpb_first_frame(struct net_device *dev, u8 dst_octet,
				       u32 qpn)
{
	struct sk_buff *skb = rpb_data_frame(dev, 0, true);
	struct iphdr *ip;
	u8 *bth;

	if (!skb)
		return NULL;
	memcpy(skb->data + ETH_ALEN, rp_vec_req + ETH_ALEN, ETH_ALEN);
	ip = (struct iphdr *)(skb->data + ETH_HLEN);
	ip->saddr = htonl(0x0a0a0001);
	ip->daddr = htonl(0x0a0a0000 | dst_octet);
	ip->check = 0;
	ip->check = ip_fast_csum(ip, ip->ihl);
	bth = skb->data + ETH_HLEN + sizeof(*ip) + sizeof(struct udphdr);
	put_unaligned_be32(qpn & 0xffffff, bth + 4);
	return skb;
}

/* The captured REQ with communication ID and QPN @i + 1 */
static struct sk_buff *rpb_req_frame(struct net_device *dev, u32 i)
{
	struct sk_buff *skb = alloc_skb(sizeof(rp_vec_req) + NET_IP_ALIGN,
					GFP_KERNEL);
	struct rp_roce_pkt pkt;
	unsigned int l3len;
	void *mad;
	u32 icrc;
	u8 *l3;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put_data(skb, rp_vec_req, sizeof(rp_vec_req));
	l3 = skb->data + ETH_HLEN;
	l3len = sizeof(rp_vec_req) - ETH_HLEN;
	if (rp_roce_parse(l3, l3len, l3len, ETH_P_IP, &pkt) != RP_ROCE_OK) {
		kfree_skb(skb);
		return NULL;
	}
	mad = l3 + pkt.bth_off + IB_BTH_BYTES + IB_DETH_BYTES;
	IBA_SET(CM_REQ_LOCAL_COMM_ID, (struct cm_req_msg *)mad, i + 1);
	IBA_SET(CM_REQ_LOCAL_QPN, (struct cm_req_msg *)mad, (i + 1) & 0xffffff);
	if (rp_roce_icrc(l3, l3len, &pkt, &icrc)) {
		kfree_skb(skb);
		return NULL;
	}
	put_unaligned_le32(icrc, l3 + l3len - IB_ICRC_BYTES);
	/* from the VM's MAC to nobody's: the stack drops it once forwarded */
	eth_random_addr(skb->data);
	return skb;
}

/* Receive clones of @frames (@n of them) @pkts times in all; ns/packet. */
static u64 rpb_receive(struct net_device *dev, struct sk_buff **frames,
		       u32 n, u32 pkts)
{
	u64 t0, ns = 0;
	u32 i = 0, b;

	while (i < pkts) {
		t0 = ktime_get_ns();
		local_bh_disable();
		for (b = 0; b < RPB_BATCH && i < pkts; b++, i++) {
			struct sk_buff *skb = skb_clone(frames[i % n],
							GFP_ATOMIC);

			if (!skb)
				continue;
			skb->protocol = eth_type_trans(skb, dev);
			netif_receive_skb(skb);
		}
		local_bh_enable();
		ns += ktime_get_ns() - t0;
		cond_resched();
	}
	return pkts ? ns / pkts : 0;
}

static int rpb_cmd_rx(struct net_device *dev, u32 pkts, bool hit, bool req)
{
	u32 n = req ? pkts : RPB_FRAMES, i, conns = max(rpb_filled, 1U);
	struct sk_buff **frames;
	int err = 0;
	u64 ns;

	frames = vcalloc(n, sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		/* spread over the connections, in a scattered order */
		u32 c = (u32)(((u64)i * 2654435761u) % n) *
			(u64)conns / n;

		frames[i] = req ? rpb_req_frame(dev, i) :
				  rpb_data_frame(dev, c, hit);
		if (!frames[i]) {
			err = -ENOMEM;
			goto out;
		}
	}
	if (req) {
		/* every REQ once: a new connection each */
		ns = rpb_receive(dev, frames, n, n);
		snprintf(rpb_result, sizeof(rpb_result), "ns_per_req=%llu\n",
			 ns);
	} else {
		rpb_receive(dev, frames, n, min(pkts, n));	/* warm up */
		ns = rpb_receive(dev, frames, n, pkts);
		snprintf(rpb_result, sizeof(rpb_result), "ns_per_pkt=%llu\n",
			 ns);
	}
out:
	for (i = 0; i < n && frames[i]; i++)
		kfree_skb(frames[i]);
	vfree(frames);
	return err;
}

/* learn: @n first packets to new QPNs; deny: one denied flow, @n times */
static int rpb_cmd_first(struct net_device *dev, u32 n, bool deny)
{
	u32 nframes = deny ? 1 : n, i;
	struct sk_buff **frames;
	int err = 0;
	u64 ns;

	if (!n)
		return -EINVAL;
	frames = vcalloc(nframes, sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	for (i = 0; i < nframes; i++) {
		frames[i] = deny ? rpb_first_frame(dev, 3, 0x42) :
				   rpb_first_frame(dev, 2, i + 0x100);
		if (!frames[i]) {
			err = -ENOMEM;
			goto out;
		}
	}
	if (deny)
		rpb_receive(dev, frames, 1, 1);	/* decided: denied, cached */
	ns = rpb_receive(dev, frames, nframes, n);
	snprintf(rpb_result, sizeof(rpb_result), "ns_per_pkt=%llu\n", ns);
out:
	for (i = 0; i < nframes && frames[i]; i++)
		kfree_skb(frames[i]);
	vfree(frames);
	return err;
}

/* ns per iteration of @body, @iters times */
#define RPB_TIME(iters, body) ({				\
	u32 __n = (iters), __i;					\
	u64 __t0 = ktime_get_ns();				\
								\
	for (__i = 0; __i < __n; __i++) {			\
		body;						\
		barrier();					\
	}							\
	(ktime_get_ns() - __t0) / __n;				\
})

static int rpb_cmd_prof(struct net_device *dev, u32 iters)
{
	u64 loop, parse, look, cls, fast, full;
	struct rp_roce_pkt pkt;
	struct sk_buff *skb;
	int r = 0;

	if (!iters || !rpb_filled || rpb_net != dev_net(dev))
		return -EINVAL;
	skb = rpb_data_frame(dev, 0, true);
	if (!skb)
		return -ENOMEM;
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	local_bh_disable();
	rcu_read_lock();
	loop = RPB_TIME(iters, skb->mark = 0);
	parse = RPB_TIME(iters, r |= rp_roce_parse(skb->data, skb->len,
						   skb->len, ETH_P_IP, &pkt));
	look = RPB_TIME(iters, OPTIMIZER_HIDE_VAR(skb);
			r |= !rp_snic_flow_lookup(dev_net(dev), 0, &pkt));
	cls = RPB_TIME(iters, skb->mark = 0;
		       r |= rp_snic_classify(dev_net(dev), dev->ifindex, 0,
					     RP_DIR_FROM_VM, skb));
	/* the fast route alone, and the full path it stands in for */
	fast = RPB_TIME(iters, skb->mark = 0;
			r |= rp_snic_fast(dev_net(dev), dev->ifindex, 0,
					  RP_DIR_FROM_VM, skb));
	full = RPB_TIME(iters, skb->mark = 0;
			r |= rp_snic_classify_full(dev_net(dev), dev->ifindex,
						   0, RP_DIR_FROM_VM, skb,
						   &pkt));
	rcu_read_unlock();
	local_bh_enable();
	kfree_skb(skb);
	snprintf(rpb_result, sizeof(rpb_result),
		 "loop=%llu parse=%llu lookup=%llu classify=%llu fast=%llu full=%llu r=%d\n",
		 loop, parse - loop, look - loop, cls - loop, fast - loop,
		 full - loop, r);
	return 0;
}

/* @skb as rp_exception() gets it from the NIC's hook */
static void rpb_exc_ready(struct net_device *dev, struct sk_buff *skb)
{
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
}

/*
 * rp_exception() on @n new REQs, each given its parse as the NIC's hook
 * gives it (@pkts), in batches as rpb_receive() does (the tracker's table
 * grows in a worker between them); ns per call less the empty loop's.
 */
static u64 rpb_exc_new(struct net_device *dev, struct sk_buff **frames,
		       const struct rp_roce_pkt *pkts, u32 n, int *r)
{
	u64 t0, ns = 0, loop;
	u32 i = 0, b;

	while (i < n) {
		t0 = ktime_get_ns();
		local_bh_disable();
		rcu_read_lock();
		for (b = 0; b < RPB_BATCH && i < n; b++, i++)
			*r |= rp_exception(dev, RP_DIR_FROM_VM, frames[i],
					   &pkts[i]) != RP_EXC_FORWARD;
		rcu_read_unlock();
		local_bh_enable();
		ns += ktime_get_ns() - t0;
		cond_resched();
	}
	/* the same loop's overhead, with nothing in it */
	t0 = ktime_get_ns();
	for (i = 0; i < n;) {
		local_bh_disable();
		rcu_read_lock();
		for (b = 0; b < RPB_BATCH && i < n; b++, i++)
			barrier();
		rcu_read_unlock();
		local_bh_enable();
	}
	loop = ktime_get_ns() - t0;
	return ns > loop ? (ns - loop) / n : 0;
}

/* The exception path's parts, each @iters times (see the top) */
static int rpb_cmd_eprof(struct net_device *dev, u32 iters)
{
	u64 loop, copy, parse, cm, icrc, bad, spoof, retx, fresh;
	struct sk_buff *skb, *bskb, **frames;
	struct rp_roce_pkt pkt, *pkts = NULL;
	struct rp_cm_msg m;
	unsigned int len;
	u32 i;
	int r = 0;

	if (!iters || iters > 100000)
		return -EINVAL;
	frames = vcalloc(iters, sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	skb = rpb_req_frame(dev, iters);
	bskb = rpb_req_frame(dev, iters + 1);
	for (i = 0; i < iters; i++) {
		frames[i] = rpb_req_frame(dev, i);
		if (!frames[i])
			break;
		rpb_exc_ready(dev, frames[i]);
	}
	pkts = vcalloc(iters, sizeof(*pkts));
	if (!skb || !bskb || i < iters || !pkts) {
		r = -ENOMEM;
		goto out;
	}
	rpb_exc_ready(dev, skb);
	rpb_exc_ready(dev, bskb);
	bskb->data[bskb->len - 1] ^= 1;		/* its ICRC */
	/* the parse the NIC's hook hands rp_exception() with each */
	for (i = 0; i < iters; i++)
		r |= rp_roce_parse(frames[i]->data, frames[i]->len,
				   frames[i]->len, ETH_P_IP, &pkts[i]);
	if (r || rp_roce_parse(skb->data, skb->len, skb->len, ETH_P_IP,
			       &pkt) != RP_ROCE_OK) {
		r = -EINVAL;
		goto out;
	}
	len = pkt.payload_off + pkt.payload_len + pkt.pad + IB_ICRC_BYTES;
	local_bh_disable();
	rcu_read_lock();
	loop = RPB_TIME(iters, skb->mark = 0);
	copy = RPB_TIME(iters, u8 *buf = kmalloc(skb->len, GFP_ATOMIC);
			r |= !buf || skb_copy_bits(skb, 0, buf, skb->len);
			kfree(buf));
	parse = RPB_TIME(iters, r |= rp_roce_parse(skb->data, skb->len,
						   skb->len, ETH_P_IP, &pkt));
	cm = RPB_TIME(iters,
		      r |= rp_cm_parse(skb->data + pkt.bth_off + IB_BTH_BYTES,
				       IB_DETH_BYTES + pkt.payload_len, &m));
	icrc = RPB_TIME(iters, r |= !rp_roce_icrc_ok(skb->data, len, &pkt));
	/* bskb's parse is skb's: only its ICRC differs */
	bad = RPB_TIME(iters, r |= rp_exception(dev, RP_DIR_FROM_VM, bskb,
						&pkt) != RP_EXC_DROP);
	/* to the port's VM (10.10.0.1), but for 10.10.0.2: not its address */
	spoof = RPB_TIME(iters, r |= rp_exception(dev, RP_DIR_TO_VM, skb,
						  &pkt) != RP_EXC_DROP);
	r |= (rp_exception(dev, RP_DIR_FROM_VM, skb, &pkt) !=
	      RP_EXC_FORWARD) << 1;
	retx = RPB_TIME(iters, r |= rp_exception(dev, RP_DIR_FROM_VM, skb,
						 &pkt) != RP_EXC_FORWARD);
	rcu_read_unlock();
	local_bh_enable();
	fresh = rpb_exc_new(dev, frames, pkts, iters, &r);
	snprintf(rpb_result, sizeof(rpb_result),
		 "loop=%llu copy=%llu parse=%llu cm=%llu icrc=%llu bad=%llu spoof=%llu retx=%llu new=%llu r=%d\n",
		 loop, copy - loop, parse - loop, cm - loop, icrc - loop,
		 bad - loop, spoof - loop, retx - loop, fresh, r);
out:
	kfree_skb(skb);
	kfree_skb(bskb);
	for (i = 0; i < iters && frames[i]; i++)
		kfree_skb(frames[i]);
	vfree(frames);
	vfree(pkts);
	return r < 0 ? r : 0;
}

static int rpb_run(char *line)
{
	char *argv[4] = {}, *p = strim(line);
	struct net_device *dev = NULL;
	int argc = 0, err;
	u32 n = 0;

	while (p && argc < ARRAY_SIZE(argv))
		argv[argc++] = strsep(&p, " ");
	if (!argc)
		return -EINVAL;
	if (!strcmp(argv[0], "empty")) {
		rpb_empty();
		snprintf(rpb_result, sizeof(rpb_result), "filled=0\n");
		return 0;
	}
	if (argc < 3 || (kstrtou32(argv[2], 0, &n) && strcmp(argv[0], "hook")))
		return -EINVAL;
	dev = dev_get_by_name(current->nsproxy->net_ns, argv[1]);
	if (!dev)
		return -ENODEV;
	if (!strcmp(argv[0], "hook"))
		err = rpb_cmd_hook(dev, !strcmp(argv[2], "on"));
	else if (!strcmp(argv[0], "fill"))
		err = rpb_cmd_fill(dev, n);
	else if (!strcmp(argv[0], "rx") && argc == 4)
		err = rpb_cmd_rx(dev, n, !strcmp(argv[3], "hit"), false);
	else if (!strcmp(argv[0], "req"))
		err = rpb_cmd_rx(dev, n, false, true);
	else if (!strcmp(argv[0], "prof"))
		err = rpb_cmd_prof(dev, n);
	else if (!strcmp(argv[0], "eprof"))
		err = rpb_cmd_eprof(dev, n);
	else if (!strcmp(argv[0], "learn") || !strcmp(argv[0], "deny"))
		err = rpb_cmd_first(dev, n, !strcmp(argv[0], "deny"));
	else
		err = -EINVAL;
	dev_put(dev);
	return err;
}

static ssize_t rpb_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[96];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	mutex_lock(&rpb_lock);
	rpb_result[0] = '\0';
	err = rpb_run(buf);
	mutex_unlock(&rpb_lock);
	return err ? err : count;
}

static int rpb_show(struct seq_file *m, void *v)
{
	mutex_lock(&rpb_lock);
	seq_puts(m, rpb_result);
	mutex_unlock(&rpb_lock);
	return 0;
}

static int rpb_open(struct inode *inode, struct file *file)
{
	return single_open(file, rpb_show, NULL);
}

static const struct file_operations rpb_fops = {
	.owner = THIS_MODULE,
	.open = rpb_open,
	.read = seq_read,
	.write = rpb_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static struct dentry *rpb_dir;

static int __init rpb_init(void)
{
	rpb_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ctl", 0600, rpb_dir, NULL, &rpb_fops);
	return 0;
}

static void __exit rpb_exit(void)
{
	debugfs_remove_recursive(rpb_dir);
	mutex_lock(&rpb_lock);
	if (rpb_hook_dev)
		rpb_cmd_hook(rpb_hook_dev, false);
	rpb_empty();
	mutex_unlock(&rpb_lock);
}

module_init(rpb_init);
module_exit(rpb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rdmapolicy benchmark injector (make bench)");
