"""Benchmark: stacks of N resources through the real Pulumi CLI, contacts beside a no-op dynamic
resource (its create returns at once), with and without checkpoints, same CLI, same run.

    .venv/bin/python -m bench.stack_scale                     # N = 50, 200, 1000
    .venv/bin/python -m bench.stack_scale --sizes 50,200 --big  # adds N = 5000
    .venv/bin/python -m bench.stack_scale --sizes 3 --checkpoints skipped

A third kind, the wide no-op, is the no-op registered with the property set `Contact` registers
(every field of the table, the name secret, the token scope): the SDK's cost grows with the
properties registered, so the contact's wall beside it is the provider's own.

For each N, checkpoint mode (`saved`: the engine writes the checkpoint after every step, as
by default; `skipped`: PULUMI_SKIP_CHECKPOINTS=true, written once at the end) and kind, a new
project and stack on its own file backend runs five steps: `up` (creates N), a no-op `up`,
`preview`, `refresh`, `destroy`. Each step's wall, the ratio contact / no-op, the peak RSS
(VmHWM, sampled from /proc) and CPU seconds of the CLI, of the program process and of the
provider host, and the Connect calls the local service answered during the step.

The program and the no-op register the same inputs the user gives (instance, channel, initiation
method, name). Python programs run through the Automation API (scripts/offline_pulumi.py): that
process serves the program in `up` and `preview`, and is the CLI itself (exec) in the others.
Nothing is asserted; times are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Optional

from tests.support.cli_project import PROGRAM, CliProject, names
from tests.support.fleet import new_instance
from tests.support.lifecycle import contact_calls

from connect_contact_local.testing import local_connect

REPO_ROOT = Path(__file__).resolve().parent.parent
STEPS = ("up", "no-op up", "preview", "refresh", "destroy")
STEP_ARGS = {"up": ("up", "--yes"), "no-op up": ("up", "--yes"), "preview": ("preview",),
             "refresh": ("refresh", "--yes"), "destroy": ("destroy", "--yes")}
CHECKPOINTS = {"saved": {}, "skipped": {"PULUMI_SKIP_CHECKPOINTS": "true"}}
KINDS = ("contact", "noop", "wide no-op")
SAMPLE_SECONDS = 0.1
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")

NOOP_MODULE = '''\
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    def create(self, props):
        return CreateResult(id_=props["resourceName"], outs=props)


class Noop(Resource, module="bench", name="Noop"):
    def __init__(self, resource_name, args, opts=None):
        super().__init__(NoopProvider(), resource_name, {"resourceName": resource_name, **args}, opts)
'''
"""The no-op resource, a module of the project (importable by the program and by the provider host,
which runs in the project folder), so its provider pickles by reference as `ContactProvider` does."""
NOOP_PROGRAM = '''\
import json

import pulumi

from noop_resource import Noop

for name, args in json.load(open("contacts.json")).items():
    resource = Noop(name, args)
    pulumi.export(f"{name}Id", resource.id)
'''
WIDE_NOOP_PROGRAM = '''\
import json

import pulumi

from connect_contact import schema
from noop_resource import Noop

for name, args in json.load(open("contacts.json")).items():
    wide = {**{field.state: None for field in schema.FIELDS}, **args, "name": pulumi.Output.secret(args["name"]),
            schema.TOKEN_SCOPE: name}
    resource = Noop(name, wide, pulumi.ResourceOptions(additional_secret_outputs=list(schema.SECRET_OUTPUTS)))
    pulumi.export(f"{name}Id", resource.id)
'''
"""The no-op resource registered as `Contact` registers a contact: every field of the table (None
when not given), the name secret, the token scope. The SDK's cost grows with the properties a
resource registers; beside this one, a contact's extra wall is the provider's own."""
PROGRAMS = {"contact": PROGRAM, "noop": NOOP_PROGRAM, "wide no-op": WIDE_NOOP_PROGRAM}


@dataclass
class ProcessPeaks:
    """The largest VmHWM (KiB) and CPU seconds seen per role, over every process of the role."""

    rss_kib: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, dict[int, float]] = field(default_factory=dict)

    def cpu_seconds(self, role: str) -> float:
        return sum(self.cpu.get(role, {}).values())


def _role(cmdline: list[bytes]) -> Optional[str]:
    text = b" ".join(cmdline)
    if b"pulumi.dynamic" in text:
        return "host"
    if b"offline_pulumi.py" in text:
        return "program"
    if cmdline and os.path.basename(cmdline[0]) == b"pulumi":
        return "cli"
    return None


def _sample(backend: bytes, project: bytes, peaks: ProcessPeaks) -> None:
    """The CLI and the provider host carry the project's backend in their environment; the program
    process (the Automation API's runner) names the project folder on its command line."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{entry.name}/cmdline", "rb").read().rstrip(b"\0").split(b"\0")
            if project not in cmdline and backend not in open(f"/proc/{entry.name}/environ", "rb").read().split(b"\0"):
                continue
            role = _role(cmdline)
            if role is None:
                continue
            status = open(f"/proc/{entry.name}/status").read()
            stat = open(f"/proc/{entry.name}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        hwm = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
        peaks.rss_kib[role] = max(peaks.rss_kib.get(role, 0), hwm)
        peaks.cpu.setdefault(role, {})[int(entry.name)] = (int(stat[11]) + int(stat[12])) / TICKS


class Sampler:
    """Samples /proc every SAMPLE_SECONDS for the processes of `project`'s commands."""

    def __init__(self, project: CliProject):
        self._backend = f"PULUMI_BACKEND_URL={project.backend_url}".encode()
        self._project = str(project.directory).encode()
        self.peaks = ProcessPeaks()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            _sample(self._backend, self._project, self.peaks)


@dataclass
class StepFigures:
    wall: float
    peaks: ProcessPeaks
    calls: dict[str, int]


def install_cli() -> Path:
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "install-pulumi")], check=True,
                            stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])


