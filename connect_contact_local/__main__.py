"""Command line: run the local Amazon Connect contact service."""

from __future__ import annotations

import argparse
import logging
import math
import os
import signal
import sys
import textwrap
import threading
from pathlib import Path
from typing import Optional

from . import regions
from .admin import ENDPOINTS as ADMIN_ENDPOINTS
from .files import ADMIN_TOKEN_HEADER, DatabaseInUse, claim_database, new_admin_token, write_private
from .faults import START_OPTIONS, FaultSettings, flag, from_flag_value
from .server import MAX_CONNECTIONS, READ_TIMEOUT_SECONDS, REQUEST_DEADLINE_SECONDS, IdleWatch, make_service_server
from .service import IMPLEMENTED_OPERATIONS, ISSUED_CREDENTIALS, open_service

DEFAULT_PORT = 8911
DEFAULT_DB = Path(".connect-local") / "connect.db"
"""Where a project keeps its service's database (what `connect-contact:endpoint local` starts on)."""
ISSUED = ", ".join(f"access key {key!r}, secret {secret!r}" for key, secret in ISSUED_CREDENTIALS.items())

DESCRIPTION = """\
A local Amazon Connect contact service. It speaks Amazon Connect's REST-JSON
wire protocol (routes, shapes and errors from botocore's model), so boto3
talks to it as to AWS: point a client at it with endpoint_url (or
AWS_ENDPOINT_URL_CONNECT) and the credentials it issues (below).

Implemented: {implemented}. Any other operation answers InvalidRequestException
"<Operation> is not implemented by the local Connect service".

The first line printed on stdout carries the base URL (http://HOST:PORT);
the next ones the instance a fresh database gets (ID and ARN) and the
database path.

Requests must be signed (SigV4) with credentials the service issued: {issued}
(and those of --credentials-file); the signature is checked as AWS checks it.
They must name the service's own address in Host; the admin endpoints need the
token the service writes beside its database (DB.admin-token, readable by its
owner only, sent in the {header} header). Every file it writes is private (mode 0600).
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m connect_contact_local",
        description=DESCRIPTION.format(implemented=textwrap.fill(", ".join(IMPLEMENTED_OPERATIONS), 78,
                                                                 initial_indent=" " * 13)[13:],
                                       issued=ISSUED, header=ADMIN_TOKEN_HEADER),
        epilog="Admin endpoints (for tests):\n" + ADMIN_ENDPOINTS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, loopback)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database file (default: %(default)s)")
    parser.add_argument("--region", default="us-east-1",
                        help="the region of the instance a fresh database gets (default: %(default)s)")
    parser.add_argument("--no-default-instance", action="store_true",
                        help="a fresh database gets no instance (for clients that create their own)")
    parser.add_argument("--idle-timeout", type=float, default=0, metavar="SECONDS",
                        help="exit after this many seconds without a request (default: never)")
    parser.add_argument("--read-timeout", type=float, default=READ_TIMEOUT_SECONDS, metavar="SECONDS",
                        help="drop a client that sends nothing for this long (default: %(default)s)")
    parser.add_argument("--request-deadline", type=float, default=REQUEST_DEADLINE_SECONDS, metavar="SECONDS",
                        help="drop a client whose whole request has not arrived this long after it connected, "
                             "or that has not taken a write of its answer this long after it began "
                             "(default: %(default)s)")
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS, metavar="N",
                        help="serve at most this many connections at once; more wait to be accepted "
                             "(default: %(default)s)")
    parser.add_argument("--credentials-file", type=Path, metavar="FILE",
                        help="more credentials to accept, one 'ACCESS_KEY_ID SECRET_ACCESS_KEY' a line "
                             f"(besides the issued ones, {ISSUED})")
    parser.add_argument("--pid-file", type=Path, help="write the service's process ID here while it runs")
    parser.add_argument("--url-file", type=Path, help="write the service's base URL here while it runs")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    faults = parser.add_argument_group("fault injection (changeable at run time: POST /_local/faults)")
    for setting in START_OPTIONS:
        faults.add_argument(flag(setting.name), dest=setting.name, metavar=setting.metadata["metavar"],
                            help=setting.metadata["help"])
    return parser.parse_args(argv)


def fault_settings(args: argparse.Namespace) -> FaultSettings:
    return FaultSettings(**{setting.name: from_flag_value(setting, getattr(args, setting.name))
                            for setting in START_OPTIONS if getattr(args, setting.name) is not None})


def read_credentials(path: Optional[Path]) -> dict[str, str]:
    """{access key: secret key} from a file of 'ACCESS_KEY_ID SECRET_ACCESS_KEY' lines ('#' starts a comment)."""
    if path is None:
        return {}
    credentials = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 2:
            raise ValueError(f"--credentials-file {path}, line {number}: expected ACCESS_KEY_ID SECRET_ACCESS_KEY")
        credentials[words[0]] = words[1]
    return credentials


def main(argv=None) -> int:
    args = parse_args(argv)
    os.umask(0o077)  # the database, its WAL files, the token and the records: owner only
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = fault_settings(args)
        credentials = {**ISSUED_CREDENTIALS, **read_credentials(args.credentials_file)}
    except (ValueError, OSError) as error:
        print(f"connect_contact_local: {error}", file=sys.stderr)
        return 2
    for option, seconds in (("--read-timeout", args.read_timeout), ("--request-deadline", args.request_deadline)):
        if not (math.isfinite(seconds) and seconds > 0):
            print(f"connect_contact_local: {option} must be a positive number of seconds", file=sys.stderr)
            return 2
    if not regions.is_region(args.region):
        print(f"connect_contact_local: --region {args.region[:40]!r} is in no AWS partition; use one such as "
              "us-east-1", file=sys.stderr)
        return 2
    if args.max_connections < 1:
        print("connect_contact_local: --max-connections must be at least 1", file=sys.stderr)
        return 2
    # Listen first, then claim the database, and only then write beside it: a start that fails
    # (a busy port, a database another service holds) leaves every file as it found it.
    try:
        server = make_service_server(_not_yet_serving, args.host, args.port, verbose=args.verbose,
                                     read_timeout=args.read_timeout, max_connections=args.max_connections,
                                     request_deadline=args.request_deadline)
    except (OSError, SystemExit) as error:  # Werkzeug reports a busy port itself, then exits
        reason = f": {error}" if isinstance(error, OSError) else ""
        print(f"connect_contact_local: cannot listen on {args.host}:{args.port}{reason}", file=sys.stderr)
        return 1
    try:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        claim = claim_database(args.db)
    except (OSError, DatabaseInUse) as error:
        print(f"connect_contact_local: {error}", file=sys.stderr)
        server.server_close()
        return 1
    try:
        service = open_service(args.db, new_admin_token(args.db), region=args.region, faults=settings,
                               credentials=credentials, default_instance=not args.no_default_instance)
    except Exception as error:  # a database that cannot be opened: say so, without a traceback
        print(f"connect_contact_local: cannot open the database {args.db}: {error}", file=sys.stderr)
        server.server_close()
        claim.release()
        return 1
    idle = IdleWatch(args.idle_timeout)
    server.app = idle.wrap(service.app)
    def stop(*_signal) -> None:
        # shutdown() waits for serve_forever to return, so it must not run on the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    # Before the URL is printed: whoever reads it may signal at once.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{server.port}"
    records = {path: text for path, text in ((args.pid_file, str(os.getpid())), (args.url_file, url)) if path}
    for path, text in records.items():
        write_private(path, text + "\n")
    print(f"Local Amazon Connect service listening on {url}", flush=True)
    if service.instance is None:
        print("Instance none (--no-default-instance)", flush=True)
    else:
        print(f"Instance {service.instance['Id']} {service.instance['Arn']}", flush=True)
    print(f"Database {service.store.path.resolve()}", flush=True)
    idle.start(stop)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        service.close()
        _remove_own_records(records)
        claim.release()
    return 0


def _not_yet_serving(environ, start_response):
    raise RuntimeError("the service answers nothing before its database is open")


def _remove_own_records(records: dict[Path, str]) -> None:
    """Remove the PID and URL files, unless a newer service has written its own since."""
    for path, text in records.items():
        try:
            if path.read_text().strip() == text:
                path.unlink()
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
