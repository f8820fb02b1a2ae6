#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture real RDMA CM packets in our topology and write them as KUnit
test vectors (kunit/rp_cm_vectors.h).

V1 runs rping and ucmatose clients against V2 (real rdma_rxe, real
rdma-core); QEMU's filter-dump records V1's NIC.  From the pcap we keep the
first IPv4 RoCEv2 packet to QP1 of each CM message type, and one REJ (from
a connect to a port nobody listens on).

  tools/testing/capture-cm.py > kunit/rp_cm_vectors.h
"""

import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rptest  # noqa: E402
import topo  # noqa: E402
from images import Images  # noqa: E402

CM_ATTRS = {0x10: "req", 0x11: "mra", 0x12: "rej", 0x13: "rep",
            0x14: "rtu", 0x15: "dreq", 0x16: "drep"}


def pcap_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, off)
        off += 16
        yield data[off:off + incl]
        off += incl


def cm_frames(path):
    """(attr name, frame) of IPv4 RoCEv2 CM MADs in a pcap."""
    for fr in pcap_frames(path):
        if len(fr) < 14 + 20 + 8 + 12 + 8 + 24:
            continue
        if fr[12:14] != b"\x08\x00" or fr[23] != 17:
            continue
        ihl = (fr[14] & 0xf) * 4
        udp = 14 + ihl
        if struct.unpack_from(">H", fr, udp + 2)[0] != 4791:
            continue
        bth = udp + 8
        dqpn = struct.unpack_from(">I", fr, bth + 4)[0] & 0xffffff
        if fr[bth] != 0x64 or dqpn != 1:
            continue
        mad = bth + 12 + 8
        if fr[mad + 1] != 0x07:
            continue
        attr = struct.unpack_from(">H", fr, mad + 16)[0]
        if attr in CM_ATTRS:
            yield CM_ATTRS[attr], fr


def main():
    rptest.enter_netns()
    work = tempfile.mkdtemp(prefix="rdmapolicy-capture-")
    pcap = os.path.join(work, "v1.pcap")
    images = Images(work)
    t = topo.start(images, "stock", dump={1: pcap})
    try:
        v1, v2 = t["V1"], t["V2"]
        rc, out = topo.rping(v2, v1, topo.vm_ip(2), count=2)
        rptest.check(rc == 0, f"rping: {out}")
        v2.ok("ucmatose > /tmp/uc.s 2>&1 &")
        v2.wait_for("rdma res show cm_id | grep -q LISTEN")
        v1.ok(f"timeout 30 ucmatose -s {topo.vm_ip(2)} -c 1 -C 1")
        # REJ: nobody listens on port 9999
        v1.run(f"timeout 10 rping -c -a {topo.vm_ip(2)} -p 9999 -C 1")
    finally:
        t.stop()
    seen = {}
    for name, fr in cm_frames(pcap):
        seen.setdefault(name, fr)
    print("/* SPDX-License-Identifier: GPL-2.0 */")
    print("/*")
    print(" * RoCEv2 RDMA CM packets captured by tools/testing/capture-cm.py")
    print(" * from rping and ucmatose between two rdma_rxe guests (Debian")
    print(" * 6.1, rdma-core).  Whole Ethernet frames, ICRC included.")
    print(" * Generated; do not edit.")
    print(" */")
    for name in ("req", "rep", "rtu", "dreq", "drep", "rej"):
        if name not in seen:
            sys.exit(f"no {name} captured")
        fr = seen[name]
        print(f"\nstatic const u8 rp_vec_{name}[{len(fr)}] __maybe_unused = {{")
        for i in range(0, len(fr), 12):
            print("\t" + " ".join(f"0x{b:02x}," for b in fr[i:i + 12]))
        print("};")


if __name__ == "__main__":
    main()
