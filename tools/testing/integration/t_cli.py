# SPDX-License-Identifier: GPL-2.0
"""The rdmapolicy CLI against the kernel module in host guest H.

One boot of H, one subtest per scenario (see cli()): module autoload, round
trips (add, then show -j equals what was added), changes, help, prefixes
and unknown commands, the text of every show command, completion,
save / flush / -b and restore, unprivileged writes, malformed input
leaving the state as it was, dumps of many messages, -b's pipelined writes
stopping at the failing line, netdev removal,
monitor events, the NICs, unload; and, on this machine, the printers fed
recorded replies, malformed ones among them."""

import json
import os
import subprocess
import tempfile

import nlreply
import topo
from fixtures import monitor_events, subtest, wait_events
from rptest import check, wait_until

RP = "rdmapolicy"
HOST_TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "../../rdmapolicy")
COMPLETION = os.path.join(HOST_TOOL, "completion/rdmapolicy")

CONFIG = """\
vm add web1 id 10 tenant 7 port tap1 mac 52:54:00:00:01:01 addr 10.10.0.1/32 max-conns 64 setup-rate 100
vm add db1 id 11 tenant 7 port tap2 port tap3 addr 10.10.0.2/32 addr fd00:7::2/128
vm add far id 20 tenant 7 remote addr 10.20.0.0/24
rule add prio 100 from tenant 7 to vm db1 service tcp 18515-18520 qp rc allow send,write,read reply send,write
rule add id 7 prio 50 from vm web1 to prefix 10.20.0.0/24 deny
rule add prio 200 from any to any service ib qp rc,ud allow all
"""

EXPECT_VMS = [
    {"name": "web1", "id": 10, "tenant": 7, "remote": False,
     "ports": ["tap1"], "macs": ["52:54:00:00:01:01"],
     "addrs": ["10.10.0.1/32"], "max_conns": 64, "setup_rate": 100},
    {"name": "db1", "id": 11, "tenant": 7, "remote": False,
     "ports": ["tap2", "tap3"], "macs": [],
     "addrs": ["10.10.0.2/32", "fd00:7::2/128"], "max_conns": 0,
     "setup_rate": 0},
    {"name": "far", "id": 20, "tenant": 7, "remote": True, "ports": [],
     "macs": [], "addrs": ["10.20.0.0/24"], "max_conns": 0,
     "setup_rate": 0},
]

EXPECT_RULES = [
    {"id": 7, "prio": 50, "from": {"type": "vm", "vm": "web1", "vm_id": 10},
     "to": {"type": "prefix", "prefix": "10.20.0.0/24"},
     "service": {"ps": "any"}, "qp": ["rc", "uc", "ud", "xrc"],
     "action": "deny"},
    {"id": 1, "prio": 100, "from": {"type": "tenant", "tenant": 7},
     "to": {"type": "vm", "vm": "db1", "vm_id": 11},
     "service": {"ps": "tcp", "port_min": 18515, "port_max": 18520},
     "qp": ["rc"], "action": "allow", "rights": ["send", "write", "read"],
     "reply": ["send", "write"]},
    {"id": 2, "prio": 200, "from": {"type": "any"}, "to": {"type": "any"},
     "service": {"ps": "ib", "port_min": 0, "port_max": 65535},
     "qp": ["rc", "ud"], "action": "allow",
     "rights": ["send", "write", "read", "atomic"], "reply": ["send"]},
]


def rp_json(h, args):
    out = h.ok(f"{RP} -j {args}")
    try:
        return json.loads(out)
    except ValueError as e:
        raise AssertionError(f"`{RP} -j {args}` printed invalid JSON "
                             f"({e}):\n{out}")


def state(h):
    return rp_json(h, "vm show"), rp_json(h, "rule show")


# the state every scenario from "change" on starts from and leaves
BEFORE = (EXPECT_VMS, EXPECT_RULES)


def fails(h, cmd, expect_msg, user=None):
    """cmd must exit non-zero with a message containing expect_msg."""
    if user:
        cmd = f"/usr/bin/setpriv --reuid={user} --regid={user} --clear-groups {cmd}"
    rc, out = h.run(cmd)
    check(rc != 0, f"`{cmd}` succeeded:\n{out}")
    check(expect_msg in out,
          f"`{cmd}`: expected a message with {expect_msg!r}, got:\n{out}")


