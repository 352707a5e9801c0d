"""The paired gap between condensed bench cells and the real clips they started from, under the cells' own evaluation.

MTT, DATM and `dm:init=real`/`prism:init=real` start from `real_batch(train, vpc, seed_everything(seed))`. This script
rebuilds those starting clips for a cell's (VPC, seed), checks that the cells did start there (each cell's key frames lie
closer to them than to the clips of another seed), saves them as a run folder and evaluates it with the cells' bench
protocol, architecture and evaluation seed. Cells that share a (VPC, seed) share one starting set and one evaluation.
With `--extend <earlier json>` the earlier record's cells and starting sets that this call does not recompute are carried
into the new one, each marked `carried_from` (the earlier command): the record grows after earlier cells' folders are gone.

usage: python benchmarks/init_gap.py --work runs/init_gap runs/s14m/cells/mtt/vpc5-seed0 runs/s14d/cells/datm/vpc5-seed0 \
           runs/s14m1/cells/mtt/vpc1-seed0 runs/s14d1/cells/datm/vpc1-seed0
       python benchmarks/init_gap.py --work runs/init_gap15 --extend results/init_gap_smooth.json runs/s15a/cells/mtt/vpc5-seed1 runs/s15b/cells/mtt/vpc5-seed2
"""
from __future__ import annotations
import argparse, json, sys, time
from pathlib import Path
from prism_nb.core import seed_everything, write_json_atomic
from prism_nb.bench import BENCH_FILE, BenchConfig, _eval_files
from prism_nb.cache import load_data
from prism_nb.condense import real_batch
from prism_nb.methods import Condensed, full_frame_videos
from prism_nb.runs import save_method, load_run, evaluate_run
from prism_nb.artifacts import data_fingerprints

ROOT = Path(__file__).resolve().parents[1]
DRAWN_BY = 'prism_nb.condense.real_batch after seed_everything(seed): the start of mtt, datm, dm:init=real and prism:init=real'
OTHER_SEED = 1000 # the seed of the reference clips a cell should lie farther from than from its own start

def cell_bench_config(cell: Path) -> dict:
    "The bench record's config of a cell folder `<bench>/cells/<spec>/<vpc-seed>`."
    f = cell.parents[1].parent/BENCH_FILE
    if not f.exists(): raise SystemExit(f"{cell}: no {BENCH_FILE} at {f}; expected a bench cell folder <bench>/cells/<spec>/vpc<V>-seed<S>")
    return json.loads(f.read_text())['config']

def top1(run: Path, bcfg: BenchConfig) -> float:
    "Mean top-1 of the run folder's evaluation under the bench `bcfg` (its one architecture)."
    return json.loads(_eval_files(run, bcfg)[0].read_text())['top1']['mean']

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('cells', nargs='+'); p.add_argument('--work', required=True)
    p.add_argument('--out', default=str(ROOT/'results'/'init_gap_smooth.json'))
    p.add_argument('--extend', default=None, help="an earlier record whose cells and starting sets this call does not recompute are carried over")
    a = p.parse_args(argv); cells = [Path(c) for c in a.cells]
    cfgs = [cell_bench_config(c) for c in cells]
    keys = ('data', 'protocol', 'archs', 'epochs', 'eval_options')
    if any(tuple(c[k] for k in keys) != tuple(cfgs[0][k] for k in keys) for c in cfgs): raise SystemExit("the cells come from benches of different data or protocols")
    cfg = cfgs[0]; bcfg = BenchConfig(**cfg); arch, = cfg['archs']
    train, test = load_data(cfg['data']); rec = dict(command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])), evaluation={k: cfg[k] for k in keys}, starts={}, cells={})
    if a.extend:
        old = json.loads(Path(a.extend).read_text())
        if old['evaluation'] != rec['evaluation']: raise SystemExit(f"{a.extend}: evaluated as {old['evaluation']}, not as these cells' bench ({rec['evaluation']})")
        given = set(map(str, cells)); carry = lambda d: {k: v | dict(carried_from=v.get('carried_from', old['command'])) for k, v in d.items()}
        rec['starts'], rec['cells'] = carry(old['starts']), carry({k: v for k, v in old['cells'].items() if k not in given})
    for cell in cells:
        videos, m = load_run(cell); vpc, seed = m['vpc'], m['seed']; key = f"vpc{vpc}-seed{seed}"
        start, labels = real_batch(train, vpc, seed_everything(seed)); other, _ = real_batch(train, vpc, seed_everything(OTHER_SEED))
        frames = videos.frames.cpu()
        d_start, d_other = (frames - start).abs().mean().item(), (frames - other).abs().mean().item()
        if d_start >= d_other: raise SystemExit(f"{cell}: its key frames lie no closer to seed {seed}'s starting clips ({d_start:.3f}) than to seed {OTHER_SEED}'s ({d_other:.3f}); not a cell that starts from real_batch")
        run = Path(a.work)/key
        if key not in rec['starts']:
            if not _eval_files(run, bcfg)[0].exists():
                res = Condensed(full_frame_videos(start, labels), dict(method='random', vpc=vpc, seed=seed, drawn_by=DRAWN_BY)) # real clips, a registered kind
                save_method(run, res, cfg['data'], train.classes, overwrite=True, bench_spec='start of ' + key, data_fingerprint=data_fingerprints(train=train, test=test))
                t0 = time.time(); evaluate_run(run, cfg['protocol'], [arch], [seed], cfg['epochs'], test=test, **cfg['eval_options'])
                print(f"{key}: starting clips evaluated in {time.time() - t0:.0f} s")
            rec['starts'][key] = dict(top1=top1(run, bcfg), run=str(run))
        t, t_start = top1(cell, bcfg), rec['starts'][key]['top1']
        rec['cells'][str(cell)] = dict(start=key, top1=t, gap=t - t_start, mean_abs_to_start=d_start, mean_abs_to_other_seed=d_other)
        print(f"{cell}: top-1 {t:.1f}, its starting clips {t_start:.1f}, gap {t - t_start:+.1f} "
              f"(mean |frames - start| {d_start:.3f}, to seed {OTHER_SEED}'s clips {d_other:.3f})")
    write_json_atomic(Path(a.out), rec); print('wrote', a.out)

if __name__ == '__main__': main()
