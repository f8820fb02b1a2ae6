/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_REJ_H
#define _RP_REJ_H

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>

/* IPv6 + UDP + BTH + DETH + MAD + ICRC */
#define RP_REJ_MAX_LEN	(40 + 8 + 12 + 8 + 256 + 4)
/* IB_CM_REJ_CONSUMER_DEFINED: what the requester's rdma_cm reports */
#define RP_REJ_REASON	28
/* Message REJected: 0 is the REQ (IBTA table 107) */
#define RP_REJ_MSG_REQ	0

unsigned int rp_rej_build(const struct rp_roce_pkt *pkt,
			  const struct rp_cm_msg *req, u16 reason, u8 *out);

#endif
