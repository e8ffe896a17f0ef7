"""Many contacts through one provider host, 4 requests in flight, the way `pulumi up` applies a
large stack: shared by the reliability tests and the benchmark (bench/run.py).

``declare(n, instance_id)`` runs ONE program declaring ``n`` Contacts under Pulumi's mock
monitor (distinct resource names, hence distinct token scopes and derived client tokens).
``Fleet`` then plays the engine's create step for each registration (Check, then Create) from
a ThreadPoolExecutor of 4 threads, as many as the host's gRPC worker pool serves at once.

A failed create leaves no state, as in the engine; ``Fleet.up()`` again is what a user's next
``pulumi up`` does: Check and Create for every resource that has no state yet.

The threads share one ``ProviderHost``: a gRPC channel and its stubs are thread-safe, and
the only other state ``ProviderHost._call`` touches is one list append and one deque append
(both atomic in CPython).
Each thread keeps its results in ``Fleet.state`` under a lock; no ``Engine`` is involved, as an
``Engine`` keeps one resource's steps at a time.

``retry_override(tmp, retries)`` lets a test start the host with another botocore retry
configuration than ``connect_contact.aws.RETRIES`` (e.g. retries off, so that faults reach the
user), through a ``sitecustomize`` module on the host's PYTHONPATH: the provider's code is not
touched.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .emulator_support import LOCAL_CREDENTIALS, all_contacts
from .host import CreateResult, EngineError, HostError, ProviderHost, REPO_ROOT
from .lifecycle import PROJECT, STACK, TASK
from .program import Registration, run_program

from connect_contact import Contact

IN_FLIGHT = 4
"""Requests in flight at once: the dynamic-provider host's gRPC worker pool (max_workers=4)."""
RETRIES_ENV = "CONNECT_CONTACT_RETRIES_OVERRIDE"

_SITECUSTOMIZE = f"""\
\"\"\"Test hook: replace connect_contact.aws.RETRIES from ${RETRIES_ENV} (JSON) before the host starts.\"\"\"
import json, os
_override = os.environ.get("{RETRIES_ENV}")
if _override:
    import connect_contact.aws
    connect_contact.aws.RETRIES = json.loads(_override)
"""


def declare(n: int, instance_id: str, *, prefix: str = "contact", **args: Any) -> list[Registration]:
    """The registrations of one program declaring `n` contacts `<prefix>-<i>` (TASK unless told)."""
    declared = {**TASK, **args}

    def program() -> None:
        for index in range(n):
            Contact(f"{prefix}-{index:05d}", instance_id=instance_id, **declared)

    return run_program(program, project=PROJECT, stack=STACK)


def retry_override(directory: Path, retries: Optional[dict]) -> tuple[dict, tuple]:
    """(env, pythonpath) for a ProviderHost whose provider uses `retries` as botocore's retry config."""
    if retries is None:
        return {}, ()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    return {RETRIES_ENV: json.dumps(retries)}, (directory, REPO_ROOT)


def start_host(endpoint: str, *, env: Optional[dict] = None, pythonpath: tuple = (),
               call_timeout: float = 300.0) -> ProviderHost:
    """A started, configured provider host talking to the Connect service at `endpoint`."""
    host = ProviderHost(env={**LOCAL_CREDENTIALS, **(env or {})}, pythonpath=pythonpath, call_timeout=call_timeout)
    host.start()
    try:
        host.configure({"aws:region": "us-east-1", "connect-contact:endpoint": endpoint})
    except BaseException:
        host.stop()
        raise
    return host


@dataclass
class Round:
    """One `pulumi up` over the resources without state."""

    attempted: int
    created: int
    errors: list[tuple[str, str]]
    seconds: float


@dataclass
class Fleet:
    host: ProviderHost
    registrations: list[Registration]
    in_flight: int = IN_FLIGHT
    state: dict[str, CreateResult] = field(default_factory=dict)
    rounds: list[Round] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def pending(self) -> list[Registration]:
        with self._lock:
            return [registration for registration in self.registrations if registration.urn not in self.state]

    def create(self, registration: Registration) -> CreateResult:
        """The engine's create step: Check (no olds), then Create with the checked inputs."""
        checked = self.host.check(registration.urn, None, registration.object)
        if checked.failures:
            raise EngineError(f"resource {registration.urn} has check errors: {checked.failures}")
        created = self.host.create(registration.urn, checked.inputs_struct)
        with self._lock:
            self.state[registration.urn] = created
        return created

    def up(self) -> Round:
        """Create every resource without state, `in_flight` at a time; failures are collected, not raised."""
        todo = self.pending()
        errors: list[tuple[str, str]] = []

        def attempt(registration: Registration) -> None:
            try:
                self.create(registration)
            except (HostError, EngineError) as error:
                with self._lock:
                    errors.append((registration.urn, _first_line(error)))

        started = time.perf_counter()
        with ThreadPoolExecutor(self.in_flight) as pool:
            list(pool.map(attempt, todo))
        result = Round(len(todo), len(todo) - len(errors), errors, time.perf_counter() - started)
        self.rounds.append(result)
        return result

    def converge(self, max_rounds: int) -> list[Round]:
        """`pulumi up` until every resource has state, at most `max_rounds` times."""
        for _ in range(max_rounds):
            if not self.pending():
                break
            self.up()
        return self.rounds

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [error for result in self.rounds for error in result.errors]

    def contact_ids(self) -> list[str]:
        return [created.outputs["contactId"] for created in self.state.values()]


@dataclass
class Audit:
    """What the stack's state and the Connect instance say after a run."""

    declared: int
    in_state: int
    distinct_in_state: int
    in_service: int
    distinct_in_service: int
    only_in_service: set[str]
    only_in_state: set[str]

    @property
    def duplicates(self) -> int:
        """Contacts beyond one per resource: contacts no state holds, and contacts two states hold."""
        return len(self.only_in_service) + (self.in_state - self.distinct_in_state)

    @property
    def lost(self) -> int:
        """Resources without a contact: no state after the last round, or state naming no contact."""
        return (self.declared - self.in_state) + len(self.only_in_state)

    @property
    def exact(self) -> bool:
        return (self.declared == self.in_state == self.distinct_in_state == self.in_service
                == self.distinct_in_service and not self.only_in_service and not self.only_in_state)


def audit(fleet: Fleet, client, instance_id: str) -> Audit:
    """Compare the fleet's state with every contact of `instance_id` (which only this fleet used)."""
    in_state = fleet.contact_ids()
    in_service = [found["Id"] for found in all_contacts(client, instance_id)]
    return Audit(declared=len(fleet.registrations), in_state=len(in_state), distinct_in_state=len(set(in_state)),
                 in_service=len(in_service), distinct_in_service=len(set(in_service)),
                 only_in_service=set(in_service) - set(in_state), only_in_state=set(in_state) - set(in_service))


def new_instance(client) -> str:
    """A fresh Connect instance: a clean slate for counting contacts."""
    return client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=f"fleet-{uuid.uuid4().hex[:12]}",
                                  InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]


def _first_line(error: Exception) -> str:
    details = getattr(error, "details", None) or str(error)
    lines = [line for line in details.strip().splitlines() if line.strip()]
    return lines[-1] if lines else repr(error)
