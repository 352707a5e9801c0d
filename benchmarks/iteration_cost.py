"""Cost of one PRISM iteration against one full-frame DM iteration, and peak memory of each (issue 4, section 5).

Same data, same T, same real batch and the same number of synthetic videos; PRISM runs with insertion checked at every
iteration (no warm-up or cool-down: the most expensive case). Time: median seconds per iteration over interleaved rounds in
one process. Memory: each method in its own process; peak resident memory (ru_maxrss) after setup and after the run, and
on CUDA the peak allocated memory.

    python benchmarks/iteration_cost.py                 # -> results/iteration_cost.json
"""
import argparse, json, os, platform, resource, statistics, subprocess, sys, time
import torch
from prism_nb.core import write_json_atomic, get_device
from prism_nb.cache import load_cached
from prism_nb.condense import condense, condense_config

def per_iteration(train, method, iters, seed, device):
    "Seconds of each iteration of a `method` run (from callback timestamps)."
    stamps = []
    kw = dict(warmup=0., cooldown=0.) if method == 'prism' else {}
    cfg = condense_config('synth', method, 1, iterations=iters + 1, seed=seed, **kw)
    t0 = [time.perf_counter()]
    def cb(it, videos, log):
        if device.type == 'cuda': torch.cuda.synchronize()
        now = time.perf_counter(); stamps.append(now - t0[0]); t0[0] = now
    condense(train, cfg, device, cb, show_progress=False)
    return stamps[1:] # drop the first (warm-up) iteration

def memory(method, iters, data):
    """Run in a child process: peak resident memory (MiB) during the condensation above the state after setup (Linux VmHWM,
    reset with /proc/self/clear_refs after setup), and the CUDA peak (MiB) when on a GPU."""
    code = (f"import torch, json, re; from pathlib import Path; from prism_nb.cache import load_cached;"
            f"from prism_nb.condense import condense, condense_config; from prism_nb.core import get_device; d=get_device(); tr,_=load_cached({data!r});"
            f"st=lambda k: int(re.search(k + r':\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1))/1024;"
            f"Path('/proc/self/clear_refs').write_text('5'); base=st('VmRSS');"
            f"kw=dict(warmup=0., cooldown=0.) if {method!r}=='prism' else {{}};"
            f"condense(tr, condense_config('synth', {method!r}, 1, iterations={iters}, **kw), d, show_progress=False);"
            f"cuda=torch.cuda.max_memory_allocated()/2**20 if d.type=='cuda' else None;"
            f"print(json.dumps(dict(rss_after_setup_mib=base, rss_peak_mib=st('VmHWM'), run_peak_above_setup_mib=st('VmHWM')-base, cuda_peak_mib=cuda)))")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--iters', type=int, default=15); p.add_argument('--rounds', type=int, default=3); p.add_argument('--mem-iters', type=int, default=5)
    p.add_argument('--data', default='synth'); p.add_argument('--device', default=None)
    p.add_argument('--results', default='results/iteration_cost.json')
    a = p.parse_args(); device = get_device(a.device)
    train, _ = load_cached(a.data)
    times = dict(prism=[], dm=[])
    for r in range(a.rounds):
        for m in ('prism', 'dm'): times[m] += per_iteration(train, m, a.iters, r, device)
    med = {m: statistics.median(v) for m, v in times.items()}
    mem = {m: memory(m, a.mem_iters, a.data) for m in ('prism', 'dm')}
    res = dict(command='python ' + ' '.join(sys.argv), data=a.data, device=str(device), iterations_per_round=a.iters, rounds=a.rounds,
               seconds_per_iteration=med, ratio_prism_over_dm=med['prism'] / med['dm'], memory=mem,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__), date=time.strftime('%Y-%m-%d %H:%M'))
    write_json_atomic(a.results, res)
    print(json.dumps({k: res[k] for k in ('seconds_per_iteration', 'ratio_prism_over_dm', 'memory')}, indent=1))

if __name__ == '__main__': main()
