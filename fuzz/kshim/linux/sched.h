/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for the kernel's <linux/sched.h>: all of it is in kshim.h. */
#include <kshim.h>
