"""Benchmark: the provider through Pulumi's real dynamic-provider host, against the local
Connect service, every figure side by side with a reference measured in the same run.

    .venv/bin/python -m bench.run                  # N=500 full contacts, CreateContact at 25/s, the rest at 50/s
    .venv/bin/python -m bench.run --n 200 --rate 20 --other-rate 40 --reps 20 --cold-runs 3   # a quicker run

1. Each operation against its floor: median time of each provider operation through the
   host (the engine-side gRPC call, sequential) against bare boto3 (a client built by the
   provider's own `make_client`, so the same settings) making the same Connect calls, the
   fewest calls that do the job (one CreateContact carrying every field, ...), and that
   floor plus one DescribeContact; and the Connect calls each makes, counted by the service.
2. At the rate limit: N fully specified TASK contacts created, 4 in flight (the host's
   worker pool), every contact API throttled by the service with a bucket of its own,
   CreateContact slower than the others (as on AWS). Wall time against the floor N / R,
   throttled responses per contact, errors surfaced, duplicates and lost contacts, for each
   retry strategy compared (--retries) in the same run; then a projection of the calls
   per contact to AWS's default quotas for 1,000 contacts.
3. Cold start: provider host spawned to first create finished, against a bare `python -c`
   that imports boto3 and makes the same Connect calls.
4. State cost: bytes of `__provider` and of one contact's state; the serialised provider
   compared across separate processes.

Times are wall-clock medians on this machine; the service runs on loopback in its own process.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent

import botocore
from botocore import xform_name
from tests.support.host import ProviderHost
from tests.support.marshal import PROVIDER_KEY, from_struct, unwrap_secrets
from tests.support.fleet import LOCAL_CREDENTIALS, Fleet, audit, declare, new_instance, retry_override, start_host
from tests.support.lifecycle import FULL_TASK, PROJECT
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from connect_contact import ContactProvider, aws, schema
from connect_contact_local.testing import LocalConnect

FULL = FULL_TASK
REGION = "us-east-1"


# --------------------------------------------------------------------------- helpers


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def calls_of(stats: dict) -> dict[str, int]:
    return {name: count for name, count in stats["requests"].items() if count and name != "SearchContacts"}


def calls_text(calls: dict[str, int]) -> str:
    if not calls:
        return "none"
    return " + ".join(f"{count}x{name}" if count > 1 else name for name, count in sorted(calls.items()))


def parse_retries(spec: str) -> Optional[dict]:
    """'shipped' -> None; 'standard:20' -> {'mode': 'standard', 'max_attempts': 20}."""
    if spec == "shipped":
        return None
    mode, _, attempts = spec.partition(":")
    return {"mode": mode, "max_attempts": int(attempts or 3)}


def retries_text(retries: Optional[dict]) -> str:
    retries = aws.RETRIES if retries is None else retries
    return f"{retries['mode']}, max_attempts={retries.get('max_attempts', retries.get('total_max_attempts'))}"


class Recorder:
    """The Connect calls the provider's clients make (one per operation): (operation, params), in order."""

    def __init__(self, clients: aws.OperationClients):
        self.calls: list[tuple[str, dict]] = []
        for operation in schema.OPERATIONS:
            clients(operation).meta.events.register(f"provide-client-params.connect.{operation}", self._record)

    def _record(self, params, model, **_):
        self.calls.append((model.name, copy.deepcopy(params)))

    def take(self) -> list[tuple[str, dict]]:
        calls, self.calls = self.calls, []
        return calls


def replay(client, calls: list[tuple[str, dict]], contact_id: Optional[str] = None) -> Optional[str]:
    """Make `calls` with `client`: CreateContact with a fresh ClientToken, and the contact of the
    calls after it (ContactId / InitialContactId) replaced by `contact_id` or the one created."""
    for operation, params in calls:
        params = dict(params)
        for member in ("ContactId", "InitialContactId"):
            if member in params and contact_id is not None:
                params[member] = contact_id
        if operation == "CreateContact":
            params["ClientToken"] = "bare-" + uuid.uuid4().hex
        result = getattr(client, xform_name(operation))(**params)
        if operation == "CreateContact":
            contact_id = result["ContactId"]
    return contact_id


# --------------------------------------------------------------------------- 1. overhead

