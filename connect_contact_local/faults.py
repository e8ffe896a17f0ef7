"""Throttling and fault injection, for reliability tests.

Settings come from the command line and can be changed while the service runs
(``POST /_local/faults``). Each fault applies to every AWS operation, or only
to those listed in ``operations``:

- ``throttle_rps``: a token bucket per operation, holding at most one second's
  worth of requests; a request finding it empty gets ThrottlingException (429).
- ``throttle_rps_by_operation``: ``{operation: rate}``, a rate of its own for each
  operation named (as AWS gives each contact API its own quota); it applies
  whatever ``operations`` says, and other operations keep ``throttle_rps``.
- ``throttle_first_n``: the first this many requests of each operation get
  ThrottlingException, by count (a burst the SDK must retry through, the same on
  every machine); counted from the time the setting is made.
- ``throttle_every``: every this-many-th request of each operation gets
  ThrottlingException (2: every second one), by count, however fast they come.
- ``hold_after_n``: requests of each operation after the first this many are
  held, unanswered, until the fault settings next change (then handled): an
  operation stopped mid-way at a known count, for interruption tests.
- ``fail_rate``: this fraction of requests gets InternalServiceException (500)
  before anything is done.
- ``drop_after_commit_rate``: this fraction of successful writes is committed,
  then the connection is closed without a response.
- ``latency_ms``: every request waits this long first.
- ``stale_reads``: the next this many requests get ResourceNotFoundException
  before anything is done, as a read right after a create may under eventual
  consistency; it counts down to zero.
- ``empty_answers``: the next this many successful writes are committed, then
  answered 200 with an empty body, as a service cut off between the status line
  and the body would; it counts down to zero.
- ``seed``: seeds the random draws of the two rates, for repeatable runs.

The count-based throttles are what tests use to assert that throttling
happened: a token bucket's verdict depends on how fast the requests come.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import Field, asdict, dataclass, field, fields, replace
from typing import Callable, Optional

from .errors import InjectedFailure, ResourceNotFound, Throttled


MAX_THROTTLE_RPS = 1_000_000
MAX_LATENCY_MS = 60_000
MAX_COUNT = 1_000_000_000


def _start(help: str, default=None, metavar: str = "N", kind: type = float):
    """A setting the service can also be started with: its command-line flag's help and value."""
    return field(default=default, metadata={"help": help, "metavar": metavar, "kind": kind})


