/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast route of the NIC's data path (snic_fast.c says what it takes
 * and why its verdicts are the full path's), inline: the hook
 * (snic_hook.c) runs it in place, without a call; rp_snic_fast() is the
 * same body out of line, for KUnit and rp_bench's profile.
 *
 * No struct rp_roce_pkt and no key on the stack: the key's words are read
 * from the packet into registers, hashed there and compared with each
 * entry of the bucket.  IPv4 and IPv6 each get their own copy of the tail
 * (rp_snic_fast_tail() is inlined with the version a constant): an IPv4
 * key's v4-mapped prefix words are constants there, so its hash and its
 * compare skip them (see rp_snic_fast_hash()).
 *
 * Locking: none taken.  The probe is rhashtable's own RCU lookup
 * (__rhashtable_lookup()) with the key in registers: the bucket table
 * under rcu_dereference(), the chain under the table's nulls markers
 * (restarted if the walk ended on another bucket's marker: an entry moved
 * under it), then the future table of a rehash, under smp_rmb(), as
 * rhashtable does: a flow installed and not removed is always found.  The
 * hook runs under rcu_read_lock(), and flows are freed after a grace
 * period (snic_flow.c), so an entry found stays valid until the hook
 * returns.  The tables below are written once at init.
 */
#ifndef _RP_SNIC_FAST_H
#define _RP_SNIC_FAST_H

#include <linux/bitfield.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/unaligned.h>
#include <rdma/ib_pack.h>

#include "snic.h"

/*
 * Per BTH opcode: its enum rp_roce_class (bits 0-3, 0: no RoCEv2 device
 * takes it) and the bytes of its extension headers (bits 8-15), from
 * rp_roce.c, which the full path's parse uses; and the rights its class
 * needs (rp_snic_rights_need()).  Filled by rp_snic_fast_init().
 */
#define RP_SNIC_OP_CLASS	GENMASK(3, 0)
#define RP_SNIC_OP_EXTLEN	GENMASK(15, 8)
extern u16 rp_snic_op[256];
extern u64 rp_snic_op_need[256];

/*
 * The sums of rp_snic_hash_m[] that multiply an IPv4 key's constant
 * words (rp_snic_fast_hash()): [0] the zero words', [1] the two
 * 0000:ffff words'.
 */
extern u64 rp_snic_hash_v4[2];

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

/* 0000:ffff, the third word of a v4-mapped address, as a key word */
#define RP_SNIC_MAPPED	((__force u32)htonl(0xffff))

/*
 * The table's hash (rp_snic_hash11()) of the key (@s0..@s3, @d0..@d3,
 * @dqpn, @netns, @tenant) with @seed.  For IPv4 (@v4) the key is
 * v4-mapped: s0 = s1 = d0 = d1 = 0 and s2 = d2 = RP_SNIC_MAPPED, so their
 * six terms of the sum, m[i] * (w ^ seed) modulo 2^64, are
 * (m[1] + m[2] + m[5] + m[6]) * seed + (m[3] + m[7]) * (0000:ffff ^ seed)
 * (distributivity modulo 2^64), the two sums taken once at init
 * (rp_snic_hash_v4[]): two multiplies where there were six.  The same
 * function, the same value (KUnit's t_fast_hash checks it against the
 * table's hashfn): nothing of its argument (snic_flow.c) changes.
 */
static __always_inline u32
rp_snic_fast_hash(bool v4, u32 s0, u32 s1, u32 s2, u32 s3, u32 d0, u32 d1,
		  u32 d2, u32 d3, u32 dqpn, u32 netns, u32 tenant, u32 seed)
{
	u64 h;

	if (!v4)
		return rp_snic_hash11(s0, s1, s2, s3, d0, d1, d2, d3, dqpn,
				      netns, tenant, seed);
	h = rp_snic_hash_m[0] + rp_snic_hash_v4[0] * seed +
	    rp_snic_hash_v4[1] * (u64)(RP_SNIC_MAPPED ^ seed) +
	    RP_SNIC_MUL(3, s3, seed) + RP_SNIC_MUL(7, d3, seed) +
	    RP_SNIC_MUL(8, dqpn, seed) + RP_SNIC_MUL(9, netns, seed) +
	    RP_SNIC_MUL(10, tenant, seed);
	return h >> 32;
}

/*
 * Is @f's key not the IPv4 key (::ffff:@s3, ::ffff:@d3, @dqpn, @netns,
 * @tenant)?  The prefix words against constants, the rest word by word
 * against the values the hash had in registers (no 64-bit key words to
 * build first).
 */
static __always_inline bool rp_snic_key_v4_ne(const struct rp_snic_flow *f,
					      u32 s3, u32 d3, u32 dqpn,
					      u32 netns, u32 tenant)
{
	const struct rp_snic_flow_key *k = &f->key;

	return (rp_snic_k64(f, 0) | rp_snic_k64(f, 16) |
		((__force u32)k->saddr.s6_addr32[2] ^ RP_SNIC_MAPPED) |
		((__force u32)k->daddr.s6_addr32[2] ^ RP_SNIC_MAPPED)) ||
	       (__force u32)k->saddr.s6_addr32[3] != s3 ||
	       (__force u32)k->daddr.s6_addr32[3] != d3 ||
	       k->dqpn != dqpn || k->netns != netns || k->tenant != tenant;
}

/*
 * The flow whose key is (@s0..@s3, @d0..@d3, @dqpn, @netns, @tenant), the
 * addresses' words as loaded from the packet (for @v4, constants but
 * @s3 and @d3): rhashtable_lookup() of that key (see the top of the
 * file).  Scalars, not arrays, so that nothing goes to the stack (which
 * the stock kernel would zero first).
 */
