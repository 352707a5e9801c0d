"""Runs on two processes (`torchrun --standalone --nproc-per-node 2`, gloo on the CPU) give what one process gives.

Each test launches the command line the way the README shows and compares the run folders: the tensors of a class-sharded
condensation must be bitwise those of the single-process run with the same seed, and a sharded evaluation must report the
same accuracies.
"""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest, torch
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SPEC = 'synth:classes=5,train=3,test=2,length=8,size=16' # 5 classes: ranks own 2 and 3
TIMING = {'seconds', 'peak_memory_mib', 'peak_graph_mib', 'world_size', 'created', 'checksums', 'experts_trained'} # manifest fields that may differ between launches (measurements of the machine)
MEASURED = {'graph_bytes'} # log tensors that are measurements of the machine, not results

def launch(tmp, *args, ranks=1):
    "Run `prism-nb args` in one process, or under torchrun on `ranks` processes; return the completed process."
    env = dict(os.environ, OMP_NUM_THREADS='1', PRISM_NB_CACHE=str(tmp/'cache'), PRISM_NB_DEVICE='cpu')
    head = [str(BIN/'prism-nb')] if ranks == 1 else [str(BIN/'torchrun'), '--standalone', '--nproc-per-node', str(ranks), '-m', 'prism_nb.cli']
    res = subprocess.run(head + [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, f"{' '.join(head + list(map(str, args)))} failed:\n{res.stdout[-3000:]}\n{res.stderr[-6000:]}"
    return res

def same_bits(a, b):
    "Bitwise equality (NaN where NaN, as in the cosine maps at key frames)."
    return a.reshape(-1).view(torch.uint8).equal(b.reshape(-1).view(torch.uint8))

def same_run(a, b):
    "Assert two run folders hold bitwise-equal tensors and equal manifests (timing fields aside)."
    for f in ('condensed.safetensors', 'log.safetensors'):
        if not (a/f).exists(): assert not (b/f).exists(); continue
        ta, tb = load_file(a/f), load_file(b/f)
        assert sorted(ta) == sorted(tb), f
        for k in set(ta) - MEASURED: assert ta[k].dtype == tb[k].dtype and ta[k].shape == tb[k].shape and same_bits(ta[k], tb[k]), f"{f}: tensor {k!r} differs"
    ma, mb = (json.loads((p/'manifest.json').read_text()) for p in (a, b))
    assert {k: v for k, v in ma.items() if k not in TIMING} == {k: v for k, v in mb.items() if k not in TIMING}
    return ma, mb

@pytest.mark.parametrize('method,opts', [
    ('prism', ['--iterations', '6', '--batch-real', '2', '--warmup', '0.2', '--cooldown', '0.2', '--eps', '0.2']),
    ('dm', ['--iterations', '4', '--batch-real', '2', '--init', 'noise']),
    ('random', []),
    ('herding', []),
    ('mtt', ['--experts', '3', '--expert-epochs-total', '2', '--expert-epochs', '1', '--max-start-epoch', '1', '--iterations', '2', '--syn-steps', '2']),
], ids=['prism', 'dm', 'random', 'herding', 'mtt'])
def test_sharded_condensation_equals_single_process(tmp_path, method, opts):
    common = ['condense', '--method', method, '--data', SPEC, '--vpc', '2', '--seed', '3', *opts]
    launch(tmp_path, *common, '--out', tmp_path/'one')
    launch(tmp_path, *common, '--out', tmp_path/'two', ranks=2)
    one, two = same_run(tmp_path/'one', tmp_path/'two')
    assert one.get('world_size') == 1 and two['world_size'] == 2

def test_failed_rank_leaves_no_artifact(tmp_path):
    "A run that diverges fails on every rank and writes nothing."
    env = dict(os.environ, OMP_NUM_THREADS='1', PRISM_NB_CACHE=str(tmp_path/'cache'), PRISM_NB_DEVICE='cpu')
    cmd = [str(BIN/'torchrun'), '--standalone', '--nproc-per-node', '2', '-m', 'prism_nb.cli', 'condense', '--method', 'dm', '--data', SPEC,
           '--vpc', '1', '--iterations', '3', '--batch-real', '2', '--lr', '1e30', '--out', str(tmp_path/'bad')]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode != 0 and 'diverged' in res.stderr
    assert not (tmp_path/'bad').exists()

def test_evaluation_seeds_across_ranks(tmp_path):
    "Two seeds on two ranks (one each) give the results of both seeds in one process, in seed order."
    launch(tmp_path, 'condense', '--method', 'random', '--data', SPEC, '--vpc', '2', '--out', tmp_path/'run')
    results = []
    for ranks in (1, 2):
        launch(tmp_path, 'evaluate', tmp_path/'run', '--protocol', 'vdsd', '--seeds', '2', '--epochs', '3', ranks=ranks)
        results.append(json.loads((tmp_path/'run'/'eval-vdsd-miniC3D.json').read_text()))
    one, two = results
    for k in ('top1', 'top5', 'confusion', 'final_loss', 'loss_curves', 'steps', 'seeds'): assert one[k] == two[k], k

def test_bench_under_torchrun(tmp_path):
    "A tiny bench on two ranks writes the table one process writes."
    tables = []
    for ranks, out in ((1, 'one'), (2, 'two')):
        launch(tmp_path, 'bench', '--out', tmp_path/out, '--data', SPEC, '--methods', 'random', 'dm:iterations=2,batch_real=2', '--vpc', '1',
               '--seeds', '1', '--protocol', 'vdsd', '--epochs', '2', ranks=ranks)
        tables.append(json.loads((tmp_path/out/'table.json').read_text())['rows'])
    keep = ('method', 'vpc', 'top1_mean', 'top5_mean', 'stored_frames')
    assert [{k: r[k] for k in keep} for r in tables[0]] == [{k: r[k] for k in keep} for r in tables[1]]
    cell = Path('cells')/'dm--iterations-2_batch_real-2'/'vpc1-seed0' # prism_nb.bench.cell_dir
    same_run(tmp_path/'one'/cell, tmp_path/'two'/cell)

def test_cache_built_by_two_ranks(tmp_path):
    "Two ranks decode a video dataset together (each its share) into one cache entry, equal to the one a single process builds."
    launch(tmp_path, 'synth', '--out', tmp_path/'videos', '--classes', '3', '--train-per-class', '3', '--test-per-class', '2', '--size', '16', '--length', '8')
    spec = f"ucf101:{tmp_path/'videos'},size=16,frames=4,stride=2"
    for ranks in (1, 2):
        env_cache = tmp_path/f'cache{ranks}'
        head = [str(BIN/'prism-nb')] if ranks == 1 else [str(BIN/'torchrun'), '--standalone', '--nproc-per-node', '2', '-m', 'prism_nb.cli']
        env = dict(os.environ, OMP_NUM_THREADS='1', PRISM_NB_CACHE=str(env_cache), PRISM_NB_DEVICE='cpu')
        res = subprocess.run(head + ['condense', '--method', 'random', '--data', spec, '--vpc', '1', '--out', str(tmp_path/f'run{ranks}')],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr[-4000:]
        assert len([p for p in env_cache.iterdir() if p.is_dir()]) == 1 # one entry, written once
    from prism_nb.cache import load_cached
    one, two = (load_cached(spec, cache_dir=tmp_path/f'cache{r}') for r in (1, 2))
    for a, b in zip(one, two): assert a.frames.equal(b.frames) and a.offsets.equal(b.offsets) and a.labels.equal(b.labels) and a.names == b.names
    same_run(tmp_path/'run1', tmp_path/'run2')

TEACHER_SCRIPT = '''
import sys, torch
from prism_nb.distributed import init_distributed, gather_json, is_main, close_distributed, world_size
from prism_nb.synth import synth_actions
from prism_nb.teachers import get_teacher
init_distributed()
train, test = synth_actions(classes=3, train_per_class=5, test_per_class=2, length=8, size=16)
t = get_teacher(train, test, epochs=3, device='cpu', cache_dir=sys.argv[1])
sums = gather_json([float(p.double().sum()) for p in t.parameters()])
if is_main(): print('SAME' if all(s == sums[0] for s in sums) else 'DIFFERENT', world_size(), t.manifest['world_size'], t.manifest['final_loss'])
close_distributed()
'''

def test_teacher_trained_with_ddp(tmp_path):
    "Under torchrun a teacher is trained once by all ranks together (DistributedDataParallel): every rank ends with the same weights, and one cache entry is written."
    script = tmp_path/'teacher.py'; script.write_text(TEACHER_SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS='1', PRISM_NB_DEVICE='cpu')
    res = subprocess.run([str(BIN/'torchrun'), '--standalone', '--nproc-per-node', '2', str(script), str(tmp_path/'cache')],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-4000:]
    same, world, recorded, loss = res.stdout.split()[-4:]
    assert (same, world, recorded) == ('SAME', '2', '2') and float(loss) == float(loss) # finite, not NaN
    assert len(list((tmp_path/'cache'/'teachers').iterdir())) == 1

def test_one_seed_on_two_ranks(tmp_path):
    "One evaluation seed on two ranks: both train the one network together (DDP) and report one result."
    launch(tmp_path, 'condense', '--method', 'random', '--data', SPEC, '--vpc', '2', '--out', tmp_path/'run')
    launch(tmp_path, 'evaluate', tmp_path/'run', '--protocol', 'vdsd', '--seeds', '1', '--epochs', '3', ranks=2)
    ev = json.loads((tmp_path/'run'/'eval-vdsd-miniC3D.json').read_text())
    assert ev['seeds'] == [0] and len(ev['top1']['runs']) == 1 and ev['top1']['mean'] is not None and len(ev['loss_curves'][0]) == 3

def close_run(a, b, atol):
    "Assert two run folders hold the same tensors within `atol` (float sums in another order) and the same manifests (timing fields aside)."
    ta, tb = load_file(a/'condensed.safetensors'), load_file(b/'condensed.safetensors')
    assert sorted(ta) == sorted(tb)
    for k in ta:
        assert ta[k].dtype == tb[k].dtype and ta[k].shape == tb[k].shape, k
        if ta[k].is_floating_point(): torch.testing.assert_close(ta[k], tb[k], atol=atol, rtol=0, msg=lambda m: f"tensor {k!r}: {m}")
        else: assert torch.equal(ta[k], tb[k]), k
    ma, mb = (json.loads((p/'manifest.json').read_text()) for p in (a, b))
    assert {k: v for k, v in ma.items() if k not in TIMING} == {k: v for k, v in mb.items() if k not in TIMING}
    return ma, mb

FLOAT_ATOL = 1e-4 # pixels in [0, 1]: a data-parallel run adds the ranks' gradients in another order than one process

@pytest.mark.parametrize('method,opts', [
    ('prism', ['--objective', 'gm', '--iterations', '4', '--batch-real', '2', '--reinit-every', '2', '--inner-steps', '2', '--warmup', '0', '--cooldown', '0', '--eps', '0.2']),
    ('edc', ['--iterations', '4', '--init', 'real', '--lr', '0.2']),
], ids=['prism-gm', 'edc'])
def test_data_parallel_condensation_close_to_single_process(tmp_path, method, opts):
    "Methods that train a network on the whole synthetic set (DistributedDataParallel) give the single-process run within float tolerance."
    common = ['condense', '--method', method, '--data', SPEC, '--vpc', '2', '--seed', '3', *opts]
    launch(tmp_path, *common, '--out', tmp_path/'one') # trains and caches EDC's teacher: both runs use the same one
    shutil.rmtree(tmp_path/'cache'/'edc_stats', ignore_errors=True) # the 2-rank run computes EDC's real statistics class-sharded
    launch(tmp_path, *common, '--out', tmp_path/'two', ranks=2)
    one, two = close_run(tmp_path/'one', tmp_path/'two', FLOAT_ATOL)
    assert one.get('world_size') == 1 and two['world_size'] == 2
