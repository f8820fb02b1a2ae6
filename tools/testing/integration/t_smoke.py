# SPDX-License-Identifier: GPL-2.0
"""Smoke: with V1 and V2 configured and a rule allowing V1 to reach V2's
rping service, the emulated SmartNIC on H's VM-facing NICs hands the CM
messages of a real rping to the exception path, which lets them through
flagged; the data passes; everything unloads cleanly."""

import json

import topo
from fixtures import SNIC, host_stats, port_stats, setup_host
from rptest import check, wait_until


def balanced(st):
    try:
        return all(st[(a, "from_vm")]["roce"] == st[(b, "to_vm")]["roce"]
                   for a, b in (("eth0", "eth1"), ("eth1", "eth0")))
    except KeyError:
        return False


def smoke_scenario(t, kmemleak):
    """The smoke scenario on a booted standard topology t (H without our
    modules, V1 and V2 idle; more VMs may hang off H): leaves H without
    our modules.  kmemleak: H's kernel has it (debug)."""
    h, v1, v2 = t["H"], t["V1"], t["V2"]
    setup_host(h)   # the core binds eth0 and eth1: vm1's and vm2's
    check(h.run(f"echo bind eth0 > {SNIC}")[0] != 0,
          "binding a bound port twice must fail")

    rc, out = topo.rping(v2, v1, topo.vm_ip(2), count=10)
    check(rc == 0, f"rping failed ({rc}):\n{out}")
    check(out.count("ping data") == 10,
          f"expected 10 rping replies:\n{out}")

    v2.wait_for("! pidof rping", what="rping server exit")
    # the last DREP may still be crossing H: wait until both
    # directions balance (what a port got from one VM is what the
    # other port sent towards the other VM)
    st = wait_until(lambda: port_stats(h), balanced, timeout=10,
                    what="counters of both ports balance")
    check(set(st) == {("eth0", "from_vm"), ("eth0", "to_vm"),
                      ("eth1", "from_vm"), ("eth1", "to_vm")},
          f"unexpected ports: {sorted(st)}")
    for key, c in st.items():
        check(c["roce"] > 0, f"{key}: no RoCEv2 packets counted: {c}")
        check(c["cm"] > 0, f"{key}: no CM packets counted: {c}")
        check(c["cm_dropped"] == 0, f"{key}: CM dropped: {c}")
        check(c["data_pass"] > 0, f"{key}: no data passed: {c}")
        bad = {k: v for k, v in c.items()
               if not k.startswith(("roce", "cm", "data_pass")) and v}
        check(not bad, f"{key}: malformed packets counted: {bad}")
    # decided where the VMs sent them, passed flagged where they left
    for port in ("eth0", "eth1"):
        check(st[(port, "from_vm")]["cm_punted"] ==
              st[(port, "from_vm")]["cm"], f"{port}: not all punted")
        check(st[(port, "to_vm")]["cm_flagged"] ==
              st[(port, "to_vm")]["cm"], f"{port}: not all flagged")
    # the shim's per-port counters (rdmapolicy nic show) are the NIC's
    nic = {(e["port"]["ifname"], d): e["port"][d]
           for e in json.loads(h.ok("rdmapolicy -j nic show"))
           for d in ("from_vm", "to_vm")}
    for key, c in st.items():
        check(nic[key]["pass"] == c["data_pass"] and
              nic[key]["cm"] == c["cm"] and
              nic[key]["no_flow"] == c["data_no_flow"],
              f"{key}: nic show {nic[key]} vs debugfs {c}")
    hs = host_stats(h)
    check(hs["decisions"] == 1 and hs["denied"] == 0 and
          hs["conns"] == 0, f"stats after one connection: {hs}")
    ex = hs["exception"]
    check(ex["cm_dropped"] == 0 and ex["spoofed"] == 0 and
          ex["malformed"] == 0 and ex["cm_flagged"] ==
          ex["cm_messages"], f"exception path: {ex}")

    h.ok("rmmod rdmapolicy_snic && rmmod rdmapolicy")
    check(h.run(f"test -e {SNIC}")[0] != 0, "debugfs left behind")
    h.check_clean(kmemleak=kmemleak)


def smoke(images, h_kernel):
    t = topo.start(images, h_kernel)
    try:
        smoke_scenario(t, kmemleak=h_kernel == "debug")
    finally:
        t.stop(keep=False)


def test_smoke_debug(images):
    smoke(images, "debug")


def test_smoke_stock(images):
    smoke(images, "stock")


# smoke-debug last: exception-debug takes over its topology (pool.py)
TESTS = [("smoke-stock", test_smoke_stock),
         ("smoke-debug", test_smoke_debug)]
