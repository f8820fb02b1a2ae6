#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `dkms build` of rdmapolicy against Debian's headers of each kernel
# series given (the newest /usr/src/linux-headers-SERIES.*-amd64), in a
# scratch DKMS tree (--dkmstree, --sourcetree): the machine's /var/lib/dkms
# and /usr/src are not touched, and neither are its signing keys (dkms
# makes a throw-away key in the scratch tree).  Checks that both modules
# were built for that release.
#
#   scripts/dkms-check.sh SERIES...      e.g. scripts/dkms-check.sh 6.1
#
# A pass is remembered (RP_CACHE/dkms/<hash>.ok, the hash of the sources,
# dkms.conf, the headers' version and dkms's): the same inputs are not
# built twice.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${RP_CACHE:-/var/cache/rdmapolicy}/dkms
ver=$(sed -n 's/^#define RP_VERSION "\(.*\)"/\1/p' drivers/rdmapolicy/rp_version.h)
fail() { echo "dkms-check: $*" >&2; exit 1; }
command -v dkms >/dev/null || fail "no dkms: run scripts/setup.sh"
[ $# -gt 0 ] || fail "usage: $0 SERIES..."
mkdir -p "$cache"

for series in "$@"; do
	hdr=$(ls -d /usr/src/linux-headers-"$series".*-amd64 2>/dev/null |
		sort -V | tail -1)
	[ -n "$hdr" ] || fail "no /usr/src/linux-headers-$series.*-amd64"
	krel=${hdr#/usr/src/linux-headers-}
	key=$( (find Kbuild drivers include kunit dkms.conf Makefile "$0" \
			-type f | LC_ALL=C sort | xargs sha256sum;
		dpkg-query -W dkms "linux-headers-$krel") | sha256sum | cut -c1-16)
	if [ -f "$cache/$key.ok" ]; then
		echo "dkms-check: $krel ok (cached: $cache/$key.ok)"
		continue
	fi
	t0=$(date +%s)
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	mkdir -p "$scratch/tree" "$scratch/src"
	make -s --no-print-directory dkms-src \
		DKMS_SRC="$scratch/src/rdmapolicy-$ver" >/dev/null
	dk=(dkms --dkmstree "$scratch/tree" --sourcetree "$scratch/src"
	    -m rdmapolicy -v "$ver" -k "$krel" --kernelsourcedir "$hdr")
	# dkms takes the signing key's paths from the environment when
	# /etc/dkms/framework.conf does not set them
	export mok_signing_key=$scratch/mok.key mok_certificate=$scratch/mok.pub
	if ! { "${dk[@]}" add && "${dk[@]}" build -j "$(nproc)"; } \
		> "$scratch/log" 2>&1; then
		cat "$scratch/log" "$scratch"/tree/rdmapolicy/"$ver"/build/make.log \
			2>/dev/null >&2
		fail "$krel: dkms build failed"
	fi
	for ko in rdmapolicy rdmapolicy_snic; do
		f=$(ls "$scratch/tree/rdmapolicy/$ver/$krel"/*/module/"$ko".ko* 2>/dev/null |
			head -1)
		[ -n "$f" ] || fail "$krel: dkms built no $ko.ko"
		v=$(modinfo -F vermagic "$f" | cut -d' ' -f1)
		[ "$v" = "$krel" ] || fail "$krel: $ko.ko is for $v"
	done
	rm -rf "$scratch"
	trap - EXIT
	touch "$cache/$key.ok"
	echo "dkms-check: $krel ok ($(( $(date +%s) - t0 )) s)"
done
