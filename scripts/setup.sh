#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, with apt-get and only when missing, every Debian package that
# building and testing rdmapolicy needs.  Safe to run again: it does
# nothing when all is there.
set -euo pipefail

PKGS=(
	# module and tool builds
	build-essential bc bison flex libelf-dev libssl-dev pkg-config
	libmnl-dev sparse rsync cpio xz-utils ccache python3
	# kernels: Debian's stock image + headers, and the source we build
	# the KUnit/debug kernel from
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	# guests
	qemu-system-x86 busybox-static kmod iproute2 util-linux
	rdma-core ibverbs-providers ibverbs-utils rdmacm-utils perftest
	libmnl0
	# make bench: the nftables baseline
	nftables
	# make check: dkms build of the modules (scripts/dkms-check.sh)
	dkms
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "setup: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
