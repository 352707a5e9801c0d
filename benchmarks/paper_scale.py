"""Paper-scale configuration (issue 12, section 4): PRISM and DM at the MiniUCF shape, ready for a GPU.

What it runs: PRISM and DM condense a MiniUCF-shaped SynthActions set (16-frame clips of 112 x 112) with the MiniUCF presets
of PRISM's Table A ("Video Dataset Condensation with Progressive Refinement and Insertion for Sparse Motion", arXiv
2505.22564: lr / real batch per class 1/64 at VPC 1, 25/64 at VPC 5, 50/64 at VPC 10), at VPC 1, 5 and 10 with 3 seeds;
each condensed set is saved (`prism_nb.runs.save_method`) and evaluated under the `vdsd` protocol (500 epochs) with
MiniC3D (`prism_nb.evaluate.evaluate`). Results go to results/paper_scale.json after every cell, so an interrupted run resumes
where it stopped (cells already recorded are skipped; --fresh starts over).

Choices:
- 15 classes, not 50. SynthActions has 15 motions; `synth:classes=50` raises "classes: expected 1..15 motions, got 50"
  (prism_nb.synth.resolve_classes). The default set is therefore all 15 motions with MiniUCF's videos per class
  (4,662 train / 1,861 test over 50 classes: 93 / 37 per class), 24-frame videos read as 16-frame clips at stride 1.
  Condensation and evaluation cost grow linearly with the classes (the real batch is 64 clips per class, the synthetic set
  VPC videos per class), so the dry run also projects the time at MiniUCF's 50 classes. `--data miniucf:/path/UCF101`
  runs real MiniUCF instead; `--data 'synth:...,regime=smooth'` the smooth regime.
- Presets: both methods run with the dataset kind `miniucf`, so the MiniUCF rows of `prism_nb.condense.PRESETS` apply: Table A
  for PRISM; DM keeps its own defaults (lr 30, momentum 0.5, real initialisation, real batch 64; no MiniUCF row of its own).
  PRISM starts from noise with 2 key frames (the paper's later version). Iterations: the library default (1000; Table A
  names none), `--iterations` overrides. `--set KEY=VALUE` passes any other condensation option to both methods.
- Evaluation: one MiniC3D per condensed set (`--eval-seeds`), so each method and VPC gets 3 numbers, one per condensation
  seed. Flips are off by themselves on SynthActions (mirror-image classes).

--dry-run: on this machine, a few iterations of each method at each VPC on a SynthActions set of the same clip shape with
fewer classes (`--dry-classes`, default 2: the full real batch of 15 x 64 clips of 16 x 112 x 112 needs ~25 GB on a CPU),
plus a few MiniC3D training and test steps; it prints seconds per iteration and the projected time of the full
configuration (scaled linearly to its classes, and to 50 classes). PRISM is timed with insertion checked at every
iteration (no warm-up or cool-down), its most expensive case.

usage:
    .venv/bin/python benchmarks/paper_scale.py --dry-run
    .venv/bin/python benchmarks/paper_scale.py [--vpcs 1,5,10] [--seeds 3] [--iterations N] [--deadline S]   # -> results/paper_scale.json
"""
from __future__ import annotations
import argparse, json, os, platform, shlex, statistics, sys, time
from itertools import product
from pathlib import Path
import torch
import prism_nb
from prism_nb.core import get_device, write_json_atomic
from prism_nb.datasets import load_dataset, parse_spec
from prism_nb.cache import load_data
from prism_nb.evaluate import evaluate, get_config, TensorVideos
from prism_nb.methods import run_method, method_config
from prism_nb.runs import save_method
from prism_nb.models import get_model
from prism_nb.synth import MOTIONS

ROOT = Path(__file__).resolve().parents[1]
MINIUCF_CLASSES, MINIUCF_TRAIN, MINIUCF_TEST = 50, 4662, 1861 # MiniUCF: UCF101 split 1 restricted to 50 classes
SYNTH_CLASSES = len(MOTIONS) # 15: every SynthActions motion
PER_CLASS_TRAIN, PER_CLASS_TEST = MINIUCF_TRAIN // MINIUCF_CLASSES, MINIUCF_TEST // MINIUCF_CLASSES # 93, 37
CLIP_FRAMES, FRAME_SIZE, VIDEO_LENGTH = 16, 112, 24 # MiniUCF clips: 16 frames of 112 x 112
DEFAULT_DATA = (f'synth:classes={SYNTH_CLASSES},train={PER_CLASS_TRAIN},test={PER_CLASS_TEST},length={VIDEO_LENGTH},'
                f'size={FRAME_SIZE},frames={CLIP_FRAMES},stride=1')
