# SPDX-License-Identifier: GPL-2.0
"""Booted topologies handed from one integration test to the next.

Booting guests under TCG is most of a short test's time (a debug H with
two VMs: ~30 s).  A test that passed leaves its topology here when it
stops it; the next test asking for the same kind (same kernels, VMs,
memory) gets it back once every guest is back to the state it had right
after bring-up:

- processes started since then are killed, netdevs made since then are
  deleted, modules loaded since then are unloaded (our modules among
  them), files left in /tmp are removed and, on a debug kernel, kmemleak
  forgets what it has seen;
- then a fingerprint of each guest (modules, links, addresses, routes,
  qdiscs, RDMA devices, namespaces, users, /tmp, and the files changed
  anywhere else) must equal the one taken after bring-up.  If anything differs, the topology is stopped and a
  fresh one booted (the difference is printed).

A test that failed takes its guests down with it (RP_KEEP=1 keeps their
consoles, as before).  Only the topology of the latest kind is kept: a
test of another kind stops it, so no idle guest competes for the CPUs
with a running test.  RP_POOL=0 boots every test afresh.

Each test reads its own part of a reused guest's console only
(Guest.console_base), so a report is charged to the test that caused it.
"""

import os

# the kind of the topology kept, and the topology
_kept = None
# topologies stopped by the running test, until run.py says how it ended
_parked = []

# run.py's integration run turns it on (enable()); elsewhere (make demo,
# make bench) a stopped topology stops
ENABLED = False


def enable():
    global ENABLED
    ENABLED = os.environ.get("RP_POOL", "1") != "0"

# Run in each guest with the PIDs of its processes after bring-up: kill
# the rest (builtins only, so that the loop starts no process of its own),
# wait for them, delete new netdevs, unload modules loaded since, empty
# /tmp of new files.
RESET = r"""
base=" $1 "; mods=" $2 "; files=" $3 "; links=" $4 "
newpids() {
	n=
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		case $base in *" $pid "*) continue;; esac
		[ "$pid" = $$ ] && continue
		[ -e "$p/exe" ] && n="$n $pid"
	done
}
i=0
while newpids; [ -n "$n" ]; do
	kill -9 $n 2>/dev/null
	i=$((i + 1)); [ $i -gt 50 ] && break
	sleep 0.1
done
ip=/usr/sbin/ip; [ -x $ip ] || ip=ip
for d in /sys/class/net/*; do
	case $links in *" ${d##*/} "*) ;; *) $ip link del "${d##*/}" 2>/dev/null;; esac
done
for pass in 1 2 3; do
	while read -r m _; do
		case $mods in *" $m "*) ;; *) rmmod "$m" 2>/dev/null;; esac
	done < /proc/modules
done
for f in /tmp/* /tmp/.[!.]*; do
	[ -e "$f" ] || continue
	case $files in *" ${f#/tmp/} "*) ;; *) rm -rf "$f";; esac
done
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
true
"""

# What must be as it was after bring-up.  An IPv6 address still in
# duplicate address detection at bring-up ("tentative") is the same
# address once DAD is done (without this, a topology fingerprinted within
# DAD's second was booted afresh for every test after it).
FINGERPRINT = r"""
echo "# modules"; cut -d' ' -f1 /proc/modules | sort
echo "# links"; ip -o link | sed 's/^[0-9]*: //'
echo "# addresses"; ip -o addr | sed 's/^[0-9]*: //; s/valid_lft.*//; s/ tentative//'
echo "# routes"; ip route; ip -6 route | grep -v '^fe80\|^multicast'
echo "# qdiscs"; tc qdisc show 2>/dev/null
echo "# rdma"; ls /sys/class/infiniband 2>/dev/null
echo "# netns"; ls /run/netns 2>/dev/null
echo "# users"; cat /etc/passwd /etc/group 2>/dev/null | md5sum
echo "# tmp"; ls -A /tmp
echo "# files changed"; find / -xdev \( -path /tmp -o -path /proc -o -path /sys \
	-o -path /dev \) -prune -o -cnewer /rp/.pool-mark -print 2>/dev/null
echo "# processes"; for p in /proc/[0-9]*; do
	[ "${p#/proc/}" = $$ ] || { [ -e "$p/exe" ] && echo "${p#/proc/}"; }
done
true
"""


