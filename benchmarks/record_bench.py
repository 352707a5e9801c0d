"""Record one table in results/ from bench folders of one protocol that ran side by side (e.g. one process per core).

The cells of every source are merged into `<work>` (a cell present in several sources is taken from the first), the union
grid is tabulated there (`bench(..., table_only=True)`), and `results/<name>/` receives the record only (`bench.json`,
`table.csv`, `table.json`, `chart.html`), its chart loading the shared `results/plotly.min.js`.

With `--extend results/<name>`, the rows of that earlier record which the new cells do not replace (same method spec,
VPC and architecture) are carried into the new record, each marked with `carried_from` (the earlier record's command), and
the record's `carried` names the earlier record: a table can grow by new cells after its earlier cells' folders are gone.
The record's `teachers` names the teacher each source read (arch, test top-1, cache key) for the selection methods or a
soft-label protocol: the same teacher key can train to another accuracy on another machine.
With `--pool` as well, a new row whose key is in the earlier record is pooled with it instead of replacing it: the new cells
must be other seeds than the earlier row's (e.g. a bench run with `--only-seeds 1,2` after a one-seed record of seed 0). The
pooled row's mean and std (numpy's, ddof 0) are those of all the seeds together, its other columns the seed-weighted means
(counts summed), and it names the earlier record in `pooled_with`.

usage: python benchmarks/record_bench.py --name bench_smooth_vdsd --work runs/i12/merged_vdsd runs/i12/v1 runs/i12/v2
       python benchmarks/record_bench.py --name bench_smooth --extend results/bench_smooth --work runs/s13_merged runs/sdb1 runs/sdb5
       python benchmarks/record_bench.py --name bench_smooth --extend results/bench_smooth --work runs/s14_merged runs/s14m runs/s14d
       python benchmarks/record_bench.py --name bench_smooth --extend results/bench_smooth --pool --work runs/s15_merged runs/s15a runs/s15b
"""
from __future__ import annotations
import argparse, json, math, shutil, sys
from dataclasses import asdict
from pathlib import Path
from prism_nb.bench import bench, BenchConfig, BENCH_FILE, COMPATIBLE_FIELDS, read_table, write_table
from prism_nb.viz import PLOTLY_JS
from prism_nb.core import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
RECORD = (BENCH_FILE, 'table.csv', 'table.json', 'chart.html')

def read_sources(sources) -> dict:
    "Each source bench folder's `bench.json`, read once."
    return {s: json.loads((Path(s)/BENCH_FILE).read_text()) for s in sources}

def source_provenance(recs):
    "Per source (`read_sources`): its sessions (grid, seconds, seeds), and the teacher it read (`teacher_summary`) where it read one."
    return {s: r.get('sessions', []) for s, r in recs.items()}, {s: r['teacher'] for s, r in recs.items() if r.get('teacher')}

def union_config(sources, cfgs=None) -> BenchConfig:
    "The grid holding every source bench folder's (or every config in `cfgs`) methods, VPCs and seeds; they must agree on `COMPATIBLE_FIELDS`."
    cfgs = cfgs or [r['config'] for r in read_sources(sources).values()]
    for s, c in zip(sources[1:], cfgs[1:]):
        bad = [k for k in COMPATIBLE_FIELDS if c[k] != cfgs[0][k]]
        if bad: raise SystemExit(f"{s}: {bad} differ from {sources[0]}; one table holds one protocol")
    return BenchConfig(**{k: cfgs[0][k] for k in COMPATIBLE_FIELDS}, methods=tuple(dict.fromkeys(m for c in cfgs for m in c['methods'])),
                       vpcs=tuple(sorted({v for c in cfgs for v in c['vpcs']})), seeds=max(c['seeds'] for c in cfgs))

def publish(work, out):
    "Copy the record of the bench folder `work` (not its cells) into `out`, its chart loading the shared `results/plotly.min.js`."
    out.mkdir(parents=True, exist_ok=True)
    for f in RECORD: shutil.copy2(work/f, out/f)
    html = (out/'chart.html').read_text().replace(f'src="{PLOTLY_JS}"', f'src="../{PLOTLY_JS}"', 1); (out/'chart.html').write_text(html)
    if not (out.parent/PLOTLY_JS).exists(): shutil.copy2(work/PLOTLY_JS, out.parent/PLOTLY_JS)

STAT_COLUMNS = ('top1', 'top5') # pooled as mean and std over all seeds
SUM_COLUMNS = ('seeds', 'warned_seeds', 'diverged_seeds') # pooled as sums; the other numeric columns as seed-weighted means