SAME_CALLS, FLOOR, FLOOR_READ = "same calls", "floor", "floor + read"
"""The references each operation is timed against, with bare boto3 (a client made by the provider's
own `make_client`): the Connect calls the provider made, replayed; the fewest calls that do the
operation's job (one CreateContact carrying every field, one UpdateContact, one StopContact ...);
and that floor plus the one DescribeContact that reads the outcome back."""


class Overhead:
    """Provider operations through the host against bare boto3, interleaved rep by rep."""

    def __init__(self, service: LocalConnect, host: ProviderHost, reps: int):
        self.service, self.host, self.reps = service, host, reps
        self.instance_id = new_instance(service.client(total_max_attempts=1))
        self.bare = aws.make_client(aws.ClientSettings(region=REGION, endpoint=service.url))
        # An in-process provider, configured as the host's is, shows the exact calls (and
        # parameters) an operation makes; bare boto3 replays them.
        self.provider = ContactProvider()
        self.provider.configure(ConfigureRequest(Config({"aws:region": REGION, "connect-contact:endpoint": service.url},
                                                        PROJECT)))
        self.recorder = Recorder(self.provider.connect().clients)
        self.rows: list[dict] = []
        self._names = iter(range(10**9))

    def registration(self, **args):
        return declare(1, self.instance_id, prefix=f"bench-{next(self._names)}", **args)[0]

    def checked(self, registration) -> tuple[Any, dict]:
        checked = self.host.check(registration.urn, None, registration.object)
        assert not checked.failures, checked.failures
        return checked.inputs_struct, checked.inputs

    def created(self, **args):
        registration = self.registration(**args)
        struct, _ = self.checked(registration)
        return registration, struct, self.host.create(registration.urn, struct)

    def measure(self, label: str, host_op: Callable[[int], Any], references: dict[str, list],
                contact_ids: Callable[[int], Optional[str]] = lambda rep: None) -> None:
        """Time `host_op` and each reference (a list of Connect calls replayed with bare boto3 on the
        contact `contact_ids(rep)`), rep by rep; count the Connect calls of each once, at the service."""
        host_calls, _ = self.counted(lambda: host_op(-1))
        reference_calls = {name: self.counted(lambda calls=calls: replay(self.bare, calls, contact_ids(-1)))[0]
                           for name, calls in references.items()}
        host_times, reference_times = [], {name: [] for name in references}
        for rep in range(self.reps):
            host_times.append(timed(lambda rep=rep: host_op(rep))[0])
            for name, calls in references.items():
                reference_times[name].append(timed(lambda calls=calls, rep=rep: replay(self.bare, calls,
                                                                                       contact_ids(rep)))[0])
        self.rows.append({"op": label, "host_ms": median_ms(host_times), "host_calls": host_calls,
                          "ms": {name: median_ms(times) for name, times in reference_times.items()},
                          "calls": reference_calls})

    def counted(self, action: Callable[[], Any]) -> tuple[dict, Any]:
        self.service.reset_stats()
        result = action()
        return calls_of(self.service.stats()), result

    def provider_calls(self, action: Callable[[], Any]) -> list[tuple[str, dict]]:
        self.recorder.take()
        action()
        return self.recorder.take()

    def run(self) -> list[dict]:
        for label, args in (("create (create-only fields)", {}), ("create (full TASK)", FULL)):
            self.create(label, args)
        self.update()
        self.read()
        self.delete()
        self.noop_diff()
        self.check()
        return self.rows

    def create(self, label: str, args: dict) -> None:
        # The calls: what the in-process provider makes for the same checked inputs.
        _, sample_inputs = self.checked(self.registration(**args))
        inputs = _without_provider(sample_inputs)
        calls = self.provider_calls(lambda: self.provider.create(inputs))
        every_field = [("CreateContact", schema.api_request(inputs))]
        describe = [("DescribeContact", {"InstanceId": self.instance_id, "ContactId": None})]
        # Each rep creates a new resource: its own name, so its own derived ClientToken.
        pending = [(registration.urn, self.checked(registration)[0])
                   for registration in (self.registration(**args) for _ in range(self.reps + 1))]
        self.measure(label, lambda rep: self.host.create(*pending[rep]),
                     {SAME_CALLS: calls, FLOOR: every_field, FLOOR_READ: every_field + describe})

    def update(self) -> None:
        registration, first_inputs, created = self.created(**FULL)
        renamed = declare(1, self.instance_id, prefix=_prefix_of(registration), **{**FULL, "name": "Escalate again"})[0]
        assert renamed.urn == registration.urn
        versions = [first_inputs, self.checked(renamed)[0]]
        state = {"outputs": created.outputs_struct, "version": 0}
        contact_id = created.outputs["contactId"]

        def host_update(_rep):  # every rep flips the name to the other version
            olds, old_inputs = state["outputs"], versions[state["version"]]
            state["version"] = 1 - state["version"]
            result = self.host.update(created.id, registration.urn, olds, versions[state["version"]],
                                      old_inputs=old_inputs)
            state["outputs"] = result.outputs_struct
            return result

        calls = self.provider_calls(lambda: self.provider.update(
            created.id, _without_provider(created.outputs), _without_provider(from_struct(versions[1]))))
        target = {"InstanceId": self.instance_id, "ContactId": contact_id}
        floor = [("UpdateContact", {**target, "Name": "Escalate again"})]
        self.measure("update (name)", host_update,
                     {SAME_CALLS: calls, FLOOR: floor, FLOOR_READ: floor + [("DescribeContact", target)]},
                     lambda rep: contact_id)

    def read(self) -> None:
        for label, args in (("read (refresh)", {"name": "n", "attributes": {"a": "1"}}),
                            ("read (refresh, references)", FULL)):
            registration, struct, created = self.created(**args)
            contact_id = created.outputs["contactId"]
            calls = self.provider_calls(lambda: self.provider.read(created.id, _without_provider(created.outputs)))
            floor = [("DescribeContact", {"InstanceId": self.instance_id, "ContactId": contact_id})]
            self.measure(label, lambda rep: self.host.read(created.id, registration.urn, created.outputs_struct, struct),
                         {SAME_CALLS: calls, FLOOR: floor}, lambda rep: contact_id)

    def delete(self) -> None:
        victims = [self.created(**FULL) for _ in range(self.reps + 1)]
        bare_victims = [replay(self.bare, [("CreateContact", {"InstanceId": self.instance_id, "Channel": "TASK",
                                                              "InitiationMethod": "API"})])
                        for _ in range(2 * self.reps + 2)]
        _, _, sample = self.created(**FULL)
        calls = self.provider_calls(lambda: self.provider.delete(sample.id, _without_provider(sample.outputs)))
        floor = [("StopContact", {"InstanceId": self.instance_id, "ContactId": None})]

        def host_delete(rep):
            registration, struct, created = victims[rep]
            self.host.delete(created.id, registration.urn, created.outputs_struct, old_inputs=struct)

        victim_of = iter(bare_victims)  # each reference ends a contact of its own
        self.measure("delete (end the contact)", host_delete, {SAME_CALLS: calls, FLOOR: floor},
                     lambda rep: next(victim_of))

    def noop_diff(self) -> None:
        registration, struct, created = self.created(**FULL)

        def host_diff(_rep):
            diff = self.host.diff(created.id, registration.urn, created.outputs_struct, struct, old_inputs=struct)
            assert diff.changes == "none", diff
            return diff

        self.measure("diff (no change)", host_diff, {})

    def check(self) -> None:
        registration = self.registration(**FULL)
        self.measure("check", lambda rep: self.checked(registration), {})


