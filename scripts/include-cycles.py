#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail if the files of a directory (default drivers/rdmapolicy) include
each other in a circle.

A unit is a .c file and the .h of the same name, the way a reader takes
them; unit A depends on unit B when A's .c or .h includes "B.h".  The
units must form a DAG: the script prints every circle it finds (one per
strongly connected component) and exits 1 if there is one.  With -v it
prints each unit's dependencies, lowest layer first.
"""
import os
import re
import sys

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def graph(d):
    deps = {}
    for f in sorted(os.listdir(d)):
        stem, ext = os.path.splitext(f)
        if ext not in ('.c', '.h'):
            continue
        with open(os.path.join(d, f), encoding='utf-8') as fh:
            inc = {os.path.basename(m) for m in INC.findall(fh.read())}
        deps.setdefault(stem, set()).update(inc - {stem})
    return deps


def sccs(deps):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in deps:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(deps):
        if v not in index:
            visit(v)
    return out


def main():
    args = [a for a in sys.argv[1:] if a != '-v']
    d = args[0] if args else 'drivers/rdmapolicy'
    deps = graph(d)
    comps = sccs(deps)
    rc = 0
    for comp in comps:
        if len(comp) > 1:
            print(f"{d}: include circle among: {' '.join(comp)}")
            for v in comp:
                print(f"  {v} -> {' '.join(sorted(deps[v] & set(comp)))}")
            rc = 1
    if '-v' in sys.argv:
        # Tarjan emits components in reverse topological order
        for comp in comps:
            for v in comp:
                print(f"{v}: {' '.join(sorted(deps[v] & deps.keys()))}")
    return rc


if __name__ == '__main__':
    sys.exit(main())
