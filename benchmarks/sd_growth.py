"""Why static-dynamic's videos leave the pixel range on the smooth regime: what each learning-rate pair does to its parts.

Static-dynamic's stage 2 matches the real clips' features after `normalise_input`, which standardises the synthetic batch
with its own mean and std: the loss does not see the videos' overall scale, so nothing holds the hallucinator's weights or
the dynamic memory to it. For each `(lr_dynamic, lr_hallucinator)` pair the method runs once (VPC 1, seed 0, the bench's
spec) on the training split, and the record keeps, per pair: the rendered videos' pixel range, the dynamic memory's range,
the hallucinator's summed absolute weight on the static channels per output channel (1 at initialisation: the identity
tap) and its bias. No test or validation clip is read; the choice of the pair is `sweep.py`'s, on a validation split.

    python benchmarks/sd_growth.py --pairs 100:0.01,0.1:0.01,100:0.0001,1:0.0001 --out results/sd_growth_smooth.json
"""
from __future__ import annotations
import argparse
from pathlib import Path
from prism_nb.core import write_json_atomic, get_device, CHANNELS
from prism_nb.cache import load_cached
from prism_nb.bench import provenance, parse_method_spec
from prism_nb.methods import run_method
from prism_nb.datasets import parse_spec


SPEC = 'static-dynamic:static_iterations=200,dynamic_iterations=200,batch_real=16' # the bench's static-dynamic row

def parts_summary(res) -> dict:
    "Ranges and sizes of a static-dynamic result's rendered videos and stored parts."
    p, v = res.parts, res.videos.expand().detach()
    w = p['hallucinator_weight']
    return dict(videos=[float(v.min()), float(v.max())], statics=[float(p['statics'].min()), float(p['statics'].max())],
                dynamics=[float(p['dynamics'].min()), float(p['dynamics'].max())],
                static_weight_abs_sum=w[:, :CHANNELS].abs().sum((1, 2, 3, 4)).tolist(), bias=p['hallucinator_bias'].tolist(),
                condense_s=res.seconds)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='synth:regime=smooth'); p.add_argument('--spec', default=SPEC)
    p.add_argument('--pairs', default='100:0.01,0.1:0.01,100:0.0001,1:0.0001', help="lr_dynamic:lr_hallucinator, comma-separated")
    p.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'results'/'sd_growth_smooth.json'))
    a = p.parse_args(argv); device = get_device()
    train, _ = load_cached(a.data); name, opts = parse_method_spec(a.spec)
    rec = provenance(None if argv is None else [__file__, *argv]) | dict(data=a.data, spec=a.spec, vpc=1, seed=0, pairs={})
    for pair in a.pairs.split(','):
        lr_d, lr_h = (float(x) for x in pair.split(':'))
        res = run_method(name, train, 1, 0, device, show_progress=False, dataset_kind=parse_spec(a.data).kind,
                         **opts, lr_dynamic=lr_d, lr_hallucinator=lr_h)
        rec['pairs'][pair] = s = parts_summary(res)
        print(f"lr_dynamic {lr_d:g}, lr_hallucinator {lr_h:g}: videos {s['videos'][0]:.1f} to {s['videos'][1]:.1f}, "
              f"dynamics {s['dynamics'][0]:.1f} to {s['dynamics'][1]:.1f}, static taps |w| {[round(x, 1) for x in s['static_weight_abs_sum']]}", flush=True)
        write_json_atomic(a.out, rec)

if __name__ == '__main__': main()
