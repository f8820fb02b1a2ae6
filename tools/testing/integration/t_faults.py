# SPDX-License-Identifier: GPL-2.0
"""Error paths and NIC churn: an install the NIC fails (debugfs fault
injection) leaves the connection tracked but uninstalled, its data dropped
and counted; the next connection installs again; the NIC module unloaded
and loaded under a live connection gets it re-installed and the VM ports
bound again by the core, and the data flows through the flow check again;
nothing leaks (kmemleak)."""

import topo
from fixtures import SNIC_DIR, conns, host_stats, port_stats, setup_host
from rptest import check, wait_until


def test_faults_debug(images):
    t = topo.start(images, "debug")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h)
        v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")

        # the NIC fails the next install
        h.ok(f"echo 1 > {SNIC_DIR}/fail_install")
        rc, out = v1.run("timeout 30 rping -c -a 10.10.0.2 -C 3 -v",
                         timeout=60)
        check(rc != 0, f"rping passed without an installed connection:\n"
              f"{out}")
        st = host_stats(h)
        check(st["exception"]["install_failed"] == 1, f"stats: {st}")
        wait_until(lambda: port_stats(h),
                   lambda ps: ps[("eth0", "from_vm")]["data_no_flow"] +
                   ps[("eth1", "from_vm")]["data_no_flow"] > 0,
                   timeout=10, what="data of the uninstalled connection "
                   "dropped")
        check(h.ok(f"cat {SNIC_DIR}/fail_install").strip() == "0",
              "fault not consumed")
        wait_until(lambda: conns(h), lambda c: c == [], timeout=60,
                   what="failed connection forgotten")

        # the next one installs
        rc, out = v1.run("timeout 30 rping -c -a 10.10.0.2 -C 3 -v",
                         timeout=60)
        check(rc == 0, f"rping after the fault:\n{out}")

        # the NIC goes and comes back under a live connection
        v1.ok("rping -c -a 10.10.0.2 -C 1000000 > /tmp/rc 2>&1 &")
        wait_until(lambda: conns(h),
                   lambda c: len(c) == 1 and c[0].get("installed"),
                   timeout=30, what="installed connection")
        check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "1", "NIC conns")
        h.ok("rmmod rdmapolicy_snic")
        check(h.run(f"test -e {SNIC_DIR}")[0] != 0, "debugfs left")
        h.ok("insmod /rp/modules/rdmapolicy_snic.ko")
        check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "1",
              "established connection not re-installed")
        # the core bound the VM ports in the NIC as it registered
        check(set(port_stats(h)) == {("eth0", "from_vm"), ("eth0", "to_vm"),
                                     ("eth1", "from_vm"), ("eth1", "to_vm")},
              f"VM ports not bound on registration: {port_stats(h)}")
        bound = port_stats(h)
        wait_until(lambda: port_stats(h)[("eth0", "from_vm")],
                   lambda s: s["data_pass"] >
                   bound[("eth0", "from_vm")]["data_pass"] + 20,
                   timeout=30, what="data through the reloaded NIC")
        ps = port_stats(h)
        check(all(ps[k]["data_no_flow"] == bound[k]["data_no_flow"] and
                  ps[k]["data_spoofed"] == bound[k]["data_spoofed"]
                  for k in ps), f"drops after reload: {ps}")
        check(v1.run("pidof rping")[0] == 0, "rping died across the reload")

        v1.ok("killall rping")
        wait_until(lambda: conns(h), lambda c: c == [], timeout=30,
                   what="connection gone")
        check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "0", "flows leaked")
        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


TESTS = [("faults-debug", test_faults_debug)]
