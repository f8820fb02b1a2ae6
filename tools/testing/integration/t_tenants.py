# SPDX-License-Identifier: GPL-2.0
"""Two tenants with the same addresses on one host (issue #13), on H with
four VMs (the debug kernel, then the stock one), H bridging each tenant
apart:

    tenant 1: V1 10.10.0.1 --eth0-- [ brA ] --eth1-- V2 10.10.0.2
    tenant 2: V3 10.10.0.1 --eth2-- [ brB ] --eth3-- V4 10.10.0.2

- same-addresses: rping in both tenants at once and ib_write_bw -R in
  tenant 2 beside them: all work, `conn show` has two connections
  10.10.0.1 -> 10.10.0.2, one per tenant, and the events name the tenant;
- misbridged: V4's port put into tenant 1's bridge (an operator's
  mistake) and data of tenant 2's live connection sent from V4 towards V1:
  passed (and flagged) where it leaves V4, dropped as wrong_tenant where
  it would enter tenant 1's V1;
- close-one: tenant 2's rping ends; tenant 1's connection stays installed
  and its data flows;
- rule-of-one-tenant: with only tenant 1's rule left, tenant 2's REQ with
  the very addresses tenant 1 may use is refused (a REJ, at once).

On the debug kernel the four VMs' topology is t_inject's, t_learn's and
t_mcast's (they leave V4 idle): this test takes it over last and rewires
it; the stock one boots its own.
"""

import json
import time

import topo
from fixtures import conns, port_stats, setup_host, subtest, wait_events
from rptest import check, wait_until

POLICY = """\
vm add a1 id 1 tenant 1 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add a2 id 2 tenant 1 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add b1 id 3 tenant 2 port eth2 mac 52:54:00:00:01:03 addr 10.10.0.1/32
vm add b2 id 4 tenant 2 port eth3 mac 52:54:00:00:01:04 addr 10.10.0.2/32
rule add id 1 prio 100 from tenant 1 to tenant 1 qp rc allow send,write,read reply send,write,read
rule add id 2 prio 100 from tenant 2 to tenant 2 qp rc allow send,write,read reply send,write,read
"""


def split_tenants(h, v3, v4):
    """brA for eth0/eth1, brB for eth2/eth3; V3 and V4 take V1's and V2's
    addresses."""
    h.ok("ip link del br0 && "
         "for b in brA brB; do ip link add $b type bridge && "
         "ip link set $b up || exit 1; done && "
         "ip link set eth0 master brA && ip link set eth1 master brA && "
         "ip link set eth2 master brB && ip link set eth3 master brB")
    for v, ip in ((v3, "10.10.0.1"), (v4, "10.10.0.2")):
        v.ok(f"ip addr flush dev eth0 && ip addr add {ip}/24 dev eth0")
        v.wait_for("grep -q 0000:0000:0000:0000:0000:ffff:0a0a:000"
                   f"{ip[-1]} /sys/class/infiniband/rxe0/ports/1/gids/*",
                   what=f"{v.name}'s GID for {ip}")
    v3.wait_for("ping -c 1 -W 1 10.10.0.2", timeout=30)


def rping_bg(server, client, tag):
    """A long rping client -> server (10.10.0.2), in the background."""
    server.ok(f"rping -s -a 10.10.0.2 -P > /tmp/rs.{tag} 2>&1 & "
              f"echo $! > /tmp/rs.{tag}.pid")
    server.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'",
                    what="rping listener")
    client.ok(f"rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc.{tag} 2>&1 & "
              f"echo $! > /tmp/rc.{tag}.pid")


def of_tenant(h, tenant):
    return [c for c in conns(h) if c.get("tenant") == tenant]


def installed(h, tenant, port):
    return [c for c in of_tenant(h, tenant)
            if c.get("installed") and c["service"]["port"] == port]


