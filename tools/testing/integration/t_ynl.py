# SPDX-License-Identifier: GPL-2.0
"""A second client from the spec: the family driven through the kernel's
ynl Python library (tools/net/ynl/lib of linux 6.12) with
Documentation/netlink/specs/rdmapolicy.yaml, not through the CLI.

The host side boots host guest H (python3 and ynl in its initrd, see
images.py), copies this file there and runs it as a script (the guest
side, below `if __name__ == "__main__"`), which exercises every command,
every dump and the events group, provokes every error the spec documents
(``- ``EXXX`` "message"`` lines in the operations' docs) and reports what
it saw as JSON.  The host side then checks that each documented error was
seen, with its errno and extack message, from its own command, and that
every command with a do or dump ran (conn-del on its errors only: no
connection exists without RDMA traffic); the unprivileged part runs the same
script as nobody, and as root of a user namespace of its own."""

import json
import os
import re
import sys

SPEC = "Documentation/netlink/specs/rdmapolicy.yaml"
NOBODY = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"
USERNS_MSG = ("needs CAP_NET_ADMIN in the initial user namespace "
              "(see rdmapolicy.userns_admin)")
# what the documented error list items look like in an operation's doc
DOC_ERR = re.compile(r'^- ``(E[A-Z0-9]+)`` "(.*)"$', re.M)


# ---- host side ------------------------------------------------------------

def documented_errors(spec):
    """{(op, errno name, message)} from the operations' docs."""
    errs = set()
    for op in spec["operations"]["list"]:
        for m in DOC_ERR.finditer(op.get("doc", "")):
            errs.add((op["name"], m.group(1), m.group(2)))
    return errs


def run_guest(h, mode, prefix=""):
    rc, out = h.run(f"{prefix} python3 /tmp/t_ynl.py {mode}", timeout=300)
    from rptest import check
    check(rc == 0, f"ynl client ({mode}) failed ({rc}):\n{out}")
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError) as e:
        raise AssertionError(f"ynl client ({mode}): no report ({e}):\n{out}")


def test_ynl_debug(images):
    import yaml
    from rptest import Topology, check

    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    with open(os.path.join(root, SPEC)) as f:
        spec = yaml.safe_load(f)
    with open(os.path.abspath(__file__)) as f:
        me = f.read()

    t = Topology()
    k = images.kernel("debug")
    h = t.add("H", k.image, images.initrd("debug", python=True), mem=1024,
              append=k.one_cpu_args)
    try:
        t.start()
        h.ok("insmod /rp/modules/rdmapolicy.ko && "
             "insmod /rp/modules/rdmapolicy_snic.ko")
        h.ok("for i in 1 2 3 4; do /usr/sbin/ip link add tap$i type veth "
             "peer name peer$i || exit 1; done")
        h.ok(f"cat > /tmp/t_ynl.py <<'RP_EOF'\n{me}RP_EOF")

        rep = run_guest(h, "admin")
        seen = {tuple(x) for x in rep["errors"]}
        missing = documented_errors(spec) - seen
        check(not missing, "documented errors not seen:\n" +
              "\n".join(f"  {op}: {e} {m!r}" for op, e, m in
                        sorted(missing)))
        ran = {tuple(x) for x in rep["ran"]}
        for op in spec["operations"]["list"]:
            for mode in ("do", "dump"):
                check(mode not in op or (op["name"], mode) in ran,
                      f"{op['name']} {mode} never ran")
        check(rep["events"] >= 1, "no events received")

        rep = run_guest(h, "nobody", NOBODY)
        check(rep["ok"], f"nobody: {rep}")
        # root of its own user and network namespace: the family's own
        # check (pre_doit) refuses, with its extack message
        rep = run_guest(h, "userns", f"{NOBODY} unshare -r -n")
        check(rep["ok"], f"userns: {rep}")

        h.ok("rmmod rdmapolicy_snic && rmmod rdmapolicy")
        h.check_clean(kmemleak=True)
    finally:
        t.stop(keep=False)


