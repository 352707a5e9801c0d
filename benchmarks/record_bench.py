"""Record one table in results/ from bench folders of one protocol that ran side by side (e.g. one process per core).

The cells of every source are merged into `<work>` (a cell present in several sources is taken from the first), the union
grid is tabulated there (`bench(..., table_only=True)`), and `results/<name>/` receives the record only (`bench.json`,
`table.csv`, `table.json`, `chart.html`), its chart loading the shared `results/plotly.min.js`.

usage: python benchmarks/record_bench.py --name bench_smooth_vdsd --work runs/i12/merged_vdsd runs/i12/v1 runs/i12/v2
"""
from __future__ import annotations
import argparse, json, shutil, sys
from pathlib import Path
from prism_nb.bench import bench, BenchConfig, BENCH_FILE, COMPATIBLE_FIELDS
from prism_nb.viz import PLOTLY_JS
from prism_nb.core import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
RECORD = (BENCH_FILE, 'table.csv', 'table.json', 'chart.html')

def union_config(sources) -> BenchConfig:
    "The grid holding every source bench folder's methods, VPCs and seeds; the sources must agree on `COMPATIBLE_FIELDS`."
    cfgs = [json.loads((Path(s)/BENCH_FILE).read_text())['config'] for s in sources]
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

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--name', required=True); p.add_argument('--work', required=True); p.add_argument('sources', nargs='+')
    a = p.parse_args(argv); work, out = Path(a.work), ROOT/'results'/a.name
    cfg = union_config(a.sources)
    for s in a.sources:
        for cell in sorted((Path(s)/'cells').glob('*/*')):
            dst = work/'cells'/cell.relative_to(Path(s)/'cells')
            if not dst.exists(): shutil.copytree(cell, dst)
    rec = bench(work, cfg, table_only=True, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))
    rec['sources'] = {s: json.loads((Path(s)/BENCH_FILE).read_text()).get('sessions', []) for s in a.sources}
    write_json_atomic(work/BENCH_FILE, {k: v for k, v in rec.items() if k != 'rows'})
    publish(work, out); print(f"{out}: {len(rec['rows'])} rows")

if __name__ == '__main__': main()
