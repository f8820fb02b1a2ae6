// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy core: the hypervisor's exception path for RoCEv2 RDMA CM
 * traffic.  See Documentation/ for the design.
 *
 * This file holds only module init/exit; each concern lives in its own file.
 */
#include <linux/module.h>

#include "rp_version.h"

static int __init rp_init(void)
{
	pr_info("rdmapolicy %s loaded\n", RP_VERSION);
	return 0;
}

static void __exit rp_exit(void)
{
}

module_init(rp_init);
module_exit(rp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RDMA (RoCEv2) connection policy for hypervisor hosts");
MODULE_VERSION(RP_VERSION);
