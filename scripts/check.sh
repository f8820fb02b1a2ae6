#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: set up, build everything, run KUnit and integration tests.
# Extra arguments go to tools/testing/run.py (e.g. --kunit, -k smoke).
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$(date +%s)
scripts/setup.sh
kdir=$(scripts/kernel-build.sh)
echo "check: debug/KUnit kernel $kdir"

# Production modules against the stock headers and against Debian's 6.12
# headers (the stock612 test's H), as make install builds them (lint
# builds them W=1 C=2 aside), test modules against the KUnit kernel, W=1.
stock=$(make -s modules | tee /dev/stderr | sed -n 's/^modules for .* in //p')
stock612=$(make -s modules-6.12 | tee /dev/stderr | sed -n 's/^modules for .* in //p')
make -s modules W=1 KDIR="$kdir"
# security #18: a production build leaves the benchmark injector out
# (only `make bench` builds it, with RP_BENCH=1)
for b in "$stock" "$stock612"; do
	if [ -z "$b" ] || grep -q 'rp_bench' "$b/modules.order"; then
		echo "check: bench/ is built by a production make modules" >&2
		exit 1
	fi
done
make -s tools
# checkpatch --strict, sparse and W=1 must stay clean; lint runs beside
# the bounded fuzzing below (each takes one of the machine's cores)
lintlog=$(mktemp)
trap 'rm -f "$lintlog"' EXIT
scripts/lint.sh >"$lintlog" 2>&1 &
lintpid=$!
# the parsers and the policy engine under libFuzzer + ASan + UBSan, for
# FUZZ_SECONDS each (20; 0 skips): on a full check, and on a partial one
# (arguments given) only when FUZZ_SECONDS is set
# (seeded: what a bounded run explores is the same from run to run, a
# slower machine exploring a prefix of it; make fuzz is unseeded)
export FUZZ_SEED=${FUZZ_SEED:-1}
if [ "${FUZZ_SECONDS:-20}" != 0 ] && { [ $# -eq 0 ] || [ -n "${FUZZ_SECONDS:-}" ]; }; then
	FUZZ_SECONDS=${FUZZ_SECONDS:-20} scripts/fuzz.sh ||
		{ echo "check: fuzzing found a bug (build/fuzz/crashes/)" >&2; exit 1; }
	# the CLI's parsers, 30 s (make fuzz: longer)
	make -s -C tools/rdmapolicy fuzz-check ||
		{ echo "check: fuzzing the CLI found a bug" >&2; exit 1; }
fi

wait "$lintpid" || { cat "$lintlog"; echo "check: lint failed" >&2; exit 1; }

export RP_DEBUG_KDIR=$kdir
export RP_KERNEL_SRC=$(readlink -f "$kdir/source")
rc=0
python3 tools/testing/run.py "$@" || rc=$?
echo "check: $(( $(date +%s) - t0 )) s" >&2
exit $rc
