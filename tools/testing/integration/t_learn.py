# SPDX-License-Identifier: GPL-2.0
"""Learned flows: QPs set up without RDMA CM (QP numbers swapped over TCP)
work through a `setup any` rule, one boot for every scenario:

- the rdma-core and perftest clients that set their QPs up over TCP
  (ibv_rc/uc/ud/srq_pingpong, ib_send_bw, ib_write_bw, ib_read_bw,
  ib_send_lat, no -R) complete V1 -> V2, each a subtest, and their flows
  show in `conn show -j` as state learned, setup learned, both ways;
- forged data: V3 sending as V1 on a learned flow's key is dropped by the
  NIC as spoofed; V1 and V3 sending first packets from an address not
  theirs are dropped by the core as spoofed (learn_spoofed);
- learned flows expire when idle, with an event;
- with the rule back to `setup cm` (learned flows are opt-in) a pingpong
  is refused: counted (learn_denied, the VM's denied) with a
  `conn denied` event whose reason says setup learned.
"""

import topo
from fixtures import conns, host_stats, port_stats, setup_host, subtest, \
    wait_events
from rptest import check, wait_until

RULE = "from vm vm1 to vm vm2 setup {} allow send,write,read"
POLICY = f"""\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add vm3 id 3 tenant 7 port eth2 mac 52:54:00:00:01:03 addr 10.10.0.3/32
rule add id 1 prio 100 {RULE.format("any")}
"""

# (tool, its arguments but the GID index) with small counts; the
# pingpongs' UD/SRQ variants need a message that fits rxe's MTU
PP = "-d rxe0 -n 20"
PERF = "-d rxe0 -n 20 -F"
TOOLS = [
    ("ibv_rc_pingpong", PP, "-g"),
    ("ibv_uc_pingpong", PP, "-g"),
    ("ibv_ud_pingpong", PP + " -s 512", "-g"),
    ("ibv_srq_pingpong", PP + " -q 2", "-g"),
    ("ib_send_bw", PERF + " -s 4096", "-x"),
    ("ib_write_bw", PERF + " -s 4096", "-x"),
    ("ib_read_bw", PERF + " -s 4096", "-x"),
    ("ib_send_lat", PERF + " -s 64", "-x"),
]


def gid_index(v):
    """The index of the VM's IPv4 (v4-mapped) GID: the one whose source
    address the VM owns."""
    for i in range(8):
        rc, g = v.run(f"cat /sys/class/infiniband/rxe0/ports/1/gids/{i}")
        if rc == 0 and g.strip().startswith("0000:0000:0000:0000:0000:ffff"):
            return i
    raise AssertionError("no IPv4 GID on rxe0")


def run_tool(v1, v2, tool, args, timeout=40):
    """tool's server on V2, its client on V1 (QP info over TCP)."""
    v2.ok(f"{tool} {args} > /tmp/{tool}.s 2>&1 &")
    v2.wait_for("netstat -ltn | grep -q ':18515 '", what=f"{tool} listening")
    rc, out = v1.run(f"timeout {timeout} {tool} {args} {topo.vm_ip(2)}",
                     timeout=timeout + 20)
    v2.run(f"killall {tool}; true")
    v2.wait_for(f"! pidof {tool}", what=f"{tool} server gone")
    return rc, out


def learned(cs):
    return [c for c in cs if c.get("setup") == "learned"]


def test_learn_debug(images):
    t = topo.start(images, "debug", vms=4)
    try:
        h, v1, v2, v3 = t["H"], t["V1"], t["V2"], t["V3"]
        setup_host(h, POLICY)
        h.ok("rdmapolicy -j monitor > /tmp/events 2>&1 &")
        g1, g2 = gid_index(v1), gid_index(v2)
        check(g1 == g2, f"GID indexes differ: {g1} {g2}")

        for tool, args, gopt in TOOLS:
            with subtest(tool):
                before = {c["id"] for c in learned(conns(h))}
                rc, out = run_tool(v1, v2, tool, f"{args} {gopt} {g1}")
                check(rc == 0, f"{tool} failed ({rc}):\n{out}")
                new = [c for c in learned(conns(h)) if c["id"] not in before]
                fwd = [c for c in new if c["req"]["vm"] == "vm1"]
                back = [c for c in new if c["req"]["vm"] == "vm2"]
                check(fwd and back and
                      all(c["state"] == "learned" and c["installed"]
                          for c in new),
                      f"{tool}: learned flows V1->V2 and back: {new}")
                qp = "ud" if "_ud_" in tool else \
                     "uc" if "_uc_" in tool else "rc"
                check(all(c["qp"] == qp for c in new),
                      f"{tool}: QP type {qp}: {new}")

        with subtest("spoofed"):
            flows = [c for c in learned(conns(h)) if c["req"]["vm"] == "vm1"]
            check(flows, "no learned flow V1->V2 left")
            q = flows[-1]["rep"]["qpn"]
            before = port_stats(h)
            st0 = host_stats(h)["exception"]
            out = v3.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} "
                        f"-s 10.10.0.1 -d 10.10.0.2 -q {q} -o send -c 20")
            check(int(out.split()[-1]) == 20, f"rp-inject: {out}")
            wait_until(lambda: port_stats(h)[("eth2", "from_vm")]
                       ["data_spoofed"] - before[("eth2", "from_vm")]
                       ["data_spoofed"], lambda d: d >= 20, timeout=20,
                       what="V3's forged frames dropped as spoofed")
            # first packets from addresses not the sender's: the core
            for v, src in ((v3, "10.10.0.1"), (v1, "10.10.0.5")):
                v.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} -s {src} "
                     f"-d 10.10.0.2 -q {q + 4096} -o send -c 5")
            wait_until(lambda: host_stats(h)["exception"]["learn_spoofed"],
                       lambda n: n >= st0["learn_spoofed"] + 2, timeout=20,
                       what="first packets with forged sources refused")
            check(not [c for c in learned(conns(h))
                       if c["rep"]["qpn"] == q + 4096],
                  "a flow was learned from a forged source")

        with subtest("expire"):
            h.ok("echo 1 > /sys/module/rdmapolicy/parameters/"
                 "learn_idle_timeout")
            wait_until(lambda: learned(conns(h)), lambda cs: not cs,
                       timeout=20, what="idle learned flows gone")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "conn destroyed" and
                e.get("reason") == "timeout: idle (setup learned)"
                for e in evs), what="expiry event")
            check(host_stats(h)["exception"]["learn_expired"] > 0,
                  "learn_expired not counted")
            h.ok("echo 30 > /sys/module/rdmapolicy/parameters/"
                 "learn_idle_timeout")

        with subtest("setup-cm"):
            h.ok("rdmapolicy rule change id 1 prio 100 " + RULE.format("cm"))
            st0 = host_stats(h)["exception"]
            rc, out = run_tool(v1, v2, "ibv_rc_pingpong",
                               f"{PP} -g {g1}", timeout=8)
            check(rc != 0, f"ibv_rc_pingpong passed a setup cm rule:\n{out}")
            st = host_stats(h)["exception"]
            check(st["learn_denied"] > st0["learn_denied"] and
                  st["learn_allowed"] == st0["learn_allowed"],
                  f"refusal not counted: {st0} -> {st}")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "conn denied" and
                "setup learned" in e.get("reason", "") for e in evs),
                what="conn denied event (setup learned)")
            check(not learned(conns(h)), "flows learned under setup cm")

        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean()
    finally:
        t.stop()


TESTS = [("learn-debug", test_learn_debug)]
