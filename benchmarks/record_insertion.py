"""Record where PRISM placed its key frames in bench cells: the key-frame lists of every video of one method spec's
condensed sets, per regime, VPC and seed, read from the cells' manifests, and what each eps of the paper's sweep would
promote on their trajectories (`prism_nb.analysis.cosine_shares` of their logs); nothing is condensed again.

`nbs/31_insertion.ipynb` reads the record to say which classes receive key frames and where, `nbs/35_ablations.ipynb` why
the eps sweep behaves as it does.

usage:    python benchmarks/record_insertion.py --bench smooth=runs/i12/cellsA motion=runs/i12m/cellsA [--spec prism:init=real]
recorded: python benchmarks/record_insertion.py --bench smooth=runs/i12/cellsA motion=runs/i12m/cellsA
"""
from __future__ import annotations
import argparse
from pathlib import Path
from prism_nb.bench import cell_dir, provenance
from prism_nb.core import write_json_atomic, read_manifest
from prism_nb.analysis import run_of_manifest, cosine_shares
from prism_nb.artifacts import load_log

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ('dataset', 'vpc', 'seed', 'iterations', 'frames', 'stored_frames', 'full_frames', 'bench_spec') # beside `run_of_manifest`'s

def cells(bench:Path, spec:str) -> list:
    "`run_of_manifest` and the manifest fields `FIELDS` of every condensed cell of `spec` in the bench folder `bench`, by VPC and seed."
    folder = cell_dir(bench, spec, 1, 0).parent
    if not folder.is_dir(): raise SystemExit(f"{bench}: no cells of {spec!r} (expected {folder})")
    out = []
    for run in sorted(folder.iterdir()):
        m, log = read_manifest(run, 'condensed'), load_log(run)
        cos = None if log is None else cosine_shares(log, m['iterations'], m['config']['warmup'], m['config']['cooldown'])
        out.append({k: m[k] for k in FIELDS} | run_of_manifest(m) | dict(cell=run.name, cosines=cos))
    if not out: raise SystemExit(f"{folder}: holds no condensed cell")
    return sorted(out, key=lambda c: (c['vpc'], c['seed']))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bench', nargs='+', required=True, help='regime=bench folder, one per regime')
    p.add_argument('--spec', default='prism:init=real'); p.add_argument('--out', default=str(ROOT/'results'/'insertion.json'))
    a = p.parse_args(argv)
    pairs = [b.split('=', 1) for b in a.bench]
    if any(len(b) != 2 for b in pairs): raise SystemExit(f"--bench: expected regime=folder items, got {a.bench}")
    regimes = {r: cells(Path(f), a.spec) for r, f in pairs}
    write_json_atomic(a.out, dict(benchmark='insertion', spec=a.spec, regimes=regimes, sources=dict(pairs), **provenance()))
    for r, cs in regimes.items(): print(r, [(c['vpc'], c['seed'], c['stored_frames']) for c in cs])
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
