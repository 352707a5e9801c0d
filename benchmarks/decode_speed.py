"""Decoding throughput of a video dataset against the number of decoding threads and of ranks.

The data: the 40-class SynthActions set that `distributed_speed.py` writes as video files in the UCF101 layout (run that
script first). Each configuration decodes the whole set with `prism_nb.datasets.load_dataset` (no cache), in a fresh
process: 1, 2 and 4 threads in one process (`workers`), and 2 ranks under `torchrun` with one thread each, each rank decoding
its share of the videos and all ranks receiving all of them (what building the cache does under `torchrun`).

usage:    python benchmarks/decode_speed.py [--workers 1,2,4] [--ranks 2] [--repeats 2]
recorded: python benchmarks/decode_speed.py  ->  results/decode_speed.json
"""
from __future__ import annotations
import argparse, json, os, platform, shlex, subprocess, sys, time
from pathlib import Path
import numpy as np, torch
import prism_nb
from prism_nb.core import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK = ROOT/'runs'/'distributed_speed'

def worker(spec, workers):
    "Decode the set once in this process (a rank under torchrun); print the seconds and the videos on rank 0."
    from prism_nb.distributed import init_distributed, is_main, close_distributed
    from prism_nb.datasets import load_dataset
    init_distributed(); t0 = time.perf_counter()
    train, test = load_dataset(spec, workers=workers)
    s = time.perf_counter() - t0
    if is_main(): print(json.dumps(dict(seconds=s, videos=len(train) + len(test))))
    close_distributed()

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--workers', default='1,2,4'); p.add_argument('--ranks', type=int, default=2); p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--worker', default=None, help=argparse.SUPPRESS); p.add_argument('--threads', type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument('--out', default=str(ROOT/'results'/'decode_speed.json'))
    a = p.parse_args(argv)
    if a.worker: return worker(a.worker, a.threads)
    root = WORK/'synth40'
    if not root.exists(): sys.exit(f"{root}: not found; python benchmarks/distributed_speed.py writes it")
    spec = f"ucf101:{root.resolve()},size=32,frames=8,stride=2"
    env = dict(os.environ, OMP_NUM_THREADS='1', PRISM_NB_DEVICE='cpu')
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), data=spec, prism_nb=prism_nb.__version__,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__, load_before=os.getloadavg()),
               date=time.strftime('%Y-%m-%d %H:%M'), rows=[])
    configs = [(1, int(w)) for w in a.workers.split(',')] + [(a.ranks, 1)]
    for rep in range(a.repeats):
        for ranks, threads in configs:
            head = [sys.executable] if ranks == 1 else [str(BIN/'torchrun'), '--standalone', '--nproc-per-node', str(ranks)]
            out = subprocess.run(head + [__file__, '--worker', spec, '--threads', str(threads)], env=env, capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rec['rows'].append(dict(ranks=ranks, threads_per_rank=threads, repeat=rep, seconds=r['seconds'], videos=r['videos'],
                                    videos_per_s=r['videos'] / r['seconds']))
            write_json_atomic(a.out, rec)
            print(f"{ranks} rank(s) x {threads} thread(s): {r['videos'] / r['seconds']:.1f} videos/s ({r['seconds']:.1f} s)", flush=True)
    rec['median_videos_per_s'] = {f"{r} x {t}": float(np.median([x['videos_per_s'] for x in rec['rows'] if (x['ranks'], x['threads_per_rank']) == (r, t)]))
                                  for r, t in configs}
    rec['machine']['load_after'] = os.getloadavg(); write_json_atomic(a.out, rec); print(rec['median_videos_per_s'])

if __name__ == '__main__': main()