# ---- guest side -----------------------------------------------------------

class Client:
    """The ynl family with bookkeeping: what ran, which errors came."""

    def __init__(self):
        sys.path.insert(0, "/rp/ynl")
        from lib import NlError, YnlFamily
        self.NlError = NlError
        # schema '': no jsonschema in the guest (make lint validates)
        self.ynl = YnlFamily("/rp/ynl/rdmapolicy.yaml", schema="")
        self.ran = set()
        self.errors = set()
        self.checks = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            raise AssertionError(what)

    def do(self, op, vals=None):
        r = self.ynl.do(op, vals or {})
        self.ran.add((op, "do"))
        return r

    def dump(self, op, vals=None):
        r = self.ynl.dump(op, vals or {})
        self.ran.add((op, "dump"))
        return r

    def fails(self, op, vals, err, msg, dump=False):
        """op must fail with errno `err` and extack `msg` (None: none)."""
        import errno
        try:
            if dump:
                self.ynl.dump(op, vals)
            else:
                self.ynl.do(op, vals)
        except self.NlError as e:
            got = (e.nl_msg.extack or {}).get("msg")
            self.check(e.error == getattr(errno, err) and got == msg,
                       f"{op} {vals}: wanted {err} {msg!r}, got "
                       f"{errno.errorcode.get(e.error, e.error)} {got!r}")
            if msg is not None:
                self.errors.add((op, err, msg))
            # driven and answered by its handler (conn-del has only its
            # errors here: no connection exists without RDMA traffic)
            self.ran.add((op, "dump" if dump else "do"))
            return e
        raise AssertionError(f"{op} {vals}: succeeded, wanted {err} {msg!r}")


def ip(s):
    import ipaddress
    return ipaddress.ip_address(s).packed


def pfx(s):
    a, n = s.split("/")
    return {"addr": ip(a), "len": int(n)}


MAC1 = bytes.fromhex("525400000101")
RDMA_PS_TCP = 0x0106
WEB1 = {"id": 10, "name": "web1", "tenant": 7, "port": ["tap1"],
        "mac": [MAC1], "addr": [pfx("10.10.0.1/32")], "max-conns": 64,
        "setup-rate": 100}
DB1 = {"id": 11, "name": "db1", "tenant": 7, "port": ["tap2", "tap3"],
       "addr": [pfx("10.10.0.2/32"), pfx("fd00:7::2/128")]}
FAR = {"id": 20, "name": "far", "tenant": 7, "remote": True,
       "addr": [pfx("10.20.0.0/24")]}
RULE1 = {"prio": 100, "src": {"type": "tenant", "tenant": 7},
         "dst": {"type": "vm", "vm": 11}, "ps": RDMA_PS_TCP,
         "port-min": 18515, "port-max": 18520, "qp-types": ["rc"],
         "action": "allow", "rights": ["send", "write", "read"],
         "reply-rights": ["send", "write"]}
RULE7 = {"id": 7, "prio": 50, "src": {"type": "vm", "vm": 10},
         "dst": {"type": "prefix", "prefix": pfx("10.20.0.0/24")},
         "action": "deny"}


# "vm" and "rule" are multi-attr (CONFIG_SET repeats them): a reply's one
# VM or rule is the first of a list


def spec_attrs(c, aset):
    return {a.name for a in c.ynl.attr_sets[aset].attrs.values()
            if a.type not in ("unused", "pad")}


def vm_as_sent(vm):
    """What vm-get shows for a VM made from `vm`: the reply's forms."""
    want = {"tenant": 0, "max-conns": 0, "setup-rate": 0}
    want.update(vm)
    if "mac" in want:
        want["mac"] = [":".join(f"{b:02x}" for b in m) for m in want["mac"]]
    return want


