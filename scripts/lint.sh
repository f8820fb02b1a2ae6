#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict on every C file, no include circle in the
# core, sparse and W=1 on the module build (6.1, and 6.12 when its headers
# are installed), and the netlink spec against the
# code: the files generated from it must be current (regenerated into a
# temporary directory and compared) and the hand-written ops table must agree
# with it.  Uses the kernel source unpacked by scripts/kernel-build.sh and the
# ynl unpacked by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=$(scripts/kernel-build.sh)
src=$(readlink -f "$kdir/source")
rc=0
git ls-files '*.c' '*.h' | grep -v -e '^tools/' -e '^fuzz/' |
	xargs "$src/scripts/checkpatch.pl" --strict --no-tree -q --terse \
		--ignore SPDX_LICENSE_TAG -f || rc=1
# the core's files include each other in no circle (a .c and its .h are
# one unit)
scripts/include-cycles.py drivers/rdmapolicy || rc=1
# the fuzz harnesses too (libFuzzer names its entry point in CamelCase);
# not fuzz/kshim/, the userspace stand-ins for kernel headers
git ls-files 'fuzz/*.c' 'fuzz/*.h' | grep -v '^fuzz/kshim/' |
	xargs -r "$src/scripts/checkpatch.pl" --strict --no-tree -q --terse \
		--ignore SPDX_LICENSE_TAG,CAMELCASE -f || rc=1
# sparse and W=1 on the stock headers build (with the bench injector),
# and on Debian's 6.12 headers when installed (scripts/setup.sh installs
# them); any warning fails.  In build/lint/, so that the production build
# (build/<krel>/) is not rebuilt with other flags.
k612=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -1)
for k in "" ${k612:+"KDIR=$k612"}; do
	out=$(make -s modules W=1 C=2 RP_BENCH=1 BUILD_ROOT="$PWD/build/lint" $k 2>&1 |
		grep -v -e '^modules for' -e 'Skipping BTF' -e '^  ' || true)
	if [ -n "$out" ]; then
		echo "lint: make modules W=1 C=2 $k:"
		echo "$out"
		rc=1
	fi
done
# the spec: generated files current, hand-written ops as specified
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if scripts/ynl-gen.py -o "$tmp"; then
	for f in include/uapi/linux/rdmapolicy.h drivers/rdmapolicy/rp_nl_gen.h \
		 drivers/rdmapolicy/rp_nl_gen.c Documentation/netlink.rst; do
		diff -u "$f" "$tmp/$f" ||
			{ echo "lint: $f is stale: run scripts/ynl-gen.py"; rc=1; }
	done
else
	rc=1
fi
scripts/ynl-check.py || rc=1
exit $rc