static __always_inline struct rp_snic_flow *
rp_snic_fast_probe(bool v4, u32 s0, u32 s1, u32 s2, u32 s3, u32 d0, u32 d1,
		   u32 d2, u32 d3, u32 dqpn, u32 netns, u32 tenant)
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
	hash = rp_snic_fast_hash(v4, s0, s1, s2, s3, d0, d1, d2, d3, dqpn,
				 netns, tenant, tbl->hash_rnd);
	bkt = rht_bucket(tbl, rht_bucket_index(tbl, hash));
	do {
		rht_for_each_rcu_from(he, rht_ptr_rcu(bkt), tbl, hash) {
			struct rp_snic_flow *f =
				container_of(he, struct rp_snic_flow, node);

			if (v4 ? rp_snic_key_v4_ne(f, s3, d3, dqpn, netns,
						   tenant) :
			    ((rp_snic_k64(f, 0) ^ k0) | (rp_snic_k64(f, 8) ^ k1) |
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

/*
 * From the UDP header at @p + @l4 on (@head bytes of the packet at @p in
 * the linear head, @len to its end, @end its end by the IP header), the
 * address words as the key has them (see rp_snic_fast_probe()).
 */
static __always_inline enum rp_snic_verdict
rp_snic_fast_tail(const struct net *net, int ifindex, u32 tenant,
		  enum rp_dir dir, struct sk_buff *skb, const u8 *p, int head,
		  unsigned int len, unsigned int l4, unsigned int end, bool v4,
		  u32 s0, u32 s1, u32 s2, u32 s3, u32 d0, u32 d1, u32 d2,
		  u32 d3)
{
	unsigned int udplen, extlen, need, window, op;
	u32 dqpn, psn, state, peer_state;
	struct rp_snic_flow *flow;
	enum rp_snic_verdict v;
	const u8 *bth;

	/*
	 * UDP to 4791 whose length holds a BTH and an ICRC (need, below, is
	 * at least 8 + IB_BTH_BYTES + IB_ICRC_BYTES), in the packet
	 */
	udplen = get_unaligned_be16(p + l4 + 4);
	if (end > len ||
	    get_unaligned((const __be16 *)(p + l4 + 2)) !=
	    htons(ROCE_V2_UDP_DPORT) || l4 + udplen > end)
		return RP_SNIC_SLOW;
	/* the BTH: version 0, a known opcode, its headers in the head */
	bth = p + l4 + 8;
	op = rp_snic_op[bth[0]];
	extlen = FIELD_GET(RP_SNIC_OP_EXTLEN, op);
	need = 8 + IB_BTH_BYTES + extlen + ((bth[1] >> 4) & 3) + IB_ICRC_BYTES;
	if ((bth[1] & 0xf) || !(op & RP_SNIC_OP_CLASS) || need > udplen ||
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
	flow = rp_snic_fast_probe(v4, s0, s1, s2, s3, d0, d1, d2, d3, dqpn,
				  net->ns.inum, tenant);
	if (!flow)
		return RP_SNIC_NO_FLOW;
	v = rp_snic_flow_admit(flow, ifindex, dir, rp_snic_op_need[bth[0]],
			       &state, &peer_state);
	if (v != RP_SNIC_PASS)
		return v;
	if (unlikely(peer_state & RP_SNIC_ST_LEARNED))
		return RP_SNIC_SLOW;	/* nothing changed yet */
	window = READ_ONCE(rp_snic_psn_window);
	if (unlikely((state & RP_SNIC_ST_TRACK) && window)) {
		psn = get_unaligned_be32(bth + 8) & 0xffffff;
		if (!rp_snic_psn_ok(flow, FIELD_GET(RP_SNIC_OP_CLASS, op), psn,
				    window))
			return RP_SNIC_PSN;
	}
	rp_snic_flow_touch(flow);
	skb->mark |= rp_processed_mark;
	return RP_SNIC_PASS;
}

/* rp_snic_fast() (snic_fast.c), inline */
static __always_inline enum rp_snic_verdict
__rp_snic_fast(const struct net *net, int ifindex, u32 tenant,
	       enum rp_dir dir, struct sk_buff *skb)
{
	int off = skb_network_offset(skb), head;
	const u32 mapped = RP_SNIC_MAPPED;
	u32 s0, s1, s2, s3, d0, d1, d2, d3;
	unsigned int len;
	const u8 *p;

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
		s3 = rp_snic_w32(p, 12);
		d3 = rp_snic_w32(p, 16);
		/* not to a group (rp_snic_is_group()) */
		if ((p[16] & 0xf0) == 0xe0)
			return RP_SNIC_SLOW;
		/* v4-mapped, as rp_roce_parse() keys IPv4 */
		return rp_snic_fast_tail(net, ifindex, tenant, dir, skb, p,
					 head, len, sizeof(struct iphdr),
					 get_unaligned_be16(p + 2), true,
					 0, 0, mapped, s3, 0, 0, mapped, d3);
	}
	if (skb->protocol != htons(ETH_P_IPV6))
		return RP_SNIC_SLOW;	/* in-band VLAN tags and the rest */
	/* version 6, next header UDP */
	if (head < (int)(sizeof(struct ipv6hdr) + 8 + IB_BTH_BYTES) ||
	    (p[0] >> 4) != 6 || p[6] != IPPROTO_UDP)
		return RP_SNIC_SLOW;
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
	return rp_snic_fast_tail(net, ifindex, tenant, dir, skb, p, head, len,
				 sizeof(struct ipv6hdr),
				 sizeof(struct ipv6hdr) +
				 get_unaligned_be16(p + 4), false,
				 s0, s1, s2, s3, d0, d1, d2, d3);
}

#endif /* _RP_SNIC_FAST_H */
