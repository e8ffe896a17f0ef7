"""Benchmark: the real Pulumi CLI, against the local Connect service throttled at R CreateContact
per second, every figure beside a reference measured in the same run.

    .venv/bin/python -m bench.cli               # N=200 contacts at R=20 CreateContact/s
    .venv/bin/python -m bench.cli --n 50 --rate 10

1. `pulumi up` of N contacts (default parallelism, --parallel 32, checkpoints skipped, the preview
   skipped, and each --parallel asked for), with the dynamic face (a Python program through the Automation API) and
   with the plugin face (a Pulumi YAML program, the plain CLI; the plugin serves 64 requests at a
   time where Pulumi's dynamic-provider host serves 4): wall / (N / R), beside the
   engine-side driver (tests/fleet.py: Check and Create through the same provider host, 4 in
   flight) creating N contacts against the same throttle; throttled responses, errors, contacts;
   when the first and the last create ran, and that span against its floor, (N - R) / R (the
   bucket's first second of burst passes at once).
2. A no-op `pulumi up` of the same N contacts (wall, Connect calls), and `pulumi up` of 1 contact.
3. A cold `pulumi preview` of the example stack (a new project folder and stack, wall).

Times are wall-clock on this machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

from tests.support.cli_project import CliProject, names
from tests.support.fleet import Fleet, declare, new_instance, start_host
from tests.support.lifecycle import contact_calls
from tests.support.yaml_project import YamlProject

from connect_contact_local.testing import local_connect


def install_cli() -> Path:
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "install-pulumi")], check=True,
                            stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])


def creating_phase(states: dict[str, dict], started_at: float) -> dict:
    """When the creates ran, from each contact's initiationTimestamp (set by the local service as it
    answers CreateContact; same clock): seconds from the command's start to the first create and to
    the last. Between them the retry strategy and parallelism set the pace; the rest of the wall is
    the CLI's, before the first create and after the last."""
    times = sorted(datetime.fromisoformat(state["initiationTimestamp"].replace("Z", "+00:00")).timestamp()
                   for state in states.values())
    return {"first": times[0] - started_at, "last": times[-1] - started_at}


def timed_run(project: CliProject, *args: str) -> float:
    started = time.perf_counter()
    project.run(*args)
    return time.perf_counter() - started


def cli_up(pulumi_bin: Path, scratch: Path, n: int, rate: float, parallel: int | None, label: str,
           env: dict[str, str], extra: tuple[str, ...] = ()) -> dict:
    with local_connect(scratch / f"connect-{label}" / "connect.db") as service:
        project = CliProject(scratch / f"project-{label}", pulumi_bin, service, env=env)
        project.init()
        project.declare({name: {"channel": "TASK", "initiation_method": "API", "name": name}
                         for name in names("contact-", n)})
        service.reset_stats()
        service.set_faults(throttle_rps=rate, operations=["CreateContact"])
        started_at = time.time()
        wall = timed_run(project, "up", "--yes", *(["--parallel", str(parallel)] if parallel else []), *extra)
        stats = service.stats()
        service.clear_faults()
        states = project.contact_states()
        in_state = len(states)
        service.reset_stats()
        noop = timed_run(project, "up", "--yes")
        noop_calls = sum(contact_calls(service.stats()).values())
    return {"wall": wall, "throttled": stats["throttled"].get("CreateContact", 0),
            "errors": stats["total"]["errors"], "in_state": in_state, "noop": noop, "noop_calls": noop_calls,
            **creating_phase(states, started_at)}


def plugin_up(pulumi_bin: Path, scratch: Path, n: int, rate: float, parallel: int | None, label: str) -> dict:
    with local_connect(scratch / f"connect-plugin-{label}" / "connect.db") as service:
        project = YamlProject(scratch / f"project-plugin-{label}", pulumi_bin, service)
        project.declare({name: project.contact(channel="TASK", initiationMethod="API", name=name)
                         for name in names("contact-", n)}, outputs={})
        project.init()
        service.reset_stats()
        service.set_faults(throttle_rps=rate, operations=["CreateContact"])
        started, started_at = time.perf_counter(), time.time()
        project.up(*(["--parallel", str(parallel)] if parallel else []))
        wall = time.perf_counter() - started
        stats = service.stats()
        service.clear_faults()
        states = project.contact_states()
        in_state = len(states)
    return {"wall": wall, "throttled": stats["throttled"].get("CreateContact", 0),
            "errors": stats["total"]["errors"], "in_state": in_state, **creating_phase(states, started_at)}


