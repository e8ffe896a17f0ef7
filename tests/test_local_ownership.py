"""`endpoint: local` is the project's own local service: found by proof (its token, its
database, its recorded process), started when absent, never another project's service
or another program that happens to answer on the port."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tests.support.emulator_support import LOCAL_CREDENTIALS, all_contacts, end_local_service
from tests.support.engine import Engine
from tests.support.host import ProviderHost
from tests.support.lifecycle import contact

from connect_contact import local, service_files

ROOT = Path(__file__).resolve().parent.parent
RACE_TRIALS = 10
CREATE_IN_PROJECT = """
import sys
from connect_contact import local
service = local.ensure_running()
created = local.client(service).create_contact(InstanceId=service.instance_id, Channel="TASK",
                                               InitiationMethod="API", Name=sys.argv[1])
print(created["ContactId"])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def names_in_database(project_dir: Path) -> list[str]:
    with sqlite3.connect(f"file:{project_dir / local.DATABASE}?mode=ro", uri=True) as db:
        return sorted(json.loads(doc).get("Name") for (doc,) in db.execute("SELECT doc FROM contacts"))


def start_creating(project_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, local.PORT_VARIABLE: str(port), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CREATE_IN_PROJECT, project_dir.name], cwd=project_dir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.timeout(240)
def test_two_projects_racing_each_get_their_own_service(tmp_path):
    landed_home = 0
    for trial in range(RACE_TRIALS):
        projects = [tmp_path / f"trial{trial}-project-{side}" for side in ("a", "b")]
        for project in projects:
            project.mkdir()
        port = free_port()
        try:
            racers = [start_creating(project, port) for project in projects]
            for racer in racers:
                _, stderr = racer.communicate(timeout=60)
                assert racer.returncode == 0, stderr
            services = [local.ensure_running(project) for project in projects]
            assert services[0].url != services[1].url and services[0].pid != services[1].pid
            assert {service.url for service in services} >= {f"http://127.0.0.1:{port}"}
            for project, service in zip(projects, services):
                assert names_in_database(project) == [project.name]
                assert (project / local.URL_FILE).read_text().strip() == service.url
                assert int((project / local.PID_FILE).read_text()) == service.pid
            landed_home += 1
        finally:
            for project in projects:
                end_local_service(project)
    assert landed_home == RACE_TRIALS


def test_another_program_on_the_port_is_never_used(project, monkeypatch):
    class Impostor(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"instance_id": "impostor", "region": "us-east-1", "pid": os.getpid(),
                               "db_path": str((project / local.DATABASE).resolve())}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    impostor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Impostor)
    threading.Thread(target=impostor.serve_forever, daemon=True).start()
    port = impostor.server_address[1]
    (project / local.DATA_DIR).mkdir()
    (project / local.URL_FILE).write_text(f"http://127.0.0.1:{port}\n")  # a stale record naming the impostor
    (project / local.PID_FILE).write_text(f"{os.getpid()}\n")
    try:
        service = local.ensure_running(project, port=port)
    finally:
        impostor.shutdown()
    assert service.url != f"http://127.0.0.1:{port}" and service.instance_id != "impostor"
    assert (project / local.URL_FILE).read_text().strip() == service.url
    assert int((project / local.PID_FILE).read_text()) == service.pid != os.getpid()
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (
        project / local.DATABASE, project / local.LOG_FILE, project / local.PID_FILE, project / local.URL_FILE,
        service_files.admin_token_path(project / local.DATABASE))}
    assert set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE((project / local.DATA_DIR).stat().st_mode) == 0o700


def test_an_exited_service_is_started_again_by_the_next_call(project):
    with ProviderHost(cwd=project, env=LOCAL_CREDENTIALS, pythonpath=(ROOT,)) as host:
        engine = Engine(host, config={"connect-contact:endpoint": "local"})
        first = local.ensure_running(project)
        registered = contact("before", first.instance_id, name="before")
        engine.up(registered.urn, registered.object)
        os.kill(first.pid, signal.SIGTERM)  # as its idle timeout would end it
        deadline = time.monotonic() + 30
        while (project / local.PID_FILE).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        registered = contact("after", first.instance_id, name="after")
        engine.up(registered.urn, registered.object)
        second = local.ensure_running(project)
    assert second.pid != first.pid
    names = {found.get("Name") for found in all_contacts(local.client(second), second.instance_id)}
    assert names == {"before", "after"}


@pytest.mark.parametrize("port_option", ["default port", "free port"])
def test_a_failed_manual_start_leaves_the_running_service_its_files(project, port_option):
    running = local.ensure_running(project, port=free_port())
    beside = {path.name: path.read_bytes() for path in (
        service_files.admin_token_path(project / local.DATABASE), project / local.PID_FILE, project / local.URL_FILE)}
    arguments = ["--port", str(running.url.rsplit(":", 1)[1])] if port_option == "default port" else ["--port", "0"]
    # With the default --db, as a user would type it in the project's folder.
    result = subprocess.run([sys.executable, "-m", "connect_contact_local", *arguments], cwd=project,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert {name: (project / local.DATA_DIR / name).read_bytes() for name in beside} == beside
    again = local.ensure_running(project)
    assert (again.pid, again.url) == (running.pid, running.url)