def autoload(h):
    """The module is found through the family alias (autoload); kmod
    (/sbin) not busybox: the index must be modules.*.bin."""
    h.ok("d=/lib/modules/$(uname -r)/extra && mkdir -p $d && "
         "cp /rp/modules/rdmapolicy.ko $d/ && /sbin/depmod -a")
    check(h.run("lsmod | grep -q '^rdmapolicy '")[0] != 0,
          "module loaded too early")
    st = rp_json(h, "stats")
    check(st == [{"vms": 0, "rules": 0, "decisions": 0, "denied": 0,
                  "generation": 0, "conns": 0}], f"fresh stats: {st}")
    h.ok("lsmod | grep -q '^rdmapolicy '")


def round_trip(h):
    """What -b added is what show -j prints; show by name and id; text
    output is the add syntax; -s adds counters; -p parses the same."""
    h.ok(f"cat > /tmp/cfg <<'EOF'\n{CONFIG}EOF\n{RP} -b /tmp/cfg")
    vms, rules = state(h)
    check(vms == EXPECT_VMS, f"vm show -j:\n{vms}\nwanted:\n{EXPECT_VMS}")
    check(rules == EXPECT_RULES,
          f"rule show -j:\n{rules}\nwanted:\n{EXPECT_RULES}")
    check(rp_json(h, "vm show db1") == [EXPECT_VMS[1]], "vm show NAME")
    check(rp_json(h, "rule show id 7") == [EXPECT_RULES[0]],
          "rule show id")
    # text output is the add syntax
    text = h.ok(f"{RP} vm show web1").strip()
    check(text == CONFIG.splitlines()[0][len("vm add "):],
          f"vm show text: {text!r}")
    # -s adds counters, -p pretty JSON parses the same
    sv = rp_json(h, "-s vm show web1")
    check(sv[0].get("stats") == {"allowed": 0, "denied": 0, "conns": 0},
          f"-s: {sv}")
    check(json.loads(h.ok(f"{RP} -j -p vm show")) == EXPECT_VMS,
          "-p output differs")


def change(h):
    """Given attributes replace, others stay."""
    h.ok(f"{RP} vm change web1 addr 10.10.0.11/32 max-conns 2")
    w = rp_json(h, "vm show web1")[0]
    check(w["addrs"] == ["10.10.0.11/32"] and w["max_conns"] == 2 and
          w["ports"] == ["tap1"] and w["setup_rate"] == 100,
          f"vm change: {w}")
    h.ok(f"{RP} vm change web1 addr 10.10.0.1/32 max-conns 64")
    h.ok(f"{RP} rule change id 7 prio 50 from vm web1 "
         "to prefix 10.20.0.0/24 qp rc allow send")
    check(rp_json(h, "rule show id 7")[0]["rights"] == ["send"],
          "rule change")
    h.ok(f"{RP} rule change id 7 prio 50 from vm web1 "
         "to prefix 10.20.0.0/24 deny")
    check(state(h) == BEFORE, "state after changes")


VM_TEXT = [
    "web1 id 10 tenant 7 port tap1 mac 52:54:00:00:01:01 addr 10.10.0.1/32 "
    "max-conns 64 setup-rate 100",
    "db1 id 11 tenant 7 port tap2 port tap3 addr 10.10.0.2/32 "
    "addr fd00:7::2/128 max-conns 0 setup-rate 0",
    "far id 20 tenant 7 remote addr 10.20.0.0/24 max-conns 0 setup-rate 0",
]
RULE_TEXT = [
    "id 7 prio 50 from vm web1 to prefix 10.20.0.0/24 service any qp all deny",
    "id 1 prio 100 from tenant 7 to vm db1 service tcp 18515-18520 qp rc "
    "allow send,write,read reply send,write",
    "id 2 prio 200 from any to any service ib qp rc,ud allow all reply send",
]


