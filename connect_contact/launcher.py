"""Start a local Connect service process and wait until it listens: the one launcher that the
project's service (`local`) and the test harness (`testing`) share.

Readiness has one protocol: the service writes its base URL to its `--url-file` once it listens
(its admin token is written before that), and removes it when it exits. The launcher waits for
that file while the process lives; a process that exits first could not start (a busy port, a
database it cannot open), and its log says why.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

from . import service_files

HOST = "127.0.0.1"
DEFAULT_PORT = 8911
DATA_DIR = Path(".connect-local")
"""Where a project keeps its local service's database, log and records."""
PLACEHOLDER_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
"""The credentials every local service issues: it accepts requests signed with them (and with
those of its --credentials-file), and checks each signature as AWS does."""


SERVICE_MODULE = "connect_contact_local"
"""The local service's package, run as `python -m connect_contact_local` and never imported here."""
SERVICE_NEEDS = (SERVICE_MODULE, "werkzeug")
"""What `python -m connect_contact_local` imports that the provider does not (the [local] extra)."""


def not_installed() -> Optional[str]:
    """Why the local service cannot run here (its package or its [local] extra is missing), or None."""
    missing = [name for name in SERVICE_NEEDS if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (f"the local Connect service needs {', '.join(missing)}, which is not installed: "
            "`pip install 'connect-contact[local]'`")


@dataclass(frozen=True)
class Launched:
    process: subprocess.Popen
    url: str


def launch(db_path: Path, *, port: int, url_file: Path, log_path: Path, host: str = HOST,
           arguments: Sequence[str] = (), pid_file: Optional[Path] = None, cwd: Optional[Path] = None,
           env: Optional[Mapping[str, str]] = None, new_session: bool = False,
           timeout: float = 30.0) -> Optional[Launched]:
    """Start `python -m connect_contact_local` on `db_path` and `host:port` (0: a free port);
    the running service and its URL, or None if it exited or did not listen within `timeout`."""
    for record in (url_file, pid_file):
        if record is not None:
            record.unlink(missing_ok=True)  # a stale record must not pass for the new process's
    command = [sys.executable, "-m", SERVICE_MODULE, "--host", host, "--port", str(port),
               "--db", str(db_path), "--url-file", str(url_file), *arguments]
    if pid_file is not None:
        command += ["--pid-file", str(pid_file)]
    with service_files.open_private_log(log_path) as log:
        process = subprocess.Popen(command, cwd=cwd, env=None if env is None else dict(env),
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=new_session)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            url = url_file.read_text().strip()
        except OSError:
            url = ""
        if url:
            return Launched(process, url)
        time.sleep(0.02)
    process.kill()
    process.wait()
    return None


def log_tail(log_path: Path, lines: int = 5) -> str:
    """The last lines of a service's log, on one line."""
    try:
        return " | ".join(log_path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""