@dataclass(frozen=True)
class FaultSettings:
    """Every fault setting. Those made with `_start` are also flags of the command line (`--` and the
    name with dashes; `operations` is `--fault-operations`) and options of `testing.LocalConnect`;
    `stale_reads` and `empty_answers` count down from when they are set, so only run time sets them."""

    throttle_rps: Optional[float] = _start(
        "per-operation rate limit, bursts of one second; beyond it ThrottlingException (429)")
    fail_rate: float = _start("fraction of requests answered InternalServiceException (500) before anything is done",
                              0.0, "P")
    drop_after_commit_rate: float = _start(
        "fraction of successful writes committed, then left without a response (connection closed)", 0.0, "P")
    latency_ms: float = _start("delay before handling each request", 0.0)
    operations: Optional[tuple[str, ...]] = _start("apply the faults only to these operations (default: all)",
                                                   metavar="OP[,OP...]", kind=tuple)
    seed: Optional[int] = _start("seed for the random faults", metavar="SEED", kind=int)
    throttle_rps_by_operation: Optional[dict[str, float]] = _start(
        "a throttle rate of its own for each operation named", metavar="OP=N[,OP=N...]", kind=dict)
    stale_reads: int = 0
    empty_answers: int = 0
    throttle_first_n: int = _start("the first N requests of each operation get ThrottlingException (429), by count",
                                   0, kind=int)
    throttle_every: int = _start("every N-th request of each operation gets ThrottlingException (429), by count",
                                 0, kind=int)
    hold_after_n: int = _start("hold requests of each operation after the first N, unanswered, until the faults "
                               "change", 0, kind=int)

    def __post_init__(self):
        for name in ("throttle_rps", "fail_rate", "drop_after_commit_rate", "latency_ms"):
            value = getattr(self, name)
            if (value is not None or name != "throttle_rps") and not _is_number(value):
                raise ValueError(f"{name} must be a number")
        if self.seed is not None and not (isinstance(self.seed, int) and not isinstance(self.seed, bool)):
            raise ValueError("seed must be a whole number")
        if self.operations is not None and not all(isinstance(name, str) for name in self.operations):
            raise ValueError("operations must be a list of operation names")
        if self.throttle_rps is not None and not 0 < self.throttle_rps <= MAX_THROTTLE_RPS:
            raise ValueError(f"throttle_rps must be a positive number up to {MAX_THROTTLE_RPS} (or null for no throttling)")
        by_operation = self.throttle_rps_by_operation
        if by_operation is not None and not (isinstance(by_operation, dict) and all(
                isinstance(name, str) and _is_number(rate) and 0 < rate <= MAX_THROTTLE_RPS
                for name, rate in by_operation.items())):
            raise ValueError(f"throttle_rps_by_operation must map operation names to positive numbers up to "
                             f"{MAX_THROTTLE_RPS}")
        for name in ("fail_rate", "drop_after_commit_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise ValueError(f"latency_ms must be from 0 to {MAX_LATENCY_MS}")
        for name in ("stale_reads", "empty_answers", "throttle_first_n", "throttle_every", "hold_after_n"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
                raise ValueError(f"{name} must be a whole number from 0 to {MAX_COUNT}")

    def counts_requests(self) -> bool:
        return bool(self.throttle_first_n or self.throttle_every or self.hold_after_n)

    def applies_to(self, operation: str) -> bool:
        return self.operations is None or operation in self.operations

    def throttle_rate(self, operation: str) -> Optional[float]:
        """Requests per second `operation` is throttled at, or None."""
        if self.throttle_rps_by_operation and operation in self.throttle_rps_by_operation:
            return self.throttle_rps_by_operation[operation]
        return self.throttle_rps if self.applies_to(operation) else None

    def to_json(self) -> dict:
        settings = asdict(self)
        settings["operations"] = list(self.operations) if self.operations is not None else None
        return settings

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))


START_OPTIONS: tuple[Field, ...] = tuple(setting for setting in fields(FaultSettings) if setting.metadata)
"""The settings a service can be started with."""


def flag(name: str) -> str:
    return "--fault-operations" if name == "operations" else "--" + name.replace("_", "-")


def to_flag_value(name: str, value) -> str:
    """A start setting's value as its flag takes it."""
    if name == "operations":
        return ",".join(value)
    if name == "throttle_rps_by_operation":
        return ",".join(f"{operation}={rate}" for operation, rate in value.items())
    return str(value)


