/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RoCEv2 framing parser shared by the rdmapolicy core and NIC drivers.
 *
 * The parser works on plain byte buffers, never on an sk_buff, so KUnit can
 * feed it any sequence of bytes.  The caller hands it:
 *
 *   @hdr        the first bytes of the packet, starting at the IP header
 *   @hdr_len    how many bytes @hdr holds (may be less than the packet)
 *   @pkt_len    how many bytes the packet has from the IP header to the end
 *               of the frame (skb->len - network offset)
 *
 * No length field of the packet is trusted: every header is checked against
 * @hdr_len before it is read and every length field against @pkt_len.
 *
 * The framing checks follow what rxe's receive path checks: UDP destination
 * port 4791, BTH transport version 0, an opcode that a RoCEv2 device can
 * receive, and a UDP length that holds BTH + extension headers + pad + ICRC.
 */
#ifndef _RDMAPOLICY_ROCE_H
#define _RDMAPOLICY_ROCE_H

#include <linux/types.h>
#include <linux/in6.h>

#define RP_PSN_MASK		0xffffff	/* a PSN is 24 bits */

/* Extension headers following the BTH, in wire order (IBTA vol 1, 9.2). */
enum rp_roce_ext {
	RP_EXT_DETH	 = BIT(0),	/* 8 bytes, UD */
	RP_EXT_XRCETH	 = BIT(1),	/* 4 bytes, XRC requests */
	RP_EXT_RETH	 = BIT(2),	/* 16 bytes, RDMA write/read request */
	RP_EXT_ATOMICETH = BIT(3),	/* 28 bytes, atomic request */
	RP_EXT_AETH	 = BIT(4),	/* 4 bytes, responses/ACK */
	RP_EXT_ATMACK	 = BIT(5),	/* 8 bytes, atomic ACK */
	RP_EXT_IMMDT	 = BIT(6),	/* 4 bytes, immediate data */
	RP_EXT_IETH	 = BIT(7),	/* 4 bytes, invalidate */
	RP_EXT_CNP	 = BIT(8),	/* 16 reserved bytes of a CNP */
};

/*
 * What a packet does to the responder's memory: the unit the memory-access
 * policy grants rights on.
 */
enum rp_roce_class {
	RP_CLASS_SEND = 1,	/* RC/UC/XRC/UD SEND* */
	RP_CLASS_WRITE,		/* RDMA WRITE* */
	RP_CLASS_READ_REQ,	/* RDMA READ request */
	RP_CLASS_READ_RESP,	/* RDMA READ response */
	RP_CLASS_ATOMIC,	/* compare&swap, fetch&add */
	RP_CLASS_ATOMIC_ACK,	/* atomic acknowledge */
	RP_CLASS_ACK,		/* acknowledge / NAK */
	RP_CLASS_CNP,		/* congestion notification */
};

/* Parse result. RP_ROCE_NOT means "not RoCEv2, not our business". */
enum rp_roce_verdict {
	RP_ROCE_OK = 0,
	RP_ROCE_NOT,		/* not IP/UDP/4791 */
	RP_ROCE_ERR_TRUNC,	/* headers cut short */
	RP_ROCE_ERR_IP,		/* bad IP version/header length/total length */
	RP_ROCE_ERR_FRAG,	/* IP fragment: RoCEv2 is never fragmented */
	RP_ROCE_ERR_UDP_LEN,	/* UDP length inconsistent with IP length */
	RP_ROCE_ERR_TVER,	/* BTH transport version not 0 */
	RP_ROCE_ERR_OPCODE,	/* opcode a RoCEv2 device cannot receive */
	RP_ROCE_ERR_LEN,	/* headers + pad + ICRC exceed the UDP payload */
	RP_ROCE_ERR_ROCEV1,	/* RoCEv1 (ethertype 0x8915): not policed */
	RP_ROCE_ERR_VLAN,	/* RoCE under an in-band (inner) VLAN tag */
	RP_ROCE_VERDICT_MAX,
};

struct rp_roce_pkt {
	struct in6_addr saddr;	/* IPv4 is stored v4-mapped, as in a GID */
	struct in6_addr daddr;
	u16 sport;		/* UDP source port (entropy, not checked) */
	u8 ip_version;		/* 4 or 6 */
	u8 opcode;		/* BTH opcode */
	u8 class;		/* enum rp_roce_class */
	u8 pad;			/* BTH pad count */
	u16 ext;		/* enum rp_roce_ext mask */
	u32 dqpn;		/* BTH destination QP */
	u32 psn;		/* BTH packet sequence number */
	bool ack_req;		/* BTH AckReq */
	u16 bth_off;		/* offset of the BTH from the IP header */
	u16 hdr_len;		/* BTH + extension headers */
	u32 payload_off;	/* offset of the payload from the IP header */
	u32 payload_len;	/* payload bytes (without pad and ICRC) */
};

/* QP1, the General Services Interface QP that carries CM MADs. */
#define RP_QPN_GSI	1

/* Bytes a caller must make available in @hdr to parse any RoCEv2 packet. */
#define RP_ROCE_MAX_HDR 160

enum rp_roce_verdict rp_roce_parse(const void *hdr, unsigned int hdr_len,
				   unsigned int pkt_len, u16 l3proto,
				   struct rp_roce_pkt *pkt);
#if IS_ENABLED(CONFIG_KUNIT)
/* rp_roce_parse() without its fast route, for KUnit to compare */
enum rp_roce_verdict rp_roce_parse_stages(const void *hdr,
					  unsigned int hdr_len,
					  unsigned int pkt_len, u16 l3proto,
					  struct rp_roce_pkt *pkt);
#endif
unsigned int rp_roce_ext_len(u16 ext);
u16 rp_roce_opcode_ext(u8 opcode);
u8 rp_roce_opcode_class(u8 opcode);
const char *rp_roce_verdict_name(enum rp_roce_verdict v);
bool rp_roce_icrc_begin(const u8 *l3, const struct rp_roce_pkt *pkt, u32 *crc);
int rp_roce_icrc(const u8 *l3, unsigned int len, const struct rp_roce_pkt *pkt,
		 u32 *icrc);
bool rp_roce_icrc_ok(const u8 *l3, unsigned int len,
		     const struct rp_roce_pkt *pkt);

#endif /* _RDMAPOLICY_ROCE_H */
