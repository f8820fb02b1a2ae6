# SPDX-License-Identifier: GPL-2.0
"""Kernels and initramfs images for the test guests.

Three kernels:
  stock     Debian's linux-image-amd64 (6.1), what operators run; VMs
            always use it.
  stock612  Debian 12's linux-image-6.12 (Debian 13's default), the host
            guest H of the tests that ask for it (t_stock612): our modules
            built against its headers (make modules-6.12), its own modules
            (xz-compressed in 6.12: kmod and the kernel decompress them).
  debug     the KUnit/debug kernel built by scripts/kernel-build.sh (KASAN,
            lockdep, kmemleak); runs KUnit and, on request, the host
            guest H.

Each guest's initrd is base + that kernel's modules + an overlay holding
this checkout's modules (built for that kernel), tools and netlink spec
(/rp/ynl/rdmapolicy.yaml).  With python=True it also has python3 and the
kernel's ynl library (/rp/ynl/lib): the guest runs ynl clients and the
libvirt hook.
"""

import glob
import os
import re
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Distribution modules the guests load (dependencies come along).
STOCK_MODULES = ["virtio_pci", "virtio_net", "virtio_console", "bridge",
                 "rdma_rxe", "ib_uverbs", "rdma_ucm", "crc32_generic", "veth",
                 "tun"]
# make bench (stock kernel only): the injector's device, the nftables
# baseline
BENCH_MODULES = ["dummy", "nf_tables"]


def _sh(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]


def _version_key(rel):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", rel)]


# the series of the stock612 kind (Makefile: KDIR_6_12)
STOCK612_SERIES = "6.12"


def stock_release(series=None):
    """The newest installed Debian kernel of a series: by default the stock
    series (6.1, or RP_STOCK_SERIES), which the modules are built for by
    default."""
    series = series or os.environ.get("RP_STOCK_SERIES", "6.1")
    rels = sorted((os.path.basename(p)[len("vmlinuz-"):]
                   for p in glob.glob(f"/boot/vmlinuz-{series}.*-amd64")),
                  key=_version_key)
    if not rels:
        raise SystemExit(f"no /boot/vmlinuz-{series}.*-amd64: "
                         "run scripts/setup.sh")
    return rels[-1]


def utsrelease(kdir):
    with open(os.path.join(kdir, "include/generated/utsrelease.h")) as f:
        return f.read().split('"')[1]


class Kernel:
    def __init__(self, kind, image, release, mod_root, build_dir,
                 one_cpu_args=""):
        self.kind = kind
        self.image = image
        self.release = release
        self.mod_root = mod_root        # ROOT of ROOT/lib/modules/<release>
        self.build_dir = build_dir      # where our modules were built
        # boot arguments for a guest with one CPU (the topologies' guests)
        self.one_cpu_args = one_cpu_args


class Images:
    def __init__(self, workdir):
        self.dir = workdir
        self.base = _sh(os.path.join(ROOT, "scripts/initramfs.sh"), "base")
        self.kernels = {}
        rel = stock_release()
        self.kernels["stock"] = Kernel(
            "stock", f"/boot/vmlinuz-{rel}", rel, "/",
            os.path.join(ROOT, "build", rel))
        # stock612 only where 6.12 is installed: kernel() says what is
        # missing when a test asks for it.  With ACPI, enabling the PCI
        # interrupt links of its built-in virtio devices took ~2 s each
        # under TCG (H reached /init after 25 s, 14 s with acpi=off)
        if glob.glob(f"/boot/vmlinuz-{STOCK612_SERIES}.*-amd64"):
            rel = stock_release(STOCK612_SERIES)
            self.kernels["stock612"] = Kernel(
                "stock612", f"/boot/vmlinuz-{rel}", rel, "/",
                os.path.join(ROOT, "build", rel), one_cpu_args="acpi=off")
        kdir = os.environ.get("RP_DEBUG_KDIR")
        if kdir:
            rel = utsrelease(kdir)
            # ACPI is there for the KUnit guest's second CPU; a guest
            # with one CPU boots without it: under TCG it made the debug
            # host guests' tests take 2.3 times as long (smoke-debug 100 s
            # against 43 s)
            self.kernels["debug"] = Kernel(
                "debug", os.path.join(kdir, "arch/x86/boot/bzImage"), rel,
                os.path.join(kdir, "mods"), os.path.join(ROOT, "build", rel),
                one_cpu_args="acpi=off")
        self.initrds = {}

    def kernel(self, kind):
        # (a test that asks for stock612 fails, the run goes on)
        if kind == "stock612" and kind not in self.kernels:
            raise RuntimeError(f"no /boot/vmlinuz-{STOCK612_SERIES}.*-amd64"
                               ": run scripts/setup.sh")
        if kind not in self.kernels:
            raise SystemExit(f"no {kind} kernel (RP_DEBUG_KDIR unset?)")
        k = self.kernels[kind]
        # H's kernel besides 6.1 needs our modules built for it
        if kind == "stock612" and not os.path.exists(os.path.join(
                k.build_dir, "drivers/rdmapolicy/rdmapolicy.ko")):
            raise RuntimeError(f"no modules for {k.release} in "
                               f"{k.build_dir}: run make modules-6.12")
        return k

    def initrd(self, kind, python=False):
        """The initrd for guests running the `kind` kernel (with python3
        and ynl if `python`)."""
        if (kind, python) in self.initrds:
            return self.initrds[(kind, python)]
        k = self.kernel(kind)
        mods = _sh(os.path.join(ROOT, "scripts/initramfs.sh"), "modules",
                   k.release, k.mod_root, *STOCK_MODULES,
                   *(BENCH_MODULES if kind == "stock" else []))
        ov = os.path.join(self.dir, f"overlay-{kind}")
        shutil.rmtree(ov, ignore_errors=True)
        os.makedirs(os.path.join(ov, "rp/modules"))
        for ko in glob.glob(os.path.join(k.build_dir, "**/*.ko"),
                            recursive=True):
            shutil.copy(ko, os.path.join(ov, "rp/modules"))
        tools = os.path.join(ROOT, "tools")
        os.makedirs(os.path.join(ov, "usr/bin"))
        for exe in glob.glob(os.path.join(tools, "*/rdmapolicy")) + \
                glob.glob(os.path.join(tools, "*/rp-*")):
            if os.access(exe, os.X_OK) and os.path.isfile(exe):
                shutil.copy(exe, os.path.join(ov, "usr/bin"))
        os.makedirs(os.path.join(ov, "rp/ynl"))
        shutil.copy(os.path.join(ROOT, "Documentation/netlink/specs/"
                                 "rdmapolicy.yaml"),
                    os.path.join(ov, "rp/ynl"))
        ovz = os.path.join(self.dir, f"overlay-{kind}.cpio.gz")
        subprocess.run([os.path.join(ROOT, "scripts/initramfs.sh"),
                        "overlay", ovz, ov], check=True)
        parts = [self.base, mods, ovz]
        if python:
            parts.insert(2, _sh(os.path.join(ROOT, "scripts/initramfs.sh"),
                                "python"))
        out = os.path.join(self.dir,
                           f"initrd-{kind}{'-python' if python else ''}")
        with open(out, "wb") as f:
            for part in parts:
                with open(part, "rb") as p:
                    shutil.copyfileobj(p, f)
        self.initrds[(kind, python)] = out
        return out
