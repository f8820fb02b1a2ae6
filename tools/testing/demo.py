#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make demo: boot the topology and show rdmapolicy at work, narrated.

Every command the demo runs in a guest is printed with the guest's name,
as an operator would type it.  Exits 0 only if everything happened as
narrated.
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rptest  # noqa: E402
import topo  # noqa: E402
from images import Images  # noqa: E402

POLICY = """\
# VMs of tenant 7 on this host, each behind its own port
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
# vm1 may connect to vm2's rping service (RDMA CM TCP port 7174)
rule add prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
# ... and to perftest (port 18515), with SEND and RDMA WRITE only
rule add prio 100 from vm vm1 to vm vm2 service tcp 18515 qp rc allow send,write
"""

T0 = time.monotonic()


def port_drops(h):
    """eth0's from_vm data_no_flow counter."""
    for line in h.ok("cat /sys/kernel/debug/rdmapolicy_snic/ports")\
            .splitlines():
        f = line.split()
        if f[:2] == ["eth0", "from_vm"]:
            return int(dict(kv.split("=") for kv in f[2:])["data_no_flow"])
    return -1


def say(text):
    print(f"\n[{time.monotonic() - T0:5.1f}s] {text}", flush=True)


def run(guest, cmd, timeout=60):
    print(f"  {guest.name}# {cmd}", flush=True)
    out = guest.ok(cmd, timeout=timeout)
    for line in out.rstrip().splitlines():
        print(f"    {line}")
    return out


def main():
    rptest.enter_netns()
    import tempfile
    images = Images(tempfile.mkdtemp(prefix="rdmapolicy-demo-"))
    say("Booting host H (Debian's stock kernel) and VMs vm1, vm2 under "
        "QEMU (TCG, takes ~10 s)...")
    t = topo.start(images, "stock")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        say("H bridges its VM-facing NICs eth0 (vm1's port) and eth1 "
            "(vm2's port). The VMs run soft-RoCE (rdma_rxe).")
        run(v1, "rdma link show")
        say("Load the modules on H as an operator would:")
        run(h, "insmod /rp/modules/rdmapolicy.ko && "
               "insmod /rp/modules/rdmapolicy_snic.ko && lsmod | grep rdma")
        say("Apply the sample policy with rdmapolicy -b:")
        h.ok(f"cat > /tmp/policy.rp <<'EOF'\n{POLICY}EOF")
        run(h, "cat /tmp/policy.rp")
        run(h, "rdmapolicy -b /tmp/policy.rp")
        run(h, "rdmapolicy vm show")
        run(h, "rdmapolicy rule show")
        run(h, "rdmapolicy -j stats")
        say("The VMs' ports are now hooked in the emulated SmartNIC (the "
            "policy engine binds every VM port it is told about):")
        run(h, "rdmapolicy nic show")
        say("Watch the policy engine's events in the background:")
        run(h, "rdmapolicy monitor > /tmp/events 2>&1 &")
        say("An allowed RDMA connection vm1 -> vm2 (rping, RDMA CM port "
            "7174). Its REQ and REP go to the exception path; once both "
            "are approved the SmartNIC installs the connection:")
        run(v2, "rping -s -a 10.10.0.2 -C 5 -v > /tmp/rping.s 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep -q LISTEN")
        run(v1, "rping -c -a 10.10.0.2 -C 100000 > /tmp/rping.c 2>&1 &")
        rptest.wait_until(lambda: h.ok("rdmapolicy conn show"),
                          lambda o: "established" in o, timeout=20,
                          what="established connection")
        run(h, "rdmapolicy conn show")
        conn = json.loads(h.ok("rdmapolicy -j conn show"))[0]
        qpn = conn["rep"]["qpn"]
        say(f"A forged RDMA WRITE: vm1 sends 5 frames to vm2's real QP "
            f"{qpn}, claiming a source address that is not its own "
            f"(tools/rp-inject, correct ICRC). The SmartNIC drops them "
            f"where they enter:")
        before = port_drops(h)
        run(v1, f"rp-inject -i eth0 -m 52:54:00:00:01:02 -s 10.10.0.66 "
                f"-d 10.10.0.2 -q {qpn} -o write -c 5")
        after = port_drops(h)
        print(f"    eth0 data_no_flow: {before} -> {after}")
        rptest.check(after - before == 5, "the forged frames were not "
                     "all dropped")
        say("vm1 closes the connection (DREQ/DREP); it is uninstalled:")
        run(v1, "killall rping")
        v2.run("killall rping")
        rptest.wait_until(lambda: h.ok("rdmapolicy conn show"),
                          lambda o: not o.strip(), timeout=20,
                          what="connection gone")
        say("RDMA WRITE bandwidth vm1 -> vm2 with perftest's ib_write_bw "
            "over RDMA CM (port 18515, send,write granted), through the "
            "SmartNIC's flow check:")
        print("  V1# ib_write_bw -R -d rxe0 -s 65536 -D 3 -F 10.10.0.2",
              flush=True)
        rc, out = topo.perftest(v2, v1, "ib_write_bw",
                                "-d rxe0 -s 65536 -D 3 -F")
        res = [ln for ln in out.splitlines()
               if ln.strip()[:1].isdigit() or "BW average" in ln]
        for line in res:
            print(f"    {line.strip()}")
        rptest.check(rc == 0 and res, f"ib_write_bw failed:\n{out}")
        say("A connection no rule allows (port 7000): H drops the REQ and "
            "answers vm1 with a CM REJ, so its connect fails at once:")
        run(v2, "rping -s -a 10.10.0.2 -p 7000 -C 1 > /tmp/rping.s2 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep -q ':7000'")
        t0 = time.monotonic()
        rc, out = v1.run("rping -c -a 10.10.0.2 -p 7000 -C 1 -v",
                         timeout=60)
        dt = time.monotonic() - t0
        print("  V1# rping -c -a 10.10.0.2 -p 7000 -C 1 -v")
        for line in out.rstrip().splitlines():
            print(f"    {line}")
        rptest.check(rc != 0 and "REJECTED" in out,
                     "the denied connection was not rejected")
        print(f"    (failed after {dt * 1000:.0f} ms: a REJ, not a timeout)")
        v2.run("killall rping")
        say("The data plane and the exception path counted it all "
            "(-s: the counters that moved; per VM port, both directions "
            "added up; -s -s shows every counter per direction):")
        run(h, "rdmapolicy -s nic show")
        run(h, "rdmapolicy -s stats")
        run(h, "rdmapolicy -s vm show")
        run(h, "rdmapolicy -s rule show")
        say("The events the monitor printed:")
        run(h, "killall rdmapolicy; cat /tmp/events")
        run(h, "rmmod rdmapolicy_snic && rmmod rdmapolicy")
        errs = h.console_errors()
        rptest.check(not errs, "kernel problems on H: " + "\n".join(errs))
        say("Demo finished: everything above happened as shown.")
    finally:
        t.stop()


if __name__ == "__main__":
    try:
        main()
    except rptest.TestFail as e:
        print(f"\ndemo FAILED: {e}")
        sys.exit(1)
