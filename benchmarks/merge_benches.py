"""Merge the cells of several bench folders (e.g. one per process of a GPU session) into one bench folder and write its table.

Every source folder must hold cells of the same dataset, protocol and architectures; cells are copied, never overwritten.

usage: python benchmarks/merge_benches.py --out results/bench_smooth runs/gpu/smooth-selection/unified runs/gpu/smooth-distill-*/unified
"""
from __future__ import annotations
import argparse, json, shutil, sys
from pathlib import Path
from prism_nb.bench import bench, BenchConfig, BENCH_FILE

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', required=True); p.add_argument('sources', nargs='+')
    a = p.parse_args(argv); out = Path(a.out); cfgs = [json.loads((Path(s)/BENCH_FILE).read_text())['config'] for s in a.sources]
    keys = ('data', 'protocol', 'archs', 'epochs', 'teacher_epochs', 'iterations', 'eval_options')
    for s, c in zip(a.sources, cfgs):
        diff = [k for k in keys if c.get(k) != cfgs[0].get(k)]
        if diff: raise SystemExit(f"{s}: differs from {a.sources[0]} in {diff}")
    methods = list(dict.fromkeys(m for c in cfgs for m in c['methods'])); vpcs = sorted({v for c in cfgs for v in c['vpcs']})
    cfg = BenchConfig(**{**{k: cfgs[0][k] for k in keys}, 'methods': tuple(methods), 'vpcs': tuple(vpcs), 'seeds': max(c['seeds'] for c in cfgs)})
    for s in a.sources:
        for cell in sorted((Path(s)/'cells').glob('*/*')):
            dst = out/'cells'/cell.relative_to(Path(s)/'cells')
            if not dst.exists(): shutil.copytree(cell, dst)
    res = bench(out, cfg, table_only=True, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))
    print(f"{out}: {len(res['rows'])} rows from {len(a.sources)} folders")

if __name__ == '__main__': main()
