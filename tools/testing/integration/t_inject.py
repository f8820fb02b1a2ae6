# SPDX-License-Identifier: GPL-2.0
"""Forged RoCEv2 data (tools/rp-inject: raw frames with a correct ICRC)
never reaches V2, each drop is counted by reason, and the legitimate
connections go on:

- from V1, a WRITE to V2's real QPN with a source address not V1's;
- from V1, a WRITE to a QPN with no connection;
- from V1, a WRITE on a send-only connection (ib_send_bw's);
- from V3, a PSN-sweeping burst of WRITEs claiming to be V1, to the real
  QPN of V1's connection: a spoofed but valid-looking source;
- from V1 itself, with its own address, the right QPN and granted WRITEs,
  a PSN-sweeping burst far from where its PSNs are (the NIC runs with
  psn_window=65536): blind injection into a live connection.
"""

import topo
from fixtures import conns, port_stats, setup_host
from rptest import TestFail, check, wait_until

POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add vm3 id 3 tenant 7 port eth2 mac 52:54:00:00:01:03 addr 10.10.0.3/32
rule add prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
rule add prio 100 from vm vm1 to vm vm2 service tcp 18515 qp rc allow send
"""

PERF = "-d rxe0 -s 64 -D 120 -F"
WINDOW = 65536


def both_up(cs):
    """rping's connection and ib_send_bw's (perftest makes two) are up."""
    ports = {c["service"]["port"] for c in cs
             if c["state"] == "established"}
    return {7174, 18515} <= ports


def inject(v, args):
    out = v.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} {args}")
    return int(out.split()[-1])


def delta(h, before, port, key):
    return port_stats(h)[(port, "from_vm")][key] - before[(port,
                                                           "from_vm")][key]


def dropped(h, before, port, key, n, what):
    """The forged frames reach H after rp-inject returns: wait until the
    drop counter has counted them all, then require exactly n."""
    got = wait_until(lambda: delta(h, before, port, key),
                     lambda d: d >= n, timeout=20,
                     what=f"{n} {what} drops counted on {port}")
    check(got == n, f"{what} drops {got} for {n} sent")


def inject_scenario(t, kmemleak=False):
    """The inject scenario on a booted standard topology t with three VMs
    or more (H without our modules, V1..V3 idle; t_inject's fourth, which
    t_tenants uses, stays idle): leaves H without our modules.
    kmemleak: ask H's kernel (debug) for leaks too."""
    h, v1, v2, v3 = t["H"], t["V1"], t["V2"], t["V3"]
    setup_host(h, POLICY, snic_args=f"psn_window={WINDOW}")
    # (the core binds eth0, eth1 and eth2: they are the VMs' ports)

    v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
    v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
    v1.ok("rping -c -a 10.10.0.2 -C 1000000 > /tmp/rc 2>&1 &")
    # a send-only connection that lasts: ib_send_bw for 120 s (its
    # server may answer a first connect with REJ 8: start again)
    for _ in range(3):
        v2.ok(f"ib_send_bw -R {PERF} > /tmp/ss 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | "
                    "grep -q ':18515'")
        v1.ok(f"ib_send_bw -R {PERF} 10.10.0.2 > /tmp/sc 2>&1 &")
        try:
            cs = wait_until(lambda: conns(h), both_up, timeout=30,
                            what="rping and ib_send_bw connected")
            break
        except TestFail:
            v1.run("killall ib_send_bw")
            v2.run("killall ib_send_bw")
            v2.wait_for("! pidof ib_send_bw")
    rping = [c for c in cs if c["service"]["port"] == 7174][0]
    ucm = [c for c in cs if c["service"]["port"] == 18515][0]
    q2 = rping["rep"]["qpn"]
    before = port_stats(h)
    to_v2 = before[("eth1", "to_vm")]["data_pass"]

    n = inject(v1, f"-s 10.10.0.5 -d 10.10.0.2 -q {q2} -c 10")
    n += inject(v1, f"-s 10.10.0.1 -d 10.10.0.2 -q {q2 + 1000} -c 10")
    check(n == 20, f"rp-inject sent {n} of 20")
    dropped(h, before, "eth0", "data_no_flow", n, "no_flow")
    n = inject(v1, f"-s 10.10.0.1 -d 10.10.0.2 "
               f"-q {ucm['rep']['qpn']} -o write -c 10")
    check(n == 10, f"rp-inject sent {n} of 10")
    dropped(h, before, "eth0", "data_no_right", n, "no_right")
    n = inject(v3, f"-s 10.10.0.1 -d 10.10.0.2 -q {q2} -o write "
               f"-p {rping['rep']['psn']} -P 1 -c 200")
    check(n == 200, f"rp-inject sent {n} of 200")
    dropped(h, before, "eth2", "data_spoofed", n, "spoofed")
    # V1's own requests on rping's connection started at the PSN
    # V2's REP named: sweep the far side of the 24-bit space
    far = (rping["rep"]["psn"] + (1 << 23)) & 0xffffff
    n = inject(v1, f"-s 10.10.0.1 -d 10.10.0.2 -q {q2} -o write "
               f"-p {far} -P 997 -c 200")
    check(n == 200, f"rp-inject sent {n} of 200")
    dropped(h, before, "eth0", "data_psn", n, "PSN")
    print(f"    drops: 20 no_flow, 10 no_right, 200 spoofed, 200 psn "
          f"(of 430 forged frames)")

    # the NIC's PSN trackers (shim query, conn show): the requester's
    # requests went on from the REP's starting PSN, the sweep did not
    # move them
    seen = [c for c in conns(h) if c["id"] == rping["id"]][0]
    ahead = (seen["psn_seen"]["req"] - rping["rep"]["psn"]) & 0xffffff
    check(ahead < 1 << 22, f"requester's PSN tracker: {seen}")
    # (ib_send_bw opens and closes connections on its own schedule)
    cs = [c for c in conns(h) if c["id"] == rping["id"]]
    check(cs and cs[0]["state"] == "established",
          f"rping's connection after the attack: {cs}")
    check(v1.run("pidof rping")[0] == 0, "rping client died")
    qp = v2.ok(f"rdma res show qp lqpn {q2}")
    check("RTS" in qp, f"V2's QP {q2} not in RTS:\n{qp}")
    progress = port_stats(h)[("eth0", "from_vm")]["data_pass"]
    wait_until(lambda: port_stats(h)[("eth0", "from_vm")]["data_pass"],
               lambda p: p > progress + 10, timeout=20,
               what="rping traffic after the attack")

    v1.ok("killall rping ib_send_bw; true")
    v2.ok("killall rping ib_send_bw; true")

    # nothing forged reached V2: once the traffic has drained, what it
    # got from H is exactly what V1 legitimately sent
    def v1_to_v2(st):
        got = st[("eth1", "to_vm")]["data_pass"] - to_v2
        sent = (st[("eth0", "from_vm")]["data_pass"] -
                before[("eth0", "from_vm")]["data_pass"])
        return got, sent

    wait_until(lambda: v1_to_v2(port_stats(h)), lambda gs: gs[0] == gs[1],
               timeout=20, what="V2 got what V1 sent, no more")
    h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
    h.check_clean(kmemleak=kmemleak)


def test_inject_debug(images):
    t = topo.start(images, "debug", vms=4)
    try:
        inject_scenario(t)
    finally:
        t.stop()


TESTS = [("inject-debug", test_inject_debug)]
