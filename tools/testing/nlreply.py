# SPDX-License-Identifier: GPL-2.0
"""Replies of the rdmapolicy netlink family, built by hand.

For the CLI's hidden offline mode (`rdmapolicy --replay FILE ...`): FILE
holds the kernel's replies, one per request (each ending with a DONE or
an ERROR message).  Attribute numbers come from the uapi header by name,
so a renumbering there changes nothing here."""

import os
import re
import struct

UAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "../../include/uapi/linux/rdmapolicy.h")
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI = 2
FAMILY = 0x7f00			# what an offline socket resolves the family to
RDMA_PS = {"tcp": 0x0106, "udp": 0x0111, "ib": 0x013f, "ipoib": 0x0002}


def _enums(path=UAPI):
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    vals = {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        n = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            if expr.strip():
                # a number, or an expression of names before it
                n = eval(expr.strip(), {"__builtins__": {}}, vals)
            vals[name.strip()] = n
            n += 1
    for name, expr in re.findall(r"#define\s+(RP_\w+)\s+\(?(\d+U? << \d+|\d+)\)?",
                                 text):
        vals.setdefault(name, eval(expr.replace("U", "")))
    return vals


E = _enums()


def _attr(name, payload):
    t = E[name] if isinstance(name, str) else name
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)


def u8(name, v): return _attr(name, struct.pack("=B", v))
def u16(name, v): return _attr(name, struct.pack("=H", v))
def u32(name, v): return _attr(name, struct.pack("=I", v))
def u64(name, v): return _attr(name, struct.pack("=Q", v))
def flag(name): return _attr(name, b"")
def string(name, s): return _attr(name, s.encode() + b"\0")
def raw(name, b): return _attr(name, b)
def nest(name, *attrs): return _attr(name, b"".join(attrs))


def msg(cmd, *attrs, flags=NLM_F_MULTI):
    body = struct.pack("=BBH", E[cmd], 1, 0) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), FAMILY, flags, 0, 0) + body


def done():
    return struct.pack("=IHHIIi", 20, NLMSG_DONE, NLM_F_MULTI, 0, 0, 0)


def ack():
    return struct.pack("=IHHIIi", 36, NLMSG_ERROR, 0, 0, 0, 0) + b"\0" * 16


def dump(cmd, *msgs):
    """One reply of a dump: @msgs (lists of attributes) and a DONE."""
    return b"".join(msg(cmd, *m) for m in msgs) + done()


def prefix(name, addr, plen):
    import ipaddress
    return nest(name, raw("RP_A_PREFIX_ADDR",
                          ipaddress.ip_address(addr).packed),
                u8("RP_A_PREFIX_LEN", plen))


def vm(vid, name, tenant=0, ports=(), addrs=(), stats=None):
    a = [u32("RP_A_VM_ID", vid), string("RP_A_VM_NAME", name),
         u32("RP_A_VM_TENANT", tenant)]
    a += [string("RP_A_VM_PORT", p) for p in ports]
    a += [prefix("RP_A_VM_ADDR", *p.split("/")[:1], int(p.split("/")[1]))
          for p in addrs]
    a += [u32("RP_A_VM_MAX_CONNS", 0), u32("RP_A_VM_SETUP_RATE", 0)]
    if stats:
        a.append(nest("RP_A_VM_STATS",
                      u64("RP_A_VM_STATS_ALLOWED", stats[0]),
                      u64("RP_A_VM_STATS_DENIED", stats[1]),
                      u32("RP_A_VM_STATS_CONNS", stats[2])))
    return [nest("RP_A_VM", *a)]


