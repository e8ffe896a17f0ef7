"""The offline environment's backend (scripts/offline_pulumi.py): the project's file backend,
until a `pulumi login <URL>` in the project's Pulumi home chooses another (a team's S3 bucket),
and again after `pulumi logout`. A PULUMI_BACKEND_URL of the caller's shell never decides.
(The shared-state tests log in to a real S3 server through it.)"""

from __future__ import annotations

import json
from pathlib import Path

from scripts.offline_pulumi import backend_dir, environment

SHELL = {"PATH": "/usr/bin", "PULUMI_BACKEND_URL": "https://api.example.com"}
BUCKET = "s3://team-state?endpoint=127.0.0.1:9000&disableSSL=true&s3ForcePathStyle=true"


def logged_in(project: Path, current: str) -> None:
    home = backend_dir(project) / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "credentials.json").write_text(json.dumps({"current": current, "accounts": {current: ""}}))


def test_the_projects_file_backend_by_default(tmp_path):
    env = environment(tmp_path, tmp_path, base=SHELL)
    assert env["PULUMI_BACKEND_URL"] == backend_dir(tmp_path).as_uri()
    assert env["PULUMI_HOME"] == str(backend_dir(tmp_path) / "home")


def test_the_backend_a_login_chose(tmp_path):
    logged_in(tmp_path, BUCKET)
    env = environment(tmp_path, tmp_path, base=SHELL)
    assert "PULUMI_BACKEND_URL" not in env  # the CLI uses the login recorded in PULUMI_HOME
    assert env["PULUMI_HOME"] == str(backend_dir(tmp_path) / "home")


def test_the_file_backend_again_after_logout(tmp_path):
    logged_in(tmp_path, "")  # what `pulumi logout` leaves
    assert environment(tmp_path, tmp_path, base=SHELL)["PULUMI_BACKEND_URL"] == backend_dir(tmp_path).as_uri()


def test_login_and_logout_choose_the_backend_themselves(tmp_path):
    assert "PULUMI_BACKEND_URL" not in environment(tmp_path, tmp_path, base=SHELL, choose_backend=True)
