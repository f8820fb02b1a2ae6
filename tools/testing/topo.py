# SPDX-License-Identifier: GPL-2.0
"""The standard test topology: host guest H bridging VM guests V1..Vn.

   V1 (stock kernel, rdma_rxe) --eth0-- [eth0  H  eth1] --eth0-- V2
                                         \\__ br0 __/

H's NIC ethK faces V(K+1) and plays the VM's tap/vhost port.  VM Vi has
address 10.10.0.i/24 and MAC 52:54:00:00:01:0i; H's NIC facing it has
52:54:00:00:00:0i.
"""

import pool
from rptest import Topology


def vm_ip(i):
    return f"10.10.0.{i}"


def vm_mac(i):
    return f"52:54:00:00:01:{i:02x}"


def host_mac(i):
    """The MAC of the host NIC facing VM Vi."""
    return f"52:54:00:00:00:{i:02x}"


def bring_up(images, h_kernel, vm_hosts, uplinks=(), rxe=True, dump=None,
             h_mem=None, cluster=False):
    """Boot hosts and VMs and wire them: VM Vi (i = 1, 2, ...) hangs off
    host vm_hosts[i - 1] (that host's NICs in the order of the VMs, then
    its uplinks); uplinks: (host a, host b, MAC a, MAC b) cables between
    hosts.  Each host bridges all its NICs; Vi gets vm_ip(i) and, with
    rxe, an rdma_rxe device; V1 then reaches every other VM.  dump: {vm
    index: pcap path} to record that VM's NIC; h_mem: the hosts' memory
    in MiB (default 1024 on the debug kernel, else 512); cluster: the
    hosts have etcd and rdmapolicyd's libraries (images.initrd()).  On
    failure the guests are stopped (consoles kept).  A topology of the
    same kind that the previous test left is reused (pool.py); one that
    records pcaps (dump) is not."""
    kind = None if dump else ("bring_up", h_kernel, tuple(vm_hosts),
                              tuple(uplinks), rxe, h_mem, cluster)
    topo = pool.take(kind)
    if topo is not None:
        return topo
    topo = Topology()
    hk, sk = images.kernel(h_kernel), images.kernel("stock")
    for h in dict.fromkeys(vm_hosts):
        topo.add(h, hk.image, images.initrd(h_kernel, cluster=cluster),
                 mem=h_mem or (1024 if h_kernel == "debug" else 512),
                 append=hk.one_cpu_args)
    vms = len(vm_hosts)
    for i in range(1, vms + 1):
        topo.add(f"V{i}", sk.image, images.initrd("stock"), mem=512)
    for i, h in enumerate(vm_hosts, 1):
        topo.link(h, f"V{i}", host_mac(i), vm_mac(i),
                  dump_b=(dump or {}).get(i))
    for a, b, mac_a, mac_b in uplinks:
        topo.link(a, b, mac_a, mac_b)
    try:
        topo.start()
        for h in dict.fromkeys(vm_hosts):
            topo[h].ok("ip link add br0 type bridge && "
                       "for d in /sys/class/net/eth*; do "
                       "ip link set ${d##*/} master br0 up || exit 1; "
                       "done && ip link set br0 up")
        for i in range(1, vms + 1):
            v = topo[f"V{i}"]
            v.ok(f"ip addr add {vm_ip(i)}/24 dev eth0 && "
                 "ip link set eth0 up")
            if rxe:
                v.ok("modprobe rdma_rxe && "
                     "rdma link add rxe0 type rxe netdev eth0")
        # every VM reaches every other through the hosts' bridges
        for i in range(2, vms + 1):
            topo["V1"].wait_for(f"ping -c 1 -W 1 {vm_ip(i)}", timeout=30)
        if kind:
            pool.remember(topo, kind)
    except BaseException:
        topo.stop(keep=True)
        raise
    return topo


def start(images, h_kernel="stock", vms=2, rxe=True, dump=None, h_mem=None):
    """The standard topology: host H bridging V1..V{vms}.  dump: {vm
    index: pcap path} to record that VM's NIC; h_mem: H's memory in MiB
    (default 1024 on the debug kernel, else 512)."""
    return bring_up(images, h_kernel, ["H"] * vms, rxe=rxe, dump=dump,
                    h_mem=h_mem)


