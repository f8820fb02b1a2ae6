# SPDX-License-Identifier: GPL-2.0
#
# rdmapolicy top-level Makefile.
#
#   make              build the kernel modules (against KDIR) and the tools
#   make check        set up, build, run KUnit + integration tests
#   make demo         set up, build, boot the topology and show it working
#   make kunit        KUnit suites only
#   make lint         checkpatch --strict, sparse, W=1
#   make fuzz         libFuzzer: the kernel's parsers and policy engine
#                     (FUZZ_SECONDS each, default 300), then the CLI's
#                     parsers (FUZZ_TIME, default 600)
#   make install      the CLI, its manual and bash completion (DESTDIR, PREFIX)
#   make KDIR=...     build the modules against another kernel tree
#
# Modules are built in build/<kernelrelease>/ (a copy of the kbuild sources)
# so that builds against different trees never share object files.

SHELL := /bin/bash

# The running kernel's build tree, or else the newest installed Debian
# linux-headers-*-amd64 (the machine we develop on has none of its own).
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; \
	  if [ -d $$d ]; then echo $$d; else \
	  ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1; fi)

KREL = $(shell sed -n 's/.*"\(.*\)".*/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD = $(CURDIR)/build/$(KREL)
KBUILD_SRCS = Kbuild drivers include kunit bench

.PHONY: all modules tools check demo kunit bench clean setup kunit-kernel lint \
	fuzz install

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

tools:
	$(MAKE) -C tools

install:
	$(MAKE) -C tools install


setup:
	scripts/setup.sh

kunit-kernel: setup
	scripts/kernel-build.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

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

clean:
	rm -rf build
	$(MAKE) -C tools clean