def from_flag_value(setting: Field, text: str):
    """A start setting's value from its flag's text; ValueError, naming the flag, if it is none."""
    kind = setting.metadata["kind"]
    if kind is tuple:
        return tuple(name.strip() for name in text.split(","))
    if kind is dict:
        rates = {}
        for item in text.split(","):
            name, sep, rate = item.partition("=")
            try:
                rates[name.strip()] = float(rate)
            except ValueError:
                raise ValueError(f"{flag(setting.name)}: {item!r} is not OP=N") from None
            if not sep or not name.strip():
                raise ValueError(f"{flag(setting.name)}: {item!r} is not OP=N")
        return rates
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{flag(setting.name)}: {text!r} is not a {'whole ' if kind is int else ''}number") from None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class TokenBucket:
    """`rate` tokens a second, at most one second's worth (and at least one) in store; starts full.
    `clock` gives the time in seconds (tests give one that only moves when told)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        self._rate = rate
        self._clock = clock
        self._capacity = max(rate, 1.0)
        self._tokens = self._capacity
        self._updated = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class Faults:
    def __init__(self, settings: FaultSettings = FaultSettings(), clock: Callable[[], float] = time.monotonic):
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._clock = clock
        self._apply(settings)

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def update(self, **changes) -> FaultSettings:
        """Change some settings, keep the others. Raises ValueError / TypeError on bad values."""
        unknown = set(changes) - set(FaultSettings.names())
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        operations = changes.get("operations")
        if operations is not None:
            if not isinstance(operations, (list, tuple)):
                raise ValueError("operations must be a list of operation names (or null for all)")
            changes["operations"] = tuple(operations)
        with self._lock:
            self._apply(replace(self._settings, **changes))
            self._changed.notify_all()
            return self._settings

    def reset(self) -> FaultSettings:
        with self._lock:
            self._apply(FaultSettings())
            self._changed.notify_all()
            return self._settings

    def before(self, operation: str) -> None:
        """Wait, throttle or fail, as the settings say, before `operation` is handled."""
        settings = self._settings
        applies = settings.applies_to(operation)
        if applies and settings.latency_ms:
            time.sleep(settings.latency_ms / 1000.0)
        rate = settings.throttle_rate(operation)
        if rate is not None and not self._take_token(operation, rate):
            raise Throttled(f"Rate exceeded for {operation}")
        count = self._count(operation) if applies and settings.counts_requests() else 0
        if settings.hold_after_n and count > settings.hold_after_n:
            self._hold(settings)
            return
        if count and (count <= settings.throttle_first_n or
                      bool(settings.throttle_every and count % settings.throttle_every == 0)):
            raise Throttled(f"Rate exceeded for {operation}")
        if applies and settings.fail_rate and self._draw() < settings.fail_rate:
            raise InjectedFailure(f"Injected internal failure of {operation}")
        if applies and self._countdowns["stale_reads"] and self._take("stale_reads"):
            raise ResourceNotFound(f"Not found yet ({operation} soon after a change)")

    def drop_after_commit(self, operation: str) -> bool:
        """Whether to close the connection, unanswered, after `operation` committed."""
        settings = self._settings
        return bool(settings.applies_to(operation) and settings.drop_after_commit_rate
                    and self._draw() < settings.drop_after_commit_rate)

    def empty_answer(self, operation: str) -> bool:
        """Whether to answer `operation`, committed, with an empty body."""
        return bool(self._settings.applies_to(operation) and self._countdowns["empty_answers"]
                    and self._take("empty_answers"))

    def _apply(self, settings: FaultSettings) -> None:
        self._settings = settings  # held requests go on once notified
        self._countdowns = {"stale_reads": settings.stale_reads, "empty_answers": settings.empty_answers}
        self._buckets: dict[str, TokenBucket] = {}
        self._counts: dict[str, int] = {}
        self._random = random.Random(settings.seed)

    def _take_token(self, operation: str, rate: float) -> bool:
        with self._lock:
            bucket = self._buckets.get(operation)
            if bucket is None:
                bucket = self._buckets[operation] = TokenBucket(rate, self._clock)
            return bucket.take()

    def _count(self, operation: str) -> int:
        """This request's number among `operation`'s since the settings were made, from 1."""
        with self._lock:
            count = self._counts[operation] = self._counts.get(operation, 0) + 1
            return count

    def _hold(self, settings: FaultSettings) -> None:
        """Wait until the settings change from `settings` (at once if they already have)."""
        with self._changed:
            while self._settings is settings:
                self._changed.wait()

    def _take(self, count: str) -> bool:
        """Take one from the countdown `count`; False when it is down to zero."""
        with self._lock:
            if self._countdowns[count] <= 0:
                return False
            self._countdowns[count] -= 1
            return True

    def _draw(self) -> float:
        with self._lock:
            return self._random.random()
