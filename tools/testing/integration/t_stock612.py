# SPDX-License-Identifier: GPL-2.0
"""H on Debian's stock 6.12 kernel (Debian 12's linux-image-6.12, Debian
13's default), our modules built against its headers (make modules-6.12);
the VMs stay on 6.1, so rxe 6.1 talks to rxe 6.1 through a 6.12 host.
One boot of the standard topology with three VMs runs the smoke,
exception and inject scenarios (t_smoke, t_exception, t_inject) as
subtests; between them H is left without our modules and the VMs'
RDMA programs are stopped, so each starts as on a fresh boot."""

import topo
from fixtures import subtest
from rptest import check
from t_exception import exception_scenario
from t_inject import inject_scenario
from t_smoke import smoke_scenario

PROGRAMS = "rping ib_send_bw"


def reset(t):
    """What a failed scenario may have left: our modules in H, RDMA
    programs and the monitor running, V1's second address."""
    h = t["H"]
    h.run("killall rdmapolicy; rdmapolicy flush; "
          "rmmod rdmapolicy_snic; rmmod rdmapolicy; true")
    for i in (1, 2, 3):
        v = t[f"V{i}"]
        v.run(f"killall {PROGRAMS}; true")
        v.wait_for(" && ".join(f"! pidof {p}" for p in PROGRAMS.split()),
                   what=f"V{i}'s RDMA programs gone")
    t["V1"].run("ip addr del 10.10.0.9/24 dev eth0; true")
    rc, _ = h.run("grep -q '^rdmapolicy' /proc/modules")
    if rc == 0:
        raise RuntimeError("our modules still loaded in H")


def test_stock612(images):
    t = topo.start(images, "stock612", vms=3)
    try:
        rel = t["H"].ok("uname -r").strip()
        check(rel == images.kernel("stock612").release,
              f"H runs {rel}, not 6.12")
        print(f"    H runs {rel}, the VMs {t['V1'].ok('uname -r').strip()}")
        scenarios = (("smoke", smoke_scenario),
                     ("exception", exception_scenario),
                     ("inject", inject_scenario))
        for i, (name, scenario) in enumerate(scenarios):
            if i:
                reset(t)
            with subtest(name):
                scenario(t, kmemleak=False)
    finally:
        t.stop()


TESTS = [("stock612", test_stock612)]
