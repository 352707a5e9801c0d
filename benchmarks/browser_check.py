"""Open a bench chart and notebooks exported to HTML in headless Chromium, offline, and fail on a blank page.

    python benchmarks/browser_check.py [--bench results/bench_motion_unified] [--nbs 30_lemma1 31_insertion] [--out results/screenshots]

1. Re-draws the bench chart of `--bench` (its `table.json`) with `prism_nb.viz.write_chart` into a scratch folder, so
   `chart.html` loads `plotly.min.js` from beside it.
2. Runs each notebook in a Jupyter kernel at test sizes (`IN_TEST=1`) with static figures on (`PRISM_NB_STATIC=1`) and
   exports it with `jupyter nbconvert --to html` (nbconvert's `HTMLExporter`); each must hold the figures' PNG fallbacks.
3. Screenshots every page with Debian's `chromium` (`apt-get install chromium`), with all host names unresolvable, so
   that nothing can come from the network; a page whose screenshot is one flat colour, or whose figures did not draw, fails.
Screenshots go to `--out` (small PNGs); the exit status is 1 when a page is blank.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = ('chromium', 'chromium-browser', 'google-chrome')
CHROME_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--host-resolver-rules=MAP * ~NOTFOUND')
CHART_WINDOW = (900, 560) # the chart is 820 x 480
NB_WINDOW = (1100, 1800) # the exported page from the cell before its first figure down
SHRINK = 2 # notebook screenshots are stored at half size
PALETTE = 64 # ... and with this many colours
JS_BUDGET_MS = 8000 # virtual time for scripts to draw
MIN_COLOURS = 8 # a page with fewer distinct colours is blank (a white page, or a title on white)
MIN_INK = 0.01 # ... or with less than this fraction of non-background pixels
PNG_TAG = re.compile(r'<img[^>]*src="data:image/png;base64,') # a figure's static fallback in exported HTML


def browser() -> str:
    "Path of a Chromium/Chrome executable, else exit with how to install one."
    for name in CHROMIUM:
        if p := shutil.which(name): return p
    sys.exit("browser_check: no chromium found; install Debian's package: apt-get update && apt-get install -y chromium")


def screenshot(url:str, png:Path, window:tuple) -> Path:
    "Screenshot `url` in headless Chromium (fresh profile, no network) into `png`."
    with tempfile.TemporaryDirectory() as prof:
        cmd = [browser(), *CHROME_FLAGS, f'--user-data-dir={prof}', f'--window-size={window[0]},{window[1]}',
               f'--virtual-time-budget={JS_BUDGET_MS}', f'--screenshot={png}', url]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return png


def ink(png:Path) -> tuple:
    "`(distinct colours, fraction of pixels unlike the most common colour)` of an image."
    from PIL import Image
    im = Image.open(png).convert('RGB'); cols = im.getcolors(maxcolors=1 << 24)
    bg = max(cols)[0]
    return len(cols), 1 - bg / (im.width * im.height)


def check_page(name:str, png:Path) -> dict:
    "Blank-page check of one screenshot."
    n, frac = ink(png)
    return dict(page=name, screenshot=str(png.relative_to(ROOT)) if png.is_relative_to(ROOT) else str(png), colours=n,
                ink=round(frac, 4), ok=n >= MIN_COLOURS and frac >= MIN_INK)


def bench_chart_page(bench:Path, work:Path) -> Path:
    "`chart.html` (and `plotly.min.js`) re-drawn from `bench/table.json` in `work`."
    from prism_nb.viz import bench_chart, write_chart
    from prism_nb.bench import read_table
    rec = read_table(bench)
    label = ', '.join(dict.fromkeys(r.get('protocol', rec['config']['protocol']) for r in rec['rows']))
    return write_chart(bench_chart(rec['rows'], title=f"{rec['config']['data']}: {label} top-1 against storage"), work/'chart.html')


_executed = {}

def notebook_page(nb_name:str, work:Path, from_figure:bool=False) -> Path:
    "The notebook `nbs/<nb_name>.ipynb`, run at test sizes with static figures, exported to HTML in `work` (`from_figure`: from the cell before its first figure on)."
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    os.environ.update(IN_TEST='1', PRISM_NB_STATIC='1')
    nb = nbformat.read(ROOT/'nbs'/f'{nb_name}.ipynb', as_version=4)
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and c.source.lstrip().startswith('#| slow'))]
    if nb_name not in _executed:
        NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': str(ROOT/'nbs')}}).execute(); _executed[nb_name] = nb
    nb = nbformat.from_dict(_executed[nb_name])
    if from_figure:
        first = next((i for i, c in enumerate(nb.cells) if any('image/png' in o.get('data', {}) for o in c.get('outputs', []))), 0)
        nb.cells = nb.cells[max(0, first - 1):]
    html, _ = HTMLExporter().from_notebook_node(nb)
    out = work/f"{nb_name}{'-figures' if from_figure else ''}.html"; out.write_text(html)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bench', default='results/bench_motion_unified', help='bench folder whose table.json is charted (default: %(default)s)')
    ap.add_argument('--nbs', nargs='+', default=['30_lemma1', '31_insertion'], help='notebooks to export and open (default: %(default)s)')
    ap.add_argument('--out', default='results/screenshots', help='folder for the screenshots and check.json (default: %(default)s)')
    a = ap.parse_args(argv)
    out = (ROOT/a.out); out.mkdir(parents=True, exist_ok=True)
    checks = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        chart = bench_chart_page(ROOT/a.bench, work)
        assert 'cdn.plot.ly' not in chart.read_text(), 'chart.html loads plotly.js from a CDN'
        checks.append(check_page('bench chart.html', screenshot(chart.as_uri(), out/'bench_chart.png', CHART_WINDOW)))
        for name in a.nbs:
            page = notebook_page(name, work)
            figures = len(PNG_TAG.findall(page.read_text()))
            png = screenshot(notebook_page(name, work, from_figure=True).as_uri(), work/f'{name}.png', NB_WINDOW)
            from PIL import Image
            im = Image.open(png).convert('RGB'); im = im.resize((im.width // SHRINK, im.height // SHRINK), Image.LANCZOS)
            im.quantize(PALETTE).save(out/f'{name}.png', optimize=True) # small: 64 colours
            c = check_page(f'nbs/{name}.ipynb as HTML', out/f'{name}.png'); c.update(static_figures=figures, ok=c['ok'] and figures > 0)
            checks.append(c)
    rec = dict(date=time.strftime('%Y-%m-%d %H:%M'), chromium=subprocess.run([browser(), '--version'], capture_output=True, text=True).stdout.strip(),
               checks=checks)
    (out/'check.json').write_text(json.dumps(rec, indent=1) + '\n')
    for c in checks: print(('ok   ' if c['ok'] else 'BLANK'), c['page'], '->', c['screenshot'], f"({c['colours']} colours, ink {c['ink']:.1%}"
                             + (f", {c['static_figures']} static figures" if 'static_figures' in c else '') + ')')
    return 0 if all(c['ok'] for c in checks) else 1


if __name__ == '__main__': sys.exit(main())
