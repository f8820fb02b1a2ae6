// SPDX-License-Identifier: GPL-2.0
/*
 * rp-inject: send hand-made RoCEv2 packets from a guest, to test that the
 * hypervisor drops what it must.  Raw AF_PACKET, whole Ethernet frames,
 * correct ICRC (so only policy, not a broken frame, can stop them).
 *
 *   rp-inject -i IFACE -m DSTMAC -s SRCIP -d DSTIP -q DESTQPN
 *             [-o write|send|read|ud|igmp|sidr-req|sidr-rep] [-p PSN]
 *             [-c COUNT] [-P PSNSTEP] [-Q QPNSTEP] [-l PAYLOAD] [-S SRCMAC]
 *
 * IPv4 only.  Frame i goes to QPN DESTQPN + i * QPNSTEP (0: all to
 * DESTQPN; a flood of first packets of new flows with 1).  Prints how
 * many frames it sent.
 *
 * -o ud: a UD SEND ONLY (DETH: Q_Key 0x11111111, source QP 0x42), e.g. to
 * a multicast group (-d 239.1.1.1 -q 0xffffff -m 01:00:5e:01:01:01).
 * -o igmp: an IGMPv2 membership report for group DSTIP from SRCIP (-q
 * not needed), to 01:00:5e:... unless -m says.
 * -o sidr-req, -o sidr-rep: a CM SIDR_REQ (RDMA_PS_UDP, port -l, an RDMA CM
 * IP header naming SRCIP and DSTIP) or an accepting SIDR_REP (UD QPN 0x42)
 * to QP1, Request ID -p; -q must be 1.
 *
 *   rp-inject -o gso -s SRCIP -d DSTIP -q DESTQPN [-c COUNT] [-l PAYLOAD]
 *
 * COUNT UDP datagrams to DSTIP:4791 from SRCIP (bound: an address of the
 * namespace it runs in), each of 4 RC SEND ONLY segments of PAYLOAD
 * bytes (a BTH, the payload, an ICRC field left zero) under UDP_SEGMENT:
 * through a device with UDP GSO (veth) each leaves as one GSO skb.
 *
 *   rp-inject -H -i IFACE -m DSTMAC -s SRCIP -d DSTIP -q DESTQPN -p PSN
 *             -x SPOOFIP [-c COUNT] [-r SEED] [-w SECONDS] [-S SRCMAC]
 *
 * Hostile frames (hostile.c): COUNT mutations of captured traffic (the
 * data frames seen on IFACE for SECONDS first) that must all be dropped;
 * -p a PSN far outside the window of the connection whose QPN is -q.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rp-inject.h"

#define ICRC_SEED	0xdebb20e3u	/* CRC of 8 bytes of ones, as rxe */

/* CRC-32 (reflected 0xedb88320) update without pre/post inversion. */
static uint32_t crc32_le(uint32_t crc, const uint8_t *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

/* ICRC over IP..end-4 with TOS, TTL, IP and UDP checksums, BTH resv8a
 * masked to ones. */
uint32_t icrc(const uint8_t *ip, size_t len)
{
	uint8_t h[20 + 8 + 12];
	uint32_t crc;

	memcpy(h, ip, sizeof(h));
	h[1] = 0xff;
	h[8] = 0xff;
	h[10] = 0xff;
	h[11] = 0xff;
	h[20 + 6] = 0xff;
	h[20 + 7] = 0xff;
	h[28 + 4] = 0xff;
	crc = crc32_le(ICRC_SEED, h, sizeof(h));
	crc = crc32_le(crc, ip + sizeof(h), len - sizeof(h) - 4);
	return ~crc;
}

uint16_t ip_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static int parse_mac(const char *s, uint8_t *m)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2],
		      &m[3], &m[4], &m[5]) == 6 ? 0 : -1;
}

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103	/* linux/udp.h */
#endif
#define GSO_SEGS	4

