#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: set up, build for the stock kernel, run tools/testing/demo.py;
# make demo-cluster (demo.sh cluster): tools/testing/demo_cluster.py.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -s modules
make -s tools
[ "${1:-}" != cluster ] || exec python3 tools/testing/demo_cluster.py
exec python3 tools/testing/demo.py
