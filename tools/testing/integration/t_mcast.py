# SPDX-License-Identifier: GPL-2.0
"""Multicast groups: rdma-core's mckey through group rules, one boot (the
3-VM topology of t_learn, so the pool hands its guests on) for every
scenario:

- with rules letting V1 send to 239.1.0.0/16 and V1 and V2 join it, mckey
  V1 -> V2 works; V3 may join nothing: its join is dropped and counted,
  and its mckey receiver gets nothing (the group's SENDs reach its port
  and are dropped there as mcast_no_member);
- V3 may not send: its mckey sends are dropped (mcast_send_denied, the
  NIC's mcast_denied) and V2's receiver gets nothing;
- forged: V3's IGMP join claiming V2's address is dropped as spoofed,
  V3's UD SENDs to the group from V1's address are dropped by the NIC as
  spoofed;
- without the rules (flushed: V2 leaves, V1's sends denied now) mckey is
  blocked, counted, with events.
"""

import json

import topo
from fixtures import host_stats, port_stats, setup_host, subtest, \
    wait_events
from rptest import check, wait_until

G, G2 = "239.1.1.1", "239.1.1.2"
POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add vm3 id 3 tenant 7 port eth2 mac 52:54:00:00:01:03 addr 10.10.0.3/32
rule add id 1 prio 100 from vm vm1 to group 239.1.0.0/16 qp ud allow send
rule add id 2 prio 100 from group 239.1.0.0/16 to vm vm1 qp ud allow send
rule add id 3 prio 100 from group 239.1.0.0/16 to vm vm2 qp ud allow send
"""
COUNT = 5


def receiver(v, n, group, timeout, tag):
    """mckey joining @group on V@n, in the background; its output and exit
    code in /tmp/mckey.TAG."""
    v.ok(f"(timeout {timeout} mckey -m {group} -b {topo.vm_ip(n)} "
         f"-C {COUNT} > /tmp/mckey.{tag} 2>&1; "
         f"echo rc=$? >> /tmp/mckey.{tag}) &")


def result(v, tag):
    """Wait for the background mckey TAG to end; its exit code, output."""
    v.wait_for(f"grep -q '^rc=' /tmp/mckey.{tag}", timeout=40,
               what=f"mckey {tag} done")
    out = v.ok(f"cat /tmp/mckey.{tag}")
    rc = int(out.strip().splitlines()[-1][3:])
    return rc, out


def send(v, n, group):
    return v.run(f"timeout 20 mckey -m {group} -b {topo.vm_ip(n)} -s "
                 f"-C {COUNT}", timeout=40)


def exc(h):
    return host_stats(h)["exception"]


def groups(h, kind):
    """{(vm, group)} of `rdmapolicy -j group show`'s members or senders"""
    return {(g["vm"], g["group"]) for g in
            json.loads(h.ok("rdmapolicy -j group show"))
            if g["kind"] == kind}


def diagnose(h, vs):
    """What the guests and H say of the groups, for a failure's log."""
    for i, v in enumerate(vs, 1):
        print(f"V{i}:", v.run("cat /tmp/mckey.* /proc/net/igmp; "
                              "ip maddr show dev eth0; ip route")[1])
    print("H:", h.run("bridge mdb show; rdmapolicy -s -s nic show; "
                      "cat /sys/kernel/debug/rdmapolicy_snic/ports")[1])


