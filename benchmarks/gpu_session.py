"""One GPU session that runs, in parallel processes, the recorded measurements a 2-core CPU cannot run in a day.

A lent GPU machine gives a session a few minutes. This driver starts every job at once where it can, in priority order,
and stops them all at `--deadline` seconds; every job writes resumable outputs (bench cells, JSON files written
atomically), so whatever is unfinished can be resumed later on any machine with the same commands.

Phases (each job is an ordinary command of the toolkit or a script in benchmarks/, logged to `<runs>/logs/<job>.log`):
0. teachers of each regime (full training split) and of the smooth regime's fit part (the sweep's), so that parallel jobs
   load them from the cache instead of training them side by side; the full-data bound and the protocol diagnostics start
   at once and run throughout.
1. the lr / iteration sweep of PRISM and DM on the smooth regime's validation split; the selection and extended-method
   benches (they do not depend on the sweep).
2. PRISM and DM benches of both regimes at the sweep's choice, both initialisations, and the PRISM ablations.
Every bench cell is evaluated under `vdsd` (full 500 epochs; miniC3D and miniC3D_in) and `unified` (full 300 epochs).

usage: python benchmarks/gpu_session.py --runs runs/gpu [--deadline 520] [--seeds 3] [--vpcs 1,5] [--tiny]
"""
from __future__ import annotations
import argparse, json, os, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIMES = dict(smooth='synth:regime=smooth', motion='synth')
SELECTION = ('random', 'herding', 'kcenter', 'rded')
EXTENDED = ('static-dynamic', 'edc', 'mtt', 'datm')
ABLATIONS = ('insertion=none', 'insertion=random', 'insertion=l2', 'warmup=0', 'cooldown=0', 'init=all')
EPS_SWEEP = ('-0.2', '-0.1', '0.1', '0.2')
WARMUP_SWEEP = ('0.1', '0.3')
ABLATION_JOBS = 3 # processes sharing the ablation cells

def py(code:str) -> list: return [sys.executable, '-c', code]

