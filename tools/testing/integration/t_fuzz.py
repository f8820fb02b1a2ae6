# SPDX-License-Identifier: GPL-2.0
"""Fuzzing on the debug kernel (issue 17), one boot of H with V1 and V2:

netlink-root, netlink-nobody, netlink-userns: tools/rp-nlfuzz reads the
family's ops and policies from nlctrl and sends policy-guided and mutated
requests, with dumpers beside it closing their sockets part way: as root
in a network namespace of its own (its own VMs, rules and ports: a veth
pair), as nobody and as root of a user namespace of its own (every admin
op answers EPERM).  Every request gets its answer, every refusal of the
family's own carries an extack message.

frames-vm, frames-uplink: tools/rp-inject -H mutates captured traffic
(the CM MADs of kunit/rp_cm_vectors.h, data frames of the live rping
connection and made ones of every opcode) into runts, bad lengths, IPv4
options, IPv6 extension chains, VLAN and QinQ tags, spoofed senders, PSNs
far outside the window, from V1's port and from the uplink (a veth on H's
bridge, which is no VM's port), while rping runs from V1 to V2.  Every frame is
RoCE to the hook by construction, none may pass: the port's drop counters
grow by exactly what was sent, and rping never breaks.

gso: GSO skbs, which a packet socket in a VM cannot make reach H: a VM
port that is a veth (gsoB, its peer in a namespace of H) receives UDP
GSO datagrams of RoCEv2 (rp-inject -o gso: UDP_SEGMENT, four RC SEND
segments each): each skb counted once as "gso" and dropped, nothing
passed.

Then kmemleak and the console: no report.  FUZZ_FRAMES (default 2000 a
side) and FUZZ_NL (requests, default 1000) set the sizes; make soak runs
the same with SOAK_FRAMES and SOAK_NL (tools/testing/soak.py).
"""

import os

import topo
from fixtures import apply_policy, conns, load_modules, port_stats, subtest
from rptest import check, wait_until

NOBODY = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"
USERNS = f"{NOBODY} unshare -r -n"

POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
rule add prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read reply send,write,read
"""
WINDOW = 65536


def nlfuzz(h, cmd, timeout):
    """Run an rp-nlfuzz command line; it must end with no finding."""
    rc, out = h.run(cmd, timeout=timeout)
    lines = out.strip().splitlines()
    last = lines[-1] if lines else ""
    print("    " + "\n    ".join(lines[-2:]))
    check(rc == 0 and last.endswith("findings 0"),
          f"`{cmd}` exited {rc}:\n{out}")
    return out


def netlink(h, n):
    """The three netlink subtests; the VM configuration of the initial
    namespace is untouched (root fuzzes in a namespace of its own)."""
    with subtest("netlink-root"):
        # its own namespace: a veth pair to bind, lo up; its VMs, rules
        # and ports go with the namespace
        nlfuzz(h, "unshare -n sh -c '/usr/sbin/ip link add veth0 type veth "
               "peer name veth1 && /usr/sbin/ip link set lo up && "
               f"exec rp-nlfuzz -s 1 -n {n} -j 2'", timeout=60 + n // 10)
    with subtest("netlink-nobody"):
        nlfuzz(h, f"{NOBODY} rp-nlfuzz -s 2 -n {n // 3} -j 1 -u",
               timeout=60 + n // 20)
    with subtest("netlink-userns"):
        nlfuzz(h, f"{USERNS} rp-nlfuzz -s 3 -n {n // 3} -U",
               timeout=60 + n // 20)


# the debugfs counters of a port that are not drops
NOT_DROPS = {"roce", "cm", "data_pass", "cm_flagged", "cm_punted"}


def drops(st):
    """Frames a port's hook dropped, by any reason; CM it punted and the
    exception path refused count once (cm_dropped)."""
    return sum(v for k, v in st.items() if k not in NOT_DROPS)


def hostile(h, sender, key, args, n, before, what):
    """rp-inject -H from sender: every frame it sent is counted as a
    drop on port key (ifname, dir) of H, and no CM it punted passed."""
    out = sender.ok(f"rp-inject -H {args} -c {n}", timeout=120 + n // 50)
    sent = int(out.split()[-1])
    check(sent == n, f"rp-inject sent {sent} of {n}:\n{out}")
    print("    " + out.strip().splitlines()[0])
    got = wait_until(lambda: port_stats(h)[key],
                     lambda st: drops(st) - drops(before[key]) >= n,
                     timeout=30, what=f"{n} {what} drops counted on {key}")
    d = {k: v - before[key][k] for k, v in got.items() if v != before[key][k]}
    check(drops(got) - drops(before[key]) == n and
          d.get("cm_punted", 0) == d.get("cm_dropped", 0),
          f"{what}: {n} hostile frames sent, counters moved by {d}")
    print(f"    {key[0]} {key[1]}: " +
          " ".join(f"{k}={v}" for k, v in sorted(d.items())))


def rping_alive(h, v1, v2, c):
    """rping's connection c is established, its client runs, V2's QP is
    in RTS and data still passes from V1."""
    cs = [x for x in conns(h) if x["id"] == c["id"]]
    check(cs and cs[0]["state"] == "established",
          f"rping's connection after the frames: {cs}")
    check(v1.run("pidof rping")[0] == 0, "rping client died")
    qp = v2.ok(f"rdma res show qp lqpn {c['rep']['qpn']}")
    check("RTS" in qp, f"V2's QP not in RTS:\n{qp}")
    p = port_stats(h)[("eth0", "from_vm")]["data_pass"]
    wait_until(lambda: port_stats(h)[("eth0", "from_vm")]["data_pass"],
               lambda x: x > p + 10, timeout=20,
               what="rping traffic after the frames")


def start_rping(h, v1, v2):
    """The policy, H's uplink (up1, through up0 on br0) and a long rping
    from V1 to V2; returns its tracked connection."""
    apply_policy(h, POLICY)
    h.ok("/usr/sbin/ip link add up0 type veth peer name up1 && "
         "/usr/sbin/ip link set up0 master br0 up && "
         "/usr/sbin/ip link set up1 up")
    v2.ok("rping -s -a 10.10.0.2 -P > /tmp/rs 2>&1 &")
    v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7174'")
    v1.ok("rping -c -a 10.10.0.2 -C 100000000 > /tmp/rc 2>&1 &")
    return wait_until(lambda: conns(h),
                      lambda cs: cs and cs[0]["state"] == "established",
                      timeout=30, what="rping connected")[0]


def frames_batch(h, v1, v2, c, n, seed):
    """n hostile frames from V1's port, n from the uplink; rping lives.
    The blind requests' PSNs are half the PSN space from the
    requester's, as it is now."""
    c = [x for x in conns(h) if x["id"] == c["id"]][0]
    far = (c["psn_seen"]["req"] + (1 << 23)) & 0xffffff
    args = (f"-m {topo.vm_mac(2)} -s 10.10.0.1 -d 10.10.0.2 "
            f"-q {c['rep']['qpn']} -p {far} -x 10.10.0.5")
    with subtest("frames-vm"):
        hostile(h, v1, ("eth0", "from_vm"),
                f"-i eth0 {args} -r {seed} -w 1", n, port_stats(h),
                "VM port")
        rping_alive(h, v1, v2, c)
    with subtest("frames-uplink"):
        hostile(h, h, ("eth1", "to_vm"), f"-i up1 {args} -r {seed + 1}",
                n, port_stats(h), "uplink")
        rping_alive(h, v1, v2, c)


