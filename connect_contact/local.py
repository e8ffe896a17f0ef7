"""The project's own local Connect service: found, proven to be this project's, or started.

A project's service keeps everything in the project's `.connect-local/` (the
database, its admin token, its log `connect.db.log`, and while it runs `service.pid` and
`service.url`, which the service itself writes, so they are always true). A
service is used only after it proves it is this project's: it must answer the
admin info endpoint with this project's token and name this project's database
and its recorded process. Anything else on the port (another project's service,
another program) is never used: the service is started on a free port instead.

The service is a separate process (`python -m connect_contact_local`, the [local]
extra), so the provider never imports the local service's package.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from . import launcher, service_files
from .launcher import DATA_DIR, DEFAULT_PORT, HOST

if TYPE_CHECKING:
    import botocore.config
    import botocore.session

PORT_VARIABLE = "CONNECT_CONTACT_LOCAL_PORT"
DATABASE = DATA_DIR / "connect.db"
PID_FILE = DATA_DIR / "service.pid"
URL_FILE = DATA_DIR / "service.url"
LOG_FILE = service_files.log_path(DATABASE)
START_LOCK = DATA_DIR / "start.lock"
IDLE_TIMEOUT_SECONDS = 900
CREDENTIALS = launcher.PLACEHOLDER_CREDENTIALS
START_TIMEOUT_SECONDS = 30.0
PROBE_TIMEOUT_SECONDS = 5.0
INSTANCE_TOKEN = "connect-contact-local-instance"
"""The start of `instance_in`'s CreateInstance client token (the region follows)."""
INFO_PATH = "/_local/info"
"""The service's admin endpoint that says which database and process it is (its `admin.INFO`)."""


class LocalServiceError(RuntimeError):
    """The project's local service could not be found or started."""


@dataclass(frozen=True)
class LocalService:
    """A running local service that proved it is this project's."""

    url: str
    pid: int
    instance_id: str
    region: str
    project_dir: Path

    def still_running(self) -> bool:
        """Whether the service still runs and is still the one recorded for the project."""
        return _recorded(self.project_dir) == (self.pid, self.url) and _process_exists(self.pid)


def preferred_port() -> int:
    return int(os.environ.get(PORT_VARIABLE) or DEFAULT_PORT)


def ensure_running(project_dir: Optional[Path] = None, port: Optional[int] = None) -> LocalService:
    """The project's local service, started if it is not running (on `port`, or on a free port
    when something else holds that one)."""
    missing = launcher.not_installed()
    if missing is not None:
        raise LocalServiceError(missing)
    project_dir = Path(project_dir or Path.cwd()).resolve()
    data_dir = project_dir / DATA_DIR
    data_dir.mkdir(mode=service_files.PRIVATE_DIR_MODE, exist_ok=True)
    os.chmod(data_dir, service_files.PRIVATE_DIR_MODE)
    with _start_lock(project_dir):
        found = _verified(project_dir)
        if found is not None:
            return found
        for candidate in dict.fromkeys((port or preferred_port(), 0)):
            started = _start(project_dir, candidate)
            if started is not None:
                return started
    raise LocalServiceError(f"the local Connect service did not start; see {project_dir / LOG_FILE}")


def client(service: LocalService, config: Optional["botocore.config.Config"] = None, region: Optional[str] = None):
    """A botocore `connect` client for a local service, from a session that reads no AWS config
    files and no AWS_PROFILE: the user's AWS set-up has no say in talking to this machine.
    `config`: the client's retries and user agent (botocore's defaults without). `region`: the
    region its requests are signed for, whose instances they see (else the service's own)."""
    return client_maker(service, config, region)()


def client_maker(service: LocalService, config: Optional["botocore.config.Config"] = None,
                 region: Optional[str] = None) -> Callable[[], Any]:
    """Makes `client`s for a local service, every one from the same session."""
    session = hermetic_session()
    return lambda: session.create_client("connect", region_name=region or service.region, endpoint_url=service.url,
                                         config=config, **CREDENTIALS)


