"""Why a protocol run does or does not train: training-loss curves of random real clips under `vdsd` and `unified` variants.

Two questions from the measurement issue:

1. Under `vdsd` at its full 500 epochs, random real clips at VPC 1 trained (loss 2.31 -> 0.20 by epoch 100), then the loss
   spiked near epoch 150 and stayed near 2.0. Which of the reference settings (no normalisation layers in MiniC3D, SGD lr 0.01,
   momentum 0.9, weight decay 5e-4, dropout 0.5) produce the spike? Each variant below changes one setting; every run records
   its loss curve, its largest loss after the loss first fell below `--low`, and its test top-1.
2. Under `unified` (AdamW, MSE-GT against Multi-SL teacher logits), a random VPC 2 set evaluated for 20 epochs ended with a
   training loss of 80-90 and every test video in one class. Did it diverge, or did it have too few optimiser steps? The
   script runs the same set for 20 and for the full 300 epochs and records the curves, the steps and the teacher's logit scale.

usage:   python benchmarks/protocol_diagnostics.py [--data synth] [--vpcs 1,5] [--seeds 0,1] [--skip-unified]
recorded: python benchmarks/protocol_diagnostics.py --vpcs 1,5 --seeds 0,1   ->  results/protocol_diagnostics.json
"""
from __future__ import annotations
import argparse, json, math, os, platform, shlex, sys, time
from pathlib import Path
import numpy as np, torch
import prism_nb
from prism_nb.core import write_json_atomic, get_device
from prism_nb.cache import load_cached
from prism_nb.evaluate import train_and_test, TensorVideos, teacher_logits
from prism_nb.methods import run_method
from prism_nb.models import MiniC3D

LOW_LOSS = 0.5 # the loss has "trained" once it is below this
SPIKE_RATIO = 4.0 # a later loss this many times the running minimum (and above LOW_LOSS) is a spike

def no_dropout(n_classes, frames, size): return MiniC3D(n_classes, frames, size[0], dropout=0.0)

VDSD_VARIANTS = { # name -> (arch, EvalConfig overrides)
    'reference': ('miniC3D', {}),
    'no weight decay': ('miniC3D', dict(weight_decay=0.0)),
    'momentum 0': ('miniC3D', dict(momentum=0.0)),
    'lr 0.001': ('miniC3D', dict(lr=0.001)),
    'no dropout': (no_dropout, {}),
    'no momentum reset': ('miniC3D', dict(reset_momentum=False)),
    'miniC3D_in': ('miniC3D_in', {}),
}

def spike_stats(curve:list, low:float=LOW_LOSS, ratio:float=SPIKE_RATIO) -> dict:
    "First epoch below `low`, the epoch and size of the largest later loss, and whether it is a spike (> `ratio` x running minimum)."
    first = next((i for i, l in enumerate(curve) if l < low), None)
    if first is None: return dict(trained_at=None, spike_at=None, spike_loss=None, spiked=False, final=curve[-1], min=min(curve))
    running = np.minimum.accumulate(curve); after = np.array(curve[first:]); rel = after / np.maximum(running[first:], 1e-12)
    k = int(np.argmax(after)); spiked = bool(((rel > ratio) & (after > low)).any())
    first_spike = first + int(np.argmax((rel > ratio) & (after > low))) if spiked else None
    return dict(trained_at=first, spike_at=first_spike, max_after=float(after[k]), max_after_at=first + k, spiked=spiked,
                final=float(curve[-1]), min=float(min(curve)))

def run(syn, test, protocol, arch, seed, device, teacher=None, **kw):
    "One evaluation (`prism_nb.evaluate.train_and_test`) with its loss curve's spike statistics."
    r = train_and_test(syn, test, protocol, arch, seed, teacher, device, **kw)
    keep = ('top1', 'steps', 'loss_curve', 'optimizer_resets', 'warnings')
    return dict({k: r[k] for k in keep}, seconds=r['wall_s'], **spike_stats(r['loss_curve']))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='synth'); p.add_argument('--vpcs', default='1,5'); p.add_argument('--seeds', default='0,1')
    p.add_argument('--variants', default=','.join(VDSD_VARIANTS)); p.add_argument('--skip-unified', action='store_true')
    p.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'results'/'protocol_diagnostics.json'))
    a = p.parse_args(argv); device = get_device(); t0 = time.time()
    train, test = load_cached(a.data)
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), data=a.data,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, device=str(device),
                            cuda=torch.cuda.get_device_name() if torch.cuda.is_available() else None),
               prism_nb=prism_nb.__version__, low_loss=LOW_LOSS, spike_ratio=SPIKE_RATIO, vdsd={}, unified={})
    old = json.loads(Path(a.out).read_text()) if Path(a.out).exists() else {}
    if old.get('data') == a.data: rec['vdsd'], rec['unified'] = old.get('vdsd', {}), old.get('unified', {}) # resume: finished runs are kept
    for vpc in map(int, a.vpcs.split(',')):
        for seed in map(int, a.seeds.split(',')):
            res = run_method('random', train, vpc, seed, device, show_progress=False)
            syn = TensorVideos(res.videos.expand().detach(), res.videos.labels, train.classes)
            for name in a.variants.split(','):
                arch, kw = VDSD_VARIANTS[name]
                if str(seed) in rec['vdsd'].get(f'vpc{vpc}', {}).get(name, {}): continue
                r = run(syn, test, 'vdsd', arch, seed, device, **kw)
                rec['vdsd'].setdefault(f'vpc{vpc}', {}).setdefault(name, {})[str(seed)] = r
                print(f"vdsd vpc {vpc} seed {seed} {name:18s} top-1 {r['top1']:5.1f}  trained at {r['trained_at']}  spike at {r['spike_at']}  "
                      f"max after {r.get('max_after', float('nan')):.2f}  final {r['final']:.2f}  ({r['seconds']:.0f} s)", flush=True)
                write_json_atomic(a.out, rec)
    if not a.skip_unified:
        from prism_nb.teachers import get_teacher
        teacher = get_teacher(train, test, device=device)
        for seed in map(int, a.seeds.split(',')):
            res = run_method('random', train, 2, seed, device, show_progress=False)
            syn = TensorVideos(res.videos.expand().detach(), res.videos.labels, train.classes)
            logits = teacher_logits(teacher, syn.data, 256, device)
            rec['unified'].setdefault('teacher_logits', {})[str(seed)] = dict(abs_mean=float(logits.abs().mean()), std=float(logits.std()),
                                                                               max=float(logits.abs().max()))
            for epochs in (20, 300):
                if str(seed) in rec['unified'].get(f'vpc2-{epochs}ep', {}): continue
                r = run(syn, test, 'unified', 'miniC3D', seed, device, teacher=teacher, epochs=epochs)
                rec['unified'].setdefault(f'vpc2-{epochs}ep', {})[str(seed)] = r
                print(f"unified vpc 2 seed {seed} {epochs} epochs: {r['steps']} steps, loss {r['loss_curve'][0]:.1f} -> {r['loss_curve'][-1]:.2f}, "
                      f"top-1 {r['top1']:.1f}, warnings {r['warnings']}", flush=True)
                write_json_atomic(a.out, rec)
    rec['seconds'] = time.time() - t0; write_json_atomic(a.out, rec)

if __name__ == '__main__': main()
