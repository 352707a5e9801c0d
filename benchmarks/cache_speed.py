"""Time decoding a UCF101-layout dataset against loading it from the prism_nb decoded-clip cache.

Generates a SynthActions set, writes it as real videos in the UCF101 layout (class folders + split files) in a temporary
folder, then times
  decode: `load_dataset('ucf101:<root>')` (FFmpeg decoding of every video),
  cold:   `load_cached('ucf101:<root>')` on an empty cache (decoding + writing the entry),
  warm:   `load_cached('ucf101:<root>')` again (reading the entry),
checks that the cached sets equal the decoded ones, prints a table and writes the figures to results/cache_speed.json.

usage: .venv/bin/python benchmarks/cache_speed.py [--classes 10 --train-per-class 60 --test-per-class 30 --length 24 --size 32]
"""
from __future__ import annotations
import argparse, json, os, platform, shlex, shutil, statistics, sys, tempfile, time
from pathlib import Path
import av, numpy as np, torch
import prism_nb
from prism_nb.cache import load_cached, videosets_equal
from prism_nb.datasets import load_dataset, list_dataset, write_ucf101
from prism_nb.io import resize_crop
from prism_nb.synth import synth_actions

REQUIRED_SPEEDUP = 20 # warm cache load vs decoding

def timed(f, repeats):
    "Run `f` `repeats` times; return its last result and the list of wall-clock seconds."
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); out = f(); times.append(time.perf_counter() - t0)
    return out, times

def pyav_decode(files, size):
    "Reference decoder: PyAV directly (no imageio), one thread, frames centre-cropped and resized as `load_dataset` does."
    out = []
    for f in files:
        with av.open(str(f)) as c: frames = [fr.to_ndarray(format='rgb24') for fr in c.decode(video=0)]
        out.append(resize_crop(torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2), size))
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--classes', type=int, default=10)
    p.add_argument('--train-per-class', type=int, default=60)
    p.add_argument('--test-per-class', type=int, default=30)
    p.add_argument('--length', type=int, default=24, help='frames per video')
    p.add_argument('--size', type=int, default=32, help='frame height and width')
    p.add_argument('--fps', type=int, default=25)
    p.add_argument('--ext', default='avi')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--repeats', type=int, default=3, help='timed runs of decode and of warm load (median reported)')
    p.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'results'/'cache_speed.json'))
    a = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix='prism_nb_cache_speed-'))
    try:
        train, test = synth_actions(classes=a.classes, train_per_class=a.train_per_class, test_per_class=a.test_per_class,
                                    length=a.length, size=a.size, seed=a.seed)
        root = work/'ucf'; cache_dir = work/'cache'
        write_ucf101(train, test, root, fps=a.fps, ext=a.ext)
        spec = f'ucf101:{root},size={a.size}' # native size: the UCF101 default (112) would upsample the 32 px videos
        videos = [e.path for e in (lambda l: l.train + l.test)(list_dataset(spec))]
        n_files = sum(1 for f in root.rglob('*') if f.is_file())

        (dtr, dte), t_decode = timed(lambda: load_dataset(spec), a.repeats)
        _, t_pyav = timed(lambda: pyav_decode(videos, a.size), a.repeats)
        (ctr, cte), t_cold = timed(lambda: load_cached(spec, cache_dir=cache_dir), 1)
        (wtr, wte), t_warm = timed(lambda: load_cached(spec, cache_dir=cache_dir), a.repeats)
        same = all(videosets_equal(x, y) for x, y in [(dtr, ctr), (dte, cte), (dtr, wtr), (dte, wte)])
        entry_bytes = sum(f.stat().st_size for f in cache_dir.rglob('*') if f.is_file())
    finally:
        shutil.rmtree(work, ignore_errors=True)

    decode, warm, cold, pyav = statistics.median(t_decode), statistics.median(t_warm), t_cold[0], statistics.median(t_pyav)
    speedup = decode / warm
    rows = [('decode (load_dataset)', decode, 1.0), ('decode (bare PyAV, 1 thread)', pyav, decode / pyav),
            ('cold cache (decode + write)', cold, decode / cold), ('warm cache (load_cached)', warm, speedup)]
    print(f"{len(dtr)} train + {len(dte)} test videos, {a.length} frames, {a.size}x{a.size}, .{a.ext} ({n_files} files); "
          f"cache entry {entry_bytes / 2**20:.1f} MiB")
    print(f"{'what':<30}{'seconds':>10}{'speed-up':>10}")
    for name, t, s in rows: print(f"{name:<30}{t:>10.4f}{s:>9.1f}x")
    print(f"warm / decode speed-up {speedup:.1f}x (required >= {REQUIRED_SPEEDUP}x); warm vs bare PyAV decoding {pyav / warm:.1f}x; "
          f"cached sets equal decoded: {same}")

    res = dict(decode_s=decode, cold_s=cold, warm_s=warm, speedup_warm=speedup, speedup_required=REQUIRED_SPEEDUP,
               pyav_decode_s=pyav, speedup_warm_vs_pyav=pyav / warm, pyav_runs_s=t_pyav, spec=spec.replace(str(root), '<root>'),
               passed=bool(speedup >= REQUIRED_SPEEDUP and same), cached_equals_decoded=same,
               decode_runs_s=t_decode, warm_runs_s=t_warm, cache_entry_bytes=entry_bytes,
               dataset=dict(classes=a.classes, train_videos=len(dtr), test_videos=len(dte), frames=a.length, size=a.size,
                            fps=a.fps, ext=a.ext, seed=a.seed, files=n_files),
               machine=dict(platform=platform.platform(), processor=platform.processor() or platform.machine(),
                            cpu_count=os.cpu_count(), load_average_1min=os.getloadavg()[0], python=platform.python_version(), torch=torch.__version__),
               prism_nb=prism_nb.__version__,
               command=shlex.join([os.path.relpath(sys.executable), os.path.relpath(__file__), *(sys.argv[1:] if argv is None else argv)]))
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')
    print(f"wrote {out}")
    return 0 if res['passed'] else 1

if __name__ == '__main__': sys.exit(main())
