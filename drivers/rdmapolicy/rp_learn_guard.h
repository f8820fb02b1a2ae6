/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What keeps the learning path (rp_learn.c) from being an attack surface:
 * a per-namespace negative cache of recent denials, a per-VM rate of
 * learned-flow decisions and a per-VM bound on learned flows.
 */
#ifndef _RP_LEARN_GUARD_H
#define _RP_LEARN_GUARD_H

#include <linux/siphash.h>
#include <linux/types.h>
#include <rdmapolicy/roce.h>

struct rp_vm;

/*
 * The negative cache: denied first packets by (port, source, destination,
 * destination QPN), RP_LEARN_NEG_SLOTS slots, direct-mapped by a keyed
 * 64-bit hash that is also the slot's tag.  Lock-free: slots are written
 * and read with WRITE_ONCE()/READ_ONCE() in softirq, a reader racing a
 * writer sees a stale or a new slot, both harmless (a packet decided once
 * more, or dropped as the denial it repeats); a tag collision drops a
 * first packet for at most the cache's lifetime (the sender retransmits).
 */
#define RP_LEARN_NEG_SLOTS	256

struct rp_learn_neg_slot {
	u64 tag;
	unsigned long expires;		/* jiffies */
};

struct rp_learn_neg {
	siphash_key_t key;		/* random, per namespace */
	struct rp_learn_neg_slot slot[RP_LEARN_NEG_SLOTS];
};

void rp_learn_neg_init(struct rp_learn_neg *neg);
bool rp_learn_neg_hit(struct rp_learn_neg *neg, int ifindex,
		      const struct rp_roce_pkt *pkt);
void rp_learn_neg_add(struct rp_learn_neg *neg, int ifindex,
		      const struct rp_roce_pkt *pkt);
bool rp_learn_rate_ok(struct rp_vm *vm);

extern unsigned int rp_learn_neg_ms;
extern unsigned int rp_learn_rate;
extern unsigned int rp_learn_vm_max;

#endif
