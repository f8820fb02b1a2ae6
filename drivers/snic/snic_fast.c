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
 * The body is in snic_fast.h, inline, so that the hook runs it in place
 * (it says how the probe walks the table, and under what); this file has
 * its tables and rp_snic_fast(), the body out of line for KUnit and
 * rp_bench's profile.
 */
#include <kunit/visibility.h>
#include <linux/module.h>

#include "snic_fast.h"

bool rp_snic_fast_on = true;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_fast_on);
module_param_named(fast, rp_snic_fast_on, bool, 0644);
MODULE_PARM_DESC(fast,
		 "classify common data packets on the fast route (the same verdicts; 0: the full path only, for comparison)");

/* see snic_fast.h */
u16 rp_snic_op[256] __ro_after_init;
u64 rp_snic_op_need[256] __ro_after_init;
u64 rp_snic_hash_v4[2] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_hash_v4);

/* Context: after rp_snic_hash_m[] is drawn, before the table exists. */
void rp_snic_fast_init(void)
{
	unsigned int op, class;

	for (op = 0; op < ARRAY_SIZE(rp_snic_op); op++) {
		class = rp_roce_opcode_class(op);
		rp_snic_op[op] =
			FIELD_PREP(RP_SNIC_OP_CLASS, class) |
			FIELD_PREP(RP_SNIC_OP_EXTLEN,
				   rp_roce_ext_len(rp_roce_opcode_ext(op)));
		rp_snic_op_need[op] = rp_snic_rights_need(class);
	}
	/* rp_snic_fast_hash(): words 0, 1, 4, 5 and words 2, 6 */
	rp_snic_hash_v4[0] = rp_snic_hash_m[1] + rp_snic_hash_m[2] +
			     rp_snic_hash_m[5] + rp_snic_hash_m[6];
	rp_snic_hash_v4[1] = rp_snic_hash_m[3] + rp_snic_hash_m[7];
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
	return __rp_snic_fast(net, ifindex, tenant, dir, skb);
}
EXPORT_SYMBOL_NS_GPL(rp_snic_fast, RP_SNIC_INTERNAL);
