#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the hand-written side of the netlink family against its spec.

6.1 has no split ops, so the ops table is written by hand (in
drivers/rdmapolicy/*.c).  This checks, against
Documentation/netlink/specs/rdmapolicy.yaml:

  - every command with a do or dump has exactly one ops entry, with
    .doit / .dumpit as the spec has do / dump, and the spec's flags;
    no entry for any other command;
  - the family's policy is the generated global policy, its maxattr that
    policy's size, and it has the spec's multicast groups;
  - no nla_policy is written by hand, and every nla_parse_nested() uses a
    generated policy of the attribute set its maxtype names;
  - the masks the spec restates (RP_QP_ALL, RP_RIGHT_ALL) are the masks of
    their flags.

Prints what is wrong and exits 1, or exits 0 quietly.
"""
import glob
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, 'Documentation/netlink/specs/rdmapolicy.yaml')
SRC = os.path.join(ROOT, 'drivers/rdmapolicy')
GEN = 'rp_nl_gen.c'
FLAGS = {'admin-perm': 'GENL_ADMIN_PERM',
         'uns-admin-perm': 'GENL_UNS_ADMIN_PERM'}


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


def main():
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    fam = spec['name']
    op_pfx = c_upper(spec['operations']['name-prefix'])
    errors = []

    src = {}
    for path in sorted(glob.glob(os.path.join(SRC, '*.c'))):
        with open(path) as f:
            src[os.path.basename(path)] = f.read()
    code = '\n'.join(t for n, t in src.items() if n != GEN)

    # ops entries: { .cmd = RP_CMD_X, ... }
    entries = {}
    for m in re.finditer(r'\{\s*\.cmd\s*=\s*(\w+)\s*,(.*?)\}', code, re.S):
        cmd, body = m.group(1), m.group(2)
        if cmd in entries:
            errors.append(f'{cmd}: more than one ops entry')
        fields = dict(re.findall(r'\.(\w+)\s*=\s*([^,]+?)\s*(?:,|$)', body))
        entries[cmd] = fields

    for op in spec['operations']['list']:
        cmd = op_pfx + c_upper(op['name'])
        has_do, has_dump = 'do' in op, 'dump' in op
        e = entries.pop(cmd, None)
        if not (has_do or has_dump):
            if e is not None:
                errors.append(f'{cmd}: ops entry, but the spec has no do '
                              'or dump')
            continue
        if e is None:
            errors.append(f'{cmd}: no ops entry')
            continue
        for key, want in (('doit', has_do), ('dumpit', has_dump)):
            if (key in e) != want:
                errors.append(f'{cmd}: .{key} ' +
                              ('missing' if want else 'not in the spec'))
        want = sorted(FLAGS[f] for f in op.get('flags', []))
        got = sorted(x.strip() for x in e.get('flags', '').split('|')
                     if x.strip())
        if want != got:
            errors.append(f'{cmd}: flags {got}, spec says {want}')
    for cmd in entries:
        errors.append(f'{cmd}: ops entry for a command not in the spec')

    # the family
    gpol = f'{c_lower(fam)}_nl_policy'
    if not re.search(r'\.policy\s*=\s*' + gpol + r'\s*,', code):
        errors.append(f'family: .policy is not {gpol}')
    if not re.search(r'\.maxattr\s*=\s*ARRAY_SIZE\(' + gpol + r'\)\s*-\s*1',
                     code):
        errors.append(f'family: .maxattr is not ARRAY_SIZE({gpol}) - 1')
    for grp in spec.get('mcast-groups', {}).get('list', []):
        define = c_upper(grp.get('c-define-name',
                                 f"{fam}-mcgrp-{grp['name']}"))
        if not re.search(r'\.name\s*=\s*' + define + r'\b', code):
            errors.append(f'mcast group {grp["name"]}: no {define} entry')

    # policies: all generated, each used with its own set's maxtype
    for name, text in src.items():
        if name != GEN and re.search(r'struct\s+nla_policy\s+\w+\s*\[',
                                     text):
            errors.append(f'{name}: a hand-written nla_policy')
    sets = {s['name']: s for s in spec['attribute-sets']}
    for name, text in src.items():
        for m in re.finditer(r'nla_parse_nested\w*\(\s*\w+\s*,\s*([^,]+?)'
                             r'\s*,\s*[^,]+,\s*(\w+)\s*,', text, re.S):
            maxtype, pol = m.group(1), m.group(2)
            pm = re.fullmatch(c_lower(fam) + r'_(\w+)_nl_policy', pol)
            aset = sets.get(pm.group(1).replace('_', '-')) if pm else None
            if not aset:
                errors.append(f'{name}: nla_parse_nested() with {pol}, not '
                              'a generated policy')
                continue
            pfx = c_upper(aset['name-prefix'])
            ok = (maxtype == pfx + 'MAX' or
                  re.fullmatch(r'__' + pfx + r'MAX\s*-\s*1', maxtype) or
                  re.fullmatch(r'ARRAY_SIZE\(' + pol + r'\)\s*-\s*1',
                               maxtype))
            if not ok:
                errors.append(f'{name}: nla_parse_nested() with {pol} '
                              f'and maxtype {maxtype}')

    # restated masks
    consts = {d['name']: d for d in spec['definitions']}
    masks = {e['name']: e['value'] for e in consts['masks']['entries']}
    for entry, flags in (('qp-all', 'qp'), ('right-all', 'rights')):
        n = len(consts[flags]['entries'])
        if masks.get(entry) != (1 << n) - 1:
            errors.append(f'masks: {entry} is not the mask of {flags}')

    for e in errors:
        print(f'ynl-check: {e}')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