/* -o gso: COUNT datagrams of GSO_SEGS RoCEv2 segments each (see above) */
static int send_gso(struct in_addr src, struct in_addr dst, uint32_t qpn,
		    unsigned long count, unsigned long plen)
{
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr = src };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst,
				  .sin_port = htons(ROCE_PORT) };
	int seg = 12 + plen + 4, fd, i;
	unsigned long n, sent = 0;
	uint8_t *buf, *b;

	buf = calloc(GSO_SEGS, seg);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!buf || fd < 0 ||
	    bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0 ||
	    setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof(seg)) < 0) {
		perror("rp-inject: gso socket");
		return 1;
	}
	for (i = 0; i < GSO_SEGS; i++) {
		b = buf + i * seg;
		b[0] = 0x04;			/* RC SEND ONLY */
		b[2] = 0xff;			/* P_Key */
		b[3] = 0xff;
		b[5] = qpn >> 16;
		b[6] = qpn >> 8;
		b[7] = qpn;
		b[11] = i;			/* PSN */
		memset(b + 12, 0xa5, plen);
	}
	for (n = 0; n < count; n++) {
		if (sendto(fd, buf, GSO_SEGS * seg, 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0) {
			perror("rp-inject: sendto");
			return 1;
		}
		sent++;
	}
	printf("sent %lu\n", sent);
	free(buf);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: rp-inject -i IFACE -m DSTMAC -s SRCIP -d DSTIP "
		"-q DESTQPN [-o write|send|read|ud|igmp|sidr-req|sidr-rep] "
		"[-p PSN] [-c COUNT] [-P PSNSTEP] [-Q QPNSTEP] [-l LEN] "
		"[-S SRCMAC]\n"
		"       rp-inject -o gso -s SRCIP -d DSTIP -q DESTQPN "
		"[-c COUNT] [-l LEN]\n"
		"       rp-inject -H -i IFACE -m DSTMAC -s SRCIP -d DSTIP "
		"-q DESTQPN -p PSN -x SPOOFIP [-c COUNT] [-r SEED] "
		"[-w SECONDS] [-S SRCMAC]\n");
	exit(2);
}

/* The 256-byte MAD of -o sidr-req / sidr-rep at @m (IBTA tables 115, 116) */
static void sidr_mad(uint8_t *m, int rep, uint32_t req_id, uint16_t port,
		     const struct in_addr *src, const struct in_addr *dst)
{
	uint8_t *b = m + 24, *pd;

	m[0] = 1;			/* base version */
	m[1] = 7;			/* CM class */
	m[2] = 2;			/* class version */
	m[3] = 3;			/* Send */
	m[15] = 0x42;			/* transaction id */
	m[16] = 0;
	m[17] = rep ? 0x18 : 0x17;	/* SIDR_REP, SIDR_REQ */
	b[0] = req_id >> 24;
	b[1] = req_id >> 16;
	b[2] = req_id >> 8;
	b[3] = req_id;
	/* service id 0x00000000_0111_PORT: RDMA CM, RDMA_PS_UDP, the port */
	pd = b + (rep ? 12 : 8);
	pd[4] = 0x01;
	pd[5] = 0x11;
	pd[6] = port >> 8;
	pd[7] = port;
	if (rep) {
		b[10] = 0x42;		/* QPN (status 0: accepted) */
		return;
	}
	b[4] = 0xff;			/* P_Key */
	b[5] = 0xff;
	pd = b + 16;			/* private data: RDMA CM IP header */
	pd[1] = 0x40;
	pd[2] = 0xc0;
	memcpy(pd + 4 + 12, src, 4);
	memcpy(pd + 20 + 12, dst, 4);
}

