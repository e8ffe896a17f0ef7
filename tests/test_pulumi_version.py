"""The Pulumi CLI and the Python SDK are pinned together: the CLI's release in `.pulumi-version`,
the SDK's release line in requirements.txt.

The SDK may trail the CLI by at most `MAX_SDK_LAG` minor releases and never lead it: the CLI
runs programs of older SDKs, and Pulumi publishes the two on separate channels, so the newest
SDK on PyPI and the newest CLI release of the Go modules need not be the same release.
"""

from __future__ import annotations

import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI_VERSION = Version((REPO_ROOT / ".pulumi-version").read_text().strip())
MAX_SDK_LAG = 2


def sdk_requirement(lines) -> Requirement:
    requirements = [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]
    [requirement] = [requirement for requirement in requirements if requirement.name == "pulumi"]
    return requirement


def pinned_sdk_minor() -> int:
    """The one 3.x minor release line requirements.txt allows."""
    specifier = sdk_requirement((REPO_ROOT / "requirements.txt").read_text().splitlines()).specifier
    allowed = [minor for minor in range(CLI_VERSION.minor - 20, CLI_VERSION.minor + 20)
               if specifier.contains(Version(f"{CLI_VERSION.major}.{minor}.0"))
               or specifier.contains(Version(f"{CLI_VERSION.major}.{minor}.9"))]
    assert len(allowed) == 1, f"requirements.txt must pin the SDK to one release line, not {allowed}"
    return allowed[0]


def test_the_sdk_pin_is_at_most_two_releases_behind_the_cli_and_never_ahead():
    assert 0 <= CLI_VERSION.minor - pinned_sdk_minor() <= MAX_SDK_LAG


def test_the_package_accepts_the_pinned_sdk():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert sdk_requirement(project["dependencies"]).specifier.contains(f"{CLI_VERSION.major}.{pinned_sdk_minor()}.0")


def test_installed_sdk_and_cli_are_the_pinned_releases(pulumi_bin):
    assert Version(version("pulumi")).release[:2] == (CLI_VERSION.major, pinned_sdk_minor())
    reported = subprocess.run([str(pulumi_bin / "pulumi"), "version"], capture_output=True, text=True, check=True)
    assert reported.stdout.strip() == f"v{CLI_VERSION}"
