#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: build what the endurance run needs, then run it
# (tools/testing/soak.py) on the debug kernel.  Sizes from the
# environment: SOAK_NL, SOAK_FRAMES, SOAK_BATCH, SOAK_CHURN, SOAK_BINDS,
# SOAK_CYCLES (see soak.py; the Makefile sets the full run's).
#
# It boots QEMU guests and does not take /tmp/rp-qemu.lock itself (as
# make check and make fuzz): by hand, `flock /tmp/rp-qemu.lock make soak`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
kdir=$(scripts/kernel-build.sh)
make -s modules W=1 >/dev/null
make -s modules W=1 KDIR="$kdir" >/dev/null
make -s tools
export RP_DEBUG_KDIR=$kdir
export RP_KERNEL_SRC=$(readlink -f "$kdir/source")
exec python3 tools/testing/soak.py "$@"