def help_prefix(h):
    """Help generated from the command tables; a unique prefix names a
    command; an unknown one fails, naming the closest; commands that
    delete are not abbreviated."""
    out = h.ok(f"{RP} help")
    for cmd in ("vm show", "vm add", "rule change", "conn del", "nic show",
                "stats show", "monitor", "save", "restore FILE", "flush"):
        check(f"\n  {cmd} " in out, f"help without {cmd!r}:\n{out}")
    out = h.ok(f"{RP} vm help")
    check(out.startswith("Usage: rdmapolicy vm { show | add | change | "
                         "del | flush }") and
          "\n  vm add NAME id ID " in out, f"vm help:\n{out}")
    check(h.ok(f"{RP} help rule") == h.ok(f"{RP} rule help") and
          "SEL := any | vm NAME" in h.ok(f"{RP} rule help"), "rule help")
    check(rp_json(h, "r s") == EXPECT_RULES, "r s is not rule show")
    check(rp_json(h, "v") == EXPECT_VMS, "vm's default is not show")
    check(rp_json(h, "n") == rp_json(h, "nic show"), "n is not nic show")
    check(h.ok(f"{RP} r s id 7") == h.ok(f"{RP} rule show id 7"),
          "r s id 7")
    fails(h, f"{RP} vn", 'unknown object "vn"; did you mean "vm"?')
    fails(h, f"{RP} rule shwo", 'unknown command "shwo"; did you mean '
          '"show"?')
    fails(h, f"{RP} vm fl", 'did you mean "flush"? (it is not abbreviated)')
    check(rp_json(h, "s") == rp_json(h, "stats show"),
          "s is not stats (save is spelled out)")
    check(state(h) == BEFORE, "a prefix changed the configuration")


def text_output(h):
    """Text of every show command: one object per block, identity first,
    counters on their own lines with -s (-s -s: zero ones too)."""
    out = h.ok(f"{RP} vm show").splitlines()
    check(out == VM_TEXT, f"vm show:\n{out}")
    out = h.ok(f"{RP} rule show").splitlines()
    check(out == RULE_TEXT, f"rule show (in evaluation order):\n{out}")
    out = h.ok(f"{RP} -s vm show web1").splitlines()
    check(out == [VM_TEXT[0], "    conns 0"], f"-s vm show web1: {out}")
    out = h.ok(f"{RP} -s -s vm show web1").splitlines()
    check(out == [VM_TEXT[0], "    allowed 0 denied 0 conns 0"],
          f"-s -s vm show web1: {out}")
    check(h.ok(f"{RP} -s rule show").splitlines() == RULE_TEXT,
          "-s rule show printed zero hits")
    out = h.ok(f"{RP} -s -s rule show id 7").splitlines()
    check(out == [RULE_TEXT[0], "    hits 0"], f"-s -s rule show: {out}")
    out = h.ok(f"{RP} stats").splitlines()
    check(len(out) == 1 and out[0].startswith("vms 3 rules 3 decisions 0 "
                                              "denied 0 generation "),
          f"stats: {out}")
    out = h.ok(f"{RP} -s -s stats").splitlines()
    check(len(out) >= 2 and
          out[1].startswith("    exception path: cm-messages 0 "),
          f"-s -s stats: {out}")
    st = rp_json(h, "-s stats")[0]
    check(set(st["exception"]) >= {"cm_messages", "rej_sent",
                                   "install_failed"}, f"-s stats: {st}")
    check(h.ok(f"{RP} conn show") == "" and rp_json(h, "conn show") == [],
          "connections without traffic")


def completion(h):
    """The completion asks the CLI: objects, verbs, keywords, live names."""
    def words(args):
        return set(h.ok(f"{RP} __complete {args}").split())
    check({"vm", "rule", "conn", "nic", "stats", "monitor", "help"} <=
          words("''"), "objects")
    verbs = words("rule ''")
    check(verbs == {"show", "add", "change", "del", "flush", "help"},
          f"rule verbs: {verbs}")
    check({"web1", "db1", "far"} <= words("vm show ''"), "VM names")
    check({"1", "2", "7"} <= words("rule del id ''"), "rule ids")
    check({"tap1", "tap4"} <= words("vm change web1 port ''"), "ports")
    check({"web1", "db1"} <= words("rule add from vm ''"), "from vm NAME")
    check({"prio", "from", "allow", "deny"} <= words("rule add ''"),
          "rule keywords")
    check(words("rule add allow ''") >= {"send", "write", "read",
                                          "atomic", "all"}, "rights")
    check(words("restore ''") == {"!file"}, "restore FILE")
    # the bash side, on this machine, against the same binary
    script = (f"source {COMPLETION}; COMP_WORDS=(rdmapolicy r); "
              "COMP_CWORD=1; _rdmapolicy; echo \"${COMPREPLY[*]}\"")
    r = subprocess.run(["bash", "-c", script], capture_output=True,
                       text=True, timeout=10,
                       env=dict(os.environ, PATH=f"{HOST_TOOL}:"
                                f"{os.environ['PATH']}"))
    check(r.stdout.split() == ["rule", "restore"],
          f"bash completion of 'rdmapolicy r': {r.stdout!r} {r.stderr!r}")


