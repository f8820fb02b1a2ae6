/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the harnesses: a reader over the fuzzer's input, the
 * check that turns a broken invariant into a crash libFuzzer reports, and
 * reference implementations (written here, not taken from the code under
 * test) of the Internet checksum and the RoCEv2 ICRC.
 */
#ifndef _RP_FUZZ_H
#define _RP_FUZZ_H

#include <linux/if_ether.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define FZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: ",		\
			__FILE__, __LINE__, #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

struct fz {
	const u8 *p;
	size_t n;
};

static inline u8 fz_u8(struct fz *f)
{
	u8 v = 0;

	if (f->n) {
		v = *f->p++;
		f->n--;
	}
	return v;
}

static inline u16 fz_u16(struct fz *f)
{
	return (u16)fz_u8(f) << 8 | fz_u8(f);
}

static inline u32 fz_u32(struct fz *f)
{
	return (u32)fz_u16(f) << 16 | fz_u16(f);
}

/* The input's first byte picks the ethertype the frame is handed with. */
static inline u16 fz_l3proto(u8 sel)
{
	static const u16 protos[] = {
		ETH_P_IP, ETH_P_IPV6, ETH_P_8021Q, ETH_P_8021AD, ETH_P_IBOE,
		ETH_P_ARP,
	};

	return protos[sel % ARRAY_SIZE(protos)];
}

/* Exactly @len bytes on the heap, so that ASan sees any read past them. */
static inline u8 *fz_dup(const u8 *p, size_t len)
{
	u8 *b = malloc(len ? len : 1);

	if (!b)
		abort();
	memcpy(b, p, len);
	return b;
}

/* one's complement sum of big-endian 16-bit words */
static inline u32 ref_sum(const u8 *p, size_t len, u32 s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (u32)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* bitwise CRC-32 (IEEE 802.3, reflected), on a running value */
static inline u32 ref_crc(u32 c, const u8 *p, size_t len)
{
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320 : c >> 1;
	}
	return c;
}

/*
 * The ICRC of a RoCEv2 datagram without IP options or extension headers
 * (RoCEv2 annex A17.3.3): CRC-32 over 8 bytes of ones standing for the
 * LRH, then the datagram up to the ICRC with the variant fields (IPv4
 * TOS, TTL, checksum; IPv6 traffic class, flow label, hop limit; UDP
 * checksum; BTH FECN/BECN/resv6 byte) set to ones.
 */
static inline u32 ref_icrc(const u8 *l3, size_t len, int ipver)
{
	static const u8 lrh[8] = { 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff };
	size_t ipl = ipver == 4 ? 20 : 40, i;
	u32 c = ref_crc(0xffffffff, lrh, sizeof(lrh));
	u8 b;

	for (i = 0; i + 4 < len; i++) {
		b = l3[i];
		if (ipver == 4 && (i == 1 || i == 8 || i == 10 || i == 11))
			b = 0xff;
		if (ipver == 6 && i == 0)
			b |= 0x0f;
		if (ipver == 6 && (i == 1 || i == 2 || i == 3 || i == 7))
			b = 0xff;
		if (i == ipl + 6 || i == ipl + 7 || i == ipl + 8 + 4)
			b = 0xff;
		c = ref_crc(c, &b, 1);
	}
	return ~c;
}

#endif /* _RP_FUZZ_H */
