# SPDX-License-Identifier: GPL-2.0
"""Installing rdmapolicy on a hypervisor host.

install-destdir  `make install DESTDIR=...` installs exactly the expected
                 files and `make uninstall` removes them
                 (scripts/install-check.sh; no guest)
dkms-SERIES      `dkms build` against Debian's headers of that kernel
                 series, in a scratch DKMS tree (scripts/dkms-check.sh;
                 no guest); one entry of DKMS_KERNELS per series
libvirt-hook-stock
                 the installed libvirt hook, fed domain XML samples
                 (integration/libvirt/*.xml: tap, vhost-net with our
                 metadata, macvtap) in host guest H, the result read back
                 from `rdmapolicy -j vm show`
service-stock    the installed rdmapolicy.service's ExecStart and
                 ExecReload commands, parsed from the unit and run in H:
                 restore, refusal of a bad file leaving the running
                 configuration alone, reload

The guest tests use the files of a DESTDIR install (staged()), so they run
what `make install` installs."""

import base64
import json
import os
import subprocess
import tempfile

import topo
from fixtures import apply_policy, load_modules, snic_ports, subtest, \
    vm_ports
from rptest import TestFail, check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "libvirt")
HOOK = "/etc/libvirt/hooks/qemu.d/rdmapolicy"
UNIT = "/usr/lib/systemd/system/rdmapolicy.service"
POLICY_RP = "/etc/rdmapolicy/policy.rp"

# Kernel series `dkms build` is checked against (Debian's
# linux-headers-SERIES.*-amd64 must be installed: scripts/setup.sh).
DKMS_KERNELS = ("6.1", "6.12")

_staged = []        # the DESTDIR of this run's install, once made


def sh(*cmd):
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if res.returncode:
        raise TestFail(f"`{' '.join(cmd)}` exited {res.returncode}:\n"
                       f"{res.stdout}{res.stderr}")
    return res.stdout


def staged():
    """A DESTDIR with this checkout installed in it (PREFIX=/usr), after
    install-check.sh checked its file list."""
    if not _staged:
        dest = tempfile.mkdtemp(prefix="rdmapolicy-destdir-")
        sh("scripts/install-check.sh", dest)
        _staged.append(dest)
    return _staged[0]


def push(h, src, dst, mode=0o644):
    """Copy a file of this machine to dst in guest h."""
    with open(src, "rb") as f:
        data = base64.b64encode(f.read()).decode()
    h.ok(f"mkdir -p {os.path.dirname(dst)} && "
         f"echo {data} | base64 -d > {dst} && chmod {mode:o} {dst}")


def install_destdir(images):
    """The check, and the DESTDIR the guest tests use (one install-check
    run does both)."""
    if _staged:
        raise TestFail("installed already")
    dest = tempfile.mkdtemp(prefix="rdmapolicy-destdir-")
    print("    " + sh("scripts/install-check.sh", dest).strip())
    _staged.append(dest)


def dkms(series):
    print("    " + sh("scripts/dkms-check.sh", series).strip())


# -- the libvirt hook --------------------------------------------------------

HOOK_POLICY = """\
vm add web1 id 1 tenant 7 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add db1 id 2 tenant 7 port vnet9 addr 10.10.0.2/32
vm add web2 id 3 tenant 7 addr 10.10.0.3/32
rule add prio 100 from tenant 7 to tenant 7 service tcp 18515-18520 qp rc allow send,write,read
"""


def add_taps(h, names, up=True):
    """Tap netdevs as libvirt makes them (iproute2's ip: busybox's has no
    tuntap)."""
    h.ok("modprobe tun && { [ -e /dev/net/tun ] || { mkdir -p /dev/net && "
         "mknod /dev/net/tun c 10 200; }; } && for t in " + " ".join(names) +
         "; do /usr/sbin/ip tuntap add $t mode tap || exit 1; " +
         ("/usr/sbin/ip link set $t up || exit 1; " if up else "") + "done")


def ports(h):
    return {vm["name"]: vm["ports"]
            for vm in json.loads(h.ok("rdmapolicy -j vm show"))}


def hook(h, domain, op, sub, sample):
    """Run the hook as libvirt does: DOMAIN OP SUB-OP EXTRA, XML on
    stdin."""
    return h.run(f"{HOOK} {domain} {op} {sub} - < /tmp/{sample}")


def hook_ok(h, domain, op, sub, sample):
    rc, out = hook(h, domain, op, sub, sample)
    check(rc == 0, f"hook {domain} {op} {sub} exited {rc}:\n{out}")
    return out


def nic_hooks_vm_ports(h):
    check(snic_ports(h) == vm_ports(h),
          f"the NIC hooks {sorted(snic_ports(h))}, the VMs' ports are "
          f"{sorted(vm_ports(h))}")


