// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy_snic: module init/exit of the emulated SmartNIC.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "snic.h"

static int __init rp_snic_init(void)
{
	int err;

	err = rp_snic_flow_init();
	if (err)
		return err;
	err = rp_snic_notifier_init();
	if (err)
		goto err_flow;
	err = rp_snic_debugfs_init();
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	rp_snic_notifier_exit();
err_flow:
	rp_snic_flow_exit();
	return err;
}

static void __exit rp_snic_exit(void)
{
	rp_snic_debugfs_exit();
	rtnl_lock();
	rp_snic_unbind_all();
	rtnl_unlock();
	rp_snic_notifier_exit();
	/* no hook runs any more: the flows can go */
	rp_snic_flow_exit();
}

module_init(rp_snic_init);
module_exit(rp_snic_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("rdmapolicy emulated SmartNIC (soft-RoCE based data plane)");
