# SPDX-License-Identifier: GPL-2.0
"""Fixtures of the integration tests: a host set up with the modules and a
policy, readers of the NIC's and the core's counters, and subtests.

The ports of the emulated NIC (drivers/snic) are bound by the core: adding
a VM with `port` binds that netdev in every NIC registered with the shim,
and a NIC that registers later gets the VM ports bound as it does
(rp_nic_sync_ports(), rp_nic_bind_all()).  The NIC's debugfs file SNIC can
bind and unbind ports by hand; snic_bind() and snic_unbind() are for tests
that need a port hooked or not behind the core's back.

subtest(): one scenario of a test, reported on a line of its own
(`<test>/<scenario> ok|FAIL <seconds>`) and counted by run.py in the
closing "N passed, N failed"; a scenario that fails is reported and the
test goes on with the next one (the test as a whole fails).
"""

import contextlib
import json
import time
import traceback

from rptest import TestFail, check, wait_until

SNIC_DIR = "/sys/kernel/debug/rdmapolicy_snic"
SNIC = f"{SNIC_DIR}/ports"

# topo.start()'s V1 on H's eth0 and V2 on eth1, rping's port allowed
POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
rule add prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
"""


# -- host setup ------------------------------------------------------------

def load_modules(h, snic_args=""):
    h.ok("insmod /rp/modules/rdmapolicy.ko && "
         f"insmod /rp/modules/rdmapolicy_snic.ko {snic_args}")


def apply_policy(h, policy):
    """Write policy to /tmp/policy and load it with `rdmapolicy -b`."""
    h.ok(f"cat > /tmp/policy <<'EOF'\n{policy}EOF\nrdmapolicy -b /tmp/policy")


def setup_host(h, policy=POLICY, snic_args=""):
    """Load the core and the NIC, apply a policy.  The core binds the VM
    ports as the policy adds the VMs; the NIC must then hook exactly the
    ports of the host's (not remote) VMs."""
    load_modules(h, snic_args)
    apply_policy(h, policy)
    want = vm_ports(h)
    got = snic_ports(h)
    check(got == want, f"{h.name}: the NIC hooks {sorted(got)}, the VMs' "
          f"ports are {sorted(want)}")


def vm_ports(h):
    """The netdevs the configured VMs name as their ports."""
    return {p for vm in json.loads(h.ok("rdmapolicy -j vm show"))
            for p in vm["ports"]}


def snic_bind(h, ifname):
    """Hook a port in the NIC by hand (debugfs), not through the core."""
    h.ok(f"echo bind {ifname} > {SNIC}")


def snic_unbind(h, ifname):
    """Unhook a port in the NIC by hand (debugfs), behind the core's back."""
    h.ok(f"echo unbind {ifname} > {SNIC}")


# -- stats readers ---------------------------------------------------------

def host_stats(h):
    """The core's counters: `rdmapolicy -j -s stats`."""
    return json.loads(h.ok("rdmapolicy -j -s stats"))[0]


def port_stats(h):
    """{(ifname, dir): {counter: value}} from the NIC's debugfs file."""
    stats = {}
    for line in h.ok(f"cat {SNIC}").splitlines():
        f = line.split()
        stats[(f[0], f[1])] = {k: int(v) for k, v in
                               (kv.split("=") for kv in f[2:])}
    return stats


def snic_ports(h):
    """The ports the NIC hooks."""
    return {ifname for ifname, _ in port_stats(h)}


def conns(h):
    """The tracked connections: `rdmapolicy -j conn show`."""
    return json.loads(h.ok("rdmapolicy -j conn show"))


def monitor_events(h, path):
    """The events a `rdmapolicy -j monitor > path` wrote (one JSON array
    a line)."""
    events = []
    for ln in h.ok(f"cat {path}").splitlines():
        if not ln.strip():
            continue
        try:
            events += json.loads(ln)
        except ValueError:
            raise TestFail(f"not an event line in {path}: {ln!r}") from None
    return events


def wait_events(h, path, cond, timeout=10, what="monitor events"):
    """Events reach the monitor's file after the request that made them
    returned: wait until cond(events) holds; return the events."""
    return wait_until(lambda: monitor_events(h, path), cond,
                      timeout=timeout, what=what)


# -- subtests --------------------------------------------------------------

_test = ""          # name of the test run.py is running
_results = []       # (name, ok) of its subtests so far


def report(name, ok, seconds, why=""):
    """One result line as run.py prints it, the reason indented."""
    print(f"{name} {'ok' if ok else 'FAIL'} {seconds:.1f}s", flush=True)
    if not ok and why:
        print("    " + why.replace("\n", "\n    "), flush=True)


def begin_test(name):
    """run.py: name is about to run; forget earlier subtests."""
    global _test
    _test = name
    _results.clear()


def end_test():
    """run.py: the (name, ok, why) of each subtest the test ran."""
    res = list(_results)
    _results.clear()
    return res


@contextlib.contextmanager
def subtest(name):
    """with subtest("name"): a scenario, reported and counted; its failure
    is reported and does not stop the test."""
    full = f"{_test}/{name}" if _test else name
    t0 = time.monotonic()
    ok, why = True, ""
    try:
        yield
    except TestFail as e:
        ok, why = False, str(e)
    except Exception:
        ok, why = False, traceback.format_exc()
    report(full, ok, time.monotonic() - t0, why)
    _results.append((full, ok, why))
