"""The ``/_local/...`` endpoints: steer the running service from tests.

No AWS URI starts with ``/_local/``, so these can never shadow an operation.
The endpoints are listed in ENDPOINTS (also shown by ``--help``).
"""

from __future__ import annotations

import json
from typing import Callable

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .clock import Clock
from .faults import Faults
from .stats import Stats

CLOCK_OFFSET_KEY = "clock_offset_seconds"
ENDPOINTS = """\
    GET  /_local/info          instance, region, database, clock
    GET  /_local/clock         {"now": epoch seconds, "offset_seconds": ...}
    POST /_local/clock         {"advance_seconds": N} or {"set": epoch seconds}
    GET  /_local/faults        the fault settings
    POST /_local/faults        change some fault settings, e.g. {"throttle_rps": 5}
    POST /_local/faults/reset  no faults
    GET  /_local/stats         per-operation request counts
    POST /_local/stats/reset   zero the counts
"""


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
        self._routes = Map([
            Rule("/_local/info", methods=["GET"], endpoint=self.info),
            Rule("/_local/clock", methods=["GET"], endpoint=self.clock),
            Rule("/_local/clock", methods=["POST"], endpoint=self.move_clock),
            Rule("/_local/faults", methods=["GET"], endpoint=self.faults),
            Rule("/_local/faults", methods=["POST"], endpoint=self.change_faults),
            Rule("/_local/faults/reset", methods=["POST"], endpoint=self.reset_faults),
            Rule("/_local/stats", methods=["GET"], endpoint=self.stats),
            Rule("/_local/stats/reset", methods=["POST"], endpoint=self.reset_stats),
        ], strict_slashes=False)

    def __call__(self, request: Request) -> Response:
        try:
            endpoint, _ = self._routes.bind_to_environ(request.environ).match()
            body = endpoint(request)
        except HTTPException as error:
            return _json({"message": error.description}, error.code)
        except (AdminError, ValueError, TypeError) as error:
            return _json({"message": str(error)}, 400)
        return _json(body, 200)

    def info(self, request: Request) -> dict:
        return {**self._info(), "now": self._clock.now()}

    def clock(self, request: Request) -> dict:
        return {"now": self._clock.now(), "offset_seconds": self._clock.offset_seconds}

    def move_clock(self, request: Request) -> dict:
        body = _body(request)
        if "advance_seconds" in body:
            self._clock.advance(_number(body, "advance_seconds"))
        elif "set" in body:
            self._clock.set(_number(body, "set"))
        else:
            raise AdminError('send {"advance_seconds": N} or {"set": epoch_seconds}')
        self._save_clock(self._clock.offset_seconds)
        return self.clock(request)

    def faults(self, request: Request) -> dict:
        return self._faults.settings.to_json()

    def change_faults(self, request: Request) -> dict:
        return self._faults.update(**_body(request)).to_json()

    def reset_faults(self, request: Request) -> dict:
        return self._faults.reset().to_json()

    def stats(self, request: Request) -> dict:
        return self._stats.snapshot()

    def reset_stats(self, request: Request) -> dict:
        self._stats.reset()
        return self._stats.snapshot()


def _body(request: Request) -> dict:
    data = request.get_data(cache=False)
    try:
        body = json.loads(data) if data.strip() else {}
    except ValueError:
        raise AdminError("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise AdminError("the body must be a JSON object")
    return body


def _number(body: dict, name: str) -> float:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AdminError(f"{name} must be a number of seconds")
    return float(value)


def _json(body: dict, status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
