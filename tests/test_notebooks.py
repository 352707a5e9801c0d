"""Thin pytest wrapper: one test per notebook in nbs/, each run by `nbdev-test`."""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
NBDEV_TEST = Path(sys.executable).with_name('nbdev-test')


def test_notebooks_found():
    assert NBS, f"no notebooks found in {ROOT/'nbs'}"


@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    flags = os.environ.get('PRISM_NB_TEST_FLAGS', '')
    cmd = [str(NBDEV_TEST), str(nb), '--n-workers', '0'] + (['--flags', flags] if flags else [])
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, f"{nb.name} failed:\n{res.stdout[-4000:]}\n{res.stderr[-8000:]}"
