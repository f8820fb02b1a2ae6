// SPDX-License-Identifier: GPL-2.0
/*
 * rp_cm_parse() (drivers/rdmapolicy/rp_cm.c): every CM message and the
 * RDMA CM IP header of REQ / SIDR REQ private data.
 *
 * Input: the bytes after the BTH of a packet to QP1 (DETH + MAD), exactly
 * as the exception path hands them over.  Checks: no read past the length
 * (ASan), a named verdict, a zeroed message on RP_CM_ERR_TRUNC and the
 * fields of an accepted message read back from the bytes at the IBTA
 * offsets (vol 1, tables 106-121, and the RDMA CM IP annex), written out
 * here rather than taken from ibta_vol1_c12.h.
 */
#include <rdma/ib_mad.h>
#include <rdma/rdma_user_cm.h>
#include <uapi/linux/rdmapolicy.h>
#include <rdmapolicy/cm.h>

#include "fuzz.h"

#define MAD	8		/* the MAD, after the DETH */
#define CM	(MAD + 24)	/* the CM message, after the MAD header */

static void check_cma(const u8 *pd, enum rp_cm_verdict v,
		      const struct rp_cm_msg *m)
{
	struct in6_addr a;

	if (pd[0] != 0 || ((pd[1] >> 4) != 4 && (pd[1] >> 4) != 6)) {
		FZ_CHECK(v == RP_CM_ERR_CMA, "bad IP header: %s",
			 rp_cm_verdict_name(v));
		return;
	}
	FZ_CHECK(v == RP_CM_OK && m->has_cma && m->cma_ip_version == pd[1] >> 4,
		 "IP header: %s", rp_cm_verdict_name(v));
	FZ_CHECK(m->cma_port == get_unaligned_be16(pd + 2), "cma_port");
	if (m->cma_ip_version == 6) {
		FZ_CHECK(!memcmp(&m->cma_src, pd + 4, 16) &&
			 !memcmp(&m->cma_dst, pd + 20, 16), "IPv6 addresses");
		return;
	}
	ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(pd + 16)), &a);
	FZ_CHECK(ipv6_addr_equal(&a, &m->cma_src), "IPv4 source");
	ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)(pd + 32)), &a);
	FZ_CHECK(ipv6_addr_equal(&a, &m->cma_dst), "IPv4 destination");
}

/* Service id and RDMA CM fields of a REQ / SIDR REQ with its private data */
static void check_service(const u8 *b, unsigned int sid_off,
			  unsigned int pd_off, enum rp_cm_verdict v,
			  const struct rp_cm_msg *m)
{
	u64 sid = get_unaligned_be64(b + sid_off);
	bool rdma_cm = (sid >> 24) == 1;

	FZ_CHECK(m->service_id == sid, "service id");
	FZ_CHECK(m->rdma_cm == rdma_cm, "rdma_cm");
	if (!rdma_cm) {
		FZ_CHECK(v == RP_CM_OK && !m->has_cma, "not RDMA CM: %s",
			 rp_cm_verdict_name(v));
		return;
	}
	FZ_CHECK(m->ps == (u16)(sid >> 16) && m->port == (u16)sid, "ps/port");
	if (m->ps == RDMA_PS_IB)
		FZ_CHECK(v == RP_CM_OK && !m->has_cma, "RDMA_PS_IB: %s",
			 rp_cm_verdict_name(v));
	else
		check_cma(b + pd_off, v, m);
}

static void check_req(const u8 *b, enum rp_cm_verdict v,
		      const struct rp_cm_msg *m)
{
	u8 ts = b[CM + 43] >> 1 & 3, ext = b[CM + 51] & 7;

	FZ_CHECK(m->local_comm_id == get_unaligned_be32(b + CM), "comm id");
	FZ_CHECK(m->qpn == get_unaligned_be32(b + CM + 32) >> 8, "qpn");
	FZ_CHECK(m->resp_res == b[CM + 35], "responder resources");
	FZ_CHECK(m->init_depth == b[CM + 39], "initiator depth");
	FZ_CHECK(m->start_psn == get_unaligned_be32(b + CM + 44) >> 8, "psn");
	if (ts == 2 || (ts == 3 && ext != 1)) {
		FZ_CHECK(v == RP_CM_ERR_ATTR, "transport %u/%u: %s", ts, ext,
			 rp_cm_verdict_name(v));
		return;
	}
	FZ_CHECK(m->qp_type == (ts == 0 ? RP_QP_RC : ts == 1 ? RP_QP_UC :
				RP_QP_XRC), "qp type %#x", m->qp_type);
	FZ_CHECK(!memcmp(&m->gid_local, b + CM + 56, 16) &&
		 !memcmp(&m->gid_remote, b + CM + 72, 16), "GIDs");
	check_service(b, CM + 8, CM + 140, v, m);
}

