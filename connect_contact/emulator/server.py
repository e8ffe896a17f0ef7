"""The HTTP server: Werkzeug's threaded WSGI server, quiet unless asked.

Werkzeug (3.x) answers every request with ``Connection: close``: its server
does not do keep-alive, whatever the protocol version. Clients open one
connection per request, which loopback handles well.
"""

from __future__ import annotations

import threading
import time

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


READ_TIMEOUT_SECONDS = 10.0


class QuietRequestHandler(WSGIRequestHandler):
    """Logs requests only with --verbose; errors are still logged. A client that sends nothing
    for `timeout` seconds (a stalled request line, headers or body) loses its connection."""

    protocol_version = "HTTP/1.1"
    verbose = False
    timeout = READ_TIMEOUT_SECONDS

    def log_request(self, code="-", size="-") -> None:
        if self.verbose:
            super().log_request(code, size)


def make_service_server(app, host: str, port: int, verbose: bool = False,
                        read_timeout: float = READ_TIMEOUT_SECONDS) -> BaseWSGIServer:
    handler = type("RequestHandler", (QuietRequestHandler,), {"verbose": verbose, "timeout": read_timeout})
    return make_server(host, port, app, threaded=True, request_handler=handler)


class IdleWatch:
    """Calls `stop` once `seconds` pass without a request (0: never)."""

    def __init__(self, seconds: float):
        self._seconds = seconds
        self._last = time.monotonic()

    def wrap(self, app):
        def watched(environ, start_response):
            self._last = time.monotonic()
            return app(environ, start_response)
        return watched

    def start(self, stop) -> None:
        if self._seconds > 0:
            threading.Thread(target=self._watch, args=(stop,), name="idle-watch", daemon=True).start()

    def _watch(self, stop) -> None:
        while time.monotonic() - self._last < self._seconds:
            time.sleep(min(1.0, self._seconds / 10))
        stop()