METHODS, VPCS, SEEDS = ('prism', 'dm'), (1, 5, 10), 3
PRESET, PROTOCOL, ARCH = 'miniucf', 'vdsd', 'miniC3D'
DRY_CLASSES, DRY_ITERATIONS, DRY_PER_CLASS = 2, 2, 4 # dry run: classes, timed iterations (the first is dropped), videos per class
DRY_EVAL_BATCH, DRY_EVAL_STEPS = 4, 3 # dry run: MiniC3D training / test batch and steps timed (the first is dropped)
OUT = ROOT/'results'/'paper_scale.json'

def machine() -> dict:
    "Where the run happened."
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name')),
               platform.processor()) if Path('/proc/cpuinfo').exists() else platform.processor()
    return dict(platform=platform.platform(), cpu=cpu, cpus=os.cpu_count(), torch=torch.__version__, torch_threads=torch.get_num_threads(),
                cuda=torch.cuda.get_device_name() if torch.cuda.is_available() else None, prism_nb=prism_nb.__version__)

def parse_set(kvs:list) -> dict:
    "--set KEY=VALUE options, values parsed as JSON where possible."
    out = {}
    for kv in kvs:
        k, _, v = kv.partition('=')
        try: out[k] = json.loads(v)
        except json.JSONDecodeError: out[k] = v
    return out

def set_counts(spec:str) -> tuple:
    "(classes, training videos, test videos) of a synth or miniucf spec, without loading it."
    s = parse_spec(spec)
    if s.kind == 'miniucf': return MINIUCF_CLASSES, MINIUCF_TRAIN, MINIUCF_TEST
    if s.kind != 'synth': raise SystemExit(f"--dry-run projects synth and miniucf specs only, got {spec!r}")
    c = s.options.get('classes', 10); c = int(c) if str(c).isdigit() else len(str(c).split('+'))
    return c, c * int(s.options.get('train', 100)), c * int(s.options.get('test', 30))

def clip_shape(spec:str) -> tuple:
    "(frames, size) of the clips of `spec`."
    s = parse_spec(spec)
    if s.kind == 'synth': return int(s.options.get('frames', 8)), int(s.options.get('size', 32))
    from prism_nb.datasets import DATASET_DEFAULTS
    o = {**DATASET_DEFAULTS[s.kind], **s.options}
    return int(o['frames']), int(o['size'])

def timed_run(method, train, vpc, seed, device, iterations=None, **options):
    "run_method with per-iteration wall times (CUDA synchronised): (Condensed, seconds of each iteration)."
    stamps, t0 = [], [time.perf_counter()]
    def cb(it, videos, log):
        if device.type == 'cuda': torch.cuda.synchronize(device)
        now = time.perf_counter(); stamps.append(now - t0[0]); t0[0] = now
    if iterations is not None: options['iterations'] = iterations
    res = run_method(method, train, vpc, seed, device, show_progress=False, callback=cb, dataset_kind=PRESET, **options)
    return res, stamps

def eval_step_seconds(n_classes, frames, size, device, batch=DRY_EVAL_BATCH, steps=DRY_EVAL_STEPS) -> dict:
    "Seconds per clip of one MiniC3D training step (forward, backward, SGD) and of one test forward, at this clip shape."
    net = get_model(ARCH, n_classes, frames, size, seed=0, device=device)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(batch, 3, frames, size, size, device=device); y = torch.arange(batch, device=device) % n_classes
    def step():
        opt.zero_grad(); torch.nn.functional.cross_entropy(net(x), y).backward(); opt.step()
    def forward():
        with torch.no_grad(): net(x)
    out = {}
    for name, fn in (('train', step), ('test', forward)):
        ts = []
        for _ in range(steps):
            t = time.perf_counter(); fn()
            if device.type == 'cuda': torch.cuda.synchronize(device)
            ts.append(time.perf_counter() - t)
        out[name] = statistics.median(ts[1:]) / batch
    return out

def eval_seconds(n_syn, n_test, per_clip, eval_seeds=1) -> float:
    "Projected seconds of evaluating one condensed set: the protocol's epochs over the synthetic set, then its test passes."
    cfg = get_config(PROTOCOL)
    return eval_seeds * (cfg.epochs * n_syn * per_clip['train'] + cfg.test_passes * n_test * per_clip['test'])

def hms(s:float) -> str: return f"{s / 3600:.1f} h" if s >= 3600 else f"{s / 60:.1f} min" if s >= 60 else f"{s:.0f} s"

