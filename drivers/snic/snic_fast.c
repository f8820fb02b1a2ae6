// SPDX-License-Identifier: GPL-2.0
/*
 * The fast route of the NIC's data path: the common data packet of an
 * installed connection, from its fixed-offset headers to the flow table's
 * bucket in one pass.
 *
 * It takes only what it can decide exactly as rp_snic_classify_full()
 * does: a linear head holding every header, IPv4 without options or IPv6
 * without extension headers (the VLAN tag, if any, taken out of the bytes
 * by the receive path: an in-band tag goes to the full path), not
 * fragmented, UDP to 4791, a BTH of transport version 0 with an opcode
 * some RoCEv2 device takes, its extension headers, pad and ICRC within
 * the UDP length, not GSO, not multicast, not CM (QP1), no ICRC check
 * asked for, and towards a VM only what rp_snic_origin_ok() lets by.
 * Every one of those checks is rp_roce_parse()'s fast route's (its
 * one-pass parse) or rp_snic_classify_full()'s, with the outcome they
 * give that packet; what fails any of them is RP_SNIC_SLOW, for the full
 * path, with nothing changed.  On the packets it takes it decides as
 * rp_snic_data() does, with the same checks in the same order (the
 * processed flag, the lookup, the sender's port, the rights of both
 * directions, the PSN window): flows learned by the core (snic_learn.c)
 * go to the full path.  KUnit (rp_snic_kunit) feeds the same frames, good
 * and mutated, through both and requires the same verdicts, marks and
 * flow states.
 *
 * No struct rp_roce_pkt and no key on the stack: the key's words are read
 * from the packet into registers, hashed there (the table's hash,
 * rp_snic_hash11(), with the bucket table's seed: the multipliers are
 * random at boot, so crafted addresses cannot collide at will) and
 * compared with each entry of the bucket.
 *
 * Locking: none taken.  The probe is rhashtable's own RCU lookup
 * (__rhashtable_lookup()) with the key in registers: the bucket table
 * under rcu_dereference(), the chain under the table's nulls markers
 * (restarted if the walk ended on another bucket's marker: an entry moved
 * under it), then the future table of a rehash, under smp_rmb(), as
 * rhashtable does: a flow installed and not removed is always found.  The
 * hook runs under rcu_read_lock(), and flows are freed after a grace
 * period (snic_flow.c), so an entry found stays valid until the hook
 * returns.  The opcode table below is written once at init.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/unaligned.h>
#include <rdma/ib_pack.h>

#include "snic.h"

bool rp_snic_fast_on = true;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_fast_on);
module_param_named(fast, rp_snic_fast_on, bool, 0644);
MODULE_PARM_DESC(fast,
		 "classify common data packets on the fast route (the same verdicts; 0: the full path only, for comparison)");

/*
 * Per BTH opcode: its enum rp_roce_class (bits 0-3, 0: no RoCEv2 device
 * takes it) and the bytes of its extension headers (bits 8-15), from
 * rp_roce.c, which the full path's parse uses.
 */
#define RP_SNIC_OP_CLASS	GENMASK(3, 0)
#define RP_SNIC_OP_EXTLEN	GENMASK(15, 8)
static u16 rp_snic_op[256] __ro_after_init;

void rp_snic_fast_init(void)
{
	unsigned int op;

	for (op = 0; op < ARRAY_SIZE(rp_snic_op); op++)
		rp_snic_op[op] =
			FIELD_PREP(RP_SNIC_OP_CLASS, rp_roce_opcode_class(op)) |
			FIELD_PREP(RP_SNIC_OP_EXTLEN,
				   rp_roce_ext_len(rp_roce_opcode_ext(op)));
}

/* two key words as the 8 bytes they are in struct rp_snic_flow_key */
static __always_inline u64 rp_snic_w64(u32 lo, u32 hi)
{
#ifdef __LITTLE_ENDIAN
	return lo | (u64)hi << 32;
#else
	return hi | (u64)lo << 32;
#endif
}

/* the 4 bytes at @off of @p, as a key word (native-endian) */
static __always_inline u32 rp_snic_w32(const u8 *p, unsigned int off)
{
	return get_unaligned((const u32 *)(p + off));
}

/* the key's 8 bytes at @off */
static __always_inline u64 rp_snic_k64(const struct rp_snic_flow *f,
				       unsigned int off)
{
	return get_unaligned((const u64 *)((const u8 *)&f->key + off));
}

