"""Learning rate and iteration budget of PRISM and DM on a dataset, chosen on a validation split held out of the real training data.

The real training split is divided once (`prism_nb.evaluate.split_validation`, a fixed seed) into a fit part and a
validation part. Every candidate is condensed from the fit part only and scored by training fresh networks on the condensed
set and testing them on the validation part. The test split is never read. PRISM and DM are swept on equal terms: the same
initialisation (`--init`), real batch, VPC, seeds and evaluation.

1. lr sweep: every lr in `--lrs` at `--base-iterations` iterations.
2. iteration sweep: the best lr of step 1 at every count in `--iterations`; the loss curve of each run is recorded, and the
   chosen budget is the smallest count whose validation top-1 is within `--tolerance` points of the best count's.

Any method and any of its learning rates can be swept: `--methods` takes method specs with fixed options
(`static-dynamic:static_iterations=200,batch_real=16`), `--lr-option` names the option that varies (`lr_dynamic`),
`--iterations ''` skips step 2, and `--arch`/`--eval-option` give the evaluation the bench's (e.g. `unified-hard`).
`--init` and `--batch-real` apply to the methods that have those options and whose spec does not set them.

usage:    python benchmarks/sweep.py --data synth:regime=smooth [--methods prism dm] [--vpc 1] [--lrs 1,3,10,30,100]
                                      [--iterations 200,500,1000] [--protocol unified] [--eval-seeds 0,1]
recorded: python benchmarks/sweep.py --data synth:regime=smooth  ->  results/sweep_smooth.json
          python benchmarks/sweep.py --methods static-dynamic:static_iterations=200,dynamic_iterations=200,batch_real=16,lr_hallucinator=0.0001 \
              --lr-option lr_dynamic --lrs 0.1,1,10 --base-iterations 0 --iterations '' --arch miniC3D_in \
              --eval-option label=hard --eval-option loss=ce --out results/sd_lr_smooth.json
"""
from __future__ import annotations
import argparse, os, platform, shlex, sys, time
from dataclasses import fields
from pathlib import Path
import numpy as np, torch
import prism_nb
from prism_nb.core import write_json_atomic, get_device
from prism_nb.cache import load_cached
from prism_nb.datasets import parse_spec
from prism_nb.evaluate import evaluate, split_validation, TensorVideos, get_config, protocol_needs_teacher, EvalConfig
from prism_nb.methods import run_method, get_method
from prism_nb.bench import parse_method_spec
from prism_nb.cli import dataclass_options

VAL_FRACTION = 0.2 # share of each class of the real training split held out for validation
LOSS_POINTS = 100 # loss-curve points kept per run (evenly spaced iterations)

