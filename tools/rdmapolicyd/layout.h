/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key layout of the cluster's configuration in etcd
 * (Documentation/cluster.rst):
 *
 *   /rdmapolicy/v1/global/vm/NAME         "id ID [tenant T] [addr P]..."
 *   /rdmapolicy/v1/global/rule/ID         "prio P from ... allow ..."
 *   /rdmapolicy/v1/global/epoch           what the last push wrote
 *   /rdmapolicy/v1/hosts/HOST/vm/NAME     "[port IF]... [mac MAC]..."
 *   /rdmapolicy/v1/status/HOST            the host's report (JSON, leased)
 *
 * A host's configuration: every global VM, local (with the host's ports
 * and MACs) if the host names it, else remote; every global rule.
 */
#ifndef RP_LAYOUT_H
#define RP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "etcd.h"

#define RP_KEY_ROOT	"/rdmapolicy/v1/"
#define RP_KEY_GLOBAL	RP_KEY_ROOT "global/"
#define RP_KEY_HOSTS	RP_KEY_ROOT "hosts/"
#define RP_KEY_STATUS	RP_KEY_ROOT "status/"
#define RP_KEY_EPOCH	RP_KEY_GLOBAL "epoch"
/* [RP_KEY_GLOBAL, RP_KEY_CFG_END): the configuration, every host's */
#define RP_KEY_CFG_END	RP_KEY_ROOT "hosts0"

/* Does @key configure @host (a global key, or one of its own)? */
bool layout_relevant(const char *key, const char *host);

/*
 * @host's configuration from @kv (sorted by key) as "vm add" and "rule
 * add" lines, in *@text (free it); *@rev: the newest mod_revision of the
 * keys it read.  -EINVAL with @err set if the keys do not make one.
 */
int layout_compose(const struct etcd_kvs *kv, const char *host, char **text,
		   int64_t *rev, char *err, size_t len);

/*
 * A cluster policy file (vm add, rule add id, host HOST vm NAME lines)
 * as keys and values, in *@out.  -EINVAL with @err set.
 */
int layout_parse_file(const char *file, struct etcd_kvs *out, char *err,
		      size_t len);

/* Keep @kv sorted: set (or, @val NULL, delete) @key */
void layout_kv_set(struct etcd_kvs *kv, const char *key, const char *val,
		   int64_t mod);

#endif