/*
 * The flow whose key is (@s0..@s3, @d0..@d3, @dqpn, @netns, @tenant), the
 * addresses' words as loaded from the packet: rhashtable_lookup() of that
 * key (see the top of the file).  Scalars, not arrays, so that nothing
 * goes to the stack (which the stock kernel would zero first).
 */
static __always_inline struct rp_snic_flow *
rp_snic_fast_probe(u32 s0, u32 s1, u32 s2, u32 s3, u32 d0, u32 d1, u32 d2,
		   u32 d3, u32 dqpn, u32 netns, u32 tenant)
{
	u64 k0 = rp_snic_w64(s0, s1), k1 = rp_snic_w64(s2, s3);
	u64 k2 = rp_snic_w64(d0, d1), k3 = rp_snic_w64(d2, d3);
	u64 k4 = rp_snic_w64(dqpn, netns);
	struct rhash_lock_head __rcu *const *bkt;
	struct bucket_table *tbl;
	struct rhash_head *he;
	unsigned int hash;

	tbl = rht_dereference_rcu(rp_snic_flows.tbl, &rp_snic_flows);
restart:
	hash = rp_snic_hash11(s0, s1, s2, s3, d0, d1, d2, d3, dqpn, netns,
			      tenant, tbl->hash_rnd);
	bkt = rht_bucket(tbl, rht_bucket_index(tbl, hash));
	do {
		rht_for_each_rcu_from(he, rht_ptr_rcu(bkt), tbl, hash) {
			struct rp_snic_flow *f =
				container_of(he, struct rp_snic_flow, node);

			if (((rp_snic_k64(f, 0) ^ k0) | (rp_snic_k64(f, 8) ^ k1) |
			     (rp_snic_k64(f, 16) ^ k2) |
			     (rp_snic_k64(f, 24) ^ k3) |
			     (rp_snic_k64(f, 32) ^ k4)) || f->key.tenant != tenant)
				continue;
			return f;
		}
		/* an entry moved to another chain under the walk: again */
	} while (he != RHT_NULLS_MARKER(bkt));
	smp_rmb();		/* a rehash's table after the walk of this one */
	tbl = rht_dereference_rcu(tbl->future_tbl, &rp_snic_flows);
	if (unlikely(tbl))
		goto restart;
	return NULL;
}

/**
 * rp_snic_fast() - the fast route of rp_snic_classify()
 * @net: the port's namespace
 * @ifindex: the port's ifindex
 * @tenant: the tenant of the port's VM
 * @dir: RP_DIR_FROM_VM or RP_DIR_TO_VM
 * @skb: the packet
 *
 * Exported (RP_SNIC_INTERNAL) for KUnit.
 * Context: rcu_read_lock() (a netfilter hook).
 * Return: rp_snic_classify_full()'s verdict, or RP_SNIC_SLOW (nothing
 * done): the packet is for the full path.
 */
enum rp_snic_verdict rp_snic_fast(const struct net *net, int ifindex,
				  u32 tenant, enum rp_dir dir,
				  struct sk_buff *skb)
{
	unsigned int end, l4, udplen, extlen, len, need;
	u32 s0, s1, s2, s3, d0, d1, d2, d3, dqpn, psn, state, peer_state;
	enum rp_snic_verdict v;
	const u32 mapped = (__force u32)htonl(0xffff);
	unsigned int window;
	int off = skb_network_offset(skb), head;
	struct rp_snic_flow *flow;
	const u8 *p, *bth;
	u16 op;
	u8 class;

