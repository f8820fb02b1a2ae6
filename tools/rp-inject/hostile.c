// SPDX-License-Identifier: GPL-2.0
/*
 * rp-inject -H: hostile frames, mutated from real traffic, every one of
 * which the hypervisor's hook must drop and count.
 *
 * Templates: the CM MADs captured from rping and ucmatose
 * (kunit/rp_cm_vectors.h: REQ, REP, RTU, DREQ, DREP, REJ), the data
 * frames of the live connection seen on the interface for -w seconds
 * before sending (UDP 4791 to a QP other than QP1), and frames made here
 * of every BTH opcode.  Each template's RoCE part (BTH to payload) is put
 * under new headers: IPv4 with or without options, IPv6 with a chain of
 * extension headers, RoCEv1, 0 to 3 VLAN tags (802.1ad outside, QinQ);
 * then mutated: flipped bytes, a cut (runt), a length that lies (IPv4
 * total length and header length, UDP length, IPv6 payload length), a
 * fragment flag, a transport version.
 *
 * Every frame is RoCE to the hook by construction (what decides that is
 * never mutated: ethertypes, IP protocol, the extension chain's types
 * and lengths, UDP port 4791, fragment offset 0; runts keep a byte past
 * the tags), and none may pass, whatever the mutations left valid:
 *   - its IPv4 source is the spoofed address (-x), or it is IPv6 or
 *     RoCEv1 (no connection, no VM has those addresses);
 *   - or its source is the sender's own (-s): CM MADs then have a wrong
 *     ICRC (malformed), data goes to a QPN no rxe QP has (>= 2^20: no
 *     connection), and the "blind" frames (requests of every kind, right
 *     lengths, to the live connection's QPN -q) carry a PSN at -p, which
 *     the caller puts far outside the NIC's PSN window.
 * From the uplink the same frames claim -s = a local VM's address: the
 * flows are that VM's port's, so they are spoofed there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rp-inject.h"

typedef uint8_t u8;
#define __maybe_unused __attribute__((unused))
#include "../../kunit/rp_cm_vectors.h"

#define ETH_HDR		14
#define IP4_HDR		20
#define IP6_HDR		40
#define UDP_HDR		8
#define BTH_LEN		12
#define ICRC_LEN	4
#define ROCE_MAX	512	/* BTH to payload of a template */
#define FRAME_MAX	1500
#define MAX_CAPTURED	32
#define HIGH_QPN	0x100000	/* above every rxe QPN */

struct tmpl {
	uint8_t b[ROCE_MAX];	/* BTH .. end of payload (no ICRC) */
	size_t n;
};

enum kind {
	K_CM, K_CAPTURED, K_OPCODE, K_BLIND,
	K_RUNT, K_BADLEN, K_V4OPT, K_V6, K_VLAN, K_ROCEV1, K_FLAGS, K_FLIP,
	K_MAX
};

static const char *const kind_name[K_MAX] = {
	"cm", "captured", "opcode", "blind", "runt", "badlen", "ipv4opt",
	"ipv6", "vlan", "rocev1", "frag/tver", "flipped",
};

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL) >> 32;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int pct)
{
	return below(100) < pct;
}

static unsigned int get16(const uint8_t *p)
{
	return (p[0] << 8) | p[1];
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static struct tmpl cm[6], captured[MAX_CAPTURED];
static int n_captured;

/* The RoCE part of a whole captured IPv4 frame (no options, no tag). */
static int roce_part(const uint8_t *f, size_t len, struct tmpl *t)
{
	size_t tot;

	if (len < ETH_HDR + IP4_HDR + UDP_HDR + BTH_LEN + ICRC_LEN ||
	    f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || f[23] != 17 ||
	    f[36] != ROCE_PORT >> 8 || f[37] != (ROCE_PORT & 0xff))
		return -1;
	tot = (f[16] << 8) | f[17];
	if (tot > len - ETH_HDR || tot < IP4_HDR + UDP_HDR + BTH_LEN + ICRC_LEN)
		return -1;
	t->n = tot - IP4_HDR - UDP_HDR - ICRC_LEN;
	if (t->n > ROCE_MAX)
		return -1;
	memcpy(t->b, f + ETH_HDR + IP4_HDR + UDP_HDR, t->n);
	return 0;
}

/* Data frames of the live connection(s) on @ifindex for @secs. */
static void capture(int ifindex, unsigned int secs)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	time_t end = time(NULL) + secs;
	uint8_t f[FRAME_MAX + 64];

	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("rp-inject: capture");
		exit(1);
	}
	while (n_captured < MAX_CAPTURED && time(NULL) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, f, sizeof(f), 0);
		if (n <= 0)
			continue;
		/* data, not QP1 */
		if (roce_part(f, n, &captured[n_captured]) == 0 &&
		    (captured[n_captured].b[5] | captured[n_captured].b[6] |
		     (captured[n_captured].b[7] != 1)))
			n_captured++;
	}
	close(fd);
}

