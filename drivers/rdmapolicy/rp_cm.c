// SPDX-License-Identifier: GPL-2.0
/*
 * IB CM MAD parser (REQ, MRA, REJ, REP, RTU, DREQ, DREP, SIDR REQ/REP, LAP,
 * APR) and the RDMA CM IP header of REQ private data.  Field positions come
 * from the kernel's rdma/ibta_vol1_c12.h through IBA_GET(); the RDMA CM IP
 * header layout is the IBTA RoCE/IP CM annex's (as drivers/infiniband/core/
 * cma.c builds it): version, IP version in the high nibble, the requester's
 * (source) port, then source and destination address, 16 bytes each (IPv4
 * in the last 4).  The service port is in the service id.
 */
#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <rdma/ib_cm.h>
#include <rdma/ib_mad.h>
#include <rdma/ibta_vol1_c12.h>
#include <rdma/rdma_user_cm.h>
#include <linux/unaligned.h>
#include <uapi/linux/rdmapolicy.h>

#include <rdmapolicy/cm.h>

#define RP_DETH_LEN		8
#define RP_CM_CLASS_VERSION	2
/* RDMA CM service ids: 0x00000000_01_PS(8..)_PORT, see cma.c */
#define RP_SID_RDMA_CM_MASK	0xffffffffff000000ULL
#define RP_SID_RDMA_CM		0x0000000001000000ULL
#define RP_CMA_HDR_LEN		36

static const char * const rp_cm_names[] = {
	[RP_CM_REQ] = "REQ", [RP_CM_MRA] = "MRA", [RP_CM_REJ] = "REJ",
	[RP_CM_REP] = "REP", [RP_CM_RTU] = "RTU", [RP_CM_DREQ] = "DREQ",
	[RP_CM_DREP] = "DREP", [RP_CM_SIDR_REQ] = "SIDR_REQ",
	[RP_CM_SIDR_REP] = "SIDR_REP", [RP_CM_LAP] = "LAP",
	[RP_CM_APR] = "APR",
};

const char *rp_cm_type_name(u8 type)
{
	return type < ARRAY_SIZE(rp_cm_names) && rp_cm_names[type] ?
	       rp_cm_names[type] : "?";
}
EXPORT_SYMBOL_GPL(rp_cm_type_name);

static const char * const rp_cm_verdict_names[RP_CM_VERDICT_MAX] = {
	[RP_CM_OK] = "ok", [RP_CM_NOT_CM] = "not_cm",
	[RP_CM_ERR_TRUNC] = "cm_truncated", [RP_CM_ERR_DETH] = "cm_bad_deth",
	[RP_CM_ERR_MAD] = "cm_bad_mad", [RP_CM_ERR_ATTR] = "cm_bad_attr",
	[RP_CM_ERR_CMA] = "cm_bad_ip_header",
};

const char *rp_cm_verdict_name(enum rp_cm_verdict v)
{
	return (unsigned int)v < RP_CM_VERDICT_MAX ? rp_cm_verdict_names[v] :
						     "?";
}
EXPORT_SYMBOL_GPL(rp_cm_verdict_name);

static void rp_cm_gid(struct in6_addr *to, const union ib_gid *gid)
{
	memcpy(to, gid->raw, sizeof(*to));
}

/* The RDMA CM IP header at the start of REQ / SIDR REQ private data. */
static enum rp_cm_verdict rp_cm_parse_cma(const u8 *pd, struct rp_cm_msg *m)
{
	u8 ipv = pd[1] >> 4;
	__be32 v4;

	if (pd[0] != 0 || (ipv != 4 && ipv != 6))
		return RP_CM_ERR_CMA;
	m->has_cma = true;
	m->cma_ip_version = ipv;
	m->cma_port = get_unaligned_be16(pd + 2);
	if (ipv == 4) {
		memcpy(&v4, pd + 4 + 12, 4);
		ipv6_addr_set_v4mapped(v4, &m->cma_src);
		memcpy(&v4, pd + 20 + 12, 4);
		ipv6_addr_set_v4mapped(v4, &m->cma_dst);
	} else {
		memcpy(&m->cma_src, pd + 4, 16);
		memcpy(&m->cma_dst, pd + 20, 16);
	}
	return RP_CM_OK;
}

static void rp_cm_service(struct rp_cm_msg *m, u64 sid)
{
	m->service_id = sid;
	if ((sid & RP_SID_RDMA_CM_MASK) == RP_SID_RDMA_CM) {
		m->rdma_cm = true;
		m->ps = (sid >> 16) & 0xffff;
		m->port = sid & 0xffff;
	}
}