	if (off < 0)
		return RP_SNIC_SLOW;
	head = (int)skb_headlen(skb) - off;
	len = skb->len - off;
	p = skb->data + off;
	if (skb->protocol == htons(ETH_P_IP)) {
		/* version 4, IHL 5, UDP, no MF, offset 0 */
		if (head < (int)(sizeof(struct iphdr) + 8 + IB_BTH_BYTES) ||
		    p[0] != 0x45 || p[9] != IPPROTO_UDP ||
		    (get_unaligned((const __be16 *)(p + 6)) &
		     htons(IP_MF | IP_OFFSET)))
			return RP_SNIC_SLOW;
		/* not to a group (rp_snic_is_group()) */
		if ((p[16] & 0xf0) == 0xe0)
			return RP_SNIC_SLOW;
		l4 = sizeof(struct iphdr);
		end = get_unaligned_be16(p + 2);
		/* v4-mapped, as rp_roce_parse() keys IPv4 */
		s0 = 0;
		s1 = 0;
		s2 = mapped;
		s3 = rp_snic_w32(p, 12);
		d0 = 0;
		d1 = 0;
		d2 = mapped;
		d3 = rp_snic_w32(p, 16);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		/* version 6, next header UDP */
		if (head < (int)(sizeof(struct ipv6hdr) + 8 + IB_BTH_BYTES) ||
		    (p[0] >> 4) != 6 || p[6] != IPPROTO_UDP)
			return RP_SNIC_SLOW;
		l4 = sizeof(struct ipv6hdr);
		end = l4 + get_unaligned_be16(p + 4);
		s0 = rp_snic_w32(p, 8);
		s1 = rp_snic_w32(p, 12);
		s2 = rp_snic_w32(p, 16);
		s3 = rp_snic_w32(p, 20);
		d0 = rp_snic_w32(p, 24);
		d1 = rp_snic_w32(p, 28);
		d2 = rp_snic_w32(p, 32);
		d3 = rp_snic_w32(p, 36);
		/* neither v4-mapped (ipv6_addr_v4mapped()), nor to a group */
		if (!(s0 | s1 | (s2 ^ mapped)) || !(d0 | d1 | (d2 ^ mapped)) ||
		    p[24] == 0xff)
			return RP_SNIC_SLOW;
	} else {
		return RP_SNIC_SLOW;	/* in-band VLAN tags and the rest */
	}
	/* UDP to 4791 whose length holds a BTH and an ICRC, in the packet */
	udplen = get_unaligned_be16(p + l4 + 4);
	if (end > len ||
	    get_unaligned((const __be16 *)(p + l4 + 2)) !=
	    htons(ROCE_V2_UDP_DPORT) ||
	    udplen < 8 + IB_BTH_BYTES + IB_ICRC_BYTES || l4 + udplen > end)
		return RP_SNIC_SLOW;
	/* the BTH: version 0, a known opcode, its headers in the head */
	bth = p + l4 + 8;
	op = rp_snic_op[bth[0]];
	class = FIELD_GET(RP_SNIC_OP_CLASS, op);
	extlen = FIELD_GET(RP_SNIC_OP_EXTLEN, op);
	need = 8 + IB_BTH_BYTES + extlen + ((bth[1] >> 4) & 3) + IB_ICRC_BYTES;
	if ((bth[1] & 0xf) || !class || need > udplen ||
	    (int)(l4 + 8 + IB_BTH_BYTES + extlen) > head)
		return RP_SNIC_SLOW;
	dqpn = get_unaligned_be32(bth + 4) & 0xffffff;
	if (dqpn == RP_QPN_GSI || skb_is_gso(skb) ||
	    READ_ONCE(rp_snic_check_icrc) ||
	    (dir == RP_DIR_TO_VM && !rp_snic_origin_ok(net, skb, ifindex,
						       tenant)))
		return RP_SNIC_SLOW;

	/* rp_snic_data() */
	if (rp_skb_processed(skb))
		return RP_SNIC_PASS;
	flow = rp_snic_fast_probe(s0, s1, s2, s3, d0, d1, d2, d3, dqpn,
				  net->ns.inum, tenant);
	if (!flow)
		return RP_SNIC_NO_FLOW;
	v = rp_snic_flow_admit(flow, ifindex, dir, class, &state, &peer_state);
	if (v != RP_SNIC_PASS)
		return v;
	if (unlikely(peer_state & RP_SNIC_ST_LEARNED))
		return RP_SNIC_SLOW;	/* nothing changed yet */
	window = READ_ONCE(rp_snic_psn_window);
	if ((state & RP_SNIC_ST_TRACK) && window) {
		psn = get_unaligned_be32(bth + 8) & 0xffffff;
		if (!rp_snic_psn_ok(flow, class, psn, window))
			return RP_SNIC_PSN;
	}
	rp_snic_flow_touch(flow);
	skb->mark |= rp_processed_mark;
	return RP_SNIC_PASS;
}
EXPORT_SYMBOL_NS_GPL(rp_snic_fast, RP_SNIC_INTERNAL);
