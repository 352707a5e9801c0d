"""`benchmarks/record_bench.py`: a row pooled from two records' disjoint seeds (`--pool`) equals the row of all the seeds together; a record names each source's teacher."""
import importlib.util, json, math
from pathlib import Path
import numpy as np, pytest

spec = importlib.util.spec_from_file_location('record_bench', Path(__file__).resolve().parents[1]/'benchmarks'/'record_bench.py')
rb = importlib.util.module_from_spec(spec); spec.loader.exec_module(rb)

def row(top1, top5, secs, carried=None):
    "A bench row of the seeds' top-1/top-5 values, as `bench_table` writes it (numpy mean and ddof-0 std)."
    r = dict(method='mtt', vpc=5, arch='miniC3D_in', protocol='unified-hard', epochs=300, seeds=len(top1),
             top1_mean=float(np.mean(top1)), top1_std=float(np.std(top1)), top5_mean=float(np.mean(top5)), top5_std=float(np.std(top5)),
             stored_frames=400.0, full_frames=400, condense_s=float(np.mean(secs)), peak_memory_mib=None, warned_seeds=0, diverged_seeds=0,
             per_class={'a': float(np.mean(top1))})
    return r | ({'carried_from': carried} if carried else {})

def test_pool_equals_all_seeds():
    a, b = row([18.3], [61.0], [4562.], carried='earlier'), row([20.0, 14.5], [60.0, 57.0], [5000., 4800.])
    p, want = rb.pool_rows(a, b, 'earlier'), row([18.3, 20.0, 14.5], [61.0, 60.0, 57.0], [4562., 5000., 4800.])
    for c in ('top1_mean', 'top1_std', 'top5_mean', 'top5_std', 'condense_s'): assert math.isclose(p[c], want[c], rel_tol=1e-12), c
    assert p['seeds'] == 3 and p['pooled_with'] == 'earlier' and 'carried_from' not in p and p['peak_memory_mib'] is None
    assert math.isclose(p['per_class']['a'], want['per_class']['a'])

def test_pool_refuses_other_protocol():
    a, b = row([18.3], [61.0], [1.]), row([20.0], [60.0], [1.])
    with pytest.raises(SystemExit, match='cannot be pooled'): rb.pool_rows(a, b | dict(epochs=100, protocol='unified-hard (100 of 300 epochs)'), 'x')

def test_source_provenance_names_teachers(tmp_path):
    teacher = dict(arch='miniC3D', test_top1=99.0, key='ea05')
    for name, extra in (('a', dict(teacher=teacher)), ('b', {})):
        (tmp_path/name).mkdir(); (tmp_path/name/rb.BENCH_FILE).write_text(json.dumps(dict(sessions=[dict(seconds=1.0)], **extra)))
    sessions, teachers = rb.source_provenance(rb.read_sources([tmp_path/'a', tmp_path/'b']))
    assert sessions == {tmp_path/'a': [dict(seconds=1.0)], tmp_path/'b': [dict(seconds=1.0)]} and teachers == {tmp_path/'a': teacher}

def test_extend_carries_rows_and_teachers(tmp_path):
    from dataclasses import asdict
    cfg = asdict(rb.BenchConfig(methods=('mtt',), vpcs=(5,)))
    earlier = tmp_path/'earlier'; earlier.mkdir()
    (earlier/'table.json').write_text(json.dumps(dict(config=cfg, command='old', teachers={'runs/a': dict(test_top1=89.7)}, rows=[row([18.3], [61.0], [1.])])))
    new = dict(config=cfg | dict(vpcs=[10]), command='new', rows=[row([30.0], [70.0], [1.]) | dict(vpc=10)])
    rec = rb.extend(tmp_path/'work', new, earlier)
    assert [(r['vpc'], r.get('carried_from')) for r in rec['rows']] == [(5, 'old'), (10, None)] and list(rec['config']['vpcs']) == [5, 10]
    assert rec['carried']['teachers'] == {'runs/a': dict(test_top1=89.7)} and rec['carried']['command'] == 'old'
