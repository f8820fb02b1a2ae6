# SPDX-License-Identifier: GPL-2.0
"""The cluster's configuration from etcd (Documentation/cluster.rst).

The two-host topology (V1 on H1, V2 on H2); etcd runs as a real server
in H1 (one member, on a test address of the hosts' bridges), rdmapolicyd
on both hosts.  One boot, subtests in order:

  converge  a pushed policy is applied by both hosts (their reported
            revisions equal the push's) and V1 -> V2 rping works
  revoke    a policy without the rule removes the installed connection
            on both hosts (the time from push is printed, bound loose)
  refuse    a policy H2's kernel refuses (a port H2 lacks): H2 reports
            the kernel's message and keeps its configuration, H1 applies
  etcd      etcd killed and started again: H1's daemon resumes its
            watch and applies the next push; H2's, stopped meanwhile
            while the store was compacted past its revision, reads
            everything again, applies the push, renews its lease
  restart   a daemon restarted applies nothing (the kernel's generation
            stays) and reports the revision again; so does --once
"""

import json
import time

import topo
from fixtures import conns, load_modules, subtest
from rptest import check, wait_until

URL = "http://10.99.0.1:2379"
ETCD = ("etcd --name h1 --data-dir /tmp/etcd "
        f"--listen-client-urls {URL} --advertise-client-urls {URL} "
        "--listen-peer-urls http://127.0.0.1:2380 "
        "--initial-advertise-peer-urls http://127.0.0.1:2380 "
        "--initial-cluster h1=http://127.0.0.1:2380 "
        ">>/tmp/etcd.log 2>&1 &")
DAEMON = (f"rdmapolicyd -e {URL} -H {{h}} --ttl 6 "
          ">>/tmp/rdmapolicyd.log 2>&1 & echo $! > /tmp/rdmapolicyd.pid")

VMS = """\
vm add vm1 id 1 tenant 7 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 addr 10.10.0.2/32
"""
HOSTS = """\
host H1 vm vm1 port eth0 mac 52:54:00:00:01:01
host H2 vm vm2 port eth0 mac 52:54:00:00:01:02
"""
RPING = ("rule add id 1 prio 100 from vm vm1 to vm vm2 service tcp 7174 "
         "qp rc allow send,write,read reply send,write,read\n")
OTHER = ("rule add id 2 prio 100 from vm vm1 to vm vm2 service tcp 7000 "
         "qp rc allow send\n")
ALLOW = VMS + HOSTS + RPING
REVOKE = VMS + HOSTS + OTHER
# H2's VM port is one H2 does not have: H2's kernel refuses the lot
REFUSED = VMS + HOSTS.replace("vm2 port eth0", "vm2 port nosuch0") + \
    RPING + OTHER


def push(h, policy):
    """Push a cluster policy file from host h; its etcd revision."""
    out = h.ok(f"cat > /tmp/cluster.rp <<'EOF'\n{policy}EOF\n"
               f"rdmapolicyd -e {URL} push /tmp/cluster.rp")
    return int(out.split()[-1])


def status(h):
    """{host: report} from `rdmapolicyd status -j`."""
    rc, out = h.run(f"rdmapolicyd -e {URL} status -j")
    check(rc in (0, 3), f"status failed ({rc}): {out}")
    return {r["host"]: r for r in json.loads(out.splitlines()[-1])}


def converged(h, rev, hosts=("H1", "H2"), timeout=60):
    """Wait until every host in hosts reports revision rev, ok."""
    return wait_until(lambda: status(h), lambda s: all(
        s.get(n, {}).get("revision") == rev and
        s[n].get("status") == "ok" for n in hosts), timeout=timeout,
        interval=0.2, what=f"{hosts} applied revision {rev}")


def rules(h):
    return sorted(r["id"] for r in json.loads(h.ok("rdmapolicy -j rule show")))


def generation(h):
    return json.loads(h.ok("rdmapolicy -j stats"))[0]["generation"]


def log(h):
    return h.ok("cat /tmp/rdmapolicyd.log")