def bench_cmds(out:Path, data:str, methods, vpcs, seeds, tiny:bool) -> list:
    "The `bench_pair.py` command: each cell condensed once, evaluated under vdsd (miniC3D, miniC3D_in) and unified."
    extra = ['--epochs', '2', '--teacher-epochs', '1'] if tiny else []
    return [[sys.executable, 'benchmarks/bench_pair.py', '--out', str(out), '--data', data, '--methods', *methods,
             '--vpcs', vpcs, '--seeds', str(seeds), *extra]]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--runs', default='runs/gpu'); p.add_argument('--deadline', type=float, default=520)
    p.add_argument('--seeds', type=int, default=3); p.add_argument('--vpcs', default='1,5')
    p.add_argument('--tiny', action='store_true', help='a smoke test of the orchestration at tiny sizes (CPU)')
    p.add_argument('--jobs', default='full-data,diagnostics,sweep,selection,extended,distill,ablations', help='job groups to run')
    p.add_argument('--sweep-lrs', default='1,3,10,30,100', help='learning rates of the sweep')
    p.add_argument('--full-data-epochs', default='100,20', help='MiniC3D and per-frame epochs of the full-data bound')
    a = p.parse_args(argv); t0 = time.time(); runs = Path(a.runs); (runs/'logs').mkdir(parents=True, exist_ok=True); jobs = set(a.jobs.split(','))
    regimes = {k: v + (',classes=3,train=6,test=2' if a.tiny else '') if ':' in v else v + (':classes=3,train=6,test=2' if a.tiny else '') for k, v in REGIMES.items()}
    env = dict(os.environ, PYTHONUNBUFFERED='1', PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')])), OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '2'))
    procs, done = {}, set()

    def start(name, cmds):
        "Run `cmds` one after the other in a shell-free chain; log to runs/logs/name.log."
        log = open(runs/'logs'/f'{name}.log', 'w')
        chain = ' && '.join(' '.join(map(lambda s: "'" + s.replace("'", "'\\''") + "'", c)) for c in cmds)
        procs[name] = subprocess.Popen(['bash', '-c', chain], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True)
        print(f'{time.time() - t0:6.0f} s start {name}', flush=True)

    def finished(name): return name in procs and procs[name].poll() is not None
    def left(): return a.deadline - (time.time() - t0)

    fe = a.full_data_epochs.split(','); tiny_ep = ['--epochs', '1', '--frame-epochs', '1'] if a.tiny else ['--epochs', fe[0], '--frame-epochs', fe[1]]
    for r, spec in regimes.items():
        start(f'teacher-{r}', [py(f"from prism_nb.cache import load_data; from prism_nb.teachers import get_teacher; tr, te = load_data({spec!r}); "
                                  f"t = get_teacher(tr, te{', epochs=1' if a.tiny else ''}); print(t.manifest.get('test_top1'))")])
    start('teacher-fit', [py(f"from prism_nb.cache import load_data; from prism_nb.teachers import get_teacher; from prism_nb.evaluate import split_validation; "
                             f"from benchmarks.sweep import VAL_FRACTION; tr, _ = load_data({regimes['smooth']!r}); f, _ = split_validation(tr, VAL_FRACTION); "
                             f"get_teacher(f, None{', epochs=1' if a.tiny else ''})")])
    if 'full-data' in jobs: start('full-data-smooth', [[sys.executable, 'benchmarks/full_data.py', '--data', regimes['smooth'], *tiny_ep, '--batch', '32', '--set', 'optimizer=adamw',
                                '--set', 'lr=0.001', '--set', 'weight_decay=0.01', '--set', 'schedule=smooth-cosine', '--out', str(runs/'full_data_smooth.json')]])
    if 'diagnostics' in jobs: start('diagnostics', [[sys.executable, 'benchmarks/protocol_diagnostics.py', '--data', regimes['motion'], '--vpcs', '1,5',
                           '--seeds', '0' if a.tiny else '0,1,2', '--variants', 'reference,no weight decay,momentum 0,lr 0.001,no dropout,miniC3D_in', '--out', str(runs/'protocol_diagnostics.json')] + (['--skip-unified'] if a.tiny else [])])
    while not all(finished(f'teacher-{r}') for r in regimes) or not finished('teacher-fit'): time.sleep(2)
    sweep_its = ['--lrs', '3,30', '--base-iterations', '4', '--iterations', '2,4', '--eval-seeds', '0', '--batch-real', '2', '--epochs', '2'] if a.tiny else ['--lrs', a.sweep_lrs]
    for m in ('prism', 'dm') if 'sweep' in jobs else ():
        start(f'sweep-{m}', [[sys.executable, 'benchmarks/sweep.py', '--data', regimes['smooth'], '--methods', m, *sweep_its,
                              '--out', str(runs/f'sweep_smooth_{m}.json')]])
    for r, spec in regimes.items() if 'selection' in jobs else ():
        start(f'selection-{r}', bench_cmds(runs/f'{r}-selection', spec, SELECTION, ','.join(reversed(a.vpcs.split(','))), a.seeds, a.tiny))
    if 'extended' in jobs: start('extended-smooth', bench_cmds(runs/'smooth-extended', regimes['smooth'], EXTENDED, a.vpcs, a.seeds, a.tiny))
    while 'sweep' in jobs and not (finished('sweep-prism') and finished('sweep-dm')):
        if left() < 0: break
        time.sleep(2)
    chosen = {}
    for m in ('prism', 'dm'):
        f = runs/f'sweep_smooth_{m}.json'
        if f.exists() and 'chosen_iterations' in json.loads(f.read_text())['methods'].get(m, {}):
            s = json.loads(f.read_text()); r = s['methods'][m]
            chosen[m] = f"lr={r['best_lr']:g},iterations={r['chosen_iterations']},batch_real={s['batch_real']}"
    print('chosen', chosen, flush=True); (runs/'chosen.json').write_text(json.dumps(chosen))
    if len(chosen) == 2 and 'distill' in jobs:
        first = ','.join(reversed(a.vpcs.split(','))) # the larger VPC first: the measurement issue's comparison is at VPC 5
        for r, spec in regimes.items():
            specs = [f"{m}:init={i},{chosen[m]}" for i in ('real', 'noise') for m in ('dm', 'prism')] + [f"prism:init=real,insertion=none,{chosen['prism']}"]
            for k, s in enumerate(specs): start(f'distill-{r}-{k}', bench_cmds(runs/f'{r}-distill-{k}', spec, [s], first, a.seeds, a.tiny))
        abl = [f"prism:{chosen['prism']},{x}" for x in ABLATIONS[1:]] + [f"prism:init=real,{chosen['prism']},eps={e}" for e in EPS_SWEEP] \
            + [f"prism:init=real,{chosen['prism']},warmup={w},cooldown={w}" for w in WARMUP_SWEEP]
        abl = [x if 'init=' in x else x.replace('prism:', 'prism:init=real,') for x in abl]
        for k in range(ABLATION_JOBS if 'ablations' in jobs else 0): start(f'ablations-smooth-{k}', bench_cmds(runs/f'smooth-ablations-{k}', regimes['smooth'], abl[k::ABLATION_JOBS], '1', a.seeds, a.tiny))
    while any(p.poll() is None for p in procs.values()) and left() > 0: time.sleep(2)
    for name, pr in procs.items():
        if pr.poll() is None:
            os.killpg(pr.pid, 15); print(f'{time.time() - t0:6.0f} s stopped {name} at the deadline', flush=True)
        else: print(f'{name}: exit {pr.returncode}', flush=True)
    print(f'{time.time() - t0:.0f} s in all', flush=True)

if __name__ == '__main__': main()
