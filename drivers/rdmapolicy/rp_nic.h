/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_NIC_H
#define _RP_NIC_H

struct rp_net;
struct rp_conn;

int rp_nic_install(struct rp_net *rn, struct rp_conn *c);
void rp_nic_uninstall(struct rp_net *rn, struct rp_conn *c);

#endif
