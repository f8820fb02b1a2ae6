/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_NIC_H
#define _RP_NIC_H

#include <rdmapolicy/shim.h>

struct rp_net;
struct rp_conn;

int rp_nic_install(struct rp_net *rn, struct rp_conn *c);
void rp_nic_uninstall(struct rp_net *rn, struct rp_conn *c);
int rp_nic_query(struct rp_net *rn, const struct rp_conn *c,
		 struct rp_nic_conn_info *info);
void rp_nic_lock(void);
void rp_nic_unlock(void);
struct rp_nic *rp_nic_nth(unsigned long n);
void rp_nic_sync_ports(struct rp_net *rn);
int rp_nic_port_check(const struct net_device *dev);

#endif
