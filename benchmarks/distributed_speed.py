"""Wall time of a class-sharded PRISM condensation, and of an evaluation with its seeds spread over ranks, at 1 and 2 ranks.

The data: 40 SynthActions classes (four generator seeds of 10 motions each, classes renamed `<motion>x<k>`), written as
video files in the UCF101 layout and read back through the UCF101 loader and the decoded-clip cache, so that the runs are
launched exactly as the README shows:

    prism-nb condense --method prism --data ucf101:ROOT ...                                   (1 rank)
    torchrun --standalone --nproc-per-node 2 -m prism_nb.cli condense --method prism ...      (2 ranks, gloo on the CPU)
    prism-nb evaluate RUN --seeds 2 ... / torchrun ... -m prism_nb.cli evaluate RUN --seeds 2 ...

Each process runs one thread (`OMP_NUM_THREADS=1`). The condensation time is the method's own `seconds` from the run's
manifest (data loading and process start-up excluded); the wall time of the whole command is recorded too. The 1- and
2-rank run folders are compared tensor by tensor (they must be bitwise equal on the CPU).

The ceiling of the speed-up is measured too (`--twins`): two independent single-process condensations launched at the same
time; `twin_speedup` = 2 x (alone) / (each, side by side) is what two processes gain on this machine with no communication
and no shared work at all.

usage:    python benchmarks/distributed_speed.py [--iterations 40] [--vpc 1] [--batch-real 16] [--eval-epochs 20] [--ranks 2]
          python benchmarks/distributed_speed.py --twins       (adds the ceiling to an existing record)
recorded: python benchmarks/distributed_speed.py && python benchmarks/distributed_speed.py --twins  ->  results/distributed_speed.json
"""
from __future__ import annotations
import argparse, json, os, platform, shlex, subprocess, sys, time
from pathlib import Path
import numpy as np, torch
from safetensors.torch import load_file
import prism_nb
from prism_nb.core import write_json_atomic
from prism_nb.videos import VideoSet
from prism_nb.synth import synth_actions
from prism_nb.datasets import write_ucf101

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPIES = 4 # generator seeds of the 10-motion set: 4 x 10 = 40 classes

def forty_classes(size, train_per_class, test_per_class):
    "A 40-class set: `COPIES` SynthActions sets of 10 motions, each copy's classes renamed."
    parts = [synth_actions(10, train_per_class, test_per_class, size=size, seed=k) for k in range(COPIES)]
    def join(split):
        sets = [p[split] for p in parts]
        frames = torch.cat([s.frames for s in sets]); lengths = torch.cat([s.lengths for s in sets])
        offsets = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)])
        labels = torch.cat([s.labels + 10 * k for k, s in enumerate(sets)])
        classes = [f"{c.replace('-', '').replace('_', '')}x{k}" for k, s in enumerate(sets) for c in s.classes]
        return VideoSet(frames, offsets, labels, classes, clip_frames=sets[0].clip_frames, clip_stride=sets[0].clip_stride, name='synth40')
    return join(0), join(1)

def launch(args, ranks, env):
    "Run `prism-nb args` on `ranks` processes; returns the wall seconds."
    head = [str(BIN/'prism-nb')] if ranks == 1 else [str(BIN/'torchrun'), '--standalone', '--nproc-per-node', str(ranks), '-m', 'prism_nb.cli']
    t0 = time.time(); res = subprocess.run(head + args, cwd=ROOT, env=env, capture_output=True, text=True)
    if res.returncode: sys.exit(f"{' '.join(head + args)} failed:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}")
    return time.time() - t0

