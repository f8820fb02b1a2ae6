/* SPDX-License-Identifier: GPL-2.0 */
/* <uapi/linux/if_ether.h> as the kernel's rdma/ib_pack.h includes it. */
#include <linux/if_ether.h>
