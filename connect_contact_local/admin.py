"""The ``/_local/...`` endpoints: steer the running service from tests.

No AWS URI starts with ``/_local/``, so these can never shadow an operation.
The endpoints are listed in ENDPOINTS (also shown by ``--help``). Every call needs
the admin token (see `guard`); every value is checked (finite, in range) before use.
"""

from __future__ import annotations

import json
from typing import Callable

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .clock import Clock
from .errors import ServiceError
from .faults import Faults
from .stats import Stats
from .shapes import LATEST_EPOCH_SECONDS
from .wire import json_object

CLOCK_OFFSET_KEY = "clock_offset_seconds"
EARLIEST_TIME = 0.0
MAX_CLOCK_SHIFT_SECONDS = 100 * 365.25 * 86_400
INFO, CLOCK, FAULTS, FAULTS_RESET, STATS, STATS_RESET = (
    "/_local/info", "/_local/clock", "/_local/faults", "/_local/faults/reset", "/_local/stats", "/_local/stats/reset")
ROUTES = (
    # (method, path, the Admin method that answers, what it does)
    ("GET", INFO, "info", "instance, region, database, clock"),
    ("GET", CLOCK, "clock", '{"now": epoch seconds, "offset_seconds": ...}'),
    ("POST", CLOCK, "move_clock", '{"advance_seconds": N} or {"set": epoch seconds}'),
    ("GET", FAULTS, "faults", "the fault settings"),
    ("POST", FAULTS, "change_faults", 'change some fault settings, e.g. {"throttle_rps": 5}'),
    ("POST", FAULTS_RESET, "reset_faults", "no faults"),
    ("GET", STATS, "stats", "per-operation request counts"),
    ("POST", STATS_RESET, "reset_stats", "zero the counts"),
)
ENDPOINTS = "".join(f"    {method:<4} {path:<22} {what}\n" for method, path, _, what in ROUTES)


class AdminError(ValueError):
    """A bad admin request: answered 400 with the message."""


class Admin:
    def __init__(self, info: Callable[[], dict], clock: Clock, save_clock: Callable[[float], None],
                 faults: Faults, stats: Stats):
        self._info = info
        self._clock = clock
        self._save_clock = save_clock
        self._faults = faults
        self._stats = stats
        self._routes = Map([Rule(path, methods=[method], endpoint=getattr(self, answer))
                            for method, path, answer, _ in ROUTES], strict_slashes=False)

    def __call__(self, request: Request, body: bytes) -> Response:
        try:
            endpoint, _ = self._routes.bind_to_environ(request.environ).match()
            answer = endpoint(body)
        except HTTPException as error:
            return _json({"message": error.description}, error.code)
        except (AdminError, ValueError, TypeError) as error:
            return _json({"message": str(error)}, 400)
        return _json(answer, 200)

    def info(self, body: bytes) -> dict:
        return {**self._info(), "now": self._clock.now()}

    def clock(self, body: bytes) -> dict:
        return {"now": self._clock.now(), "offset_seconds": self._clock.offset_seconds}

    def move_clock(self, body: bytes) -> dict:
        request = _object(body)
        if "advance_seconds" in request:
            seconds = _number(request, "advance_seconds", -MAX_CLOCK_SHIFT_SECONDS, MAX_CLOCK_SHIFT_SECONDS)
            if not EARLIEST_TIME <= self._clock.now() + seconds <= LATEST_EPOCH_SECONDS:
                raise AdminError("advance_seconds would move the clock outside the years 1970 to 9999")
            self._clock.advance(seconds)
        elif "set" in request:
            self._clock.set(_number(request, "set", EARLIEST_TIME, LATEST_EPOCH_SECONDS))
        else:
            raise AdminError('send {"advance_seconds": N} or {"set": epoch_seconds}')
        self._save_clock(self._clock.offset_seconds)
        return self.clock(body)

    def faults(self, body: bytes) -> dict:
        return self._faults.settings.to_json()

    def change_faults(self, body: bytes) -> dict:
        return self._faults.update(**_object(body)).to_json()

    def reset_faults(self, body: bytes) -> dict:
        return self._faults.reset().to_json()

    def stats(self, body: bytes) -> dict:
        return self._stats.snapshot()

    def reset_stats(self, body: bytes) -> dict:
        self._stats.reset()
        return self._stats.snapshot()


def _object(body: bytes) -> dict:
    """The body as a JSON object (empty for no body); AdminError otherwise."""
    try:
        return json_object(body)
    except ServiceError as error:
        raise AdminError(error.message) from None


def _number(request: dict, name: str, low: float, high: float) -> float:
    value = request[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise AdminError(f"{name} must be a number of seconds from {low:.0f} to {high:.0f}")
    return float(value)


def _json(body: dict, status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
