"""Find, or start in the background, the local Connect service on its default port.

This is what a stack talks to when no AWS account is configured. It starts the
service as a separate process (`python -m connect_contact.emulator`), so the
provider never imports the emulator package.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Optional
from pathlib import Path
from urllib.parse import urlparse

import boto3

HOST = "127.0.0.1"
PORT = int(os.environ.get("CONNECT_CONTACT_LOCAL_PORT", "8911"))
DATA_DIR = Path(".connect-local")
DATABASE = DATA_DIR / "connect.db"
PID_FILE = DATA_DIR / "service.pid"
IDLE_TIMEOUT_SECONDS = 900
CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
START_TIMEOUT_SECONDS = 20.0


def url(port: int = PORT) -> str:
    return f"http://{HOST}:{port}"


def is_loopback(endpoint: str) -> bool:
    """Whether `endpoint` is a service on this machine (such as the local Connect service)."""
    host = urlparse(endpoint).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")


def is_running(port: int = PORT) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def ensure_running(port: int = PORT) -> str:
    """The URL of the local service on `port`, starting it if nothing answers: data in
    .connect-local/, its log in service.log and its process ID in service.pid there."""
    if not is_running(port):
        DATA_DIR.mkdir(exist_ok=True)
        log = open(DATA_DIR / "service.log", "ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "connect_contact.emulator", "--host", HOST, "--port", str(port),
             "--db", str(DATABASE), "--idle-timeout", str(IDLE_TIMEOUT_SECONDS)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
        )
        PID_FILE.write_text(f"{process.pid}\n")
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not is_running(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local Connect service did not start on {url(port)}; see {DATA_DIR / 'service.log'}")
            time.sleep(0.05)
    return url(port)


def first_instance_id(endpoint: str, credentials: Optional[dict] = None) -> str:
    """The ID of the first Connect instance the service at `endpoint` lists."""
    client = boto3.client("connect", region_name="us-east-1", endpoint_url=endpoint, **(credentials or CREDENTIALS))
    instances = client.list_instances()["InstanceSummaryList"]
    if not instances:
        raise RuntimeError(f"the Connect service at {endpoint} has no instance")
    return instances[0]["Id"]
