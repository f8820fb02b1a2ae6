#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make demo-cluster: two hypervisor hosts converge to a policy pushed to
etcd (Documentation/cluster.rst), narrated as make demo is (every command
printed with its guest's name).  Exits 0 only if everything happened as
narrated.
"""

import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, "integration"))

import rptest  # noqa: E402
import t_cluster  # noqa: E402
import topo  # noqa: E402
from demo import run, say  # noqa: E402
from images import Images  # noqa: E402

URL = t_cluster.URL


def main():
    rptest.enter_netns()
    images = Images(tempfile.mkdtemp(prefix="rdmapolicy-demo-"))
    say("Booting hosts H1 and H2 (stock kernel), joined by an uplink, "
        "with vm1 on H1 and vm2 on H2, under QEMU (TCG)...")
    t = topo.start_two_hosts(images, "stock", cluster=True)
    try:
        h1, h2, v1, v2 = t["H1"], t["H2"], t["V1"], t["V2"]
        for i, h in ((1, h1), (2, h2)):
            h.ok(f"ip addr add 10.99.0.{i}/24 dev br0 && "
                 "insmod /rp/modules/rdmapolicy.ko && "
                 "insmod /rp/modules/rdmapolicy_snic.ko")
        say("etcd, Debian's etcd-server, runs in H1 (one member, on the "
            "hosts' management address 10.99.0.1):")
        run(h1, t_cluster.ETCD)
        h2.wait_for(f"rdmapolicyd -e {URL} status", timeout=60,
                    what="etcd answering")
        say("rdmapolicyd on each host, watching the cluster's keys:")
        for h in (h1, h2):
            run(h, t_cluster.DAEMON.format(h=h.name))
        for h in (h1, h2):
            h.wait_for("grep -q 'watching from' /tmp/rdmapolicyd.log",
                       timeout=30, what=f"{h.name}'s daemon watching")
        say("The operator writes one policy for the whole cluster and "
            "pushes it in one etcd transaction:")
        h1.ok(f"cat > /tmp/cluster.rp <<'EOF'\n{t_cluster.ALLOW}EOF")
        run(h1, "cat /tmp/cluster.rp")
        t0 = time.monotonic()
        run(h1, f"RDMAPOLICYD_ENDPOINT={URL} rdmapolicy cluster push "
                "/tmp/cluster.rp")
        h1.wait_for(f"rdmapolicyd -e {URL} status", timeout=60,
                    what="both hosts applied")
        say(f"Both hosts applied it ({time.monotonic() - t0:.1f} s after "
            "the push, as seen from here):")
        run(h1, f"RDMAPOLICYD_ENDPOINT={URL} rdmapolicy cluster status")
        say("Each host's own part: its VM local (with its port), the "
            "other host's remote:")
        for h in (h1, h2):
            run(h, "rdmapolicy vm show")
        say("vm1 -> vm2 over RDMA (rping) is allowed on both hosts and "
            "installed in both NICs:")
        run(v2, "rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
        run(v1, "rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1 &")
        for h in (h1, h2):
            rptest.wait_until(lambda: json.loads(
                h.ok("rdmapolicy -j conn show")), lambda c: len(c) == 1 and
                c[0].get("installed"), timeout=30,
                what=f"{h.name}: connection installed")
            run(h, "rdmapolicy conn show")
        say("A new policy without the rping rule revokes the connection "
            "on both hosts:")
        h1.ok(f"cat > /tmp/cluster.rp <<'EOF'\n{t_cluster.REVOKE}EOF")
        t0 = time.monotonic()
        run(h1, f"RDMAPOLICYD_ENDPOINT={URL} rdmapolicy cluster push "
                "/tmp/cluster.rp")
        for h in (h1, h2):
            rptest.wait_until(lambda: h.ok("rdmapolicy -j conn show"),
                              lambda o: json.loads(o) == [], timeout=30,
                              what=f"{h.name}: connection gone")
        say(f"Gone from both hosts {time.monotonic() - t0:.1f} s after the "
            "push:")
        for h in (h1, h2):
            run(h, "rdmapolicy conn show; rdmapolicy rule show")
        h1.wait_for(f"rdmapolicyd -e {URL} status", timeout=60,
                    what="both hosts applied")
        run(h1, f"RDMAPOLICYD_ENDPOINT={URL} rdmapolicy cluster status")
        say("What the daemons logged, one line per event:")
        for h in (h1, h2):
            run(h, "cat /tmp/rdmapolicyd.log")
        v1.run("killall rping")
        v2.run("killall rping")
        for h in (h1, h2):
            errs = h.console_errors()
            rptest.check(not errs, f"kernel problems on {h.name}:\n" +
                         "\n".join(errs))
    finally:
        t.stop()
    say("demo-cluster: ok")


if __name__ == "__main__":
    try:
        main()
    except rptest.TestFail as e:
        print(f"\ndemo-cluster FAILED: {e}")
        sys.exit(1)