def start_host(images, kernel, mem=1024, python=False, icount=False):
    """Host H alone, booted (no VMs, no bridge); returns (topology, H).
    python: H has python3 (images.initrd()); icount: H's clock counts its
    instructions (rptest.Guest).  Reused as bring_up()'s topologies are."""
    kind = ("host", kernel, mem, python, icount)
    t = pool.take(kind)
    if t is not None:
        return t, t["H"]
    t = Topology()
    k = images.kernel(kernel)
    h = t.add("H", k.image, images.initrd(kernel, python=python), mem=mem,
              append=k.one_cpu_args, icount=icount)
    try:
        t.start()
        pool.remember(t, kind)
    except BaseException:
        t.stop(keep=True)
        raise
    return t, h


def rping(server, client, server_ip, count=10, timeout=60):
    """rping server -> client; returns the client's output."""
    server.ok(f"rping -s -a {server_ip} -C {count} -v > /tmp/rping.s 2>&1 &")
    server.wait_for("rdma res show cm_id | grep -q LISTEN",
                    what="rping listener")
    return rping_client(client, server_ip, count, timeout)


def rping_client(client, server_ip, count, timeout=60):
    """rping -c -v of count pings to a server already listening; returns
    (rc, output), rping's teardown race after a clean run counted as 0."""
    rc, out = client.run(f"timeout {timeout} rping -c -a {server_ip} "
                         f"-C {count} -v", timeout=timeout + 10)
    # rping's own teardown race: its CM thread reads the event channel
    # the main thread has just destroyed and exits 255 ("rdma_get_cm_event:
    # Bad file descriptor") after a clean run: every ping done and the
    # disconnect seen.  Only that is taken for success.
    if rc == 255 and "rdma_get_cm_event: Bad file descriptor" in out and \
            f"rdma-ping-{count - 1}:" in out and "DISCONNECT EVENT" in out:
        print("    rping's teardown race (EBADF after a clean run) ignored",
              flush=True)
        rc = 0
    return rc, out


def perftest(server, client, tool, args, server_ip=vm_ip(2), timeout=60):
    """One perftest run over RDMA CM (`tool -R args`, e.g. ib_write_bw);
    returns the client's (exit status, output).  perftest's server
    sometimes answers a first connect with REJ reason 8 (no listener)
    although its listener shows in `rdma res show cm_id`; that REJ comes
    from the server's CM, not from us, so such a run is repeated (at most
    3 times)."""
    for _ in range(3):
        server.ok(f"{tool} -R {args} > /tmp/{tool}.s 2>&1 &")
        server.wait_for("rdma res show cm_id | grep LISTEN | "
                        "grep -q ':18515'", what=f"{tool} listener")
        rc, out = client.run(f"timeout {timeout} {tool} -R {args} "
                             f"{server_ip}", timeout=timeout + 30)
        server.run(f"killall {tool}; true")
        server.wait_for(f"! pidof {tool}", what=f"{tool} server gone")
        if "RDMA_CM_EVENT_REJECTED; error: 8." not in out:
            break
    return rc, out


def start_two_hosts(images, h_kernel="stock", cluster=False, per_host=1):
    """Two hypervisor hosts joined by an uplink, one VM on each:

       V1 --eth0-- [eth0  H1  eth1] ==uplink== [eth1  H2  eth0] --eth0-- V2

    Each host bridges its NICs; V1 and V2 share 10.10.0.0/24.  H1's eth0
    and H2's eth0 are the VM ports, the eth1s the uplink.  cluster: as
    bring_up()'s.  per_host=2: V3 on H1 and V4 on H2 too, on their eth1
    (the uplinks are the eth2s then)."""
    hosts = ["H1", "H2"] * per_host
    return bring_up(images, h_kernel, hosts,
                    uplinks=[("H1", "H2", "52:54:00:00:10:01",
                              "52:54:00:00:10:02")], cluster=cluster)
