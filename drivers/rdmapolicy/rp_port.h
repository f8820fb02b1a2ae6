/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_PORT_H
#define _RP_PORT_H

struct rp_net;

void rp_port_sync(struct rp_net *rn);

#endif /* _RP_PORT_H */
