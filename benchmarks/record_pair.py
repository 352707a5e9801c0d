"""Record the tables of one or more `bench_pair.py` outputs in results/: the cells evaluated under both protocols, merged.

Only cells that hold an evaluation under both `vdsd` and `unified` are kept, so that the two tables hold the same condensed
sets. The merged bench folders go to `<work>/{vdsd,unified}` (cells included); `results/<name>_{vdsd,unified}/` receive the
record only (`bench.json`, `table.csv`, `table.json`, `chart.html`), and the charts load one shared `results/plotly.min.js`.

usage: python benchmarks/record_pair.py --name bench_smooth --work runs/i11_merged runs/i11/a runs/i11/b runs/i11/c
"""
from __future__ import annotations
import argparse, shutil, sys
from pathlib import Path
from prism_nb.bench import bench, BenchConfig, BENCH_FILE, read_table
from record_bench import union_config, publish # the same union grid and record copy

ROOT = Path(__file__).resolve().parents[1]
PROTOCOLS = ('vdsd', 'unified')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--name', required=True); p.add_argument('--work', required=True); p.add_argument('sources', nargs='+')
    a = p.parse_args(argv); work = Path(a.work); results = ROOT/'results'
    for proto in PROTOCOLS:
        cfg = union_config([Path(s)/proto for s in a.sources])
        for s in a.sources:
            for cell in sorted((Path(s)/'vdsd'/'cells').glob('*/*')):
                rel = cell.relative_to(Path(s)/'vdsd'/'cells')
                if not all(any((Path(s)/q/'cells'/rel).glob(f'eval-{q}-*.json')) for q in PROTOCOLS): continue
                dst = work/proto/'cells'/rel
                if not dst.exists(): shutil.copytree(Path(s)/proto/'cells'/rel, dst)
        bench(work/proto, cfg, table_only=True, command='python ' + ' '.join([sys.argv[0]] + (argv or sys.argv[1:])))
        out = results/f'{a.name}_{proto}'; publish(work/proto, out)
        print(f'{out}: {len(read_table(out)["rows"])} rows')

if __name__ == '__main__': main()
