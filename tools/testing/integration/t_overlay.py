# SPDX-License-Identifier: GPL-2.0
"""Two tenants with the same addresses across two hosts, each tenant in
its own VXLAN VNI over the uplink (issue #13), built with Linux's vxlan
driver and a bridge per tenant on each host (stock kernels):

    tenant 1: V1 10.10.0.1 [brA + vx100] H1 == uplink == H2 [brA + vx100] V2 10.10.0.2
    tenant 2: V3 10.10.0.1 [brB + vx200] H1 == uplink == H2 [brB + vx200] V4 10.10.0.2

Each host knows the other host's VMs as remote address spaces whose port
is their tenant's vxlan device.

- both-tenants: rping in both tenants at once across the hosts; on each
  host one connection per tenant for the address pair, installed; nic
  show lists the overlays with their tenants;
- forged-locally: V3 (tenant 2) sending data of tenant 1's live
  connection from its own port is dropped on H1 (no flow of its tenant);
- other-vni: the same data injected on the uplink in tenant 2's VNI
  (H1 as the attacker, a vxlan device of its own) is dropped on H2 at
  tenant 2's VM port;
- misbridged-vni: with H2's vx200 put into tenant 1's bridge (an
  operator's mistake), that data would reach V2 on tenant 1's flow; the
  NIC drops it as wrong_tenant (it came over tenant 2's VNI).

t_cluster's topology (two VMs a host), taken over after it.
"""

import json

import topo
from fixtures import conns, port_stats, setup_host, subtest
from rptest import check, wait_until

# iproute2's (busybox's ip knows no vxlan options)
IP = "/usr/sbin/ip"
RULES = """\
rule add id 1 prio 100 from tenant 1 to tenant 1 qp rc allow send,write,read reply send,write,read
rule add id 2 prio 100 from tenant 2 to tenant 2 qp rc allow send,write,read reply send,write,read
"""
H1_POLICY = """\
vm add a1 id 1 tenant 1 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add b1 id 3 tenant 2 port eth1 mac 52:54:00:00:01:03 addr 10.10.0.1/32
vm add a-h2 id 2 tenant 1 remote port vx100 addr 10.10.0.2/32
vm add b-h2 id 4 tenant 2 remote port vx200 addr 10.10.0.2/32
""" + RULES
H2_POLICY = """\
vm add a2 id 2 tenant 1 port eth0 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add b2 id 4 tenant 2 port eth1 mac 52:54:00:00:01:04 addr 10.10.0.2/32
vm add a-h1 id 1 tenant 1 remote port vx100 addr 10.10.0.1/32
vm add b-h1 id 3 tenant 2 remote port vx200 addr 10.10.0.1/32
""" + RULES


def overlay(h, me, peer):
    """The uplink eth2 gets 192.168.77.me; a bridge per tenant with its
    VM port and its vxlan to the other host."""
    h.ok("modprobe vxlan && ip link del br0 && "
         f"ip addr add 192.168.77.{me}/24 dev eth2 && ip link set eth2 up")
    for br, port, vni in (("brA", "eth0", 100), ("brB", "eth1", 200)):
        h.ok(f"{IP} link add vx{vni} type vxlan id {vni} "
             f"local 192.168.77.{me} remote 192.168.77.{peer} "
             f"dstport 4789 dev eth2 && "
             f"ip link add {br} type bridge && "
             f"ip link set {port} master {br} && "
             f"ip link set vx{vni} master {br} && "
             f"ip link set vx{vni} up && ip link set {br} up")


def of_tenant(h, tenant):
    return [c for c in conns(h) if c.get("tenant") == tenant]


def installed(h, tenant):
    return [c for c in of_tenant(h, tenant)
            if c.get("installed") and c["service"]["port"] == 7174]


def rping_bg(server, client, tag, count):
    server.ok(f"rping -s -a 10.10.0.2 -P > /tmp/rs.{tag} 2>&1 &")
    server.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'",
                    what="rping listener")
    client.ok(f"rping -c -a 10.10.0.2 -C {count} > /tmp/rc.{tag} 2>&1 & "
              f"echo $! > /tmp/rc.{tag}.pid")


def delta(h, before, port, way, key):
    return port_stats(h)[(port, way)][key] - before[(port, way)][key]


