/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events: what the core tells the listeners of the family's events group.
 * The tracker and the exception path send them through this header, and
 * know nothing of netlink.
 */
#ifndef _RP_EVENT_H
#define _RP_EVENT_H

#include <linux/types.h>

struct net;

void rp_event(struct net *net, u8 type, u32 vm_id, u32 rule_id,
	      const char *reason);
void rp_conn_event(struct net *net, u8 type, u32 tenant, u32 vm_id,
		   u32 rule_id, const char *reason);

#if IS_ENABLED(CONFIG_KUNIT)
typedef void (*rp_event_hook_t)(u8 type, u32 vm_id, u32 rule_id,
				const char *reason);
extern rp_event_hook_t rp_event_kunit_hook;
#endif

#endif /* _RP_EVENT_H */
