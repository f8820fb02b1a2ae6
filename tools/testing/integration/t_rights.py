# SPDX-License-Identifier: GPL-2.0
"""Granted rights reach the data plane: ib_write_bw -R works with write
granted; ib_read_bw -R and ib_atomic_bw -R fail while the rule grants no
read or atomic (their requests are dropped as not granted) and work once
it does; ucmatose (send) works with a send-only rule; rights are per
direction: rping, whose server reads and writes the client's buffer,
fails while the rule grants the responder only the default (send; its
READs are dropped as not granted) and works with "reply send,write,read";
and data for no installed connection never reaches V2."""

import json

import topo
from fixtures import SNIC, conns, port_stats, setup_host
from rptest import TestFail, check, wait_until

POLICY = """\
vm add vm1 id 1 tenant 7 port eth0 mac 52:54:00:00:01:01 addr 10.10.0.1/32
vm add vm2 id 2 tenant 7 port eth1 mac 52:54:00:00:01:02 addr 10.10.0.2/32
rule add id 1 prio 100 from vm vm1 to vm vm2 service tcp 18515 qp rc allow send,write
rule add id 2 prio 100 from vm vm1 to vm vm2 service tcp 7471 qp rc allow send
rule add id 3 prio 100 from vm vm1 to vm vm2 service tcp 7174 qp rc allow send,write,read
"""

PERF = "-d rxe0 -s 4096 -n 50 -F"
ATOMIC = "-d rxe0 -n 50 -F"


def perf(v1, v2, tool, args=PERF):
    return topo.perftest(v2, v1, tool, args)


def no_right(h, port="eth0"):
    return port_stats(h)[(port, "from_vm")]["data_no_right"]


def refused(h, server, client, start_server, client_cmd, port="eth0"):
    """Run client_cmd on the client in the background against a server
    (start_server, run in the background on the server) until H has
    dropped packets arriving on its port `port` as not granted; the
    client must not have completed by then.  A denied run would otherwise
    end only when the tool gives up (a perftest READ run: at its 60 s
    timeout).  Returns the client's output.  A run that connects but drops nothing (perftest's REJ 8,
    see topo.perftest()) is started again, at most 3 times."""
    for _ in range(3):
        before = no_right(h, port)
        server.ok(f"{start_server} > /tmp/refused.s 2>&1 &")
        server.wait_for("rdma res show cm_id | grep -q LISTEN",
                        what="listener")
        client.ok("rm -f /tmp/refused.rc; "
                  f"({client_cmd} > /tmp/refused.c 2>&1; "
                  "echo $? > /tmp/refused.rc) &")
        # until dropped, or the client gave up without a drop
        wait_until(lambda: (no_right(h, port),
                            client.run("test -e /tmp/refused.rc")[0]),
                   lambda st: st[0] > before or st[1] == 0, timeout=60,
                   what=f"`{client_cmd}`: dropped, or ended")
        dropped = no_right(h, port) > before
        rc = client.run("cat /tmp/refused.rc")[1].strip()
        out = client.run("cat /tmp/refused.c")[1]
        tool = next(w for w in client_cmd.split()
                    if w != "timeout" and not w.isdigit())
        client.run(f"killall {tool}; true")
        server.run(f"killall {start_server.split()[0]}; true")
        server.wait_for(f"! pidof {start_server.split()[0]}",
                        what="server gone")
        check(rc != "0", f"`{client_cmd}` completed without the right:\n"
              f"{out}")
        if dropped:
            return out
    raise TestFail(f"`{client_cmd}`: nothing dropped for lack of right:\n"
                   f"{out}")


def test_rights_debug(images):
    t = topo.start(images, "debug")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h, POLICY)

        rc, out = perf(v1, v2, "ib_write_bw")
        check(rc == 0, f"ib_write_bw -R failed with write granted:\n{out}")
        check(no_right(h) == 0, "packets dropped for lack of right")

        for tool, args in (("ib_read_bw", PERF), ("ib_atomic_bw", ATOMIC)):
            refused(h, v2, v1, f"{tool} -R {args}",
                    f"timeout 60 {tool} -R {args} {topo.vm_ip(2)}")

        h.ok("rdmapolicy rule change id 1 prio 100 from vm vm1 to vm vm2 "
             "service tcp 18515 qp rc allow send,write,read,atomic")
        before = no_right(h)
        for tool, args in (("ib_read_bw", PERF), ("ib_atomic_bw", ATOMIC)):
            rc, out = perf(v1, v2, tool, args)
            check(rc == 0, f"{tool} -R failed with the right:\n{out}")
        check(no_right(h) == before, "granted packets dropped")

        v2.ok("ucmatose -c 2 -C 10 > /tmp/ucs 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep LISTEN | grep -q ':7471'",
                    what="ucmatose listener")
        rc, out = v1.run(f"timeout 60 ucmatose -s {topo.vm_ip(2)} -c 2 "
                         "-C 10", timeout=90)
        check(rc == 0 and "test complete" in out,
              f"ucmatose failed:\n{out}")

        # rights per direction: the responder may not read the requester
        refused(h, v2, v1, f"rping -s -a {topo.vm_ip(2)} -C 3 -v",
                f"timeout 20 rping -c -a {topo.vm_ip(2)} -C 3 -v",
                port="eth1")
        h.ok("rdmapolicy rule change id 3 prio 100 from vm vm1 to vm vm2 "
             "service tcp 7174 qp rc allow send,write,read "
             "reply send,write,read")
        check(json.loads(h.ok("rdmapolicy -j rule show id 3"))[0]["reply"]
              == ["send", "write", "read"], "reply rights not shown")
        rc, out = topo.rping(v2, v1, topo.vm_ip(2), count=3)
        check(rc == 0, f"rping failed with reply rights:\n{out}")
        v2.run("killall rping; true")
        # the failed rping's connection may wait for its DREP timeout
        h.ok("rdmapolicy conn flush")

        # nothing is installed any more: V2 got no data since
        check(conns(h) == [], "connections left")
        before = port_stats(h)[("eth1", "to_vm")]["data_pass"]
        check(h.run(f"test -e {SNIC}")[0] == 0, "NIC gone")
        after = port_stats(h)[("eth1", "to_vm")]["data_pass"]
        check(after == before, "data reached V2 without a connection")

        h.ok("rdmapolicy flush && rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean()
    finally:
        t.stop()


TESTS = [("rights-debug", test_rights_debug)]
