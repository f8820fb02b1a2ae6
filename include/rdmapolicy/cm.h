/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IB CM messages carried by RoCEv2 to QP1, as the policy engine sees them.
 *
 * rp_cm_parse() takes the bytes after the BTH of a UD SEND_ONLY packet to
 * QP1 (DETH + MAD) and their length; it reads fields with the kernel's own
 * IBTA definitions (rdma/ibta_vol1_c12.h via IBA_GET) and never reads past
 * the length it is given.
 */
#ifndef _RDMAPOLICY_CM_H
#define _RDMAPOLICY_CM_H

#include <linux/types.h>
#include <linux/in6.h>

enum rp_cm_type {
	RP_CM_REQ = 1,
	RP_CM_MRA,
	RP_CM_REJ,
	RP_CM_REP,
	RP_CM_RTU,
	RP_CM_DREQ,
	RP_CM_DREP,
	RP_CM_SIDR_REQ,
	RP_CM_SIDR_REP,
	RP_CM_LAP,
	RP_CM_APR,
};

enum rp_cm_verdict {
	RP_CM_OK = 0,
	RP_CM_NOT_CM,		/* a MAD of another management class */
	RP_CM_ERR_TRUNC,	/* shorter than DETH + a 256-byte MAD */
	RP_CM_ERR_DETH,		/* Q_Key or source QP not those of QP1 */
	RP_CM_ERR_MAD,		/* bad base/class version */
	RP_CM_ERR_ATTR,		/* unknown CM attribute */
	RP_CM_ERR_CMA,		/* RDMA CM service with a bad IP header */
	RP_CM_VERDICT_MAX,
};

/* QP types, as RP_QP_* of the uapi */
struct rp_cm_msg {
	u8 type;		/* enum rp_cm_type */
	u8 method;
	u64 tid;
	u32 local_comm_id;
	u32 remote_comm_id;
	/* REQ, SIDR REQ */
	u64 service_id;
	bool rdma_cm;		/* service id in the RDMA CM IP range */
	u16 ps;			/* RDMA_PS_*, if rdma_cm */
	u16 port;		/* if rdma_cm */
	u32 qp_type;		/* RP_QP_* (REQ: RC/UC/XRC; SIDR: UD) */
	struct in6_addr gid_local;	/* REQ primary path */
	struct in6_addr gid_remote;
	/* RDMA CM IP header of REQ / SIDR REQ private data */
	bool has_cma;
	u8 cma_ip_version;
	u16 cma_port;		/* the requester's source port */
	struct in6_addr cma_src;	/* IPv4 v4-mapped */
	struct in6_addr cma_dst;
	/* REQ, REP; SIDR REP (qpn) */
	u32 qpn;
	u32 start_psn;
	u8 resp_res;
	u8 init_depth;
	/* REJ */
	u16 rej_reason;
	u8 rej_msg;		/* 0 REQ, 1 REP, 2 other */
	/* DREQ */
	u32 remote_qpn;
	/* SIDR */
	u32 request_id;
	u8 sidr_status;
};

/* bytes of DETH + MAD that rp_cm_parse() needs */
#define RP_CM_MIN_LEN	(8 + 256)

enum rp_cm_verdict rp_cm_parse(const void *buf, unsigned int len,
			       struct rp_cm_msg *m);
const char *rp_cm_type_name(u8 type);
const char *rp_cm_verdict_name(enum rp_cm_verdict v);

#endif /* _RDMAPOLICY_CM_H */
