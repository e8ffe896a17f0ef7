"""Hostile clients against the local Connect service: what its bounds cost an honest client.

    .venv/bin/python -m bench.hostile                       # 200 slow clients, then 40 streaming 30 MiB
    .venv/bin/python -m bench.hostile --slow 20 --streams 4 --seconds 10   # a quicker run

Each phase runs for --seconds against a fresh service with its default limits, while one
honest client (boto3, no retries) keeps making DescribeInstance, CreateContact and
SearchContacts calls one after another:

1. slow clients: each sends a request one byte every --interval seconds and, when the
   service cuts it off, connects again at once;
2. streaming clients: each announces a 30 MiB body and sends it as fast as it can, then
   starts again.

Printed for each phase: the honest requests tried, answers >= 500, requests over 1 s, the
slowest; the service's peak resident memory (VmHWM) and peak thread count, sampled from
/proc; how many hostile connections were made. Figures are never asserted.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import botocore.exceptions

from connect_contact_local.testing import LocalConnect

MIB = 1024 * 1024


def proc_status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM", "Threads"):
            fields[name] = int(value.split()[0])
    return fields


def request_head(service: LocalConnect, content_length: int) -> bytes:
    lines = [f"POST /contacts/{service.instance_id}/c-1 HTTP/1.1", f"Host: 127.0.0.1:{service.port}",
             "Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/connect/aws4_request, "
             "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64, f"Content-Length: {content_length}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def slow_client(service: LocalConnect, interval: float, stop: threading.Event, counts: dict) -> None:
    request = request_head(service, 2) + b"{}"
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", service.port), timeout=60) as sock:
                counts["connections"] += 1
                for byte in request:
                    sock.sendall(bytes([byte]))
                    if stop.wait(interval):
                        return
        except OSError:
            pass  # cut off by the service: connect again


def streaming_client(service: LocalConnect, size: int, stop: threading.Event, counts: dict) -> None:
    chunk = b"x" * (256 * 1024)
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", service.port), timeout=60) as sock:
                counts["connections"] += 1
                sock.sendall(request_head(service, size))
                sent = 0
                while sent < size and not stop.is_set():
                    sock.sendall(chunk)
                    sent += len(chunk)
                    counts["bytes"] += len(chunk)
        except OSError:
            pass


def honest_client(service: LocalConnect, stop: threading.Event, results: list) -> None:
    client = service.client(total_max_attempts=1)
    instance = service.instance_id
    calls = [
        lambda: client.describe_instance(InstanceId=instance),
        lambda: client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API", Name="honest"),
        lambda: client.search_contacts(InstanceId=instance, MaxResults=10, TimeRange={
            "Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 4_102_444_800}),
    ]
    n = 0
    while not stop.is_set():
        started = time.monotonic()
        try:
            calls[n % len(calls)]()
            status = 200
        except botocore.exceptions.ClientError as error:
            status = error.response["ResponseMetadata"].get("HTTPStatusCode", 0)
        except botocore.exceptions.BotoCoreError:
            status = None
        results.append((status, time.monotonic() - started))
        n += 1


def phase(name: str, hostile, count: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="hostile-") as directory, \
            LocalConnect(Path(directory) / "connect.db") as service:
        baseline = proc_status(service.pid)
        stop = threading.Event()
        counts = {"connections": 0, "bytes": 0}
        results: list = []
        threads = [threading.Thread(target=hostile, args=(service, stop, counts), daemon=True) for _ in range(count)]
        for thread in threads:
            thread.start()
        honest = threading.Thread(target=honest_client, args=(service, stop, results), daemon=True)
        honest.start()
        peak_threads = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            peak_threads = max(peak_threads, proc_status(service.pid)["Threads"])
            time.sleep(0.2)
        status = proc_status(service.pid)
        stop.set()
        honest.join(timeout=120)
    errors = [seconds for code, seconds in results if code is None or code >= 500]
    slow = [seconds for _, seconds in results if seconds > 1.0]
    slowest = max((seconds for _, seconds in results), default=0.0)
    print(f"{name}: {count} clients, {seconds:.0f} s, {counts['connections']} hostile connections"
          + (f", {counts['bytes'] / MIB:.0f} MiB sent" if counts["bytes"] else ""))
    print(f"  honest requests tried {len(results)}, answers >= 500 or none {len(errors)}, over 1 s {len(slow)},"
          f" slowest {slowest:.2f} s")
    print(f"  service: peak RSS {status['VmHWM'] / 1024:.0f} MiB (at start {baseline['VmRSS'] / 1024:.0f} MiB),"
          f" peak threads {peak_threads}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=200, help="slow clients (default: %(default)s)")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between a slow client's bytes")
    parser.add_argument("--streams", type=int, default=40, help="streaming clients (default: %(default)s)")
    parser.add_argument("--size", type=int, default=30 * MIB, help="bytes each streaming client announces")
    parser.add_argument("--seconds", type=float, default=40.0, help="length of each phase (default: %(default)s)")
    args = parser.parse_args(argv)
    phase("slow clients", lambda service, stop, counts: slow_client(service, args.interval, stop, counts),
          args.slow, args.seconds)
    phase("streaming clients", lambda service, stop, counts: streaming_client(service, args.size, stop, counts),
          args.streams, args.seconds)


if __name__ == "__main__":
    main()
