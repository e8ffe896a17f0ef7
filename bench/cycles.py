"""Benchmark: the Connect calls of a `pulumi up` that creates contacts after k destroy/up cycles,
through the real Pulumi CLI against the local Connect service.

    .venv/bin/python -m bench.cycles                              # k = 0, 1, 5, 20; 5 contacts
    .venv/bin/python -m bench.cycles --cycles 0,3 --contacts 20
    .venv/bin/python -m bench.cycles --pythonpath ../other-checkout  # another version's code

For each k, a new project and stack (its own file backend, its own instance) declares the same
minimal contacts (TASK, API, no other field) and runs `up`, then k times `destroy` and `up`, all
inside Connect's 7-day token window, so every create reuses the tokens of the generations before
it. Printed per k: the calls the last `up` and the last `destroy` made, per contact, and what is
left: the live contacts on the instance (ended by none of the destroys), every contact on it, and
the contacts in the stack's state. Nothing is asserted; `tests/test_call_budget.py` asserts the
calls of the same cycles through the provider host.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from tests.support.cli_project import CliProject, is_live, names
from tests.support.emulator_support import all_contacts
from tests.support.fleet import new_instance
from tests.support.lifecycle import contact_calls

from connect_contact_local.testing import local_connect

from .stack_scale import install_cli


def _per_contact(calls: dict[str, int], contacts: int) -> str:
    total = sum(calls.values())
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    return f"{total / contacts:.2f} ({detail or 'none'})"


def run_cycles(pulumi_bin: Path, scratch: Path, service, cycles: int, contacts: int,
               pythonpath: Optional[str]) -> str:
    env = {"PYTHONPATH": pythonpath} if pythonpath else {}
    project = CliProject(scratch / f"cycles-{cycles}", pulumi_bin, service, env=env)
    project.init()
    instance_id = new_instance(service.client(total_max_attempts=1))  # one of its own: tokens never meet
    project.declare({name: {"instance_id": instance_id, "channel": "TASK", "initiation_method": "API"}
                     for name in names("c-", contacts)})
    destroy_calls: dict[str, int] = {}
    for _ in range(cycles):
        project.up()
        service.reset_stats()
        project.run("destroy", "--yes")
        destroy_calls = contact_calls(service.stats())
    service.reset_stats()
    project.up()
    up_calls = contact_calls(service.stats())
    on_instance = all_contacts(service.client(), instance_id)  # search summaries carry DisconnectTimestamp
    live = sum(1 for contact in on_instance if is_live(contact))
    in_state = len(project.contact_states())
    destroyed = _per_contact(destroy_calls, contacts) if cycles else "-"
    return (f"| {cycles} | {contacts} | {_per_contact(up_calls, contacts)} | {destroyed} | {live} "
            f"| {len(on_instance)} | {in_state} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", default="0,1,5,20", help="comma-separated k")
    parser.add_argument("--contacts", type=int, default=5, help="contacts the program declares")
    parser.add_argument("--pulumi-bin", type=Path, help="the folder of the pulumi CLI (else scripts/install-pulumi)")
    parser.add_argument("--pythonpath", help="PYTHONPATH for the CLI's processes (the code under test), e.g. another "
                                             "checkout")
    args = parser.parse_args()
    pulumi_bin = (args.pulumi_bin or install_cli()).resolve()
    version = subprocess.run([str(pulumi_bin / "pulumi"), "version"], capture_output=True, text=True).stdout.strip()
    print(f"# Calls of a create after k destroy/up cycles, real Pulumi CLI {version}, Python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs; code: {args.pythonpath or 'this checkout'}\n",
          flush=True)
    print("| k | contacts | last up: calls per contact | last destroy: calls per contact | live contacts "
          "| contacts on the instance | in state |")
    print("|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-cycles-") as scratch_dir, \
            local_connect(Path(scratch_dir) / "connect" / "connect.db") as service:
        for cycles in (int(k) for k in args.cycles.split(",") if k):
            print(run_cycles(pulumi_bin, Path(scratch_dir), service, cycles, args.contacts, args.pythonpath),
                  flush=True)


if __name__ == "__main__":
    main()
