// SPDX-License-Identifier: GPL-2.0
/*
 * What keeps the learning path (rp_learn.c) from being the attack
 * surface: a negative cache, so that a flood of denied first packets is
 * dropped after one hash and one compare, and a per-VM rate of learned
 * flow decisions, so that a flood of first packets to ever new QPNs costs
 * the host no more than that rate of policy decisions.  Both are checked
 * before the policy; the negative cache's locking is in rp_learn_guard.h.
 */
#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "rp_learn_guard.h"
#include "rp_table.h"

unsigned int rp_learn_neg_ms = 1000;
EXPORT_SYMBOL_IF_KUNIT(rp_learn_neg_ms);
module_param_named(learn_neg_ms, rp_learn_neg_ms, uint, 0644);
MODULE_PARM_DESC(learn_neg_ms,
		 "milliseconds a denied first data packet's flow is dropped without a decision; 0: no negative cache");

unsigned int rp_learn_rate = 100;
EXPORT_SYMBOL_IF_KUNIT(rp_learn_rate);
module_param_named(learn_rate, rp_learn_rate, uint, 0644);
MODULE_PARM_DESC(learn_rate,
		 "learned-flow decisions per VM and second; 0: no limit");

unsigned int rp_learn_vm_max = 1024;
EXPORT_SYMBOL_IF_KUNIT(rp_learn_vm_max);
module_param_named(vm_max_learned, rp_learn_vm_max, uint, 0644);
MODULE_PARM_DESC(vm_max_learned,
		 "learned flows a VM may send on; 0: no limit (the namespace's max_conns still holds)");

/* The key of a flow in the cache: the port, so a spoofer fills its own. */
struct rp_learn_neg_key {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u32 dqpn;
	s32 ifindex;
	u32 gen;			/* a configuration change forgets */
};

void rp_learn_neg_init(struct rp_learn_neg *neg)
{
	get_random_bytes(&neg->key, sizeof(neg->key));
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_neg_init);

static u64 rp_learn_neg_tag(const struct rp_learn_neg *neg, u32 gen,
			    int ifindex, const struct rp_roce_pkt *pkt)
{
	struct rp_learn_neg_key k = {
		.saddr = pkt->saddr, .daddr = pkt->daddr, .dqpn = pkt->dqpn,
		.ifindex = ifindex, .gen = gen,
	};

	/* 0 is an empty slot's tag */
	return siphash(&k, sizeof(k), &neg->key) | 1;
}

/**
 * rp_learn_neg_hit() - was this flow denied a moment ago?
 * @neg: the namespace's cache key
 * @slotsp: where the VM of the port points to its slots (NULL: none yet)
 * @gen: the configuration generation the packet is decided under
 * @ifindex: the port the packet came in on
 * @pkt: its parse
 *
 * Context: any; lock-free (see rp_learn_guard.h).
 * Return: true if a denial of the same flow, under the same configuration,
 * is younger than learn_neg_ms.
 */
bool rp_learn_neg_hit(const struct rp_learn_neg *neg,
		      struct rp_learn_neg_slots **slotsp, u32 gen, int ifindex,
		      const struct rp_roce_pkt *pkt)
{
	/* pairs with rp_learn_neg_add()'s cmpxchg_release(): zeroed slots */
	struct rp_learn_neg_slots *slots = smp_load_acquire(slotsp);
	struct rp_learn_neg_slot *s;
	u64 tag;

	if (!slots)
		return false;
	tag = rp_learn_neg_tag(neg, gen, ifindex, pkt);
	s = &slots->slot[tag % RP_LEARN_NEG_SLOTS];
	return READ_ONCE(s->tag) == tag &&
	       time_before(jiffies, READ_ONCE(s->expires));
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_neg_hit);

/*
 * The VM's slots, allocated at its first denial (GFP_ATOMIC: NULL if that
 * fails, and the denial is not remembered).  Two first denials racing: one
 * allocation is published, the other freed.
 */
static struct rp_learn_neg_slots *
rp_learn_neg_slots(struct rp_learn_neg_slots **slotsp)
{
	/* pairs with the cmpxchg_release() below: zeroed slots */
	struct rp_learn_neg_slots *slots = smp_load_acquire(slotsp);
	struct rp_learn_neg_slots *new;

	if (slots)
		return slots;
	/* not charged to a memcg: softirq runs in whichever task it hits */
	new = kzalloc(sizeof(*new), GFP_ATOMIC | __GFP_NOWARN);
	if (!new)
		return NULL;
	/* the zeroing above before the pointer (rp_learn_neg_hit()) */
	if (!cmpxchg_release(slotsp, NULL, new))
		return new;
	kfree(new);
	/* another first denial published its slots first: those */
	return smp_load_acquire(slotsp);
}

/*
 * Remember a denial (replacing the slot's last).  Context: any; at most
 * one allocation per VM (its slots), made here.
 */
void rp_learn_neg_add(const struct rp_learn_neg *neg,
		      struct rp_learn_neg_slots **slotsp, u32 gen, int ifindex,
		      const struct rp_roce_pkt *pkt)
{
	unsigned int ms = READ_ONCE(rp_learn_neg_ms);
	struct rp_learn_neg_slots *slots;
	struct rp_learn_neg_slot *s;
	u64 tag;

	if (!ms)
		return;
	slots = rp_learn_neg_slots(slotsp);
	if (!slots)
		return;
	tag = rp_learn_neg_tag(neg, gen, ifindex, pkt);
	s = &slots->slot[tag % RP_LEARN_NEG_SLOTS];
	WRITE_ONCE(s->expires, jiffies + msecs_to_jiffies(ms));
	WRITE_ONCE(s->tag, tag);
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_neg_add);

/**
 * rp_learn_rate_ok() - may @vm have one more learned-flow decision now?
 * @vm: the sender
 *
 * At most learn_rate a second (a fixed one-second window, as the REQs'
 * setup-rate).  Context: softirq or BHs off.
 */
bool rp_learn_rate_ok(struct rp_vm *vm)
{
	unsigned int rate = READ_ONCE(rp_learn_rate);
	struct rp_vm_ctr *ctr = vm->ctr;
	u32 now = jiffies;
	bool ok;

	if (!rate)
		return true;
	spin_lock(&ctr->rate_lock);
	if (!time_before32(now, ctr->learn_window + HZ)) {
		ctr->learn_window = now;
		ctr->learn_count = 0;
	}
	ok = ctr->learn_count < rate;
	if (ok)
		ctr->learn_count++;
	spin_unlock(&ctr->rate_lock);
	return ok;
}
EXPORT_SYMBOL_IF_KUNIT(rp_learn_rate_ok);