def offline():
    """Printers against replies fed from a file (the hidden --replay),
    here on the host: text and JSON of every show command, and malformed
    replies failing with the attribute named, never a crash."""
    def run(args, data):
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            return subprocess.run([os.path.join(HOST_TOOL, "rdmapolicy"),
                                   "--replay", f.name] + args.split(),
                                  capture_output=True, text=True,
                                  timeout=10)

    sample = nlreply.sample()
    for obj, data in sample.items():
        for opts in ("", "-s", "-s -s", "-j", "-j -p", "-j -s"):
            r = run(f"{opts} {obj}", data)
            check(r.returncode == 0 and not r.stderr,
                  f"{opts} {obj} offline: {r.returncode} {r.stderr}")
            if opts.startswith("-j"):
                # the monitor: one document a line, -p or not
                for doc in (r.stdout.splitlines() if obj == "monitor"
                            else [r.stdout]):
                    json.loads(doc)
    out = run("conn", sample["conn"]).stdout.splitlines()
    check(out == ["conn 3 established vm1 10.10.0.1 qpn 17 -> vm2 "
                  "10.10.0.2 qpn 18",
                  "    service tcp 7174 qp rc rights send,write,read reply "
                  "send rule 1 installed age 12"], f"conn show: {out}")
    out = run("-s -s conn", sample["conn"]).stdout.splitlines()
    check(out[2:] == ["    req: psn-start 1000 psn-seen 1100",
                      "    rep: psn-start 2000 psn-seen 2050"],
          f"-s -s conn show: {out}")
    c = json.loads(run("-j conn", sample["conn"]).stdout)
    check(c == [{"id": 3, "state": "established",
                 "req": {"vm": "vm1", "addr": "10.10.0.1", "qpn": 17,
                         "psn": 1000},
                 "rep": {"vm": "vm2", "addr": "10.10.0.2", "qpn": 18,
                         "psn": 2000},
                 "service": {"ps": "tcp", "port": 7174}, "qp": "rc",
                 "rights": ["send", "write", "read"], "reply": ["send"],
                 "rule": 1, "installed": True, "age": 12,
                 "psn_seen": {"req": 1100, "rep": 2050}}], f"conn -j: {c}")
    out = run("-s nic", sample["nic"]).stdout.splitlines()
    check(out == ["nic rdmapolicy_snic caps psn-window,icrc psn-window 0 "
                  "conns 1 max-conns 1048576",
                  "    port eth0", "        pass 190 cm 4 no-flow 5",
                  "    port eth1", "        pass 190 cm 4"],
          f"-s nic show: {out}")
    out = run("monitor", sample["monitor"]).stdout.splitlines()
    check(out == ["conn new vm vm1 rule 1", "conn denied vm vm1",
                  "rule del id 1"], f"monitor: {out}")
    for obj, data, msg in nlreply.malformed():
        for opts in ("", "-j"):
            r = run(f"{opts} {obj}", data)
            check(r.returncode == 1 and
                  f"malformed reply from the kernel: " in r.stderr and
                  msg in r.stderr,
                  f"{obj} with a malformed reply: rc {r.returncode}, "
                  f"{r.stderr!r} (wanted {msg!r})")


def save_restore(h):
    """save, flush, -b restores exactly; restore does it atomically."""
    saved = h.ok(f"{RP} save > /tmp/saved && cat /tmp/saved")
    h.ok(f"{RP} flush")
    check(state(h) == ([], []), "flush left state")
    h.ok(f"{RP} -b /tmp/saved")
    check(state(h) == BEFORE, "-b of save differs")
    h.ok(f"{RP} flush && {RP} restore /tmp/saved")
    check(state(h) == BEFORE, "restore of save differs")
    check(h.ok(f"{RP} save") == saved, "save not stable")


