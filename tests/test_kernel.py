"""Run the tutorials and the visualiser notebook top to bottom in a real Jupyter kernel (nbclient), as "Run all" does.

`nbdev-test` runs notebooks through execnb, not a kernel; this catches what only a kernel shows (widgets, display hooks, a
`#| cuda` cell on a CPU). Sizes are the test sizes (`IN_TEST=1`, read by `prism_nb.core.in_test`); `#| slow` cells are left out
as `nbdev-test` leaves them out, `#| cuda` cells run and must skip themselves with a note when there is no GPU.
"""
import os, re
from pathlib import Path
import nbformat, pytest, torch
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNEL_NBS = sorted((ROOT/'nbs').glob('3*.ipynb')) + [ROOT/'nbs'/'13_viz.ipynb']
CELL_TIMEOUT = 600 # seconds per cell (as `cell_timeout` in pyproject.toml)
MAX_SAVED = 2_000_000 # bytes: a notebook saved after "Run all", outputs and widget state included
SKIP_FLAG = re.compile(r'^\s*#\|\s*slow\b', re.M)
CUDA_FLAG = re.compile(r'^\s*#\|\s*cuda\b', re.M)


def _prepare(nb):
    "Drop `#| slow` cells (as nbdev-test does); keep the rest."
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and SKIP_FLAG.search(c.source))]
    return nb


@pytest.mark.parametrize('path', KERNEL_NBS, ids=[p.stem for p in KERNEL_NBS])
def test_kernel_run(path, monkeypatch):
    monkeypatch.setenv('IN_TEST', '1'); monkeypatch.setenv('PRISM_NB_STATIC', '1') # figures with their PNG, as outside tests
    monkeypatch.setenv('OMP_NUM_THREADS', os.environ.get('OMP_NUM_THREADS', '1'))
    nb = _prepare(nbformat.read(path, as_version=4))
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name='python3', resources={'metadata': {'path': str(ROOT/'nbs')}}).execute()
    for c in nb.cells:
        if c.cell_type != 'code': continue
        errs = [o for o in c.outputs if o.output_type == 'error']
        assert not errs, f"{path.name}: {errs[0].ename}: {errs[0].evalue}"
        text = ''.join(o.get('text', '') for o in c.outputs if o.output_type == 'stream')
        assert 'not JSON compliant' not in text, f"{path.name}: NaN sent to the front end:\n{text}"
        if CUDA_FLAG.search(c.source) and not torch.cuda.is_available(): assert 'skipped' in text, f"{path.name}: a cuda cell ran on a CPU"
    saved = len(nbformat.writes(nb))
    assert saved < MAX_SAVED, f"{path.name}: saved with its outputs and widgets it takes {saved:,} bytes"
