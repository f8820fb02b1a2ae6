#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the wire format's files from the family's YAML spec.

    scripts/ynl-gen.py [-o DIR]

writes, under DIR (default: the checkout), from
Documentation/netlink/specs/rdmapolicy.yaml:

    include/uapi/linux/rdmapolicy.h    ynl-gen-c's uapi rendering
    drivers/rdmapolicy/rp_nl_gen.h     the attribute policies (extern)
    drivers/rdmapolicy/rp_nl_gen.c     the attribute policies
    Documentation/netlink.rst          ynl-gen-rst's rendering

with the kernel's ynl from linux 6.12 (tools/net/ynl, unpacked by
scripts/setup.sh; RP_YNL overrides where).  ynl-gen-c is used as a
library, not through its main(), because for a 6.1 module only part of its
kernel output fits:

  - 6.1 has no split ops: the ops table, the multicast groups and the
    family struct stay hand-written in rp_netlink.c (scripts/ynl-check.py
    checks them against the spec); only the policies are generated;
  - 6.12's ynl-gen-c has no max-len check for binary attributes; it is
    rendered as { .type = NLA_BINARY, .len = N }, the classic form;
  - 6.12's ynl-gen-c gives a repeated string attribute NLA_STRING, which
    does not check the NUL; it is given its base type's policy
    (NLA_NUL_STRING), as a single string is;
  - its main() insists on the kernel's spec licence; the spec keeps the
    licence the uapi header has always had.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = 'Documentation/netlink/specs/rdmapolicy.yaml'
YNL = os.environ.get('RP_YNL', '/var/cache/rdmapolicy/src/'
                     'linux-source-6.12/tools/net/ynl')
OUT_UAPI = 'include/uapi/linux/rdmapolicy.h'
OUT_H = 'drivers/rdmapolicy/rp_nl_gen.h'
OUT_C = 'drivers/rdmapolicy/rp_nl_gen.c'
OUT_RST = 'Documentation/netlink.rst'


def load_gen():
    path = os.path.join(YNL, 'ynl-gen-c.py')
    if not os.path.exists(path):
        sys.exit(f'ynl-gen: no {path} (run scripts/setup.sh)')
    sys.path.insert(0, YNL)
    spec = importlib.util.spec_from_file_location('ynl_gen_c', path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    binary_policy = gen.TypeBinary._attr_policy

    def _attr_policy(self, policy):
        if list(self.checks) == ['max-len']:
            return ('{ .type = NLA_BINARY, .len = ' +
                    self.get_limit_str('max-len') + ', }')
        return binary_policy(self, policy)
    gen.TypeBinary._attr_policy = _attr_policy

    def multi_attr_policy(self, cw):
        self.base_type.attr_policy(cw)
    gen.TypeMultiAttr.attr_policy = multi_attr_policy
    return gen


def load_family(gen, tmp):
    # nlspec finds the schema next to the spec's directory
    os.mkdir(os.path.join(tmp, 'specs'))
    spec = os.path.join(tmp, 'specs', 'rdmapolicy.yaml')
    os.symlink(os.path.join(ROOT, SPEC), spec)
    os.symlink(os.path.join(YNL, '../../../Documentation/netlink/'
                            'genetlink-legacy.yaml'),
               os.path.join(tmp, 'genetlink-legacy.yaml'))
    return gen.Family(spec, [])


def banner(gen, family, path, what, c_comment):
    cw = gen.CodeWriter(gen.BaseNlLib(), path)
    if c_comment:
        cw.p(f'// SPDX-License-Identifier: {family.license}')
    else:
        cw.p(f'/* SPDX-License-Identifier: {family.license} */')
    cw.p('/* Do not edit directly, auto-generated from: */')
    cw.p(f'/*\t{SPEC} */')
    cw.p(f'/* by scripts/ynl-gen.py ({what}) */')
    cw.nl()
    return cw


def request_structs(family):
    return [s for _, s in sorted(family.pure_nested_structs.items())
            if s.request]


def gen_uapi(gen, family, path):
    cw = banner(gen, family, path, 'ynl-gen-c uapi', False)
    gen.render_uapi(family, cw)
    cw.close_out_file()


def gen_kernel(gen, family, path_h, path_c):
    glob = gen.Struct(family, family.global_policy_set,
                      type_list=family.global_policy)

    cw = banner(gen, family, path_h, 'ynl-gen-c kernel policies', False)
    cw.p('#ifndef _RP_NL_GEN_H')
    cw.p('#define _RP_NL_GEN_H')
    cw.nl()
    cw.p('#include <net/netlink.h>')
    cw.nl()
    cw.p('#include <uapi/linux/rdmapolicy.h>')
    cw.nl()
    for struct in request_structs(family):
        gen.print_req_policy_fwd(cw, struct)
    gen.print_req_policy_fwd(cw, glob)
    cw.nl()
    cw.p('#endif /* _RP_NL_GEN_H */')
    cw.close_out_file()

    cw = banner(gen, family, path_c, 'ynl-gen-c kernel policies', True)
    cw.p('#include "rp_nl_gen.h"')
    cw.nl()
    gen.print_kernel_policy_ranges(family, cw)
    for struct in request_structs(family):
        gen.print_req_policy(cw, struct)
    cw.p(f'/* Global operation policy for {family.name} */')
    gen.print_req_policy(cw, glob)
    cw.close_out_file()


def gen_rst(path):
    subprocess.run([sys.executable, os.path.join(YNL, 'ynl-gen-rst.py'),
                    '-i', os.path.join(ROOT, SPEC), '-o', path], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', dest='out', default=ROOT,
                    help='output directory (default: the checkout)')
    args = ap.parse_args()

    gen = load_gen()
    with tempfile.TemporaryDirectory() as tmp:
        family = load_family(gen, tmp)
    out = {p: os.path.join(args.out, p)
           for p in (OUT_UAPI, OUT_H, OUT_C, OUT_RST)}
    for p in out.values():
        os.makedirs(os.path.dirname(p), exist_ok=True)
    gen_uapi(gen, family, out[OUT_UAPI])
    gen_kernel(gen, family, out[OUT_H], out[OUT_C])
    gen_rst(out[OUT_RST])


if __name__ == '__main__':
    main()
