#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: set up, build for the stock kernel, run tools/testing/bench.py
# (extra arguments go to it, e.g. --quick).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
make -s modules RP_BENCH=1
make -s tools
exec python3 tools/testing/bench.py "$@"
