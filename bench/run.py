"""Benchmark: the provider through Pulumi's real dynamic-provider host, against the local
Connect service, every figure side by side with a reference measured in the same run.

    .venv/bin/python bench/run.py                    # N=1000 contacts at R=50 CreateContact/s
    .venv/bin/python bench/run.py --n 300 --rate 100 --reps 20 --cold-runs 3   # a quicker run

1. Overhead per operation: median time of each provider operation through the host (the
   engine-side gRPC call, sequential) against the same Connect calls, with the same
   parameters, made with bare boto3 (a client built by the provider's own `make_client`,
   so the same settings); and the Connect calls each makes, counted by the service.
2. Throughput at the rate limit: N contacts created, 4 in flight (the host's worker pool),
   CreateContact throttled at R per second by the service. Wall time against the floor
   N / R, throttled responses, errors surfaced, duplicates and lost contacts; for the
   shipped retry strategy and for the others compared (--retries).
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
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests")]

import botocore  # noqa: E402
from botocore import xform_name  # noqa: E402
from engine import PROVIDER_KEY, ProviderHost, from_struct, unwrap_secrets  # noqa: E402
from fleet import (  # noqa: E402
    LOCAL_CREDENTIALS,
    Fleet,
    audit,
    declare,
    new_instance,
    retry_override,
    start_host,
)
from lifecycle import PROJECT  # noqa: E402
from pulumi.dynamic import ConfigureRequest  # noqa: E402
from pulumi.dynamic.config import Config  # noqa: E402

from connect_contact import ContactProvider, aws  # noqa: E402
from connect_contact.testing import LocalConnect  # noqa: E402

FULL = {"name": "Escalate", "description": "Billing dispute, second contact",
        "attributes": {"team": "billing", "priority": "high"},
        "references": {"order": {"type": "URL", "value": "https://example.com/orders/1"}},
        "segment_attributes": {"tier": {"value_string": "gold"}}}
"""A contact using every updatable field: its create writes through UpdateContact and UpdateContactAttributes."""
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
    """The Connect calls a boto3 client makes: (operation, params), in order."""

    def __init__(self, client):
        self.calls: list[tuple[str, dict]] = []
        client.meta.events.register("provide-client-params.connect", self._record)

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
        if operation == "CreateContact":
            params["ClientToken"] = "bare-" + uuid.uuid4().hex
        for member in ("ContactId", "InitialContactId"):
            if member in params and contact_id is not None:
                params[member] = contact_id
        result = getattr(client, xform_name(operation))(**params)
        if operation == "CreateContact":
            contact_id = result["ContactId"]
    return contact_id


# --------------------------------------------------------------------------- 1. overhead


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
        self.recorder = Recorder(self.provider.connect()._client)
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

    def measure(self, label: str, host_op: Callable[[int], Any], bare_op: Optional[Callable[[int], Any]],
                host_calls: dict, bare_calls: dict) -> None:
        host_times, bare_times = [], []
        for rep in range(self.reps):
            host_times.append(timed(lambda rep=rep: host_op(rep))[0])
            if bare_op is not None:
                bare_times.append(timed(lambda rep=rep: bare_op(rep))[0])
        self.rows.append({"op": label, "host_ms": median_ms(host_times),
                          "bare_ms": median_ms(bare_times) if bare_times else None,
                          "host_calls": host_calls, "bare_calls": bare_calls})

    def counted(self, action: Callable[[], Any]) -> tuple[dict, Any]:
        self.service.reset_stats()
        result = action()
        return calls_of(self.service.stats()), result

    def provider_calls(self, action: Callable[[], Any]) -> list[tuple[str, dict]]:
        self.recorder.take()
        action()
        return self.recorder.take()

    def run(self) -> list[dict]:
        for label, args in (("create (required fields only)", {}), ("create (every updatable field)", FULL)):
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
        calls = self.provider_calls(lambda: self.provider.create(_without_provider(sample_inputs)))
        # Each rep creates a new resource: its own name, so its own derived ClientToken.
        pending = [(registration.urn, self.checked(registration)[0])
                   for registration in (self.registration(**args) for _ in range(self.reps + 1))]
        host_calls, _ = self.counted(lambda: self.host.create(*pending[-1]))
        bare_calls, _ = self.counted(lambda: replay(self.bare, calls))
        self.measure(label, lambda rep: self.host.create(*pending[rep]), lambda rep: replay(self.bare, calls),
                     host_calls, bare_calls)

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
        host_calls, _ = self.counted(lambda: host_update(0))
        bare_calls, _ = self.counted(lambda: replay(self.bare, calls, contact_id))
        self.measure("update (name)", host_update, lambda rep: replay(self.bare, calls, contact_id),
                     host_calls, bare_calls)

    def read(self) -> None:
        registration, struct, created = self.created(**FULL)
        contact_id = created.outputs["contactId"]
        calls = self.provider_calls(lambda: self.provider.read(created.id, _without_provider(created.outputs)))

        def host_read(_rep):
            return self.host.read(created.id, registration.urn, created.outputs_struct, struct)

        host_calls, _ = self.counted(lambda: host_read(0))
        bare_calls, _ = self.counted(lambda: replay(self.bare, calls, contact_id))
        self.measure("read (refresh)", host_read, lambda rep: replay(self.bare, calls, contact_id),
                     host_calls, bare_calls)

    def delete(self) -> None:
        victims = [self.created(**FULL) for _ in range(self.reps + 1)]
        bare_victims = [replay(self.bare, [("CreateContact", {"InstanceId": self.instance_id, "Channel": "TASK",
                                                              "InitiationMethod": "API"})])
                        for _ in range(self.reps + 1)]
        _, _, sample = self.created(**FULL)
        calls = self.provider_calls(lambda: self.provider.delete(sample.id, _without_provider(sample.outputs)))

        def host_delete(rep):
            registration, struct, created = victims[rep]
            self.host.delete(created.id, registration.urn, created.outputs_struct, old_inputs=struct)

        host_calls, _ = self.counted(lambda: host_delete(-1))
        bare_calls, _ = self.counted(lambda: replay(self.bare, calls, bare_victims[-1]))
        self.measure("delete (end the contact)", host_delete, lambda rep: replay(self.bare, calls, bare_victims[rep]),
                     host_calls, bare_calls)

    def noop_diff(self) -> None:
        registration, struct, created = self.created(**FULL)

        def host_diff(_rep):
            diff = self.host.diff(created.id, registration.urn, created.outputs_struct, struct, old_inputs=struct)
            assert diff.changes == "none", diff
            return diff

        host_calls, _ = self.counted(lambda: host_diff(0))
        self.measure("diff (no change)", host_diff, None, host_calls, {})

    def check(self) -> None:
        registration = self.registration(**FULL)
        host_calls, _ = self.counted(lambda: self.checked(registration))
        self.measure("check", lambda rep: self.checked(registration), None, host_calls, {})


def _without_provider(props: dict) -> dict:
    """Properties as the provider's own methods get them from the host: no `__provider`, secrets unwrapped."""
    return {key: unwrap_secrets(value) for key, value in props.items() if key != PROVIDER_KEY}


