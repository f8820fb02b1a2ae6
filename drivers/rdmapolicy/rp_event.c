// SPDX-License-Identifier: GPL-2.0
/*
 * Events of the family's "events" multicast group (RP_CMD_EVENT).
 */
#include <kunit/visibility.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "rp_event.h"
#include "rp_genl.h"

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit sees every event here, listeners or not (set and cleared by it) */
rp_event_hook_t rp_event_kunit_hook;
EXPORT_SYMBOL_IF_KUNIT(rp_event_kunit_hook);
#endif

/* rp_event(), with the connection's tenant if @tenant */
static void rp_event_send(struct net *net, u8 type, const u32 *tenant,
			  u32 vm_id, u32 rule_id, const char *reason)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	size_t size;
	void *hdr;

#if IS_ENABLED(CONFIG_KUNIT)
	if (READ_ONCE(rp_event_kunit_hook))
		rp_event_kunit_hook(type, vm_id, rule_id, reason);
#endif
	rcu_read_lock();
	if (!rp_genl_live() ||
	    !genl_has_listeners(&rp_family, net, RP_MCGRP_EVENTS))
		goto unlock;
	size = nla_total_size(0) +			/* RP_A_EVENT */
	       nla_total_size(sizeof(u8)) +		/* TYPE */
	       nla_total_size(sizeof(u32)) * 3 +	/* VM_ID, RULE_ID, TENANT */
	       (reason ? nla_total_size(strlen(reason) + 1) : 0);
	skb = genlmsg_new(size, GFP_ATOMIC);
	if (!skb)
		goto unlock;
	hdr = genlmsg_put(skb, 0, 0, &rp_family, 0, RP_CMD_EVENT);
	if (!hdr)
		goto free;
	nest = nla_nest_start(skb, RP_A_EVENT);
	if (!nest || nla_put_u8(skb, RP_A_EVENT_TYPE, type) ||
	    (vm_id && nla_put_u32(skb, RP_A_EVENT_VM_ID, vm_id)) ||
	    (rule_id && nla_put_u32(skb, RP_A_EVENT_RULE_ID, rule_id)) ||
	    (tenant && nla_put_u32(skb, RP_A_EVENT_TENANT, *tenant)) ||
	    (reason && nla_put_string(skb, RP_A_EVENT_REASON, reason)))
		goto free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&rp_family, net, skb, 0, RP_MCGRP_EVENTS,
				GFP_ATOMIC);
	goto unlock;
free:
	nlmsg_free(skb);
unlock:
	rcu_read_unlock();
}

/**
 * rp_event() - tell listeners of the events group what happened
 * @net: namespace
 * @type: enum rp_event_type
 * @vm_id: VM concerned, 0 if none
 * @rule_id: rule concerned, 0 if none
 * @reason: short text, or NULL
 *
 * Built only if the group has listeners, and as large as it needs to be:
 * callers may hold the tracker's lock (BHs off).  Events carry ids and a
 * reason, nothing a connection's endpoints would need to keep secret.
 *
 * Context: any; allocates with GFP_ATOMIC.
 */
void rp_event(struct net *net, u8 type, u32 vm_id, u32 rule_id,
	      const char *reason)
{
	rp_event_send(net, type, NULL, vm_id, rule_id, reason);
}

/**
 * rp_conn_event() - rp_event() of a connection, which names its tenant
 * @net: namespace
 * @type: enum rp_event_type, a conn-* one
 * @tenant: the connection's tenant
 * @vm_id: its requester's VM, 0 if none of ours
 * @rule_id: the deciding rule, 0 if none
 * @reason: short text, or NULL
 *
 * Context: any; allocates with GFP_ATOMIC.
 */
void rp_conn_event(struct net *net, u8 type, u32 tenant, u32 vm_id,
		   u32 rule_id, const char *reason)
{
	rp_event_send(net, type, &tenant, vm_id, rule_id, reason);
}
