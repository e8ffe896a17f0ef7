"""Every benchmark starts: its imports resolve and its command line parses (`--help`), so a
change elsewhere cannot leave a benchmark broken unnoticed. The figures themselves are never
asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(path.stem for path in (REPO_ROOT / "bench").glob("*.py") if not path.stem.startswith("_"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_starts(name):
    result = subprocess.run([sys.executable, "-m", f"bench.{name}", "--help"], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
