# SPDX-License-Identifier: GPL-2.0
#
# Included by every Kbuild: force-include compat.h (the 6.1/6.12 API
# differences; the code is written for 6.12) and tell it, from the target
# kernel's version, which shims it needs (RP_COMPAT_*: see compat.h).
# compat/ holds headers that moved: it is searched after the kernel's own
# include directories, so only a kernel without such a header uses ours.
rp_compat := $(dir $(lastword $(MAKEFILE_LIST)))
ccflags-y += -include $(rp_compat)compat.h -I$(rp_compat)compat

rp_kver := $(shell echo $$(( $(VERSION) * 256 + $(PATCHLEVEL) )))
rp_older = $(shell [ $(rp_kver) -lt $$(( $(1) * 256 + $(2) )) ] && echo y)

# 6.2 split the genl ops
ifeq ($(call rp_older,6,2),y)
ccflags-y += -DRP_COMPAT_NO_SPLIT_OPS
endif

# 6.11 made bus_type.match take a const struct device_driver *
ifeq ($(call rp_older,6,11),y)
ccflags-y += -DRP_COMPAT_BUS_MATCH_NONCONST
endif
