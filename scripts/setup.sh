#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, with apt-get and only when missing, every Debian package that
# building and testing rdmapolicy needs, and unpack the kernel's ynl (the
# netlink spec tools of linux-source-6.12: tools/net/ynl and
# Documentation/netlink) into $RP_CACHE/src/linux-source-6.12 for
# scripts/ynl-gen.py, make lint and the ynl test.  Safe to run again: it
# does nothing when all is there.  --bench: also what only make bench
# needs (gnuplot, for build/bench.svg).
set -euo pipefail

PKGS=(
	# module and tool builds
	build-essential bc bison flex libelf-dev libssl-dev pkg-config
	libmnl-dev sparse rsync cpio xz-utils ccache python3
	# rdmapolicyd: etcd's JSON gateway over libcurl, json-c; the test's
	# etcd server (Documentation/cluster.rst)
	libcurl4-openssl-dev libjson-c-dev etcd-server etcd-client
	# kernels: Debian's stock image + headers, and the source we build
	# the KUnit/debug kernel from
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	# the modules build against Debian 12's 6.12 too (lint.sh, dkms-check;
	# the meta-package depends on the newest headers, and they on its image)
	linux-headers-6.12-amd64
	# the netlink spec: ynl (from the 6.12 source) and what it runs on
	linux-source-6.12 python3-yaml python3-jsonschema
	# guests
	qemu-system-x86 busybox-static kmod iproute2 util-linux
	rdma-core ibverbs-providers ibverbs-utils rdmacm-utils perftest
	libmnl0
	# make bench: the nftables baseline
	nftables
	# make fuzz (and the bounded fuzz runs of make check): libFuzzer,
	# ASan and UBSan
	clang-14 libclang-rt-14-dev
	# make check: dkms build of the modules (scripts/dkms-check.sh)
	dkms
)
# make bench only: the plot of instructions per packet (build/bench.svg)
BENCH_PKGS=(gnuplot-nox)
if [ "${1:-}" = --bench ]; then
	PKGS+=("${BENCH_PKGS[@]}")
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done
# the stock612 test boots H on Debian's 6.12 image: the 6.12 headers
# depend on it (signed or unsigned), so it normally comes along; where it
# is missing all the same, its meta-package
ls /boot/vmlinuz-6.12.*-amd64 >/dev/null 2>&1 ||
	missing+=(linux-image-6.12-amd64)
if [ ${#missing[@]} -ne 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing packages: ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# ynl: only the two directories it needs, once per package version
cache=${RP_CACHE:-/var/cache/rdmapolicy}
ynl=$cache/src/linux-source-6.12
ver=$(dpkg-query -W -f '${Version}' linux-source-6.12)
if [ "$(cat "$ynl/.rp-ynl" 2>/dev/null)" != "$ver" ]; then
	echo "setup: unpacking ynl from linux-source-6.12 ($ver)" >&2
	mkdir -p "$cache/src"
	rm -rf "$ynl" "$ynl.tmp"
	mkdir -p "$ynl.tmp"
	tar -C "$ynl.tmp" -xJf /usr/src/linux-source-6.12.tar.xz \
		--strip-components=1 linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink
	echo "$ver" >"$ynl.tmp/.rp-ynl"
	mv "$ynl.tmp" "$ynl"
fi
