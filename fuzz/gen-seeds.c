// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpora for the harnesses, generated from the captured RDMA CM
 * traffic in kunit/rp_cm_vectors.h and the packet builder of
 * kunit/rp_kunit_pkt.h (no binary seeds are committed).
 *
 *   gen-seeds DIR    writes DIR/fuzz_roce/, DIR/fuzz_cm/, DIR/fuzz_rej/,
 *                    DIR/fuzz_policy/
 *
 * Each seed is in its harness's input format (see the harness' header).
 */
#include <sys/stat.h>
#include <rdma/ib_pack.h>
#include <rdmapolicy/cm.h>

#include "rp_cm_vectors.h"
#include "rp_kunit_pkt.h"

#define ETH_HLEN	14
#define CM_OFF		(ETH_HLEN + 20 + 8 + IB_BTH_BYTES)	/* DETH */

static const char *dir;
static unsigned int nseeds;

static void put(const char *harness, const char *name, const u8 *hdr,
		size_t hlen, const u8 *b, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, harness);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, harness, name);
	f = fopen(path, "wb");
	if (!f || fwrite(hdr, 1, hlen, f) != hlen ||
	    fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	nseeds++;
}

/* Fill in the ICRC of a packet from its IP header; false if not RoCEv2. */
static bool set_icrc(u8 *b, unsigned int len, u16 proto)
{
	struct rp_roce_pkt p;
	u32 icrc;

	if (rp_roce_parse(b, len, len, proto, &p) != RP_ROCE_OK ||
	    rp_roce_icrc(b, len, &p, &icrc))
		return false;
	put_unaligned_le32(icrc, b + len - 4);
	return true;
}

static const struct {
	const char *name;
	const u8 *frame;
} vecs[] = {
	{ "req", rp_vec_req }, { "rep", rp_vec_rep }, { "rtu", rp_vec_rtu },
	{ "dreq", rp_vec_dreq }, { "drep", rp_vec_drep }, { "rej", rp_vec_rej },
};

#define VEC_LEN		sizeof(rp_vec_req)

/* An IPv6 REQ carrying the captured REQ's DETH + MAD. */
static unsigned int req_v6(u8 *b)
{
	struct t_spec s = { .ipver = 6, .opcode = IB_OPCODE_UD_SEND_ONLY,
			    .payload = 256, .dqpn = 1 };
	unsigned int len = t_build(b, &s);

	memcpy(b + 40 + 8 + IB_BTH_BYTES, rp_vec_req + CM_OFF,
	       RP_CM_MIN_LEN);
	set_icrc(b, len, ETH_P_IPV6);
	return len;
}

/* The captured IPv4 REQ with 4 bytes of IP options (no REJ is built). */
static unsigned int req_v4_opts(u8 *b)
{
	unsigned int len = VEC_LEN - ETH_HLEN + 4;

	memcpy(b, rp_vec_req + ETH_HLEN, 20);
	memset(b + 20, 1, 4);				/* NOPs */
	memcpy(b + 24, rp_vec_req + ETH_HLEN + 20, VEC_LEN - ETH_HLEN - 20);
	b[0] = 0x46;
	put_unaligned_be16(len, b + 2);
	return len;
}

static unsigned int build(u8 *b, u8 ipver, u8 opcode, u16 payload, u32 dqpn)
{
	struct t_spec s = { .ipver = ipver, .opcode = opcode,
			    .payload = payload, .dqpn = dqpn };

	return t_build(b, &s);
}

static void roce_seeds(void)
{
	u8 b[T_MAX_PKT + 64], hdr[2] = { 0, 0 }, vlan[T_MAX_PKT + 64];
	char name[64];
	unsigned int i, v, len;

	for (i = 0; i < ARRAY_SIZE(vecs); i++) {
		snprintf(name, sizeof(name), "cm-%s", vecs[i].name);
		put("fuzz_roce", name, hdr, 2, vecs[i].frame + ETH_HLEN,
		    VEC_LEN - ETH_HLEN);
	}
	/* every opcode, both IP versions, pad by opcode */
	for (v = 4; v <= 6; v += 2)
		for (i = 0; i < 256; i++) {
			struct t_spec s = { .ipver = v, .opcode = i,
					    .pad = i & 3, .payload = 16,
					    .dqpn = 0x12, .psn = i };

			len = t_build(b, &s);
			set_icrc(b, len, v == 4 ? ETH_P_IP : ETH_P_IPV6);
			hdr[0] = v == 4 ? 0 : 1;
			snprintf(name, sizeof(name), "op%02x-v%u", i, v);
			put("fuzz_roce", name, hdr, 2, b, len);
		}
	/* under an in-band VLAN tag, and QinQ */
	len = build(b, 4, IB_OPCODE_RC_SEND_ONLY, 16, 0x12);
	memcpy(vlan, "\x00\x05\x08\x00", 4);
	memcpy(vlan + 4, b, len);
	hdr[0] = 2;
	put("fuzz_roce", "vlan", hdr, 2, vlan, len + 4);
	memcpy(vlan, "\x00\x05\x81\x00\x00\x06\x86\xdd", 8);
	len = build(b, 6, IB_OPCODE_RC_RDMA_WRITE_ONLY, 16, 0x12);
	memcpy(vlan + 8, b, len);
	hdr[0] = 3;
	put("fuzz_roce", "qinq", hdr, 2, vlan, len + 8);
	/* IPv6 with a hop-by-hop extension header; IPv4 with options */
	len = build(b, 6, IB_OPCODE_UD_SEND_ONLY, 8, 1);
	memcpy(vlan, b, 40);
	vlan[6] = NEXTHDR_HOP;
	memset(vlan + 40, 0, 8);
	vlan[40] = IPPROTO_UDP;
	memcpy(vlan + 48, b + 40, len - 40);
	put_unaligned_be16(len - 40 + 8, vlan + 4);
	hdr[0] = 1;
	put("fuzz_roce", "v6-hbh", hdr, 2, vlan, len + 8);
	len = req_v4_opts(b);
	hdr[0] = 0;
	put("fuzz_roce", "v4-opts", hdr, 2, b, len);
	/* the hooks' view cut at 40 bytes */
	hdr[1] = 40;
	put("fuzz_roce", "cm-req-cut40", hdr, 2, rp_vec_req + ETH_HLEN,
	    VEC_LEN - ETH_HLEN);
}