def pool_rows(a, b, note):
    "The row of `a`'s and `b`'s seeds together (disjoint seeds of one method, VPC, architecture and protocol), with `pooled_with=note`."
    if (a['protocol'], a['epochs']) != (b['protocol'], b['epochs']): raise SystemExit(f"{a['method']} vpc {a['vpc']}: {a['protocol']} and {b['protocol']} cannot be pooled")
    na, nb = a['seeds'], b['seeds']; n = na + nb; w = lambda x, y: None if x is None or y is None else (na * x + nb * y) / n
    row = {k: v for k, v in a.items() if k != 'carried_from'} | dict(pooled_with=note)
    for c in STAT_COLUMNS:
        ma, sa, mb, sb = a[f'{c}_mean'], a[f'{c}_std'], b[f'{c}_mean'], b[f'{c}_std']
        m = w(ma, mb); row[f'{c}_mean'] = m
        row[f'{c}_std'] = None if m is None else math.sqrt(max(w(sa**2 + ma**2, sb**2 + mb**2) - m**2, 0.0))
    for c in SUM_COLUMNS: row[c] = a.get(c, 0) + b.get(c, 0)
    for c, v in a.items():
        if c not in STAT_COLUMNS + SUM_COLUMNS and not c.startswith(STAT_COLUMNS) and isinstance(v, float): row[c] = w(v, b.get(c))
    if a.get('per_class') and b.get('per_class'): row['per_class'] = {k: w(v, b['per_class'][k]) for k, v in a['per_class'].items()}
    return row

def extend(work, rec, earlier, pool=False):
    "`rec` (tabulated in the bench folder `work`) with the rows of the record `earlier` that its rows do not replace carried into it (or, with `pool`, the ones they share pooled)."
    old = read_table(earlier); key = lambda r: (r['method'], r['vpc'], r['arch'])
    new_cfg = json.loads(json.dumps(asdict(BenchConfig(**rec['config']))))
    cfg = union_config([earlier, work], [old['config'], new_cfg])
    if pool:
        olds = {key(r): r for r in old['rows']}
        rec = dict(rec, rows=[pool_rows(olds[key(r)], r, olds[key(r)].get('carried_from', old['command'])) if key(r) in olds else r for r in rec['rows']])
    new = {key(r) for r in rec['rows']}
    carried = [dict(r, carried_from=r.get('carried_from', old['command'])) for r in old['rows'] if key(r) not in new] # a row carried before keeps the command that made it
    order = {m: i for i, m in enumerate(cfg.methods)}
    rows = sorted(carried + rec['rows'], key=lambda r: (order[r['method']], r['vpc'], r['arch']))
    rec = {k: v for k, v in rec.items() if k != 'rows'} | dict(config=asdict(cfg), carried=dict(
        record=str(earlier), command=old['command'], tabulated=old.get('tabulated'), rows=len(carried),
        sources=old.get('sources'), teachers=old.get('teachers'), carried=old.get('carried'))) # the earlier record's own carried rows, so the chain stays whole
    return dict(rec, rows=rows)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--name', required=True); p.add_argument('--work', required=True); p.add_argument('sources', nargs='+')
    p.add_argument('--extend', default=None, help="an earlier record (results/<name>) whose rows the new cells do not replace are carried over")
    p.add_argument('--pool', action='store_true', help="with --extend: pool a new row with the earlier record's row of the same key (other seeds) instead of replacing it")
    a = p.parse_args(argv); work, out = Path(a.work), ROOT/'results'/a.name
    if a.pool and not a.extend: p.error('--pool needs --extend')
    recs = read_sources(a.sources); cfg = union_config(a.sources, [r['config'] for r in recs.values()])
    for s in a.sources:
        for cell in sorted((Path(s)/'cells').glob('*/*')):
            dst = work/'cells'/cell.relative_to(Path(s)/'cells')
            if not dst.exists(): shutil.copytree(cell, dst)
    rec = bench(work, cfg, table_only=True, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))
    rec['sources'], rec['teachers'] = source_provenance(recs)
    if a.extend: rec = extend(work, rec, a.extend, a.pool)
    meta = {k: v for k, v in rec.items() if k != 'rows'}
    write_table(work, rec['rows'], meta); write_json_atomic(work/BENCH_FILE, meta) # table.json carries the sources and teachers too
    publish(work, out); print(f"{out}: {len(rec['rows'])} rows")

if __name__ == '__main__': main()
