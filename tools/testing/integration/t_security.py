# SPDX-License-Identifier: GPL-2.0
"""Security audit (issue 11) regressions that need host guest H.

sec2-userns: an unprivileged user's own user and network namespaces
(unshare -Urn) give it CAP_NET_ADMIN there, which must not be enough to
configure the engine unless rdmapolicy.userns_admin=1 says so.

sec12-reads: connection details (QPNs, PSNs) and the events group are for
admins only; counts and the configuration stay readable."""

from rptest import check
from topo import start_host

RP = "rdmapolicy"
NOBODY = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"
# an unprivileged user, root in a user namespace of its own that owns a
# network namespace of its own (busybox unshare; -r implies -U)
USERNS = f"{NOBODY} unshare -r -n"
# iproute2's ip: busybox sh would run its own applet
VETH = "/usr/sbin/ip link add veth0 type veth peer name veth1"
PARAM = "/sys/module/rdmapolicy/parameters/userns_admin"


def fails(h, cmd, expect_msg):
    """cmd must exit non-zero with a message containing expect_msg."""
    rc, out = h.run(cmd)
    check(rc != 0, f"`{cmd}` succeeded:\n{out}")
    check(expect_msg in out,
          f"`{cmd}`: expected a message with {expect_msg!r}, got:\n{out}")


def host(images):
    t, h = start_host(images, "debug")
    try:
        h.ok("insmod /rp/modules/rdmapolicy.ko")
    except BaseException:
        t.stop(keep=True)
        raise
    return t, h


def test_sec2_userns_debug(images):
    t, h = host(images)
    try:
        # the namespaces work and make nobody root (with caps) in them
        out = h.ok(f"{USERNS} sh -c 'id -u; grep CapEff /proc/self/status'")
        check(out.split()[0] == "0" and
              out.split()[-1].strip("0") != "",
              f"unshare -r -n gave no root: {out!r}")

        # default: the namespace's admin may not configure, nor may root
        # of the initial namespace once inside a user namespace
        for who in (USERNS, "unshare -r -n"):
            fails(h, f"{who} {RP} vm add x id 99",
                  "Operation not permitted")
            fails(h, f"{who} sh -c '{VETH} && {RP} vm add x id 99 "
                  "port veth0'",
                  "initial user namespace")
            for cmd in ("rule add deny", "flush", "conn flush",
                        "restore /dev/null"):
                fails(h, f"{who} {RP} {cmd}", "Operation not permitted")
        # the real admin may
        h.ok(f"{RP} vm add x id 99 && {RP} vm del x")

        # opted in: the namespace's admin configures its own namespace
        h.ok(f"echo 1 > {PARAM}")
        out = h.ok(f"{USERNS} sh -c '{VETH} && "
                   f"{RP} vm add x id 99 port veth0 && {RP} vm show'")
        check("x id 99" in out and "port veth0" in out,
              f"userns_admin=1: namespace admin refused: {out!r}")
        # and still not an unprivileged user without the namespaces
        fails(h, f"{NOBODY} {RP} vm add x id 99", "Operation not permitted")
        h.ok(f"echo 0 > {PARAM}")
        check(h.ok(f"{RP} vm show").strip() == "",
              "the namespace's VM showed in the initial namespace")

        h.ok("rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


def test_sec12_reads_debug(images):
    t, h = host(images)
    try:
        h.ok(f"{RP} vm add a id 1 tenant 1 addr 10.0.0.1/32 && "
             f"{RP} vm add b id 2 tenant 1 addr 10.0.0.2/32 && "
             f"{RP} rule add from vm a to vm b allow send")
        # connection details: admins only, in every namespace
        h.ok(f"{RP} conn show")
        fails(h, f"{NOBODY} {RP} conn show", "Operation not permitted")
        fails(h, f"{NOBODY} {RP} -j conn show", "Operation not permitted")
        fails(h, f"{USERNS} {RP} conn show", "Operation not permitted")
        h.ok(f"echo 1 > {PARAM} && {USERNS} {RP} conn show && "
             f"echo 0 > {PARAM}")
        # the events group: admins only (a group's flag can only ask for
        # CAP_NET_ADMIN over the namespace, see Documentation/netlink.rst)
        fails(h, f"timeout 5 {NOBODY} {RP} monitor",
              "cannot join the events group: Operation not permitted")
        # an admin's monitor gets its (right-sized) events
        h.ok(f"{RP} -j monitor > /tmp/mon 2>&1 & echo $! > /tmp/mon.pid")
        h.wait_for(f"{RP} vm add c id 3 && {RP} vm del c && "
                   "grep -q '\"vm del\"' /tmp/mon", what="vm del event")
        h.ok("kill $(cat /tmp/mon.pid)")
        # counts and the configuration stay public
        for cmd in ("stats", "vm show", "rule show", "nic show", "save"):
            h.ok(f"{NOBODY} {RP} {cmd}")
        h.ok(f"{RP} flush && rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


TESTS = [("sec2-userns-debug", test_sec2_userns_debug),
         ("sec12-reads-debug", test_sec12_reads_debug)]
