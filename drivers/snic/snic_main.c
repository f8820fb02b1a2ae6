// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy_snic: the emulated SmartNIC brought up and down (its
 * device's probe and remove, snic_bus.c), module init/exit.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "snic.h"

/*
 * Registering with the core comes last: from then on it installs
 * connections and binds the VM ports, which needs the flow table and the
 * netdev notifier (a bound port's netdev may go away any time).
 */
int rp_snic_up(void)
{
	int err;

	err = rp_snic_flow_init();
	if (err)
		return err;
	err = rp_snic_port_init();
	if (err)
		goto err_flow;
	err = rp_snic_mcast_init();
	if (err)
		goto err_port;
	err = rp_snic_notifier_init();
	if (err)
		goto err_mcast;
	err = rp_snic_debugfs_init();
	if (err)
		goto err_notifier;
	err = rp_snic_nic_register();
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	rp_snic_debugfs_exit();
	rtnl_lock();
	rp_snic_unbind_all();
	rtnl_unlock();
err_notifier:
	rp_snic_notifier_exit();
err_mcast:
	rp_snic_mcast_exit();
err_port:
	rp_snic_port_exit();
err_flow:
	rp_snic_flow_exit();
	return err;
}

void rp_snic_down(void)
{
	/* the core stops calling us: no more installs, no more binds */
	rp_snic_nic_unregister();
	rp_snic_debugfs_exit();
	rtnl_lock();
	rp_snic_unbind_all();
	rtnl_unlock();
	rp_snic_notifier_exit();
	/* no hook runs any more: the flows and groups can go */
	rp_snic_mcast_exit();
	rp_snic_port_exit();
	rp_snic_flow_exit();
}

static int __init rp_snic_init(void)
{
	rp_snic_flow_setup();
	return rp_snic_bus_init();
}

static void __exit rp_snic_exit(void)
{
	rp_snic_bus_exit();
}

module_init(rp_snic_init);
module_exit(rp_snic_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rdmapolicy emulated SmartNIC (soft-RoCE based data plane)");