def _without_provider(props: dict) -> dict:
    """Properties as the provider's own methods get them from the host: no `__provider`, secrets unwrapped."""
    return {key: unwrap_secrets(value) for key, value in props.items() if key != PROVIDER_KEY}


def _prefix_of(registration) -> str:
    return registration.name.rsplit("-", 1)[0]


# --------------------------------------------------------------------------- 2. throughput

THROTTLED_OPERATIONS = ("CreateContact", "DescribeContact", "UpdateContact", "UpdateContactAttributes",
                        "ListContactReferences", "StopContact", "TagContact", "UntagContact")
"""Every contact API: each gets a bucket of its own in the service, as each has a quota of its own on AWS."""


def rates(create_rate: float, other_rate: float) -> dict[str, float]:
    return {operation: create_rate if operation == "CreateContact" else other_rate for operation in THROTTLED_OPERATIONS}


def throughput(service: LocalConnect, n: int, create_rate: float, other_rate: float, retries: Optional[dict],
               scratch: Path) -> dict:
    client = service.client(total_max_attempts=1)
    instance_id = new_instance(client)
    registrations = declare(n, instance_id, prefix="throughput", **FULL)
    env, pythonpath = retry_override(scratch / f"retries-{uuid.uuid4().hex[:8]}", retries)
    host = start_host(service.url, env=env, pythonpath=pythonpath, call_timeout=600)
    try:
        # Made before the clock starts: the provider's client. On an instance of its own, so the
        # audit below sees only the fleet's contacts.
        warm = Fleet(host, declare(1, new_instance(client), prefix="warm-up"))
        warm.up()
        if warm.errors:
            raise RuntimeError(f"warm-up create failed: {warm.errors[0]}")
        fleet = Fleet(host, registrations)
        service.reset_stats()
        service.set_faults(throttle_rps_by_operation=rates(create_rate, other_rate))  # full buckets: 1 s of burst
        result = fleet.up()
        service.clear_faults()
        stats = service.stats()
    finally:
        service.clear_faults()
        host.stop()
    found = audit(fleet, client, instance_id)
    throttled = {name: count for name, count in stats["throttled"].items() if count}
    return {"retries": retries_text(retries), "shipped": _is_shipped(retries), "wall": result.seconds,
            "floor": n / create_rate, "throttled": sum(throttled.values()), "throttled_by_operation": throttled,
            "errors": len(result.errors), "first_error": result.errors[0][1] if result.errors else "",
            "duplicates": found.duplicates, "lost": found.lost, "calls": calls_of(stats),
            "succeeded": {name: count for name, count in stats["succeeded"].items() if count}}