def instance_in(service: LocalService, region: str) -> str:
    """The ID of the local service's instance in `region`: its own instance in its own region; else
    the region's first, created on the first ask (with one client token per region, so callers
    racing each other get the same instance). Raises LocalServiceError, in one line, for a region
    the service refuses."""
    if region == service.region and service.instance_id:
        return service.instance_id
    import botocore.exceptions

    connect = client(service, region=region)
    try:
        listed = connect.list_instances(MaxResults=1)["InstanceSummaryList"]
        if listed:
            return listed[0]["Id"]
        return connect.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=f"local-connect-{region}",
                                       InboundCallsEnabled=True, OutboundCallsEnabled=True,
                                       ClientToken=f"{INSTANCE_TOKEN}-{region}")["Id"]
    except botocore.exceptions.ClientError as error:
        raise LocalServiceError(f"no instance in region {region!r}: {error.response['Error']['Message']}") from None
    except botocore.exceptions.BotoCoreError as error:
        raise LocalServiceError(f"no instance in region {region!r}: {error}") from None


def hermetic_session() -> botocore.session.Session:
    import botocore.session  # here: a program that only declares contacts never needs it

    session = botocore.session.Session(session_vars={
        "profile": (None, None, None, None),
        "config_file": (None, None, os.devnull, None),
        "credentials_file": (None, None, os.devnull, None),
    })
    return session


@contextmanager
def _start_lock(project_dir: Path) -> Iterator[None]:
    """One starter at a time per project (the program and the provider host may both ask)."""
    import fcntl  # here, not at the top: the package imports where there is no fcntl (Windows)

    descriptor = os.open(project_dir / START_LOCK, os.O_RDWR | os.O_CREAT, service_files.PRIVATE_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _recorded(project_dir: Path) -> Optional[tuple[int, str]]:
    try:
        pid = int((project_dir / PID_FILE).read_text().strip())
        url = (project_dir / URL_FILE).read_text().strip()
    except (OSError, ValueError):
        return None
    return pid, url


def _verified(project_dir: Path) -> Optional[LocalService]:
    """The recorded service, if it answers as this project's own."""
    recorded = _recorded(project_dir)
    if recorded is None or not _process_exists(recorded[0]):
        return None
    pid, url = recorded
    info = _info(url, project_dir / DATABASE)
    if info is None or info.get("pid") != pid or info.get("db_path") != str((project_dir / DATABASE).resolve()):
        return None
    return LocalService(url=url, pid=pid, instance_id=info["instance_id"], region=info["region"],
                        project_dir=project_dir)


def _info(url: str, database: Path) -> Optional[dict]:
    """The service's own account of itself, asked with this project's admin token."""
    try:
        token = service_files.read_admin_token(database)
    except OSError:
        return None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url + INFO_PATH, headers={service_files.ADMIN_TOKEN_HEADER: token})
    try:
        with opener.open(request, timeout=PROBE_TIMEOUT_SECONDS) as response:
            info = json.loads(response.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return info if isinstance(info, dict) else None


def _start(project_dir: Path, port: int) -> Optional[LocalService]:
    """Start the service on `port`; None if it could not listen there."""
    launched = launcher.launch(project_dir / DATABASE, host=HOST, port=port, url_file=project_dir / URL_FILE,
                               pid_file=project_dir / PID_FILE, log_path=project_dir / LOG_FILE, cwd=project_dir,
                               arguments=["--idle-timeout", str(IDLE_TIMEOUT_SECONDS)], new_session=True,
                               timeout=START_TIMEOUT_SECONDS)
    if launched is None:
        return None
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and launched.process.poll() is None:
        found = _verified(project_dir)
        if found is not None and found.pid == launched.process.pid:
            return found
        time.sleep(0.05)
    launched.process.kill()
    return None


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
