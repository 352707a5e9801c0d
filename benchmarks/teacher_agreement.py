"""How recognisable each condensed set of a bench is to the bench's teacher: the share of synthetic videos whose teacher
prediction is their own label, per (method, VPC), over the seeds found.

A set the teacher cannot read gives Multi-SL (the `unified` protocol) labels that disagree with its hard labels; this
explains rows of the unified table that fall far below the real clips they started from.

    python benchmarks/teacher_agreement.py --bench runs/bench_unified    # -> results/teacher_agreement.json
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import numpy as np, torch
from prism_nb.core import write_json_atomic, get_device
from prism_nb.artifacts import load_condensed
from prism_nb.cache import load_data
from prism_nb.bench import BenchConfig, BENCH_FILE, cell_dir
from prism_nb.evaluate import teacher_logits
from prism_nb.teachers import get_teacher, teacher_summary

def agreement(run, teacher, device) -> float:
    "Percentage of the videos of run folder `run` that `teacher` assigns to their own label."
    videos, _ = load_condensed(run)
    logits = teacher_logits(teacher, videos.expand().detach(), device=device)
    return float(100 * (logits.argmax(1) == videos.labels).float().mean())

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bench', default='runs/bench_unified', help='bench folder whose cells are read')
    p.add_argument('--device', default=None); p.add_argument('--results', default='results/teacher_agreement.json')
    a = p.parse_args(); device = get_device(a.device)
    cfg = BenchConfig(**json.loads((Path(a.bench)/BENCH_FILE).read_text())['config'])
    train, test = load_data(cfg.data); teacher = get_teacher(train, test, device=device)
    rows = []
    for spec in cfg.methods:
        for vpc in cfg.vpcs:
            runs = [cell_dir(a.bench, spec, vpc, s) for s in range(cfg.seeds)]
            vals = [agreement(r, teacher, device) for r in runs if (r/'manifest.json').exists()]
            if not vals: continue
            rows.append(dict(method=spec, vpc=vpc, seeds=len(vals), agreement_mean=float(np.mean(vals)), agreement_std=float(np.std(vals))))
            print(f"{spec:24s} vpc {vpc}: {rows[-1]['agreement_mean']:5.1f} +- {rows[-1]['agreement_std']:4.1f} % ({len(vals)} seeds)")
    res = dict(command='python ' + ' '.join(sys.argv), bench=a.bench, data=cfg.data, device=str(device),
               teacher=teacher_summary(teacher), rows=rows,
               machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=torch.__version__), date=time.strftime('%Y-%m-%d %H:%M'))
    write_json_atomic(a.results, res)

if __name__ == '__main__': main()
