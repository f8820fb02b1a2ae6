/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>: for older kernels
 * (see ../../compat.h).
 */
#ifndef _RDMAPOLICY_COMPAT_LINUX_UNALIGNED_H
#define _RDMAPOLICY_COMPAT_LINUX_UNALIGNED_H

#include <asm/unaligned.h>

#endif /* _RDMAPOLICY_COMPAT_LINUX_UNALIGNED_H */
