"""Why a `unified` (Multi-SL, MSE to the teacher's logits) bench sits at chance: for every cell of one method in a bench folder
evaluated under `unified`, how well the bench's teacher labels the views the student trains on, how large the constant part
of its logits is, and how many of each student's test predictions fall on the teacher's favourite class.

The teacher's views are the protocol's own: its RandomResizedCrop shared by the frames of a clip, with flips where the
dataset allows them (SynthActions has mirror-image classes, so none). The constant part is the teacher's logit vector
averaged over those views: a student that predicts it for every clip leaves the MSE `const_mse`.

usage:    python benchmarks/unified_diagnosis.py --bench runs/i12/s2_unified_random [--method random] [--views 4]
recorded: python benchmarks/unified_diagnosis.py --bench runs/i12/s2_unified_random --out results/unified_diagnosis_smooth.json
"""
from __future__ import annotations
import argparse, json
from pathlib import Path
import numpy as np, torch
from prism_nb.core import write_json_atomic, get_device
from prism_nb.artifacts import load_condensed
from prism_nb.cache import load_data
from prism_nb.bench import BenchConfig, BENCH_FILE, cell_dir, provenance
from prism_nb.evaluate import get_config, without_flips, shared_crop_flip
from prism_nb.teachers import get_teacher, teacher_epochs, teacher_summary

ROOT = Path(__file__).resolve().parents[1]

def teacher_views(teacher, videos, labels, cfg, views, seed) -> dict:
    "Teacher top-1 on the clean clips and on the protocol's crops; its mean logit vector over the crops and the MSE it leaves."
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        clean = teacher(videos)
        crops = torch.cat([teacher(shared_crop_flip(videos, g, cfg.crop_scale, cfg.crop_ratio, cfg.flip)) for _ in range(views)])
    mean = crops.mean(0); top = mean.topk(2)
    return dict(clean_top1=float(100 * (clean.argmax(1) == labels).float().mean()),
                crop_top1=float(100 * (crops.argmax(1) == labels.repeat(views)).float().mean()),
                mean_logits=[round(float(v), 2) for v in mean], favourite=int(top.indices[0]), margin=float(top.values[0] - top.values[1]),
                total_mse=float(crops.pow(2).mean()), const_mse=float((crops - mean).pow(2).mean()))

def student(eval_file, favourite) -> dict:
    "Top-1, final training loss and the share of test predictions on `favourite`, from one unified eval file."
    e = json.loads(Path(eval_file).read_text()); predicted = np.array(e['confusion']).sum(0)
    return dict(arch=e['arch'], top1=e['top1']['mean'], final_loss=e['final_loss'][0], first_loss=e['loss_curves'][0][0],
                on_favourite=float(100 * predicted[favourite] / predicted.sum()), predicted=predicted.tolist())

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bench', required=True); p.add_argument('--method', default='random')
    p.add_argument('--views', type=int, default=4); p.add_argument('--out', default=str(ROOT/'results'/'unified_diagnosis.json'))
    a = p.parse_args(argv); torch.set_num_threads(1); device = get_device('cpu')
    cfg = BenchConfig(**json.loads((Path(a.bench)/BENCH_FILE).read_text())['config'])
    if cfg.protocol != 'unified': raise SystemExit(f"{a.bench}: protocol {cfg.protocol!r}; this diagnosis reads unified evaluations")
    train, test = load_data(cfg.data); ev = without_flips(get_config('unified'), test)
    teacher = get_teacher(train, test, device=device, epochs=cfg.teacher_epochs or teacher_epochs(train))
    cells = []
    for vpc in cfg.vpcs:
        for seed in range(cfg.seeds):
            run = cell_dir(a.bench, a.method, vpc, seed)
            if not (run/'manifest.json').exists(): continue
            videos, _ = load_condensed(run)
            t = teacher_views(teacher, videos.expand().detach(), videos.labels, ev, a.views, seed)
            s = [student(f, t['favourite']) for f in sorted(run.glob('eval-unified-*.json'))]
            cells.append(dict(vpc=vpc, seed=seed, teacher=t, students=s))
            print(f"vpc {vpc} seed {seed}: teacher clean {t['clean_top1']:.0f}%, crops {t['crop_top1']:.0f}%, favourite "
                  f"{train.classes[t['favourite']]} by {t['margin']:.1f}, MSE {t['total_mse']:.0f} of which {t['const_mse']:.0f} left by the "
                  f"constant | " + ', '.join(f"{x['arch']} {x['top1']:.1f}% loss {x['final_loss']:.0f}, {x['on_favourite']:.0f}% on it" for x in s))
    write_json_atomic(a.out, dict(benchmark='unified_diagnosis', bench=a.bench, data=cfg.data, method=a.method, views=a.views,
                                  classes=list(train.classes), teacher=teacher_summary(teacher),
                                  protocol=dict(crop_scale=ev.crop_scale, crop_ratio=ev.crop_ratio, flip=ev.flip), cells=cells,
                                  **provenance()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