static void cm_seeds(void)
{
	u8 m[RP_CM_MIN_LEN];
	char name[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vecs); i++)
		put("fuzz_cm", vecs[i].name, NULL, 0, vecs[i].frame + CM_OFF,
		    RP_CM_MIN_LEN);
	/* the REQ under every CM attribute id (MRA..APR, SIDR) */
	for (i = 0x10; i <= 0x1a; i++) {
		memcpy(m, rp_vec_req + CM_OFF, sizeof(m));
		m[8 + 17] = i;
		snprintf(name, sizeof(name), "attr%02x", i);
		put("fuzz_cm", name, NULL, 0, m, sizeof(m));
	}
	/* the REQ with an IPv6 RDMA CM IP header, and over RDMA_PS_IB */
	memcpy(m, rp_vec_req + CM_OFF, sizeof(m));
	m[8 + 24 + 140 + 1] = 0x60;
	put("fuzz_cm", "req-cma6", NULL, 0, m, sizeof(m));
	memcpy(m, rp_vec_req + CM_OFF, sizeof(m));
	m[8 + 24 + 8 + 5] = 0x3f;
	m[8 + 24 + 8 + 4] = 0x01;
	put("fuzz_cm", "req-ps-ib", NULL, 0, m, sizeof(m));
}

static void rej_seeds(void)
{
	u8 b[T_MAX_PKT + 64], hdr[3] = { 0, 28, 0 };
	unsigned int len;

	put("fuzz_rej", "req-v4", hdr, 3, rp_vec_req + ETH_HLEN,
	    VEC_LEN - ETH_HLEN);
	len = req_v6(b);
	hdr[2] = 1;
	put("fuzz_rej", "req-v6", hdr, 3, b, len);
	len = req_v4_opts(b);
	hdr[2] = 0;
	put("fuzz_rej", "req-v4-opts", hdr, 3, b, len);
}

/*
 * Programs for fuzz_policy (op byte % 10, then arguments; see the
 * harness): a hand-written one, then pseudo-random ones (any bytes are a
 * program).
 */
static void policy_seeds(void)
{
	static const u8 prog[] = {
		0, 0x01, 0x01, 0x09, 1, 0x02, 0x60,	/* VM 1, 10.x/y */
		0, 0x02, 0x02, 0x09, 2, 0x04, 0x61,	/* VM 2 */
		0, 0x13, 0x03, 0x00,			/* VM 3, tenant 1 */
		3, 0x01, 0x05, 0x05, 0x0a, 0x00, 0x1f, 0x0f, /* allow 1->2 */
		3, 0x12, 0x02, 0x00, 0x01, 0x01, 0x00, /* deny tenant 0 */
		8, 0x01, 0x02, 0x04, 0x8c,		/* queries */
		8, 0x02, 0x04, 0x02, 0x0c,
		8, 0x03, 0x80, 0x01, 0x01, 0x4c,
		4, 0x01, 0x03, 0x00, 0x01, 0x1f, 0x0f,	/* change rule 1 */
		8, 0x01, 0x02, 0x04, 0x8c,
		9, 0x01, 3, 0x05, 0x00, 0x00, 0x01, 0x1f, 0x0f, /* no memory */
		5, 0x01, 2, 0x01, 6, 7,
	};
	u32 x = 0x2545f491;
	u8 b[256];
	char name[32];
	unsigned int i, j;

	put("fuzz_policy", "prog", NULL, 0, prog, sizeof(prog));
	for (i = 0; i < 16; i++) {
		for (j = 0; j < sizeof(b); j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			b[j] = x;
		}
		snprintf(name, sizeof(name), "random%02u", i);
		put("fuzz_policy", name, NULL, 0, b, sizeof(b));
	}
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	/* the captured frames must still pass the parsers and the ICRC */
	for (i = 0; i < ARRAY_SIZE(vecs); i++) {
		const u8 *l3 = vecs[i].frame + ETH_HLEN;
		unsigned int len = VEC_LEN - ETH_HLEN;
		struct rp_roce_pkt p;
		struct rp_cm_msg m;

		if (rp_roce_parse(l3, len, len, ETH_P_IP, &p) != RP_ROCE_OK ||
		    !rp_roce_icrc_ok(l3, len, &p) ||
		    rp_cm_parse(l3 + p.bth_off + IB_BTH_BYTES,
				IB_DETH_BYTES + p.payload_len, &m) != RP_CM_OK) {
			fprintf(stderr, "gen-seeds: vector %s does not parse\n",
				vecs[i].name);
			return 1;
		}
	}
	dir = argv[1];
	mkdir(dir, 0755);
	roce_seeds();
	cm_seeds();
	rej_seeds();
	policy_seeds();
	printf("gen-seeds: %u seeds in %s\n", nseeds, dir);
	return 0;
}