def same_tensors(a, b):
    "True when the two run folders' tensor files hold bitwise-equal tensors."
    for f in ('condensed.safetensors', 'log.safetensors'):
        ta, tb = load_file(Path(a)/f), load_file(Path(b)/f)
        bits = lambda t: t.reshape(-1).view(torch.uint8) # bitwise, NaN included
        if sorted(ta) != sorted(tb) or any(ta[k].dtype != tb[k].dtype or not bits(ta[k]).equal(bits(tb[k])) for k in ta): return False
    return True

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--iterations', type=int, default=40); p.add_argument('--vpc', type=int, default=1)
    p.add_argument('--batch-real', type=int, default=16); p.add_argument('--size', type=int, default=32)
    p.add_argument('--train-per-class', type=int, default=20); p.add_argument('--test-per-class', type=int, default=5)
    p.add_argument('--eval-epochs', type=int, default=20); p.add_argument('--ranks', type=int, default=2)
    p.add_argument('--repeats', type=int, default=2, help='condensations per world size (the median is used)')
    p.add_argument('--work', default=str(ROOT/'runs'/'distributed_speed')); p.add_argument('--out', default=str(ROOT/'results'/'distributed_speed.json'))
    p.add_argument('--twins', action='store_true', help='only measure two independent single-process runs side by side')
    a = p.parse_args(argv); work = Path(a.work); work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PRISM_NB_CACHE=str(work/'cache'), PRISM_NB_DEVICE='cpu')
    if a.twins: return twins(a, work, env)
    train, test = forty_classes(a.size, a.train_per_class, a.test_per_class)
    root = write_ucf101(train, test, work/'synth40', overwrite=True)
    spec = f"ucf101:{root.resolve()},size={a.size},frames={train.clip_frames},stride={train.clip_stride}"
    rec = dict(command='python ' + ' '.join(map(shlex.quote, [sys.argv[0]] + (argv or sys.argv[1:]))), data=spec, classes=train.n_classes,
               n_train=len(train), iterations=a.iterations, vpc=a.vpc, batch_real=a.batch_real, eval_epochs=a.eval_epochs,
               prism_nb=prism_nb.__version__, machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__,
               load_before=os.getloadavg()), condense={}, evaluate={}, date=time.strftime('%Y-%m-%d %H:%M'))
    launch(['info', '--help'], 1, env) # warm the imports once
    subprocess.run([str(BIN/'python'), '-c', f"from prism_nb.cache import load_cached; load_cached({spec!r})"], env=env, check=True) # decode once
    for rep in range(a.repeats):
        for ranks in (1, a.ranks): # alternating, so that a slow spell of the machine does not fall on one world size only
            run = work/f'prism-{ranks}'
            wall = launch(['condense', '--method', 'prism', '--data', spec, '--vpc', str(a.vpc), '--iterations', str(a.iterations),
                           '--batch-real', str(a.batch_real), '--out', str(run), '--overwrite'], ranks, env)
            m = json.loads((run/'manifest.json').read_text()); r = rec['condense'].setdefault(str(ranks), dict(wall_s=[], condense_s=[]))
            r['wall_s'].append(wall); r['condense_s'].append(m['seconds']); r.update(world_size=m.get('world_size'), stored_frames=m['stored_frames'])
            print(f"condense on {ranks} rank(s): {m['seconds']:.1f} s ({wall:.1f} s wall)", flush=True); write_json_atomic(a.out, rec)
    med = lambda xs: float(np.median(xs))
    c1, c2 = rec['condense']['1'], rec['condense'][str(a.ranks)]
    rec['condense_speedup'] = med(c1['condense_s']) / med(c2['condense_s']); rec['condense_wall_speedup'] = med(c1['wall_s']) / med(c2['wall_s'])
    rec['bitwise_equal'] = same_tensors(work/'prism-1', work/f'prism-{a.ranks}')
    for ranks in (1, a.ranks):
        t0 = time.time()
        wall = launch(['evaluate', str(work/'prism-1'), '--protocol', 'vdsd', '--seeds', str(a.ranks), '--epochs', str(a.eval_epochs)], ranks, env)
        ev = json.loads((work/'prism-1'/'eval-vdsd-miniC3D.json').read_text())
        rec['evaluate'][str(ranks)] = dict(wall_s=wall, eval_s=ev['wall_s'], top1_runs=ev['top1']['runs'])
        print(f"evaluate ({a.ranks} seeds) on {ranks} rank(s): {ev['wall_s']:.1f} s ({wall:.1f} s wall)", flush=True); write_json_atomic(a.out, rec)
    e1, e2 = rec['evaluate']['1'], rec['evaluate'][str(a.ranks)]
    rec['evaluate_speedup'] = e1['eval_s'] / e2['eval_s']; rec['evaluate_same_top1'] = e1['top1_runs'] == e2['top1_runs']
    rec['machine']['load_after'] = os.getloadavg(); write_json_atomic(a.out, rec)
    print({k: rec[k] for k in ('condense_speedup', 'condense_wall_speedup', 'bitwise_equal', 'evaluate_speedup', 'evaluate_same_top1')})

def twins(a, work, env):
    "Two single-process condensations side by side: the speed-up two processes can have on this machine."
    rec = json.loads(Path(a.out).read_text()); m1 = json.loads((work/'prism-1'/'manifest.json').read_text())
    args = ['condense', '--method', 'prism', '--data', rec['data'], '--vpc', str(rec['vpc']), '--iterations', str(rec['iterations']),
            '--batch-real', str(rec['batch_real']), '--overwrite']
    procs = [subprocess.Popen([str(BIN/'prism-nb')] + args + ['--out', str(work/f'twin-{k}')], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for k in range(2)]
    for q in procs:
        if q.wait(): sys.exit(q.stderr.read()[-3000:])
    each = [json.loads((work/f'twin-{k}'/'manifest.json').read_text())['seconds'] for k in range(2)]
    rec['twins'] = dict(condense_s=each, load=os.getloadavg(), command='python benchmarks/distributed_speed.py --twins')
    rec['twin_speedup'] = 2 * float(np.median(rec['condense']['1']['condense_s'])) / (sum(each) / 2)
    write_json_atomic(a.out, rec); print({k: rec[k] for k in ('twin_speedup', 'condense_speedup')})

if __name__ == '__main__': main()
