// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy core: the hypervisor's exception path for RoCEv2 RDMA CM
 * traffic.  See Documentation/ for the design.
 *
 * This file holds only module init/exit; each concern lives in its own file.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/rdmapolicy.h>

#include "rp_config.h"
#include "rp_conn.h"
#include "rp_genl.h"
#include "rp_net.h"
#include "rp_version.h"

static int __init rp_init(void)
{
	int err;

	rp_conn_hash_init();	/* before any namespace's tracker */
	err = rp_net_init();
	if (err)
		return err;
	err = rp_config_init();
	if (err)
		goto err_net;
	err = rp_genl_init();
	if (err)
		goto err_config;
	pr_info("rdmapolicy %s loaded\n", RP_VERSION);
	return 0;

err_config:
	rp_config_exit();
err_net:
	rp_net_exit();
	return err;
}

static void __exit rp_exit(void)
{
	/*
	 * The family goes first, events and all: no request may reach a
	 * namespace's state while rp_net_exit() flushes and frees it (in the
	 * other order a request could use freed tables or pernet memory).
	 * The flush still reports every connection it destroys; those events
	 * must not reach a family that is gone, so rp_genl_exit() stops
	 * events before it unregisters.  No NIC can feed the exception path:
	 * NIC modules use our symbols, so they are unloaded already.
	 */
	rp_genl_exit();
	rp_config_exit();
	rp_net_exit();
	/* VMs and rules freed with call_rcu()/kfree_rcu() must be gone */
	rcu_barrier();
}

module_init(rp_init);
module_exit(rp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RDMA (RoCEv2) connection policy for hypervisor hosts");
MODULE_VERSION(RP_VERSION);
MODULE_ALIAS_GENL_FAMILY(RDMAPOLICY_GENL_NAME);