/*
 * One helper per message type: each reads its fields (named after the
 * IBTA's tables, rdma/ibta_vol1_c12.h) from the MAD's data.
 * IBA_GET_MEM_PTR() takes non-const pointers; nothing is written.
 */
static enum rp_cm_verdict rp_cm_parse_req(void *msg, struct rp_cm_msg *m)
{
	struct cm_req_msg *req = msg;
	u8 ts = IBA_GET(CM_REQ_TRANSPORT_SERVICE_TYPE, req);

	m->local_comm_id = IBA_GET(CM_REQ_LOCAL_COMM_ID, req);
	rp_cm_service(m, IBA_GET(CM_REQ_SERVICE_ID, req));
	m->qpn = IBA_GET(CM_REQ_LOCAL_QPN, req);
	m->start_psn = IBA_GET(CM_REQ_STARTING_PSN, req);
	m->resp_res = IBA_GET(CM_REQ_RESPONDER_RESOURCES, req);
	m->init_depth = IBA_GET(CM_REQ_INITIATOR_DEPTH, req);
	if (ts == 0)
		m->qp_type = RP_QP_RC;
	else if (ts == 1)
		m->qp_type = RP_QP_UC;
	else if (ts == 3 && IBA_GET(CM_REQ_EXTENDED_TRANSPORT_TYPE, req) == 1)
		m->qp_type = RP_QP_XRC;
	else
		return RP_CM_ERR_ATTR;	/* RD, or an unknown extension */
	rp_cm_gid(&m->gid_local,
		  IBA_GET_MEM_PTR(CM_REQ_PRIMARY_LOCAL_PORT_GID, req));
	rp_cm_gid(&m->gid_remote,
		  IBA_GET_MEM_PTR(CM_REQ_PRIMARY_REMOTE_PORT_GID, req));
	if (m->rdma_cm && m->ps != RDMA_PS_IB)
		return rp_cm_parse_cma(IBA_GET_MEM_PTR(CM_REQ_PRIVATE_DATA,
						       req), m);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_mra(void *msg, struct rp_cm_msg *m)
{
	const struct cm_mra_msg *mra = msg;

	m->local_comm_id = IBA_GET(CM_MRA_LOCAL_COMM_ID, mra);
	m->remote_comm_id = IBA_GET(CM_MRA_REMOTE_COMM_ID, mra);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_rej(void *msg, struct rp_cm_msg *m)
{
	const struct cm_rej_msg *rej = msg;

	m->local_comm_id = IBA_GET(CM_REJ_LOCAL_COMM_ID, rej);
	m->remote_comm_id = IBA_GET(CM_REJ_REMOTE_COMM_ID, rej);
	m->rej_msg = IBA_GET(CM_REJ_MESSAGE_REJECTED, rej);
	m->rej_reason = IBA_GET(CM_REJ_REASON, rej);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_rep(void *msg, struct rp_cm_msg *m)
{
	const struct cm_rep_msg *rep = msg;

	m->local_comm_id = IBA_GET(CM_REP_LOCAL_COMM_ID, rep);
	m->remote_comm_id = IBA_GET(CM_REP_REMOTE_COMM_ID, rep);
	m->qpn = IBA_GET(CM_REP_LOCAL_QPN, rep);
	m->start_psn = IBA_GET(CM_REP_STARTING_PSN, rep);
	m->resp_res = IBA_GET(CM_REP_RESPONDER_RESOURCES, rep);
	m->init_depth = IBA_GET(CM_REP_INITIATOR_DEPTH, rep);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_rtu(void *msg, struct rp_cm_msg *m)
{
	const struct cm_rtu_msg *rtu = msg;

	m->local_comm_id = IBA_GET(CM_RTU_LOCAL_COMM_ID, rtu);
	m->remote_comm_id = IBA_GET(CM_RTU_REMOTE_COMM_ID, rtu);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_dreq(void *msg, struct rp_cm_msg *m)
{
	const struct cm_dreq_msg *dreq = msg;

	m->local_comm_id = IBA_GET(CM_DREQ_LOCAL_COMM_ID, dreq);
	m->remote_comm_id = IBA_GET(CM_DREQ_REMOTE_COMM_ID, dreq);
	m->remote_qpn = IBA_GET(CM_DREQ_REMOTE_QPN_EECN, dreq);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_drep(void *msg, struct rp_cm_msg *m)
{
	const struct cm_drep_msg *drep = msg;

	m->local_comm_id = IBA_GET(CM_DREP_LOCAL_COMM_ID, drep);
	m->remote_comm_id = IBA_GET(CM_DREP_REMOTE_COMM_ID, drep);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_sidr_req(void *msg, struct rp_cm_msg *m)
{
	struct cm_sidr_req_msg *sreq = msg;

	m->qp_type = RP_QP_UD;
	m->request_id = IBA_GET(CM_SIDR_REQ_REQUESTID, sreq);
	rp_cm_service(m, IBA_GET(CM_SIDR_REQ_SERVICEID, sreq));
	if (m->rdma_cm && m->ps != RDMA_PS_IB)
		return rp_cm_parse_cma(IBA_GET_MEM_PTR(CM_SIDR_REQ_PRIVATE_DATA,
						       sreq), m);
	return RP_CM_OK;
}

static enum rp_cm_verdict rp_cm_parse_sidr_rep(void *msg, struct rp_cm_msg *m)
{
	const struct cm_sidr_rep_msg *srep = msg;

	m->qp_type = RP_QP_UD;
	m->request_id = IBA_GET(CM_SIDR_REP_REQUESTID, srep);
	m->sidr_status = IBA_GET(CM_SIDR_REP_STATUS, srep);
	m->qpn = IBA_GET(CM_SIDR_REP_QPN, srep);
	rp_cm_service(m, IBA_GET(CM_SIDR_REP_SERVICEID, srep));
	return RP_CM_OK;
}

/* The message types by attribute id; LAP and APR: the type only. */
static const struct {
	__be16 attr_id;
	u8 type;			/* enum rp_cm_type */
	enum rp_cm_verdict (*parse)(void *msg, struct rp_cm_msg *m);
} rp_cm_types[] = {
	{ CM_REQ_ATTR_ID, RP_CM_REQ, rp_cm_parse_req },
	{ CM_MRA_ATTR_ID, RP_CM_MRA, rp_cm_parse_mra },
	{ CM_REJ_ATTR_ID, RP_CM_REJ, rp_cm_parse_rej },
	{ CM_REP_ATTR_ID, RP_CM_REP, rp_cm_parse_rep },
	{ CM_RTU_ATTR_ID, RP_CM_RTU, rp_cm_parse_rtu },
	{ CM_DREQ_ATTR_ID, RP_CM_DREQ, rp_cm_parse_dreq },
	{ CM_DREP_ATTR_ID, RP_CM_DREP, rp_cm_parse_drep },
	{ CM_SIDR_REQ_ATTR_ID, RP_CM_SIDR_REQ, rp_cm_parse_sidr_req },
	{ CM_SIDR_REP_ATTR_ID, RP_CM_SIDR_REP, rp_cm_parse_sidr_rep },
	{ CM_LAP_ATTR_ID, RP_CM_LAP, NULL },
	{ CM_APR_ATTR_ID, RP_CM_APR, NULL },
};

/**
 * rp_cm_parse() - parse an IB CM message sent to QP1
 * @buf: the bytes after the BTH: DETH, then the MAD
 * @len: how many bytes @buf holds
 * @m: the message; zeroed first
 *
 * Context: any.
 * Return: RP_CM_OK, RP_CM_NOT_CM for another management class (not ours to
 * judge), or the reason the message is malformed.
 */
enum rp_cm_verdict rp_cm_parse(const void *buf, unsigned int len,
			       struct rp_cm_msg *m)
{
	const u8 *deth = buf;
	const struct ib_mad_hdr *hdr;
	unsigned int i;
	void *msg;

	memset(m, 0, sizeof(*m));
	if (len < RP_CM_MIN_LEN)
		return RP_CM_ERR_TRUNC;
	/* DETH: Q_Key, then reserved byte and source QP (24 bits) */
	if (get_unaligned_be32(deth) != IB_QP1_QKEY ||
	    (get_unaligned_be32(deth + 4) & 0xffffff) != 1)
		return RP_CM_ERR_DETH;
	/* IBA_GET_MEM_PTR() takes non-const pointers; nothing is written */
	msg = (void *)(deth + RP_DETH_LEN);
	hdr = msg;
	if (hdr->mgmt_class != IB_MGMT_CLASS_CM)
		return RP_CM_NOT_CM;
	if (hdr->base_version != IB_MGMT_BASE_VERSION ||
	    hdr->class_version != RP_CM_CLASS_VERSION)
		return RP_CM_ERR_MAD;
	m->method = hdr->method;
	m->tid = get_unaligned_be64(&hdr->tid);

	for (i = 0; i < ARRAY_SIZE(rp_cm_types); i++) {
		if (rp_cm_types[i].attr_id != hdr->attr_id)
			continue;
		m->type = rp_cm_types[i].type;
		return rp_cm_types[i].parse ? rp_cm_types[i].parse(msg, m) :
					      RP_CM_OK;
	}
	return RP_CM_ERR_ATTR;
}
EXPORT_SYMBOL_GPL(rp_cm_parse);