/* IGMPv2 reports for @group from @src, as a VM's kernel sends them */
static int send_igmp(int fd, const struct sockaddr_ll *sll, const uint8_t *smac,
		     struct in_addr src, struct in_addr group,
		     unsigned long count)
{
	uint8_t frame[64] = { 0 }, *ip = frame + 14, *ig = ip + 24;
	unsigned long i;
	uint32_t v;

	memcpy(frame, sll->sll_addr, 6);
	memcpy(frame + 6, smac, 6);
	frame[12] = 0x08;
	ip[0] = 0x46;				/* a router alert option */
	ip[3] = 24 + 8;
	ip[8] = 1;				/* TTL */
	ip[9] = 2;				/* IGMP */
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &group, 4);
	ip[20] = 0x94;
	ip[21] = 4;
	v = ip_csum(ip, 24);
	ip[10] = v >> 8;
	ip[11] = v;
	ig[0] = 0x16;				/* v2 membership report */
	memcpy(ig + 4, &group, 4);
	v = ip_csum(ig, 8);
	ig[2] = v >> 8;
	ig[3] = v;
	for (i = 0; i < count; i++)
		if (sendto(fd, frame, 60, 0, (const struct sockaddr *)sll,
			   sizeof(*sll)) < 0) {
			perror("sendto");
			return 1;
		}
	printf("sent %lu\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *op = "write";
	uint8_t dmac[6], smac[6], frame[1600], *ip, *udp, *bth, *p;
	struct in_addr src = { 0 }, dst = { 0 };
	unsigned long qpn = 0, psn = 0, count = 1, step = 1, plen = 64;
	unsigned long qstep = 0;
	int have_dmac = 0, have_smac = 0, hostile = 0, sidr, c, fd;
	struct hopts ho = { .seed = 1 };
	struct sockaddr_ll sll = { 0 };
	unsigned long i, sent = 0;
	size_t iplen, len;
	struct ifreq ifr;
	uint8_t opcode;

	while ((c = getopt(argc, argv, "i:m:S:s:d:q:o:p:c:P:Q:l:Hx:r:w:")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'm': have_dmac = !parse_mac(optarg, dmac); break;
		case 'S': have_smac = !parse_mac(optarg, smac); break;
		case 's': inet_pton(AF_INET, optarg, &src); break;
		case 'd': inet_pton(AF_INET, optarg, &dst); break;
		case 'q': qpn = strtoul(optarg, NULL, 0); break;
		case 'o': op = optarg; break;
		case 'p': psn = strtoul(optarg, NULL, 0); break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 'P': step = strtoul(optarg, NULL, 0); break;
		case 'Q': qstep = strtoul(optarg, NULL, 0); break;
		case 'l': plen = strtoul(optarg, NULL, 0); break;
		case 'H': hostile = 1; break;
		case 'x': inet_pton(AF_INET, optarg, &ho.spoof); break;
		case 'r': ho.seed = strtoul(optarg, NULL, 0); break;
		case 'w': ho.capture_secs = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!strcmp(op, "gso")) {
		if (!src.s_addr || !dst.s_addr || !qpn || !plen || plen > 1024)
			usage();
		return send_gso(src, dst, qpn, count, plen);
	}
	if (!strcmp(op, "igmp") && !have_dmac) {	/* the group's MAC */
		memcpy(dmac, "\x01\x00\x5e", 3);
		memcpy(dmac + 3, (uint8_t *)&dst + 1, 3);
		dmac[3] &= 0x7f;
		have_dmac = 1;
		qpn = 1;
	}
	if (!ifname || !have_dmac || !src.s_addr || !dst.s_addr || !qpn ||
	    (plen > 1024 && strncmp(op, "sidr-", 5)) || plen > 65535 ||
	    (hostile && !ho.spoof.s_addr))
		usage();
	if (!strcmp(op, "write"))
		opcode = 0x0a;		/* RC RDMA WRITE ONLY (RETH) */
	else if (!strcmp(op, "send"))
		opcode = 0x04;		/* RC SEND ONLY */
	else if (!strcmp(op, "read"))
		opcode = 0x0c;		/* RC RDMA READ REQUEST (RETH) */
	else if (!strcmp(op, "sidr-req") || !strcmp(op, "sidr-rep"))
		opcode = 0x64;		/* UD SEND ONLY (DETH) to QP1 */
	else if (!strcmp(op, "ud"))
		opcode = 0x64;		/* UD SEND ONLY (DETH) */
	else if (!strcmp(op, "igmp"))
		opcode = 0;
	else
		usage();
	sidr = !strncmp(op, "sidr-", 5);
	if (sidr && qpn != 1)
		usage();

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		perror(ifname);
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifr.ifr_ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	if (!have_smac) {
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
			perror("SIOCGIFHWADDR");
			return 1;
		}
		memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	}
	if (hostile) {
		memcpy(ho.dmac, dmac, 6);
		memcpy(ho.smac, smac, 6);
		ho.src = src;
		ho.dst = dst;
		ho.qpn = qpn;
		ho.psn = psn;
		ho.count = count;
		return rp_hostile(fd, &sll, &ho);
	}
	if (!opcode)
		return send_igmp(fd, &sll, smac, src, dst, count);

	for (i = 0; i < count; i++) {
		uint32_t v, cur = (psn + i * step) & 0xffffff;
		uint32_t q = (qpn + i * qstep) & 0xffffff;
		int reth = opcode == 0x0a || opcode == 0x0c;
		int deth = opcode == 0x64;
		size_t payload = opcode == 0x0c ? 0 : sidr ? 256 : plen;

		memset(frame, 0, sizeof(frame));
		memcpy(frame, dmac, 6);
		memcpy(frame + 6, smac, 6);
		frame[12] = 0x08;
		ip = frame + 14;
		iplen = 20 + 8 + 12 + (reth ? 16 : 0) + (deth ? 8 : 0) +
			payload + 4;
		ip[0] = 0x45;
		ip[2] = iplen >> 8;
		ip[3] = iplen;
		ip[6] = 0x40;			/* DF */
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, &src, 4);
		memcpy(ip + 16, &dst, 4);
		v = ip_csum(ip, 20);
		ip[10] = v >> 8;
		ip[11] = v;
		udp = ip + 20;
		udp[0] = 0xc0;			/* source port 49152 + i */
		udp[1] = i & 0xff;
		udp[2] = ROCE_PORT >> 8;
		udp[3] = ROCE_PORT & 0xff;
		udp[4] = (iplen - 20) >> 8;
		udp[5] = iplen - 20;
		bth = udp + 8;
		bth[0] = opcode;
		bth[2] = 0xff;			/* P_Key */
		bth[3] = 0xff;
		bth[5] = q >> 16;
		bth[6] = q >> 8;
		bth[7] = q;
		bth[8] = 0x80;			/* AckReq */
		bth[9] = cur >> 16;
		bth[10] = cur >> 8;
		bth[11] = cur;
		p = bth + 12;
		if (reth) {			/* vaddr 0, rkey 0x1234, len */
			p[10] = 0x12;
			p[11] = 0x34;
			p[14] = plen >> 8;
			p[15] = plen;
			p += 16;
		}
		if (sidr) {			/* Q_Key 0x80010000, QP1 */
			p[0] = 0x80;
			p[1] = 0x01;
			p[7] = 1;
			p += 8;
			memset(p, 0, payload);
			sidr_mad(p, !strcmp(op, "sidr-rep"), cur, plen, &src,
				 &dst);
		} else {
			if (deth) {		/* Q_Key, source QP */
				memset(p, 0x11, 4);
				p[7] = 0x42;
				p += 8;
			}
			memset(p, 0xa5, payload);
		}
		v = icrc(ip, iplen);
		p += payload;
		p[0] = v;			/* stored little-endian */
		p[1] = v >> 8;
		p[2] = v >> 16;
		p[3] = v >> 24;
		len = 14 + iplen;
		if (len < 60)
			len = 60;
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) < 0) {
			perror("sendto");
			return 1;
		}
		sent++;
	}
	printf("sent %lu\n", sent);
	return 0;
}
