/* SPDX-License-Identifier: GPL-2.0 */
/* The operator's side: push a policy file, show the hosts' reports. */
#ifndef RP_CLUSTER_H
#define RP_CLUSTER_H

#include "etcd.h"

/* "push FILE" or "status": an exit status */
int cluster_cmd(struct etcd *e, int argc, char **argv);
/* one line on stderr */
void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
