"""Record the tables of one or more `bench_pair.py` outputs in results/: the cells evaluated under both protocols, merged.

Only cells that hold an evaluation under both `vdsd` and `unified` are kept, so that the two tables hold the same condensed
sets. The merged bench folders go to `<work>/{vdsd,unified}` (cells included); `results/<name>_{vdsd,unified}/` receive the
record only (`bench.json`, `table.csv`, `table.json`, `chart.html`), and the charts load one shared `results/plotly.min.js`.

usage: python benchmarks/record_pair.py --name bench_smooth --work runs/i11_merged runs/i11/a runs/i11/b runs/i11/c
"""
from __future__ import annotations
import argparse, json, shutil, sys
from pathlib import Path
from prism_nb.bench import bench, BenchConfig, BENCH_FILE
from prism_nb.viz import PLOTLY_JS

ROOT = Path(__file__).resolve().parents[1]
PROTOCOLS = ('vdsd', 'unified')
RECORD = (BENCH_FILE, 'table.csv', 'table.json', 'chart.html')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--name', required=True); p.add_argument('--work', required=True); p.add_argument('sources', nargs='+')
    a = p.parse_args(argv); work = Path(a.work); results = ROOT/'results'
    for proto in PROTOCOLS:
        cfgs = [json.loads((Path(s)/proto/BENCH_FILE).read_text())['config'] for s in a.sources]
        keys = ('data', 'protocol', 'archs', 'epochs', 'teacher_epochs', 'iterations', 'eval_options')
        cfg = BenchConfig(**{k: cfgs[0][k] for k in keys}, methods=tuple(dict.fromkeys(m for c in cfgs for m in c['methods'])),
                          vpcs=tuple(sorted({v for c in cfgs for v in c['vpcs']})), seeds=max(c['seeds'] for c in cfgs))
        for s in a.sources:
            for cell in sorted((Path(s)/'vdsd'/'cells').glob('*/*')):
                rel = cell.relative_to(Path(s)/'vdsd'/'cells')
                if not all(any((Path(s)/q/'cells'/rel).glob(f'eval-{q}-*.json')) for q in PROTOCOLS): continue
                dst = work/proto/'cells'/rel
                if not dst.exists(): shutil.copytree(Path(s)/proto/'cells'/rel, dst)
        bench(work/proto, cfg, table_only=True, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))
        out = results/f'{a.name}_{proto}'; out.mkdir(parents=True, exist_ok=True)
        for f in RECORD: shutil.copy2(work/proto/f, out/f)
        html = (out/'chart.html').read_text().replace(f'src="{PLOTLY_JS}"', f'src="../{PLOTLY_JS}"', 1); (out/'chart.html').write_text(html)
        if not (results/PLOTLY_JS).exists(): shutil.copy2(work/proto/PLOTLY_JS, results/PLOTLY_JS)
        print(f'{out}: {len(json.loads((out/"table.json").read_text())["rows"])} rows')

if __name__ == '__main__': main()
