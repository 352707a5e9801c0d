"""`prism-nb` writing to a log (not a terminal): no progress-bar carriage returns, one line per message."""
import os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRISM_NB = Path(sys.executable).with_name('prism-nb')


def test_no_progress_bars_in_logs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'} # as a user runs it, not as the notebook tests do
    env.update(PRISM_NB_CACHE=str(tmp_path/'cache'), OMP_NUM_THREADS='1')
    cmd = [str(PRISM_NB), '--device', 'cpu', 'condense', '--data', 'synth:classes=2,train=3,test=2,size=16', '--iters', '3',
           '--batch-real', '2', '--out', str(tmp_path/'run')]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert '\r' not in res.stderr and '\r' not in res.stdout, repr(res.stderr[-500:])
    assert 'key frames' in res.stdout