GSO_VM = "vm add vm9 id 9 tenant 7 port gsoB mac {mac} addr 10.77.0.1/32\n"


def gso(h, n=50):
    """n GSO skbs of RoCEv2 through a veth VM port: all counted as gso."""
    ip = "/usr/sbin/ip"
    h.ok(f"{ip} netns add gso && "
         f"{ip} link add gsoA type veth peer name gsoB && "
         f"{ip} link set gsoA netns gso && "
         f"{ip} -n gso addr add 10.77.0.1/24 dev gsoA && "
         f"{ip} -n gso link set gsoA up && {ip} link set gsoB up && "
         f"{ip} -n gso neigh add 10.77.0.2 lladdr 52:54:00:77:00:02 "
         "dev gsoA")
    try:
        mac = h.ok(f"{ip} netns exec gso cat /sys/class/net/gsoA/address")
        apply_policy(h, GSO_VM.format(mac=mac.strip()))
        key = ("gsoB", "from_vm")
        wait_until(lambda: port_stats(h), lambda st: key in st,
                   timeout=10, what="gsoB bound")
        before = port_stats(h)[key]
        out = h.ok(f"{ip} netns exec gso rp-inject -o gso -s 10.77.0.1 "
                   f"-d 10.77.0.2 -q 0x42 -c {n} -l 256")
        check(out.split()[-1] == str(n), f"rp-inject: {out}")
        got = wait_until(lambda: port_stats(h)[key],
                         lambda st: drops(st) - drops(before) >= n,
                         timeout=20, what=f"{n} GSO skbs counted")
        d = {k: v - before[k] for k, v in got.items() if v != before[k]}
        check(d.get("gso") == n and drops(got) - drops(before) == n and
              not d.get("data_pass"),
              f"{n} GSO skbs sent, counters moved by {d}")
        print(f"    gsoB from_vm: " +
              " ".join(f"{k}={v}" for k, v in sorted(d.items())))
    finally:
        h.run("rdmapolicy vm del vm9; "
              f"{ip} netns del gso; {ip} link del gsoB")


def test_fuzz_debug(images):
    n_nl = int(os.environ.get("FUZZ_NL", "1000"))
    n_frames = int(os.environ.get("FUZZ_FRAMES", "2000"))
    t = topo.start(images, "debug", vms=2)
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        load_modules(h, f"psn_window={WINDOW}")
        netlink(h, n_nl)
        c = start_rping(h, v1, v2)
        frames_batch(h, v1, v2, c, n_frames, 1)
        with subtest("gso"):
            gso(h)
            rping_alive(h, v1, v2, c)
        v1.ok("killall rping; true")
        v2.ok("killall rping; true")
        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop()


TESTS = [("fuzz-debug", test_fuzz_debug)]
