"""Can 5 real clips per class train a network on SynthActions, and what does the regime's premise cost? (issue 12)

For each generator variant: the share of temporal variance that linear interpolation between 3 evenly spaced key frames
leaves unexplained (`prism_nb.premise`, the PRISM premise), and the test top-1 of a network trained from scratch on a fixed
8-frame clip of 5 random training videos per class (AdamW lr 1e-3, wd 0.01, batch 10, per-batch standardisation, no
augmentation): the bare learnability of the few-shot sets that every condensation method is compared with.

Variants: `motion` (the default regime), `smooth` (the smooth regime: the motion regime's speed, large objects, 16-pixel
soft edges), and the smooth regime's first version, `smooth-v1` (half the speed, 8-10.4 px objects, 6-pixel edges), with
`smooth-v1-fast` (that version at full speed, its one change).

    python benchmarks/few_shot_probe.py --variants smooth,smooth-v1,smooth-v1-fast,motion --archs miniC3D,miniC3D_in
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import torch, torch.nn.functional as F
import prism_nb.synth as S
from prism_nb.core import seed_everything, write_json_atomic
from prism_nb.models import get_model
from prism_nb.videos import standardise
from prism_nb.premise import premise_report

VPC, BATCH, KEYS = 5, 10, 3
SMOOTH_V1 = dict(speed_range=tuple(v / 2 for v in S.SPEED_RANGE), radius_range=(0.5, 0.65), edge_px=6.0)
VARIANTS = dict(motion=('motion', {}), smooth=('smooth', {}), **{'smooth-v1': ('smooth', SMOOTH_V1),
                'smooth-v1-fast': ('smooth', dict(SMOOTH_V1, speed_range=S.SPEED_RANGE))})

def data(variant):
    "The (train, test) SynthActions pair of `variant` (the regime's settings restored afterwards)."
    regime, overrides = VARIANTS[variant]; saved = dict(S.REGIMES[regime])
    S.REGIMES[regime].update(overrides)
    try: return S.synth_actions(regime=regime)
    finally: S.REGIMES[regime].clear(); S.REGIMES[regime].update(saved)

def top1(model, test):
    model.eval()
    with torch.no_grad():
        p = torch.cat([model(standardise(test.clips(torch.arange(i, min(i + 100, len(test))), test.test_sampler))).argmax(1) for i in range(0, len(test), 100)])
    model.train(); return 100 * (p == test.labels).float().mean().item()

def few_shot(train, test, arch, seed, epochs):
    "Test top-1 curve of `arch` trained on one fixed clip of VPC random videos per class."
    g = seed_everything(seed)
    idx = torch.cat([torch.nonzero(train.labels == c)[:, 0][torch.randperm(int((train.labels == c).sum()), generator=g)[:VPC]] for c in range(train.n_classes)])
    clips, labels = train.clips(idx, generator=g), train.labels[idx]
    model = get_model(arch, train.n_classes, train.clip_frames, train.size[0], seed=seed)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01); curve = []
    for e in range(epochs):
        perm = torch.randperm(len(idx), generator=g)
        for i in range(0, len(idx), BATCH):
            j = perm[i:i + BATCH]; loss = F.cross_entropy(model(standardise(clips[j])), labels[j])
            opt.zero_grad(); loss.backward(); opt.step()
        if (e + 1) % (epochs // 4) == 0: curve.append(dict(epoch=e + 1, train_loss=loss.item(), top1=top1(model, test)))
    return curve

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--variants', default='smooth,smooth-v1,smooth-v1-fast,motion'); p.add_argument('--archs', default='miniC3D,miniC3D_in')
    p.add_argument('--epochs', type=int, default=200); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default='results/few_shot_probe.json')
    a = p.parse_args(); path = Path(a.out)
    res = json.loads(path.read_text()) if path.exists() else dict(runs={}, premise={})
    for v in a.variants.split(','):
        train, test = data(v)
        r = premise_report(train, keys=(KEYS,), placements=('even',), cache=False)
        k = r['keys'].get(KEYS) or r['keys'][str(KEYS)]
        res['premise'][v] = dict(keys=KEYS, residual=k['even']['mean'], per_class=k['even']['per_class'])
        print(v, 'residual', round(k['even']['mean'], 3), flush=True)
        for arch in a.archs.split(','):
            t0 = time.time(); curve = few_shot(train, test, arch, a.seed, a.epochs)
            res['runs'][f'{v}/{arch}/seed{a.seed}'] = dict(curve=curve, final_top1=curve[-1]['top1'], seconds=time.time() - t0)
            print(v, arch, curve[-1], flush=True)
            res.update(command='python ' + ' '.join(sys.argv), date=time.strftime('%Y-%m-%d %H:%M'),
                       machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__))
            write_json_atomic(path, res)

if __name__ == '__main__': main()
