"""Replay the fault list of issue 13 against the `prism-nb` command line and record what happens.

Every case runs the CLI in its own process and records its exit code, the first line of its stderr, whether that stderr is
one line without a traceback, whether the user's data around it is intact, and whether the outcome is the one the issue asks
for. By default each case is a fork of one process that has imported `prism_nb.cli` (the same `main` the `prism-nb` script
calls, with the interpreter's handling of uncaught exceptions), which saves the ~10 s import per case on a small machine;
`--subprocess` runs `.venv/bin/prism-nb` itself instead. It also measures the cost of the decoded-clip cache's payload
checksum on the default set (`load_cached('synth')` with and without verification).

Prints a table (case, exit code, message, data intact) and writes results/faults.json and results/faults.md.

usage: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/faults.py [--subprocess] [--out results/faults]
"""
from __future__ import annotations
import argparse, hashlib, io, json, os, platform, shlex, shutil, subprocess, sys, tempfile, time, traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRISM = REPO/'.venv'/'bin'/'prism-nb'
SPEC = 'synth:classes=3,train=3,test=2,length=8,size=16,frames=4,stride=1' # a tiny SynthActions set
FAST = ['--iters', '3', '--batch-real', '2'] # condensation options of every run
EVAL = ['--seeds', '1', '--epochs', '1'] # evaluation options of every run
CHECKSUM_REPEATS = 5 # warm loads timed per setting (best kept)

