# SPDX-License-Identifier: GPL-2.0
"""rptest: QEMU guests for rdmapolicy tests.

A Guest is one QEMU TCG machine booted from a kernel and an initramfs made by
scripts/initramfs.sh.  The harness talks to it through a control agent on a
virtio-serial port (scripts/guest/agent): run() sends a shell script and
returns its exit status and output; wait_for() repeats a check until it
holds, so tests wait for conditions instead of sleeping.

A Topology wires guests together with QEMU unix datagram netdevs (one
socket pair per link, all on this machine) and boots them in parallel.
"""

import base64
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pool

# Console lines that mean a kernel bug, whichever test was running.
BAD_CONSOLE = re.compile(
    r"BUG:|WARNING:|Oops|KASAN:|UBSAN:|Kernel panic|unreferenced object|"
    r"possible (recursive|circular) locking|suspicious RCU usage|"
    r"sleeping function called from invalid context|general protection")


class TestFail(Exception):
    """A test's expectation did not hold."""


def check(cond, msg):
    if not cond:
        raise TestFail(msg)


def wait_until(probe, cond, timeout=10, interval=0.1, what="condition"):
    """Call probe() until cond(result) holds; return that result."""
    deadline = time.monotonic() + timeout
    while True:
        res = probe()
        if cond(res):
            return res
        if time.monotonic() > deadline:
            raise TestFail(f"never held: {what}; last: {res}")
        time.sleep(interval)


class BootFail(TestFail):
    """A guest died or hung while booting, before any test step ran in
    it (so before any module of ours was loaded)."""


