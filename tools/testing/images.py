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
libvirt hook.  With cluster=True it also has etcd and the libraries
rdmapolicyd links (libcurl, json-c): ~17 MB gzip'ed, only for the cluster
test's hosts.
"""

import glob
import gzip
import lzma
import os
import re
import shutil
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Distribution tools in the overlay: rdmacm-utils' mckey (t_mcast), which
# links what rping does.
OVERLAY_BINS = ["/usr/bin/mckey"]
# Distribution modules the guests load (dependencies come along).
STOCK_MODULES = ["virtio_pci", "virtio_net", "virtio_console", "bridge",
                 "rdma_rxe", "ib_uverbs", "rdma_ucm", "crc32_generic", "veth",
                 "tun"]
# make bench (stock kernel only): the injector's device, the nftables
# baseline
BENCH_MODULES = ["dummy", "nf_tables"]
# the overlays between hosts (t_overlay.py; stock kernels only: the debug
# kernel has no vxlan)
OVERLAY_MODULES = ["vxlan"]


CACHE = os.environ.get("RP_CACHE", "/var/cache/rdmapolicy")


def _payload(bz):
    """The compressed vmlinux inside a bzImage (x86 boot protocol >= 2.08:
    payload_offset at 0x248 and payload_length at 0x24c of the protected
    mode code, which starts after (setup_sects + 1) * 512 bytes)."""
    with open(bz, "rb") as f:
        img = f.read()
    if img[0x202:0x206] != b"HdrS" or \
            struct.unpack_from("<H", img, 0x206)[0] < 0x208:
        return None
    pm = ((img[0x1f1] or 4) + 1) * 512
    off, length = struct.unpack_from("<II", img, 0x248)
    return img[pm + off:pm + off + length]


def _decompress(data):
    # the payload ends in the uncompressed size (4 bytes, for the
    # in-kernel decompressor), which the tools take for a truncated stream
    data = data[:-4]
    if data.startswith(b"\xfd7zXZ\x00"):
        return lzma.decompress(data)
    if data.startswith(b"\x1f\x8b"):
        return gzip.decompress(data)
    if data.startswith(b"\x28\xb5\x2f\xfd"):
        return subprocess.run(["zstd", "-dcq"], input=data, check=True,
                              capture_output=True).stdout
    return None


def pvh_image(bz):
    """An uncompressed ELF vmlinux for a bzImage whose kernel has a PVH
    entry point (Xen's ELF note 18, XEN_ELFNOTE_PHYS32_ENTRY): QEMU boots
    it directly, skipping the real-mode setup and the in-guest
    decompressor (under TCG: 3-4 s a boot of Debian's stock kernel).
    Cached per image; None when it cannot be made (then boot bz)."""
    st = os.stat(bz)
    out = os.path.join(CACHE, "vmlinux",
                       f"{os.path.basename(bz)}-{st.st_size}-"
                       f"{int(st.st_mtime)}")
    if os.path.exists(out):
        return out
    try:
        raw = _decompress(_payload(bz) or b"")
    except (OSError, EOFError, lzma.LZMAError,
            subprocess.CalledProcessError):
        raw = None
    if not raw or raw[:4] != b"\x7fELF" or not _has_pvh_note(raw):
        return None
    os.makedirs(os.path.dirname(out), exist_ok=True)
    for old in glob.glob(os.path.join(os.path.dirname(out),
                                      os.path.basename(bz) + "-*")):
        os.unlink(old)
    tmp = f"{out}.{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(raw)
    os.rename(tmp, out)
    return out


def _has_pvh_note(elf):
    """ELF64 little-endian: a PT_NOTE segment holding note "Xen", type 18."""
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        ptype, _, off, _, _, filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if ptype != 4:          # PT_NOTE
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and ntype == 18:
                return True
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


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
        bz = f"/boot/vmlinuz-{rel}"
        self.kernels["stock"] = Kernel(
            "stock", pvh_image(bz) or bz, rel, "/",
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

    def initrd(self, kind, python=False, cluster=False):
        """The initrd for guests running the `kind` kernel (with python3
        and ynl if `python`, etcd and rdmapolicyd's libraries if
        `cluster`)."""
        if (kind, python, cluster) in self.initrds:
            return self.initrds[(kind, python, cluster)]
        k = self.kernel(kind)
        mods = _sh(os.path.join(ROOT, "scripts/initramfs.sh"), "modules",
                   k.release, k.mod_root, *STOCK_MODULES,
                   *(BENCH_MODULES if kind == "stock" else []),
                   *(OVERLAY_MODULES if kind.startswith("stock") else []))
        ov = os.path.join(self.dir, f"overlay-{kind}")
        shutil.rmtree(ov, ignore_errors=True)
        os.makedirs(os.path.join(ov, "rp/modules"))
        for ko in glob.glob(os.path.join(k.build_dir, "**/*.ko"),
                            recursive=True):
            shutil.copy(ko, os.path.join(ov, "rp/modules"))
        tools = os.path.join(ROOT, "tools")
        os.makedirs(os.path.join(ov, "usr/bin"))
        for exe in glob.glob(os.path.join(tools, "*/rdmapolicy")) + \
                glob.glob(os.path.join(tools, "*/rdmapolicyd")) + \
                glob.glob(os.path.join(tools, "*/rp-*")):
            if os.access(exe, os.X_OK) and os.path.isfile(exe):
                shutil.copy(exe, os.path.join(ov, "usr/bin"))
        # distribution tools the base image lacks (it is shared and cached
        # by its contents): here, with the libraries the base has
        for exe in OVERLAY_BINS:
            if os.path.isfile(exe):
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
        if cluster:
            parts.insert(2, _sh(os.path.join(ROOT, "scripts/initramfs.sh"),
                                "cluster"))
        out = os.path.join(self.dir,
                           f"initrd-{kind}{'-python' if python else ''}"
                           f"{'-cluster' if cluster else ''}")
        with open(out, "wb") as f:
            for part in parts:
                with open(part, "rb") as p:
                    shutil.copyfileobj(p, f)
        self.initrds[(kind, python, cluster)] = out
        return out