# ---------------------------------------------------------------------------------------------------------------- running
class Runner:
    "Runs `prism-nb ARGS` in a fresh process (a fork of this one, or a real subprocess) and returns (rc, stdout, stderr)."
    def __init__(self, subprocess_mode:bool, env:dict):
        self.sub, self.env = subprocess_mode, env
        if not self.sub:
            import torch
            torch.set_num_threads(1) # a forked child must not use a thread pool its parent started (OpenMP is not fork-safe)
            from prism_nb import cli # noqa: F401 -- imported once, inherited by every fork
    def __call__(self, args, cwd=None, env=None, umask=None) -> tuple:
        env = {**self.env, **(env or {})}
        if self.sub:
            pre = (lambda: os.umask(umask)) if umask is not None else None
            p = subprocess.run([str(PRISM), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, preexec_fn=pre)
            return p.returncode, p.stdout, p.stderr
        return _fork_main([str(a) for a in args], cwd, env, umask)

def _fork_main(argv, cwd, env, umask):
    "Run `prism_nb.cli.main(argv)` in a child process as the console script would; return (rc, stdout, stderr)."
    out, err = tempfile.TemporaryFile('w+'), tempfile.TemporaryFile('w+')
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        rc = 1
        try:
            os.dup2(out.fileno(), 1); os.dup2(err.fileno(), 2)
            sys.stdout, sys.stderr = os.fdopen(1, 'w', closefd=False), os.fdopen(2, 'w', closefd=False)
            os.environ.clear(); os.environ.update(env)
            if cwd: os.chdir(cwd)
            if umask is not None: os.umask(umask)
            sys.argv = ['prism-nb', *argv]
            from prism_nb.cli import main
            try: rc = main(argv) or 0
            except SystemExit as e: rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException: traceback.print_exc(); rc = 1
        finally:
            try: sys.stdout.flush(); sys.stderr.flush()
            finally: os._exit(rc)
    _, status = os.waitpid(pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    out.seek(0); err.seek(0)
    return rc, out.read(), err.read()

# ---------------------------------------------------------------------------------------------------------------- helpers
def snapshot(path) -> dict:
    "Relative path -> sha256 of every file at or below `path` (a missing path gives {})."
    p = Path(path)
    if p.is_file(): return {'.': hashlib.sha256(p.read_bytes()).hexdigest()}
    if not p.is_dir(): return {}
    return {str(f.relative_to(p)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(p.rglob('*')) if f.is_file()}

def one_line(err:str) -> bool:
    "Whether `err` is a single line with no traceback (the command's one-line warnings aside)."
    lines = [l for l in err.strip().splitlines() if l.strip() and ': warning: ' not in l]
    return len(lines) <= 1 and 'Traceback' not in err

def first_error(err:str) -> str:
    "The line of `err` that names the error (else the last line)."
    lines = [l.strip() for l in err.strip().splitlines() if l.strip()]
    hit = [l for l in lines if 'error' in l.lower()]
    return (hit[0] if hit else lines[-1] if lines else '')

def strict_json(path) -> bool:
    "Whether the file at `path` parses as strict JSON (no NaN / Infinity literals)."
    def bad(c): raise ValueError(c)
    try: json.loads(Path(path).read_text(), parse_constant=bad); return True
    except ValueError: return False

def resave(run, edit_tensors=None, edit_manifest=None):
    "Change a run folder's tensors and/or manifest and record the new checksum, as a careless tool would."
    from safetensors.torch import load_file, save_file
    from prism_nb.core import file_checksum
    run = Path(run); st, mf = run/'condensed.safetensors', run/'manifest.json'
    m = json.loads(mf.read_text())
    if edit_tensors:
        t = load_file(str(st)); edit_tensors(t); save_file(t, str(st)); m['checksums']['condensed.safetensors'] = file_checksum(st)
    if edit_manifest: m = edit_manifest(m)
    mf.write_text(json.dumps(m))

# ---------------------------------------------------------------------------------------------------------------- the cases
class Cases:
    "The fault list, each case run and judged; `rows` holds the results."
    def __init__(self, run, tmp:Path):
        self.run, self.tmp, self.rows = run, tmp, []

    def case(self, section, name, args, want, intact=None, cwd=None, env=None, umask=None, check=None):
        """Run one case. `want`: 'error' (exit 2, one line), 'ok' (exit 0), 'nonzero' or 'any' (only `check` decides). `intact`: paths whose content must not
        change (None: nothing to protect). `check(rc, out, err)`: an extra condition of the expected outcome, True when met, else a note saying what went wrong."""
        before = {str(p): snapshot(p) for p in (intact or [])}
        t0 = time.time(); rc, out, err = self.run(args, cwd=cwd, env=env, umask=umask); secs = time.time() - t0
        same = None if intact is None else all(snapshot(p) == before[str(p)] for p in intact)
        ok = {'error': rc == 2 and one_line(err), 'ok': rc == 0, 'nonzero': rc not in (0, None), 'any': True}[want]
        extra = check(rc, out, err) if check else True
        row = dict(section=section, case=name, command='prism-nb ' + ' '.join(shlex.quote(str(a).replace(str(self.tmp), '$TMP')) for a in args),
                   exit_code=rc, message=(first_error(err) if rc else (out.strip().splitlines() or [''])[-1]).replace(str(self.tmp), '$TMP'),
                   one_line_stderr=one_line(err) if rc else None, data_intact=same, expected=want,
                   passed=bool(ok and extra is True and same is not False), seconds=round(secs, 1))
        if extra is not True: row['note'] = extra or 'the expected outcome was not met'
        self.rows.append(row)
        print(f"{'ok ' if row['passed'] else 'BAD'} [{section}] {name}: rc {rc}, {row['message'][:110]}", flush=True)
        if not row['passed'] and os.environ.get('FAULTS_VERBOSE'): print(err[-3000:], flush=True)
        return rc, out, err

def run_cases(cases:Cases, tmp:Path):
    c, C = cases, cases.case
    data = tmp/'data'; run0 = tmp/'run0'
    # a dataset written as videos, and a finished run with an evaluation
    rc, out, err = c.run(['synth', '--out', data, '--classes', '3', '--train-per-class', '3', '--test-per-class', '2', '--length', '8', '--size', '16'])
    assert rc == 0, err
    ucf = f"ucf101:{data},size=16,frames=4,stride=1"
    for args in (['condense', '--data', SPEC, '--out', run0, *FAST], ['evaluate', run0, *EVAL]):
        rc, out, err = c.run(args); assert rc == 0, err

    # 1. nothing outside a run folder is ever deleted
    user = tmp/'user'; (user/'sub').mkdir(parents=True); (user/'notes.txt').write_text('my notes'); (user/'sub'/'thesis.tex').write_text('my thesis')
    afile = tmp/'f.txt'; afile.write_text('a file of mine')
    C('1', 'condense --out a folder of user files', ['condense', '--data', SPEC, '--out', user, *FAST], 'error', [user])
    C('1', 'condense --out a folder of user files, --overwrite', ['condense', '--data', SPEC, '--out', user, '--overwrite', *FAST], 'error', [user])
    C('1', 'condense --out the dataset root', ['condense', '--data', ucf, '--out', data, '--overwrite', *FAST], 'error', [data])
    C('1', 'condense --out a folder containing the dataset', ['condense', '--data', SPEC, '--out', tmp, '--overwrite', *FAST], 'error', [data, user])
    C('1', 'condense --out an existing file', ['condense', '--data', SPEC, '--out', afile, *FAST], 'error', [afile],
      check=lambda rc, o, e: not list(tmp.glob('.f.txt.*')) or 'hidden copy left')
    C('1', 'condense --out an existing run, no --overwrite', ['condense', '--data', SPEC, '--out', run0, *FAST], 'error', [run0])
    run1 = tmp/'run1'; shutil.copytree(run0, run1)
    C('1', 'condense --out an existing run, --overwrite', ['condense', '--data', SPEC, '--out', run1, '--overwrite', *FAST], 'ok')
    bench = tmp/'bench'; (bench/'cells').mkdir(parents=True); (bench/'bench.json').write_text(json.dumps(dict(config={})))
    C('1', 'condense --out a bench folder', ['condense', '--data', SPEC, '--out', bench, '--overwrite', *FAST], 'error', [bench])
    C('1', 'bench --out a folder of user files', ['bench', '--out', user, '--data', SPEC, '--methods', 'random', '--vpc', '1', '--seeds', '1', '--epochs', '1'], 'error', [user])
    C('1', 'bench --out a run folder', ['bench', '--out', run0, '--data', SPEC, '--methods', 'random', '--vpc', '1', '--seeds', '1', '--epochs', '1'], 'error', [run0])
    gif = tmp/'r.gif'; gif.write_text('not really a gif, but mine')
    C('1', 'render --out an existing file', ['render', run0, '--out', gif], 'error', [gif])
    C('1', 'render --out a folder', ['render', run0, '--out', user], 'error', [user])
    C('1', 'synth --out a folder of user files, --overwrite', ['synth', '--out', user, '--overwrite', '--classes', '2', '--size', '16'], 'error', [user])
    C('1', 'synth --out an existing file', ['synth', '--out', afile, '--classes', '2', '--size', '16'], 'error', [afile])

    # 2. a diverged run is an error, not a result
    for lr in ('1e12', '1e30', 'nan', 'inf'):
        out_ = tmp/f'lr{lr}'
        C('2', f'condense --lr {lr}', ['condense', '--data', SPEC, '--out', out_, '--lr', lr, *FAST, '--iters', '20'], 'error',
          check=lambda rc, o, e, out_=out_: not out_.exists() or 'an artifact was written')
    C('2', 'condense --lr 1e12 --dtype uint8', ['condense', '--data', SPEC, '--out', tmp/'u8', '--lr', '1e12', '--dtype', 'uint8', *FAST, '--iters', '20'], 'error',
      check=lambda rc, o, e: not (tmp/'u8').exists() or 'an artifact was written')
    for eps in ('inf', 'nan', '2'):
        C('2', f'condense --eps {eps}', ['condense', '--data', SPEC, '--out', tmp/'eps', '--eps', eps, *FAST], 'error')
    C('2', 'condense --method edc --lr -1', ['condense', '--method', 'edc', '--data', SPEC, '--out', tmp/'edc', '--lr', '-1'], 'error')
    nanrun = tmp/'nanrun'; shutil.copytree(run0, nanrun)
    resave(nanrun, lambda t: t['keyframes'].view(-1).__setitem__(0, float('nan')))
    C('2', 'evaluate a run holding one NaN pixel', ['evaluate', nanrun, *EVAL], 'error')
    C('2', 'evaluate with --lr 1e30 (training diverges)', ['evaluate', run0, *EVAL, '--epochs', '3', '--name', 'huge-lr', '--lr', '1e30'], 'ok',
      check=lambda rc, o, e: ('diverged' in o and json.loads((run0/'eval-huge-lr-miniC3D.json').read_text())['top1']['mean'] is None) or 'not reported as diverged')
    C('2', 'evaluation files are strict JSON', ['info', run0], 'ok',
      check=lambda rc, o, e: all(strict_json(f) for f in run0.glob('eval-*.json')) or 'NaN/Infinity literal in a result file')
    C('2', 'evaluate --epochs 0', ['evaluate', run0, '--seeds', '1', '--epochs', '0'], 'error')

    # 3. the artifact loader trusts nothing it reads
    def broken(name, edit_file=None, tensors=None, manifest=None):
        b = tmp/f'broken-{name}'; shutil.copytree(run0, b)
        if edit_file: edit_file(b/'condensed.safetensors')
        if tensors or manifest: resave(b, tensors, manifest)
        return b
    import torch
    faults = dict(
        truncated=broken('trunc', lambda f: f.write_bytes(f.read_bytes()[:200])),
        empty=broken('empty', lambda f: f.write_bytes(b'')),
        labels_minus_1=broken('labels', tensors=lambda t: t.__setitem__('labels', t['labels'] - 1)),
        manifest_list=broken('list', manifest=lambda m: [m]),
        no_classes=broken('noclasses', manifest=lambda m: {k: v for k, v in m.items() if k != 'classes'}),
        no_keyframes=broken('nokeys', manifest=lambda m: {k: v for k, v in m.items() if k != 'keyframes'}),
        shape_2_40=broken('shape', tensors=lambda t: t['shape'].__setitem__(2, 2**40)),
        size_2_40=broken('size', manifest=lambda m: {**m, 'size': 2**40}),
        keyframes_int32=broken('int32', tensors=lambda t: t.__setitem__('keyframes', (t['keyframes'].clamp(0, 1) * 255).round().to(torch.int32))),
        n_classes_1e9=broken('ncls', manifest=lambda m: {**m, 'n_classes': 10**9}),
        storage_bytes_wrong=broken('storage', manifest=lambda m: {**m, 'storage_bytes': 1}),
        payload_bytes_changed=broken('bytes', lambda f: f.write_bytes(f.read_bytes()[:-8] + bytes(8))))
    for name, b in faults.items():
        C('3', f'info: {name}', ['info', b], 'error', [b])
        C('3', f'evaluate: {name}', ['evaluate', b, *EVAL], 'error', [b])
    bargs = ['bench', '--out', tmp/'b', '--data', SPEC, '--methods', 'random', '--vpc', '1', '--seeds', '1', '--epochs', '1']
    rc, o, e = c.run(bargs); assert rc == 0, e
    cellst = tmp/'b'/'cells'/'random'/'vpc1-seed0'/'condensed.safetensors'; cellst.write_bytes(cellst.read_bytes()[:100])
    C('3', 'bench with a corrupt cell', bargs, 'ok', check=lambda rc, o, e: ('corrupt' in e and cellst.stat().st_size > 100) or 'not reported and recomputed')

    # 4. results from the right data, or an error
    amb = tmp/'amb'; (amb/'d').mkdir(parents=True); shutil.copytree(data, amb/'d,frames=4')
    C('4', 'a folder named d,frames=4 (ambiguous spec)', ['condense', '--data', f"ucf101:{amb/'d'},frames=4", '--out', tmp/'amb-run', *FAST], 'error')
    C('4', "the same folder quoted: ucf101:'d,frames=4'", ['condense', '--data', f"ucf101:'{amb/'d,frames=4'}',size=16,frames=4,stride=1", '--out', tmp/'amb-run', *FAST], 'ok')
    work = tmp/'work'; (work/'data').parent.mkdir(parents=True, exist_ok=True); shutil.copytree(data, work/'data')
    rel = 'ucf101:data,size=16,frames=4,stride=1'
    rc, o, e = c.run(['condense', '--data', rel, '--out', tmp/'relrun', *FAST], cwd=work); assert rc == 0, e
    other = tmp/'elsewhere'; other.mkdir()
    rc, o, e = c.run(['synth', '--out', other/'data', '--classes', '3', '--train-per-class', '3', '--test-per-class', '2', '--length', '8', '--size', '16', '--seed', '7']); assert rc == 0, e
    C('4', 'evaluate from another folder holding other data at the relative path', ['evaluate', tmp/'relrun', *EVAL], 'ok', cwd=other,
      check=lambda rc, o, e: str(work/'data') in json.loads((tmp/'relrun'/'manifest.json').read_text())['dataset'] or 'relative path recorded')
    shutil.rmtree(work/'data'); shutil.copytree(other/'data', work/'data')
    C('4', 'evaluate after the data at the recorded path changed', ['evaluate', tmp/'relrun', *EVAL], 'error')
    shutil.rmtree(work/'data'); shutil.copytree(data, tmp/'moved')
    C('4', 'evaluate after the data moved', ['evaluate', tmp/'relrun', *EVAL], 'error', check=lambda rc, o, e: '--data' in e or 'no hint to use --data')
    C('4', 'evaluate --data pointing at the moved data', ['evaluate', tmp/'relrun', '--data', f"ucf101:{tmp/'moved'},size=16,frames=4,stride=1", *EVAL], 'ok')
    C('4', 'evaluate --data pointing at other data', ['evaluate', tmp/'relrun', '--data', f"ucf101:{other/'data'},size=16,frames=4,stride=1", *EVAL], 'error')

    # 5. caches that cannot serve stale or corrupt data
    cache = Path(cases.run.env['PRISM_NB_CACHE'])
    rc, o, e = c.run(['condense', '--data', ucf, '--out', tmp/'c1', *FAST]); assert rc == 0, e
    video = sorted((data/'UCF-101').rglob('*.avi'))[0]; st = video.stat(); time.sleep(0.05)
    donor = sorted((other/'data'/'UCF-101').rglob('*.avi'))[0].read_bytes()
    video.write_bytes(donor[:st.st_size].ljust(st.st_size, b'\0')); os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns))
    C('5', 'a source video rewritten with the same size and mtime', ['condense', '--data', ucf, '--out', tmp/'c2', *FAST], 'any',
      check=lambda rc, o, e: 'source files changed' in e or 'served stale')
    shutil.rmtree(data); shutil.copytree(tmp/'moved', data) # the dataset as it was
    rc, o, e = c.run(['condense', '--data', ucf, '--out', tmp/'c3', *FAST]); assert rc == 0, e
    entries = [p for p in cache.iterdir() if (p/'cache.safetensors').exists()]
    newest = max(entries, key=lambda p: (p/'manifest.json').stat().st_mtime_ns); f = newest/'cache.safetensors'
    raw = f.read_bytes(); f.write_bytes(raw[:-64] + bytes(64))
    C('5', 'cache payload bytes overwritten, same size', ['condense', '--data', ucf, '--out', tmp/'c4', *FAST], 'ok',
      check=lambda rc, o, e: 'checksum differs' in e or 'corrupt payload served')
    teachers = cache/'teachers'
    rc, o, e = c.run(['condense', '--method', 'herding', '--data', ucf, '--out', tmp/'h1']); assert rc == 0, e
    n_before = len(list(teachers.iterdir()))
    vids = sorted((data/'UCF-101').rglob('*.avi')); donors = sorted((other/'data'/'UCF-101').rglob('*.avi'))
    for v, dn in list(zip(vids, donors))[1:]: v.write_bytes(dn.read_bytes()) # all but one video changed
    C('5', 'teacher after most videos changed', ['condense', '--method', 'herding', '--data', ucf, '--out', tmp/'h2'], 'ok',
      check=lambda rc, o, e: len(list(teachers.iterdir())) > n_before or 'stale teacher reused')
    shutil.rmtree(data); shutil.copytree(tmp/'moved', data)

    # 6. concurrency and housekeeping
    c6 = concurrency(tmp)
    cases.rows.append(dict(section='6', case=f"two processes saving one path {c6['writes']} times, a reader loading it",
                           command='python (save_condensed / load_condensed in 3 processes)', exit_code=0 if c6['errors'] == 0 else 1,
                           message=f"{c6['errors']} errors, {c6['stray']} stray temporaries", one_line_stderr=None, data_intact=None,
                           expected='ok', passed=c6['errors'] == 0 and c6['stray'] == 0, seconds=c6['seconds']))
    print(f"{'ok ' if cases.rows[-1]['passed'] else 'BAD'} [6] concurrency: {cases.rows[-1]['message']}")
    run2 = tmp/'run2'; shutil.copytree(run0, run2)
    for n in ('.run2.tmp-dead0001', '.run2.old-dead0002'): (tmp/n).mkdir(); (tmp/n/'big').write_bytes(bytes(1000))
    C('6', 'stale .tmp-*/.old-* beside a run are cleaned by the next save', ['condense', '--data', SPEC, '--out', run2, '--overwrite', *FAST], 'ok',
      check=lambda rc, o, e: not list(tmp.glob('.run2.*')) or 'stale temporaries left')
    for um in (0o022, 0o027):
        out_ = tmp/f'umask{um:o}'
        def perms(rc, o, e, out_=out_, um=um):
            d, f = out_.stat().st_mode & 0o777, (out_/'manifest.json').stat().st_mode & 0o777
            s = (out_/'condensed.safetensors').stat().st_mode & 0o777
            return (d, f, s) == (0o777 & ~um, 0o666 & ~um, 0o666 & ~um) or f"folder {d:o}, manifest {f:o}, tensors {s:o}"
        C('6', f'permissions follow umask {um:03o}', ['condense', '--data', SPEC, '--out', out_, *FAST], 'ok', umask=um, check=perms)

    # 7. one error style
    C('7', 'an error is one line, exit 2', ['info', tmp/'missing'], 'error')
    C('7', '--debug shows the traceback', ['--debug', 'info', tmp/'missing'], 'nonzero', check=lambda rc, o, e: 'Traceback' in e or 'no traceback')
    C('7', 'PRISM_NB_DEBUG=1 shows the traceback', ['info', tmp/'missing'], 'nonzero', env=dict(PRISM_NB_DEBUG='1'), check=lambda rc, o, e: 'Traceback' in e or 'no traceback')
    C('7', 'an unknown method is one line', ['condense', '--method', 'nope', '--out', tmp/'nope'], 'error')
    C('7', 'a bad dataset spec is one line', ['condense', '--data', 'ucf101:/no/such/folder', '--out', tmp/'nope'], 'error')

# ---------------------------------------------------------------------------------------------------------------- section 6
WRITER = """
import sys, torch
from prism_nb.artifacts import save_condensed
from prism_nb.keyframes import KeyframeVideos
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); errors = 0
kv = KeyframeVideos.from_noise(4, [0, 0, 1, 1], 6, 8, torch.Generator().manual_seed(seed), device='cpu')
for i in range(n):
    try: save_condensed(out, kv, 'synth', ['a', 'b'], dict(method='prism', vpc=2, seed=seed), overwrite=True)
    except Exception as e: errors += 1; print(type(e).__name__, e, file=sys.stderr)
print(errors)
"""
READER = """
import sys, time
from prism_nb.artifacts import load_condensed
from pathlib import Path
out, stop = sys.argv[1], Path(sys.argv[2]); errors = reads = 0
while not stop.exists():
    try: load_condensed(out); reads += 1
    except Exception as e: errors += 1; print(type(e).__name__, e, file=sys.stderr)
print(errors, reads)
"""

def concurrency(tmp:Path, writes:int=100) -> dict:
    "Two writers save one run folder `writes` times each while a reader loads it; count failures and stray temporaries."
    py = str(REPO/'.venv'/'bin'/'python'); out = tmp/'race'/'run'; out.parent.mkdir()
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    subprocess.run([py, '-c', WRITER, out, '1', '9'], check=True, env=env, capture_output=True)
    t0 = time.time()
    ws = [subprocess.Popen([py, '-c', WRITER, out, str(writes), str(s)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for s in (0, 1)]
    stop = tmp/'race-stop'
    r = subprocess.Popen([py, '-c', READER, out, stop], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    res = [p.communicate() for p in ws]; stop.write_text(''); rout, rerr = r.communicate()
    werr = sum(int(o.split()[-1]) for o, _ in res); rerrs, reads = map(int, rout.split())
    stray = [p.name for p in out.parent.iterdir() if p.name != 'run']
    return dict(writes=2 * writes, reads=reads, errors=werr + rerrs, writer_errors=werr, reader_errors=rerrs, stray=len(stray),
                seconds=round(time.time() - t0, 1), first_error=next((e.strip().splitlines()[0] for _, e in res if e.strip()), rerr.strip()[:200] or None))

# ---------------------------------------------------------------------------------------------------------------- checksum
CHECKSUM = """
import json, sys, time
from prism_nb.cache import load_cached, entry_path, dataset_key
from prism_nb.core import file_checksum
def best(f, n):
    ts = []
    for _ in range(n): t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return min(ts)
def read_all(verify):
    tr, te = load_cached('synth', verify=verify); return int(tr.frames.sum()) + int(te.frames.sum())
n = int(sys.argv[1])
t0 = time.perf_counter(); load_cached('synth'); cold = time.perf_counter() - t0 # generates SynthActions and writes the entry
r = dict(cold_s=cold, with_checksum_s=best(lambda: load_cached('synth'), n), without_checksum_s=best(lambda: load_cached('synth', verify=False), n),
         with_checksum_read_all_s=best(lambda: read_all(True), n), without_checksum_read_all_s=best(lambda: read_all(False), n))
p = entry_path(dataset_key('synth')[0]) / 'cache.safetensors'
r.update(payload_bytes=p.stat().st_size, hash_only_s=best(lambda: file_checksum(p), n))
print(json.dumps(r))
"""

def checksum_cost(tmp:Path) -> dict:
    "Warm `load_cached('synth')` with and without verifying the payload checksum (best of `CHECKSUM_REPEATS`), alone and with a read of every frame."
    env = {**os.environ, 'PRISM_NB_CACHE': str(tmp/'checksum-cache'), 'OMP_NUM_THREADS': '1'}
    p = subprocess.run([str(REPO/'.venv'/'bin'/'python'), '-c', CHECKSUM, str(CHECKSUM_REPEATS)], capture_output=True, text=True, env=env, check=True)
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r['overhead_s'] = r['with_checksum_s'] - r['without_checksum_s']
    r['overhead_read_all_pct'] = 100 * (r['with_checksum_read_all_s'] - r['without_checksum_read_all_s']) / r['without_checksum_read_all_s']
    r['overhead_vs_cold_pct'] = 100 * r['overhead_s'] / r['cold_s']
    r['hash_mib_per_s'] = r['payload_bytes'] / 2**20 / r['hash_only_s']
    r['note'] = ("without the checksum, load_cached maps the file and reads nothing until the frames are used; "
                 "'read_all' loads and sums every frame, as any use of the set does")
    return r

# ---------------------------------------------------------------------------------------------------------------- main
def table_md(rows) -> str:
    head = '| # | section | case | exit | message | data intact | as asked |\n|---|---|---|---|---|---|---|\n'
    def cell(s): return str(s).replace('|', '\\|')
    return head + ''.join(f"| {i + 1} | {r['section']} | {cell(r['case'])} | {r['exit_code']} | {cell(r['message'][:140])} | "
                          f"{'-' if r['data_intact'] is None else 'yes' if r['data_intact'] else 'NO'} | {'yes' if r['passed'] else 'NO'} |\n"
                          for i, r in enumerate(rows))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--subprocess', action='store_true', help='run .venv/bin/prism-nb for every case instead of forks of this process')
    ap.add_argument('--out', default=str(REPO/'results'/'faults'), help='results path without extension (.json and .md are written)')
    ap.add_argument('--no-checksum', action='store_true', help='skip the checksum cost measurement')
    a = ap.parse_args(); t0 = time.time()
    tmp = Path(tempfile.mkdtemp(prefix='prism-faults-'))
    env = {**os.environ, 'PRISM_NB_CACHE': str(tmp/'cache'), 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1'), 'PRISM_NB_DEVICE': 'cpu'}
    env.pop('PRISM_NB_DEBUG', None)
    try:
        cases = Cases(Runner(a.subprocess, env), tmp)
        run_cases(cases, tmp)
        cost = None if a.no_checksum else checksum_cost(tmp)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    rows = cases.rows; passed = sum(r['passed'] for r in rows)
    import prism_nb, torch
    rec = dict(command=' '.join(['.venv/bin/python', 'benchmarks/faults.py', *sys.argv[1:]]), issue=13,
               mode='subprocess .venv/bin/prism-nb' if a.subprocess else 'fork of a process that imported prism_nb.cli (main, as the console script)',
               passed=passed, cases=len(rows), checksum_cost=cost, rows=rows, seconds=round(time.time() - t0, 1),
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), python=platform.python_version(), torch=torch.__version__),
               prism_nb=prism_nb.__version__, date=time.strftime('%Y-%m-%d %H:%M'))
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix('.json').write_text(json.dumps(rec, indent=1, allow_nan=False))
    md = (f"# Faults of issue 13 replayed against the CLI\n\n`{rec['command']}` ({rec['mode']}), {rec['date']}, prism_nb {rec['prism_nb']}: "
          f"**{passed} of {len(rows)} cases as the issue asks**.\n\n" + table_md(rows))
    if cost: md += (f"\n\nChecksum cost on the default set (`load_cached('synth')`, a {cost['payload_bytes'] / 2**20:.1f} MiB payload, warm, "
                    f"best of {CHECKSUM_REPEATS}): {cost['with_checksum_s']:.3f} s with verification, {cost['without_checksum_s']:.3f} s without "
                    f"(+{cost['overhead_s']:.3f} s; without it the file is only mapped, not read). Loading and reading every frame: "
                    f"{cost['with_checksum_read_all_s']:.3f} s against {cost['without_checksum_read_all_s']:.3f} s "
                    f"(+{cost['overhead_read_all_pct']:.0f}%); the cold build (generate + write) takes {cost['cold_s']:.1f} s "
                    f"(the check is {cost['overhead_vs_cold_pct']:.1f}% of it). Hashing alone: {cost['hash_mib_per_s']:.0f} MiB/s.\n")
    out.with_suffix('.md').write_text(md)
    print('\n' + md)
    return 0 if passed == len(rows) else 1

if __name__ == '__main__': sys.exit(main())
