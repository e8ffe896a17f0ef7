"""scripts/install-pulumi's choices, on a copy of the script beside the version pins: a pinned CLI
already on PATH, with the YAML language host beside it, is used as it is; one without that host is
not; with neither that nor Go, it stops with one line saying how to install Pulumi. In
.pulumi-cli/bin, the pinned CLI and a YAML host built from its module at the pinned release are
used as they are, and a YAML host that is not that build is built again, alone. (Building the CLI
from Go modules is what `.ci/run` does before the tests.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
YAML_PINNED = (REPO_ROOT / ".pulumi-yaml-version").read_text().strip()
CLI_PINNED = (REPO_ROOT / ".pulumi-version").read_text().strip()
NO_GO = ["/usr/bin", "/bin"]
"""PATH folders without Go (the tests check they have none)."""
YAML_HOST = "pulumi-language-yaml"
LAUNCHER = "pulumi-resource-pulumi-python"


def copy_of_the_script(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "install-pulumi", tmp_path / "scripts" / "install-pulumi")
    shutil.copy(REPO_ROOT / ".pulumi-version", tmp_path / ".pulumi-version")
    shutil.copy(REPO_ROOT / ".pulumi-yaml-version", tmp_path / ".pulumi-yaml-version")
    return tmp_path / "scripts" / "install-pulumi"


def run(script: Path, path: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(script)], env={**os.environ, "PATH": os.pathsep.join(path)},
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout)


def go_folder() -> str:
    go = shutil.which("go")
    assert go, "Go is needed to build the CLI and the YAML host"
    return str(Path(go).parent)


def main_module(binary: Path) -> list[str]:
    """The main module and its version, from Go's build info in the binary."""
    info = subprocess.run(["go", "version", "-m", str(binary)], capture_output=True, text=True, check=True).stdout
    [line] = [line.split() for line in info.splitlines() if line.split()[:1] == ["mod"]]
    return line[1:3]


def folder_of(tmp_path: Path, pulumi_bin: Path, *names: str) -> Path:
    """A folder holding links to the named files of the installed CLI's folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in names:
        (tmp_path / name).symlink_to(pulumi_bin / name)
    return tmp_path


def test_the_yaml_pin_is_a_release():
    assert re.fullmatch(r"\d+\.\d+\.\d+", YAML_PINNED), YAML_PINNED


def test_the_installed_yaml_host_is_the_pinned_release(pulumi_bin):
    assert main_module(pulumi_bin / YAML_HOST) == ["github.com/pulumi/pulumi-yaml", f"v{YAML_PINNED}"]


def test_a_pinned_cli_on_path_is_used_as_it_is(tmp_path, pulumi_bin):
    on_path = folder_of(tmp_path / "on-path", pulumi_bin, "pulumi", LAUNCHER, YAML_HOST)
    result = run(copy_of_the_script(tmp_path), [str(on_path), *NO_GO])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(on_path)
    assert not (tmp_path / ".pulumi-cli").exists()


def test_a_pinned_cli_on_path_without_the_yaml_host_is_not_used(tmp_path, pulumi_bin):
    on_path = folder_of(tmp_path / "on-path", pulumi_bin, "pulumi", LAUNCHER)
    result = run(copy_of_the_script(tmp_path), [str(on_path), *NO_GO])
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert f"no Pulumi CLI v{CLI_PINNED} and no Go" in line


def test_without_cli_or_go_it_stops_with_one_line(tmp_path):
    assert all(shutil.which("go", path=folder) is None for folder in NO_GO)
    result = run(copy_of_the_script(tmp_path), NO_GO)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert "https://www.pulumi.com/docs/install/" in line and "Go" in line


def test_the_pinned_cli_and_yaml_host_in_place_are_used_as_they_are(tmp_path, pulumi_bin):
    script = copy_of_the_script(tmp_path)
    bin_dir = folder_of(tmp_path / ".pulumi-cli" / "bin", pulumi_bin, "pulumi", LAUNCHER, YAML_HOST)
    result = run(script, [go_folder(), *NO_GO])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(bin_dir)]
    assert result.stderr == ""


def test_a_yaml_host_that_is_not_the_pinned_build_is_built_again_alone(tmp_path, pulumi_bin):
    script = copy_of_the_script(tmp_path)
    bin_dir = folder_of(tmp_path / ".pulumi-cli" / "bin", pulumi_bin, "pulumi", LAUNCHER)
    shutil.copy(pulumi_bin / LAUNCHER, bin_dir / YAML_HOST)  # present, but no build of pulumi-yaml
    result = run(script, [go_folder(), *NO_GO], timeout=900)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(bin_dir)
    assert f"built {YAML_HOST} v{YAML_PINNED} in " in result.stderr
    assert "building pulumi v" not in result.stderr
    assert (bin_dir / "pulumi").is_symlink()
    assert main_module(bin_dir / YAML_HOST) == ["github.com/pulumi/pulumi-yaml", f"v{YAML_PINNED}"]
