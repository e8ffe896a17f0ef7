"""The HTTP server: Werkzeug's threaded WSGI server, quiet unless asked, with its resources bounded.

Werkzeug (3.x) answers every request with ``Connection: close`` (its server
cannot tell where a request it did not read ends). Here a connection is kept
open for the client's next request when the application read the whole body of
this one (its declared length) and the client did not ask to close: clients
such as botocore then send every call on one connection instead of opening one
per call. Any other request still closes its connection after the answer.

Werkzeug's server is kept (rather than waitress or cheroot) because it hands the
application the raw request target (encoded ``/`` in labels must survive routing)
and the connection's socket (the drop-after-commit fault closes it). What it
leaves unbounded is bounded here:

- at most ``max_connections`` connections are served at once (one thread each);
  further ones wait in the listen backlog until one ends;
- a client must have sent its whole request (line, headers and body) within
  ``request_deadline`` seconds of being accepted, or, on a kept-alive connection,
  of the previous answer, however it trickles its bytes (the read timeout only
  bounds each single read); past it, its connection is shut (so an idle
  kept-alive connection is shut too);
- likewise a client must take each write of its answer within ``request_deadline``
  seconds: one that sends requests (pipelined on a connection) and never reads the
  answers blocks its thread in a write, and its connection is shut (the interim
  ``100 Continue`` written before a body is not an answer: the request's deadline
  still runs while the body arrives);
  while connections wait for a slot, both deadlines shrink to GRACE_SECONDS, so
  clients trickling bytes or leaving answers unread cannot keep the slots from
  clients that send and read at once, and a kept-alive connection is closed after
  its answer, so that clients busy on theirs take turns with those waiting;
- once the application has read what it wants of a request, at most DRAIN_BYTES more
  are read, under the deadline too: Werkzeug would otherwise drain whatever a client
  still sends (up to 10 GB, 10 MB a read) after the answer to an oversized body.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable, Optional

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from . import wire
from .body import REQUEST_READ
from .errors import InvalidRequest

READ_TIMEOUT_SECONDS = 10.0
REQUEST_DEADLINE_SECONDS = 10.0
MAX_CONNECTIONS = 64
DRAIN_BYTES = 64 * 1024
GRACE_SECONDS = 1.0
EMPTY_LINES_IGNORED = 8


class QuietRequestHandler(WSGIRequestHandler):
    """Logs requests only with --verbose; errors are still logged. A client that sends nothing
    for `timeout` seconds (a stalled request line, headers or body) loses its connection."""

    protocol_version = "HTTP/1.1"
    # An answer goes out in two writes (head, then body): with Nagle's algorithm on a kept-alive
    # connection the body would wait for the client's delayed ACK of the head (40 ms on Linux).
    disable_nagle_algorithm = True
    verbose = False
    timeout = READ_TIMEOUT_SECONDS
    server: "BoundedServer"
    raw_requestline: bytes

    def log_request(self, code="-", size="-") -> None:
        if self.verbose:
            super().log_request(code, size)

    def log_error(self, format: str, *args) -> None:
        if self._answered and format.startswith("Request timed out"):
            return  # a kept-alive connection the client left idle: closed, as it should be
        super().log_error(format, *args)

    def parse_request(self) -> bool:
        # RFC 9112 2.2: empty lines before a request line are ignored (a client may end its last
        # request's body with one); Python's server took one for a request and closed the connection.
        for _ in range(EMPTY_LINES_IGNORED):
            if self.raw_requestline not in (b"\r\n", b"\n"):
                break
            self.raw_requestline = self.rfile.readline(65537)
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":  # `GET /path` alone: Python's server answers it without a status line
            self.send_error(400, "the request line has no HTTP version; send an HTTP/1.1 request")
            return False
        lengths = {value.strip() for value in self.headers.get_all("Content-Length", [])}
        if len(lengths) > 1:  # RFC 9112 6.3: which one frames the body is unknowable, so none does
            differing = ", ".join(sorted(lengths))[:80]
            self.send_error(400, f"the request has Content-Length headers that differ ({differing}); send one")
            return False
        if self.request_version != "HTTP/1.1":  # RFC 9110 10.1.1: an HTTP/1.0 request's 100-continue is ignored
            del self.headers["Expect"]
        return True

    def handle_expect_100(self) -> bool:
        return True  # Werkzeug writes the one interim "100 Continue" itself (Python's server would write a second)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An error found before the application sees the request (in its line or headers): the
        modelled InvalidRequestException in JSON, as for every other client error, and never a 5xx
        (Python's server answers 505 to an HTTP version of 2 or above)."""
        status = code if 400 <= code < 500 else 400
        text = message or self.responses.get(code, ("the request cannot be read",))[0]
        if "version" in text:
            text += "; send an HTTP/1.1 request"
        if self.request_version == "HTTP/0.9":  # the version was unreadable: answer with a status line
            self.request_version = self.protocol_version
        answer = wire.error_response(InvalidRequest(text))
        body = answer.get_data()
        self.log_error("code %d, message %s", status, text)
        self.send_response(status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def setup(self) -> None:
        super().setup()
        self.wfile = _WatchedWriter(self.wfile, self.connection, self.server)  # type: ignore[assignment]
        self._connection_rfile = self.rfile
        self._answered = 0
        self._reusable = False

    def handle_one_request(self) -> None:
        if self._answered:  # a kept-alive connection: the next request's deadline starts now
            self.server.awaiting_request(self.connection)
        self.rfile = self._connection_rfile
        self._reusable = False
        super().handle_one_request()
        self._answered += 1

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "connection" and value.lower() == "close" and self._reusable \
                and not self.close_connection and not self.server.is_full():
            return  # Werkzeug's unconditional close: this connection stays open for the next request
        super().send_header(keyword, value)

    def make_environ(self):
        environ = super().make_environ()
        environ[REQUEST_READ] = self._request_read
        return environ

    def _request_read(self, complete: bool = False) -> None:
        """The application has the request: no deadline while it works, and after the answer
        little draining, or none when it read the whole body (the connection stays open)."""
        self.server.request_read(self.connection)
        if isinstance(self.rfile, (_BoundedDrain, _NothingToDrain)):
            return
        self._reusable = complete and self.request_version == "HTTP/1.1"
        if self._reusable:
            self.rfile = _NothingToDrain(self.rfile)  # type: ignore[assignment]
        else:  # the drain waits on the client's bytes, under the deadline as a request's reading is
            self.rfile = _BoundedDrain(  # type: ignore[assignment]
                self.rfile, DRAIN_BYTES, lambda: self.server.waiting_on_client(self.connection))


class _WatchedWriter:
    """The connection's writer: while a write waits for the client to take its bytes, the
    connection is under the server's deadline, as while it waits for a request's bytes."""

    def __init__(self, stream, connection: socket.socket, server: "BoundedServer"):
        self._stream = stream
        self._connection = connection
        self._server = server

    def write(self, data) -> int:
        arriving = self._server.writing_to(self._connection)
        try:
            return self._stream.write(data)
        finally:
            self._server.written_to(self._connection, arriving)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class _NothingToDrain:
    """What Werkzeug's drain after the answer reads from when the request was read to its end:
    nothing, so the client's next request on the connection is left for the next read."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return b""

    def close(self) -> None:
        self._stream.close()


class _BoundedDrain:
    """What Werkzeug's drain after the answer reads from: the rest of a small unread body (so its
    client sees the answer rather than a reset), at most `budget` bytes, each read only what arrived."""

    def __init__(self, stream, budget: int, on_first_read: Callable[[], None]):
        self._stream = stream
        self._budget = budget
        self._on_first_read: Optional[Callable[[], None]] = on_first_read

    def read(self, size: int = -1) -> bytes:
        if self._on_first_read is not None:
            self._on_first_read()
            self._on_first_read = None
        if self._budget <= 0:
            return b""
        data = self._stream.read1(self._budget if size < 0 else min(size, self._budget))
        self._budget -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        return b""  # no further request on this connection (its answer said close)

    def close(self) -> None:
        self._stream.close()


class BoundedServer(ThreadedWSGIServer):
    """Werkzeug's threaded server with a cap on connections and deadlines on the client: for each
    request to arrive, and for each write of an answer to be taken."""

    def __init__(self, host: str, port: int, app, handler: type[QuietRequestHandler], *,
                 max_connections: int = MAX_CONNECTIONS, request_deadline: float = REQUEST_DEADLINE_SECONDS):
        super().__init__(host, port, app, handler=handler)
        self.request_deadline = request_deadline
        self._slots = threading.BoundedSemaphore(max_connections)
        # The connections the service waits on (for a request's bytes, or for the client to take an
        # answer's bytes), each with the time it began to wait.
        self._waiting: dict[socket.socket, float] = {}
        self._full = threading.Event()  # every slot is taken and a connection waits for one
        self._waiting_lock = threading.Lock()
        self._stopping = threading.Event()
        threading.Thread(target=self._enforce_deadlines, name="request-deadlines", daemon=True).start()

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            self._full.set()  # the deadline thread makes room: the slowest requests go first
            while not self._slots.acquire(timeout=0.1):
                if self._stopping.is_set():
                    self.shutdown_request(request)
                    return
            self._full.clear()
        self.waiting_on_client(request)
        try:
            super().process_request(request, client_address)  # starts the connection's thread
        except BaseException:
            self._done(request)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done(request)

    def is_full(self) -> bool:
        """Every slot is taken and a connection waits for one: a kept-alive connection then closes
        after its answer, so that busy clients take turns with waiting ones."""
        return self._full.is_set()

    def waiting_on_client(self, connection: socket.socket) -> None:
        """The service waits for the client: to send its request, or to take the answer being written."""
        with self._waiting_lock:
            self._waiting[connection] = time.monotonic()

    def writing_to(self, connection: socket.socket) -> bool:
        """A write to the client begins; True when its request is still arriving (the interim
        "100 Continue" before the body), whose deadline keeps counting from when it began."""
        with self._waiting_lock:
            arriving = connection in self._waiting
            if not arriving:
                self._waiting[connection] = time.monotonic()
            return arriving

    def written_to(self, connection: socket.socket, arriving: bool) -> None:
        if not arriving:
            self.client_caught_up(connection)

    def client_caught_up(self, connection: socket.socket) -> None:
        with self._waiting_lock:
            self._waiting.pop(connection, None)

    request_read = client_caught_up  # the application has the request: no deadline while it works

    def awaiting_request(self, connection: socket.socket) -> None:
        """A kept-alive connection waits for its next request, under the same deadline as a new one."""
        self.waiting_on_client(connection)

    def shutdown(self) -> None:
        self._stopping.set()
        super().shutdown()

    def _done(self, request) -> None:
        self.request_read(request)
        self._slots.release()

    def _enforce_deadlines(self) -> None:
        tick = min(0.25, self.request_deadline / 4)
        while not self._stopping.wait(tick):
            now = time.monotonic()
            # When connections wait, a request still arriving, or an answer still not taken, after a
            # grace second is cut: a client on this machine sends a whole request, and reads a whole
            # answer, in milliseconds; one that trickles, or does not read, holds a slot.
            patience = min(GRACE_SECONDS, self.request_deadline) if self._full.is_set() else self.request_deadline
            with self._waiting_lock:
                late = [connection for connection, since in self._waiting.items() if since + patience <= now]
                for connection in late:
                    del self._waiting[connection]
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)  # its blocked read or write returns at once
                except OSError:
                    pass


def make_service_server(app, host: str, port: int, verbose: bool = False,
                        read_timeout: float = READ_TIMEOUT_SECONDS, max_connections: int = MAX_CONNECTIONS,
                        request_deadline: float = REQUEST_DEADLINE_SECONDS) -> BoundedServer:
    handler = type("RequestHandler", (QuietRequestHandler,), {"verbose": verbose, "timeout": read_timeout})
    return BoundedServer(host, port, app, handler, max_connections=max_connections,
                         request_deadline=request_deadline)


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