/* Extension header bytes after the BTH, by opcode, as far as it is known
 * here (what the kernel's parser knows better decides the verdict). */
static size_t ext_len(uint8_t op)
{
	switch (op & 0x1f) {
	case 0x06: case 0x0a: case 0x0c:	/* WRITE FIRST/ONLY, READ REQ */
		return 16;
	case 0x0b:				/* WRITE ONLY with IMM */
		return 20;
	case 0x13: case 0x14:			/* atomics */
		return 28;
	case 0x0d: case 0x0f: case 0x10: case 0x11:	/* AETH */
		return 4;
	case 0x12:				/* atomic ACK */
		return 12;
	case 0x03: case 0x05: case 0x09: case 0x16: case 0x17:
		return 4;			/* IMMDT, IETH */
	default:
		return 0;
	}
}

/* A data template made here: BTH with @opcode, its headers, a payload. */
static void make_data(struct tmpl *t, uint8_t opcode)
{
	size_t i, ext = ext_len(opcode), pay = 16 + below(200);

	memset(t->b, 0, sizeof(t->b));
	t->b[0] = opcode;
	t->b[2] = 0xff;
	t->b[3] = 0xff;
	t->b[8] = 0x80;
	for (i = BTH_LEN; i < BTH_LEN + ext; i++)
		t->b[i] = rnd();
	if (ext == 16 || ext == 20)	/* a DMA length in the RETH */
		put16(t->b + BTH_LEN + 14, pay);
	for (i = BTH_LEN + ext; i < BTH_LEN + ext + pay; i++)
		t->b[i] = 0xa5;
	t->n = BTH_LEN + ext + pay;
}

/* One hostile frame: its headers, by shape. */
struct shape {
	int tags;		/* VLAN tags */
	int l3;			/* 4, 6, or 1 (RoCEv1) */
	int v4opt;		/* IPv4 option bytes (a multiple of 4) */
	int v6ext;		/* IPv6 extension headers */
	int own_src;		/* the sender's own IPv4 address */
	int good_icrc;
};

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
	size_t l3, l4, bth;	/* offsets; l4 = 0 for RoCEv1 */
};

