"""scripts/install-pulumi's choices, on a copy of the script beside the version pin: a pinned CLI
already on PATH is used as it is; with neither that nor Go, it stops with one line saying how to
install Pulumi. (Building from Go modules is what `.ci/run` does before the tests.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def copy_of_the_script(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "install-pulumi", tmp_path / "scripts" / "install-pulumi")
    shutil.copy(REPO_ROOT / ".pulumi-version", tmp_path / ".pulumi-version")
    return tmp_path / "scripts" / "install-pulumi"


def run(script: Path, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(script)], env={**os.environ, "PATH": path}, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_a_pinned_cli_on_path_is_used_as_it_is(tmp_path, pulumi_bin):
    result = run(copy_of_the_script(tmp_path), os.pathsep.join([str(pulumi_bin), "/usr/bin", "/bin"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(pulumi_bin)
    assert not (tmp_path / ".pulumi-cli").exists()


def test_without_cli_or_go_it_stops_with_one_line(tmp_path):
    result = run(copy_of_the_script(tmp_path), "/usr/bin:/bin")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert "https://www.pulumi.com/docs/install/" in line and "Go" in line
