/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_PORT_H
#define _RP_PORT_H

#include <linux/types.h>

struct net_device;
struct rp_net;

void rp_port_sync(struct rp_net *rn);
bool rp_port_overlay(const struct net_device *dev);

#endif /* _RP_PORT_H */
