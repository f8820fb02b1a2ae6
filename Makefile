# SPDX-License-Identifier: GPL-2.0
#
# rdmapolicy top-level Makefile.
#
#   make              build the kernel modules (against KDIR) and the tools
#   make check        set up, build, run KUnit + integration tests
#   make demo         set up, build, boot the topology and show it working
#   make demo-cluster two hosts converging to a policy pushed to etcd
#   make kunit        KUnit suites only
#   make lint         checkpatch --strict, sparse, W=1
#   make fuzz         libFuzzer: the kernel's parsers and policy engine
#                     (FUZZ_SECONDS each, default 300), then the CLI's
#                     parsers (FUZZ_TIME, default 600)
#   make soak         endurance on the debug kernel, not in make check:
#                     netlink fuzzing, a million hostile frames, rule churn,
#                     NIC and module reloads under traffic (SOAK_* sizes)
#   make KDIR=...     build the modules against another kernel tree
#   make modules-6.12 build the modules against Debian's 6.12 headers
#   make install      modules (for KREL), CLI, man page, completion, systemd
#                     unit, libvirt hook, examples; DESTDIR=, PREFIX=
#   make install-userspace  the same without the modules (with DKMS)
#   make uninstall    remove what make install installed (not
#                     /etc/rdmapolicy/policy.rp)
#   make dkms-install sources into /usr/src/rdmapolicy-<version>, then
#                     dkms add, build and install (every kernel with its
#                     headers, and every kernel installed later)
#
# Modules are built in build/<kernelrelease>/ (a copy of the kbuild sources)
# so that builds against different trees never share object files.

SHELL := /bin/bash

# The running kernel's build tree, or else the newest installed Debian
# linux-headers-$(STOCK_SERIES).*-amd64 (the machine we develop on has none
# of its own).  STOCK_SERIES is the kernel series the tests' stock kernel
# runs (tools/testing/images.py reads RP_STOCK_SERIES): Debian 12's 6.1,
# also when 6.12's packages are installed beside it.
STOCK_SERIES ?= 6.1
export RP_STOCK_SERIES := $(STOCK_SERIES)
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; \
	  if [ -d $$d ]; then echo $$d; else \
	  ls -d /usr/src/linux-headers-$(STOCK_SERIES).*-amd64 2>/dev/null | sort -V | tail -1; fi)
# Debian 12's 6.12 (setup installs its headers and image): make
# modules-6.12 builds the modules against its newest headers, for the
# tests' stock612 kernel (H on 6.12: tools/testing/integration/t_stock612.py)
KDIR_6_12 ?= $(shell ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -1)