def condense_and_score(method, fit_part, val, vpc, seed, kind, protocol, eval_seeds, device, teacher, epochs=None,
                       arch='miniC3D', eval_options=None, **opts):
    "Condense `fit_part`, then the validation top-1 (mean over `eval_seeds`) and the run's record."
    res = run_method(method, fit_part, vpc, seed, device, show_progress=False, dataset_kind=kind, **opts)
    syn = TensorVideos(res.videos.expand().detach(), res.videos.labels, fit_part.classes, name=f'{method} sweep')
    ev = evaluate(syn, val, protocol, arch, seeds=eval_seeds, epochs=epochs, teacher=teacher, device=device, **(eval_options or {}))
    losses = res.log['losses'] if res.log and 'losses' in res.log else torch.zeros(0)
    keep = np.unique(np.linspace(0, len(losses) - 1, min(LOSS_POINTS, len(losses))).astype(int)) if len(losses) else []
    return dict(val_top1=ev['top1']['mean'], val_top1_runs=ev['top1']['runs'], condense_s=res.seconds, eval_s=ev['wall_s'],
                pixel_range=[float(syn.data.min()), float(syn.data.max())],
                stored_frames=int(res.videos.n_keyframes), warnings=ev['warnings'],
                loss_curve=dict(iterations=[int(i) for i in keep], loss=[float(losses[i]) for i in keep]), config=res.config)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='synth:regime=smooth'); p.add_argument('--methods', nargs='+', default=['prism', 'dm'])
    p.add_argument('--lr-option', default='lr', help="the method option the lr sweep varies (e.g. lr_dynamic)")
    p.add_argument('--arch', default='miniC3D', help="evaluation architecture")
    p.add_argument('--eval-option', action='append', default=[], metavar='KEY=VALUE', help="an EvalConfig override, repeatable")
    p.add_argument('--vpc', type=int, default=1); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--init', default='real'); p.add_argument('--batch-real', type=int, default=32)
    p.add_argument('--lrs', default='1,3,10,30,100'); p.add_argument('--base-iterations', type=int, default=500,
                                                                         help="iterations of the lr sweep (0: the method's own, e.g. its spec's)")
    p.add_argument('--iterations', default='200,500,1000'); p.add_argument('--tolerance', type=float, default=1.0)
    p.add_argument('--protocol', default='unified'); p.add_argument('--eval-seeds', default='0,1')
    p.add_argument('--epochs', type=int, default=None, help="evaluation epochs (default: the protocol's; fewer only for smoke tests)")
    p.add_argument('--out', default=None)
    a = p.parse_args(argv); device = get_device(); t0 = time.time()
    out = Path(a.out or Path(__file__).resolve().parents[1]/'results'/f"sweep_{parse_spec(a.data).options.get('regime', 'motion')}.json")
    train, _ = load_cached(a.data); kind = parse_spec(a.data).kind
    fit_part, val = split_validation(train, VAL_FRACTION)
    eval_seeds = [int(s) for s in a.eval_seeds.split(',')]
    eval_options = dataclass_options(EvalConfig, ['--' + kv for kv in a.eval_option], 'sweep --eval-option', skip=('epochs', 'name'))
    specs = [(m, *parse_method_spec(m)) for spec in a.methods for m in (spec.split(',') if ':' not in spec else [spec])]
    teacher = None
    if protocol_needs_teacher(get_config(a.protocol, **eval_options)) or a.protocol == 'edc':
        from prism_nb.teachers import get_teacher
        teacher = get_teacher(fit_part, None, device=device) # trained on the fit part only: the validation videos stay unseen
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), data=a.data,
               val_fraction=VAL_FRACTION, n_fit=len(fit_part), n_val=len(val), vpc=a.vpc, seed=a.seed, init=a.init,
               batch_real=a.batch_real, protocol=a.protocol, eval_options=eval_options, arch=a.arch, lr_option=a.lr_option, epochs=a.epochs, eval_seeds=eval_seeds, prism_nb=prism_nb.__version__,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, device=str(device),
                            cuda=torch.cuda.get_device_name() if torch.cuda.is_available() else None), methods={})
    score = lambda m, opts, **o: condense_and_score(m, fit_part, val, a.vpc, a.seed, kind, a.protocol, eval_seeds, device, teacher,
                                                    a.epochs, a.arch, eval_options, **opts, **o)
    for spec, m, fixed in specs:
        flds = {f.name for f in fields(get_method(m).config_cls)}
        opts = {k: v for k, v in dict(init=a.init, batch_real=a.batch_real).items() if k in flds and k not in fixed} | fixed
        if a.base_iterations: opts['iterations'] = a.base_iterations
        r = rec['methods'][spec] = dict(lr={}, iterations={}, options=opts)
        for lr in a.lrs.split(','):
            r['lr'][lr] = score(m, opts | {a.lr_option: float(lr)})
            print(f"{m} lr {lr}: val top-1 {r['lr'][lr]['val_top1']:.1f} ({r['lr'][lr]['condense_s']:.0f} s)", flush=True)
            write_json_atomic(out, rec)
        best_lr = max(r['lr'], key=lambda k: r['lr'][k]['val_top1']); r['best_lr'] = float(best_lr)
        for it in filter(None, a.iterations.split(',')):
            r['iterations'][it] = (r['lr'][best_lr] if int(it) == a.base_iterations else
                                   score(m, opts | {a.lr_option: float(best_lr), 'iterations': int(it)}))
            print(f"{m} lr {best_lr} x {it} iterations: val top-1 {r['iterations'][it]['val_top1']:.1f}", flush=True)
            write_json_atomic(out, rec)
        if r['iterations']:
            top = max(v['val_top1'] for v in r['iterations'].values())
            r['chosen_iterations'] = min(int(k) for k, v in r['iterations'].items() if v['val_top1'] >= top - a.tolerance)
        else: r['chosen_iterations'] = opts.get('iterations')
    rec['seconds'] = time.time() - t0; write_json_atomic(out, rec)
    print({m: (r['best_lr'], r['chosen_iterations']) for m, r in rec['methods'].items()})

if __name__ == '__main__': main()
