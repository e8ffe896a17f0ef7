"""Benchmark: start-up, each figure beside its reference, medians of fresh processes.

    .venv/bin/python -m bench.startup            # 9 runs of each
    .venv/bin/python -m bench.startup --runs 3

1. Import: `from connect_contact import Contact` against `import pulumi`, each in a fresh
   interpreter, timed inside it around the import alone (the interpreter's own start is the same
   for both), and the whole process's wall.
2. The provider host, from spawn to its first create finished: `python -m pulumi.dynamic` for a
   contact (configure, check, create: CreateContact and DescribeContact against the local
   service) against the same host for a no-op dynamic resource (bench/_noop.py), each registered
   as a program would register it.
3. That first create by part, in a fresh interpreter, each part timed as the host meets it: the
   package the host unpickles, botocore, Connect's model, the core, the client (boto3's session
   and botocore's client), check, and the create's two calls. botocore, the model and the client
   are the cost of botocore itself: what the no-op host never pays.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._noop import Noop
from tests.support.emulator_support import LOCAL_CREDENTIALS
from tests.support.fleet import declare, new_instance
from tests.support.host import ProviderHost
from tests.support.program import run_program

from connect_contact_local.testing import local_connect

REGION = "us-east-1"
BOTOCORE_PARTS = ("import botocore", "parse Connect's model", "make the client")
IMPORTS = {"import pulumi": "import pulumi", "from connect_contact import Contact": "from connect_contact import Contact"}
TIMED_IMPORT = ("import time; started, cpu = time.perf_counter(), time.process_time(); {statement}; "
                "print(time.perf_counter() - started, time.process_time() - cpu)")


def import_times(statement: str, runs: int) -> tuple[float, float, float]:
    """Medians: (seconds of the import inside the process, its CPU seconds, the whole process's wall)."""
    inside, cpu, whole = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", TIMED_IMPORT.format(statement=statement)], check=True,
                                capture_output=True, text=True, cwd=tempfile.gettempdir())
        whole.append(time.perf_counter() - started)
        wall, seconds = result.stdout.split()
        inside.append(float(wall))
        cpu.append(float(seconds))
    return statistics.median(inside), statistics.median(cpu), statistics.median(whole)


FIRST_CREATE_BY_PART = """
import json, time
def timed(parts, name, step):
    started = time.perf_counter(); result = step(); parts[name] = time.perf_counter() - started; return result
parts = {{}}
timed(parts, "import pulumi", lambda: __import__("pulumi.dynamic"))
timed(parts, "import connect_contact", lambda: __import__("connect_contact"))
timed(parts, "import botocore", lambda: (__import__("botocore.session"), __import__("botocore.client")))
from connect_contact import model
timed(parts, "parse Connect's model", model.service_model)
lifecycle = timed(parts, "import the core", lambda: __import__("connect_contact.lifecycle").lifecycle)
core = lifecycle.Lifecycle(warn=print, info=print)
core.configure({config!r}.get)
timed(parts, "make the client", lambda: core.connect({{}}))
checked = timed(parts, "check", lambda: core.check({{}}, {inputs!r}))
timed(parts, "create (2 calls)", lambda: core.create(checked.inputs))
print(json.dumps(parts))
"""


def first_create_by_part(config: dict, inputs: dict, runs: int) -> dict[str, float]:
    """Median seconds of each part of a first create, in fresh interpreters."""
    runs_parts = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", FIRST_CREATE_BY_PART.format(config=config, inputs=inputs)],
                                check=True, capture_output=True, text=True, cwd=tempfile.gettempdir(),
                                env={**os.environ, **LOCAL_CREDENTIALS})
        runs_parts.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return {part: statistics.median(parts[part] for parts in runs_parts) for part in runs_parts[0]}


def noop_registration(name: str):
    return run_program(lambda: Noop(name, {"channel": "TASK", "initiation_method": "API", "name": name}))[0]


def host_first_create(registration, config: dict) -> tuple[float, float, float]:
    """(spawn to port, configure and check, create): seconds, one fresh host."""
    started = time.perf_counter()
    host = ProviderHost(env=LOCAL_CREDENTIALS)
    host.start()
    try:
        spawned = time.perf_counter()
        host.configure(config)
        checked = host.check(registration.urn, None, registration.object)
        checked_at = time.perf_counter()
        host.create(registration.urn, checked.inputs_struct)
        done = time.perf_counter()
    finally:
        host.stop()
    return spawned - started, checked_at - spawned, done - checked_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"# Start-up, CPython {platform.python_version()}, {os.cpu_count()} CPUs, medians of {args.runs}\n")
    print("import                              in-process ms  CPU ms  process wall ms  ratio (in-process, CPU)")
    reference = None
    for label, statement in IMPORTS.items():
        inside, cpu, whole = import_times(statement, args.runs)
        reference = reference or (inside, cpu)
        print(f"{label:<36}{inside * 1000:13.0f}{cpu * 1000:8.0f}{whole * 1000:17.0f}"
              f"{inside / reference[0]:15.2f}, {cpu / reference[1]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch, \
            local_connect(Path(scratch) / "connect.db") as service:
        instance_id = new_instance(service.client(total_max_attempts=1))
        config = {"aws:region": REGION, "connect-contact:endpoint": service.url}
        runs = {"contact": [], "noop": []}
        for run in range(args.runs):  # interleaved, so both see the same machine
            runs["contact"].append(host_first_create(declare(1, instance_id, prefix=f"startup-{run}")[0], config))
            runs["noop"].append(host_first_create(noop_registration(f"startup-{run}"), config))
        inputs = {"instanceId": instance_id, "channel": "TASK", "initiationMethod": "API", "name": "by part",
                  "tokenScope": "bench/startup/by-part"}
        parts = first_create_by_part(config, inputs, args.runs)
    print("\nprovider host, spawn to first create    total ms   port ms  configure+check ms  create ms  ratio to no-op")
    totals = {kind: statistics.median(sum(phases) for phases in phases_list) for kind, phases_list in runs.items()}
    for kind, phases_list in runs.items():
        medians = [statistics.median(phases[index] for phases in phases_list) * 1000 for index in range(3)]
        print(f"{kind:<39}{totals[kind] * 1000:9.0f}{medians[0]:10.0f}{medians[1]:20.0f}{medians[2]:11.0f}"
              f"{totals[kind] / totals['noop']:16.2f}")
    print("\nthe first create by part (fresh interpreter)   ms")
    for part, seconds in parts.items():
        print(f"{part:<45}{seconds * 1000:5.0f}")
    botocore_share = sum(parts[part] for part in BOTOCORE_PARTS)
    print(f"{'botocore (import + model + client)':<45}{botocore_share * 1000:5.0f}"
          f"  ({botocore_share / totals['noop']:.2f} of the no-op host's total)")


if __name__ == "__main__":
    main()