def driver_up(scratch: Path, n: int, rate: float) -> dict:
    with local_connect(scratch / "connect-driver" / "connect.db") as service:
        client = service.client(total_max_attempts=1)
        instance_id = new_instance(client)
        registrations = declare(n, instance_id, prefix="driver")
        host = start_host(service.url, call_timeout=600)
        try:
            Fleet(host, declare(1, new_instance(client), prefix="warm-up")).up()
            service.set_faults(throttle_rps=rate, operations=["CreateContact"])
            result = Fleet(host, registrations).up()
        finally:
            host.stop()
    return {"wall": result.seconds, "errors": len(result.errors)}


def cold_preview(pulumi_bin: Path, scratch: Path) -> float:
    project_dir = scratch / "example"
    project_dir.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO_ROOT / name, project_dir / name)
    with local_connect(scratch / "connect-example" / "connect.db") as service:
        project = CliProject(project_dir, pulumi_bin, service, program=None, project_yaml=None)
        project.init(config={"connect-contact-example:instanceId": service.instance_id})
        return timed_run(project, "preview")


def _row(figures: dict, floor: float, phase_floor: float) -> str:
    phase = figures["last"] - figures["first"]
    return (f"{figures['wall']:.1f} | {figures['wall'] / floor:.2f} | {figures['first']:.1f} | {figures['last']:.1f} | "
            f"{f'{phase / phase_floor:.2f}' if phase_floor else '-'} | {figures['throttled']} | {figures['errors']} | "
            f"{figures['in_state']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--parallel", type=int, action="append", default=[], help="a further `up --parallel` run")
    args = parser.parse_args()
    pulumi_bin = install_cli()
    version = subprocess.run([str(pulumi_bin / "pulumi"), "version"], capture_output=True, text=True).stdout.strip()
    print(f"# Real Pulumi CLI {version}, Python {platform.python_version()}, {platform.machine()}, "
          f"N={args.n}, R={args.rate:g} CreateContact/s, floor N/R = {args.n / args.rate:.1f} s\n")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch_dir:
        scratch = Path(scratch_dir)
        floor = args.n / args.rate
        # The bucket holds 1 s of burst: the first R creates pass at once, the others at R a second.
        phase_floor = max(args.n - args.rate, 0) / args.rate
        print("| run | wall (s) | wall / floor | first create at (s) | last create at (s) | (last - first) / "
              "((N - R) / R) | throttled | errors | contacts in state |")
        print("|---|---|---|---|---|---|---|---|---|")
        noops = []
        runs = [("pulumi up (default parallelism)", None, {}, ()), ("pulumi up --parallel 32", 32, {}, ()),
                ("pulumi up, PULUMI_SKIP_CHECKPOINTS=true", None, {"PULUMI_SKIP_CHECKPOINTS": "true"}, ()),
                ("pulumi up --skip-preview", None, {}, ("--skip-preview",))]
        for parallel in args.parallel:
            runs.append((f"pulumi up --parallel {parallel}", parallel, {}, ()))
        for index, (label, parallel, env, extra) in enumerate(runs):
            figures = cli_up(pulumi_bin, scratch, args.n, args.rate, parallel, str(index), env, extra)
            noops.append(figures)
            print(f"| {label} | {_row(figures, floor, phase_floor)} |", flush=True)
        for index, parallel in enumerate([None, 64, *args.parallel]):
            figures = plugin_up(pulumi_bin, scratch, args.n, args.rate, parallel, str(index))
            label = f"--parallel {parallel}" if parallel else "default parallelism"
            print(f"| plugin face, YAML, plain pulumi up ({label}) | {_row(figures, floor, phase_floor)} |", flush=True)
        driver = driver_up(scratch, args.n, args.rate)
        print(f"| engine-side driver (4 in flight) | {driver['wall']:.1f} | {driver['wall'] / floor:.2f} | | | | | "
              f"{driver['errors']} | |\n")
        for figures in noops[:1]:
            print(f"No-op `pulumi up` of the same {args.n}: {figures['noop']:.1f} s, "
                  f"{figures['noop_calls']} Connect calls")
        one = cli_up(pulumi_bin, scratch, 1, args.rate, None, "one", {})
        print(f"`pulumi up` of 1 contact (the CLI's cost around a create): {one['wall']:.1f} s, "
              f"the create at {one['first']:.1f} s")
        print(f"Cold `pulumi preview` of the example stack: {cold_preview(pulumi_bin, scratch):.1f} s")


if __name__ == "__main__":
    main()
