#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz / make check: build every libFuzzer harness and run each for
# FUZZ_SECONDS (default 20), one after the other; print one line per
# harness and exit 1 if any found a crash, a leak, a sanitizer report or a
# timeout.  Names given as arguments run only those harnesses.
#
# Harnesses are found, not listed here: every directory of the tree whose
# Makefile has a `fuzzers:` target; `make -s -C DIR fuzzers` builds them
# and prints their binaries on stdout, one a line (other output goes to
# stderr; lines that are not executable files are ignored).  A harness BIN
# may have seeds in $(dirname BIN)/seeds/$(basename BIN)/.
#
# Kept under build/fuzz/: corpus/NAME/ (grows from run to run), crashes/
# NAME/ (reproducers: run BIN FILE to replay one) and logs/NAME.log.
#
# CPU heavy, and it does not take /tmp/rp-qemu.lock itself (make check
# runs under it already): by hand, `flock /tmp/rp-qemu.lock make fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${FUZZ_SECONDS:-20}
out=$PWD/build/fuzz
command -v clang-14 >/dev/null || command -v clang >/dev/null || {
	echo "fuzz: no clang; run scripts/setup.sh (clang-14, libclang-rt-14-dev)" >&2
	exit 1
}

bins=()
while read -r mk; do
	d=$(dirname "$mk")
	list=$(make -s --no-print-directory -C "$d" fuzzers 2>/dev/null) || {
		make -s --no-print-directory -C "$d" fuzzers >/dev/null
		echo "fuzz: building the harnesses of $d failed" >&2
		exit 1
	}
	while read -r b; do
		[ -f "$b" ] && [ -x "$b" ] && bins+=("$b")
	done <<<"$list"
done < <(git ls-files -co --exclude-standard '*Makefile' |
	 xargs grep -l '^fuzzers:' 2>/dev/null | sort)
[ ${#bins[@]} -gt 0 ] || { echo "fuzz: no harness found" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
for bin in "${bins[@]}"; do
	name=$(basename "$bin")
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	corpus=$out/corpus/$name
	crashes=$out/crashes/$name
	log=$out/logs/$name.log
	seeds=$(dirname "$bin")/seeds/$name
	mkdir -p "$corpus" "$crashes" "$out/logs"
	[ -d "$seeds" ] || seeds=
	before=$(ls "$crashes" | wc -l)
	t0=$(date +%s)
	frc=0
	"$bin" -max_total_time="$secs" ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
		-timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/" \
		"$corpus" $seeds >"$log" 2>&1 || frc=$?
	t=$(( $(date +%s) - t0 ))
	# the last status line: "#N DONE cov: C ft: F corp: K/..b ..."
	stat=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stat")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$stat")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$stat")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	new=$(( $(ls "$crashes" | wc -l) - before ))
	if [ $frc -ne 0 ] || [ $new -gt 0 ] ||
	   grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
		art=$(ls -t "$crashes" | head -1)
		what=$(grep -m1 -E 'ERROR:|runtime error:|check failed|kshim:' "$log" || true)
		echo "fuzz: $name: FAILED after $t s (exit $frc): ${what:-see $log}"
		[ -n "$art" ] && echo "fuzz: $name: reproducer $crashes/$art (log $log)"
		rc=1
	else
		echo "fuzz: $name: ok, $t s, ${execs:-?} runs (${eps:-?}/s), cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}"
	fi
done
exit $rc