def _state(g):
    """(pids, modules, /tmp files, netdevs) of guest g now."""
    out = g.ok("for p in /proc/[0-9]*; do [ -e $p/exe ] && "
               "[ ${p#/proc/} != $$ ] && echo -n \"${p#/proc/} \"; done; "
               "echo; cut -d' ' -f1 /proc/modules | tr '\\n' ' '; echo; "
               "ls -A /tmp | tr '\\n' ' '; echo; "
               "ls /sys/class/net | tr '\\n' ' '; echo")
    return out.split("\n")[:4]


def _fingerprint(g):
    # the fingerprinting shell is not in it (its PID differs each time)
    return g.ok(FINGERPRINT)


def remember(t, kind):
    """Topology t, of this kind, was just brought up: record its guests'
    state to come back to."""
    if not ENABLED:
        return
    t.pool_kind = kind
    for g in t.guests.values():
        g.ok("touch /rp/.pool-mark")
    t.pool_state = {n: _state(g) for n, g in t.guests.items()}
    t.pool_prints = {n: _fingerprint(g) for n, g in t.guests.items()}


def _back_to_start(t):
    """Reset t's guests; return what differs from the start ('' if
    nothing)."""
    diffs = []
    for n, g in t.guests.items():
        pids, mods, files, links = t.pool_state[n]
        g.ok(f"set -- '{pids}' '{mods}' '{files}' '{links}'\n{RESET}",
             timeout=60)
        now = _fingerprint(g)
        if now != t.pool_prints[n]:
            old, new = t.pool_prints[n].splitlines(), now.splitlines()
            diffs.append(f"{n}: lost {sorted(set(old) - set(new))}, "
                         f"gained {sorted(set(new) - set(old))}")
    return "; ".join(diffs)


def take(kind):
    """A kept topology of this kind, reset, or None; a kept topology of
    another kind is stopped."""
    global _kept
    if _kept is None:
        return None
    t, _kept = _kept, None
    if t.pool_kind != kind:
        t.stop_guests()
        return None
    try:
        diff = _back_to_start(t)
    except Exception as e:          # a guest that does not answer
        diff = f"reset failed: {e}"
    if diff:
        print(f"    booting afresh, the kept guests differ: {diff}",
              flush=True)
        t.stop_guests()
        return None
    for g in t.guests.values():
        g.console_base += len(g.console())
    return t


def evict():
    """A topology is about to boot: stop the kept one (no idle guest
    competes for the CPUs)."""
    global _kept
    if _kept is not None:
        _kept.stop_guests()
        _kept = None


def park(t):
    """The running test stopped t: keep it until the test's end is
    known.  False if t is not to be kept (the caller stops it)."""
    if not ENABLED or getattr(t, "pool_kind", None) is None:
        return False
    _parked.append(t)
    return True


def test_done(ok):
    """The test that ran last passed (ok) or failed: keep the topology it
    parked, or stop it (keeping its consoles with RP_KEEP=1)."""
    global _kept
    parked = _parked[:]
    del _parked[:]
    for t in parked:
        if ok and all(g.proc and g.proc.poll() is None
                      for g in t.guests.values()):
            if _kept is not None:
                _kept.stop_guests()
            _kept = t
        else:
            t.stop_guests(keep=not ok)


def close():
    """Stop whatever is kept or parked (the end of the run)."""
    global _kept
    for t in _parked + ([_kept] if _kept is not None else []):
        t.stop_guests()
    del _parked[:]
    _kept = None
