/* SPDX-License-Identifier: GPL-2.0 */
/* rp-inject: what rp-inject.c and hostile.c share. */
#ifndef RP_INJECT_H
#define RP_INJECT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr_ll;

#define ROCE_PORT	4791

/* rp-inject -H's options (see hostile.c) */
struct hopts {
	uint8_t dmac[6], smac[6];
	struct in_addr src, dst, spoof;
	unsigned long qpn, psn, count, seed, capture_secs;
};

uint32_t icrc(const uint8_t *ip, size_t len);
uint16_t ip_csum(const uint8_t *p, size_t n);
int rp_hostile(int fd, const struct sockaddr_ll *sll, const struct hopts *o);

#endif
