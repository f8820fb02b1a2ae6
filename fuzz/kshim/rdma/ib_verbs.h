/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for <rdma/ib_verbs.h>: the few definitions the parsers and the
 * kernel's rdma/ib_pack.h and rdma/ib_hdrs.h use (values of IBTA vol 1 and
 * the RoCEv2 annex).
 */
#ifndef _RP_KSHIM_IB_VERBS_H
#define _RP_KSHIM_IB_VERBS_H
#include <kshim.h>

union ib_gid {
	u8 raw[16];
	struct {
		__be64 subnet_prefix;
		__be64 interface_id;
	} global;
};

struct ib_grh {
	__be32 version_tclass_flow;
	__be16 paylen;
	u8 next_hdr;
	u8 hop_limit;
	union ib_gid sgid;
	union ib_gid dgid;
};

#define IB_QPN_MASK		0xFFFFFF
#define ROCE_V2_UDP_DPORT	4791
#endif
