#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict on every C file, sparse and W=1 on the
# module build.  Uses the kernel source unpacked by scripts/kernel-build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=$(scripts/kernel-build.sh)
src=$(readlink -f "$kdir/source")
rc=0
git ls-files '*.c' '*.h' | grep -v -e '^tools/' -e '^fuzz/' |
	xargs "$src/scripts/checkpatch.pl" --strict --no-tree -q --terse \
		--ignore SPDX_LICENSE_TAG -f || rc=1
# the fuzz harnesses too (libFuzzer names its entry point in CamelCase);
# not fuzz/kshim/, the userspace stand-ins for kernel headers
git ls-files 'fuzz/*.c' 'fuzz/*.h' | grep -v '^fuzz/kshim/' |
	xargs -r "$src/scripts/checkpatch.pl" --strict --no-tree -q --terse \
		--ignore SPDX_LICENSE_TAG,CAMELCASE -f || rc=1
# sparse and W=1 on the stock headers build (with the bench injector);
# any warning fails
out=$(make -s modules W=1 C=2 RP_BENCH=1 2>&1 | grep -v -e '^modules for' -e 'Skipping BTF' -e '^  ' || true)
if [ -n "$out" ]; then
	echo "$out"
	rc=1
fi
exit $rc