def sample():
    """A configuration, connection, NIC and counters to show offline."""
    vms = dump("RP_CMD_VM_GET",
               vm(1, "vm1", 1, ["eth0"], ["10.10.0.1/32"], (5, 1, 1)),
               vm(2, "vm2", 1, ["eth1"], ["10.10.0.2/32"], (3, 0, 1)))
    rules = dump("RP_CMD_RULE_GET", [nest(
        "RP_A_RULE", u32("RP_A_RULE_ID", 1), u32("RP_A_RULE_PRIO", 100),
        nest("RP_A_RULE_SRC", u8("RP_A_SEL_TYPE", E["RP_SEL_VM"]),
             u32("RP_A_SEL_VM", 1)),
        nest("RP_A_RULE_DST", u8("RP_A_SEL_TYPE", E["RP_SEL_VM"]),
             u32("RP_A_SEL_VM", 2)),
        u16("RP_A_RULE_PS", RDMA_PS["tcp"]),
        u16("RP_A_RULE_PORT_MIN", 7174), u16("RP_A_RULE_PORT_MAX", 7174),
        u32("RP_A_RULE_QP_TYPES", 1),
        u8("RP_A_RULE_ACTION", E["RP_ACT_ALLOW"]),
        u32("RP_A_RULE_RIGHTS", 7), u64("RP_A_RULE_HITS", 4))])
    conn = dump("RP_CMD_CONN_GET", [nest(
        "RP_A_CONN", u32("RP_A_CONN_ID", 3),
        u8("RP_A_CONN_STATE", E["RP_CONN_STATE_ESTABLISHED"]),
        u32("RP_A_CONN_REQ_VM", 1), u32("RP_A_CONN_REP_VM", 2),
        raw("RP_A_CONN_REQ_ADDR", bytes([10, 10, 0, 1])),
        raw("RP_A_CONN_REP_ADDR", bytes([10, 10, 0, 2])),
        u32("RP_A_CONN_REQ_QPN", 17), u32("RP_A_CONN_REP_QPN", 18),
        u32("RP_A_CONN_REQ_PSN", 1000), u32("RP_A_CONN_REP_PSN", 2000),
        u16("RP_A_CONN_PS", RDMA_PS["tcp"]), u16("RP_A_CONN_PORT", 7174),
        u32("RP_A_CONN_QP_TYPE", 1), u32("RP_A_CONN_RIGHTS", 7),
        u32("RP_A_CONN_RULE_ID", 1), u32("RP_A_CONN_AGE", 12),
        flag("RP_A_CONN_INSTALLED"), u32("RP_A_CONN_REQ_PSN_SEEN", 1100),
        u32("RP_A_CONN_REP_PSN_SEEN", 2050),
        u32("RP_A_CONN_REPLY_RIGHTS", 1))])
    ctrs = ["PASS", "CM", "CM_DROPPED", "NO_FLOW", "SPOOFED", "NO_RIGHT",
            "PSN", "MALFORMED"]

    def port(name, idx, frm, to):
        return nest("RP_A_NIC_PORT", u32("RP_A_NIC_PORT_IFINDEX", idx),
                    string("RP_A_NIC_PORT_IFNAME", name),
                    nest("RP_A_NIC_PORT_FROM_VM",
                         *[u64("RP_A_NIC_CTR_" + c, v)
                           for c, v in zip(ctrs, frm)]),
                    nest("RP_A_NIC_PORT_TO_VM",
                         *[u64("RP_A_NIC_CTR_" + c, v)
                           for c, v in zip(ctrs, to)]))

    def nic(*p):
        return [nest("RP_A_NIC", string("RP_A_NIC_NAME", "rdmapolicy_snic"),
                     u32("RP_A_NIC_CAPS", 3), u32("RP_A_NIC_PSN_WINDOW", 0),
                     u32("RP_A_NIC_CONNS", 1),
                     u32("RP_A_NIC_MAX_CONNS", 1 << 20), *p)]
    nics = dump("RP_CMD_NIC_GET",
                nic(port("eth0", 3, [100, 2, 0, 5, 0, 0, 0, 0],
                         [90, 2, 0, 0, 0, 0, 0, 0])),
                nic(port("eth1", 4, [90, 2, 0, 0, 0, 0, 0, 0],
                         [100, 2, 0, 0, 0, 0, 0, 0])))
    stats = msg("RP_CMD_STATS_GET", nest(
        "RP_A_STATS", u32("RP_A_STATS_VMS", 2), u32("RP_A_STATS_RULES", 1),
        u64("RP_A_STATS_DECISIONS", 8), u64("RP_A_STATS_DENIED", 1),
        u32("RP_A_STATS_GENERATION", 3), u32("RP_A_STATS_CONNS", 1),
        *[u64("RP_A_STATS_" + c, v) for c, v in
          [("CM_MESSAGES", 9), ("CM_FLAGGED", 0), ("CM_DROPPED", 1),
           ("REJ_SENT", 1), ("SPOOFED", 0), ("MALFORMED", 0), ("NO_VM", 0),
           ("UNTRACKED", 0), ("RETRANSMIT", 0), ("UNSUPPORTED", 0),
           ("INSTALL_FAILED", 0)]]), flags=0) + ack()

    def event(t, vm_id=0, rule_id=0):
        a = [u8("RP_A_EVENT_TYPE", E[t])]
        if vm_id:
            a.append(u32("RP_A_EVENT_VM_ID", vm_id))
        if rule_id:
            a.append(u32("RP_A_EVENT_RULE_ID", rule_id))
        return msg("RP_CMD_EVENT", nest("RP_A_EVENT", *a), flags=0)
    events = (event("RP_EV_CONN_NEW", 1, 1) + event("RP_EV_CONN_DENIED", 1) +
              event("RP_EV_RULE_DEL", 0, 1))
    return {"vm": vms, "rule": vms + rules, "conn": vms + conn, "nic": nics,
            "stats": stats, "monitor": vms + events}


def malformed():
    """Replies that break the policy, each with what the CLI must say."""
    short_id = raw("RP_A_VM_ID", b"\1\0")
    return [
        ("vm", dump("RP_CMD_VM_GET", [nest("RP_A_VM", short_id,
                                           string("RP_A_VM_NAME", "x"))]),
         "RP_A_VM > RP_A_VM_ID: 2 bytes for a u32"),
        ("vm", dump("RP_CMD_VM_GET", [nest("RP_A_VM", u32("RP_A_VM_ID", 1),
                                           raw("RP_A_VM_NAME", b"abc"))]),
         "RP_A_VM > RP_A_VM_NAME: string without its NUL"),
        ("conn", dump("RP_CMD_CONN_GET", [nest(
            "RP_A_CONN", u32("RP_A_CONN_ID", 1),
            raw("RP_A_CONN_REQ_ADDR", b"\1\2\3"))]),
         "RP_A_CONN > RP_A_CONN_REQ_ADDR: 3 bytes, not an address"),
        ("nic", dump("RP_CMD_NIC_GET", [nest("RP_A_NIC", nest(
            "RP_A_NIC_PORT", nest("RP_A_NIC_PORT_FROM_VM",
                                  u32("RP_A_NIC_CTR_PASS", 1))))]),
         "RP_A_NIC > RP_A_NIC_PORT > RP_A_NIC_PORT_FROM_VM > "
         "RP_A_NIC_CTR_PASS: 4 bytes for a u64"),
        ("stats", msg("RP_CMD_STATS_GET", struct.pack("=HH", 40,
                                                      E["RP_A_STATS"])),
         "length 40"),
        ("vm", dump("RP_CMD_VM_GET", vm(1, "a"))[:-7], "cut short"),
    ]


if __name__ == "__main__":
    import sys
    what = sys.argv[1]
    if what == "malformed":
        obj, data, _ = malformed()[int(sys.argv[2])]
    else:
        data = sample()[what]
    sys.stdout.buffer.write(data)
