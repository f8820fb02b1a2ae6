# SPDX-License-Identifier: GPL-2.0
"""Smoke: with V1 and V2 configured and a rule allowing V1 to reach V2's
rping service, the emulated SmartNIC on H's VM-facing NICs hands the CM
messages of a real rping to the exception path, which lets them through
flagged; the data passes; everything unloads cleanly."""

import json

import topo
from rptest import check, wait_until

SNIC = "/sys/kernel/debug/rdmapolicy_snic/ports"

POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
rule add prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
"""


def setup_host(h, policy=POLICY, snic_args=""):
    """Load the modules, bind the VM ports, apply a policy."""
    h.ok("insmod /rp/modules/rdmapolicy.ko && "
         f"insmod /rp/modules/rdmapolicy_snic.ko {snic_args}")
    h.ok(f"echo bind eth0 > {SNIC} && echo bind eth1 > {SNIC}")
    h.ok(f"cat > /tmp/policy <<'EOF'\n{policy}EOF\nrdmapolicy -b /tmp/policy")


def host_stats(h):
    return json.loads(h.ok("rdmapolicy -j -s stats"))[0]


def port_stats(h):
    """{(ifname, dir): {counter: value}} from the NIC's debugfs file."""
    stats = {}
    for line in h.ok(f"cat {SNIC}").splitlines():
        f = line.split()
        stats[(f[0], f[1])] = {k: int(v) for k, v in
                               (kv.split("=") for kv in f[2:])}
    return stats


def balanced(st):
    try:
        return all(st[(a, "from_vm")]["roce"] == st[(b, "to_vm")]["roce"]
                   for a, b in (("eth0", "eth1"), ("eth1", "eth0")))
    except KeyError:
        return False


def smoke(images, h_kernel):
    t = topo.start(images, h_kernel)
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h)
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
        h.check_clean(kmemleak=h_kernel == "debug")
    finally:
        t.stop(keep=False)


def test_smoke_debug(images):
    smoke(images, "debug")


def test_smoke_stock(images):
    smoke(images, "stock")
