// SPDX-License-Identifier: GPL-2.0
/*
 * rp_rej_build() (drivers/rdmapolicy/rp_rej.c) on every REQ the parsers
 * accept, and the REJ it builds read back through the same parsers.
 *
 * Input: the REJ reason (2 bytes, big endian), one byte choosing the
 * ethertype (fz_l3proto()), then a frame from its L3 header that should
 * carry a REQ to QP1 (the seeds do).  Checks on the REJ: built unless the
 * REQ has IP options or extension headers; within RP_REJ_MAX_LEN; a
 * well-framed RoCEv2 UD SEND_ONLY from QP1 to QP1, addresses and ports
 * swapped back, a correct ICRC, a correct IPv4 header checksum or UDP/IPv6
 * checksum (reference sums), and a CM REJ of that REQ with that reason
 * (for a SIDR_REQ: a SIDR_REP of its Request ID and Service ID, status
 * REJECT).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_cm.h>
#include <rdma/ib_mad.h>
#include "rp_rej.h"

#include "fuzz.h"

static void check_rej(const struct rp_roce_pkt *pkt,
		      const struct rp_cm_msg *req, u16 reason,
		      const u8 *out, unsigned int len)
{
	unsigned int ipl = pkt->ip_version == 4 ? 20 : 40, udplen;
	struct rp_roce_pkt rp;
	struct rp_cm_msg rm;
	enum rp_roce_verdict v;
	enum rp_cm_verdict cv;
	u8 pseudo[40];

	FZ_CHECK(len == ipl + 8 + 12 + 8 + 256 + 4 && len <= RP_REJ_MAX_LEN,
		 "REJ of %u bytes", len);
	v = rp_roce_parse(out, len, len,
			  pkt->ip_version == 4 ? ETH_P_IP : ETH_P_IPV6, &rp);
	FZ_CHECK(v == RP_ROCE_OK, "REJ framing: %s", rp_roce_verdict_name(v));
	FZ_CHECK(rp.ip_version == pkt->ip_version &&
		 ipv6_addr_equal(&rp.saddr, &pkt->daddr) &&
		 ipv6_addr_equal(&rp.daddr, &pkt->saddr) &&
		 rp.sport == pkt->sport, "REJ addresses");
	FZ_CHECK(rp.opcode == IB_OPCODE_UD_SEND_ONLY && rp.dqpn == RP_QPN_GSI &&
		 rp.pad == 0 && rp.bth_off == ipl + 8, "REJ BTH");
	FZ_CHECK(rp.payload_off + rp.payload_len + IB_ICRC_BYTES == len,
		 "REJ length");
	FZ_CHECK(rp_roce_icrc_ok(out, len, &rp), "REJ ICRC");
	FZ_CHECK(get_unaligned_le32(out + len - 4) ==
		 ref_icrc(out, len, rp.ip_version), "REJ ICRC (reference)");
	udplen = len - ipl;
	if (rp.ip_version == 4) {
		FZ_CHECK(ref_sum(out, 20, 0) == 0xffff, "IPv4 header checksum");
		FZ_CHECK(get_unaligned_be16(out + 2) == len, "IPv4 length");
		FZ_CHECK(!(out[6] & 0x20) && !(get_unaligned_be16(out + 6) &
					      0x1fff), "IPv4 fragment");
	} else {
		memcpy(pseudo, out + 8, 32);
		put_unaligned_be32(udplen, pseudo + 32);
		put_unaligned_be32(IPPROTO_UDP, pseudo + 36);
		FZ_CHECK(get_unaligned_be16(out + ipl + 6) != 0,
			 "UDP/IPv6 without a checksum");
		FZ_CHECK(ref_sum(out + ipl, udplen,
				 ref_sum(pseudo, sizeof(pseudo), 0)) == 0xffff,
			 "UDP/IPv6 checksum");
	}
	cv = rp_cm_parse(out + rp.bth_off + IB_BTH_BYTES,
			 IB_DETH_BYTES + rp.payload_len, &rm);
	FZ_CHECK(cv == RP_CM_OK, "REJ MAD: %s", rp_cm_verdict_name(cv));
	if (req->type == RP_CM_SIDR_REQ) {
		FZ_CHECK(rm.type == RP_CM_SIDR_REP &&
			 rm.method == IB_MGMT_METHOD_SEND &&
			 rm.tid == req->tid, "SIDR_REP MAD header");
		FZ_CHECK(rm.request_id == req->request_id &&
			 rm.sidr_status == IB_SIDR_REJECT && rm.qpn == 0 &&
			 rm.service_id == req->service_id, "SIDR_REP contents");
		return;
	}
	FZ_CHECK(rm.type == RP_CM_REJ && rm.method == IB_MGMT_METHOD_SEND &&
		 rm.tid == req->tid, "REJ MAD header");
	FZ_CHECK(rm.remote_comm_id == req->local_comm_id &&
		 rm.local_comm_id == 0 && rm.rej_msg == RP_REJ_MSG_REQ &&
		 rm.rej_reason == reason, "REJ contents");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rp_roce_pkt pkt;
	struct rp_cm_msg req;
	unsigned int len, ipl;
	u8 *b, *out, *rej;
	u16 reason, proto;

	if (size < 3 || size > 0xffff)
		return 0;
	reason = get_unaligned_be16(data);
	proto = fz_l3proto(data[2]);
	len = size - 3;
	b = fz_dup(data + 3, len);
	/* what the exception path answers with a REJ: a REQ to QP1 */
	if (rp_roce_parse(b, len, len, proto, &pkt) != RP_ROCE_OK ||
	    pkt.dqpn != RP_QPN_GSI || pkt.opcode != IB_OPCODE_UD_SEND_ONLY ||
	    rp_cm_parse(b + pkt.bth_off + IB_BTH_BYTES,
			IB_DETH_BYTES + pkt.payload_len, &req) != RP_CM_OK ||
	    (req.type != RP_CM_REQ && req.type != RP_CM_SIDR_REQ))
		goto out;

	out = malloc(RP_REJ_MAX_LEN);
	if (!out)
		abort();
	memset(out, 0xa5, RP_REJ_MAX_LEN);
	len = rp_rej_build(&pkt, &req, reason, out);
	ipl = pkt.ip_version == 4 ? 20 : 40;
	if (!len) {
		FZ_CHECK(pkt.bth_off != ipl + 8, "no REJ for a plain REQ");
	} else {
		FZ_CHECK(len <= RP_REJ_MAX_LEN, "REJ of %u bytes", len);
		/* read back from exactly the bytes built */
		rej = fz_dup(out, len);
		check_rej(&pkt, &req, reason, rej, len);
		free(rej);
	}
	free(out);
out:
	free(b);
	return 0;
}
