"""Run the local Amazon Connect service from your own tests.

    from connect_contact_local.testing import local_connect

    with local_connect() as connect:
        client = connect.client()
        client.create_contact(InstanceId=connect.instance_id, Channel="TASK", InitiationMethod="API")

The service runs as a subprocess (``python -m connect_contact_local``), so a
test can kill it (SIGKILL) and restart it on the same database. Fault options
(``FAULT_OPTIONS``: the settings of ``faults.FaultSettings`` a service can start with)
start it with those faults; ``set_faults`` changes them while it runs.

It lives with the service, whose fault options and admin endpoints it steers; it starts
the service as a process and imports no more of this package than those two facts. For unit
tests of programs under Pulumi's mocks, ``connect_contact.mocks.ContactMocks`` checks each
``Contact`` as the provider does, with no service at all.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import boto3
from botocore.config import Config

from connect_contact import launcher, service_files

from . import admin, faults, files

FAULT_OPTIONS = tuple(setting.name for setting in faults.START_OPTIONS)
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class ServiceStartError(RuntimeError):
    """The local Connect service did not come up."""


class LocalConnect:
    """A local Connect service running as a subprocess, and the handles a test needs.

    Attributes once started: ``url``, ``port``, ``instance_id``, ``instance_arn``,
    ``db_path``, ``region``, ``log_path`` (the service's stderr), ``pid`` and
    ``admin_token`` (what the ``/_local/`` endpoints require, read from the token file
    the service writes beside its database; the steering methods below send it).
    """

    def __init__(self, db_path: str | os.PathLike | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 region: str = "us-east-1", startup_timeout: float = 30.0, read_timeout: Optional[float] = None,
                 request_deadline: Optional[float] = None, max_connections: Optional[int] = None,
                 credentials: Optional[dict[str, str]] = None, **fault_options: Any):
        unknown = set(fault_options) - set(FAULT_OPTIONS)
        if unknown:
            raise TypeError(f"unknown fault options: {', '.join(sorted(unknown))}; use {', '.join(FAULT_OPTIONS)}")
        self._own_dir = tempfile.mkdtemp(prefix="connect-local-") if db_path is None else None
        self.db_path = Path(db_path) if db_path is not None else Path(self._own_dir) / "connect.db"
        self.log_path = service_files.log_path(self.db_path)
        self._url_file = self.db_path.with_name(self.db_path.name + ".url")
        self.host = host
        self.port = port
        self.region = region
        self.startup_timeout = startup_timeout
        self.read_timeout = read_timeout
        self.limits = {"--request-deadline": request_deadline, "--max-connections": max_connections}
        self.credentials = dict(credentials or {})
        """Access key -> secret key the service accepts besides the issued ones (`launcher.PLACEHOLDER_CREDENTIALS`)."""
        self.fault_options = {name: value for name, value in fault_options.items() if value is not None}
        self.url: Optional[str] = None
        self.instance_id: Optional[str] = None
        self.instance_arn: Optional[str] = None
        self.admin_token: Optional[str] = None
        self._process: Optional[subprocess.Popen] = None
        self._session = boto3.session.Session(region_name=region, **launcher.PLACEHOLDER_CREDENTIALS)
        self._session_lock = threading.Lock()
        self._admin_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- process lifecycle

    @property
    def pid(self) -> Optional[int]:
        return self._process.pid if self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> "LocalConnect":
        """Start the service; its URL and instance are known when this returns."""
        if self.is_running():
            return self
        self._launch(self.port)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """End the service gracefully (SIGTERM), or kill it if it does not end in `timeout` seconds."""
        if self.is_running():
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap()

    def kill(self) -> None:
        """SIGKILL: the process dies at once, mid-request if need be."""
        if self.is_running():
            self._process.kill()
        self._reap()

    def restart(self) -> "LocalConnect":
        """Stop (if running) and start again on the same database, on the same port if it is free."""
        self.stop()
        if self.port:
            try:
                self._launch(self.port)
                return self
            except ServiceStartError:
                pass
        self._launch(0)
        return self

    def close(self) -> None:
        """Stop the service and remove the temporary directory this object created, if any."""
        self.stop()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)

    def __enter__(self) -> "LocalConnect":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- clients

    def client(self, *, total_max_attempts: Optional[int] = None, config: Optional[Config] = None, **kwargs: Any):
        """A boto3 Connect client for this service (dummy credentials). `total_max_attempts=1`
        turns retries off; other keyword arguments go to `Session.client`."""
        if total_max_attempts is not None:
            retries = Config(retries={"total_max_attempts": total_max_attempts, "mode": "standard"})
            config = retries.merge(config) if config is not None else retries
        with self._session_lock:  # creating clients from one session is not thread-safe
            return self._session.client("connect", endpoint_url=self.url, config=config, **kwargs)

    def aws_environment(self) -> dict[str, str]:
        """Environment variables that point any AWS SDK's Connect client at this service."""
        return {
            "AWS_ENDPOINT_URL_CONNECT": self.url,
            "AWS_ACCESS_KEY_ID": launcher.PLACEHOLDER_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": launcher.PLACEHOLDER_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    # -- steering (the /_local/ admin endpoints)

    def set_faults(self, **settings: Any) -> dict:
        """Change some fault settings (the others are kept); returns all of them."""
        return self._admin("POST", admin.FAULTS, settings)

    def clear_faults(self) -> dict:
        """No faults from now on (including those given at start; a restart brings those back)."""
        return self._admin("POST", admin.FAULTS_RESET)

    def faults(self) -> dict:
        return self._admin("GET", admin.FAULTS)

    def stats(self) -> dict:
        """{"requests": {operation: n}, "succeeded": {...}, "errors", "throttled", "failed", "dropped", "total": {kind: n}}"""
        return self._admin("GET", admin.STATS)

    def reset_stats(self) -> dict:
        return self._admin("POST", admin.STATS_RESET)

    def advance_clock(self, seconds: float) -> float:
        """Move the service's clock forward by `seconds`; returns its new now (epoch seconds)."""
        return self._admin("POST", admin.CLOCK, {"advance_seconds": seconds})["now"]

    def set_clock(self, epoch_seconds: float) -> float:
        return self._admin("POST", admin.CLOCK, {"set": epoch_seconds})["now"]

    def now(self) -> float:
        return self._admin("GET", admin.CLOCK)["now"]

    # -- internals

    def _launch(self, port: int) -> None:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        arguments = ["--region", self.region, *_fault_flags(self.fault_options)]
        for option, value in {"--read-timeout": self.read_timeout, **self.limits}.items():
            if value is not None:
                arguments += [option, str(value)]
        if self.credentials:
            credentials_file = self.db_path.with_name(self.db_path.name + ".credentials")
            files.write_private(credentials_file, "".join(
                f"{key} {secret}\n" for key, secret in self.credentials.items()))
            arguments += ["--credentials-file", str(credentials_file)]
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, environment.get("PYTHONPATH")]))
        launched = launcher.launch(self.db_path, host=self.host, port=port, url_file=self._url_file,
                                   log_path=self.log_path, arguments=arguments, env=environment,
                                   timeout=self.startup_timeout)
        if launched is None:
            raise ServiceStartError(f"the local Connect service did not start (port {port}): "
                                    f"{launcher.log_tail(self.log_path) or 'no output'}")
        self._process, self.url = launched.process, launched.url
        self.port = int(self.url.rsplit(":", 1)[1])
        self.admin_token = files.admin_token_path(self.db_path).read_text().strip()  # written before the URL
        info = self._admin("GET", admin.INFO)
        self.instance_id, self.instance_arn = info["instance_id"], info["instance_arn"]

    def _reap(self) -> None:
        if self._process is not None:
            self._process.wait()
            self._process = None

    def _admin(self, method: str, path: str, body: Optional[dict] = None) -> dict:
        data = json.dumps(body).encode("utf-8") if body is not None else (b"" if method == "POST" else None)
        headers = {"Content-Type": "application/json", files.ADMIN_TOKEN_HEADER: self.admin_token or ""}
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with self._admin_opener.open(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read() or b"{}")
            raise ValueError(f"{method} {path}: {answer.get('message') or answer.get('Message')}") from None


@contextmanager
def local_connect(db_path: str | os.PathLike | None = None, **options: Any) -> Iterator[LocalConnect]:
    """A running local Connect service for the duration of the block (see `LocalConnect`)."""
    service = LocalConnect(db_path, **options)
    try:
        yield service.start()
    finally:
        service.close()


def _fault_flags(options: dict) -> list[str]:
    return [text for name, value in options.items() for text in (faults.flag(name), faults.to_flag_value(name, value))]
