"""The local Connect service's WSGI app behind three HTTP servers: Werkzeug's as the service
runs it (`emulator/server.py`, which keeps a connection alive once a request was read to its
end; Werkzeug alone closes every one) and two others that keep connections alive, waitress and
cheroot.

    .venv/bin/python -m bench.server_keepalive            # 5 s per server and client count
    .venv/bin/python -m bench.server_keepalive --seconds 2

Each server runs in a process of its own on loopback, serving the same app on a fresh
database (waitress and cheroot with 8 threads, Werkzeug's a thread per connection). Clients
are threads with their own boto3 client (retries off) calling DescribeContact, the
provider's commonest call, in a loop. boto3 reuses a connection when the server keeps
it open. Prints requests per second and p50 latency, and the ratio to Werkzeug measured
in the same run. The servers not shipped must be installed to be measured
(`pip install waitress cheroot`); a missing one is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import boto3
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parent.parent
from connect_contact.launcher import PLACEHOLDER_CREDENTIALS

SERVE = textwrap.dedent("""
    import sys, socket
    from pathlib import Path
    from connect_contact_local.service import open_service
    from connect_contact_local.server import make_service_server
    from connect_contact_local.files import new_admin_token
    kind, db = sys.argv[1], sys.argv[2]
    service = open_service(db, new_admin_token(Path(db)))
    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
    print(port, service.instance["Id"], flush=True)
    def bound(environ, start_response):
        # waitress and cheroot name the machine, not the bound address, in SERVER_NAME; the service
        # accepts only a Host naming the address it listens on.
        environ["SERVER_NAME"] = "127.0.0.1"
        return service.app(environ, start_response)
    if kind == "werkzeug":
        make_service_server(service.app, "127.0.0.1", port).serve_forever()
    elif kind == "waitress":
        import waitress
        waitress.serve(bound, host="127.0.0.1", port=port, threads=8, _quiet=True)
    else:
        from cheroot.wsgi import Server
        Server(("127.0.0.1", port), bound, numthreads=8).start()
""")
SERVERS = ("werkzeug", "waitress", "cheroot")


def client(url: str):
    session = boto3.session.Session(region_name="us-east-1", **PLACEHOLDER_CREDENTIALS)
    return session.client("connect", endpoint_url=url, config=Config(retries={"total_max_attempts": 1}))


def wait_until_up(url: str, instance_id: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            client(url).describe_instance(InstanceId=instance_id)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def run(url: str, instance_id: str, contact_id: str, clients: int, seconds: float) -> tuple[float, float]:
    """(requests per second, p50 ms) of `clients` threads calling DescribeContact for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    start = threading.Barrier(clients)

    def work(index: int) -> None:
        own = client(url)
        for _ in range(20):  # warm up: model loaded, connection open
            own.describe_contact(InstanceId=instance_id, ContactId=contact_id)
        start.wait()
        deadline = time.perf_counter() + seconds
        while (now := time.perf_counter()) < deadline:
            own.describe_contact(InstanceId=instance_id, ContactId=contact_id)
            latencies[index].append(time.perf_counter() - now)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [latency for per_client in latencies for latency in per_client]
    return len(every) / seconds, 1000 * statistics.median(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,4")
    args = parser.parse_args()
    counts = [int(text) for text in args.clients.split(",")]
    results: dict[tuple[str, int], tuple[float, float]] = {}
    for kind in SERVERS:
        if kind != "werkzeug" and importlib.util.find_spec(kind) is None:
            print(f"{kind}: not installed, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="keepalive-") as directory:
            process = subprocess.Popen([sys.executable, "-c", SERVE, kind, str(Path(directory) / "connect.db")],
                                       stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT,
                                       env={"PYTHONPATH": str(REPO_ROOT), "PATH": ""})
            try:
                port, instance_id = process.stdout.readline().split()
                url = f"http://127.0.0.1:{port}"
                wait_until_up(url, instance_id)
                contact_id = client(url).create_contact(InstanceId=instance_id, Channel="TASK",
                                                        InitiationMethod="API", Name="n")["ContactId"]
                for count in counts:
                    results[(kind, count)] = run(url, instance_id, contact_id, count, args.seconds)
            finally:
                process.terminate()
                process.wait(timeout=10)
    print(f"DescribeContact on loopback, {args.seconds:g} s per run; ratio = requests per second / Werkzeug's")
    print(f"{'server':<10} {'clients':>7} {'requests/s':>11} {'p50 ms':>7} {'ratio':>6}")
    for (kind, count), (rate, p50) in results.items():
        base = results.get(("werkzeug", count), (rate, p50))[0]
        print(f"{kind:<10} {count:>7} {rate:>11.0f} {p50:>7.2f} {rate / base:>6.2f}")


if __name__ == "__main__":
    main()
