/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels rdmapolicy builds against
 * (Debian's 6.1 and 6.12).  Force-included into every file of the modules
 * (ccflags-y += -include, from compat.mk, as WireGuard's compat does), so
 * the code reads like upstream 6.12 code and the shims for older kernels
 * live here only.  compat.mk sets the RP_COMPAT_* macros from the target
 * kernel's version.  A header that moved is provided under compat/
 * (searched after the kernel's own include directories, so only a kernel
 * without it uses ours).
 */
#ifndef _RDMAPOLICY_COMPAT_H
#define _RDMAPOLICY_COMPAT_H

#ifdef RP_COMPAT_NO_SPLIT_OPS
/*
 * 6.2 split the genl ops: .pre_doit/.post_doit take a struct
 * genl_split_ops; before, the struct genl_ops of the command.
 */
#define genl_split_ops genl_ops
#endif

/*
 * 6.11 made bus_type.match take a const struct device_driver *: a match
 * function's second parameter is a "struct device_driver rp_bus_match_const *".
 */
#ifdef RP_COMPAT_BUS_MATCH_NONCONST
#define rp_bus_match_const
#else
#define rp_bus_match_const const
#endif

#endif /* _RDMAPOLICY_COMPAT_H */
