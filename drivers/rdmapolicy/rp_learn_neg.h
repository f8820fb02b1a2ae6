/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The negative cache's slots, which each VM's counters hold (rp_table.h);
 * the cache itself is rp_learn_guard.[ch].
 */
#ifndef _RP_LEARN_NEG_H
#define _RP_LEARN_NEG_H

#include <linux/types.h>

/*
 * The negative cache (rp_learn_guard.c): denied first packets by (port,
 * source, destination, destination QPN) and configuration generation, each
 * VM in slots of its own (struct rp_vm_ctr.neg: a VM spoofing or flooding
 * evicts only its own entries), RP_LEARN_NEG_SLOTS of them, allocated at
 * the VM's first denial (most VMs never have one, and 1 KiB in each of
 * 10k VMs would be most of their memory), direct-mapped by a keyed 64-bit
 * hash that is also the slot's tag.  The generation (rp_conntrack.gen,
 * bumped by every configuration change) in the hash makes a change
 * forget every denial made before it, at no cost.  Lock-free: slots are
 * written and read with WRITE_ONCE()/READ_ONCE() in softirq, a reader
 * racing a writer sees a stale or a new slot, both harmless (a packet
 * decided once more, or dropped as the denial it repeats); a tag
 * collision drops a first packet of the same VM for at most the cache's
 * lifetime (the sender retransmits).
 */
#define RP_LEARN_NEG_SLOTS	64

struct rp_learn_neg_slot {
	u64 tag;
	unsigned long expires;		/* jiffies */
};

/*
 * One VM's slots.  Its counters (which its versions share) point to them:
 * NULL until the first denial, then set once with cmpxchg_release() and
 * read with smp_load_acquire(), freed with the counters (after the last
 * version pointing to them has had its grace period).
 */
struct rp_learn_neg_slots {
	struct rp_learn_neg_slot slot[RP_LEARN_NEG_SLOTS];
};

#endif