def test_overlay_stock(images):
    t = topo.start_two_hosts(images, "stock", cluster=True, per_host=2)
    try:
        h1, h2 = t["H1"], t["H2"]
        v1, v2, v3, v4 = (t[f"V{i}"] for i in range(1, 5))
        overlay(h1, 1, 2)
        overlay(h2, 2, 1)
        for v, ip in ((v3, "10.10.0.1"), (v4, "10.10.0.2")):
            v.ok(f"ip addr flush dev eth0 && ip addr add {ip}/24 dev eth0")
        v1.wait_for("ping -c 1 -W 1 10.10.0.2", timeout=30,
                    what="tenant 1 across the hosts")
        v3.wait_for("ping -c 1 -W 1 10.10.0.2", timeout=30,
                    what="tenant 2 across the hosts")
        setup_host(h1, H1_POLICY)
        setup_host(h2, H2_POLICY)

        with subtest("both-tenants"):
            rping_bg(v2, v1, "a", 100000000)
            rping_bg(v4, v3, "b", 100000000)
            for h in (h1, h2):
                for tenant in (1, 2):
                    wait_until(lambda: installed(h, tenant), bool,
                               timeout=30, what=f"{h.name}: tenant "
                               f"{tenant}'s connection installed")
                pair = [c for c in conns(h) if c.get("installed") and
                        c["req"]["addr"] == "10.10.0.1" and
                        c["rep"]["addr"] == "10.10.0.2"]
                check(sorted(c["tenant"] for c in pair) == [1, 2],
                      f"{h.name}: one connection per tenant: {pair}")
            before = port_stats(h2)
            for port in ("eth0", "eth1"):
                wait_until(lambda: delta(h2, before, port, "to_vm",
                                         "data_pass"), lambda n: n > 10,
                           timeout=30, what=f"H2: data to {port}'s VM")
            nic = json.loads(h2.ok("rdmapolicy -j nic show"))
            ports = {e["port"]["ifname"]: (e["port"]["tenant"],
                                           e["port"]["overlay"])
                     for e in nic if "port" in e}
            check(ports == {"eth0": (1, False), "eth1": (2, False),
                            "vx100": (1, True), "vx200": (2, True)},
                  f"H2's bound ports: {ports}")
            # tenant 2's connection ends; tenant 1's goes on
            v3.ok("kill $(cat /tmp/rc.b.pid); true")
            for h in (h1, h2):
                wait_until(lambda: installed(h, 2), lambda c: not c,
                           timeout=30, what=f"{h.name}: tenant 2's gone")
                check(installed(h, 1), f"{h.name}: tenant 1's went too")

        a = installed(h2, 1)[0]
        forged = (f"-s 10.10.0.1 -d 10.10.0.2 -q {a['rep']['qpn']} "
                  "-o send -c 20")

        with subtest("forged-locally"):
            before = port_stats(h1)
            out = v3.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} {forged}")
            check(int(out.split()[-1]) == 20, f"rp-inject: {out}")
            wait_until(lambda: delta(h1, before, "eth1", "from_vm",
                                     "data_no_flow"), lambda n: n >= 20,
                       timeout=20, what="H1: V3's forged data dropped")

        # H1 as an attacker on the uplink: tenant 2's VNI (its own vxlan
        # takes the place of H1's, tenant 2 is done here), no bridge
        h1.ok(f"ip link del vx200 && {IP} link add vxatk type vxlan id 200 "
              "local 192.168.77.1 remote 192.168.77.2 dstport 4789 dev eth2"
              " && ip link set vxatk up")

        with subtest("other-vni"):
            before = port_stats(h2)
            out = h1.ok(f"rp-inject -i vxatk -m {topo.vm_mac(2)} {forged}")
            check(int(out.split()[-1]) == 20, f"rp-inject: {out}")
            wait_until(lambda: delta(h2, before, "eth1", "to_vm",
                                     "data_no_flow"), lambda n: n >= 20,
                       timeout=20, what="H2: dropped at tenant 2's port")
            check(delta(h2, before, "eth0", "to_vm", "wrong_tenant") == 0,
                  "tenant 2's VNI reached tenant 1's port")

        with subtest("misbridged-vni"):
            h2.ok("ip link set vx200 master brA")
            try:
                before = port_stats(h2)
                out = h1.ok(f"rp-inject -i vxatk -m {topo.vm_mac(2)} "
                            f"{forged}")
                check(int(out.split()[-1]) == 20, f"rp-inject: {out}")
                wait_until(lambda: delta(h2, before, "eth0", "to_vm",
                                         "wrong_tenant"), lambda n: n >= 20,
                           timeout=20,
                           what="H2: tenant 2's VNI dropped at V2's port")
            finally:
                h2.ok("ip link set vx200 master brB")
            before = port_stats(h2)
            wait_until(lambda: delta(h2, before, "eth0", "to_vm",
                                     "data_pass"), lambda n: n > 10,
                       timeout=30, what="tenant 1's data still flowing")
        v1.ok("kill $(cat /tmp/rc.a.pid); true")
        for h in (h1, h2):
            h.check_clean()
    finally:
        t.stop()


TESTS = [("overlay-stock", test_overlay_stock)]