def libvirt_hook(images):
    dest = staged()
    t, h = topo.start_host(images, "stock", mem=512, python=True)
    try:
        load_modules(h)
        push(h, dest + HOOK, HOOK, 0o755)
        h.ok("ln -sf /usr/bin/rdmapolicy /usr/sbin/rdmapolicy")
        for x in sorted(os.listdir(SAMPLES)):
            push(h, os.path.join(SAMPLES, x), f"/tmp/{x}")
        # libvirt creates a domain's taps before QEMU starts (vnet9: a
        # port left from before)
        add_taps(h, ["vnet0", "vnet1", "vnet2", "vnet3", "vnet9"])
        apply_policy(h, HOOK_POLICY)

        with subtest("tap"):
            hook_ok(h, "web1", "prepare", "begin", "tap.xml")
            check(ports(h)["web1"] == [], "prepare bound ports")
            out = hook_ok(h, "web1", "started", "begin", "tap.xml")
            check(ports(h)["web1"] == ["vnet0", "vnet1"],
                  f"web1's ports after started: {ports(h)}\n{out}")
            nic_hooks_vm_ports(h)

        with subtest("vhost-net-metadata"):
            # domain db1-prod, VM db1 named in <metadata>; vnet9 replaced
            hook_ok(h, "db1-prod", "prepare", "begin", "vhost-net.xml")
            out = hook_ok(h, "db1-prod", "started", "begin",
                          "vhost-net.xml")
            check(ports(h)["db1"] == ["vnet2"],
                  f"db1's ports after started: {ports(h)}\n{out}")
            check("hostdev" in out and "not bound" in out,
                  f"the hostdev interface is not logged:\n{out}")
            nic_hooks_vm_ports(h)

        with subtest("macvtap"):
            before = h.ok("rdmapolicy save")
            for op in ("prepare", "started"):
                rc, out = hook(h, "web2", op, "begin", "macvtap.xml")
                check(rc == 1, f"{op}: a macvtap domain exited {rc}:\n{out}")
                check("macvtap" in out and "refused" in out,
                      f"{op}: no reason logged:\n{out}")
            check(h.ok("rdmapolicy save") == before,
                  "a refused domain changed the configuration")

        with subtest("not-ours"):
            h.ok("sed 's|<name>web1</name>|<name>other</name>|' "
                 "/tmp/tap.xml > /tmp/other.xml")
            before = h.ok("rdmapolicy save")
            for op, sub in (("prepare", "begin"), ("started", "begin"),
                            ("release", "end")):
                hook_ok(h, "other", op, sub, "other.xml")
            check(h.ok("rdmapolicy save") == before,
                  "a domain with no VM changed the configuration")

        with subtest("release"):
            # web1's taps are still there (managed='no'): the hook takes
            # them off; db1's tap is gone, as libvirt deletes it
            hook_ok(h, "web1", "stopped", "end", "tap.xml")
            hook_ok(h, "web1", "release", "end", "tap.xml")
            h.ok("/usr/sbin/ip link del vnet2")
            hook_ok(h, "db1-prod", "stopped", "end", "vhost-net.xml")
            hook_ok(h, "db1-prod", "release", "end", "vhost-net.xml")
            check(ports(h) == {"web1": [], "db1": [], "web2": []},
                  f"ports after release: {ports(h)}")
            check(len(json.loads(h.ok("rdmapolicy -j rule show"))) == 1,
                  "release lost the rule")
            nic_hooks_vm_ports(h)

        with subtest("reconnect"):
            hook_ok(h, "web1", "reconnect", "begin", "tap.xml")
            check(ports(h)["web1"] == ["vnet0", "vnet1"],
                  f"web1's ports after reconnect: {ports(h)}")
        h.check_clean()
    finally:
        t.stop()


# -- the systemd unit --------------------------------------------------------

def unit_commands(path, key):
    """The commands of a unit's KEY= lines ([Service]), in order, as
    (ignore failure, command line)."""
    cmds, section = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[Service]" and line.startswith(key + "="):
                cmd = line[len(key) + 1:]
                ignore = cmd.startswith("-")
                cmds.append((ignore, cmd.lstrip("-@+!:")))
    check(cmds, f"{path}: no {key}= line")
    return cmds


def run_unit(h, cmds):
    """Run the commands as systemd would: in order, stopping at the first
    failure not marked '-'; returns (status, output of the failure)."""
    for ignore, cmd in cmds:
        rc, out = h.run(cmd)
        if rc and not ignore:
            return rc, f"`{cmd}` exited {rc}:\n{out}"
    return 0, ""


GOOD = """\
vm add web1 id 10 tenant 7 port vnet0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add db1 id 11 tenant 7 port vnet1 addr 10.10.0.2/32
rule add prio 100 from tenant 7 to tenant 7 service tcp 18515-18520 qp rc allow send,write,read
"""
GOOD2 = GOOD.replace("vm add db1 id 11 tenant 7 port vnet1",
                     "vm add db1 id 11 tenant 8 port vnet1") + \
    "rule add prio 50 from vm web1 to vm db1 deny\n"
