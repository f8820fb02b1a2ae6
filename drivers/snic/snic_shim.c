// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated SmartNIC as the core sees it (include/rdmapolicy/shim.h):
 * its ops table and registration.  The ops are thin: install and
 * uninstall are the flow table's (snic_flow.c), port_bind and port_unbind
 * the ports' (snic_port.c), port_stats the counters' (snic_stats.c); what
 * is here answers the core's questions.
 */
#include <kunit/visibility.h>
#include <linux/module.h>
#include <uapi/linux/rdmapolicy.h>

#include "snic.h"

/* The PSN trackers of an installed connection; no packet counters. */
VISIBLE_IF_KUNIT int rp_snic_query(void *priv, const struct net *net,
				   u32 conn_id, const struct rp_flow flows[2],
				   struct rp_nic_conn_info *info)
{
	struct rp_snic_conn *c;
	int i, err = -ENOENT;

	memset(info, 0, sizeof(*info));
	rcu_read_lock();
	c = rp_snic_conn_find(net, conn_id, flows);
	if (c) {
		for (i = 0; i < 2; i++) {
			u32 st = READ_ONCE(c->flow[i].state);

			info->psn_tracked = st & RP_SNIC_ST_TRACK;
			info->psn_seen[i] = st & RP_SNIC_ST_PSN;
		}
		err = 0;
	}
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_query);

static void rp_snic_info(void *priv, struct rp_nic_info *info)
{
	info->caps = RP_NIC_CAP_PSN_WINDOW | RP_NIC_CAP_ICRC;
	info->psn_window = READ_ONCE(rp_snic_psn_window);
	info->conns = rp_snic_flow_count();
	info->max_conns = RP_SNIC_MAX_CONNS;
}

/* The core binds the VM ports (shim.h: port_check, port_bind, ...). */
static int rp_snic_port_check(void *priv, const struct net_device *dev)
{
	return rp_snic_kind_ok(dev) || rp_snic_is_overlay(dev) ? 0 :
							       -EOPNOTSUPP;
}

static int rp_snic_port_bind(void *priv, struct net_device *dev, u32 tenant)
{
	return rp_snic_bind(dev, tenant, true);
}

static void rp_snic_port_unbind(void *priv, struct net_device *dev)
{
	rp_snic_unbind(dev);
}

static const struct rp_nic_ops rp_snic_ops = {
	.install = rp_snic_install,
	.uninstall = rp_snic_uninstall,
	.query = rp_snic_query,
	.info = rp_snic_info,
	.port_stats = rp_snic_port_stats,
	.port_check = rp_snic_port_check,
	.port_bind = rp_snic_port_bind,
	.port_unbind = rp_snic_port_unbind,
	.learn = rp_snic_learn,
	.unlearn = rp_snic_unlearn,
	.used = rp_snic_used,
	.mcast_set = rp_snic_mcast_set,
	.mcast_clear = rp_snic_mcast_clear,
};

static struct rp_nic rp_snic_nic = {
	.ops = &rp_snic_ops,
	.name = KBUILD_MODNAME,
};

/* Offer the data plane to the core: it installs connections, binds ports. */
int rp_snic_nic_register(void)
{
	return rp_nic_register(&rp_snic_nic);
}

/* Returns once the core no longer calls us. */
void rp_snic_nic_unregister(void)
{
	rp_nic_unregister(&rp_snic_nic);
}
