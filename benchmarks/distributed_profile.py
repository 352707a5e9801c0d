"""Where a sharded condensation spends its time: cProfile of rank 0 (or of the single process) over a few PRISM iterations.

Runs on the 40-class set of `distributed_speed.py` (run that script first), through its cache, and prints rank 0's top
functions by own time. Compare one process with two ranks:

    OMP_NUM_THREADS=1 PRISM_NB_CACHE=runs/distributed_speed/cache python benchmarks/distributed_profile.py
    OMP_NUM_THREADS=1 PRISM_NB_CACHE=runs/distributed_speed/cache torchrun --standalone --nproc-per-node 2 benchmarks/distributed_profile.py
"""
import argparse, cProfile, io, json, pstats, time
from pathlib import Path
from prism_nb.distributed import init_distributed, rank, world_size, close_distributed
from prism_nb.cache import load_cached
from prism_nb.methods import run_method

ROOT = Path(__file__).resolve().parents[1]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--iterations', type=int, default=10); p.add_argument('--top', type=int, default=14)
    a = p.parse_args(argv); init_distributed()
    train, _ = load_cached(json.loads((ROOT/'results'/'distributed_speed.json').read_text())['data'])
    pr = cProfile.Profile(); t0 = time.time(); pr.enable()
    run_method('prism', train, 1, 0, 'cpu', show_progress=False, iterations=a.iterations, batch_real=16)
    pr.disable()
    if rank() == 0:
        s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('tottime').print_stats(a.top)
        print(f"world size {world_size()}: {time.time() - t0:.1f} s for {a.iterations} iterations\n{s.getvalue()}")
    close_distributed()

if __name__ == '__main__': main()
