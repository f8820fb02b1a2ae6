/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for <kunit/visibility.h>, as in a kernel without CONFIG_KUNIT. */
#ifndef _RP_KSHIM_KUNIT_VISIBILITY_H
#define _RP_KSHIM_KUNIT_VISIBILITY_H
#include <kshim.h>
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol) EXPORT_SYMBOL(symbol)
#endif
