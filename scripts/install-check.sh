#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install into a DESTDIR, and check what it installed: exactly the
# expected files, with their modes, no @VARIABLE@ left unreplaced, no
# depmod index written into DESTDIR; then make uninstall, which must leave
# only the operator's /etc/rdmapolicy/policy.rp.  Needs the modules and
# tools built (make, make tools); no QEMU.
#
#   scripts/install-check.sh [DIR]   checks in a temporary directory;
#                                    then, given DIR, installs into DIR
#                                    (the integration tests use its files)
set -euo pipefail
cd "$(dirname "$0")/.."

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
krel=$(make -s --no-print-directory print-krel)
fail() { echo "install-check: $*" >&2; exit 1; }
[ -n "$krel" ] || fail "no kernel release (KDIR?)"

# mode path, relative to DESTDIR; PREFIX=/usr
expect="0755 etc/libvirt/hooks/qemu.d/rdmapolicy
0644 etc/rdmapolicy/policy.rp
0644 lib/modules/$krel/updates/rdmapolicy.ko
0644 lib/modules/$krel/updates/rdmapolicy_snic.ko
0644 usr/lib/systemd/system/rdmapolicy.service
0644 usr/lib/systemd/system/rdmapolicyd.service
0755 usr/sbin/rdmapolicy
0755 usr/sbin/rdmapolicyd
0644 usr/share/bash-completion/completions/rdmapolicy
0644 usr/share/doc/rdmapolicy/examples/modprobe.d-rdmapolicy.conf
0644 usr/share/doc/rdmapolicy/examples/modules-load.d-rdmapolicy.conf
0644 usr/share/doc/rdmapolicy/examples/policy.rp
0644 usr/share/man/man8/rdmapolicy.8
0644 usr/share/man/man8/rdmapolicyd.8"
expect=$(sort -k2 <<<"$expect")

make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null
got=$(cd "$dest" && find . -type f -printf '%m %P\n' | sed 's/^\([0-7]\{3\}\) /0\1 /' | sort -k2)
[ "$got" = "$expect" ] ||
	fail "installed files differ from the list (-want +got):
$(diff <(echo "$expect") <(echo "$got") | grep '^[<>]' | sed 's/^</-/;s/^>/+/')"
left=$(grep -rl '@[A-Z]*@' "$dest/etc" "$dest/usr/lib" || true)
[ -z "$left" ] || fail "unreplaced @VARIABLE@ in $left"
grep -q '^ExecStart=/usr/sbin/rdmapolicy restore /etc/rdmapolicy/policy.rp$' \
	"$dest/usr/lib/systemd/system/rdmapolicy.service" ||
	fail "rdmapolicy.service does not run /usr/sbin/rdmapolicy restore"
grep -q '^ExecStart=/usr/sbin/rdmapolicyd $RDMAPOLICYD_OPTS$' \
	"$dest/usr/lib/systemd/system/rdmapolicyd.service" ||
	fail "rdmapolicyd.service does not run /usr/sbin/rdmapolicyd"
grep -q '^RDMAPOLICY = os.environ.get("RDMAPOLICY", "/usr/sbin/rdmapolicy")$' \
	"$dest/etc/libvirt/hooks/qemu.d/rdmapolicy" ||
	fail "the libvirt hook does not run /usr/sbin/rdmapolicy"
for ko in rdmapolicy rdmapolicy_snic; do
	v=$(modinfo -F vermagic "$dest/lib/modules/$krel/updates/$ko.ko" | cut -d' ' -f1)
	[ "$v" = "$krel" ] || fail "$ko.ko is built for $v, installed for $krel"
done

# the operator's policy survives a second install and the uninstall
echo "# edited" >> "$dest/etc/rdmapolicy/policy.rp"
make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null
grep -q '^# edited$' "$dest/etc/rdmapolicy/policy.rp" ||
	fail "a second make install overwrote /etc/rdmapolicy/policy.rp"
make -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null
left=$(cd "$dest" && find . -type f -printf '%P\n')
[ "$left" = etc/rdmapolicy/policy.rp ] ||
	fail "make uninstall left: $left"
if [ -n "${1:-}" ]; then
	make -s install DESTDIR="$1" PREFIX=/usr >/dev/null
fi
echo "install-check: $(wc -l <<<"$expect") files installed and uninstalled"