def dry_run(a, device):
    "Time a few iterations of each method at each VPC and project the full configuration."
    frames, size = clip_shape(a.data); classes, _, n_test = set_counts(a.data)
    spec = (f'synth:classes={a.dry_classes},train={DRY_PER_CLASS},test={DRY_PER_CLASS},length={max(VIDEO_LENGTH, frames)},'
            f'size={size},frames={frames},stride=1')
    train, _ = load_dataset(spec)
    print(f"dry run on {device} ({machine()['cpu'] if device.type == 'cpu' else machine()['cuda']}, {torch.get_num_threads()} threads): "
          f"{spec}\n  {a.dry_classes} of {classes} classes at the full clip shape {frames} x {size} x {size}; load average {os.getloadavg()[0]:.1f}", flush=True)
    spi = {}
    for vpc in a.vpcs:
        for m in METHODS:
            kw = dict(parse_set(a.set), **(dict(warmup=0., cooldown=0.) if m == 'prism' else {}))
            res, stamps = timed_run(m, train, vpc, 0, device, a.dry_iterations, **kw)
            spi[m, vpc] = statistics.median(stamps[1:]) if len(stamps) > 1 else stamps[0]
            cfg = res.config
            print(f"  {m:5s} vpc {vpc:2d}: {spi[m, vpc]:6.1f} s/iteration at {a.dry_classes} classes "
                  f"(lr {cfg['lr']}, real batch {cfg['batch_real']}/class, iterations {cfg['iterations']}, init {cfg['init']}; "
                  f"peak memory {res.peak_memory_mib or 0:.0f} MiB)", flush=True)
    per_clip = eval_step_seconds(classes, frames, size, device)
    print(f"  MiniC3D: {per_clip['train'] * 1e3:.0f} ms per clip per training step, {per_clip['test'] * 1e3:.0f} ms per clip per test forward")
    n_seeds = len(a.seeds)
    for label, c, nt in ((f'this configuration ({classes} classes)', classes, n_test), (f'MiniUCF size ({MINIUCF_CLASSES} classes)', MINIUCF_CLASSES, MINIUCF_TEST)):
        cond = ev = 0.
        lines = []
        for vpc in a.vpcs:
            for m in METHODS:
                iters = a.iterations or method_config(m, PRESET, vpc).iterations
                c_s = n_seeds * iters * spi[m, vpc] * c / a.dry_classes
                e_s = n_seeds * eval_seconds(c * vpc, nt, per_clip, a.eval_seeds)
                cond += c_s; ev += e_s
                lines.append(f"    {m:5s} vpc {vpc:2d}: {n_seeds} seeds x {iters} iterations x {spi[m, vpc] * c / a.dry_classes:7.1f} s = {hms(c_s):>9s}"
                             f"  + evaluation {hms(e_s):>9s}")
        print(f"projected on this machine, {label}: condensation {hms(cond)}, evaluation {hms(ev)}, total {hms(cond + ev)}")
        print('\n'.join(lines))
    return spi

def summarise(runs:dict) -> dict:
    "Per method and VPC: top-1 mean/std over seeds, stored frames and MiB, seconds per iteration; PRISM's frames over DM's."
    out = {}
    for r in runs.values():
        out.setdefault(f"{r['method']} vpc{r['vpc']}", []).append(r)
    summ = {}
    for k, rs in sorted(out.items()):
        t = torch.tensor([r['top1'] for r in rs])
        summ[k] = dict(seeds=[r['seed'] for r in rs], top1_mean=float(t.mean()), top1_std=float(t.std(unbiased=False)),
                       stored_frames=statistics.mean(r['storage']['stored_frames'] for r in rs),
                       storage_mib=statistics.mean(r['storage']['storage_mib'] for r in rs),
                       seconds_per_iteration=statistics.median(r['seconds_per_iteration'] for r in rs))
    for k, s in summ.items():
        if k.startswith('prism ') and ('dm ' + k[6:]) in summ: s['frames_over_dm'] = s['stored_frames'] / summ['dm ' + k[6:]]['stored_frames']
    return summ

