/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What keeps the learning path (rp_learn.c) from being an attack surface:
 * a per-VM negative cache of recent denials, a per-VM rate of
 * learned-flow decisions and a per-VM bound on learned flows.
 */
#ifndef _RP_LEARN_GUARD_H
#define _RP_LEARN_GUARD_H

#include <linux/siphash.h>
#include <linux/types.h>
#include <rdmapolicy/roce.h>

#include "rp_learn_neg.h"

struct rp_vm;

/* The namespace's part: the hash key */
struct rp_learn_neg {
	siphash_key_t key;		/* random, per namespace */
};

void rp_learn_neg_init(struct rp_learn_neg *neg);
bool rp_learn_neg_hit(const struct rp_learn_neg *neg,
		      struct rp_learn_neg_slots **slotsp, u32 gen, int ifindex,
		      const struct rp_roce_pkt *pkt);
void rp_learn_neg_add(const struct rp_learn_neg *neg,
		      struct rp_learn_neg_slots **slotsp, u32 gen, int ifindex,
		      const struct rp_roce_pkt *pkt);
bool rp_learn_rate_ok(struct rp_vm *vm);

extern unsigned int rp_learn_neg_ms;
extern unsigned int rp_learn_rate;
extern unsigned int rp_learn_vm_max;

#endif
