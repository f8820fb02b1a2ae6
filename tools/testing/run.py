#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run rdmapolicy's KUnit suites and integration tests.

  run.py [--kunit] [--integration] [-k SUBSTRING] [--keep]

With neither --kunit nor --integration, runs both.  Prints one line per
integration test and per subtest (name, ok/FAIL, seconds) and closes with
"N passed, N failed" counting KUnit cases, integration tests and their
subtests together.
Exit status 0 only if nothing failed.
"""

import argparse
import glob
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fixtures  # noqa: E402
import pool  # noqa: E402
import rptest  # noqa: E402
from images import Images  # noqa: E402

TS = re.compile(r"^\[\s*\d+\.\d+\] ?")


def kunit_ktap(console, begin, end):
    """KTAP of the module suites between two /dev/kmsg markers, with the
    top-level header that 6.1 does not print for module tests."""
    lines, inside = [], False
    for raw in console.splitlines():
        line = TS.sub("", raw)
        if begin in line:
            inside = True
            continue
        if end in line:
            break
        if inside:
            lines.append(line)
    suites = sum(1 for ln in lines if re.match(r"^(not )?ok \d+ ", ln))
    return "KTAP version 1\n1..%d\n%s\n" % (suites, "\n".join(lines)), suites


def run_kunit(images, workdir, keep):
    """Boot the debug kernel, load every *_kunit.ko, judge with kunit.py."""
    src = os.environ["RP_KERNEL_SRC"]
    k = images.kernel("debug")
    passed = failed = 0
    res = None
    t0 = time.monotonic()
    # two vCPUs: concurrency cases need a reader running beside a writer.
    # A guest that dies while booting (before any module of ours is
    # loaded) is booted once more, its console printed: a fence for what
    # a slow boot may hit beside the _PRT timeout below.
    for attempt in (1, 2):
        topo = rptest.Topology()
        # pci=noacpi: PCI interrupt routing from the BIOS's $PIR table,
        # not by evaluating the DSDT's _PRT, whose AML loop hits ACPI's
        # loop timeout when TCG runs slowly (then the control port gets
        # no IRQ and the guest powers off); ACPI stays on for the CPUs
        g = topo.add("kunit", k.image, images.initrd("debug"), mem=1024,
                     smp=2, append="pci=noacpi")
        try:
            topo.start()
            break
        except rptest.BootFail as e:
            print(f"kunit: boot {attempt} failed: {e}", flush=True)
            topo.stop()
            if attempt == 2:
                print("kunit FAIL (the KUnit guest did not boot)")
                return 0, 1
    try:
        mods = g.ok("cd /rp/modules && ls *_kunit.ko").split()
        if not mods:
            raise rptest.TestFail("no KUnit modules in the image")
        g.ok("echo RP-KUNIT-BEGIN > /dev/kmsg && "
             "insmod /rp/modules/rdmapolicy.ko && "
             "insmod /rp/modules/rdmapolicy_snic.ko && "
             + " && ".join(f"insmod /rp/modules/{m}" for m in mods) +
             " && echo RP-KUNIT-END > /dev/kmsg", timeout=900)
        rptest.wait_until(g.console, lambda c: "RP-KUNIT-END" in c,
                          what="KUnit end marker on the console")
        # unload all, then let kmemleak see what stayed (5 s min age)
        g.ok("for m in " + " ".join(m[:-3] for m in reversed(mods)) +
             " rdmapolicy_snic rdmapolicy; do rmmod $m || exit 1; done")
        leaks = g.ok("sleep 6; echo scan > /sys/kernel/debug/kmemleak; "
                     "cat /sys/kernel/debug/kmemleak", timeout=120)
        ktap, suites = kunit_ktap(g.console(), "RP-KUNIT-BEGIN",
                                  "RP-KUNIT-END")
        path = os.path.join(workdir, "kunit.ktap")
        with open(path, "w") as f:
            f.write(ktap)
        res = subprocess.run(
            [sys.executable, os.path.join(src, "tools/testing/kunit/kunit.py"),
             "parse", path], capture_output=True, text=True)
        print(res.stdout, end="")
        m = re.search(r"Ran (\d+) tests: (.*)", res.stdout)
        counts = dict((k, int(v)) for k, v in
                      re.findall(r"(\w+): (\d+)", m.group(2))) if m else {}
        passed = counts.get("passed", 0)
        failed = sum(v for k, v in counts.items()
                     if k in ("failed", "crashed", "errors"))
        if res.returncode != 0 or not m or suites < len(mods):
            print(f"kunit: kunit.py parse exit {res.returncode}, "
                  f"{suites} suites for {len(mods)} modules")
            failed = max(failed, 1)
        problems = g.console_errors()
        if leaks.strip():
            problems.append("kmemleak:\n" + leaks)
        if problems:
            print("kunit: kernel reported problems:\n" + "\n".join(problems))
            failed += 1
    except rptest.TestFail as e:
        print(f"kunit: {e}")
        failed += 1
    finally:
        topo.stop(keep=keep and failed > 0)
    print(f"kunit {'ok' if not failed else 'FAIL'} "
          f"{time.monotonic() - t0:.1f}s ({passed} cases passed)")
    if failed:
        # kunit.py parse marks a failed case "[FAILED] name"
        cases = re.findall(r"\[(?:FAILED|CRASHED)\] (\S+)",
                           res.stdout if res else "")
        FAILURES.append(("kunit", f"{failed} failed" +
                         (": " + ", ".join(cases) if cases else "")))
    return passed, failed


# Every integration test module, in the order they run.  Each lists its
# tests in TESTS: [(name, function of images)], in order.  Tests on the
# same kind of topology run one after the other, so that each can take
# over the guests the one before it booted (pool.py): H alone (stock,
# then debug), then H with two VMs (stock, then debug), four VMs, two
# hosts.
MODULES = ("t_install", "t_cli", "t_security", "t_ynl", "t_smoke",
           "t_exception", "t_rights", "t_churn", "t_faults", "t_fuzz",
           "t_inject", "t_learn", "t_mcast", "t_tenants", "t_stock612",
           "t_twohost", "t_cluster", "t_overlay")


def integration_tests(pattern):
    found = {os.path.basename(p)[:-3] for p in
             glob.glob(os.path.join(HERE, "integration", "t_*.py"))}
    if found != set(MODULES):
        raise SystemExit("run.py: integration/ holds "
                         f"{sorted(found - set(MODULES))} not in MODULES, "
                         f"MODULES names {sorted(set(MODULES) - found)} "
                         "not in integration/")
    sys.path.insert(0, os.path.join(HERE, "integration"))
    tests = []
    for name in MODULES:
        mod = importlib.import_module(name)
        tests += [(tname, fn) for tname, fn in mod.TESTS
                  if not pattern or any(p in tname for p in pattern)]
    return tests


# (name, reason) of each failed test, subtest or KUnit run, summed up
# before the closing line so that a log's tail says what failed
FAILURES = []


def print_failures():
    if not FAILURES:
        return
    print(f"what failed ({len(FAILURES)}; the full reasons are above):")
    for name, why in FAILURES:
        lines = [ln.strip() for ln in why.strip().splitlines() if ln.strip()]
        # a traceback's last line names the exception
        first = lines[-1] if why.startswith("Traceback") else \
            (lines[0] if lines else "")
        print(f"  {name}: {first[:160]}")


def run_integration(images, pattern):
    """Each test counts once, and once more for each of its subtests
    (fixtures.subtest()); a test fails if it raised or a subtest failed."""
    passed = failed = 0
    pool.enable()
    try:
        for name, fn in integration_tests(pattern):
            t0 = time.monotonic()
            fixtures.begin_test(name)
            try:
                fn(images)
                ok, why = True, ""
            except rptest.TestFail as e:
                ok, why = False, str(e)
            except Exception:
                ok, why = False, traceback.format_exc()
            subs = fixtures.end_test()
            sub_failed = [n for n, sub_ok, _ in subs if not sub_ok]
            FAILURES.extend((n, w) for n, sub_ok, w in subs if not sub_ok)
            if ok and sub_failed:
                ok, why = False, "failed: " + ", ".join(sub_failed)
            elif not ok:
                FAILURES.append((name, why))
            pool.test_done(ok)
            fixtures.report(name, ok, time.monotonic() - t0, why)
            passed += ok + len(subs) - len(sub_failed)
            failed += (not ok) + len(sub_failed)
    finally:
        pool.close()
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kunit", action="store_true")
    ap.add_argument("--integration", action="store_true")
    ap.add_argument("-k", dest="pattern", action="append", default=[],
                    help="run the tests whose name contains PATTERN "
                    "(repeatable)")
    ap.add_argument("--keep", action="store_true",
                    help="keep guest consoles, sockets and images")
    args = ap.parse_args()
    if not args.kunit and not args.integration:
        args.kunit = args.integration = True
    if args.keep:
        os.environ["RP_KEEP"] = "1"
    rptest.enter_netns()
    sys.stdout.reconfigure(line_buffering=True)
    workdir = tempfile.mkdtemp(prefix="rdmapolicy-run-")
    images = Images(workdir)
    passed = failed = 0
    if args.kunit:
        p, f = run_kunit(images, workdir, args.keep)
        passed, failed = passed + p, failed + f
    if args.integration:
        p, f = run_integration(images, args.pattern)
        passed, failed = passed + p, failed + f
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print_failures()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
