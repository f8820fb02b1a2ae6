/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for <rdma/ib_mad.h>: the MAD common header (IBTA vol 1, 13.4). */
#ifndef _RP_KSHIM_IB_MAD_H
#define _RP_KSHIM_IB_MAD_H
#include <rdma/ib_verbs.h>

#define IB_MGMT_BASE_VERSION	1
#define IB_MGMT_CLASS_CM	0x07
#define IB_MGMT_METHOD_SEND	0x03
#define IB_QP1_QKEY		0x80010000

struct ib_mad_hdr {
	u8 base_version;
	u8 mgmt_class;
	u8 class_version;
	u8 method;
	__be16 status;
	__be16 class_specific;
	__be64 tid;
	__be16 attr_id;
	__be16 resv;
	__be32 attr_mod;
};
#endif
