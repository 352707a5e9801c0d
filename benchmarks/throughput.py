"""Training throughput of the evaluation harness against a bare PyTorch loop, on the same model, data and batch.

Harness: `prism_nb.evaluate.fit` with the `vdsd` protocol (SGD, per-batch standardisation, hard labels, CE) on a synthetic set
of random videos held as one tensor, timed for the whole call (model construction, optimiser, epochs).
Bare: the same MiniC3D, the same SGD settings and the same batches, as a plain loop of
`x = videos[idx]; loss = cross_entropy(model(x), y); zero_grad; backward; step`.
Both use torch's default number of threads. After a warm-up of each, the two are timed `--repeats` times, interleaved (the
order alternating), and the medians are compared: ratio = harness videos/s / bare videos/s (required >= 0.9);
`paired_ratio_median` is the median of the per-repeat ratios (less sensitive to load changing between repeats).

usage: .venv/bin/python benchmarks/throughput.py [--videos 128 --batch 32 --epochs 2 --repeats 7]
"""
from __future__ import annotations
import argparse, os, platform, shlex, statistics, sys, time
from pathlib import Path
import torch, torch.nn.functional as F
import prism_nb
from prism_nb.core import write_json_atomic, seed_everything
from prism_nb.evaluate import fit, get_config, TensorVideos
from prism_nb.models import get_model

REQUIRED_RATIO = 0.9
ARCH, CLASSES, FRAMES, SIZE = 'miniC3D', 10, 16, 32

def bare_loop(videos, labels, epochs, batch, seed):
    "The plain PyTorch training loop the harness is compared with; returns the final loss."
    g = seed_everything(seed); cfg = get_config('vdsd')
    model = get_model(ARCH, CLASSES, FRAMES, SIZE).train()
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    for _ in range(epochs):
        perm = torch.randperm(len(videos), generator=g)
        for i in range(0, len(videos), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(model(videos[idx]), labels[idx])
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return float(loss.detach())

def harness(videos, labels, epochs, batch, seed):
    return fit(TensorVideos(videos, labels), 'vdsd', ARCH, seed, epochs=epochs, batch=batch, device='cpu')[1]['final_loss']

def timed(f, *args):
    t0 = time.perf_counter(); f(*args); return time.perf_counter() - t0

def machine() -> dict:
    info = Path('/proc/cpuinfo')
    cpu = next((l.split(':', 1)[1].strip() for l in info.read_text().splitlines() if l.startswith('model name')), '') if info.exists() else ''
    return dict(platform=platform.platform(), cpu=cpu or platform.processor(), cpus=os.cpu_count(), torch=torch.__version__,
                torch_threads=torch.get_num_threads(), prism_nb=prism_nb.__version__)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--videos', type=int, default=128, help='videos in the training set')
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--epochs', type=int, default=2, help='epochs per timed run')
    p.add_argument('--repeats', type=int, default=7)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'results'/'throughput.json'))
    a = p.parse_args(argv)
    g = torch.Generator().manual_seed(a.seed)
    videos = torch.rand(a.videos, 3, FRAMES, SIZE, SIZE, generator=g)
    labels = torch.arange(a.videos) % CLASSES
    load_start = os.getloadavg()
    timed(harness, videos, labels, 1, a.batch, a.seed); timed(bare_loop, videos, labels, 1, a.batch, a.seed) # warm-up
    times = dict(harness=[], bare=[])
    for r in range(a.repeats):
        order = ('harness', 'bare') if r % 2 == 0 else ('bare', 'harness')
        for name in order:
            f = harness if name == 'harness' else bare_loop
            times[name].append(timed(f, videos, labels, a.epochs, a.batch, a.seed))
            print(f'repeat {r}: {name} {times[name][-1]:.2f} s', flush=True)
    n = a.videos * a.epochs
    rate = {k: [n / t for t in v] for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in rate.items()}
    ratio = med['harness'] / med['bare']
    paired = statistics.median(b / h for h, b in zip(times['harness'], times['bare'])) # same repeat, back to back
    out = dict(benchmark='throughput', ratio=ratio, required=REQUIRED_RATIO, passed=ratio >= REQUIRED_RATIO,
               paired_ratio_median=paired, harness_videos_per_s=med['harness'], bare_videos_per_s=med['bare'], runs_videos_per_s=rate, runs_s=times,
               setting=dict(arch=ARCH, classes=CLASSES, frames=FRAMES, size=SIZE, videos=a.videos, batch=a.batch, epochs=a.epochs,
                            repeats=a.repeats, protocol='vdsd', device='cpu'),
               command=' '.join(shlex.quote(x) for x in [sys.executable.replace(str(Path.cwd()) + '/', '')] + sys.argv),
               machine=dict(machine(), load_average_start=load_start, load_average_end=os.getloadavg()))
    write_json_atomic(a.out, out)
    print(f"harness {med['harness']:.1f} videos/s, bare {med['bare']:.1f} videos/s, ratio {ratio:.3f} (>= {REQUIRED_RATIO}: {ratio >= REQUIRED_RATIO})")
    print(f'wrote {a.out}')

if __name__ == '__main__': main()
