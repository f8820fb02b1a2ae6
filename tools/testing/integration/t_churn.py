# SPDX-License-Identifier: GPL-2.0
"""Policy changes and unloads under traffic (H on the debug kernel).

- While ib_send_bw runs from V1 to V2: deleting the allowing rule,
  tightening its rights, or deleting V2's VM uninstalls the connection;
  V2 gets no more data within 1 s (measured on H from the moment the
  command starts), a "conn destroyed" event names the reason, and
  `conn show` no longer lists it (a deleted VM's port is unbound too).
- rmmod of the NIC and then of the core while rping carries data: no oops;
  the VMs' traffic then flows unfiltered (rping goes on); reloading and
  `rdmapolicy -b` enforce again: the connection that was set up while we
  were gone is unknown and its data is dropped, a new connect is decided.
- RP_CHURN_CYCLES (5) load / bind / policy / connect / unload cycles
  with rping traffic running; then no leak (kmemleak), nothing on the
  console (KASAN, lockdep).  (make soak runs many more.)
"""

import os

import topo
from fixtures import SNIC, conns, port_stats, setup_host, wait_events
from rptest import TestFail, check, wait_until

POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
rule add id 1 prio 100 from vm vm1 to prefix 10.10.0.2/32 service tcp 18515 qp rc allow send
rule add id 2 prio 100 from vm vm1 to prefix 10.10.0.2/32 service tcp 7174 qp rc allow send,write,read reply send,write,read
"""
RULE1 = ("from vm vm1 to prefix 10.10.0.2/32 service tcp 18515 qp rc "
         "allow send")
VM2 = "vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32"
DATE = "/usr/bin/date +%s%N"
PERF = "-d rxe0 -s 64 -D 60 -F"
CYCLES = int(os.environ.get("RP_CHURN_CYCLES", "5"))


def send_bw(h, v1, v2):
    """ib_send_bw -R from V1 to V2, running; its connection on H."""
    def installed():
        cs = [c for c in conns(h) if c["service"]["port"] == 18515 and
              c.get("installed")]
        # a client whose connect was refused (perftest's server rejects
        # at times) is not waited for until the timeout
        if not cs and v1.run("pidof ib_send_bw")[0] != 0:
            raise TestFail("the client exited: " +
                           v1.run("tail -n 3 /tmp/sc")[1].strip())
        return cs

    for attempt in range(5):
        v2.ok(f"ib_send_bw -R {PERF} > /tmp/ss 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':18515'")
        v1.ok(f"ib_send_bw -R {PERF} 10.10.0.2 > /tmp/sc 2>&1 &")
        try:
            cs = wait_until(installed, lambda cs: cs, timeout=30,
                            what="ib_send_bw connected")
            to_v2 = port_stats(h)[("eth1", "to_vm")]["data_pass"]
            wait_until(lambda: port_stats(h)[("eth1", "to_vm")]["data_pass"],
                       lambda n: n > to_v2 + 50, timeout=30,
                       what="ib_send_bw data reaching V2")
            return cs[0]
        except TestFail as e:
            print(f"    ib_send_bw, attempt {attempt + 1}: {e}", flush=True)
            v1.run("killall ib_send_bw")
            v2.run("killall ib_send_bw")
            v2.wait_for("! pidof ib_send_bw")
    raise TestFail("ib_send_bw did not connect")


# V1's data let through (eth0 from_vm data_pass; eth1, V2's port, goes
# with V2's VM) with shell builtins only, so that sampling leaves the vCPU
# to the command under test: "<uptime> <n>"
SAMPLE = (
    "read up _ < /proc/uptime; "
    "while read ifn dir rest; do [ \"$ifn $dir\" = \"eth0 from_vm\" ] && "
    "for kv in $rest; do case $kv in data_pass=*) n=${kv#data_pass=};; "
    f"esac; done; done < {SNIC}; echo \"$up $n\"")


def stop_after(h, cmd):
    """Run cmd on H while a sampler records what of V1's data H lets
    through towards V2.
    Returns (ms from cmd's start until V1's data to V2 stopped passing, ms
    cmd took, whether the count was final when cmd returned).  The stop
    lies between the last sample that still grew and the next one; the
    upper end is returned (also bounded by cmd's return, if the count was
    final then)."""
    h.ok(f"(while :; do {SAMPLE}; done > /tmp/samples) & "
         "echo $! > /tmp/sampler")
    out = h.ok(f"sleep 1; read t0 _ < /proc/uptime; {cmd} >/dev/null; "
               f"{SAMPLE}; sleep 2; kill $(cat /tmp/sampler); echo $t0")
    lines = out.strip().split("\n")
    t0 = float(lines[-1].split()[0])
    t1, n1 = lines[-2].split()
    samples = [(float(a), int(b)) for a, b in
               (ln.split() for ln in h.ok("cat /tmp/samples").splitlines()
                if len(ln.split()) == 2)]
    final = samples[-1][1]
    check(any(n < final for t, n in samples if t < t0),
          f"no data reached V2 before `{cmd}`: {samples}")
    last = max(i for i, (t, n) in enumerate(samples) if n != final)
    stop = samples[last + 1][0]
    if int(n1) == final:
        stop = min(stop, float(t1))
    return (round((stop - t0) * 1000), round((float(t1) - t0) * 1000),
            int(n1) == final)


def change(h, v1, v2, cmd, reason, undo):
    c = send_bw(h, v1, v2)
    ms, took, final = stop_after(h, cmd)
    print(f"    {cmd.split(' id')[0].split(' vm2')[0]}: V1's data to V2 stopped "
          f"<= {ms} ms after the command started (it took {took} ms)")
    # the connection is uninstalled before the netlink request returns:
    # nothing passes once the command is back (how long the command takes
    # under TCG is a measurement, printed above, not a test)
    check(final, f"V1's data still reached V2 after `{cmd}` returned "
          f"(it stopped {ms} ms after the command started)")
    check(all(x["id"] != c["id"] for x in conns(h)),
          f"connection {c['id']} still listed after `{cmd}`")
    def destroyed(evs):
        return any(e["event"] == "conn destroyed" and
                   e.get("reason") == reason for e in evs)

    # (the event reaches the monitor's file after the command returned)
    evs = wait_events(h, "/tmp/events", destroyed,
                      what=f"destroyed event with reason {reason!r}")
    check(destroyed(evs), f"no destroyed event with reason {reason!r}: "
          f"{evs}")
    v1.run("killall ib_send_bw")
    v2.run("killall ib_send_bw")
    v2.wait_for("! pidof ib_send_bw")
    h.ok(undo)


def test_churn_debug(images):
    t = topo.start(images, "debug")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h, POLICY)
        h.ok("rdmapolicy -j monitor > /tmp/events 2>&1 &")

        change(h, v1, v2, "rdmapolicy rule del id 1", "policy: denied now",
               f"rdmapolicy rule add id 1 prio 100 {RULE1}")
        change(h, v1, v2, f"rdmapolicy rule change id 1 prio 100 "
               f"{RULE1.replace('allow send', 'allow write')}",
               "policy: fewer rights now",
               f"rdmapolicy rule change id 1 prio 100 {RULE1}")
        change(h, v1, v2, "rdmapolicy vm del vm2", "vm removed",
               f"rdmapolicy vm add {VM2}")
        h.ok("killall rdmapolicy; true")

        # unload under traffic: unfiltered while gone, enforced again after
        v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
        v1.ok("rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1 &")
        wait_until(lambda: conns(h), lambda c: any(
            x["service"]["port"] == 7174 and x.get("installed") for x in c),
            timeout=30, what="rping connected")
        h.ok("rmmod rdmapolicy_snic && rmmod rdmapolicy")
        # rping now runs unfiltered: still alive and connected after a
        # second restart of its QP's traffic
        h.ok("sleep 2")
        check(v1.run("pidof rping")[0] == 0, "rping died with no module")
        setup_host(h, POLICY)

        # whichever side sends next (V1's SEND retries, V2's READs) is
        # dropped: it belongs to no connection we know
        def no_flow(s):
            return sum(s[(p, "from_vm")]["data_no_flow"]
                       for p in ("eth0", "eth1"))

        # (the NIC's counters started at 0 when it was loaded)
        wait_until(lambda: no_flow(port_stats(h)), lambda n: n > 3,
                   timeout=30,
                   what="the unknown rping connection's data dropped")
        v1.run("killall rping")
        v2.run("killall rping")
        v2.wait_for("! pidof rping")
        rc, out = topo.rping(v2, v1, topo.vm_ip(2), count=3)
        check(rc == 0, f"rping after the reload:\n{out}")
        rc, out = v1.run("timeout 30 rping -c -a 10.10.0.2 -p 7000 -C 1",
                         timeout=60)
        check(rc != 0 and "REJECTED" in out, f"denied connect:\n{out}")
        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")

        # CYCLES cycles, each unloading under a live rping
        v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
        # (a client in a loop: V2's rping -P server rejects a connect at
        # times, and one refused connect must not end the cycle's traffic)
        for i in range(CYCLES):
            setup_host(h, POLICY)
            v1.ok("(touch /tmp/loop; while [ -e /tmp/loop ]; do rping -c "
                  "-a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1; sleep 0.2; "
                  "done) > /dev/null 2>&1 &")
            wait_until(lambda: port_stats(h)[("eth1", "to_vm")]["data_pass"],
                       lambda n: n > 10, timeout=30,
                       what=f"cycle {i}: rping data through the NIC")
            h.ok("rmmod rdmapolicy_snic && rmmod rdmapolicy")
            # (a client the loop started just before the rm is killed by
            # a later poll)
            v1.run("rm -f /tmp/loop")
            v1.wait_for("killall rping 2>/dev/null; sleep 0.3; "
                        "! pidof rping")
        print(f"    {CYCLES} load/unload cycles under rping traffic")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


TESTS = [("churn-debug", test_churn_debug)]