def unprivileged(h):
    """Unprivileged writes: EPERM, nothing changes; reads work."""
    for cmd in ("vm add x id 99", "vm change web1 tenant 9",
                "vm del web1", "vm flush", "rule add deny",
                "rule change id 7 deny", "rule del id 7", "rule flush",
                "flush", "restore /tmp/saved"):
        fails(h, f"{RP} {cmd}", "Operation not permitted", user=65534)
    h.ok(f"/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups "
         f"{RP} -j vm show")
    check(state(h) == BEFORE, "unprivileged writes changed state")


BAD = [
    ("rule add from vm nosuch allow send", 'no VM named "nosuch"'),
    ("vm add x id 30 addr 10.0.0.0/33", "not an IPv4 or IPv6 prefix"),
    ("vm add x id 10", "RP_A_VM_ID: a VM with this id exists"),
    ("vm add web1 id 31", "RP_A_VM_NAME: a VM with this name exists"),
    ("vm add x id 32 port nosuchdev", "RP_A_VM_PORT: no such netdev"),
    ("vm add x id 33 port tap1", "RP_A_VM_PORT: port belongs to"),
    ("vm add x id 34 tenant 7 addr 10.10.0.2/32",
     "RP_A_VM_ADDR: prefix belongs to another VM"),
    ("vm add x id 35 remote port tap4",
     "a remote address space's ports are overlay devices"),
    ("vm add x id 35 remote mac 52:54:00:00:01:35", "has no MACs"),
    ("vm add x", 'missing "id ID"'),
    ("vm add x id 0", "0 is reserved"),
    ("vm add x id 36 mac 01:00:5e:00:00:01", "not a unicast MAC"),
    ("vm add x id 37 tenant -1", "not a number"),
    ("rule add service tcp 70000 allow send", "out of range"),
    ("rule add service tcp 9-8 allow send", "runs backwards"),
    ("rule add allow frob", 'unknown "frob"'),
    ("rule add allow send reply frob", 'unknown "frob"'),
    ("rule add from any", 'missing "allow RIGHTS" or "deny"'),
    ("rule add id 7 deny", "RP_A_RULE_ID: a rule with this id"),
    ("rule del id 999", "RP_A_RULE_ID: no rule with this id"),
    ("vm del db1", "rules name this VM"),
    ("vm flush", "rules name VMs"),
    ("vm frobnicate", 'unknown command "frobnicate"'),
    ("rule change deny", 'missing "id ID"'),
]


def malformed(h):
    """Malformed input: a message, non-zero exit, state unchanged."""
    for cmd, msg in BAD:
        fails(h, f"{RP} {cmd}", msg)
    h.ok("printf 'vm add ok1 id 40\\nvm add bad id 40\\n' > /tmp/bad")
    fails(h, f"{RP} restore /tmp/bad", "a VM with this id exists")
    check(state(h) == BEFORE, "rejected input changed state")


def bulk(h):
    """Dumps larger than one netlink message resume where they stopped."""
    h.ok("for i in $(seq 100 399); do "
         "echo \"vm add bulk$i id $i tenant 9 "
         "addr 10.99.$((i / 256)).$((i % 256))/32\"; "
         "echo \"rule add prio $i from vm bulk$i to tenant 9 deny\"; "
         "done > /tmp/bulk && rdmapolicy -b /tmp/bulk")
    vms, rules = state(h)
    check([v["id"] for v in vms] == [10, 11, 20] + list(range(100, 400)),
          f"dump of {len(vms)} VMs")
    check(len(rules) == 3 + 300, f"dump of {len(rules)} rules")
    check(len(h.ok(f"{RP} save").splitlines()) == 1 + 6 + 600,
          "save of the bulk configuration")
    ids = [r["id"] for r in rules if r["from"].get("vm", "")
           .startswith("bulk")]
    check(len(ids) == 300, f"bulk rules: {len(ids)}")
    h.ok("printf '" + "".join(f"rule del id {i}\\n" for i in ids) +
         f"' > /tmp/unbulk && {RP} -b /tmp/unbulk")
    h.ok("for i in $(seq 100 399); do echo \"vm del bulk$i\"; done "
         f"> /tmp/unbulk2 && {RP} -b /tmp/unbulk2")
    check(state(h) == BEFORE, "bulk add and delete left state changed")