def check_vm(c, got, sent):
    want = vm_as_sent(sent)
    c.check(got["stats"] == {"allowed": 0, "denied": 0, "conns": 0},
            f"vm {sent['name']} stats: {got.get('stats')}")
    got = {k: v for k, v in got.items() if k != "stats"}
    c.check(got == want, f"vm-get {sent['name']}: {got}, wanted {want}")


def check_rule(c, got, sent, rid):
    # setup: cm when not sent (always in replies)
    want = {"id": rid, "qp-types": {"rc", "uc", "ud", "xrc"}, "hits": 0,
            "prio": 0, "setup": "cm"}
    for k, v in sent.items():
        want[k] = set(v) if isinstance(v, list) else v
    if want["action"] == "allow":
        want.setdefault("reply-rights", want["rights"] & {"send"})
    if "ps" in want:
        want.setdefault("port-min", 0)
        want.setdefault("port-max", 65535)
    c.check(got == want, f"rule-get {rid}: {got}, wanted {want}")


def commands(c, mon):
    # VMs: new, get (by id, by name), dump, set
    for vm in (WEB1, DB1, FAR):
        c.check(c.do("vm-new", {"vm": vm}) is None, "vm-new replied")
    check_vm(c, c.do("vm-get", {"vm": {"id": 10}})["vm"][0], WEB1)
    check_vm(c, c.do("vm-get", {"vm": {"name": "db1"}})["vm"][0], DB1)
    vms = [m["vm"][0] for m in c.dump("vm-get")]
    c.check([v["id"] for v in vms] == [10, 11, 20], f"vm dump: {vms}")
    for got, sent in zip(vms, (WEB1, DB1, FAR)):
        check_vm(c, got, sent)
    c.check(spec_attrs(c, "vm") - {"remote"} == set(vms[0]),
            f"vm-get lacks attributes of the spec: {vms[0]}")
    c.do("vm-set", {"vm": {"name": "web1", "max-conns": 2,
                           "addr": [pfx("10.10.0.11/32")]}})
    w = c.do("vm-get", {"vm": {"id": 10}})["vm"][0]
    c.check(w["max-conns"] == 2 and w["port"] == ["tap1"] and
            w["addr"] == [pfx("10.10.0.11/32")], f"vm-set: {w}")
    c.do("vm-set", {"vm": {"id": 10, "max-conns": 64,
                           "addr": [pfx("10.10.0.1/32")]}})
    check_vm(c, c.do("vm-get", {"vm": {"id": 10}})["vm"][0], WEB1)

    # rules: new (picked and given id), get, dump, set
    c.do("rule-new", {"rule": RULE1})
    c.do("rule-new", {"rule": RULE7})
    check_rule(c, c.do("rule-get", {"rule": {"id": 7}})["rule"][0], RULE7, 7)
    rules = [m["rule"][0] for m in c.dump("rule-get")]
    # evaluation order: prio 50 (rule 7) before prio 100 (rule 1)
    c.check([r["id"] for r in rules] == [7, 1], f"rule dump: {rules}")
    check_rule(c, rules[1], RULE1, 1)
    c.check(spec_attrs(c, "rule") == set(rules[1]),
            f"rule-get lacks attributes of the spec: {rules[1]}")
    r7 = dict(RULE7, action="allow", rights=["send"], **{"qp-types": ["rc"]})
    c.do("rule-set", {"rule": r7})
    check_rule(c, c.do("rule-get", {"rule": {"id": 7}})["rule"][0], r7, 7)
    c.do("rule-set", {"rule": RULE7})

    # namespace counters: every attribute of the set
    st = c.do("stats-get")["stats"]
    c.check(set(st) == spec_attrs(c, "stats"), f"stats-get: {sorted(st)}")
    c.check(st["vms"] == 3 and st["rules"] == 2 and st["conns"] == 0 and
            st["generation"] > 0, f"stats-get: {st}")

    # NICs: the emulated one, with the VM ports it bound
    nics = [m["nic"] for m in c.dump("nic-get")]
    c.check(nics and all(n["name"] and "caps" in n for n in nics),
            f"nic-get: {nics}")
    ctrs = spec_attrs(c, "nic-ctr")
    for n in nics:
        if "port" in n:
            p = n["port"]
            c.check(set(p["from-vm"]) == ctrs and set(p["to-vm"]) == ctrs,
                    f"nic-get port counters: {p}")

    # connections: none without RDMA traffic; flush works
    c.check(c.dump("conn-get") == [], "conn-get: connections from nowhere")
    # multicast groups: none without IGMP/MLD or group traffic
    c.check(c.dump("group-get") == [], "group-get: groups from nowhere")
    c.check(c.do("conn-flush") is None, "conn-flush replied")

    # events so far, in order (the errors below send none)
    mon.ynl.check_ntf()
    evs = [m["msg"]["event"] for m in mon.ynl.async_msg_queue]
    mon.ynl.async_msg_queue.clear()
    want = ["vm-new"] * 3 + ["vm-set"] * 2 + ["rule-new"] * 2 + \
        ["rule-set"] * 2
    c.check([e["type"] for e in evs] == want, f"events: {evs}")
    c.check(evs[0].get("vm-id") == 10 and evs[6].get("rule-id") == 7,
            f"event ids: {evs}")
    return len(evs)


