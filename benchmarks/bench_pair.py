"""Condense every cell of a bench once and evaluate it under `vdsd` (full epochs, several architectures) and `unified` in turn.

Two ordinary bench folders come out, `<out>/vdsd` and `<out>/unified`, each resumable with `prism-nb bench` and holding the
same condensed cells (the unified folder's cells are copies). Cell by cell, so that a run stopped at any point has every
finished cell evaluated under both protocols. Tables and charts are written at the end (or with `prism-nb bench --table-only`).

usage: python benchmarks/bench_pair.py --out runs/smooth --data synth:regime=smooth --methods random dm:init=real \
           [--vpcs 1,5] [--seeds 3] [--archs miniC3D,miniC3D_in] [--epochs N --teacher-epochs N (smoke tests only)]
"""
from __future__ import annotations
import argparse, shutil, sys
from pathlib import Path
from prism_nb.core import get_device
from prism_nb.cache import load_data
from prism_nb.bench import bench, bench_config, bench_cells, cell_dir, open_bench, run_cell, parse_method_spec
from prism_nb.methods import get_method

PROTOCOLS = ('vdsd', 'unified')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', required=True); p.add_argument('--data', default='synth'); p.add_argument('--methods', nargs='+', required=True)
    p.add_argument('--vpcs', default='1,5'); p.add_argument('--seeds', type=int, default=3); p.add_argument('--archs', default='miniC3D,miniC3D_in')
    p.add_argument('--epochs', type=int, default=None); p.add_argument('--teacher-epochs', type=int, default=None)
    a = p.parse_args(argv); out = Path(a.out); device = get_device()
    common = dict(data=a.data, methods=a.methods, vpcs=[int(v) for v in a.vpcs.split(',')], seeds=a.seeds, epochs=a.epochs, teacher_epochs=a.teacher_epochs)
    cfgs = dict(vdsd=bench_config(**common, protocol='vdsd', archs=a.archs.split(',')), unified=bench_config(**common, protocol='unified'))
    for name, cfg in cfgs.items(): open_bench(out/name, cfg)
    train, test = load_data(a.data)
    from prism_nb.teachers import get_teacher, teacher_epochs
    teacher = get_teacher(train, test, device=device, epochs=a.teacher_epochs or teacher_epochs(train))
    for spec, vpc, seed in bench_cells(cfgs['vdsd']):
        src = run_cell(out/'vdsd', spec, vpc, seed, cfgs['vdsd'], train, test, device, teacher)
        dst = cell_dir(out/'unified', spec, vpc, seed)
        if not (dst/'manifest.json').exists(): shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns('eval-*'))
        run_cell(out/'unified', spec, vpc, seed, cfgs['unified'], train, test, device, teacher)
        print(f'{spec} vpc {vpc} seed {seed}: done', flush=True)
    for name, cfg in cfgs.items(): bench(out/name, cfg, device, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))

if __name__ == '__main__': main()