def pipeline(h):
    """-b pipelines its writes: when a line in the middle of a window
    fails (in the kernel or in the CLI), that line is named, the lines
    before it are applied and none after it."""
    def batch(lines):
        h.ok("printf '" + "".join(ln + "\\n" for ln in lines) +
             "' > /tmp/pipe")
        return h.run(f"{RP} -b /tmp/pipe")

    def added():
        vms = {v["name"] for v in rp_json(h, "vm show")
               if v["name"].startswith("pipe")}
        rules = [r["id"] for r in rp_json(h, "rule show")
                 if r["from"].get("vm", "").startswith("pipe")]
        return vms, rules

    def undo():
        vms, rules = added()
        rc, out = batch([f"rule del id {i}" for i in rules] +
                        [f"vm del {n}" for n in sorted(vms)])
        check(rc == 0 and state(h) == BEFORE, f"undo: {out}")

    # a VM and a rule naming it (by the name the kernel has not got yet)
    good = []
    for i in range(40):
        good += [f"vm add pipe{i} id {500 + i} tenant 9",
                 f"rule add prio {500 + i} from vm pipe{i} to tenant 9 deny"]
    for bad_at, kernel in ((40, True), (60, False)):
        lines = list(good)
        if kernel:	# line 41 refused by the kernel, 61 by the CLI
            lines[40] = "rule add id 7 deny"
            lines[60] = "vm add x"
        else:
            lines[60] = "vm add x"
        rc, out = batch(lines)
        msg = ("RP_A_RULE_ID: a rule with this id exists" if kernel else
               'missing "id ID"')
        check(rc != 0 and msg in out and
              f"command failed /tmp/pipe:{bad_at + 1}" in out and
              (not kernel or 'missing "id ID"' not in out),
              f"-b failing at line {bad_at + 1}: {out}")
        vms, rules = added()
        check(vms == {f"pipe{i}" for i in range(bad_at // 2)} and
              len(rules) == bad_at // 2,
              f"lines before {bad_at + 1} applied, none after: {vms}, "
              f"{len(rules)} rules")
        undo()


def netdev_gone(h):
    """A port netdev that goes away leaves no dangling port."""
    h.ok("ip link del tap3")
    check(rp_json(h, "vm show db1")[0]["ports"] == ["tap2"],
          "deleted netdev still a port")


MONITOR_KINDS = ("vm new", "rule new", "vm change", "rule change", "flush",
                 "config replace")


def monitor(h):
    """The monitor started before the configuration saw its events."""
    # (events reach the monitor's file after their requests returned)
    wait_events(h, "/tmp/mon", lambda evs: set(MONITOR_KINDS) <=
                {e["event"] for e in evs}, what="configuration events")
    h.ok("kill $(cat /tmp/mon.pid)")
    events = monitor_events(h, "/tmp/mon")
    kinds = [e["event"] for e in events]
    for k in MONITOR_KINDS:
        check(k in kinds, f"no {k!r} event in {kinds}")
    check({"event": "vm new", "vm_id": 10} in events,
          f"vm new event for 10 missing: {events[:5]}")
    # text: VMs by name, in the words of the commands
    lines = ("vm new web1", "vm new db1", "rule new id 7", "vm change web1",
             "rule change id 7", "flush", "config replace")
    out = wait_until(lambda: h.ok("cat /tmp/mon.txt").splitlines(),
                     lambda o: set(lines) <= set(o), timeout=10,
                     what="text monitor events")
    h.ok("kill $(cat /tmp/montxt.pid)")
    check(set(lines) <= set(out), f"text monitor:\n{out[:20]}")


def nics(h):
    """None registered; the emulated one binds the VM ports as it
    registers (tap1 web1's, tap2 db1's); VM changes move bindings."""
    check(rp_json(h, "nic show") == [], "a NIC without a NIC module")
    h.ok("insmod /rp/modules/rdmapolicy_snic.ko")

    def nic_ports():
        return sorted(e["port"]["ifname"]
                      for e in rp_json(h, "nic show") if "port" in e)

    nics = rp_json(h, "nic show")
    zero = {k: 0 for k in ("pass", "cm", "cm_dropped", "no_flow",
                           "spoofed", "no_right", "psn", "malformed",
                           "mcast_denied", "mcast_no_member")}
    check(nic_ports() == ["tap1", "tap2"] and
          all(e["nic"] == "rdmapolicy_snic" and
              e["caps"] == ["psn-window", "icrc"] and
              e["psn_window"] == 0 and e["conns"] == 0 and
              e["max_conns"] == 1 << 20 and
              e["port"]["tenant"] == 7 and not e["port"]["overlay"] and
              e["port"]["from_vm"] == zero and
              e["port"]["to_vm"] == zero for e in nics),
          f"nic show after the NIC registered: {nics}")
    h.ok(f"{RP} vm change web1 port tap4")
    check(nic_ports() == ["tap2", "tap4"], f"ports: {nic_ports()}")
    h.ok("echo 4096 > /sys/module/rdmapolicy_snic/parameters/psn_window")
    check(all(e["psn_window"] == 4096 for e in rp_json(h, "nic show")),
          "psn_window not reported")
    text = h.ok(f"{RP} nic show").splitlines()
    check(text[0] == "nic rdmapolicy_snic caps psn-window,icrc "
          "psn-window 4096 conns 0 max-conns 1048576" and
          sorted(text[1:]) == ["    port tap2 tenant 7",
                               "    port tap4 tenant 7"],
          f"nic show text: {text!r}")
    check(h.ok(f"{RP} -s nic show").splitlines() == text,
          "-s nic show printed zero counters")
    text = h.ok(f"{RP} -s -s nic show")
    check("\n    port tap4 tenant 7\n        from-vm: pass 0 cm 0 "
          "cm-dropped 0 "
          "no-flow 0" in text and "\n        to-vm:   pass 0 " in text,
          f"-s -s nic show text: {text!r}")
    check(h.run(f"{RP} nic frob")[0] != 0, "nic frob accepted")
    h.ok(f"{RP} flush")
    nics = rp_json(h, "nic show")
    check(len(nics) == 1 and "port" not in nics[0],
          f"ports left bound after flush: {nics}")
    h.ok("rmmod rdmapolicy_snic")


def unload(h, kernel):
    h.ok(f"{RP} flush && rmmod rdmapolicy")
    h.check_clean(kmemleak=kernel == "debug")


def cli(images, kernel):
    t, h = topo.start_host(images, kernel)
    try:
        with subtest("autoload"):
            autoload(h)
        # VM ports, and a monitor that sees every change from here on
        h.ok("for i in 1 2 3 4; do "
             "ip link add tap$i type veth peer name peer$i || exit 1; done")
        h.ok(f"{RP} -j monitor > /tmp/mon 2>&1 & echo $! > /tmp/mon.pid")
        h.ok(f"{RP} monitor > /tmp/mon.txt 2>&1 & "
             "echo $! > /tmp/montxt.pid")
        with subtest("round-trip"):
            round_trip(h)
        with subtest("change"):
            change(h)
        # the help, the text printers and the completion are the CLI's
        # own (they only read what round-trip read): not on the debug
        # kernel again, nor the offline printers, which run here
        if kernel == "stock":
            with subtest("help-prefix"):
                help_prefix(h)
            with subtest("text"):
                text_output(h)
            with subtest("completion"):
                completion(h)
        with subtest("save-restore"):
            save_restore(h)
        with subtest("unprivileged"):
            unprivileged(h)
        with subtest("malformed"):
            malformed(h)
        with subtest("bulk"):
            bulk(h)
        with subtest("pipeline"):
            pipeline(h)
        with subtest("netdev-gone"):
            netdev_gone(h)
        with subtest("monitor"):
            monitor(h)
        with subtest("nic"):
            nics(h)
        with subtest("unload"):
            unload(h, kernel)
        if kernel == "stock":
            with subtest("offline"):
                offline()
    finally:
        t.stop()


def test_cli_debug(images):
    cli(images, "debug")


def test_cli_stock(images):
    cli(images, "stock")


TESTS = [("cli-stock", test_cli_stock), ("cli-debug", test_cli_debug)]