static void build(struct frame *f, const struct hopts *o,
		  const struct tmpl *t, const struct shape *sh)
{
	uint8_t *p = f->b, *ip;
	int i, nh_at;
	size_t iplen;

	memset(f->b, 0, sizeof(f->b));
	memcpy(p, o->dmac, 6);
	memcpy(p + 6, o->smac, 6);
	p += 12;
	for (i = 0; i < sh->tags; i++) {
		put16(p, i == 0 && sh->tags > 1 ? 0x88a8 : 0x8100);
		put16(p + 2, (rnd() & 0xe000) | (1 + below(4094)));
		p += 4;
	}
	put16(p, sh->l3 == 4 ? 0x0800 : sh->l3 == 6 ? 0x86dd : 0x8915);
	p += 2;
	f->l3 = p - f->b;
	ip = p;
	if (sh->l3 == 1) {		/* RoCEv1: a GRH, then the BTH */
		for (i = 0; i < 40; i++)
			p[i] = rnd();
		p[0] = 0x60;
		p[6] = 0x1b;
		p += 40;
		f->l4 = 0;
		f->bth = p - f->b;
		memcpy(p, t->b, t->n);
		p += t->n + ICRC_LEN;
		f->len = p - f->b;
		return;
	}
	if (sh->l3 == 4) {
		iplen = IP4_HDR + sh->v4opt + UDP_HDR + t->n + ICRC_LEN;
		p[0] = 0x40 | ((IP4_HDR + sh->v4opt) / 4);
		put16(p + 2, iplen);
		put16(p + 4, rnd());
		p[6] = 0x40;
		p[8] = 64;
		p[9] = 17;
		memcpy(p + 12, sh->own_src ? &o->src : &o->spoof, 4);
		memcpy(p + 16, &o->dst, 4);
		p += IP4_HDR;
		for (i = 0; i < sh->v4opt; i++)	/* NOPs, EOL, junk */
			p[i] = chance(50) ? 1 : chance(20) ? 0 : rnd();
		p += sh->v4opt;
		put16(ip + 10, 0);
		put16(ip + 10, ip_csum(ip, IP4_HDR + sh->v4opt));
	} else {
		static const uint8_t types[] = { 0, 43, 60, 44 };

		p[0] = 0x60 | (rnd() & 0x0f);
		p[1] = rnd();
		p[2] = rnd();
		p[3] = rnd();
		p[7] = 64;
		p[8] = 0xfd;			/* fd00::<sender>, fd00::2 */
		p[23] = 0x01 + below(8);
		p[24] = 0xfd;
		p[39] = 0x02;
		nh_at = 6;
		p += IP6_HDR;
		for (i = 0; i < sh->v6ext; i++) {
			uint8_t type = types[below(sizeof(types))];
			int j, n = type == 44 ? 8 : 8 * (1 + below(3));

			ip[nh_at] = type;	/* (nh_at: in the previous) */
			for (j = 2; j < n; j++)
				p[j] = rnd();
			if (type == 44) {	/* offset 0, M random */
				p[1] = 0;
				p[2] = 0;
				p[3] &= 1;
			} else {
				p[1] = n / 8 - 1;
			}
			nh_at = p - ip;
			p += n;
		}
		ip[nh_at] = 17;
		iplen = (p - ip) + UDP_HDR + t->n + ICRC_LEN;
		put16(ip + 4, iplen - IP6_HDR);
	}
	f->l4 = p - f->b;
	put16(p, 0xc000 | below(0x4000));
	put16(p + 2, ROCE_PORT);
	put16(p + 4, UDP_HDR + t->n + ICRC_LEN);
	if (sh->l3 == 6)
		put16(p + 6, rnd() | 1);	/* nonzero: no checksum check here */
	p += UDP_HDR;
	f->bth = p - f->b;
	memcpy(p, t->b, t->n);
	p += t->n + ICRC_LEN;
	f->len = p - f->b;
}

static void set_icrc(struct frame *f, const struct shape *sh)
{
	uint8_t *ip = f->b + f->l3, *c = f->b + f->len - ICRC_LEN;
	uint32_t v;

	if (sh->l3 == 4 && !sh->v4opt && f->len - f->l3 >= 44)
		v = icrc(ip, f->len - f->l3);
	else
		v = rnd();
	if (!sh->good_icrc)
		v ^= 1 + below(0xffff);
	c[0] = v;
	c[1] = v >> 8;
	c[2] = v >> 16;
	c[3] = v >> 24;
}

static void set_qpn(struct frame *f, uint32_t qpn)
{
	f->b[f->bth + 5] = qpn >> 16;
	f->b[f->bth + 6] = qpn >> 8;
	f->b[f->bth + 7] = qpn;
}

static void set_psn(struct frame *f, uint32_t psn)
{
	f->b[f->bth + 9] = psn >> 16;
	f->b[f->bth + 10] = psn >> 8;
	f->b[f->bth + 11] = psn;
}

/* A length field that lies: one of the IP or UDP lengths. */
static void bad_length(struct frame *f, const struct shape *sh)
{
	uint8_t *ip = f->b + f->l3;
	unsigned int v = rnd() & 0xffff;

	if (sh->l3 == 4) {
		switch (below(3)) {
		case 0:			/* total length, not the true one */
			if (v == get16(ip + 2))
				v ^= 0x8000;
			put16(ip + 2, v);
			return;
		case 1:			/* header length below 5 */
			ip[0] = 0x40 | below(5);
			return;
		}
	} else if (sh->l3 == 6 && chance(50)) {
		if (v == get16(ip + 4))
			v ^= 0x8000;
		put16(ip + 4, v);	/* payload length, 0 too */
		return;
	}
	if (sh->l3 == 1)
		return;
	if (v == get16(f->b + f->l4 + 4))
		v ^= 0x8000;
	put16(f->b + f->l4 + 4, v);	/* UDP length */
}