def errors(c):
    E = c.fails
    vm = {"id": 50, "name": "x", "tenant": 7}

    # vm-new
    E("vm-new", {}, "EINVAL", "RP_A_VM: missing")
    E("vm-new", {"vm": {"name": "x"}}, "EINVAL", "RP_A_VM_ID: missing")
    E("vm-new", {"vm": {"id": 50}}, "EINVAL", "RP_A_VM_NAME: missing")
    E("vm-new", {"vm": {"id": 50, "name": ""}}, "EINVAL",
      "RP_A_VM_NAME: a VM needs a name")
    E("vm-new", {"vm": {"id": 10, "name": "x"}}, "EEXIST",
      "RP_A_VM_ID: a VM with this id exists")
    E("vm-new", {"vm": {"id": 50, "name": "web1"}}, "EEXIST",
      "RP_A_VM_NAME: a VM with this name exists")
    E("vm-new", {"vm": dict(vm, remote=True, port=["tap4"])}, "EINVAL",
      "RP_A_VM_PORT: a remote address space's ports are overlay devices "
      "(vxlan), a VM's are not")
    E("vm-new", {"vm": dict(vm, remote=True, mac=[MAC1])}, "EINVAL",
      "RP_A_VM_REMOTE: a remote address space has no MACs")
    E("vm-new", {"vm": dict(vm, port=["tap4"] * 9)}, "E2BIG",
      "RP_A_VM_PORT: too many ports")
    E("vm-new", {"vm": dict(vm, port=["nosuchdev"])}, "ENODEV",
      "RP_A_VM_PORT: no such netdev")
    E("vm-new", {"vm": dict(vm, port=["lo"])}, "EOPNOTSUPP",
      "RP_A_VM_PORT: a NIC cannot hook a netdev of this kind")
    E("vm-new", {"vm": dict(vm, port=["tap4", "tap4"])}, "EINVAL",
      "RP_A_VM_PORT: port given twice")
    E("vm-new", {"vm": dict(vm, port=["tap1"])}, "EBUSY",
      "RP_A_VM_PORT: port belongs to another VM")
    E("vm-new", {"vm": dict(vm, mac=[bytes.fromhex("525400000150")] * 9)},
      "E2BIG", "RP_A_VM_MAC: too many MACs")
    E("vm-new", {"vm": dict(vm, mac=[b"\xff" * 6])}, "EINVAL",
      "RP_A_VM_MAC: not a unicast MAC")
    E("vm-new", {"vm": dict(vm, addr=[pfx("10.50.0.1/32")] * 17)}, "E2BIG",
      "RP_A_VM_ADDR: too many prefixes")
    E("vm-new", {"vm": dict(vm, addr=[pfx("10.50.0.1/32")] * 2)}, "EINVAL",
      "RP_A_VM_ADDR: prefix given twice")
    E("vm-new", {"vm": dict(vm, addr=[pfx("10.10.0.1/32")])}, "EEXIST",
      "RP_A_VM_ADDR: prefix belongs to another VM of the tenant")
    E("vm-new", {"vm": dict(vm, addr=[{"addr": ip("10.50.0.1")}])},
      "EINVAL", "prefix: needs an address and a length")
    E("vm-new", {"vm": dict(vm, addr=[{"addr": b"\x0a" * 5, "len": 8}])},
      "EINVAL", "RP_A_PREFIX_ADDR: not 4 or 16 bytes")
    E("vm-new", {"vm": dict(vm, addr=[{"addr": ip("10.50.0.1"),
                                       "len": 33}])},
      "EINVAL", "RP_A_PREFIX_LEN: over 32 for IPv4")
    # the generated policy: an attribute only replies carry, at the top
    E("vm-new", {"vm": vm, "stats": {}}, "EINVAL", "Unsupported attribute")
    # the policies' limits inside nests, one and two levels down: only
    # the genetlink core checks them (the family's parsers index what it
    # validated, rp_nla_index())
    E("vm-new", {"vm": dict(vm, addr=[{"addr": ip("::1"), "len": 129}])},
      "ERANGE", "integer out of range")
    E("vm-new", {"vm": dict(vm, addr=[pfx("10.50.0.1/32"),
                                      {"addr": b"\x0a" * 17, "len": 8}])},
      "ERANGE", "Attribute failed policy validation")

    # vm-set, vm-del, vm-get
    for op in ("vm-set", "vm-del", "vm-get"):
        E(op, {}, "EINVAL", "RP_A_VM: missing")
        E(op, {"vm": {"tenant": 3}}, "EINVAL",
          "RP_A_VM_ID: give the VM's id or name")
        E(op, {"vm": {"id": 999}}, "ENOENT", "RP_A_VM_ID: no such VM")
        E(op, {"vm": {"name": "nosuchvm"}}, "ENOENT",
          "RP_A_VM_ID: no such VM")
    E("vm-del", {"vm": {"id": 10}}, "EBUSY",
      "RP_A_VM_ID: rules name this VM; delete them first")

    # rule-new
    deny = {"action": "deny"}
    E("rule-new", {}, "EINVAL", "RP_A_RULE: missing")
    E("rule-new", {"rule": {"prio": 1}}, "EINVAL",
      "RP_A_RULE_ACTION: missing")
    E("rule-new", {"rule": dict(deny, id=7)}, "EBUSY",
      "RP_A_RULE_ID: a rule with this id exists")
    E("rule-new", {"rule": dict(deny, **{"port-min": 1})}, "EINVAL",
      "RP_A_RULE_PORT_MIN: ports need a port space (RP_A_RULE_PS)")
    E("rule-new", {"rule": dict(deny, ps=RDMA_PS_TCP, **{"port-min": 9,
                                                         "port-max": 8})},
      "EINVAL", "RP_A_RULE_PORT_MAX: smaller than RP_A_RULE_PORT_MIN")
    E("rule-new", {"rule": dict(deny, **{"qp-types": 0})}, "EINVAL",
      "RP_A_RULE_QP_TYPES: no or unknown QP types")
    E("rule-new", {"rule": dict(deny, src={"type": "vm", "vm": 0})},
      "ERANGE", "integer out of range")
    E("rule-new", {"rule": dict(deny, dst={"type": "prefix", "prefix": {
        "addr": ip("10.0.0.0"), "len": 200}})},
      "ERANGE", "integer out of range")
    E("rule-new", {"rule": {"action": "allow"}}, "EINVAL",
      "RP_A_RULE_RIGHTS: an allowing rule grants one or more known rights")
    E("rule-new", {"rule": dict(deny, rights=["send"])}, "EINVAL",
      "RP_A_RULE_RIGHTS: a denying rule grants no rights")
    E("rule-new", {"rule": dict(deny, setup="sidr")}, "EINVAL",
      "RP_A_RULE_SETUP: a rule accepts setup cm or any")
    E("rule-new", {"rule": dict(deny, src={})}, "EINVAL",
      "RP_A_SEL_TYPE: missing")
    E("rule-new", {"rule": dict(deny, src={"type": "vm"})}, "EINVAL",
      "RP_A_SEL_VM: missing for a VM selector")
    E("rule-new", {"rule": dict(deny, dst={"type": "tenant"})}, "EINVAL",
      "RP_A_SEL_TENANT: missing for a tenant selector")
    E("rule-new", {"rule": dict(deny, dst={"type": "prefix"})}, "EINVAL",
      "RP_A_SEL_PREFIX: missing for a prefix or group selector")
    E("rule-new", {"rule": dict(deny, src={"type": "vm", "vm": 999})},
      "ENOENT", "RP_A_SEL_VM: no VM with this id")
    # a group rule (Documentation/multicast.rst): UD, no service, SEND
    grp = {"action": "allow", "rights": ["send"], "qp-types": ["ud"],
           "dst": {"type": "group", "prefix": pfx("239.1.1.1/32")}}
    E("rule-new", {"rule": dict(grp, src=grp["dst"])}, "EINVAL",
      "RP_A_RULE_DST: a group rule names a group on one side only")
    E("rule-new", {"rule": dict(grp, dst={"type": "group",
                                          "prefix": pfx("10.1.1.0/24")})},
      "EINVAL", "RP_A_SEL_PREFIX: a group selector is a multicast prefix "
      "(224.0.0.0/4, ff00::/8)")
    E("rule-new", {"rule": dict(grp, ps=RDMA_PS_TCP)}, "EINVAL",
      "RP_A_RULE_PS: a group rule has no service")
    E("rule-new", {"rule": dict(grp, **{"qp-types": ["rc"]})}, "EINVAL",
      "RP_A_RULE_QP_TYPES: a group rule is for UD")
    E("rule-new", {"rule": dict(grp, rights=["send", "write"])}, "EINVAL",
      "RP_A_RULE_RIGHTS: a group rule grants send only")

    # rule-set, rule-del, rule-get
    E("rule-set", {"rule": deny}, "EINVAL", "RP_A_RULE_ID: missing")
    E("rule-set", {"rule": dict(deny, id=999)}, "ENOENT",
      "RP_A_RULE_ID: no rule with this id")
    for op in ("rule-del", "rule-get"):
        E(op, {}, "EINVAL", "RP_A_RULE: missing")
        E(op, {"rule": {}}, "EINVAL", "RP_A_RULE_ID: missing")
        E(op, {"rule": {"id": 999}}, "ENOENT",
          "RP_A_RULE_ID: no rule with this id")

    # a pipelined write (rdmapolicy -b) whose predecessor was not the
    # last change: refused before anything is looked at
    stale = "RP_A_IF_LAST_SEQ: the last change was another"
    for op in ("vm-new", "vm-set", "vm-del"):
        E(op, {"vm": {"id": 999}, "if-last-seq": 0x7ffffff0}, "ESTALE",
          stale)
    E("rule-new", {"rule": deny, "if-last-seq": 0x7ffffff0}, "ESTALE",
      stale)
    E("rule-set", {"rule": dict(deny, id=999), "if-last-seq": 0x7ffffff0},
      "ESTALE", stale)
    E("rule-del", {"rule": {"id": 999}, "if-last-seq": 0x7ffffff0},
      "ESTALE", stale)

    # flush
    E("flush", {}, "EINVAL", "RP_A_FLUSH: say what to flush")
    E("flush", {"flush": ["vms"]}, "EBUSY",
      "RP_A_FLUSH: rules name VMs; flush rules too")

    # conn-del
    E("conn-del", {}, "EINVAL", "RP_A_CONN: missing")
    E("conn-del", {"conn": {}}, "EINVAL", "RP_A_CONN_ID: missing")
    E("conn-del", {"conn": {"id": 999}}, "ENOENT",
      "RP_A_CONN_ID: no such connection")

    # config-set: all or nothing, the bad attribute named
    before = c.dump("vm-get"), c.dump("rule-get")
    e = E("config-set", {"vm": [WEB1], "rule": [dict(deny, src={
        "type": "vm", "vm": 999})]}, "ENOENT",
        "RP_A_SEL_VM: no VM with this id")
    c.check("bad-attr" in (e.nl_msg.extack or {}),
            f"config-set: no bad attribute: {e.nl_msg.extack}")
    c.check((c.dump("vm-get"), c.dump("rule-get")) == before,
            "a refused config-set changed the configuration")
    # a limit broken in the last rule's selector's prefix: the core
    # refuses the request before the family sees any of it
    E("config-set", {"vm": [WEB1], "rule": [deny, dict(deny, src={
        "type": "prefix", "prefix": {"addr": ip("10.0.0.0"), "len": 129}})]},
        "ERANGE", "integer out of range")
    c.check((c.dump("vm-get"), c.dump("rule-get")) == before,
            "a config-set refused by the policy changed the configuration")


