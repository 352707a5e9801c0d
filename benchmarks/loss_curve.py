"""Matching-loss curves of PRISM and DM over a long run: at which iteration has the loss flattened?

Each method is condensed from the fit part of the real training split (`prism_nb.evaluate.split_validation`, the same
held-out split as `sweep.py`; the test split is never read) for `--iterations` iterations, with its preset learning rate,
`init=real` and the real batch `--batch-real`, at every VPC in `--vpcs`. The loss of every iteration is recorded.

Flattening: the loss is smoothed with a running mean over `--window` iterations. A run has flattened at iteration i when
the smoothed loss after i never falls more than `--tolerance` (a share of the whole run's fall, first smoothed value to the
lowest) below its value at i. The budget a method needs is the largest flattening point over its VPCs, rounded up to
`ROUND` iterations. Seconds per iteration are measured too, so the cost of a cell at that budget can be given.

usage:    python benchmarks/loss_curve.py [--data synth:regime=smooth] [--methods dm,prism] [--vpcs 1,5]
                                          [--iterations 1000] [--batch-real 16] [--window 100] [--tolerance 0.05]
recorded: OMP_NUM_THREADS=1 python benchmarks/loss_curve.py --methods dm --out results/loss_curve_smooth_dm.json, and the same
          with --methods prism, side by side; the two files merged into results/loss_curve_smooth.json
"""
from __future__ import annotations
import argparse, math, os, platform, shlex, sys, time
from pathlib import Path
import numpy as np, torch
import prism_nb
from prism_nb.core import write_json_atomic, get_device
from prism_nb.cache import load_cached
from prism_nb.datasets import parse_spec
from prism_nb.evaluate import split_validation
from prism_nb.methods import run_method
from prism_nb.condense import SYNTH_LR

VAL_FRACTION = 0.2 # as in sweep.py: share of each class held out for validation
ROUND = 100 # budgets are rounded up to a multiple of this many iterations
KEEP = 400 # loss-curve points stored per run (evenly spaced; the smoothed curve is stored at the same points)

def running_mean(x, window):
    "Mean of the last `window` values at each position (fewer at the start)."
    c = np.cumsum(np.insert(np.asarray(x, float), 0, 0.0))
    idx = np.arange(1, len(x) + 1); lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)

def flattened_at(smooth, tolerance):
    "First index after which the smoothed loss never falls more than `tolerance` of the run's whole fall below its value there."
    fall = smooth[0] - smooth.min()
    if fall <= 0: return 0
    future_min = np.minimum.accumulate(smooth[::-1])[::-1]
    ok = (smooth - future_min) <= tolerance * fall
    return int(np.argmax(ok))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='synth:regime=smooth'); p.add_argument('--methods', default='dm,prism')
    p.add_argument('--vpcs', default='1,5'); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--iterations', type=int, default=1000); p.add_argument('--batch-real', type=int, default=16)
    p.add_argument('--window', type=int, default=100); p.add_argument('--tolerance', type=float, default=0.05)
    p.add_argument('--out', default=None)
    a = p.parse_args(argv); device = get_device(); t0 = time.time()
    out = Path(a.out or Path(__file__).resolve().parents[1]/'results'/f"loss_curve_{parse_spec(a.data).options.get('regime', 'motion')}.json")
    train, _ = load_cached(a.data); kind = parse_spec(a.data).kind
    fit_part, _ = split_validation(train, VAL_FRACTION)
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), data=a.data,
               n_fit=len(fit_part), seed=a.seed, iterations=a.iterations, batch_real=a.batch_real, window=a.window,
               tolerance=a.tolerance, threads=torch.get_num_threads(), prism_nb=prism_nb.__version__,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, device=str(device),
                            load_before=os.getloadavg()), runs={})
    for m in a.methods.split(','):
        for vpc in (int(v) for v in a.vpcs.split(',')):
            res = run_method(m, fit_part, vpc, a.seed, device, show_progress=False, dataset_kind=kind, init='real',
                             batch_real=a.batch_real, iterations=a.iterations, lr=SYNTH_LR[m])
            loss = res.log['losses'].numpy().astype(float); smooth = running_mean(loss, a.window)
            at = flattened_at(smooth, a.tolerance); keep = np.unique(np.linspace(0, len(loss) - 1, KEEP).astype(int))
            checkpoints = {str(i): float(smooth[i - 1]) for i in (100, 200, 500, 1000, 1500, 2000, 3000) if i <= len(loss)}
            rec['runs'][f'{m} vpc{vpc}'] = dict(method=m, vpc=vpc, lr=SYNTH_LR[m], seconds=res.seconds,
                seconds_per_iteration=res.seconds / a.iterations, flattened_at=at,
                budget=int(math.ceil(max(at, 1) / ROUND) * ROUND), smoothed_at=checkpoints,
                stored_frames=int(res.videos.n_keyframes), load_after=os.getloadavg(),
                curve=dict(iterations=[int(i) for i in keep], loss=[float(loss[i]) for i in keep], smooth=[float(smooth[i]) for i in keep]))
            print(f"{m} vpc {vpc}: flattened at {at} (smoothed loss {checkpoints}), {res.seconds / a.iterations:.3f} s/iteration", flush=True)
            write_json_atomic(out, rec)
    rec['budget'] = {m: max(r['budget'] for r in rec['runs'].values() if r['method'] == m) for m in a.methods.split(',')}
    rec['seconds'] = time.time() - t0; write_json_atomic(out, rec); print('budget', rec['budget'])

if __name__ == '__main__': main()
