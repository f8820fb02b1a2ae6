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
  `conn denied` event whose reason says setup learned;
- with the rule removed under a live learned flow (a long pingpong), the
  flows go ("policy: denied now"), the data after is dropped and counted
  (the NIC's data_no_flow, learn_denied) and a `conn denied` event says why;
- a flood of first packets to new QPNs from V3 (no rule) leaves V1 -> V2
  working, and costs no more decisions than V3's learn_rate
  (learn_rate_limited counts the rest);
- SIDR (UD over RDMA CM): udaddy V1 -> V2 works through a `service udp
  7174 qp ud` rule, its exchange in `conn show -j` as setup sidr, qp ud,
  installed, both QPNs, then gone when idle; with the rule a deny, the
  client fails at once (a SIDR_REP that rejects: RDMA_CM_EVENT_UNREACHABLE),
  counted (denied, rej_sent) with a `conn denied` event;
- forged SIDR messages from V3 (a SIDR_REP answering nothing, one as V2,
  a SIDR_REQ as V1) are dropped as untracked or spoofed.
"""

import time

import topo
from fixtures import conns, host_stats, monitor_events, port_stats, \
    setup_host, subtest, wait_events
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


def sidr(cs):
    return [c for c in cs if c.get("setup") == "sidr"]


UDADDY_RULE = ("rule {} id 2 prio 50 from vm vm1 to vm vm2 service udp 7174 "
               "qp ud {}")


def run_udaddy(v1, v2, timeout=20):
    """udaddy's server on V2 (RDMA_PS_UDP, port 7174), its client on V1;
    returns (rc, client output, seconds the client took)."""
    v2.ok("udaddy > /tmp/udaddy.s 2>&1 &")
    v2.wait_for("rdma resource show cm_id | grep -q LISTEN",
                what="udaddy listening")
    t0 = time.monotonic()
    rc, out = v1.run(f"timeout {timeout} udaddy -s {topo.vm_ip(2)}",
                     timeout=timeout + 20)
    took = time.monotonic() - t0
    v2.run("killall udaddy; true")
    v2.wait_for("! pidof udaddy", what="udaddy server gone")
    return rc, out, took


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

        with subtest("rule-removed"):
            h.ok("rdmapolicy rule change id 1 prio 100 " + RULE.format("any"))
            long = f"-d rxe0 -n 1000000 -g {g1}"
            v2.ok(f"ibv_rc_pingpong {long} > /tmp/long.s 2>&1 &")
            v2.wait_for("netstat -ltn | grep -q ':18515 '",
                        what="ibv_rc_pingpong listening")
            v1.ok(f"timeout 60 ibv_rc_pingpong {long} {topo.vm_ip(2)} "
                  "> /tmp/long.c 2>&1 &")
            wait_until(lambda: learned(conns(h)),
                       lambda cs: {c["req"]["vm"] for c in cs} ==
                       {"vm1", "vm2"}, timeout=20,
                       what="the long pingpong's flows learned")
            n0 = len(monitor_events(h, "/tmp/events"))
            st0 = host_stats(h)["exception"]
            ports = (("eth0", "from_vm"), ("eth1", "from_vm"))

            def no_flow():
                st = port_stats(h)
                return sum(st[k]["data_no_flow"] for k in ports)
            p0 = no_flow()
            h.ok("rdmapolicy rule del id 1")
            wait_until(lambda: learned(conns(h)), lambda cs: not cs,
                       timeout=10, what="learned flows gone with their rule")
            # the next packets of whichever side sends next (the
            # pingpong alternates: V1's, or V2's and its retransmissions)
            # are first packets again: refused by the core, dropped by
            # the NIC at that side's port
            wait_until(lambda: (no_flow() - p0,
                host_stats(h)["exception"]["learn_denied"] -
                st0["learn_denied"]), lambda d: d[0] > 0 and d[1] > 0,
                timeout=15, what="the data after the rule dropped, counted")
            evs = wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "conn denied" and
                e.get("reason") == "no rule allows (setup learned)"
                for e in evs[n0:]), what="conn denied: no rule allows")
            check(any(e["event"] == "conn destroyed" and
                      e.get("reason") == "policy: denied now (setup learned)"
                      for e in evs[n0:]),
                  f"no destroyed event for the rule's flows: {evs[n0:]}")
            check(not learned(conns(h)), "flows learned with no rule")
            for v in (v1, v2):
                v.run("killall ibv_rc_pingpong; true")
                v.wait_for("! pidof ibv_rc_pingpong",
                           what="ibv_rc_pingpong gone")

        with subtest("flood"):
            # V3 (no rule) floods first packets to new QPNs of V2
            h.run("rdmapolicy rule del id 1")
            h.ok("rdmapolicy rule add id 1 prio 100 " + RULE.format("any"))
            st0 = host_stats(h)["exception"]
            t0 = time.monotonic()
            v3.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} -s 10.10.0.3 "
                  "-d 10.10.0.2 -q 0x10000 -Q 1 -o send -c 3000 "
                  "> /tmp/flood 2>&1 &")
            rc, out = run_tool(v1, v2, "ibv_rc_pingpong", f"{PP} -g {g1}")
            check(rc == 0, f"ibv_rc_pingpong under V3's flood:\n{out}")
            v3.wait_for("! pidof rp-inject", what="the flood sent")
            secs = time.monotonic() - t0
            out = v3.ok("cat /tmp/flood")
            check(int(out.split()[-1]) == 3000, f"rp-inject: {out}")
            st = host_stats(h)["exception"]
            denied = st["learn_denied"] - st0["learn_denied"]
            limited = st["learn_rate_limited"] - st0["learn_rate_limited"]
            # at most learn_rate (100) decisions a second for V3
            check(limited > 0 and denied <= 100 * (secs + 2),
                  f"flood: {denied} decided, {limited} rate limited "
                  f"in {secs:.1f} s")
            check(not [c for c in learned(conns(h))
                       if c["req"]["vm"] == "vm3"], "V3 learned a flow")
        with subtest("udaddy"):
            h.ok("rdmapolicy " + UDADDY_RULE.format("add", "allow send"))
            rc, out, _ = run_udaddy(v1, v2)
            check(rc == 0 and "data transfers complete" in out,
                  f"udaddy failed ({rc}):\n{out}")
            cs = sidr(conns(h))
            check(len(cs) == 1 and cs[0]["state"] == "established" and
                  cs[0]["qp"] == "ud" and cs[0]["installed"] and
                  cs[0]["rule"] == 2 and cs[0]["req"]["vm"] == "vm1" and
                  cs[0]["req"].get("qpn") and cs[0]["rep"].get("qpn"),
                  f"udaddy's SIDR exchange: {cs}")
            h.ok("echo 1 > /sys/module/rdmapolicy/parameters/"
                 "learn_idle_timeout")
            wait_until(lambda: sidr(conns(h)), lambda cs: not cs,
                       timeout=20, what="idle SIDR exchange gone")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "conn destroyed" and
                e.get("reason") == "timeout: idle (setup sidr)"
                for e in evs), what="SIDR expiry event")
            h.ok("echo 30 > /sys/module/rdmapolicy/parameters/"
                 "learn_idle_timeout")

        with subtest("udaddy-denied"):
            h.ok("rdmapolicy " + UDADDY_RULE.format("change", "deny"))
            st0 = host_stats(h)
            rc, out, took = run_udaddy(v1, v2, timeout=15)
            check(rc != 0 and "UNREACHABLE" in out and took < 8,
                  f"udaddy passed a deny, or slowly ({rc}, {took:.1f}s):"
                  f"\n{out}")
            print(f"    denied udaddy took {took:.2f}s", flush=True)
            st = host_stats(h)
            check(st["denied"] > st0["denied"] and
                  st["exception"]["rej_sent"] >
                  st0["exception"]["rej_sent"],
                  f"refusal not counted: {st0} -> {st}")
            wait_events(h, "/tmp/events", lambda evs: any(
                e["event"] == "conn denied" and e.get("rule_id") == 2 and
                e.get("reason") == "denied by rule (setup sidr)"
                for e in evs), what="conn denied event (setup sidr)")
            check(not sidr(conns(h)), "a SIDR exchange tracked under deny")

        with subtest("sidr-hostile"):
            # V3 forges SIDR messages (rp-inject, correct ICRC): a
            # SIDR_REP to V1 answering nothing tracked, one claiming to be
            # V2's, a SIDR_REQ claiming to be V1's
            st0 = host_stats(h)["exception"]
            inj = "rp-inject -i eth0 -q 1 -p 0x1234 -l 7174 -c 5"
            for mac, src, dst, op in ((1, 3, 1, "sidr-rep"),
                                      (1, 2, 1, "sidr-rep"),
                                      (2, 1, 2, "sidr-req")):
                v3.ok(f"{inj} -m {topo.vm_mac(mac)} -s 10.10.0.{src} "
                      f"-d 10.10.0.{dst} -o {op}")
            wait_until(lambda: host_stats(h)["exception"],
                       lambda st: st["untracked"] >= st0["untracked"] + 5
                       and st["spoofed"] >= st0["spoofed"] + 10,
                       timeout=20, what="forged SIDR messages dropped")
            st = host_stats(h)["exception"]
            check(st["malformed"] == st0["malformed"] and
                  st["cm_flagged"] == st0["cm_flagged"],
                  f"forged SIDR: {st0} -> {st}")
            check(not sidr(conns(h)), "a forged SIDR message was tracked")

        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean()
    finally:
        t.stop()


TESTS = [("learn-debug", test_learn_debug)]
