"""Malformed HTTP requests for the local Connect service, from a seeded generator.

Each request is raw bytes sent over a socket, so nothing between the generator and
the service tidies it up. Every malformed body rides inside an otherwise valid
request aimed at a live contact (a rename, new attributes, an end), so a service
that ignored the malformation would change that contact: the suite checks it did not.
"""

from __future__ import annotations

import base64
import json
import random
import socket
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from tests.support.emulator_support import signed


@dataclass(frozen=True)
class Attempt:
    """One malformed request: what it is, the bytes, and what the client does after sending them."""

    kind: str
    payload: bytes
    then: str = "read"  # "read": wait for the answer; "stall": keep the socket open, send nothing more;
    # "half-close": shut down writing, then read; "close": disconnect at once


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: Optional[int]  # None: the connection ended without an answer
    hung: bool
    seconds: float
    headless: bool = False  # bytes came back, but no status line (an HTTP/0.9-style answer)


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    instance_id: str
    contact_id: str
    contact_arn: str


def exchange(target: Target, attempt: Attempt, patience: float) -> Outcome:
    """Send the attempt and wait at most `patience` seconds for the service to answer or close."""
    started = time.monotonic()
    with socket.create_connection((target.host, target.port), timeout=patience) as sock:
        try:
            sock.sendall(attempt.payload)
        except OSError:  # the service refused early and closed: its answer may still be readable
            pass
        if attempt.then == "close":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return Outcome(attempt.kind, None, False, time.monotonic() - started)
        if attempt.then == "half-close":
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        received, hung = b"", False
        deadline = started + patience
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                hung = True
                break
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                hung = True
                break
            except OSError:
                break
            if not chunk:
                break
            received += chunk
    status = _status(received)
    return Outcome(attempt.kind, status, hung, time.monotonic() - started, headless=bool(received) and status is None)


def _status(response: bytes) -> Optional[int]:
    parts = response.split(b"\r\n", 1)[0].split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def request(target: Target, method: str, path: str, body: bytes = b"", *, headers: Optional[dict] = None,
            content_length: Optional[str] = None, then: str = "read", kind: str = "") -> Attempt:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {target.host}:{target.port}",
             *(f"{name}: {value}" for name, value in {**signature(target, method, path, body), **(headers or {})}.items())]
    if content_length is None and body and "Transfer-Encoding" not in (headers or {}):
        content_length = str(len(body))
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return Attempt(kind or method, head + body, then)


def signature(target: Target, method: str, path: str, body: bytes) -> dict[str, str]:
    """A valid signature of the request, so that what is malformed is what the service judges;
    a target botocore's signer cannot read gets one that is valid in form only."""
    try:
        return signed(method, f"{target.host}:{target.port}", path, body)
    except Exception:
        return signed("GET", f"{target.host}:{target.port}", "/")


# -- malformed values, placed where a valid request has a member

def deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_value_map(depth: int) -> str:
    """A segment attribute value nested `depth` levels: a recursive shape, so only a depth limit stops it."""
    value = '{"ValueString": "x"}'
    for _ in range(depth):
        value = '{"ValueMap": {"k": ' + value + "}}"
    return value


