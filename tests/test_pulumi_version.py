"""The Pulumi CLI and the Python SDK are pinned together: the CLI's release in `.pulumi-version`,
the SDK's range in requirements.txt, on the same 3.x release line."""

from __future__ import annotations

import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI_VERSION = Version((REPO_ROOT / ".pulumi-version").read_text().strip())


def sdk_requirement(lines) -> Requirement:
    [requirement] = [Requirement(line.split("#")[0]) for line in lines
                     if line.split("#")[0].strip() and Requirement(line.split("#")[0]).name == "pulumi"]
    return requirement


def same_release_line(candidate: Version) -> bool:
    return candidate.release[:2] == CLI_VERSION.release[:2]


def test_requirements_pin_the_sdk_to_the_cli_release_line():
    requirement = sdk_requirement((REPO_ROOT / "requirements.txt").read_text().splitlines())
    assert requirement.specifier.contains(CLI_VERSION)
    next_line = Version(f"{CLI_VERSION.major}.{CLI_VERSION.minor + 1}.0")
    previous_line = Version(f"{CLI_VERSION.major}.{CLI_VERSION.minor - 1}.0")
    assert not requirement.specifier.contains(next_line) and not requirement.specifier.contains(previous_line)


def test_the_package_accepts_the_pinned_sdk():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert sdk_requirement(project["dependencies"]).specifier.contains(CLI_VERSION)


def test_installed_sdk_and_cli_are_the_pinned_release(pulumi_bin):
    assert same_release_line(Version(version("pulumi")))
    reported = subprocess.run([str(pulumi_bin / "pulumi"), "version"], capture_output=True, text=True, check=True)
    assert reported.stdout.strip() == f"v{CLI_VERSION}"