class Guest:
    def __init__(self, name, kernel, initrd, workdir, mem=512, append="",
                 smp=1, icount=False):
        self.name = name
        # icount: the guest's clock advances one nanosecond per guest
        # instruction (make bench counts instructions with it)
        self.icount = icount
        self.kernel = kernel
        self.initrd = initrd
        self.mem = mem
        self.append = append
        self.smp = smp
        self.dir = workdir
        self.ctl_path = os.path.join(workdir, f"{name}.ctl")
        self.log_path = os.path.join(workdir, f"{name}.console")
        self.nics = []          # (netdev args, mac)
        self.proc = None
        self.sock = None
        self.buf = b""
        self.seq = 0
        self.console_pos = 0
        # where this test's part of the console starts (pool.py)
        self.console_base = 0

    def add_nic(self, local, remote, mac, dump=None):
        self.nics.append((local, remote, mac, dump))

    def qemu_cmd(self):
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", str(self.mem),
               "-smp", str(self.smp), "-nodefaults", "-display", "none",
               "-no-reboot",
               "-monitor", "none", "-kernel", self.kernel,
               "-initrd", self.initrd,
               "-append", "console=ttyS0 panic=-1 oops=panic "
               f"rp.name={self.name} {self.append}".strip(),
               "-serial", f"file:{self.log_path}",
               "-device", "virtio-serial-pci",
               "-chardev", f"socket,id=ctl,path={self.ctl_path},"
               "server=on,wait=off",
               "-device", "virtserialport,chardev=ctl,name=rp.ctl"]
        if self.icount:
            cmd += ["-icount", "shift=0,align=off,sleep=off"]
        for i, (local, remote, mac, dump) in enumerate(self.nics):
            cmd += ["-netdev", f"dgram,id=n{i},local.type=unix,"
                    f"local.path={local},remote.type=unix,"
                    f"remote.path={remote}",
                    "-device", f"virtio-net-pci,netdev=n{i},mac={mac}"]
            if dump:    # every frame of this NIC, both ways, as pcap
                cmd += ["-object", f"filter-dump,id=fd{i},netdev=n{i},"
                        f"file={dump}"]
        return cmd

    def start(self):
        self.t_start = time.monotonic()
        self.proc = subprocess.Popen(
            self.qemu_cmd(), stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(self.dir, f"{self.name}.qemu"), "w"),
            stderr=subprocess.STDOUT)

    def _connect(self, deadline):
        while True:
            if self.proc.poll() is not None:
                raise BootFail(f"{self.name}: QEMU exited "
                               f"({self.proc.returncode}) before the agent "
                               f"answered\n{self.console_tail()}")
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.ctl_path)
                self.sock = s
                return
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
            if time.monotonic() > deadline:
                raise BootFail(f"{self.name}: control socket never appeared")
            time.sleep(0.05)

    def connect(self, timeout=120):
        if not self.sock:
            self._connect(time.monotonic() + timeout)

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        self.connect(timeout)
        try:
            self.run("true", timeout=max(1, deadline - time.monotonic()))
        except TestFail as e:
            raise BootFail(str(e)) from None
        self.boot_seconds = time.monotonic() - self.t_start

    def _readline(self, deadline, what):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFail(f"{self.name}: timed out: {what}")
            if self.proc.poll() is not None:
                raise TestFail(f"{self.name}: QEMU exited during: {what}\n"
                               f"{self.console_tail()}")
            self.sock.settimeout(min(left, 0.5))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                data = b""      # QEMU went away with our request unread
            if not data:
                raise TestFail(f"{self.name}: control channel closed "
                               f"during: {what}\n{self.console_tail()}")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace")

    def run(self, script, timeout=60, check=False):
        """Run a shell script in the guest; return (status, output)."""
        self.seq += 1
        tag = f"c{self.seq}"
        payload = base64.b64encode(script.encode()).decode()
        self.sock.sendall(f"{tag} {payload}\n".encode())
        t0 = time.monotonic()
        deadline = t0 + timeout
        while True:
            line = self._readline(deadline, script)
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[0] == "@@RP" and parts[1] == tag:
                out = base64.b64decode(parts[3]).decode(errors="replace") \
                    if len(parts) == 4 else ""
                rc = int(parts[2])
                _trace(self.name, script, rc, time.monotonic() - t0)
                if check and rc != 0:
                    raise TestFail(f"{self.name}: `{script}` exited {rc}:\n"
                                   f"{out}")
                return rc, out

    def ok(self, script, timeout=60):
        """Run a script that must succeed; return its output."""
        return self.run(script, timeout, check=True)[1]

    def wait_for(self, script, timeout=30, interval=0.1, what=None):
        """Repeat a check script until it exits 0."""
        deadline = time.monotonic() + timeout
        while True:
            rc, out = self.run(script, timeout=max(1, deadline -
                                                   time.monotonic()))
            if rc == 0:
                return out
            if time.monotonic() > deadline:
                raise TestFail(f"{self.name}: condition never held: "
                               f"{what or script}\nlast output:\n{out}")
            time.sleep(interval)

    def console(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[self.console_base:]
        except FileNotFoundError:
            return ""

    def console_tail(self, n=30):
        return "\n".join(self.console().splitlines()[-n:])

    def console_errors(self):
        return [ln for ln in self.console().splitlines()
                if BAD_CONSOLE.search(ln)]

    def check_clean(self, kmemleak=False):
        """The kernel reported no bug on the console; with kmemleak (debug
        kernel), no leak either.  kmemleak reports only objects older
        than 5 s, hence the wait."""
        if kmemleak:
            leaks = self.ok("sleep 6; echo scan > /sys/kernel/debug/kmemleak;"
                            " cat /sys/kernel/debug/kmemleak", timeout=120)
            check(not leaks.strip(), f"{self.name} kmemleak:\n{leaks}")
        errs = self.console_errors()
        check(not errs, f"{self.name} console:\n" + "\n".join(errs))

    def stop(self):
        if self.sock:
            self.sock.close()
            self.sock = None
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# RP_TRACE=S: print every guest command that took S seconds or more (where
# a test's time goes)
TRACE = float(os.environ.get("RP_TRACE") or "inf")


def _trace(name, script, rc, seconds):
    if seconds >= TRACE:
        print(f"    [trace] {name} {seconds:.1f}s rc={rc}: "
              f"{' '.join(script.split())[:100]}", flush=True)


class Topology:
    """Guests joined by point-to-point links; start() boots them all."""

    def __init__(self, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="rptest-")
        self.guests = {}
        self.links = 0

    def add(self, name, kernel, initrd, **kw):
        g = Guest(name, kernel, initrd, self.dir, **kw)
        self.guests[name] = g
        return g

    def link(self, a, b, mac_a, mac_b, dump_b=None):
        """A cable between a NIC of guest a and a NIC of guest b;
        dump_b: a pcap file of all that b's NIC sends and receives."""
        self.links += 1
        pa = os.path.join(self.dir, f"l{self.links}a.sock")
        pb = os.path.join(self.dir, f"l{self.links}b.sock")
        self.guests[a].add_nic(pa, pb, mac_a)
        self.guests[b].add_nic(pb, pa, mac_b, dump_b)

    def start(self, timeout=180):
        pool.evict()
        for g in self.guests.values():
            g.start()
        for g in self.guests.values():
            g.connect(timeout)
        for g in self.guests.values():
            g.wait_ready(timeout)
        _trace(",".join(self.guests), "(boot)", 0,
               max(g.boot_seconds for g in self.guests.values()))

    def __getitem__(self, name):
        return self.guests[name]

    def stop(self, keep=False):
        """The test is done with the guests: pool.py may keep them for the
        next test (unless keep: a failing test's consoles are kept)."""
        if not keep and pool.park(self):
            return
        self.stop_guests(keep)

    def stop_guests(self, keep=False):
        for g in self.guests.values():
            g.stop()
        if keep or os.environ.get("RP_KEEP") == "1":
            print(f"    guest consoles kept in {self.dir}", flush=True)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def enter_netns():
    """Re-exec into a private network namespace with a deep unix datagram
    queue (QEMU's dgram netdevs drop frames with the default of 10)."""
    if os.environ.get("RP_NETNS") != "1":
        os.environ["RP_NETNS"] = "1"
        import sys
        os.execvp("unshare", ["unshare", "-n", sys.executable] + sys.argv)
    with open("/proc/sys/net/unix/max_dgram_qlen", "w") as f:
        f.write("1024")
