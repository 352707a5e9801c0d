"""PRISM against full-frame DM and the no-insertion ablation on SynthActions (issue 4, section 5), and the g_k reading experiment.

Each variant is condensed at VPC 1 once per seed and evaluated with the `vdsd` protocol and MiniC3D (one network per
condensed set, seeded like it); results are mean +- std over the seeds. Resumable: finished runs are not recomputed.

    python benchmarks/prism_vs_dm.py                       # all variants, 3 seeds -> results/prism_vs_dm.json
    python benchmarks/prism_vs_dm.py --seeds 1 --iters 20 --epochs 20 --out /tmp/b   # a quick smoke run
    python benchmarks/prism_vs_dm.py --variants prism-direct,prism-none,ablate-random,ablate-l2,ablate-no-warmup,ablate-no-cooldown,ablate-eight,ablate-all \
        --seeds 1 --results results/ablations.json                                   # the paper's ablations
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import numpy as np, torch
from prism_nb.core import write_json_atomic
from prism_nb.cache import load_cached
from prism_nb.artifacts import read_manifest
from prism_nb.runs import condense_dataset, evaluate_run

REAL = dict(init='real') # PRISM from the first and last frame of a real clip (the first PRISM version's initialisation)
VARIANTS = { # name -> (method, CondenseConfig overrides)
    'dm': ('dm', dict()),
    'prism-direct': ('prism', dict(reading='direct', **REAL)),
    'prism-param': ('prism', dict(reading='param', **REAL)),
    'prism-none': ('prism', dict(insertion='none', **REAL)),
    'prism-noise': ('prism', dict(reading='direct', init='noise')),
}
ABLATIONS = { # the PRISM paper's ablations, each one change to the 'prism-direct' run
    'ablate-random': ('prism', dict(reading='direct', insertion='random', **REAL)),
    'ablate-l2': ('prism', dict(reading='direct', insertion='l2', **REAL)),
    'ablate-no-warmup': ('prism', dict(reading='direct', warmup=0., **REAL)),
    'ablate-no-cooldown': ('prism', dict(reading='direct', cooldown=0., **REAL)),
    'ablate-eight': ('prism', dict(reading='direct', init='eight')),
    'ablate-all': ('prism', dict(reading='direct', init='all')),
}
VARIANTS.update(ABLATIONS)

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--variants', default='dm,prism-direct,prism-param,prism-none'); p.add_argument('--seeds', type=int, default=3)
    p.add_argument('--iters', type=int, default=None); p.add_argument('--epochs', type=int, default=None)
    p.add_argument('--data', default='synth'); p.add_argument('--device', default=None)
    p.add_argument('--out', default='runs/prism_vs_dm'); p.add_argument('--results', default='results/prism_vs_dm.json')
    a = p.parse_args()
    train, test = load_cached(a.data)
    names = a.variants.split(','); rows = {n: [] for n in names}
    for seed in range(a.seeds):
        for name in names:
            method, kw = VARIANTS[name]
            run = Path(a.out)/f'{name}-s{seed}'; ev = run/'eval-vdsd-miniC3D.json'
            if not ev.exists():
                if not (run/'manifest.json').exists():
                    condense_dataset(run, a.data, method, 1, a.device, train=train, seed=seed,
                                     **kw, **({} if a.iters is None else dict(iterations=a.iters)))
                evaluate_run(run, 'vdsd', 'miniC3D', [seed], a.epochs, a.device, test=test)
            m, e = read_manifest(run), json.loads(ev.read_text())
            rows[name].append(dict(seed=seed, top1=e['top1']['mean'], top5=e['top5']['mean'], stored_frames=m['stored_frames'],
                                   full_frames=m['full_frames'], storage_bytes=m['storage_bytes'], condense_s=m['seconds'], eval_s=e['wall_s'],
                                   keyframes=m['keyframes'], iterations=m['iterations'], epochs=e['config']['epochs']))
            print(f"{name} seed {seed}: top-1 {rows[name][-1]['top1']:.2f}, stored {m['stored_frames']}/{m['full_frames']} frames", flush=True)
    summary = {}
    for name, rs in rows.items():
        t1 = [r['top1'] for r in rs]; sf = [r['stored_frames'] / r['full_frames'] for r in rs]
        summary[name] = dict(top1_mean=float(np.mean(t1)), top1_std=float(np.std(t1)), top5_mean=float(np.mean([r['top5'] for r in rs])),
                             stored_fraction_mean=float(np.mean(sf)), stored_frames_mean=float(np.mean([r['stored_frames'] for r in rs])),
                             condense_s_mean=float(np.mean([r['condense_s'] for r in rs])), runs=rs)
        print(f"{name:14s} top-1 {np.mean(t1):6.2f} +- {np.std(t1):5.2f}   stored {100 * np.mean(sf):5.1f}% of the frames")
    write_json_atomic(a.results, dict(command='python ' + ' '.join(sys.argv), data=a.data, protocol='vdsd', arch='miniC3D', vpc=1,
        machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, device=a.device or 'auto'),
        date=time.strftime('%Y-%m-%d %H:%M'), summary=summary))
    print(f"wrote {a.results}")

if __name__ == '__main__': main()