int rp_hostile(int fd, const struct sockaddr_ll *sll, const struct hopts *o)
{
	static const uint8_t *const vecs[6] = {
		rp_vec_req, rp_vec_rep, rp_vec_rtu, rp_vec_dreq, rp_vec_drep,
		rp_vec_rej,
	};
	static const uint8_t blind_ops[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
		0x0a, 0x0b, 0x0c, 0x13, 0x14, 0x16, 0x17,
	};
	unsigned long sent = 0, counts[K_MAX] = { 0 }, retries = 0;
	struct frame f;
	int i;

	rng = o->seed * 0x9e3779b97f4a7c15ULL + 1;
	for (i = 0; i < 6; i++)
		if (roce_part(vecs[i], 322, &cm[i]))
			return fprintf(stderr, "rp-inject: bad CM vector %d\n",
				       i), 1;
	if (o->capture_secs)
		capture(sll->sll_ifindex, o->capture_secs);

	while (sent < o->count) {
		struct shape sh = { .l3 = 4, .good_icrc = chance(50) };
		int base = below(100), blind = 0, is_cm = 0;
		struct tmpl t;
		size_t cut;

		/* the template */
		if (base < 25) {
			t = cm[below(6)];
			is_cm = 1;
			counts[K_CM]++;
		} else if (base < 45 && n_captured) {
			t = captured[below(n_captured)];
			counts[K_CAPTURED]++;
		} else if (base < 85) {
			make_data(&t, sent);	/* every opcode in turn */
			counts[K_OPCODE]++;
		} else {
			make_data(&t, blind_ops[below(sizeof(blind_ops))]);
			blind = 1;
			counts[K_BLIND]++;
		}
		/* its headers and sender */
		sh.own_src = blind || chance(40);
		if (!blind) {
			if (chance(8)) {
				sh.tags = 1 + below(3);
				counts[K_VLAN]++;
			}
			if (chance(3)) {
				sh.l3 = 1;
				counts[K_ROCEV1]++;
			} else if (chance(20)) {
				sh.l3 = 6;
				sh.v6ext = below(8);
				counts[K_V6]++;
			} else if (chance(8)) {
				sh.v4opt = 4 * (1 + below(10));
				counts[K_V4OPT]++;
			}
		}
		if (is_cm && sh.own_src)
			sh.good_icrc = 0;
		build(&f, o, &t, &sh);
		/* mutations */
		if (!blind) {
			if (chance(30)) {		/* bytes from the BTH on */
				int n = 1 + below(6);

				while (n--)
					f.b[f.bth + below(f.len - ICRC_LEN -
							  f.bth)] ^=
						1 << below(8);
				counts[K_FLIP]++;
			}
			if (chance(12)) {
				bad_length(&f, &sh);
				counts[K_BADLEN]++;
			}
			if (chance(4) && sh.l3 == 4) {
				if (chance(50))
					f.b[f.l3 + 6] |= 0x20;	/* MF */
				else
					f.b[f.bth + 1] |= 1 << below(4);	/* TVer */
				counts[K_FLAGS]++;
			}
		}
		if (sh.own_src && sh.l3 == 4) {
			if (blind) {
				set_qpn(&f, o->qpn);
				set_psn(&f, (o->psn + below(1 << 20)) & 0xffffff);
			} else if (is_cm) {
				set_qpn(&f, 1);
			} else {
				set_qpn(&f, HIGH_QPN + below(0xffffff - HIGH_QPN));
			}
		}
		set_icrc(&f, &sh);
		/* a runt: cut anywhere past the tags and 2 bytes more */
		if (!blind && chance(10)) {
			/* IPv6: the UDP header stays, for the hook's own walk
			 * of the chain (rp_snic_ipv6_may_be_roce()) */
			size_t min = sh.l3 == 6 ? f.l4 + UDP_HDR :
				     ETH_HDR + 4 * (size_t)sh.tags + 2;

			cut = min + below(f.len - min);
			f.len = cut;
			counts[K_RUNT]++;
		}
		while (sendto(fd, f.b, f.len, 0, (const struct sockaddr *)sll,
			      sizeof(*sll)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINTR) {
				perror("rp-inject: sendto");
				return 1;
			}
			retries++;
			usleep(500);
		}
		sent++;
	}
	printf("kinds:");
	for (i = 0; i < K_MAX; i++)
		printf(" %s=%lu", kind_name[i], counts[i]);
	printf(" captured_templates=%d retries=%lu\nsent %lu\n", n_captured,
	       retries, sent);
	return 0;
}
