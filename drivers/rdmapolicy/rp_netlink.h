/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_NETLINK_H
#define _RP_NETLINK_H

#include <linux/types.h>

struct net;

int rp_genl_init(void);
void rp_genl_exit(void);
void rp_genl_event(struct net *net, u8 type, u32 vm_id, u32 rule_id,
		   const char *reason);

#endif /* _RP_NETLINK_H */
