# SPDX-License-Identifier: GPL-2.0
"""Two hypervisor hosts: V1 on H1, V2 on H2, joined by an uplink.

Each host knows its own VM and the other host's as a remote address space
(by prefix and tenant).  A V1 -> V2 connection is decided on both hosts
(the REQ at H1's VM port ingress and at H2's VM port egress, the REP the
other way round) and installed in both NICs: H1's flow from V1 is bound to
V1's port, its flow from V2 to "not behind a port of this host", and the
other way round on H2.  H2's policy can refuse what H1's allows: V1 then
gets a REJ from H2, at once.  Forged data from the uplink side towards V2
(sent by V1 posing as a third address, which H1 lets out only because
the test unbinds V1's port there) is dropped on H2.
"""

import topo
from fixtures import conns, host_stats, port_stats, setup_host, snic_bind, \
    snic_unbind
from rptest import check, wait_until

H1_POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add h2 id 2 tenant 7 remote addr 10.10.0.2/32
rule add id 1 prio 100 from vm vm1 to vm h2 service tcp 7174 qp rc allow send,write,read reply send,write,read
rule add id 2 prio 100 from vm vm1 to vm h2 service tcp 7000 qp rc allow send
"""
H2_POLICY = """\
vm add vm2 id 2 tenant 7 port eth0 mac 52:54:00:00:01:02 addr 10.10.0.2/32
vm add h1 id 1 tenant 7 remote addr 10.10.0.1/32
rule add id 1 prio 100 from vm h1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
"""


def test_twohost_debug(images):
    t = topo.start_two_hosts(images, "debug")
    try:
        h1, h2, v1, v2 = t["H1"], t["H2"], t["V1"], t["V2"]
        # each core binds its VM's port eth0; the uplinks stay unbound
        setup_host(h1, H1_POLICY)
        setup_host(h2, H2_POLICY)

        # allowed on both hosts: tracked and installed on both
        v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
        v1.ok("rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1 &")
        for h, req, rep in ((h1, "vm1", "h2"), (h2, "h1", "vm2")):
            cs = wait_until(lambda: conns(h), lambda c: len(c) == 1 and
                            c[0].get("installed"), timeout=30,
                            what=f"{h.name}: connection installed")
            check(cs[0]["req"]["vm"] == req and cs[0]["rep"]["vm"] == rep,
                  f"{h.name}: {cs}")
        before = {h.name: port_stats(h) for h in (h1, h2)}
        for h in (h1, h2):
            wait_until(lambda: port_stats(h), lambda s: all(
                s[("eth0", d)]["data_pass"] >
                before[h.name][("eth0", d)]["data_pass"] + 10
                for d in ("from_vm", "to_vm")), timeout=30,
                what=f"{h.name}: data both ways through its NIC")
        for h in (h1, h2):
            st = port_stats(h)[("eth0", "to_vm")]
            check(st["data_no_flow"] == st["data_spoofed"] == 0,
                  f"{h.name}: legitimate data dropped: {st}")

        # H1 allows port 7000, H2 does not: REJ from H2, not a timeout
        v2.ok("rping -s -a 10.10.0.2 -p 7000 -P > /tmp/rs7 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7000'")
        rc, out = v1.run("timeout 30 rping -c -a 10.10.0.2 -p 7000 -C 1 -v",
                         timeout=60)
        check(rc != 0 and "REJECTED" in out,
              f"connect refused by H2 was not rejected:\n{out}")
        st1, st2 = host_stats(h1), host_stats(h2)
        check(st2["exception"]["rej_sent"] >= 1, f"H2 stats: {st2}")
        check(st1["exception"]["rej_sent"] == 0, f"H1 stats: {st1}")
        check(not [c for c in conns(h1) if c["service"]["port"] == 7000],
              "H1 still tracks the rejected connection")

        # forged data from the uplink side: V1 forges V1's live connection
        # from another address; H1 would drop it at V1's port, so unbind
        # that port on H1 for the attack (standing for a compromised host
        # or another path into the uplink)
        rping = conns(h2)[0]
        q2 = rping["rep"]["qpn"]
        snic_unbind(h1, "eth0")
        b = port_stats(h2)[("eth0", "to_vm")]
        out = v1.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} -s 10.10.0.9 "
                    f"-d 10.10.0.2 -q {q2} -c 20")
        n = int(out.split()[-1])
        out = v1.ok(f"rp-inject -i eth0 -m {topo.vm_mac(2)} -s 10.10.0.1 "
                    f"-d 10.10.0.2 -q {q2 + 77} -c 20")
        n += int(out.split()[-1])
        check(n == 40, f"rp-inject sent {n} of 40")
        # (the frames cross two QEMU sockets after rp-inject returns)
        got = wait_until(
            lambda: (port_stats(h2)[("eth0", "to_vm")]["data_no_flow"] -
                     b["data_no_flow"]),
            lambda d: d >= n, timeout=20, what="H2 counted the forged frames")
        check(got == n, f"H2 dropped {got} of {n}")
        print(f"    H2 dropped {n} of {n} forged frames from the uplink")
        snic_bind(h1, "eth0")

        v1.ok("killall rping")
        v2.ok("killall rping")
        for h in (h1, h2):
            wait_until(lambda: conns(h), lambda c: c == [], timeout=30,
                       what=f"{h.name}: connection gone")
            h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && "
                 "rmmod rdmapolicy")
            h.check_clean(kmemleak=True)
    finally:
        t.stop()


TESTS = [("twohost-debug", test_twohost_debug)]