def _is_shipped(retries: Optional[dict]) -> bool:
    return retries is None or retries == aws.RETRIES


# --------------------------------------------------------------------------- projection to AWS

AWS_DEFAULT_QUOTAS = {
    "CreateContact": 5.0, "DescribeContact": 10.0, "UpdateContact": 10.0, "UpdateContactAttributes": 10.0,
    "ListContactReferences": 10.0, "StopContact": 10.0, "TagContact": 20.0,
}
"""Requests per second per account and region. From the project's Connect semantics notes, which
cite public Service Quotas listings (about 10/s for DescribeContact, UpdateContact,
UpdateContactAttributes, ListContactReferences and StopContact, 20/s for TagContact); no reachable
source gave CreateContact's default, so 5/s is an ASSUMPTION. Check the account's Service Quotas
console before relying on any of these."""


def projection(calls_per_contact: dict[str, float], contacts: int = 1000) -> dict:
    """Creating `contacts` at AWS's default quotas with these calls per contact: the time each API's
    quota alone needs, the slowest one (the floor of the run), and the share of each API's quota the
    run takes while it lasts (what is left to the contact centre's own traffic)."""
    seconds = {name: contacts * count / AWS_DEFAULT_QUOTAS[name] for name, count in calls_per_contact.items()
               if name in AWS_DEFAULT_QUOTAS}
    wall = max(seconds.values())
    return {"seconds": seconds, "wall": wall, "share": {name: time / wall for name, time in seconds.items()}}


# --------------------------------------------------------------------------- 3. cold start

BARE_SCRIPT = textwrap.dedent("""
    import sys, boto3
    from botocore.config import Config
    url, instance_id, token, retries = sys.argv[1], sys.argv[2], sys.argv[3], eval(sys.argv[4])
    client = boto3.session.Session().client("connect", region_name="us-east-1", endpoint_url=url,
                                            config=Config(retries=retries, user_agent_extra="connect-contact"))
    created = client.create_contact(InstanceId=instance_id, Channel="TASK", InitiationMethod="API", ClientToken=token)
    client.describe_contact(InstanceId=instance_id, ContactId=created["ContactId"])
    print("done", flush=True)
""")


