/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for the kernel's <linux/jiffies.h>: a clock that does not move
 * (the fuzzed code only stamps times; nothing here waits on them).
 */
#ifndef _RP_KSHIM_JIFFIES_H
#define _RP_KSHIM_JIFFIES_H
#include <kshim.h>

#define HZ	250
static const unsigned long jiffies = 1000000;
#endif
