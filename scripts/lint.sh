#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict on every C file, no include circle in the
# core, sparse and W=1 on the module build.  Uses the kernel source unpacked by scripts/kernel-build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=$(scripts/kernel-build.sh)
src=$(readlink -f "$kdir/source")
rc=0
git ls-files '*.c' '*.h' | grep -v '^tools/' |
	xargs "$src/scripts/checkpatch.pl" --strict --no-tree -q --terse \
		--ignore SPDX_LICENSE_TAG -f || rc=1
# the core's files include each other in no circle (a .c and its .h are
# one unit)
scripts/include-cycles.py drivers/rdmapolicy || rc=1
# sparse and W=1 on the stock headers build (with the bench injector);
# any warning fails
out=$(make -s modules W=1 C=2 RP_BENCH=1 2>&1 | grep -v -e '^modules for' -e 'Skipping BTF' -e '^  ' || true)
if [ -n "$out" ]; then
	echo "$out"
	rc=1
fi
exit $rc