def _prefix_of(registration) -> str:
    return registration.name.rsplit("-", 1)[0]


# --------------------------------------------------------------------------- 2. throughput


def throughput(service: LocalConnect, n: int, rate: float, retries: Optional[dict], scratch: Path) -> dict:
    client = service.client(total_max_attempts=1)
    instance_id = new_instance(client)
    registrations = declare(n, instance_id, prefix="throughput")
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
        service.set_faults(throttle_rps=rate, operations=["CreateContact"])  # a full bucket: 1 s of burst
        result = fleet.up()
        service.clear_faults()
        stats = service.stats()
    finally:
        service.clear_faults()
        host.stop()
    found = audit(fleet, client, instance_id)
    return {"retries": retries_text(retries), "shipped": retries is None, "wall": result.seconds,
            "floor": n / rate, "burst_floor": max(n - rate, 0) / rate,
            "throttled": stats["throttled"].get("CreateContact", 0), "errors": len(result.errors),
            "first_error": result.errors[0][1] if result.errors else "",
            "duplicates": found.duplicates, "lost": found.lost, "calls": calls_of(stats)}


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


def report(args, overhead_rows, throughput_rows, cold, state) -> None:
    print()
    print("=" * 100)
    print(f"connect-contact benchmark  ({platform.python_implementation()} {platform.python_version()}, "
          f"botocore {botocore.__version__}, {os.cpu_count()} CPUs, {platform.machine()} {platform.system()})")
    print(f"shipped retry strategy: {retries_text(None)}   (connect_contact/aws.py RETRIES)")
    print("=" * 100)

    print(f"\n1. Overhead per operation  (median of {args.reps}, one at a time; bare = the same Connect calls, "
          "same client settings)")
    print(f"   {'operation':<32} {'host ms':>8} {'bare ms':>8} {'ratio':>6} {'extra ms':>8}  Connect calls (host = bare)")
    for row in overhead_rows:
        host_ms, bare_ms = row["host_ms"], row["bare_ms"]
        bare_text, ratio, extra = ("-", "-", "-") if bare_ms is None else (
            f"{bare_ms:.2f}", f"{host_ms / bare_ms:.2f}", f"{host_ms - bare_ms:.2f}")
        same = bare_ms is None or row["host_calls"] == row["bare_calls"]
        mismatch = "" if same else f"   (bare made {calls_text(row['bare_calls'])})"
        print(f"   {row['op']:<32} {host_ms:>8.2f} {bare_text:>8} {ratio:>6} {extra:>8}  "
              f"{calls_text(row['host_calls'])}{mismatch}")

    print(f"\n2. Throughput at the rate limit  (N={args.n} contacts, CreateContact throttled at R={args.rate:g}/s, "
          "4 in flight)")
    print(f"   floor N/R = {args.n / args.rate:.2f} s   (the service's bucket starts with 1 s of burst, so "
          f"(N-R)/R = {max(args.n - args.rate, 0) / args.rate:.2f} s is reachable)")
    print(f"   {'retry strategy':<34} {'wall s':>7} {'wall/floor':>10} {'throttled':>9} {'errors':>6} "
          f"{'duplicates':>10} {'lost':>4}")
    for row in throughput_rows:
        print(f"   {row['retries'] + (' (shipped)' if row['shipped'] else ''):<34} {row['wall']:>7.2f} "
              f"{row['wall'] / row['floor']:>10.2f} {row['throttled']:>9} {row['errors']:>6} {row['duplicates']:>10} "
              f"{row['lost']:>4}")
        if row["first_error"]:
            print(f"      first error: {row['first_error'][:150]}")
    if args.repeat > 1:
        print(f"   median of {args.repeat} runs:")
        for strategy in dict.fromkeys(row["retries"] for row in throughput_rows):
            rows = [row for row in throughput_rows if row["retries"] == strategy]
            walls = [row["wall"] for row in rows]
            print(f"   {strategy + (' (shipped)' if rows[0]['shipped'] else ''):<34} "
                  f"{statistics.median(walls):>7.2f} {statistics.median(walls) / rows[0]['floor']:>10.2f} "
                  f"{statistics.median(row['throttled'] for row in rows):>9g} {sum(row['errors'] for row in rows):>6} "
                  f"{sum(row['duplicates'] for row in rows):>10} {sum(row['lost'] for row in rows):>4}"
                  f"   (wall/floor from {min(walls) / rows[0]['floor']:.2f} to {max(walls) / rows[0]['floor']:.2f}; "
                  "errors, duplicates, lost: totals)")
    if throughput_rows:
        shipped = next((row for row in throughput_rows if row["shipped"]), throughput_rows[0])
        print(f"   Connect calls in the shipped run: {calls_text(shipped['calls'])}")

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
    parser.add_argument("--n", type=int, default=1000, help="contacts in the throughput run (default %(default)s)")
    parser.add_argument("--rate", type=float, default=50.0, help="CreateContact per second the service allows "
                        "(default %(default)s)")
    parser.add_argument("--reps", type=int, default=50, help="repetitions per overhead figure (default %(default)s)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts to take the median of (default %(default)s)")
    parser.add_argument("--retries", default="shipped,adaptive:20",
                        help="retry strategies for the throughput run, comma-separated: 'shipped' or "
                             "'<mode>:<max_attempts>' (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs per retry strategy (default %(default)s)")
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
                    print(f"throughput: {args.n} contacts at {args.rate:g}/s, {retries_text(retries)} "
                          f"(run {run} of {args.repeat}) ...", flush=True)
                    throughput_rows.append(throughput(service, args.n, args.rate, retries, Path(scratch)))
        if "cold" in sections:
            print("measuring cold start ...", flush=True)
            cold = cold_start(service, args.cold_runs)
    report(args, overhead_rows, throughput_rows, cold, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
