"""The service's resources stay bounded whatever clients do: an oversized body is refused without
being read, a request must arrive whole within its deadline, connections are capped, and clients
that leave their answers unread lose their slots to clients waiting for one."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from botocore.config import Config
from tests.support.emulator_support import signed

from connect_contact_local.testing import LocalConnect

MiB = 1024 * 1024
STREAMED = 30 * MiB
SENT_AT_MOST = 16 * MiB
"""What a refused 30 MiB body may get through before the service closes: the 1 MiB limit and
what the kernel's socket buffers on both ends hold, far below the whole body."""


@pytest.fixture
def limited_service(tmp_path):
    service = LocalConnect(tmp_path / "connect.db", read_timeout=2.0, request_deadline=3.0, max_connections=4)
    service.start()
    yield service
    service.close()


def head(service, content_length: int, *, expect_continue: bool = False) -> bytes:
    path = f"/contacts/{service.instance_id}/c1"
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{service.port}",
             *(f"{name}: {value}" for name, value in signed("POST", f"127.0.0.1:{service.port}", path).items()),
             f"Content-Length: {content_length}", *(["Expect: 100-continue"] if expect_continue else [])]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count")


def test_an_oversized_body_is_refused_without_being_read(limited_service):
    sent = 0
    with socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) as sock:
        sock.sendall(head(limited_service, STREAMED))
        chunk = b"x" * (256 * 1024)
        try:
            while sent < STREAMED:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:  # the service closed the connection: the rest was never read
            pass
    assert sent < SENT_AT_MOST, f"the client got {sent} bytes through"
    assert "Traceback" not in limited_service.log_path.read_text(errors="replace")


def test_a_request_trickled_byte_by_byte_is_cut_at_its_deadline(limited_service):
    request = head(limited_service, 2) + b"{}"
    with socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) as sock:
        sent, answer = trickle(sock, request)
    assert sent < len(request) and answer == b"", (sent, len(request), answer)


def trickle(sock: socket.socket, data: bytes) -> tuple[int, bytes]:
    """`data` one byte every 0.5 s (each read well inside the read timeout), then the answer:
    (bytes sent, the answer's first bytes, or b"" once the service shut the connection)."""
    sent = 0
    try:
        for byte in data:
            sock.sendall(bytes([byte]))
            sent += 1
            time.sleep(0.5)
        return sent, sock.recv(100)
    except OSError:
        return sent, b""


def test_a_body_trickled_after_100_continue_is_cut_at_its_deadline(limited_service):
    # The interim "100 Continue" the service writes is an answer the client takes at once; the body
    # that follows is still the request, under the deadline counted from the connection's accept.
    body = b'{"Name": "trickled"}'
    with socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) as sock:
        sock.sendall(head(limited_service, len(body), expect_continue=True))
        interim = sock.recv(100)
        sent, answer = trickle(sock, body)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim
    assert sent < len(body) and answer == b"", (sent, len(body), answer)


