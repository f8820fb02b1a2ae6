/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_NIC_H
#define _RP_NIC_H

#include <rdmapolicy/shim.h>

struct net;
struct net_device;

int rp_nic_install(struct net *net, u32 id, const struct rp_flow f[2]);
int rp_nic_install_in(struct rp_nic *nic, struct net *net, u32 id,
		      const struct rp_flow f[2]);
void rp_nic_uninstall(struct net *net, u32 id, const struct rp_flow f[2]);
int rp_nic_learn(struct net *net, u32 id, const struct rp_flow *f);
int rp_nic_learn_in(struct rp_nic *nic, struct net *net, u32 id,
		    const struct rp_flow *f);
void rp_nic_unlearn(struct net *net, u32 id, const struct rp_flow *f);
bool rp_nic_used(struct net *net, u32 id, const struct rp_flow *f);
int rp_nic_mcast_set(struct net *net, const struct rp_mcast *m);
void rp_nic_mcast_clear(struct net *net, const struct rp_mcast *m);
int rp_nic_query(struct net *net, u32 id, const struct rp_flow f[2],
		 struct rp_nic_conn_info *info);
void rp_nic_lock(void);
void rp_nic_unlock(void);
struct rp_nic *rp_nic_nth(unsigned long n);
void rp_nic_add(struct rp_nic *nic);
void rp_nic_del(struct rp_nic *nic);
int rp_nic_port_check(const struct net_device *dev);
int rp_nic_bind_one(struct rp_nic *nic, struct net_device *dev, u32 tenant);
bool rp_nic_bind(struct net_device *dev, u32 tenant);
void rp_nic_unbind(struct net_device *dev);

#endif
