"""Reading a request's body within bounds: a size limit, the socket's read timeout,
a malformed chunked encoding and a client that goes away are each one clear outcome."""

from __future__ import annotations

REQUEST_READ = "connect_contact.request_read"
"""The environ key of the server's callback for "the application has read the request": the
request's deadline stops, and nothing more of this request is read from the connection."""
MAX_BODY_BYTES = 1024 * 1024
"""Far above any Connect request this service implements (a contact's attributes and
references together stay under 40 KB), far below what would strain the service."""
_READ_SIZE = 64 * 1024


class BadBody(ValueError):
    """The body cannot be read as sent: answered InvalidRequestException (400)."""


class ClientGone(ConnectionError):
    """The client closed the connection before its body arrived: nobody to answer."""


def read_body(environ: dict, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, or BadBody / ClientGone; either way nothing more is read from the connection
    (an oversized body is refused without reading the rest of it)."""
    complete = False
    try:
        body = _read_body(environ, limit)
        # Read to its declared end (a chunked body's end is the server's to find): the connection
        # holds nothing more of this request, so it can carry the client's next one.
        complete = not environ.get("wsgi.input_terminated")
        return body
    finally:
        request_read(environ, complete)


def request_read(environ: dict, complete: bool = False) -> None:
    """Tell the server the application has read what it wants of the request; `complete`: the
    whole body, so the connection may stay open for another request."""
    environ.get(REQUEST_READ, _nothing)(complete)


def _nothing(complete: bool = False) -> None:
    pass


def _read_body(environ: dict, limit: int) -> bytes:
    stream = environ["wsgi.input"]
    length_header = environ.get("CONTENT_LENGTH") or ""
    try:
        if environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream
            return _read_to_end(stream, limit)
        if not length_header.strip():
            return b""
        return _read_exactly(stream, _content_length(length_header, limit))
    except TimeoutError:
        raise BadBody("the request body did not arrive in time") from None
    except (ClientGone, BadBody):
        raise
    except (OSError, ValueError) as error:
        raise BadBody(f"the request body is malformed ({error})") from None


def _content_length(header: str, limit: int) -> int:
    if not header.strip().isdigit():
        raise BadBody(f"Content-Length {header[:40]!r} is not a number of bytes")
    length = int(header)
    if length > limit:
        raise BadBody(f"the request body has {length} bytes; the limit is {limit}")
    return length


def _read_exactly(stream, length: int) -> bytes:
    parts, remaining = [], length
    while remaining:
        part = stream.read(min(remaining, _READ_SIZE))
        if not part:
            raise ClientGone(f"the client sent {length - remaining} of {length} bytes, then closed the connection")
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _read_to_end(stream, limit: int) -> bytes:
    parts, size = [], 0
    while True:
        part = stream.read(_READ_SIZE)
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > limit:
            raise BadBody(f"the request body exceeds the limit of {limit} bytes")
        parts.append(part)