def answer_to(sock: socket.socket) -> bytes:
    """Every byte the service sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


@pytest.mark.parametrize("version, interim", [("HTTP/1.1", CONTINUE), ("HTTP/1.0", b"")])
def test_a_body_sent_after_100_continue_is_answered(limited_service, version, interim):
    """One interim 100 Continue to an HTTP/1.1 request, none to an HTTP/1.0 one (RFC 9110 10.1.1)."""
    body = b'{"Name": "whole"}'
    request = head(limited_service, len(body), expect_continue=True).replace(b"HTTP/1.1\r\n", f"{version}\r\n".encode(), 1)
    with socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) as sock:
        sock.sendall(request + body)
        sock.shutdown(socket.SHUT_WR)
        received = answer_to(sock)
    # Signed without its body, so refused as a bad signature: an answer, after the body was read.
    assert received.startswith(interim + b"HTTP/1.1 403 "), received[:200]


def test_a_body_still_trickling_after_its_refusal_is_cut_at_the_deadline(limited_service):
    # Refused unread (no signature), the body is drained after the answer, one small chunk a read:
    # Werkzeug's drain alone would go on for 1,000 reads (9 s at this pace), past the 3 s deadline.
    announced = 60000
    chunks = 0
    with socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(f"POST /instance HTTP/1.1\r\nHost: 127.0.0.1:{limited_service.port}\r\n"
                     f"Content-Length: {announced}\r\n\r\n".encode())
        answer = sock.recv(100)
        try:
            while chunks < announced // 16:
                sock.send(b"x" * 16)
                chunks += 1
                time.sleep(0.009)  # inside the drain's 10 ms wait for more
        except OSError:  # the service shut the connection
            pass
    assert answer.startswith(b"HTTP/1.1 403 "), answer
    assert chunks < 700, f"the drain took {chunks} chunks, {chunks * 0.009:.1f} s at least"


def test_a_busy_kept_alive_connection_gives_its_slot_to_a_waiting_one(tmp_path):
    """A client that sends request after request on one kept-alive connection is served, but once
    another waits for a slot, its next answer closes the connection and the other is let in."""
    with LocalConnect(tmp_path / "connect.db", max_connections=1) as service:
        request = list_instances_request(service)
        with socket.create_connection(("127.0.0.1", service.port), timeout=30) as busy:
            busy.sendall(request)
            first = read_answer(busy)
            assert b"Connection: close" not in first  # kept alive while nobody waits
            waiting = socket.create_connection(("127.0.0.1", service.port), timeout=30)
            waiting.sendall(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
            for served in range(1, 1001):
                busy.sendall(request)
                if b"Connection: close" in read_answer(busy):
                    break
            else:
                raise AssertionError("1,000 answers kept the busy connection open while another waited")
        with waiting:
            assert answer_to(waiting).startswith(b"HTTP/1.1 200 OK\r\n")


def list_instances_request(service) -> bytes:
    host = f"127.0.0.1:{service.port}"
    lines = ["GET /instance HTTP/1.1", f"Host: {host}",
             *(f"{name}: {value}" for name, value in signed("GET", host, "/instance").items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_answer(sock: socket.socket) -> bytes:
    """One answer on a kept-alive connection: its head, and the body its Content-Length announces."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, received
        body += chunk
    return head + b"\r\n\r\n" + body


def test_stalled_connections_are_capped_and_a_client_is_served_once_they_end(limited_service):
    before = threads_of(limited_service.pid)
    stalled = [socket.create_connection(("127.0.0.1", limited_service.port), timeout=30) for _ in range(20)]
    try:
        for sock in stalled:
            sock.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(1.0)  # time for the service to take up what it will
        busiest = threads_of(limited_service.pid)
        client = limited_service.client(total_max_attempts=1)
        assert client.describe_instance(InstanceId=limited_service.instance_id)["Instance"]["Id"]
    finally:
        for sock in stalled:
            sock.close()
    assert busiest <= before + 4, (before, busiest)


UNREAD_ANSWERS = 200
"""DescribeContact requests each unreading client pipelines: 200 answers of a 32 KB contact are
6 MB, more than the kernel buffers between it and the service hold, so the service's write blocks."""


def pipelined_describes(service, contact_id: str) -> bytes:
    path = f"/contacts/{service.instance_id}/{contact_id}"
    host = f"127.0.0.1:{service.port}"
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}",
             *(f"{name}: {value}" for name, value in signed("GET", host, path).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() * UNREAD_ANSWERS


def test_clients_that_never_read_their_answers_cannot_keep_others_out(tmp_path):
    # The socket timeouts (what bounds a single blocked write) are far longer than the client below
    # waits: only the write deadline under a full house can let it in.
    with LocalConnect(tmp_path / "connect.db", read_timeout=600.0, request_deadline=600.0,
                      max_connections=4) as service:
        client = service.client(total_max_attempts=1)
        big = client.create_contact(InstanceId=service.instance_id, Channel="TASK", InitiationMethod="API",
                                    Name="big", Attributes={f"key{index}": "v" * 1000 for index in range(31)})
        requests = pipelined_describes(service, big["ContactId"])
        unread = []
        for _ in range(6):  # more than the 4 slots: the service is full and some wait
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", service.port))
            unread.append(sock)
            threading.Thread(target=send_quietly, args=(sock, requests), daemon=True).start()
        try:
            waiting = service.client(total_max_attempts=1, config=Config(connect_timeout=60, read_timeout=60))
            assert waiting.describe_instance(InstanceId=service.instance_id)["Instance"]["Id"] == service.instance_id
        finally:
            for sock in unread:
                sock.close()
        kept = client.describe_contact(InstanceId=service.instance_id, ContactId=big["ContactId"])["Contact"]
        assert kept["Name"] == "big"
    assert "Traceback" not in service.log_path.read_text(errors="replace")


def send_quietly(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except OSError:  # the service shut the connection
        pass