def malformed_json_values(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(kind, JSON text) of values no member can take."""
    for depth in (33, 100, 999, 5000, 100_000):
        yield "deep nesting", deep_list(depth)
    for surrogate in ("\\ud800", "\\udfff", "x\\udc00y", "\\ud83d"):
        yield "lone surrogate", json.dumps("a")[:-1] + surrogate + '"'
    for digits in (11, 20, 300, 4299, 4301, 20_000):
        yield "huge integer", "9" * digits
        yield "huge integer", "-" + "9" * digits
    for number in ("1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1e308", "0.5", "1E999999"):
        yield "non-finite or fractional number", number
    for _ in range(6):
        yield "wrong type", rng.choice(['{"a": 1}', "[1, 2]", "true", "[]"])


def json_body_attempts(target: Target, rng: random.Random) -> Iterator[Attempt]:
    contact = f"/contacts/{target.instance_id}/{target.contact_id}"
    templates: list[tuple[str, str, Callable[[str], str]]] = [
        ("POST", contact, lambda bad: '{"Name": "fuzzed", "Description": ' + bad + "}"),
        ("POST", contact, lambda bad: '{"Name": ' + bad + "}"),
        ("POST", contact, lambda bad: '{"Name": "fuzzed", "SegmentAttributes": {"tier": {"ValueInteger": ' + bad + "}}}"),
        ("POST", "/contact/attributes", lambda bad: json.dumps(
            {"InstanceId": target.instance_id, "InitialContactId": target.contact_id})[:-1] + ', "Attributes": {"k": ' + bad + "}}"),
        ("POST", "/contact/stop", lambda bad: json.dumps(
            {"InstanceId": target.instance_id, "ContactId": target.contact_id})[:-1] + ', "DisconnectReason": {"Code": ' + bad + "}}"),
        ("POST", "/contact/tags", lambda bad: json.dumps(
            {"InstanceId": target.instance_id, "ContactId": target.contact_id})[:-1] + ', "Tags": {"t": ' + bad + "}}"),
        ("PUT", "/contact/create-contact", lambda bad: json.dumps(
            {"InstanceId": target.instance_id, "Channel": "TASK", "InitiationMethod": "API"})[:-1]
            + ', "ExpiryDurationInMinutes": ' + bad + "}"),
        ("POST", "/search-contacts", lambda bad: json.dumps(
            {"InstanceId": target.instance_id, "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": 0,
                                                              "EndTime": 4102444800}})[:-1] + ', "MaxResults": ' + bad + "}"),
    ]
    values = list(malformed_json_values(rng))
    for method, path, place in templates:
        for kind, bad in values:
            yield request(target, method, path, place(bad).encode("utf-8"), kind=kind)
    for depth in (33, 64, 400, 990):
        body = '{"Name": "fuzzed", "SegmentAttributes": {"tier": ' + deep_value_map(depth) + "}}"
        yield request(target, "POST", contact, body.encode(), kind="deep segment value")
    for key in ("\\ud800", "k\\udfff"):
        body = '{"Name": "fuzzed", "SegmentAttributes": {"' + key + '": {"ValueString": "v"}}}'
        yield request(target, "POST", contact, body.encode(), kind="lone surrogate key")
    valid = json.dumps({"Name": "fuzzed", "Description": "fuzzed"}).encode()
    for _ in range(200):
        cut = rng.randrange(1, len(valid) - 1)
        yield request(target, "POST", contact, valid[:cut], kind="truncated JSON")
    for _ in range(200):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        yield request(target, "POST", contact, noise, kind="random bytes")
    for text in (b'{"Name": "\xff\xfe"}', b'{"Name": "fuzzed\xc3"}', b'{"Name": "fu\xc0\xafzzed"}'):
        yield request(target, "POST", contact, text, kind="invalid UTF-8")


def forged_tokens(rng: random.Random) -> Iterator[str]:
    positions = ["[1e999, \"x\"]", "[{\"a\": 1}, \"x\"]", "[" + "9" * 40 + ", \"x\"]", "[\"x\"]", "[NaN, \"x\"]",
                 "[[1], \"x\"]", "[true, \"x\"]", deep_list(5000), "\"" + "\\ud800" + "\"", "[1, 2]", "{}", "null"]
    for position in positions:
        yield base64.urlsafe_b64encode(position.encode()).decode()
    for _ in range(40):
        yield base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))).decode()
    yield from ("%%%", "not base64!", "\u00e9t\u00e9", "=" * 10, "A" * 5000)


def next_token_attempts(target: Target, rng: random.Random) -> Iterator[Attempt]:
    from urllib.parse import quote
    search = {"InstanceId": target.instance_id,
              "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 4102444800}}
    for token in forged_tokens(rng):
        body = json.dumps({**search, "NextToken": token}).encode()
        yield request(target, "POST", "/search-contacts", body, kind="forged NextToken")
        yield request(target, "GET", f"/instance?nextToken={quote(token)}", kind="forged NextToken")
        yield request(target, "GET", f"/contact/references/{target.instance_id}/{target.contact_id}"
                                     f"?referenceTypes=URL&nextToken={quote(token)}", kind="forged NextToken")


def path_attempts(target: Target, rng: random.Random) -> Iterator[Attempt]:
    labels = ["%FF%FE", "%", "%ZZ", "%00", "a%2Fb", "%2F%2F", "x" * 10_000, "%C3", "%ED%A0%80", "..%2F..",
              quote_all(target.contact_arn)]
    for label in labels:
        # The contact's ARN, every byte percent-encoded, is a well-formed tag request's label.
        tag_kind = ENCODED_ARN if label == quote_all(target.contact_arn) else "path label"
        yield request(target, "GET", f"/contacts/{target.instance_id}/{label}", kind="path label")
        yield request(target, "POST", f"/contacts/{label}/{target.contact_id}", b'{"Name": "fuzzed"}', kind="path label")
        yield request(target, "GET", f"/tags/{label}", kind=tag_kind)
        yield request(target, "DELETE", f"/tags/{label}?tagKeys=a", kind=tag_kind)
    for method in ("BREW", "PATCH", "OPTIONS", "TRACE", "CONNECT"):
        yield request(target, method, f"/contacts/{target.instance_id}/{target.contact_id}", kind="method")
    for _ in range(100):
        junk = "".join(rng.choice("/%?&=#;az09.~") for _ in range(rng.randrange(1, 80)))
        yield request(target, "GET", "/" + junk, kind="random path")


ENCODED_ARN = "encoded ARN label"
"""A tag request naming the live contact by its ARN, encoded to the last byte: answered 200 (the
contact carries no tag "a", so the untag changes nothing)."""


def quote_all(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def transport_attempts(target: Target, rng: random.Random) -> Iterator[Attempt]:
    contact = f"/contacts/{target.instance_id}/{target.contact_id}"
    update = b'{"Name": "fuzzed"}'
    chunked = {"Transfer-Encoding": "chunked"}
    for chunks in (b"zz\r\n{}\r\n0\r\n\r\n", b"-5\r\nabcde\r\n0\r\n\r\n", b"5\r\n{\"Na\r\n", b"\r\n\r\n",
                   b"1" * 90 + b"\r\n", b"3;ext\r\n{}\n\r\n0\r\n\r\n", b"12\r\n" + update + b"XX\r\n0\r\n\r\n"):
        yield request(target, "POST", contact, chunks, headers=chunked, kind="bad chunked encoding")
        yield request(target, "POST", contact, chunks, headers=chunked, then="half-close", kind="bad chunked encoding")
    for _ in range(30):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        yield request(target, "POST", contact, noise + b"\r\n0\r\n\r\n", headers=chunked, kind="random chunked body")
    yield request(target, "POST", contact, b"FFFFFFFF\r\n" + update, headers=chunked, then="stall",
                  kind="chunk longer than sent")
    for sent in (0, 1, len(update) - 1):
        yield request(target, "POST", contact, update[:sent], content_length=str(len(update)), then="stall",
                      kind="short body, client waits")
        yield request(target, "POST", contact, update[:sent], content_length=str(len(update)), then="half-close",
                      kind="short body, client half-closes")
        yield request(target, "POST", contact, update[:sent], content_length=str(len(update)), then="close",
                      kind="disconnect mid-body")
    for length in ("abc", "-1", "1e3", "99999999999999999999", " ", "0x10", "10, 10"):
        yield request(target, "POST", contact, update, content_length=length, kind="bad Content-Length")
    for size in (1024 * 1024 + 1, 10 * 1024 * 1024):
        yield request(target, "POST", contact, b'{"Name": "' + b"x" * (size - 12) + b'"}', kind="huge body")
    yield request(target, "POST", contact, b" " * 2_000_000 + update, headers=chunked, kind="huge chunked body")
    yield request(target, "POST", contact, b"", content_length=str(50 * 1024 * 1024), then="stall",
                  kind="huge Content-Length, no body")
    for head in (b"", b"GET /contacts", b"GET / HTTP/1.1\r\nHost: x", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"):
        yield Attempt("stalled client", head, "stall")
    for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", bytes(range(256)) + b"\r\n\r\n"):
        yield Attempt("malformed request head", raw, "half-close")


def all_attempts(target: Target, seed: int) -> list[Attempt]:
    rng = random.Random(seed)
    attempts = [*json_body_attempts(target, rng), *next_token_attempts(target, rng), *path_attempts(target, rng),
                *transport_attempts(target, rng)]
    rng.shuffle(attempts)
    return attempts


# -- every member of every implemented operation, through the SDK's own serialiser

HOSTILE_VALUES: tuple = (
    None, True, 0, -1, 2**31, -2**31 - 1, 2**63, 10**30, 0.5, 1e308, -1e308, "", " ", "x" * 5_000, "\u0000",
    "\u00e9" * 300, "aws:reserved", "../../etc", "%2F%2e%2e", "1e308", "inf", "NaN", "99999999999999999999999",
    "\U0001F600" * 50, [], [""], ["x"] * 300, {}, {"k": "v"}, {"k" * 200: "v" * 5_000},
)
"""Wrong types, boundary values and hostile strings: each replaces one member at a time."""


SPARED = {"DeleteInstance": {"InstanceId": "an-instance-this-service-never-had"}}
"""Members whose valid value is replaced: a DeleteInstance of the fuzzed instance would leave every
later attempt a plain "not found"."""


@dataclass(frozen=True)
class MemberAttempt:
    operation: str
    member: str
    value: object
    method: str
    target: str
    body: bytes


def member_attempts(target: Target, operations: tuple[str, ...]) -> list[MemberAttempt]:
    """Each operation's request with one member (top level, or one level into a structure) replaced by
    each hostile value, serialised as the SDK would (its validation off); values the serialiser itself
    cannot write are sent in the body as JSON."""
    from botocore.serialize import create_serializer

    from connect_contact.model import operation

    serializer = create_serializer("rest-json", include_validation=False)
    attempts = []
    for name in operations:
        model = operation(name)
        base = {**_valid(model.input_shape, target), **SPARED.get(name, {})}
        for path in _member_paths(model.input_shape):
            for value in HOSTILE_VALUES:
                params = _replaced(base, path, value)
                try:
                    request = serializer.serialize_to_request(params, model)
                    method, sent, body = request["method"], _target_of(request), request["body"] or b""
                except Exception:
                    method, sent = model.http["method"], _label_free_path(model, base, target)
                    body = json.dumps(params, default=str).encode()
                if isinstance(body, str):
                    body = body.encode()
                attempts.append(MemberAttempt(name, ".".join(path), value, method, sent, body))
    return attempts


def send_member_attempt(target: Target, attempt: MemberAttempt, patience: float) -> Outcome:
    request_attempt = request(target, attempt.method, attempt.target, attempt.body,
                              kind=f"{attempt.operation}.{attempt.member}")
    return exchange(target, request_attempt, patience)


def _target_of(request: dict) -> str:
    from urllib.parse import urlencode

    query = urlencode(request["query_string"], doseq=True) if request["query_string"] else ""
    return request["url_path"] + ("?" + query if query else "")


def _label_free_path(model, params: dict, target: Target) -> str:
    from urllib.parse import quote

    path = model.http["requestUri"].split("?")[0]
    for name, member in model.input_shape.members.items():
        if member.serialization.get("location") == "uri":
            wire = member.serialization.get("name", name)
            path = path.replace("{" + wire + "}", quote(str(params.get(name, "x")), safe=""))
    return path


def _valid(shape, target: Target, depth: int = 0):
    """A request the model accepts in form: required members only, IDs of the live instance and contact."""
    if shape.type_name == "structure":
        ids = {"InstanceId": target.instance_id, "ContactId": target.contact_id, "InitialContactId": target.contact_id,
               "resourceArn": target.contact_arn}
        return {name: ids.get(name) or (_valid(shape.members[name], target, depth + 1) if depth < 4 else "x")
                for name in shape.required_members}
    if shape.type_name == "list":
        return [_valid(shape.member, target, depth + 1)]
    if shape.type_name == "map":
        return {"k": _valid(shape.value, target, depth + 1)}
    if shape.type_name in ("integer", "long"):
        return int(shape.metadata.get("min", 1))
    if shape.type_name == "boolean":
        return True
    if shape.type_name == "timestamp":
        return 0
    if getattr(shape, "enum", None):
        return shape.enum[0]
    return "x"


def _member_paths(shape) -> list[tuple[str, ...]]:
    paths = []
    for name, member in shape.members.items():
        paths.append((name,))
        if member.type_name == "structure":
            paths += [(name, inner) for inner in member.members]
    return paths


def _replaced(base: dict, path: tuple[str, ...], value) -> dict:
    params = json.loads(json.dumps(base))
    holder = params
    for part in path[:-1]:
        holder = holder.setdefault(part, {}) if isinstance(holder.get(part, {}), dict) else {}
    holder[path[-1]] = value
    return params
