# SPDX-License-Identifier: GPL-2.0
"""Error paths and NIC churn: an install the NIC fails (debugfs fault
injection) leaves the connection tracked but uninstalled, its data dropped
and counted; the next connection installs again; the NIC module unloaded
and loaded under a live connection gets it re-installed and the VM ports
bound again by the core, and the data flows through the flow check again;
the same when the NIC's device (snic0) is unbound from its driver and
bound again through sysfs with the module loaded; the PSN windows take up
where the NIC that went had got to (the connection's PSNs long past the
CM's starting ones), and a connection no NIC tracked PSNs of is installed
with them unchecked; nothing leaks (kmemleak)."""

import json

import topo
from fixtures import SNIC_DIR, conns, host_stats, port_stats, setup_host
from rptest import check, wait_until

SNIC_DRV = "/sys/bus/rdmapolicy_snic/drivers/rdmapolicy_snic"
# the NIC's PSN window: small, so that rping's PSNs soon pass it
WIN = 1024


def test_faults_debug(images):
    t = topo.start(images, "debug")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h, snic_args=f"psn_window={WIN}")
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
        rc, out = topo.rping_client(v1, "10.10.0.2", 3, timeout=30)
        check(rc == 0, f"rping after the fault:\n{out}")

        # the NIC goes and comes back under a live connection
        v1.ok("rping -c -a 10.10.0.2 -C 1000000 > /tmp/rc 2>&1 &")
        wait_until(lambda: conns(h),
                   lambda c: len(c) == 1 and c[0].get("installed"),
                   timeout=30, what="installed connection")
        check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "1", "NIC conns")
        # its requests' PSNs far past the CM's starting ones (more than
        # the window), as a long-lived connection's are
        c = conns(h)[0]
        start = c["psn_seen"]["req"]
        wait_until(lambda: conns(h)[0]["psn_seen"]["req"],
                   lambda p: (p - start) % (1 << 24) > 3 * WIN,
                   timeout=120, what="rping's PSNs past the window")
        insmod = "insmod /rp/modules/rdmapolicy_snic.ko psn_window="
        nic_back(h, v1, "rmmod rdmapolicy_snic", f"{insmod}{WIN}", "reload")
        # the same with the module loaded: its device unbound from the
        # driver and bound again, as an operator unbinds a NIC
        nic_back(h, v1, f"echo snic0 > {SNIC_DRV}/unbind",
                 f"echo snic0 > {SNIC_DRV}/bind", "unbind")
        check(h.run(f"echo snic0 > {SNIC_DRV}/bind")[0] != 0,
              "a bound NIC bound twice")
        # a NIC that tracks no PSNs, then one that does: the connection
        # is installed again with its PSNs unchecked (nobody knows them)
        nic_back(h, v1, "rmmod rdmapolicy_snic", f"{insmod}0", "no window")
        nic_back(h, v1, "rmmod rdmapolicy_snic", f"{insmod}{WIN}",
                 "window again")
        check("psn_seen" not in conns(h)[0],
              f"PSNs tracked from nowhere: {conns(h)[0]}")

        v1.ok("killall rping")
        wait_until(lambda: conns(h), lambda c: c == [], timeout=30,
                   what="connection gone")
        check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "0", "flows leaked")
        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


def nic_back(h, v1, down, up, what):
    """The NIC goes (down) and comes back (up) under a live, installed
    connection: it is installed again, the core binds the VM ports again,
    the data flows through the flow check with no drop, rping lives."""
    h.ok(down)
    check(h.run(f"test -e {SNIC_DIR}")[0] != 0, f"{what}: debugfs left")
    nics = json.loads(h.ok("rdmapolicy -j nic show"))
    check(nics == [], f"{what}: the core still has a NIC: {nics}")
    h.ok(up)
    check(h.ok(f"cat {SNIC_DIR}/conns").strip() == "1",
          f"{what}: established connection not re-installed")
    # the core bound the VM ports in the NIC as it registered
    check(set(port_stats(h)) == {("eth0", "from_vm"), ("eth0", "to_vm"),
                                 ("eth1", "from_vm"), ("eth1", "to_vm")},
          f"{what}: VM ports not bound on registration: {port_stats(h)}")
    bound = port_stats(h)
    wait_until(lambda: port_stats(h)[("eth0", "from_vm")],
               lambda s: s["data_pass"] >
               bound[("eth0", "from_vm")]["data_pass"] + 20,
               timeout=30, what=f"data through the NIC after {what}")
    ps = port_stats(h)
    check(all(ps[k][d] == bound[k][d] for k in ps
              for d in ("data_no_flow", "data_spoofed", "data_psn")),
          f"drops after {what}: {ps}")
    check(v1.run("pidof rping")[0] == 0, f"rping died across the {what}")


TESTS = [("faults-debug", test_faults_debug)]
