"""Peak memory and time of one DM iteration: all classes' real clips embedded in one batch (the loop before issue 16) against
the class-by-class loop with the real clips embedded `chunk` at a time under `no_grad` (`prism_nb.condense._matching_iteration`).

For each real batch per class in `--batch-real`, both iterations run `--iters` times on SynthActions (10 classes) with a fresh
network per iteration; the peak memory above the iteration's start is `prism_nb.core.PeakMemory` (RSS high-water mark on the
CPU, the allocator's peak on CUDA), measured in a fresh process per configuration so that one does not inherit another's peak.

usage:    python benchmarks/chunk_memory.py [--batch-real 16,32,64] [--chunk 8] [--vpc 1] [--iters 3] [--size 32]
recorded: OMP_NUM_THREADS=1 python benchmarks/chunk_memory.py  ->  results/chunk_memory.json
"""
from __future__ import annotations
import argparse, json, os, platform, shlex, subprocess, sys, time
from pathlib import Path
import torch
import prism_nb
from prism_nb.core import write_json_atomic, get_device, PeakMemory, seed_everything
from prism_nb.synth import synth_actions
from prism_nb.models import get_model
from prism_nb.distributed import stream
from prism_nb.condense import (condense_config, init_videos, real_batch, normalise_input, dm_loss, fresh_network, network_frames,
                               _matching_iteration, _dm_class_loss)

ROOT = Path(__file__).resolve().parents[1]

def one(mode, batch_real, chunk, vpc, iters, size, device):
    "Seconds per iteration and peak MiB of `iters` DM iterations in `mode` ('one batch' or 'by class')."
    train, _ = synth_actions(10, max(batch_real, 20), 2, size=size)
    cfg = condense_config('synth', 'dm', vpc, batch_real=batch_real, chunk=chunk, iterations=iters)
    seed_everything(0); net_T = network_frames(cfg, train); classes = list(range(train.n_classes))
    streams = {c: stream(0, 'class', c) for c in classes}
    videos = init_videos(cfg, train, classes, device, streams); g = torch.Generator().manual_seed(0)
    net = get_model(cfg.arch, train.n_classes, net_T, size).to(device); idx = train.class_indices()
    def step():
        fresh_network(net); net.eval(); videos.frames.grad = None
        if mode == 'one batch':
            real, labels = real_batch(train, batch_real, g, net_T, device=device, class_index=idx)
            dm_loss(net, normalise_input(real), labels, normalise_input(videos.expand()), videos.labels, train.n_classes).backward()
        else: _matching_iteration(cfg, _dm_class_loss(cfg, net), 0, videos, train, streams, classes, net_T, idx, device, lambda x: (x, None))
    step() # warm-up, outside the measurement
    with PeakMemory(device) as pm:
        t0 = time.perf_counter()
        for _ in range(iters): step()
        s = (time.perf_counter() - t0) / iters
    return dict(seconds_per_iteration=s, peak_mib=pm.mib)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batch-real', default='16,32,64'); p.add_argument('--chunk', type=int, default=8)
    p.add_argument('--vpc', type=int, default=1); p.add_argument('--iters', type=int, default=3); p.add_argument('--size', type=int, default=32)
    p.add_argument('--worker', default=None, help=argparse.SUPPRESS)
    p.add_argument('--out', default=str(ROOT/'results'/'chunk_memory.json'))
    a = p.parse_args(argv); device = get_device()
    if a.worker: # one configuration, in its own process
        mode, b = a.worker.rsplit(':', 1)
        print(json.dumps(one(mode, int(b), a.chunk if mode == 'by class' else None, a.vpc, a.iters, a.size, device))); return
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), chunk=a.chunk, vpc=a.vpc,
               iters=a.iters, size=a.size, device=str(device), threads=torch.get_num_threads(), prism_nb=prism_nb.__version__,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, load=os.getloadavg()),
               date=time.strftime('%Y-%m-%d %H:%M'), rows=[])
    for b in (int(x) for x in a.batch_real.split(',')):
        for mode in ('one batch', 'by class'):
            out = subprocess.run([sys.executable, __file__, '--worker', f'{mode}:{b}', '--chunk', str(a.chunk), '--vpc', str(a.vpc),
                                  '--iters', str(a.iters), '--size', str(a.size)], capture_output=True, text=True, check=True)
            r = dict(mode=mode, batch_real=b, chunk=a.chunk if mode == 'by class' else None, **json.loads(out.stdout.strip().splitlines()[-1]))
            rec['rows'].append(r); write_json_atomic(a.out, rec)
            print(f"{mode:9} batch_real {b:3}: {r['seconds_per_iteration']:.3f} s/iteration, peak +{r['peak_mib']:.0f} MiB", flush=True)

if __name__ == '__main__': main()
