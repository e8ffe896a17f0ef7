"""Every benchmark runs for real at a tiny size (its own size arguments), to the end, and prints
its table, so a change elsewhere cannot leave a benchmark broken unnoticed. The figures themselves
are never asserted: only that the run completes and its table has its header and a row."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(path.stem for path in (REPO_ROOT / "bench").glob("*.py") if not path.stem.startswith("_"))

TINY_RUNS = {
    # name: (arguments for a tiny run, the table's header, a row of that table)
    "cli": (["--n", "2", "--rate", "100"], "| run | wall (s) | wall / floor |",
            # N <= R: the creating span has no floor, so no ratio ("-")
            r"^\| pulumi up \(default parallelism\) \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| - "
            r"\| \d+ \| 0 \| 2 \|$"),
    "cycles": (["--cycles", "1", "--contacts", "1"], "| k | contacts | last up: calls per contact |",
               r"^\| 1 \| 1 \| 4\.00 \(CreateContact 2, DescribeContact 2\) \| 2\.00 \(StopContact 1, TagContact 1\) "
               r"\| 1 \| 2 \| 1 \|$"),
    "emulator_throughput": (["--requests", "5", "--clients", "1"], "clients  requests errors",
                            r"^\s+1\s+5\s+0\s+[0-9]+"),
    "hostile": (["--slow", "2", "--interval", "0.5", "--streams", "1", "--size", "1000000", "--seconds", "1"],
                "honest requests tried", r"^\s+honest requests tried \d+, answers >= 500 or none 0, "),
    "memory": (["--sizes", "3"], "RSS in MiB after creating N full TASK contacts", r"^\s+3 .* 0\s+\d+\s+\d+$"),
    "run": (["--n", "4", "--rate", "100", "--other-rate", "200", "--reps", "1", "--cold-runs", "1", "--repeat", "1",
             "--retries", "standard:20"],
            "Connect calls per operation", r"^\s+standard, max_attempts=20\s.*\s0\s+0\s+0$"),
    "stack_scale": (["--sizes", "2", "--checkpoints", "skipped"], "| N | checkpoints | step | contact s | no-op s |",
                    r"^\| 2 \| skipped \| up \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| .* \| 6 \(3\.00/resource: "),
    "startup": (["--runs", "1"], "provider host, spawn to first create", r"^contact\s+\d+\s+\d+"),
    "search_scale": (["--sizes", "150"], "SearchContacts, 100 per page", r"^\s+150\s.*\s2\s"),
    "server_keepalive": (["--seconds", "0.2", "--clients", "1"], "server     clients  requests/s",
                         r"^werkzeug\s+1\s+\d+\s+[0-9.]+\s+1\.00$"),
}


def test_every_benchmark_has_a_tiny_run():
    assert sorted(TINY_RUNS) == BENCHMARKS


@pytest.mark.slow
@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_at_a_tiny_size_and_prints_its_table(name):
    arguments, header, row = TINY_RUNS[name]
    result = subprocess.run([sys.executable, "-m", f"bench.{name}", *arguments], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert header in result.stdout, result.stdout[-3000:]
    assert re.search(row, result.stdout, re.MULTILINE), result.stdout[-3000:]
