/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The counters rdmapolicy reports, each listed once.
 *
 * Each list is an X-macro in a header of its own, one line per counter,
 * included once per use with the line's macro defined (as KVM's
 * kvm-x86-ops.h): the kernel's enums below, the netlink attribute each
 * counter is reported as (rp_netlink.c) and the names the CLI prints
 * (tools/rdmapolicy) all expand from it.  The headers have no kernel
 * types, so that tools/rdmapolicy includes them too.
 *
 * rdmapolicy/exc_ctrs.h: RP_EXC_CTR(id, text, json, detail), the
 * exception path counters of a namespace (rp_net.exc[]), in
 * RP_CMD_STATS_GET.  RP_EXC_CTR_<id> is reported as RP_A_STATS_<id>; the
 * CLI prints it as <text> (text mode) or <json> (JSON), in the summary
 * (detail 0) or with -s in the "exception" block (detail 1).
 *
 * rdmapolicy/nic_ctrs.h: RP_NIC_CTR(id, name), the per-port packet
 * counters of a NIC, per direction (struct rp_nic_port_stats in shim.h),
 * in RP_CMD_NIC_GET.  RP_NIC_CTR_<id> is reported as RP_A_NIC_CTR_<id>;
 * the CLI prints it as <name>.
 *
 * A new counter is one line in its list and its attribute in
 * include/uapi/linux/rdmapolicy.h (then the code that counts it); the
 * static_asserts below fail the build when the two disagree.
 */
#ifndef _RDMAPOLICY_COUNTERS_H
#define _RDMAPOLICY_COUNTERS_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#else
#include <assert.h>
#endif
#include <uapi/linux/rdmapolicy.h>

#define RP_EXC_CTR(id, ...)	RP_EXC_CTR_##id,
enum rp_exc_ctr {
#include <rdmapolicy/exc_ctrs.h>
	RP_EXC_CTRS
};

#undef RP_EXC_CTR

#define RP_NIC_CTR(id, ...)	RP_NIC_CTR_##id,
enum rp_nic_ctr {
#include <rdmapolicy/nic_ctrs.h>
	RP_NIC_CTRS
};

#undef RP_NIC_CTR

/*
 * Against the uapi: the counters' attributes are exactly the counter
 * attributes of their nest (all of RP_A_NIC_CTR_* but PAD; of RP_A_STATS_*
 * all but the gauges and PAD).  As bits: the sum of one bit per counter
 * (ids are distinct, so are their attributes) is the set expected.  In
 * 64 bits, as the stats nest has more than 31 attributes: the enum is of
 * unsigned long long (GCC and clang allow it), 0 minus the bits wraps and
 * its negation is their sum.
 */
#define RP_CTR_BIT(attr)	(1ULL << (attr))
#define RP_CTR_BITS(max)	(RP_CTR_BIT((max) + 1) - 2)	/* 1..max */

#define RP_EXC_CTR(id, ...)	-RP_CTR_BIT(RP_A_STATS_##id)
#define RP_NIC_CTR(id, ...)	-RP_CTR_BIT(RP_A_NIC_CTR_##id)
enum {
	RP_EXC_CTR_ATTRS_NEG = 0
#include <rdmapolicy/exc_ctrs.h>
	,
	RP_NIC_CTR_ATTRS_NEG = 0
#include <rdmapolicy/nic_ctrs.h>
};

#undef RP_NIC_CTR
#undef RP_EXC_CTR

static_assert(-RP_EXC_CTR_ATTRS_NEG ==
	      (RP_CTR_BITS(RP_A_STATS_MAX) &
	       ~(RP_CTR_BIT(RP_A_STATS_VMS) | RP_CTR_BIT(RP_A_STATS_RULES) |
		 RP_CTR_BIT(RP_A_STATS_GENERATION) |
		 RP_CTR_BIT(RP_A_STATS_CONNS) | RP_CTR_BIT(RP_A_STATS_PAD))),
	      "RP_A_STATS_ counters and rdmapolicy/exc_ctrs.h differ");
static_assert(-RP_NIC_CTR_ATTRS_NEG ==
	      (RP_CTR_BITS(RP_A_NIC_CTR_MAX) & ~RP_CTR_BIT(RP_A_NIC_CTR_PAD)),
	      "RP_A_NIC_CTR_ counters and rdmapolicy/nic_ctrs.h differ");

#endif /* _RDMAPOLICY_COUNTERS_H */