def full_run(a, device):
    "The full configuration, one (VPC, method, seed) cell at a time, recorded after each."
    t_start = time.time()
    rec = {} if a.fresh or not Path(a.out).exists() else json.loads(Path(a.out).read_text())
    if rec and rec.get('data') != a.data: raise SystemExit(f"{a.out} records data {rec.get('data')!r}, not {a.data!r}: use --fresh or --out")
    runs = rec.get('runs', {})
    train, test = load_data(a.data)
    print(f'train {train}\ntest {test}', flush=True)
    options = parse_set(a.set)
    if a.iterations: options['iterations'] = a.iterations
    for vpc, m, seed in product(a.vpcs, METHODS, a.seeds):
        key = f'{m}-vpc{vpc}-seed{seed}'
        if key in runs: continue
        if a.deadline and time.time() - t_start > a.deadline: print(f'deadline reached before {key}: rerun the command to resume'); break
        res, stamps = timed_run(m, train, vpc, seed, device, **options)
        run_dir = save_method(Path(a.runs)/key, res, a.data, train.classes, train_name=train.name, preset=PRESET)
        syn = TensorVideos(res.videos.expand().detach(), res.videos.labels, list(train.classes), name=key)
        ev = evaluate(syn, test, PROTOCOL, ARCH, seeds=a.eval_seeds, out=run_dir, device=device)
        runs[key] = dict(method=m, vpc=vpc, seed=seed, top1=ev['top1']['mean'], top1_runs=ev['top1']['runs'],
                         storage=res.videos.storage(), condense_seconds=res.seconds, eval_seconds=ev['wall_s'],
                         seconds_per_iteration=statistics.median(stamps[1:] or stamps), iterations=len(stamps),
                         peak_memory_mib=res.peak_memory_mib, config=res.config, run=str(run_dir), warnings=ev['warnings'])
        print(f"{key}: top-1 {runs[key]['top1']:.1f}  {runs[key]['storage']['stored_frames']} frames "
              f"({runs[key]['storage']['storage_mib']:.1f} MiB)  {runs[key]['seconds_per_iteration']:.3f} s/it", flush=True)
        record(a, device, train, test, runs, rec)
    record(a, device, train, test, runs, rec)
    print(json.dumps(summarise(runs), indent=1))

CONFIG_KEYS = ('iterations', 'lr', 'momentum', 'batch_real', 'init', 'insertion', 'eps', 'warmup', 'cooldown', 'objective')

def effective_config(method, vpc, a) -> dict:
    "The condensation settings a cell of `method` at `vpc` runs with (preset, then --iterations and --set)."
    cfg = method_config(method, PRESET, vpc, **parse_set(a.set), **(dict(iterations=a.iterations) if a.iterations else {}))
    return {k: getattr(cfg, k) for k in CONFIG_KEYS}

def record(a, device, train, test, runs, rec):
    "Write results/paper_scale.json (atomically)."
    cmd = ' '.join(shlex.quote(x) for x in [sys.executable.replace(str(Path.cwd()) + '/', '')] + sys.argv)
    out = dict(benchmark='paper_scale', data=a.data, dataset=train.name, classes=list(train.classes), n_train=len(train), n_test=len(test),
               preset=PRESET, configs={f'{m} vpc{v}': effective_config(m, v, a) for m in METHODS for v in a.vpcs},
               protocol=PROTOCOL, arch=ARCH, eval_seeds=a.eval_seeds, device=str(device),
               commands=sorted(set(rec.get('commands', [])) | {cmd}), machine=machine(), runs=runs, summary=summarise(runs),
               date=time.strftime('%Y-%m-%d %H:%M'))
    write_json_atomic(a.out, out)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=DEFAULT_DATA, help=f'dataset spec (default {DEFAULT_DATA})')
    p.add_argument('--vpcs', default=','.join(map(str, VPCS)), help='VPCs, comma-separated')
    p.add_argument('--seeds', type=int, default=SEEDS, help='condensation seeds 0..N-1')
    p.add_argument('--eval-seeds', type=int, default=1, help='MiniC3D networks per condensed set')
    p.add_argument('--iterations', type=int, default=None, help='condensation iterations (default: the method config, 1000)')
    p.add_argument('--set', action='append', default=[], metavar='KEY=VALUE', help='condensation option for both methods')
    p.add_argument('--device', default=None, help="default: $PRISM_NB_DEVICE, else CUDA when available")
    p.add_argument('--dry-run', action='store_true', help='time a few iterations here and print the projected total')
    p.add_argument('--dry-classes', type=int, default=DRY_CLASSES)
    p.add_argument('--dry-iterations', type=int, default=DRY_ITERATIONS)
    p.add_argument('--deadline', type=float, default=None, help='seconds after which no new cell starts (the run resumes later)')
    p.add_argument('--fresh', action='store_true', help='ignore the cells already recorded in --out')
    p.add_argument('--runs', default=str(ROOT/'runs'/'paper_scale'), help='folder of the condensed sets')
    p.add_argument('--out', default=str(OUT))
    a = p.parse_args(argv)
    a.vpcs = [int(v) for v in a.vpcs.split(',')]; a.seeds = list(range(a.seeds))
    device = get_device(a.device)
    if a.dry_run: dry_run(a, device)
    else: full_run(a, device)

if __name__ == '__main__': main()
