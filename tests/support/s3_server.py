"""A real S3-compatible server on loopback for the shared-state tests: MinIO, as scripts/install-minio
builds it, on a free port of 127.0.0.1 with a data folder and root credentials of its own.

It answers only on loopback, checks for no updates (MINIO_UPDATE=off) and serves no browser
console (MINIO_BROWSER=off), so it reaches nothing outside the machine.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

import boto3
import botocore.config

HOST = "127.0.0.1"
REGION = "us-east-1"
READY_PATH = "/minio/health/ready"
STARTUP_TIMEOUT = 120.0
"""An upper bound on starting, on a busy machine; the server is ready as soon as it says so."""
START_ATTEMPTS = 3
"""A free port found may be taken by another program before the server binds it: try again."""


class S3ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class S3Server:
    """A running MinIO server; `stop()` ends it."""

    process: subprocess.Popen
    port: int
    data_dir: Path
    log_path: Path
    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)

    @property
    def endpoint(self) -> str:
        """host:port, as a Pulumi backend URL's `endpoint` option takes it."""
        return f"{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def client(self):
        """A boto3 S3 client with the server's root credentials (path-style addressing)."""
        return boto3.session.Session().client(
            "s3", endpoint_url=self.url, region_name=REGION, aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def backend_url(self, bucket: str, *, profile: Optional[str] = None) -> str:
        """The `pulumi login` URL of `bucket` on this server; `profile`: the AWS profile (in the
        shared credentials file) whose keys the backend signs with, whatever AWS_* variables say.
        `response_checksum_validation=when_required`: MinIO sends no response checksums, and the
        backend's AWS SDK would otherwise warn of it on every read."""
        options = {"endpoint": self.endpoint, "disableSSL": "true", "s3ForcePathStyle": "true", "region": REGION,
                   "response_checksum_validation": "when_required"}
        if profile:
            options["profile"] = profile
        return f"s3://{bucket}?{urlencode(options)}"

    def write_credentials_file(self, path: Path, profile: str) -> Path:
        """An AWS shared credentials file holding this server's keys as `profile`, and nothing else."""
        path.write_text(f"[{profile}]\naws_access_key_id = {self.access_key}\n"
                        f"aws_secret_access_key = {self.secret_key}\n")
        return path

    def objects(self, bucket: str, prefix: str = "") -> list[str]:
        """Every key in `bucket` under `prefix`."""
        keys, params = [], {"Bucket": bucket, "Prefix": prefix}
        while True:
            page = self.client().list_objects_v2(**params)
            keys += [entry["Key"] for entry in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return keys
            params["ContinuationToken"] = page["NextContinuationToken"]

    def read(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(minio: Path, directory: Path) -> S3Server:
    """MinIO (the binary `minio`) on a free loopback port, its data and log in `directory`, with
    random root credentials; returns once its readiness endpoint answers 200."""
    directory.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = "root" + secrets.token_hex(6), secrets.token_urlsafe(24)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(directory), "MINIO_ROOT_USER": access_key,
           "MINIO_ROOT_PASSWORD": secret_key, "MINIO_UPDATE": "off", "MINIO_BROWSER": "off",
           "MINIO_CALLHOME_ENABLE": "off"}
    failures = []
    for attempt in range(START_ATTEMPTS):
        port = free_port()
        log_path = directory / f"minio-{attempt}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([str(minio), "server", "--quiet", "--address", f"{HOST}:{port}",
                                        str(directory / "data")], env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT)
        server = S3Server(process, port, directory / "data", log_path, access_key, secret_key)
        if _wait_until_ready(server):
            return server
        server.stop()
        failures.append(f"port {port}: {log_path.read_text(errors='replace').strip()[-500:] or 'no output'}")
    raise S3ServerError("MinIO did not start: " + "; ".join(failures))


def _wait_until_ready(server: S3Server) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while server.process.poll() is None and time.monotonic() < deadline:
        try:
            with opener.open(server.url + READY_PATH, timeout=5) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return False
