#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the CLI's fuzzer for $1 seconds (fuzz.c): seeds from seeds/ and
# replies built by tools/testing/nlreply.py, the corpus kept in work/.
# Prints "fuzz: ok ..." or "fuzz: FAIL ..." and exits non-zero on a crash.
set -uo pipefail
cd "$(dirname "$0")"
t=${1:-60}
mkdir -p work/corpus work/seeds work/crashes
cp seeds/* work/seeds/
python3 - <<'PY' || { echo "fuzz: FAIL (no reply seeds)"; exit 1; }
import sys
sys.path.insert(0, "../../testing")
import nlreply
shows = ["vm", "rule", "conn", "nic", "stats", "monitor"]
for name, data in nlreply.sample().items():
    for mode in (0x80, 0x81, 0x84, 0x8d):
        m = mode | shows.index(name) << 4
        open(f"work/seeds/reply-{name}-{mode:x}", "wb").write(
            bytes([m]) + data)
for i, (name, data, _) in enumerate(nlreply.malformed()):
    m = 0x80 | shows.index(name) << 4
    open(f"work/seeds/malformed-{i}", "wb").write(bytes([m]) + data)
PY
log=work/fuzz.log
./rdmapolicy-fuzz -max_total_time="$t" ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
	-timeout=10 -rss_limit_mb=2048 \
	-max_len=8192 -close_fd_mask=3 -artifact_prefix=work/crashes/ \
	work/corpus work/seeds >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
if [ $rc -ne 0 ]; then
	tail -40 "$log"
	echo "fuzz: FAIL (exit $rc; inputs in $(pwd)/work/crashes)"
	exit 1
fi
echo "fuzz: ok (${runs:-?} inputs in $t s, corpus $(ls work/corpus | wc -l))"