def cold_start(service: LocalConnect, runs: int) -> dict:
    client = service.client(total_max_attempts=1)
    instance_id = new_instance(client)
    host_times, phases, bare_times, calls = [], [], [], {}
    environment = {**os.environ, **LOCAL_CREDENTIALS, "AWS_DEFAULT_REGION": REGION}
    for run in range(runs):
        registration = declare(1, instance_id, prefix=f"cold-{run}-{uuid.uuid4().hex[:6]}")[0]
        started = time.perf_counter()
        host = ProviderHost(env=LOCAL_CREDENTIALS)
        host.start()
        try:
            spawned = time.perf_counter()
            host.configure({"aws:region": REGION, "connect-contact:endpoint": service.url})
            checked = host.check(registration.urn, None, registration.object)
            checked_at = time.perf_counter()
            service.reset_stats()
            host.create(registration.urn, checked.inputs_struct)
            done = time.perf_counter()
            calls = calls_of(service.stats())
        finally:
            host.stop()
        host_times.append(done - started)
        phases.append((spawned - started, checked_at - spawned, done - checked_at))

        started = time.perf_counter()
        script = subprocess.Popen([sys.executable, "-c", BARE_SCRIPT, service.url, instance_id,
                                   "cold-" + uuid.uuid4().hex, repr(aws.RETRIES)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        line = script.stdout.readline()
        finished = time.perf_counter()
        _, errors = script.communicate()
        if line.strip() != "done":
            raise RuntimeError(f"the bare script failed: {errors}")
        bare_times.append(finished - started)
    return {"host": statistics.median(host_times), "bare": statistics.median(bare_times),
            "to_port": statistics.median(phase[0] for phase in phases),
            "configure_check": statistics.median(phase[1] for phase in phases),
            "first_create": statistics.median(phase[2] for phase in phases), "calls": calls, "runs": runs}


# --------------------------------------------------------------------------- 4. state cost

SERIALIZE_SCRIPT = ("from pulumi.dynamic.dynamic import serialize_provider; "
                    "from connect_contact import ContactProvider; print(serialize_provider(ContactProvider()))")


def state_cost(service: LocalConnect, host: ProviderHost) -> dict:
    import base64

    instance_id = new_instance(service.client(total_max_attempts=1))
    registrations = {args_label: declare(1, instance_id, prefix=f"state-{args_label}", **args)[0]
                     for args_label, args in (("required", {}), ("full", FULL))}
    sizes = {}
    provider_values = set()
    for label, registration in registrations.items():
        checked = host.check(registration.urn, None, registration.object)
        created = host.create(registration.urn, checked.inputs_struct)
        outputs = created.outputs
        provider_values.add(outputs[PROVIDER_KEY])
        sizes[label] = {"outputs_proto": len(created.outputs_struct.SerializeToString()),
                        "outputs_json": len(json.dumps(outputs, separators=(",", ":"), sort_keys=True)),
                        "inputs_proto": len(checked.inputs_struct.SerializeToString()),
                        "inputs_json": len(json.dumps(checked.inputs, separators=(",", ":"), sort_keys=True))}
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    separate = [subprocess.run([sys.executable, "-c", SERIALIZE_SCRIPT], capture_output=True, text=True, check=True,
                               env=environment, cwd=tempfile.gettempdir()).stdout.strip() for _ in range(2)]
    provider = min(provider_values)
    return {"provider_b64": len(provider), "provider_bytes": len(base64.b64decode(provider)),
            "provider_value": provider, "identical": len(provider_values) == 1 and set(separate) == {provider},
            "processes": 2 + 1, "sizes": sizes,
            "holds_client": any(word in base64.b64decode(provider) for word in (b"boto", b"client", b"endpoint"))}


# --------------------------------------------------------------------------- report


def report_projection(per_contact: dict[str, float]) -> None:
    print("\n   Projection: 1,000 full TASK contacts created at AWS's default quotas "
          f"({', '.join(f'{name} {rate:g}/s' for name, rate in AWS_DEFAULT_QUOTAS.items())}; "
          "CreateContact's is an assumption; see AWS_DEFAULT_QUOTAS)")
    designs = {"provider (as measured)": per_contact,
               "floor: CreateContact with every field + DescribeContact": {"CreateContact": 1, "DescribeContact": 1}}
    for label, calls in designs.items():
        projected = projection(calls)
        shares = ", ".join(f"{name} {100 * share:.0f}%" for name, share in projected["share"].items())
        print(f"   {label:<55} {projected['wall']:>6.0f} s   quota taken while it runs: {shares}")


def report(args, overhead_rows, throughput_rows, cold, state) -> None:
    print()
    print("=" * 100)
    print(f"connect-contact benchmark  ({platform.python_implementation()} {platform.python_version()}, "
          f"botocore {botocore.__version__}, {os.cpu_count()} CPUs, {platform.machine()} {platform.system()})")
    print(f"shipped retry strategy: {retries_text(None)}   (connect_contact/aws.py RETRIES)")
    print("=" * 100)

    print(f"\n1. Each operation against its floor  (median of {args.reps}, one at a time, ms; bare boto3 with the "
          "provider's client settings)")
    print("   same calls = the Connect calls the provider made, replayed; floor = the fewest calls that do the job "
          "(one CreateContact carrying every field, one UpdateContact, one DescribeContact, one StopContact); "
          "floor + read = the floor and one DescribeContact")
    print(f"   {'operation':<29} {'host':>6} {'same calls':>15} {'floor':>15} {'floor + read':>15}")
    for row in overhead_rows:
        cells = []
        for name in (SAME_CALLS, FLOOR, FLOOR_READ):
            ms = row["ms"].get(name)
            cells.append("-" if ms is None else f"{ms:.2f} ({row['host_ms'] / ms:.2f}x)")
        print(f"   {row['op']:<29} {row['host_ms']:>6.2f} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}")
    print("\n   Connect calls per operation  (counted at the service)")
    print(f"   {'operation':<29} {'host':>4} {'floor':>5}  host calls")
    for row in overhead_rows:
        floor = row["calls"].get(FLOOR)
        same = row["calls"].get(SAME_CALLS)
        mismatch = "" if same is None or same == row["host_calls"] else f"   (replay made {calls_text(same)})"
        print(f"   {row['op']:<29} {sum(row['host_calls'].values()):>4} "
              f"{'-' if floor is None else sum(floor.values()):>5}  {calls_text(row['host_calls'])}{mismatch}")

    floor = args.n / args.rate
    print(f"\n2. At the rate limit  (N={args.n} full TASK contacts, 4 in flight; every contact API throttled by a "
          f"bucket of its own: CreateContact R={args.rate:g}/s, the others {args.other_rate:g}/s)")
    print(f"   floor N/R = {floor:.2f} s (CreateContact is the slowest bucket; each bucket starts with 1 s of burst, "
          f"so (N-R)/R = {max(args.n - args.rate, 0) / args.rate:.2f} s is reachable)")
    print(f"   {'retry strategy':<34} {'wall s':>7} {'wall/floor':>10} {'throttled':>9} {'per contact':>11} "
          f"{'errors':>6} {'duplicates':>10} {'lost':>4}")
    for row in throughput_rows:
        print(f"   {row['retries'] + (' (shipped)' if row['shipped'] else ''):<34} {row['wall']:>7.2f} "
              f"{row['wall'] / row['floor']:>10.2f} {row['throttled']:>9} {row['throttled'] / args.n:>11.2f} "
              f"{row['errors']:>6} {row['duplicates']:>10} {row['lost']:>4}")
        if row["first_error"]:
            print(f"      first error: {row['first_error'][:150]}")
    strategies = list(dict.fromkeys(row["retries"] for row in throughput_rows))
    if args.repeat > 1:
        print(f"   median of {args.repeat} runs (errors, duplicates, lost: totals):")
    for strategy in strategies:
        rows = [row for row in throughput_rows if row["retries"] == strategy]
        walls = [row["wall"] / row["floor"] for row in rows]
        throttled = statistics.median(row["throttled"] for row in rows)
        by_operation = {name: statistics.median(row["throttled_by_operation"].get(name, 0) for row in rows)
                        for name in THROTTLED_OPERATIONS}
        if args.repeat > 1:
            print(f"   {strategy + (' (shipped)' if rows[0]['shipped'] else ''):<34} "
                  f"{'':>7} {statistics.median(walls):>10.2f} {throttled:>9g} {throttled / args.n:>11.2f} "
                  f"{sum(row['errors'] for row in rows):>6} {sum(row['duplicates'] for row in rows):>10} "
                  f"{sum(row['lost'] for row in rows):>4}   (wall/floor {min(walls):.2f} to {max(walls):.2f})")
        print(f"      throttled by operation (median): "
              f"{', '.join(f'{name} {count:g}' for name, count in by_operation.items() if count) or 'none'}")
    if throughput_rows:
        shipped = next((row for row in throughput_rows if row["shipped"]), throughput_rows[0])
        print(f"   Connect calls answered ({shipped['retries']} run): {calls_text(shipped['succeeded'])}")
        per_contact = {name: count / args.n for name, count in shipped["succeeded"].items()}
        report_projection(per_contact)


    if cold:
        print(f"\n3. Cold start  (median of {cold['runs']})")
        print(f"   provider host spawned -> first create finished  {cold['host'] * 1000:8.0f} ms   "
              f"(port {cold['to_port'] * 1000:.0f} + configure & check {cold['configure_check'] * 1000:.0f} "
              f"+ first create {cold['first_create'] * 1000:.0f}; {calls_text(cold['calls'])})")
        print(f"   bare `python -c 'import boto3; ...'`, same calls  {cold['bare'] * 1000:8.0f} ms   "
              f"ratio {cold['host'] / cold['bare']:.2f}")

    if state:
        print("\n4. State cost")
        print(f"   __provider: {state['provider_b64']} characters of base64, {state['provider_bytes']} bytes of pickle "
              f"(by reference; no client or config inside: {'yes' if not state['holds_client'] else 'NO'})")
        print(f"   identical across {state['processes']} processes: {'yes' if state['identical'] else 'NO'}  "
              f"({state['provider_value']})")
        for label, sizes in state["sizes"].items():
            print(f"   one contact, {label + ' fields':<16} outputs {sizes['outputs_proto']:>5} B protobuf "
                  f"/ {sizes['outputs_json']:>5} B JSON;  inputs {sizes['inputs_proto']:>5} B protobuf "
                  f"/ {sizes['inputs_json']:>5} B JSON")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500, help="contacts in the rate-limit run (default %(default)s)")
    parser.add_argument("--rate", type=float, default=25.0, help="CreateContact per second the service allows "
                        "(default %(default)s)")
    parser.add_argument("--other-rate", type=float, default=50.0, help="requests per second the service allows "
                        "each other contact API (default %(default)s)")
    parser.add_argument("--reps", type=int, default=50, help="repetitions per overhead figure (default %(default)s)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts to take the median of (default %(default)s)")
    parser.add_argument("--retries", default="standard:20,adaptive:20",
                        help="retry strategies for the throughput run, comma-separated: 'shipped' or "
                             "'<mode>:<max_attempts>' (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=2, help="rate-limit runs per retry strategy (default %(default)s)")
    parser.add_argument("--only", help="comma-separated subset of: overhead,throughput,cold,state")
    args = parser.parse_args()
    sections = set((args.only or "overhead,throughput,cold,state").split(","))
    os.environ.update(LOCAL_CREDENTIALS)  # for this process's own bare clients
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)

    overhead_rows, throughput_rows, cold, state = [], [], None, None
    with tempfile.TemporaryDirectory(prefix="connect-bench-") as scratch, \
            LocalConnect(Path(scratch) / "connect.db") as service:
        print(f"local Connect service at {service.url}; provider host: python -m pulumi.dynamic", flush=True)
        if "overhead" in sections or "state" in sections:
            host = start_host(service.url)
            try:
                if "overhead" in sections:
                    print("measuring overhead per operation ...", flush=True)
                    overhead_rows = Overhead(service, host, args.reps).run()
                if "state" in sections:
                    state = state_cost(service, host)
            finally:
                host.stop()
        if "throughput" in sections:
            for run in range(1, args.repeat + 1):  # interleaved, so drift hits every strategy alike
                for spec in args.retries.split(","):
                    retries = parse_retries(spec.strip())
                    print(f"rate limit: {args.n} contacts, CreateContact at {args.rate:g}/s, the others at "
                          f"{args.other_rate:g}/s, {retries_text(retries)} (run {run} of {args.repeat}) ...", flush=True)
                    throughput_rows.append(throughput(service, args.n, args.rate, args.other_rate, retries,
                                                      Path(scratch)))
        if "cold" in sections:
            print("measuring cold start ...", flush=True)
            cold = cold_start(service, args.cold_runs)
    report(args, overhead_rows, throughput_rows, cold, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