def test_cluster(images):
    # two VMs a host: t_overlay takes the topology over after this test
    t = topo.start_two_hosts(images, "stock", cluster=True, per_host=2)
    try:
        h1, h2, v1, v2 = t["H1"], t["H2"], t["V1"], t["V2"]
        for i, h in ((1, h1), (2, h2)):
            h.ok(f"ip addr add 10.99.0.{i}/24 dev br0")
            load_modules(h)
        h1.ok(ETCD)
        h2.wait_for(f"rdmapolicyd -e {URL} status", timeout=60,
                    what="etcd answering")
        for h in (h1, h2):
            h.ok(DAEMON.format(h=h.name))
        for h in (h1, h2):
            h.wait_for("grep -q 'watching from' /tmp/rdmapolicyd.log",
                       timeout=30, what=f"{h.name}'s daemon watching")

        with subtest("converge"):
            t0 = time.monotonic()
            rev = push(h1, ALLOW)
            converged(h1, rev)
            dt = time.monotonic() - t0
            print(f"    push to both hosts applied: {dt:.2f} s "
                  f"(revision {rev})")
            for h in (h1, h2):
                check(rules(h) == [1], f"{h.name}: rules {rules(h)}")
            v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
            v2.wait_for("rdma res show cm_id | grep LISTEN | "
                        "grep -q ':7174'")
            v1.ok("rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1 &")
            for h in (h1, h2):
                wait_until(lambda: conns(h), lambda c: len(c) == 1 and
                           c[0].get("installed"), timeout=30,
                           what=f"{h.name}: connection installed")

        with subtest("revoke"):
            t0 = time.monotonic()
            rev = push(h1, REVOKE)
            for h in (h1, h2):
                wait_until(lambda: conns(h), lambda c: c == [], timeout=30,
                           interval=0.2, what=f"{h.name}: connection gone")
            dt = time.monotonic() - t0
            converged(h1, rev)
            print(f"    push to the connection removed on both: {dt:.2f} s")
            check(dt < 20, f"revoked after {dt:.1f} s")
            v1.run("killall rping")
            v2.run("killall rping")

        with subtest("refuse"):
            g2 = generation(h2)
            rev = push(h1, REFUSED)
            converged(h1, rev, hosts=("H1",))
            st = wait_until(lambda: status(h1), lambda s: s.get(
                "H2", {}).get("failed_revision") == rev, timeout=30,
                what="H2 reports the refused revision")["H2"]
            check(st["status"] == "error" and
                  "RP_A_VM_PORT: no such netdev" in st["error"] and
                  st["revision"] < rev, f"H2's report: {st}")
            print(f"    H2: {st['error']}")
            check(rules(h1) == [1, 2], f"H1: rules {rules(h1)}")
            check(rules(h2) == [2] and generation(h2) == g2,
                  f"H2 changed: rules {rules(h2)}, generation "
                  f"{generation(h2)} (was {g2})")

        with subtest("etcd"):
            # H2's daemon sleeps through the outage, a push and a
            # compaction: it must find its watch's revision compacted
            h2.ok("kill -STOP $(cat /tmp/rdmapolicyd.pid)")
            h1.ok("kill $(pidof etcd); while pidof etcd; do sleep 0.1; done")
            h1.wait_for("grep -q 'etcd: .*retrying' /tmp/rdmapolicyd.log",
                        timeout=30, what="H1 lost etcd")
            h1.ok(ETCD)
            h1.wait_for("grep -q 'etcd: back' /tmp/rdmapolicyd.log",
                        timeout=60, what="H1 back on etcd")
            rev = push(h1, ALLOW)
            converged(h1, rev, hosts=("H1",))
            h1.ok(f"busybox wget -q -O- --post-data '{{\"revision\": "
                  f"\"{rev}\"}}' {URL}/v3/kv/compaction")
            h2.ok("kill -CONT $(cat /tmp/rdmapolicyd.pid)")
            converged(h1, rev)
            h2.ok("grep -q 'was compacted: reading everything again' "
                  "/tmp/rdmapolicyd.log")
            for h in (h1, h2):
                check(rules(h) == [1], f"{h.name}: rules {rules(h)}")

        with subtest("restart"):
            g1 = generation(h1)
            h1.ok("kill $(cat /tmp/rdmapolicyd.pid); "
                  "while kill -0 $(cat /tmp/rdmapolicyd.pid) 2>/dev/null; "
                  "do sleep 0.1; done")
            h1.ok("> /tmp/rdmapolicyd.log")
            h1.ok(DAEMON.format(h="H1"))
            h1.wait_for(f"grep -q 'state: the kernel has revision {rev} ' "
                        "/tmp/rdmapolicyd.log", timeout=30,
                        what="H1 found its configuration applied")
            converged(h1, rev)
            check(generation(h1) == g1 and "applied (" not in log(h1),
                  f"H1's kernel changed: generation {generation(h1)} "
                  f"(was {g1}):\n{log(h1)}")
            # --once without the daemon: nothing to do, exit 0
            g2 = generation(h2)
            h2.ok("kill $(cat /tmp/rdmapolicyd.pid); "
                  "while kill -0 $(cat /tmp/rdmapolicyd.pid) 2>/dev/null; "
                  "do sleep 0.1; done")
            out = h2.ok(f"rdmapolicyd -e {URL} -H H2 --ttl 2 --once 2>&1")
            check(generation(h2) == g2 and "applied (" not in out and
                  f"state: the kernel has revision {rev} " in out,
                  f"H2 --once:\n{out}")

        for h in (h1, h2):
            print("\n".join(f"    {h.name}: {line}"
                            for line in log(h).splitlines()[-4:]))
            h.ok("kill $(cat /tmp/rdmapolicyd.pid) 2>/dev/null; "
                 "rdmapolicy flush && rmmod rdmapolicy_snic && "
                 "rmmod rdmapolicy")
            h.check_clean()
        # as booted, for the next test (t_overlay) to take over
        for i, h in ((1, h1), (2, h2)):
            h.ok(f"ip addr del 10.99.0.{i}/24 dev br0")
    finally:
        t.stop()


TESTS = [("cluster-stock", test_cluster)]
