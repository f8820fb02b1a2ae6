// SPDX-License-Identifier: GPL-2.0
/*
 * Fast REJ: the CM REJ the exception path sends back to a VM whose REQ it
 * denied, so that the VM's connect fails at once (RDMA_CM_EVENT_REJECTED)
 * instead of after the CM's retries time out.
 *
 * The REJ looks as if the peer had sent it: addresses swapped, a UD
 * SEND_ONLY from QP1 to QP1, the REQ's transaction id, Remote Comm ID = the
 * REQ's Local Comm ID (which is how the requester's CM finds its cm_id),
 * Message REJected = REQ, reason IB_CM_REJ_CONSUMER_DEFINED (28), and a
 * correct ICRC.  A denied SIDR_REQ gets the SIDR way of saying no
 * instead: a SIDR_REP with the SIDR_REQ's Request ID and Service ID and
 * status REJECT, which the requester's rdma_cm reports as
 * RDMA_CM_EVENT_UNREACHABLE.  The builder works on byte buffers only.
 */
#include <kunit/visibility.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <rdma/ib_cm.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_verbs.h>
#include <rdma/ibta_vol1_c12.h>

#include "rp_rej.h"

/* The MAD of the answer: a REJ, or for a SIDR_REQ a rejecting SIDR_REP */
static void rp_rej_mad(void *mad, const struct rp_cm_msg *req, u16 reason)
{
	struct cm_rej_msg *msg = mad;
	struct cm_sidr_rep_msg *srep = mad;

	BUILD_BUG_ON(sizeof(*srep) != sizeof(*msg));
	msg->hdr.base_version = IB_MGMT_BASE_VERSION;
	msg->hdr.mgmt_class = IB_MGMT_CLASS_CM;
	msg->hdr.class_version = 2;
	msg->hdr.method = IB_MGMT_METHOD_SEND;
	msg->hdr.tid = cpu_to_be64(req->tid);
	if (req->type == RP_CM_SIDR_REQ) {
		srep->hdr.attr_id = CM_SIDR_REP_ATTR_ID;
		IBA_SET(CM_SIDR_REP_REQUESTID, srep, req->request_id);
		IBA_SET(CM_SIDR_REP_STATUS, srep, IB_SIDR_REJECT);
		IBA_SET(CM_SIDR_REP_SERVICEID, srep, req->service_id);
		return;
	}
	msg->hdr.attr_id = CM_REJ_ATTR_ID;
	IBA_SET(CM_REJ_LOCAL_COMM_ID, msg, 0);
	IBA_SET(CM_REJ_REMOTE_COMM_ID, msg, req->local_comm_id);
	IBA_SET(CM_REJ_MESSAGE_REJECTED, msg, RP_REJ_MSG_REQ);
	IBA_SET(CM_REJ_REASON, msg, reason);
}

/**
 * rp_rej_build() - build the REJ answering a REQ (SIDR_REP for a SIDR_REQ)
 * @pkt: the REQ's RoCEv2 parse
 * @req: the REQ or SIDR_REQ
 * @reason: IB CM REJ reason (a REJ's only)
 * @out: RP_REJ_MAX_LEN bytes; gets the REJ from its IP header on
 *
 * Return: the length of the REJ in @out, or 0 for an IP header layout we
 * do not answer (the REQ is then dropped without a REJ).
 */
unsigned int rp_rej_build(const struct rp_roce_pkt *pkt,
			  const struct rp_cm_msg *req, u16 reason, u8 *out)
{
	unsigned int ipl = pkt->ip_version == 4 ? sizeof(struct iphdr) :
						  sizeof(struct ipv6hdr);
	unsigned int udplen = 8 + IB_BTH_BYTES + IB_DETH_BYTES +
			      sizeof(struct cm_rej_msg) + IB_ICRC_BYTES;
	unsigned int len = ipl + udplen;
	struct rp_roce_pkt rej = *pkt;
	struct udphdr *uh;
	u8 *bth, *deth;
	u32 icrc;

	if (pkt->bth_off != ipl + 8)
		return 0;
	memset(out, 0, len);
	if (pkt->ip_version == 4) {
		struct iphdr *ip = (struct iphdr *)out;

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(len);
		ip->frag_off = htons(IP_DF);
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->saddr = pkt->daddr.s6_addr32[3];
		ip->daddr = pkt->saddr.s6_addr32[3];
		ip->check = ip_fast_csum(ip, ip->ihl);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)out;

		ip6->version = 6;
		ip6->payload_len = htons(udplen);
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = 64;
		ip6->saddr = pkt->daddr;
		ip6->daddr = pkt->saddr;
	}
	uh = (struct udphdr *)(out + ipl);
	uh->source = htons(pkt->sport);
	uh->dest = htons(ROCE_V2_UDP_DPORT);
	uh->len = htons(udplen);

	bth = out + ipl + 8;
	bth[0] = IB_OPCODE_UD_SEND_ONLY;
	bth[2] = 0xff;				/* default P_Key */
	bth[3] = 0xff;
	put_unaligned_be32(1, bth + 4);		/* destination QP1 */
	deth = bth + IB_BTH_BYTES;
	put_unaligned_be32(IB_QP1_QKEY, deth);
	put_unaligned_be32(1, deth + 4);	/* source QP1 */

	rp_rej_mad(deth + IB_DETH_BYTES, req, reason);

	/* the ICRC masks the UDP checksum, the checksum covers the ICRC */
	rej.bth_off = ipl + 8;
	rej.ip_version = pkt->ip_version;
	if (rp_roce_icrc(out, len, &rej, &icrc))
		return 0;
	put_unaligned_le32(icrc, out + len - IB_ICRC_BYTES);
	if (pkt->ip_version == 6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)out;

		uh->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, udplen,
					    IPPROTO_UDP,
					    csum_partial(uh, udplen, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(rp_rej_build);