static void check_msg(const u8 *b, enum rp_cm_verdict v,
		      const struct rp_cm_msg *m)
{
	u16 attr = get_unaligned_be16(b + MAD + 16);

	FZ_CHECK(m->method == b[MAD + 3], "method");
	FZ_CHECK(m->tid == get_unaligned_be64(b + MAD + 8), "tid");
	FZ_CHECK(attr >= 0x10 && attr <= 0x1a ?
		 m->type == attr - 0x10 + 1 : v == RP_CM_ERR_ATTR,
		 "attribute %#x: type %u, %s", attr, m->type,
		 rp_cm_verdict_name(v));
	if (v == RP_CM_OK)
		FZ_CHECK(strcmp(rp_cm_type_name(m->type), "?"), "unnamed type");
	if (m->type == RP_CM_REQ) {
		check_req(b, v, m);
		return;
	}
	FZ_CHECK(m->type == RP_CM_SIDR_REQ || (v == RP_CM_OK && !m->has_cma) ||
		 v == RP_CM_ERR_ATTR, "%s: %s", rp_cm_type_name(m->type),
		 rp_cm_verdict_name(v));
	switch (m->type) {
	case RP_CM_MRA:
	case RP_CM_REJ:
	case RP_CM_REP:
	case RP_CM_RTU:
	case RP_CM_DREQ:
	case RP_CM_DREP:
		FZ_CHECK(m->local_comm_id == get_unaligned_be32(b + CM) &&
			 m->remote_comm_id == get_unaligned_be32(b + CM + 4),
			 "comm ids of %s", rp_cm_type_name(m->type));
		break;
	case RP_CM_SIDR_REQ:
		FZ_CHECK(m->request_id == get_unaligned_be32(b + CM) &&
			 m->qp_type == RP_QP_UD, "SIDR REQ");
		check_service(b, CM + 8, CM + 16, v, m);
		break;
	case RP_CM_SIDR_REP:
		FZ_CHECK(m->request_id == get_unaligned_be32(b + CM) &&
			 m->sidr_status == b[CM + 4] &&
			 m->qpn == get_unaligned_be32(b + CM + 8) >> 8 &&
			 m->service_id == get_unaligned_be64(b + CM + 12),
			 "SIDR REP");
		break;
	}
	if (m->type == RP_CM_REJ)
		FZ_CHECK(m->rej_msg == b[CM + 8] >> 6 &&
			 m->rej_reason == get_unaligned_be16(b + CM + 10), "REJ");
	if (m->type == RP_CM_REP)
		FZ_CHECK(m->qpn == get_unaligned_be32(b + CM + 12) >> 8 &&
			 m->start_psn == get_unaligned_be32(b + CM + 20) >> 8,
			 "REP");
	if (m->type == RP_CM_DREQ)
		FZ_CHECK(m->remote_qpn == get_unaligned_be32(b + CM + 8) >> 8,
			 "DREQ");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	enum rp_cm_verdict v;
	struct rp_cm_msg m;
	u8 *b;

	if (size > 0xffff)
		return 0;
	b = fz_dup(data, size);
	memset(&m, 0xa5, sizeof(m));
	v = rp_cm_parse(b, size, &m);
	FZ_CHECK((unsigned int)v < RP_CM_VERDICT_MAX, "verdict %d", v);
	FZ_CHECK(strcmp(rp_cm_verdict_name(v), "?"), "unnamed verdict %d", v);
	if (size < RP_CM_MIN_LEN) {
		FZ_CHECK(v == RP_CM_ERR_TRUNC, "%zu bytes: %s", size,
			 rp_cm_verdict_name(v));
	} else if (get_unaligned_be32(b) != 0x80010000 ||
		   (get_unaligned_be32(b + 4) & 0xffffff) != 1) {
		FZ_CHECK(v == RP_CM_ERR_DETH, "DETH: %s", rp_cm_verdict_name(v));
	} else if (b[MAD + 1] != 0x07) {
		FZ_CHECK(v == RP_CM_NOT_CM, "class: %s", rp_cm_verdict_name(v));
	} else if (b[MAD] != 1 || b[MAD + 2] != 2) {
		FZ_CHECK(v == RP_CM_ERR_MAD, "version: %s",
			 rp_cm_verdict_name(v));
	} else {
		check_msg(b, v, &m);
	}
	if (v == RP_CM_ERR_TRUNC) {
		static const struct rp_cm_msg zero;

		FZ_CHECK(!memcmp(&m, &zero, sizeof(m)), "not zeroed");
	}
	free(b);
	return 0;
}
