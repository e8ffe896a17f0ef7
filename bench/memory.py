"""Memory at scale: resident set size of the provider host, the local Connect service and
this driver after creating N fully specified TASK contacts through the host.

    .venv/bin/python -m bench.memory               # N = 1,600 and 10,000
    .venv/bin/python -m bench.memory --sizes 400

For each N: a fresh local service (temporary database) and a fresh provider host; one
program declares N contacts, and `tests/fleet.py` creates them 4 at a time as `pulumi up`
would. Then VmRSS (now) and VmHWM (peak) of each process are read from /proc, with the
Connect calls the service answered. The driver keeps the stack's state (one outputs
Struct per contact, as the engine does) but not the requests it sent.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

from tests.support.fleet import Fleet, declare, new_instance, start_host
from tests.support.lifecycle import FULL_TASK

from connect_contact_local.testing import LocalConnect

MIB = 1024 * 1024


def memory(pid: int | str) -> tuple[float, float]:
    """(VmRSS, VmHWM) of the process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024 / MIB
    return fields["VmRSS"], fields["VmHWM"]


def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="memory-") as directory, \
            LocalConnect(Path(directory) / "connect.db") as service:
        instance_id = new_instance(service.client(total_max_attempts=1))
        host = start_host(service.url, call_timeout=600)
        try:
            before = {"host": memory(host.pid), "service": memory(service.pid), "driver": memory("self")}
            registrations = declare(n, instance_id, prefix="memory", **FULL_TASK)
            fleet = Fleet(host, registrations)
            started = time.perf_counter()
            result = fleet.up()
            seconds = time.perf_counter() - started
            after = {"host": memory(host.pid), "service": memory(service.pid), "driver": memory("self")}
            calls = sum(count for name, count in service.stats()["succeeded"].items() if name != "CreateInstance")
        finally:
            host.stop()
    return {"n": n, "before": before, "after": after, "errors": len(result.errors), "seconds": seconds,
            "calls": calls, "host_requests_kept": len(host.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1600,10000", help="contact counts, comma-separated (default: %(default)s)")
    args = parser.parse_args()
    rows = [measure(int(text)) for text in args.sizes.split(",")]
    print("RSS in MiB after creating N full TASK contacts through the host (at start -> after; peak)")
    print(f"{'N':>6} {'provider host':>24} {'local service':>24} {'driver':>24} {'create s':>9} {'errors':>6}"
          f" {'Connect calls':>13} {'requests kept':>13}")
    for row in rows:
        cells = []
        for process in ("host", "service", "driver"):
            (start, _), (now, peak) = row["before"][process], row["after"][process]
            cells.append(f"{start:.0f} -> {now:.0f}; {peak:.0f}")
        print(f"{row['n']:>6} {cells[0]:>24} {cells[1]:>24} {cells[2]:>24} {row['seconds']:>9.1f} {row['errors']:>6}"
              f" {row['calls']:>13} {row['host_requests_kept']:>13}")


if __name__ == "__main__":
    main()
