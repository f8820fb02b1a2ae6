#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the rdmapolicy KUnit/debug kernel from Debian's
# linux-source-6.1 package.
#
# The build is cached outside the checkout, keyed by the source package
# version and a hash of the config fragment (plus this script's recipe
# version), so it is rebuilt only when one of those changes:
#
#   $RP_CACHE/src/linux-source-<ver>/      unpacked source (shared)
#   $RP_CACHE/kernel/<ver>-<hash>/         O= build tree, bzImage, modules
#
# Prints the build directory on stdout; progress goes to stderr.
set -euo pipefail

RECIPE=3	# bump when the build steps below change
here=$(cd "$(dirname "$0")/.." && pwd)
frag=$here/kunit/kernel.config
cache=${RP_CACHE:-/var/cache/rdmapolicy}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${RP_JOBS:-$(nproc)}

log() { echo "kernel-build: $*" >&2; }

[ -f "$tarball" ] || { log "missing $tarball (run scripts/setup.sh)"; exit 1; }
ver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
hash=$( (echo "recipe $RECIPE"; cat "$frag") | sha256sum | cut -c1-12)
src=$cache/src/linux-source-$ver
out=$cache/kernel/$ver-$hash

mkdir -p "$cache/src" "$cache/kernel"
exec 9>"$cache/.kernel-build.lock"
flock 9

if [ -f "$out/.rp-built" ]; then
	echo "$out"
	exit 0
fi

if [ ! -f "$src/.rp-unpacked" ]; then
	log "unpacking $tarball ($ver)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball" --strip-components=1
	touch "$src.tmp/.rp-unpacked"
	mv "$src.tmp" "$src"
fi

log "configuring $out"
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" allnoconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Every option the fragment asks for must have stuck.
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=[ym]) ;; *) continue ;; esac
	if ! grep -qx "$line" "$out/.config"; then
		log "option did not stick: $line (got: $(grep "^${line%%=*}=" "$out/.config" || echo unset))"
		bad=1
	fi
done < "$frag"
[ "$bad" = 0 ] || exit 1

cc=gcc
if command -v ccache >/dev/null; then
	cc="ccache gcc"
	export CCACHE_DIR=$cache/ccache CCACHE_BASEDIR=$cache CCACHE_MAXSIZE=4G
fi

log "building bzImage and modules with -j$jobs (several minutes when cold)"
t0=$(date +%s)
make -s -C "$src" O="$out" CC="$cc" -j"$jobs" bzImage modules >&2
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$out/mods" INSTALL_MOD_STRIP=1 \
	modules_install >&2
echo "$(( $(date +%s) - t0 ))" > "$out/.rp-build-seconds"
log "built in $(cat "$out/.rp-build-seconds") s"
touch "$out/.rp-built"

# Keep only this build; older keys are dead weight.
for d in "$cache"/kernel/*; do
	[ "$d" = "$out" ] || rm -rf "$d"
done
echo "$out"
