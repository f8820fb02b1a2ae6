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
from rptest import check

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


def no_right(h):
    return port_stats(h)[("eth0", "from_vm")]["data_no_right"]


def test_rights_debug(images):
    t = topo.start(images, "debug")
    try:
        h, v1, v2 = t["H"], t["V1"], t["V2"]
        setup_host(h, POLICY)

        rc, out = perf(v1, v2, "ib_write_bw")
        check(rc == 0, f"ib_write_bw -R failed with write granted:\n{out}")
        check(no_right(h) == 0, "packets dropped for lack of right")

        for tool, args in (("ib_read_bw", PERF), ("ib_atomic_bw", ATOMIC)):
            # a run that fails before its first READ / atomic (perftest's
            # own connection trouble) shows nothing: run it again
            for _ in range(3):
                before = no_right(h)
                rc, out = perf(v1, v2, tool, args)
                if no_right(h) > before:
                    break
            check(rc != 0, f"{tool} -R passed without the right:\n{out}")
            check(no_right(h) > before,
                  f"{tool}: nothing dropped for lack of right:\n{out}")

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
        before = port_stats(h)[("eth1", "from_vm")]["data_no_right"]
        rc, out = topo.rping(v2, v1, topo.vm_ip(2), count=3, timeout=20)
        v2.run("killall rping; true")
        check(rc != 0, f"rping passed without reply rights:\n{out}")
        after = port_stats(h)[("eth1", "from_vm")]["data_no_right"]
        check(after > before, "the responder's READs were not dropped")
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