def tenants(images, kernel):
    t = topo.start(images, kernel, vms=4)
    try:
        h, v1, v2, v3, v4 = (t[n] for n in ("H", "V1", "V2", "V3", "V4"))
        split_tenants(h, v3, v4)
        setup_host(h, POLICY)
        h.ok("rdmapolicy -j monitor > /tmp/events 2>&1 &")

        with subtest("same-addresses"):
            rping_bg(v2, v1, "a")
            rping_bg(v4, v3, "b")
            for tenant in (1, 2):
                wait_until(lambda: installed(h, tenant, 7174), bool,
                           timeout=30,
                           what=f"tenant {tenant}'s rping installed")
            pair = [c for c in conns(h) if c["req"]["addr"] == "10.10.0.1"
                    and c["rep"]["addr"] == "10.10.0.2" and c.get("installed")]
            check(sorted(c["tenant"] for c in pair) == [1, 2] and
                  {(c["tenant"], c["req"]["vm"], c["rep"]["vm"])
                   for c in pair} == {(1, "a1", "a2"), (2, "b1", "b2")},
                  f"one connection per tenant for the address pair: {pair}")
            check("tenant 2" in h.ok("rdmapolicy conn show"),
                  "conn show's text names no tenant")
            rc, out = topo.perftest(v4, v3, "ib_write_bw",
                                    "-d rxe0 -s 4096 -n 200 -F",
                                    server_ip="10.10.0.2")
            check(rc == 0, f"tenant 2's ib_write_bw -R failed:\n{out}")
            for tenant in (1, 2):
                check(installed(h, tenant, 7174),
                      f"tenant {tenant}'s rping lost: {of_tenant(h, tenant)}")
            wait_events(h, "/tmp/events", lambda evs: {
                e.get("tenant") for e in evs
                if e["event"] == "conn established"} >= {1, 2},
                what="conn established events of both tenants")
            nic = json.loads(h.ok("rdmapolicy -j nic show"))
            check({(e["port"]["ifname"], e["port"]["tenant"]) for e in nic
                   if "port" in e} == {("eth0", 1), ("eth1", 1),
                                       ("eth2", 2), ("eth3", 2)},
                  f"nic show's port tenants: {nic}")

        with subtest("misbridged"):
            b = installed(h, 2, 7174)[0]
            before = port_stats(h)
            h.ok("ip link set eth3 master brA")
            try:
                out = v4.ok(f"rp-inject -i eth0 -m {topo.vm_mac(1)} "
                            f"-s 10.10.0.2 -d 10.10.0.1 -q {b['req']['qpn']} "
                            "-o send -c 20")
                check(int(out.split()[-1]) == 20, f"rp-inject: {out}")

                def d(port, way, key):
                    return port_stats(h)[(port, way)][key] - \
                        before[(port, way)][key]
                wait_until(lambda: d("eth0", "to_vm", "wrong_tenant"),
                           lambda n: n >= 20, timeout=20,
                           what="tenant 2's data dropped at V1's port")
                check(d("eth3", "from_vm", "data_pass") >= 20,
                      "tenant 2's data was not passed where it left V4")
            finally:
                h.ok("ip link set eth3 master brB")

        with subtest("close-one"):
            v3.ok("kill $(cat /tmp/rc.b.pid); true")
            wait_until(lambda: installed(h, 2, 7174), lambda c: not c,
                       timeout=30, what="tenant 2's connection gone")
            check(installed(h, 1, 7174), "tenant 1's connection went too")
            before = port_stats(h)[("eth0", "from_vm")]["data_pass"]
            wait_until(lambda: port_stats(h)[("eth0", "from_vm")]
                       ["data_pass"], lambda n: n > before + 10, timeout=20,
                       what="tenant 1's data still flowing")

        with subtest("rule-of-one-tenant"):
            h.ok("rdmapolicy rule del id 2")
            t0 = time.monotonic()
            rc, out = v3.run("timeout 20 rping -c -a 10.10.0.2 -C 1 -v",
                             timeout=30)
            dt = time.monotonic() - t0
            check(rc != 0 and "REJECTED" in out,
                  f"tenant 2's REQ was not refused:\n{out}")
            check(dt < 10, f"the REJ took {dt:.1f} s")
            check(installed(h, 1, 7174), "tenant 1's connection went")
            print(f"    tenant 2 refused in {dt * 1000:.0f} ms")
        v1.ok("kill $(cat /tmp/rc.a.pid); true")
        h.check_clean(kmemleak=kernel == "debug")
    finally:
        t.stop()


def test_tenants_debug(images):
    tenants(images, "debug")


def test_tenants_stock(images):
    tenants(images, "stock")


TESTS = [("tenants-debug", test_tenants_debug),
         ("tenants-stock", test_tenants_stock)]