def replace_and_flush(c, mon):
    c.do("config-set", {"vm": [WEB1, DB1], "rule": [RULE7]})
    c.check([m["vm"][0]["id"] for m in c.dump("vm-get")] == [10, 11] and
            [m["rule"][0]["id"] for m in c.dump("rule-get")] == [7],
            "config-set: not the configuration given")
    c.do("rule-del", {"rule": {"id": 7}})
    c.do("vm-del", {"vm": {"name": "db1"}})
    c.do("flush", {"flush": ["vms", "rules"]})
    c.check(c.dump("vm-get") == [] and c.dump("rule-get") == [],
            "flush left something")
    mon.ynl.check_ntf()
    evs = [m["msg"]["event"] for m in mon.ynl.async_msg_queue]
    want = ["config-set", "rule-del", "vm-del", "flush"]
    c.check([e["type"] for e in evs] == want, f"events: {evs}")
    c.check(evs[1].get("rule-id") == 7 and evs[2].get("vm-id") == 11,
            f"event ids: {evs}")
    return len(evs)


def guest_admin():
    c, mon = Client(), Client()
    mon.ynl.ntf_subscribe("events")
    events = commands(c, mon)
    errors(c)
    events += replace_and_flush(c, mon)
    # the events group saw the event command; record it as run
    c.ran.add(("event", "event"))
    return {"ran": sorted(c.ran), "errors": sorted(c.errors),
            "events": events, "checks": c.checks}


def guest_unprivileged(userns):
    c = Client()
    # reads are public
    c.check("stats" in c.do("stats-get"), "stats-get refused")
    c.dump("vm-get")
    c.dump("nic-get")
    # writes: the genetlink core refuses nobody (no extack), the family's
    # pre_doit refuses a user namespace's root
    msg = USERNS_MSG if userns else None
    for op, vals in (("vm-new", {"vm": {"id": 1, "name": "x"}}),
                     ("rule-new", {"rule": {"action": "deny"}}),
                     ("flush", {"flush": ["rules"]}),
                     ("conn-flush", {})):
        c.fails(op, vals, "EPERM", msg)
    # the connection dump: the genetlink core refuses nobody; the
    # family's first dump round a user namespace's root, with a message
    c.fails("conn-get", {}, "EPERM", msg, dump=True)
    return {"ok": True, "checks": c.checks}


TESTS = [("ynl-debug", test_ynl_debug)]


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "admin":
        report = guest_admin()
    else:
        report = guest_unprivileged(mode == "userns")
    print(json.dumps(report))
