"""The example stack exactly as the README runs it: `bash scripts/example-up` in a copy of the
repository's tracked files (what a fresh clone has), twice; then pointed at an endpoint that
cannot be reached, as a user mistyping it would."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
from pathlib import Path

import pytest
from tests.support.cli_project import AWS_VARIABLES
from tests.support.network import refusing_port

REPO_ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ("escalationContactArn", "escalationContactId", "followUpContactArn", "followUpContactId")
pytestmark = pytest.mark.timeout(1800)


def fresh_checkout(destination: Path) -> Path:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, check=True, capture_output=True,
                             text=True).stdout.split("\0")
    for name in filter(None, tracked):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    return destination


def example_up(checkout: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(["bash", "scripts/example-up"], cwd=checkout, env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, f"example-up failed:\n{result.stdout}\n{result.stderr}"
    return result


def pulumi(checkout: Path, env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The example's own CLI wrapper (`scripts/pulumi`), as a user runs it after example-up."""
    result = subprocess.run(["bash", "scripts/pulumi", *args], cwd=checkout, env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=600)
    assert not check or result.returncode == 0, f"pulumi {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_example_up_twice_from_a_fresh_checkout(tmp_path, pulumi_bin):
    checkout = fresh_checkout(tmp_path / "connect-contact")
    # The CLI already installed for this test run is the pinned one on PATH, which install-pulumi uses.
    env = {name: value for name, value in os.environ.items() if name not in AWS_VARIABLES}
    env["PATH"] = os.pathsep.join([str(pulumi_bin), env["PATH"]])
    try:
        first = example_up(checkout, env).stdout
        assert re.search(r"\+\s+pulumi-python:dynamic/connect:Contact: \(create\)", first), first
        outputs = first[first.rindex("Outputs:"):]
        for name in EXPORTS:
            assert re.search(rf"{name}\s*: \"[^\"]+\"", outputs), outputs
        assert re.search(r'escalationContactArn\s*: "arn:aws:connect:us-east-1:\d{12}:instance/[0-9a-f-]+/contact/', outputs)
        assert "+ 3 created" in first

        second = example_up(checkout, env).stdout
        assert "3 unchanged" in second, second
        assert "created" not in second.split("Outputs:")[0].split("Updating")[-1]
        # the state (contacts' secrets under an empty passphrase) is its owner's alone
        backend = checkout / ".pulumi-local"
        modes = {str(path.relative_to(checkout)): stat.S_IMODE(path.lstat().st_mode)
                 for path in [backend, *backend.rglob("*")] if not path.is_symlink()}
        assert any(name.endswith(".json") and "stacks" in name for name in modes), sorted(modes)
        shared = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
        assert shared == {}, shared

        # pointed at an endpoint nothing listens on, the example stops in one line, not a traceback
        with refusing_port() as port:
            endpoint = f"http://127.0.0.1:{port}"
            pulumi(checkout, env, "config", "set", "connect-contact:endpoint", endpoint)
            uncredentialed = pulumi(checkout, env, "up", "--yes", check=False)
            credentials = {"AWS_ACCESS_KEY_ID": "example", "AWS_SECRET_ACCESS_KEY": "example"}
            unreachable = pulumi(checkout, {**env, **credentials}, "up", "--yes", check=False)
        for refused, line in ((uncredentialed, "error: no AWS credentials: configure them"),
                              (unreachable, f"error: cannot reach Connect at {endpoint}: nothing listens on")):
            output = refused.stdout + refused.stderr
            assert refused.returncode != 0, output
            assert line in output and "Traceback" not in output, output
    finally:
        pid_file = checkout / ".connect-local" / "service.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
