"""Sustained CreateContact throughput of the local Connect service, on loopback.

    .venv/bin/python -m bench.emulator_throughput               # 10 s with 1 client, then 4
    .venv/bin/python -m bench.emulator_throughput --requests 2000 # 2000 requests per client instead
    .venv/bin/python -m bench.emulator_throughput --url http://127.0.0.1:8911   # an already running service

Each client is a thread with its own boto3 client (own session, retries off) and
its own ClientTokens, so every request creates a contact. Without --url the
service is started as a subprocess on a temporary database, as tests start it.
Prints requests per second and p50 / p95 latency per client count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config

from connect_contact.launcher import PLACEHOLDER_CREDENTIALS
from connect_contact_local.testing import LocalConnect

WARM_UP_REQUESTS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="measure this long per run (default: %(default)s)")
    parser.add_argument("--requests", type=int, help="requests per client instead of a duration")
    parser.add_argument("--clients", default="1,4", help="client counts to run, comma-separated (default: %(default)s)")
    parser.add_argument("--url", help="benchmark this running service instead of starting one")
    return parser.parse_args()


def connect_client(url: str):
    session = boto3.session.Session(region_name="us-east-1", **PLACEHOLDER_CREDENTIALS)
    return session.client("connect", endpoint_url=url, config=Config(retries={"total_max_attempts": 1}))


def first_instance(url: str) -> str:
    return connect_client(url).list_instances()["InstanceSummaryList"][0]["Id"]


def run(url: str, instance_id: str, clients: int, seconds: float, requests: int | None) -> dict:
    """Every client creates contacts until the time (or its request count) is up."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    run_id = uuid.uuid4().hex[:8]
    began, deadline = [0.0], [0.0]

    def start_clock() -> None:  # runs once everyone is warmed up, before anyone is released
        began[0] = time.perf_counter()
        deadline[0] = began[0] + seconds

    ready = threading.Barrier(clients + 1, action=start_clock)

    def client_loop(index: int) -> None:
        client = connect_client(url)
        for n in range(WARM_UP_REQUESTS):
            client.create_contact(InstanceId=instance_id, Channel="TASK", InitiationMethod="API",
                                  ClientToken=f"warm-{run_id}-{index}-{n}")
        ready.wait()
        n = 0
        while (requests is None and time.perf_counter() < deadline[0]) or (requests is not None and n < requests):
            started = time.perf_counter()
            try:
                client.create_contact(InstanceId=instance_id, Channel="TASK", InitiationMethod="API",
                                      Name=f"bench {n}", ClientToken=f"bench-{run_id}-{index}-{n}")
                latencies[index].append(time.perf_counter() - started)
            except Exception:  # counted, not fatal: a benchmark reports what happened
                errors[index] += 1
            n += 1

    threads = [threading.Thread(target=client_loop, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began[0]
    every = sorted(latency for per_client in latencies for latency in per_client)
    quantiles = statistics.quantiles(every, n=100) if len(every) >= 2 else [every[0]] * 99
    return {"clients": clients, "requests": len(every), "errors": sum(errors), "seconds": elapsed,
            "rps": len(every) / elapsed, "p50_ms": quantiles[49] * 1000, "p95_ms": quantiles[94] * 1000}


def main() -> int:
    args = parse_args()
    counts = [int(count) for count in args.clients.split(",")]
    service = None
    url = args.url
    if url is None:
        service = LocalConnect().start()
        url = service.url
    try:
        instance_id = first_instance(url)
        print(f"CreateContact against {url} ({'%d requests per client' % args.requests if args.requests else '%.0f s per run' % args.seconds})")
        print(f"{'clients':>7} {'requests':>9} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}")
        for clients in counts:
            result = run(url, instance_id, clients, args.seconds, args.requests)
            print(f"{result['clients']:>7} {result['requests']:>9} {result['errors']:>6} {result['rps']:>8.0f}"
                  f" {result['p50_ms']:>7.2f} {result['p95_ms']:>7.2f}", flush=True)
    finally:
        if service is not None:
            service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
