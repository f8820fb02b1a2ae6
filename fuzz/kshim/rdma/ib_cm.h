/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for <rdma/ib_cm.h>: CM attribute ids (IBTA vol 1, table 104)
 * and SIDR_REP status values (table 116); the message layouts are the
 * kernel's rdma/ibta_vol1_c12.h, used as is.
 */
#ifndef _RP_KSHIM_IB_CM_H
#define _RP_KSHIM_IB_CM_H
#include <rdma/ib_mad.h>
#include <rdma/ibta_vol1_c12.h>

#define CM_REQ_ATTR_ID		cpu_to_be16(0x0010)
#define CM_MRA_ATTR_ID		cpu_to_be16(0x0011)
#define CM_REJ_ATTR_ID		cpu_to_be16(0x0012)
#define CM_REP_ATTR_ID		cpu_to_be16(0x0013)
#define CM_RTU_ATTR_ID		cpu_to_be16(0x0014)
#define CM_DREQ_ATTR_ID		cpu_to_be16(0x0015)
#define CM_DREP_ATTR_ID		cpu_to_be16(0x0016)
#define CM_SIDR_REQ_ATTR_ID	cpu_to_be16(0x0017)
#define CM_SIDR_REP_ATTR_ID	cpu_to_be16(0x0018)
#define CM_LAP_ATTR_ID		cpu_to_be16(0x0019)
#define CM_APR_ATTR_ID		cpu_to_be16(0x001A)

enum ib_cm_sidr_status {
	IB_SIDR_SUCCESS,
	IB_SIDR_UNSUPPORTED,
	IB_SIDR_REJECT,
	IB_SIDR_NO_QP,
	IB_SIDR_REDIRECT,
	IB_SIDR_UNSUPPORTED_VERSION
};
#endif
