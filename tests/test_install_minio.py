"""scripts/install-minio's choices, on a copy of the script beside the version pin: a build of the
pinned version already in .minio/bin is used as it is, a build of another version is not, and with
no build and no Go it stops with one line. (Building from the Go module is what `.ci/run` does
before the tests.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PINNED = (REPO_ROOT / ".minio-version").read_text().strip()
NO_GO = "/usr/bin:/bin"
"""A PATH without Go (the tests check it has none)."""


def copy_of_the_script(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "install-minio", tmp_path / "scripts" / "install-minio")
    shutil.copy(REPO_ROOT / ".minio-version", tmp_path / ".minio-version")
    return tmp_path / "scripts" / "install-minio"


def a_build_of(tmp_path: Path, version: str) -> Path:
    """A stand-in for a finished build in .minio/bin: the binary and the stamp of its version."""
    bin_dir = tmp_path / ".minio" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "minio").write_text("#!/bin/sh\n")
    (bin_dir / "minio").chmod(0o755)
    (bin_dir / "minio.version").write_text(version + "\n")
    return bin_dir


def run(script: Path, path: str = NO_GO) -> subprocess.CompletedProcess:
    assert shutil.which("go", path=path) is None
    return subprocess.run(["bash", str(script)], env={**os.environ, "PATH": path}, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_the_pin_is_an_exact_module_version():
    assert re.fullmatch(r"v\d+\.\d+\.\d+-\d{14}-[0-9a-f]{12}", PINNED), PINNED


def test_a_build_of_the_pinned_version_is_used_as_it_is(tmp_path):
    bin_dir = a_build_of(tmp_path, PINNED)
    result = run(copy_of_the_script(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(bin_dir)


def test_a_build_of_another_version_is_not_used(tmp_path):
    a_build_of(tmp_path, "v0.0.0-20200101000000-000000000000")
    result = run(copy_of_the_script(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert PINNED in line and "Go" in line


def test_without_a_build_or_go_it_stops_with_one_line(tmp_path):
    result = run(copy_of_the_script(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line == f"install-minio: no MinIO {PINNED} in .minio/bin and no Go to build it: install Go and run this again"