def run_stack(pulumi_bin: Path, scratch: Path, service, kind: str, n: int, checkpoints: str,
              pythonpath: Optional[str]) -> dict[str, StepFigures]:
    env = dict(CHECKPOINTS[checkpoints])
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    project = CliProject(scratch / f"{kind.replace(' ', '-')}-{n}-{checkpoints}", pulumi_bin, service, program=PROGRAMS[kind], env=env)
    (project.directory / "noop_resource.py").write_text(NOOP_MODULE)
    project.init()
    instance_id = new_instance(service.client(total_max_attempts=1))  # one of its own: tokens never meet
    project.declare({name: {"instance_id": instance_id, "channel": "TASK", "initiation_method": "API", "name": name}
                     for name in names("r-", n)})
    figures = {}
    for step in STEPS:
        service.reset_stats()
        with Sampler(project) as sampler:
            started = time.perf_counter()
            project.run(*STEP_ARGS[step], timeout=7200)
            wall = time.perf_counter() - started
        figures[step] = StepFigures(wall, sampler.peaks, contact_calls(service.stats()))
    shutil.rmtree(project.directory, ignore_errors=True)
    return figures


def _mib(kib: Optional[int]) -> str:
    return f"{kib / 1024:.0f}" if kib else "-"


def _calls(calls: dict[str, int], n: int) -> str:
    total = sum(calls.values())
    if not total:
        return "0"
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    return f"{total} ({total / n:.2f}/resource: {detail})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,1000", help="comma-separated N")
    parser.add_argument("--big", action="store_true", help="add N = 5000")
    parser.add_argument("--checkpoints", default="saved,skipped", help="saved, skipped or both (comma-separated)")
    parser.add_argument("--pulumi-bin", type=Path, help="the folder of the pulumi CLI (else scripts/install-pulumi)")
    parser.add_argument("--pythonpath", help="PYTHONPATH for the CLI's processes (the code under test), e.g. another "
                                             "checkout; the local service runs from the same")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size] + ([5000] if args.big else [])
    modes = [mode for mode in args.checkpoints.split(",") if mode]
    pulumi_bin = (args.pulumi_bin or install_cli()).resolve()
    version = subprocess.run([str(pulumi_bin / "pulumi"), "version"], capture_output=True, text=True).stdout.strip()
    print(f"# Stacks of N resources, real Pulumi CLI {version}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}; code: {args.pythonpath or REPO_ROOT.name}\n", flush=True)
    if args.pythonpath:
        os.environ["PYTHONPATH"] = args.pythonpath  # the local service too
    records = []
    print("| N | checkpoints | step | contact s | no-op s | ratio | wide no-op s | ratio to wide | CLI MiB (c / n) "
          "| program MiB (c / n) | host MiB (c / n) | host CPU s (c / n) | program CPU s (c / n / w) | CLI CPU s (c / n) "
          "| Connect calls (contact) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as scratch_dir, \
            local_connect(Path(scratch_dir) / "connect" / "connect.db") as service:
        scratch = Path(scratch_dir)
        for n in sizes:
            for mode in modes:
                by_kind = {kind: run_stack(pulumi_bin, scratch, service, kind, n, mode, args.pythonpath)
                           for kind in KINDS}
                contact, noop, wide = by_kind["contact"], by_kind["noop"], by_kind["wide no-op"]
                for step in STEPS:
                    c, o, w = contact[step], noop[step], wide[step]
                    pc, po = c.peaks, o.peaks
                    print(f"| {n} | {mode} | {step} | {c.wall:.2f} | {o.wall:.2f} | {c.wall / o.wall:.2f} "
                          f"| {w.wall:.2f} | {c.wall / w.wall:.2f} "
                          f"| {_mib(pc.rss_kib.get('cli'))} / {_mib(po.rss_kib.get('cli'))} "
                          f"| {_mib(pc.rss_kib.get('program'))} / {_mib(po.rss_kib.get('program'))} "
                          f"| {_mib(pc.rss_kib.get('host'))} / {_mib(po.rss_kib.get('host'))} "
                          f"| {pc.cpu_seconds('host'):.1f} / {po.cpu_seconds('host'):.1f} "
                          f"| {pc.cpu_seconds('program'):.1f} / {po.cpu_seconds('program'):.1f} / "
                          f"{w.peaks.cpu_seconds('program'):.1f} "
                          f"| {pc.cpu_seconds('cli'):.1f} / {po.cpu_seconds('cli'):.1f} "
                          f"| {_calls(c.calls, n)} |", flush=True)
                    records.append({"n": n, "checkpoints": mode, "step": step, **{
                        kind: {"wall": figures[step].wall, "rss_kib": figures[step].peaks.rss_kib,
                               "cpu": {role: figures[step].peaks.cpu_seconds(role)
                                       for role in ("cli", "program", "host")},
                               "calls": figures[step].calls} for kind, figures in by_kind.items()}})
    if args.json:
        args.json.write_text(json.dumps(records, indent=1))
    for reference in ("noop", "wide no-op"):
        walls = [record["contact"]["wall"] / record[reference]["wall"] for record in records]
        print(f"ratio contact / {reference} over every step: median {median(walls):.2f}, max {max(walls):.2f}")


if __name__ == "__main__":
    main()