KREL = $(shell sed -n 's/.*"\(.*\)".*/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# BUILD_ROOT: scripts/lint.sh builds aside (its flags differ), so that
# its builds never make the next plain build start over
BUILD_ROOT ?= $(CURDIR)/build
BUILD = $(BUILD_ROOT)/$(KREL)
KBUILD_SRCS = Kbuild drivers include kunit bench

.PHONY: all modules modules-6.12 tools check demo demo-cluster kunit bench clean setup kunit-kernel lint fuzz soak
.PHONY: install install-modules install-userspace uninstall dkms-src dkms-install dkms-uninstall print-krel

all: modules tools

modules:
	@[ -n "$(KDIR)" ] && [ -d "$(KDIR)" ] || \
		{ echo "no kernel tree: install linux-headers-amd64 or set KDIR=" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' --exclude=Module.symvers \
		--exclude=kernel.config \
		$(KBUILD_SRCS) $(BUILD)/ 2>/dev/null || \
		rsync -a $(KBUILD_SRCS) $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) modules
	@echo "modules for $(KREL) in $(BUILD)"

modules-6.12:
	@[ -n "$(KDIR_6_12)" ] || \
		{ echo "no linux-headers-6.12.*-amd64: run scripts/setup.sh" >&2; exit 1; }
	$(MAKE) modules KDIR=$(KDIR_6_12)

tools:
	$(MAKE) -C tools

setup:
	scripts/setup.sh

kunit-kernel: setup
	scripts/kernel-build.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

demo-cluster:
	scripts/demo.sh cluster

kunit:
	scripts/check.sh --kunit

lint:
	scripts/lint.sh

FUZZ_SECONDS ?= 300
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
	$(MAKE) -C tools/rdmapolicy fuzz

bench:
	scripts/bench.sh

# the full run's sizes (tools/testing/soak.py); SOAK_X=... to change one
SOAK_NL ?= 100000
SOAK_FRAMES ?= 1000000
SOAK_BATCH ?= 50000
SOAK_CHURN ?= 600
SOAK_BINDS ?= 100
SOAK_CYCLES ?= 1000
export SOAK_NL SOAK_FRAMES SOAK_BATCH SOAK_CHURN SOAK_BINDS SOAK_CYCLES
soak:
	scripts/soak.sh

clean:
	rm -rf build
	$(MAKE) -C tools clean

# ---- installing ----------------------------------------------------------
#
# Layout (Documentation/install.rst): modules in
# /lib/modules/<release>/updates/ (what DKMS uses too, so either path
# shadows nothing of the distribution's), depmod run unless DESTDIR is set
# (a package runs it in its postinst: depmod -b DESTDIR would write index
# files that belong to the target system); the tools' own files through
# tools/ (make -C tools install).

VERSION := $(shell sed -n 's/^\#define RP_VERSION "\(.*\)"/\1/p' \
	     drivers/rdmapolicy/rp_version.h)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
DOCDIR ?= $(DATADIR)/doc/rdmapolicy
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
HOOKDIR ?= $(SYSCONFDIR)/libvirt/hooks/qemu.d
MODDIR = /lib/modules/$(KREL)/updates
# the production modules (dkms.conf names the same two)
MODULES_KO = drivers/rdmapolicy/rdmapolicy.ko drivers/snic/rdmapolicy_snic.ko
# sources DKMS builds from: KBUILD_SRCS without the benchmark injector
DKMS_SRCS = Kbuild drivers include kunit
DKMS_SRC ?= /usr/src/rdmapolicy-$(VERSION)

subst = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@VERSION@|$(VERSION)|g'

install: install-modules install-userspace

install-modules: modules
	@for m in $(MODULES_KO); do \
		install -D -m 0644 $(BUILD)/$$m $(DESTDIR)$(MODDIR)/$${m##*/} || exit 1; \
	done
	[ -n "$(DESTDIR)" ] || depmod -a $(KREL)

# everything but the modules (after make dkms-install)
install-userspace: tools
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	install -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(HOOKDIR) \
		$(DESTDIR)$(SYSCONFDIR)/rdmapolicy $(DESTDIR)$(DOCDIR)/examples
	$(subst) contrib/systemd/rdmapolicy.service > \
		$(DESTDIR)$(UNITDIR)/rdmapolicy.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rdmapolicy.service
	$(subst) contrib/systemd/rdmapolicyd.service > \
		$(DESTDIR)$(UNITDIR)/rdmapolicyd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rdmapolicyd.service
	$(subst) contrib/libvirt/rdmapolicy > $(DESTDIR)$(HOOKDIR)/rdmapolicy
	chmod 0755 $(DESTDIR)$(HOOKDIR)/rdmapolicy
	@# the boot configuration is the operator's: never overwritten
	[ -e $(DESTDIR)$(SYSCONFDIR)/rdmapolicy/policy.rp ] || \
		install -m 0644 contrib/policy.rp $(DESTDIR)$(SYSCONFDIR)/rdmapolicy/policy.rp
	install -m 0644 contrib/policy.rp $(DESTDIR)$(DOCDIR)/examples/policy.rp
	install -m 0644 contrib/modules-load.d/rdmapolicy.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d-rdmapolicy.conf
	install -m 0644 contrib/modprobe.d/rdmapolicy.conf \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-rdmapolicy.conf

uninstall:
	[ -n "$(DESTDIR)" ] || systemctl disable rdmapolicy.service rdmapolicyd.service 2>/dev/null || true
	rm -f $(foreach m,$(MODULES_KO),$(DESTDIR)$(MODDIR)/$(notdir $(m)))
	[ -n "$(DESTDIR)" ] || depmod -a $(KREL)
	$(MAKE) -C tools uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	rm -f $(DESTDIR)$(UNITDIR)/rdmapolicy.service \
		$(DESTDIR)$(UNITDIR)/rdmapolicyd.service $(DESTDIR)$(HOOKDIR)/rdmapolicy
	rm -rf $(DESTDIR)$(DOCDIR)

# dkms-src: the DKMS source tree in DKMS_SRC (scripts/dkms-check.sh uses
# it for its scratch tree)
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' \
		--exclude=Module.symvers --exclude=kernel.config \
		$(DKMS_SRCS) $(DKMS_SRC)/
	$(subst) dkms.conf > $(DKMS_SRC)/dkms.conf

print-krel:
	@echo $(KREL)

# every installed kernel that has its headers (DKMS_KERNELS=...: others);
# DKMS builds for kernels installed later by itself (AUTOINSTALL)
DKMS_KERNELS ?= $(shell for d in /lib/modules/*/build; do \
		  [ -d $$d/ ] && basename $${d%/build}; done)

dkms-install: dkms-src
	@[ -n "$(DKMS_KERNELS)" ] || \
		{ echo "no kernel headers: install linux-headers-amd64" >&2; exit 1; }
	dkms add -m rdmapolicy -v $(VERSION)
	for k in $(DKMS_KERNELS); do \
		dkms build -m rdmapolicy -v $(VERSION) -k $$k && \
		dkms install -m rdmapolicy -v $(VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	dkms remove -m rdmapolicy -v $(VERSION) --all
	rm -rf $(DKMS_SRC)
