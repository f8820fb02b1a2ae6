/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in: 6.1's kernel headers include <asm/unaligned.h>, 6.12's
 * <linux/unaligned.h>; both get the same helpers. */
#include <linux/unaligned.h>