def test_mcast_debug(images):
    t = topo.start(images, "debug", vms=4)
    try:
        h, v1, v2, v3 = t["H"], t["V1"], t["V2"], t["V3"]
        vs = (v1, v2, v3)
        setup_host(h, POLICY)
        h.ok("rdmapolicy -j monitor > /tmp/events 2>&1 &")
        for v in vs:
            v.ok("ip route replace 224.0.0.0/4 dev eth0")
        st0, p0 = exc(h), port_stats(h)

        # at once: V2 and V3 join G, V2 joins G2; V1 sends to G, V3 to G2
        receiver(v2, 2, G, 30, "v2")
        receiver(v3, 3, G, 15, "v3")
        receiver(v2, 2, G2, 15, "v2b")
        try:
            wait_until(lambda: exc(h), lambda s: s["mcast_joined"] >=
                       st0["mcast_joined"] + 2 and s["mcast_join_denied"] >
                       st0["mcast_join_denied"], timeout=20,
                       what="V2's joins recorded, V3's denied")
        except Exception:
            diagnose(h, vs)
            raise
        # (mckey leaves when it ends: members are looked at now)
        members = groups(h, "member")
        v3.ok(f"(timeout 20 mckey -m {G2} -b {topo.vm_ip(3)} -s -C {COUNT}"
              " > /tmp/mckey.v3s 2>&1; echo rc=$? >> /tmp/mckey.v3s) &")
        rc, out = send(v1, 1, G)

        with subtest("mckey"):
            check(rc == 0, f"mckey sender V1 failed ({rc}):\n{out}")
            rc, out = result(v2, "v2")
            check(rc == 0, f"mckey receiver V2 failed ({rc}):\n{out}")
            st = exc(h)
            check(st["mcast_send_allowed"] > st0["mcast_send_allowed"],
                  f"V1's sends not decided: {st}")
            check({("vm2", G), ("vm2", G2)} <= members and
                  not [g for g in members if g[0] == "vm3"],
                  f"group show: members {members}")
            check(("vm1", G) in groups(h, "sender"),
                  "group show: V1 no sender")

        with subtest("not-joined"):
            rc, out = result(v3, "v3")
            check(rc != 0, f"V3 received without joining:\n{out}")
            p = port_stats(h)
            nm = p[("eth2", "to_vm")]["mcast_no_member"] - \
                p0[("eth2", "to_vm")]["mcast_no_member"]
            check(nm >= COUNT, f"V3's port dropped {nm} as no member")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "group denied" and e.get("reason") ==
                f"join {G}" and e.get("vm_id") == 3 for e in evs),
                what="group denied event (join)")

        with subtest("send-denied"):
            rc, out = result(v2, "v2b")
            check(rc != 0, f"V2 received V3's denied sends:\n{out}")
            result(v3, "v3s")
            st, p = exc(h), port_stats(h)
            check(st["mcast_send_denied"] > st0["mcast_send_denied"],
                  f"V3's sends not denied: {st}")
            d = p[("eth2", "from_vm")]["mcast_denied"] - \
                p0[("eth2", "from_vm")]["mcast_denied"]
            check(d >= COUNT, f"V3's port dropped {d} as denied")

        with subtest("forged"):
            st0, p0 = exc(h), port_stats(h)
            out = v3.ok(f"rp-inject -i eth0 -o igmp -s {topo.vm_ip(2)} "
                        "-d 239.1.1.3 -c 3")
            check(out.split()[-1] == "3", f"rp-inject: {out}")
            out = v3.ok(f"rp-inject -i eth0 -m 01:00:5e:01:01:01 -s "
                        f"{topo.vm_ip(1)} -d {G} -q 0xffffff -o ud -c 5")
            check(out.split()[-1] == "5", f"rp-inject: {out}")
            wait_until(lambda: exc(h)["spoofed"], lambda n:
                       n >= st0["spoofed"] + 3, timeout=20,
                       what="V3's IGMP join as V2 dropped as spoofed")
            wait_until(lambda: port_stats(h)[("eth2", "from_vm")]
                       ["data_spoofed"] - p0[("eth2", "from_vm")]
                       ["data_spoofed"], lambda d: d >= 5, timeout=20,
                       what="V3's UD SENDs as V1 dropped as spoofed")
            check(exc(h)["mcast_joined"] == st0["mcast_joined"],
                  "a forged join was recorded")
            check(("vm3", "239.1.1.3") not in groups(h, "member") and
                  ("vm2", "239.1.1.3") not in groups(h, "member"),
                  "a forged join shows in group show")

        with subtest("no-policy"):
            # V2 in the group when the rules go: it leaves, by policy
            st0 = exc(h)
            receiver(v2, 2, G, 12, "v2c")
            wait_until(lambda: exc(h)["mcast_joined"], lambda n:
                       n > st0["mcast_joined"], timeout=20,
                       what="V2's join")
            h.ok("rdmapolicy rule flush")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "group leave" and e.get("vm_id") == 2 and
                e.get("reason") == f"policy: denied now {G}" for e in evs),
                what="group leave event (policy)")
            check(not groups(h, "member"), "members left after the flush")
            st0, p0 = exc(h), port_stats(h)
            rc, out = send(v1, 1, G)
            wait_until(lambda: exc(h)["mcast_join_denied"], lambda n:
                       n > st0["mcast_join_denied"], timeout=10,
                       what="V1's join denied without rules")
            rc, out = result(v2, "v2c")
            check(rc != 0, f"mckey worked without a policy:\n{out}")
            p = port_stats(h)
            d = p[("eth0", "from_vm")]["mcast_denied"] - \
                p0[("eth0", "from_vm")]["mcast_denied"]
            check(d >= COUNT, f"V1's port dropped {d} as denied")

        for v in vs:
            v.ok("ip route del 224.0.0.0/4 dev eth0; true")
        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean()
    finally:
        t.stop()


TESTS = [("mcast-debug", test_mcast_debug)]
