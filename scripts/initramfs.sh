#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest initramfs pieces.  The kernel unpacks concatenated gzip'ed cpio
# archives one after the other, so a guest's initrd is:
#
#   base     busybox, iproute2, kmod, rdma-core tools, perftest, their
#            libraries, /init and the control agent (cached, shared by all)
#   modules  the kernel modules one kernel needs, with a depmod index
#            (cached per kernel)
#   python   python3 with the modules the kernel's ynl and the libvirt hook
#            (contrib/libvirt/rdmapolicy) need, and ynl's Python library
#            (cached; only in the initrds that ask for it)
#   cluster  etcd (the server) and the libraries rdmapolicyd links
#            (libcurl, json-c, theirs) (cached; only in the initrds that
#            ask for it: the cluster test's hosts)
#   overlay  this checkout's modules, tools and netlink spec (made per run)
#
#   initramfs.sh base                          -> prints the path
#   initramfs.sh modules KREL ROOT MOD...      -> prints the path
#   initramfs.sh python                        -> prints the path
#   initramfs.sh cluster                       -> prints the path
#   initramfs.sh overlay OUT DIR               -> DIR's tree as a cpio.gz
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${RP_CACHE:-/var/cache/rdmapolicy}/initramfs
mkdir -p "$cache"

log() { echo "initramfs: $*" >&2; }

pack() {	# pack DIR OUT
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 | gzip -1) > "$2.tmp"
	mv "$2.tmp" "$2"
}

copy_with_libs() {	# copy_with_libs ROOT FILE...
	local root=$1 f lib
	shift
	for f in "$@"; do
		[ -e "$f" ] || { log "missing $f"; exit 1; }
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}

BINS="/usr/sbin/ip /usr/sbin/bridge /usr/bin/rdma /usr/bin/kmod
	/usr/bin/rping /usr/bin/ucmatose /usr/bin/cmtime /usr/bin/udaddy
	/usr/bin/ib_send_bw /usr/bin/ib_write_bw /usr/bin/ib_read_bw
	/usr/bin/ib_atomic_bw /usr/bin/ib_send_lat /usr/bin/ib_write_lat
	/usr/bin/ibv_devices /usr/bin/ibv_devinfo /usr/bin/ibv_rc_pingpong
	/usr/bin/ibv_uc_pingpong /usr/bin/ibv_ud_pingpong /usr/bin/ibv_srq_pingpong
	/usr/bin/setpriv /usr/lib/x86_64-linux-gnu/libibverbs/librxe-rdmav34.so
	/usr/sbin/nft /usr/bin/date"
PKGS="busybox-static iproute2 kmod rdma-core rdmacm-utils ibverbs-utils
	ibverbs-providers perftest util-linux libc6 libmnl0 nftables coreutils"