# "vm ad": does not parse, and the lines before it must not apply either
BAD_PARSE = GOOD2 + "vm ad web3 id 12\n"
# parses, the kernel refuses it (no such netdev)
BAD_KERNEL = GOOD2.replace("port vnet1", "port vnet7")


def summary(h):
    vms = json.loads(h.ok("rdmapolicy -j vm show"))
    rules = json.loads(h.ok("rdmapolicy -j rule show"))
    return ([(v["name"], v["tenant"], v["ports"]) for v in vms],
            [(r["prio"], r["action"]) for r in rules])


def readme_commands():
    """The rdmapolicy commands README's install section shows, in order
    (continuation lines joined)."""
    with open(os.path.join(ROOT, "README")) as f:
        text = f.read()
    sect = text.split("Installing on a hypervisor host\n", 1)[1]
    sect = sect.split("\n-----", 1)[0].replace("\\\n", " ")
    cmds = [" ".join(ln.split()) for ln in sect.splitlines()
            if ln.startswith("    rdmapolicy ")]
    check(cmds, "README: no rdmapolicy command in the install section")
    return cmds


def service(images):
    dest = staged()
    start = unit_commands(dest + UNIT, "ExecStart")
    reload = unit_commands(dest + UNIT, "ExecReload")
    t, h = topo.start_host(images, "stock")
    try:
        # what make install does on the host: modules in updates/, depmod
        h.ok("d=/lib/modules/$(uname -r)/updates && mkdir -p $d && "
             "cp /rp/modules/rdmapolicy.ko /rp/modules/rdmapolicy_snic.ko "
             "$d/ && /sbin/depmod -a")
        h.ok("ln -sf /usr/bin/rdmapolicy /usr/sbin/rdmapolicy")
        push(h, dest + POLICY_RP, POLICY_RP)
        add_taps(h, ["vnet0", "vnet1"], up=False)

        def policy(text):
            h.ok(f"cat > {POLICY_RP} <<'EOF'\n{text}EOF")

        with subtest("start-default"):
            # the policy.rp make install puts in place: comments only
            rc, why = run_unit(h, start)
            check(rc == 0, why)
            h.ok("lsmod | grep -q '^rdmapolicy ' && "
                 "lsmod | grep -q '^rdmapolicy_snic '")
            check(summary(h) == ([], []), f"not empty: {summary(h)}")

        with subtest("start"):
            policy(GOOD)
            rc, why = run_unit(h, start)
            check(rc == 0, why)
            want = ([("web1", 7, ["vnet0"]), ("db1", 7, ["vnet1"])],
                    [(100, "allow")])
            check(summary(h) == want, f"after start: {summary(h)}")
            check(snic_ports(h) == {"vnet0", "vnet1"},
                  f"the NIC hooks {snic_ports(h)}")

        for name, text in (("refuse-parse", BAD_PARSE),
                           ("refuse-kernel", BAD_KERNEL), ("refuse-missing",
                                                           None)):
            with subtest(name):
                before = h.ok("rdmapolicy save")
                if text is None:
                    h.ok(f"mv {POLICY_RP} {POLICY_RP}.away")
                else:
                    policy(text)
                for what, cmds in (("ExecStart", start),
                                   ("ExecReload", reload)):
                    rc, why = run_unit(h, cmds)
                    check(rc != 0, f"{what} accepted a bad {POLICY_RP}")
                    check(h.ok("rdmapolicy save") == before,
                          f"{what} with a bad file changed the "
                          f"configuration ({why})")
                if text is None:
                    h.ok(f"mv {POLICY_RP}.away {POLICY_RP}")

        with subtest("reload"):
            policy(GOOD2)
            rc, why = run_unit(h, reload)
            check(rc == 0, why)
            want = ([("web1", 7, ["vnet0"]), ("db1", 8, ["vnet1"])],
                    [(50, "deny"), (100, "allow")])
            check(summary(h) == want, f"after reload: {summary(h)}")

        with subtest("readme"):
            # README's first VM and rule, saved to policy.rp, come back
            # with a reload
            h.ok("rdmapolicy flush")
            cmds = readme_commands()
            for cmd in cmds:
                h.ok(cmd)
            saved = summary(h)
            nvm = sum(c.startswith("rdmapolicy vm add") for c in cmds)
            nrule = sum(c.startswith("rdmapolicy rule add") for c in cmds)
            check(len(saved[0]) == nvm and len(saved[1]) == nrule,
                  f"README's commands made {saved}, from {cmds}")
            h.ok("rdmapolicy flush")
            rc, why = run_unit(h, reload)
            check(rc == 0, why)
            check(summary(h) == saved, f"after reload: {summary(h)}, "
                  f"saved {saved}")
        h.check_clean()
    finally:
        t.stop()


TESTS = [("install-destdir", install_destdir)] + \
    [(f"dkms-{k}", lambda images, k=k: dkms(k)) for k in DKMS_KERNELS] + \
    [("libvirt-hook-stock", libvirt_hook), ("service-stock", service)]
