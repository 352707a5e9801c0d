"""How hard SynthActions is for MiniC3D: full-data training under generator settings (issue 3, section 4).

Trains MiniC3D (AdamW lr 1e-3, wd 0.01, batch 32, per-batch standardisation, 8-frame clips) on the full training split of
SynthActions generated with the given settings and reports test top-1 every 5 epochs. `--travel` and `--bounce-travel`
override the motion amplitudes of `prism_nb.synth` (TRAVEL, BOUNCE_TRAVEL) for this run only.

    python benchmarks/synth_difficulty.py                                  # the default generator
    python benchmarks/synth_difficulty.py --travel 1.4 --bounce-travel 1.2 # larger motions
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import torch, torch.nn.functional as F
import prism_nb.synth as S
from prism_nb.core import seed_everything, write_json_atomic
from prism_nb.models import get_model
from prism_nb.videos import standardise

EVAL_EVERY = 5 # epochs between test evaluations

def test_top1(model, test):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(standardise(test.clips(torch.arange(i, min(i + 100, len(test))), test.test_sampler))).argmax(1)
                          for i in range(0, len(test), 100)])
    model.train(); return 100 * (pred == test.labels).float().mean().item()

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--travel', type=float, default=S.TRAVEL); p.add_argument('--bounce-travel', type=float, default=S.BOUNCE_TRAVEL)
    p.add_argument('--noise', type=float, default=0.05); p.add_argument('--distractors', type=int, default=2)
    p.add_argument('--train-per-class', type=int, default=60); p.add_argument('--bg-contrast', type=float, default=S.BG_CONTRAST)
    p.add_argument('--optimizer', choices=['adamw', 'sgd'], default='adamw', help='sgd: the vdsd optimiser (lr 0.01, momentum 0.9, wd 5e-4)')
    p.add_argument('--epochs', type=int, default=40); p.add_argument('--batch', type=int, default=32); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--results', default='results/synth_difficulty.json')
    a = p.parse_args()
    S.TRAVEL, S.BOUNCE_TRAVEL, S.BG_CONTRAST = a.travel, a.bounce_travel, a.bg_contrast
    train, test = S.synth_actions(train_per_class=a.train_per_class, noise=a.noise, distractors=a.distractors)
    g = seed_everything(a.seed); model = get_model('miniC3D', train.n_classes, train.clip_frames, train.size[0], seed=a.seed)
    opt = (torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01) if a.optimizer == 'adamw' else
           torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4))
    curve, t0 = [], time.time()
    for e in range(a.epochs):
        perm = torch.randperm(len(train), generator=g)
        for i in range(0, len(train), a.batch):
            idx = perm[i:i + a.batch]
            loss = F.cross_entropy(model(standardise(train.clips(idx, generator=g))), train.labels[idx])
            opt.zero_grad(); loss.backward(); opt.step()
        if (e + 1) % EVAL_EVERY == 0:
            curve.append(dict(epoch=e + 1, train_loss=loss.item(), top1=test_top1(model, test))); print(curve[-1], flush=True)
    key = (f"travel={a.travel},bounce_travel={a.bounce_travel},noise={a.noise},distractors={a.distractors},epochs={a.epochs}"
           f",train={a.train_per_class},bg_contrast={a.bg_contrast},optimizer={a.optimizer}")
    path = Path(a.results); res = json.loads(path.read_text()) if path.exists() else dict(runs={})
    res['runs'][key] = dict(curve=curve, final_top1=curve[-1]['top1'] if curve else None, seconds=time.time() - t0,
                            command='python ' + ' '.join(sys.argv), date=time.strftime('%Y-%m-%d %H:%M'),
                            machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__))
    write_json_atomic(path, res); print(key, 'final top-1', res['runs'][key]['final_top1'])

if __name__ == '__main__': main()