base() {
	local key out root lib
	key=$( (cat "$0" "$here"/scripts/guest/*; dpkg-query -W $PKGS) |
		sha256sum | cut -c1-12)
	out=$cache/base-$key.cpio.gz
	if [ ! -f "$out" ]; then
		log "building base image $out"
		root=$(mktemp -d)
		mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,rp}
		cp /bin/busybox "$root/bin/busybox"
		copy_with_libs "$root" $BINS
		# dlopen()ed, so ldd above does not see it
		lib=$(gcc -print-file-name=libgcc_s.so.1)
		cp -L "$lib" "$root/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"
		mkdir -p "$root/etc/libibverbs.d"
		cp /etc/libibverbs.d/rxe.driver "$root/etc/libibverbs.d/"
		for l in modprobe insmod rmmod lsmod depmod modinfo; do
			ln -s /usr/bin/kmod "$root/sbin/$l"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
			> "$root/etc/passwd"
		printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
		install -m 0755 "$here/scripts/guest/init" "$root/init"
		install -m 0755 "$here/scripts/guest/agent" "$root/rp/agent"
		pack "$root" "$out"
		rm -rf "$root"
		# older keys are dead weight
		find "$cache" -name 'base-*.cpio.gz' ! -path "$out" -delete
	fi
	echo "$out"
}

modules() {
	local krel=$1 root=${2%/} key out stage m f
	shift 2
	key=$( (echo "$krel $*"; cat "$0"; ls -l --time-style=+%s \
		"$root/lib/modules/$krel/modules.dep") | sha256sum | cut -c1-12)
	out=$cache/modules-$krel-$key.cpio.gz
	if [ ! -f "$out" ]; then
		log "building module image for $krel"
		stage=$(mktemp -d)
		mkdir -p "$stage/lib/modules/$krel"
		for f in modules.order modules.builtin modules.builtin.modinfo; do
			cp "$root/lib/modules/$krel/$f" "$stage/lib/modules/$krel/"
		done
		for m in "$@"; do
			/sbin/modprobe -d "${root:-/}" -S "$krel" --show-depends "$m" |
			while read -r cmd f _; do
				[ "$cmd" = insmod ] || continue
				f=${f#"$root"}
				mkdir -p "$stage$(dirname "$f")"
				cp "$root$f" "$stage$f"
			done
		done
		depmod -b "$stage" "$krel"
		pack "$stage" "$out"
		rm -rf "$stage"
	fi
	echo "$out"
}

# The modules ynl's library (lib/ynl.py, lib/nlspec.py), the ynl test
# and the libvirt hook import (keep in step with their imports): the
# interpreter's own list after importing them, with their compiled forms.
PY_MODULES='
import importlib.util, os, sys
sys.path.insert(0, sys.argv[1])
import encodings.ascii, encodings.latin_1, encodings.utf_8
import argparse, errno, json, re, socket, struct, time, traceback
import fcntl, subprocess, syslog, tempfile, xml.etree.ElementTree
import yaml
from lib import YnlFamily, NlError
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if not f or f.startswith(sys.argv[1]):
        continue
    print(f)
    if f.endswith(".py"):
        c = importlib.util.cache_from_source(f)
        if os.path.exists(c):
            print(c)
'

python() {
	local ynl=${RP_CACHE:-/var/cache/rdmapolicy}/src/linux-source-6.12
	local py=/usr/bin/python3.11 key out root
	[ -f "$ynl/.rp-ynl" ] || { log "no ynl in $ynl: run scripts/setup.sh"; exit 1; }
	key=$( (cat "$0" "$ynl/.rp-ynl"; dpkg-query -W python3.11-minimal \
		libpython3.11-stdlib python3-yaml) | sha256sum | cut -c1-12)
	out=$cache/python-$key.cpio.gz
	if [ ! -f "$out" ]; then
		log "building python image $out"
		root=$(mktemp -d)
		copy_with_libs "$root" $py \
			$("$py" -c "$PY_MODULES" "$ynl/tools/net/ynl")
		ln -s python3.11 "$root/usr/bin/python3"
		mkdir -p "$root/rp/ynl"
		cp -r "$ynl/tools/net/ynl/lib" "$root/rp/ynl/"
		pack "$root" "$out"
		rm -rf "$root"
		find "$cache" -name 'python-*.cpio.gz' ! -path "$out" -delete
	fi
	echo "$out"
}

# etcd is one static Go binary (~21 MB, ~8.5 MB gzip'ed); libcurl brings
# its TLS, HTTP/2, IDN, SSH, LDAP and Kerberos libraries (~8 MB)
CLUSTER_LIBS="/usr/lib/x86_64-linux-gnu/libcurl.so.4
	/usr/lib/x86_64-linux-gnu/libjson-c.so.5"
CLUSTER_PKGS="etcd-server libcurl4 libjson-c5"

cluster() {
	local key out root
	key=$( (cat "$0"; dpkg-query -W $CLUSTER_PKGS) | sha256sum | cut -c1-12)
	out=$cache/cluster-$key.cpio.gz
	if [ ! -f "$out" ]; then
		log "building cluster image $out"
		root=$(mktemp -d)
		copy_with_libs "$root" /usr/bin/etcd $CLUSTER_LIBS
		pack "$root" "$out"
		rm -rf "$root"
		find "$cache" -name 'cluster-*.cpio.gz' ! -path "$out" -delete
	fi
	echo "$out"
}

case "${1:-}" in
base) base ;;
modules) shift; modules "$@" ;;
python) python ;;
cluster) cluster ;;
overlay) pack "$3" "$2" ;;
*) echo "usage: $0 base | modules KREL ROOT MOD... | python | cluster | overlay OUT DIR" >&2; exit 2 ;;
esac
