"""The stack's runtime and the project's development tools are separate: `requirements.txt` (what
`scripts/example-up` installs into the stack's virtualenv) holds the provider's runtime alone, with
no pulumi-aws (whose presence makes Pulumi's language host ask for the aws plugin on every
command); `requirements-dev.txt` (what `.ci/run` installs) adds the tools; the [aws] extra and the
dev file pin pulumi-aws alike; the example imports pulumi_aws only for `createInstance: true`."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pulumi
import pytest
from packaging.requirements import Requirement

from tests.test_stack import CREATE_INSTANCE, run_example

REPO_ROOT = Path(__file__).resolve().parent.parent
RUNTIME = {"pulumi", "botocore", "regex"}
"""The provider's imports (pyproject's dependencies)."""
LOCAL = {"werkzeug", "boto3"}
"""The local Connect service's own imports beyond the provider's (the [local] extra): boto3 for the
clients of `connect_contact_local.testing`."""
DEVELOPMENT = {"pytest", "pytest-timeout", "hypothesis", "mypy", "waitress", "cheroot", "awscli"}


def requirements(name: str) -> tuple[dict[str, Requirement], list[str]]:
    """(requirements by name, included files) of one requirements file."""
    found, included = {}, []
    for line in (REPO_ROOT / name).read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text.startswith("-r "):
            included.append(text[3:].strip())
        elif text:
            requirement = Requirement(text)
            found[requirement.name] = requirement
    return found, included


def test_the_runtime_file_holds_the_runtime_alone():
    runtime, included = requirements("requirements.txt")
    assert set(runtime) == RUNTIME and included == []


def test_the_development_file_adds_the_tools_and_pulumi_aws_over_the_runtime():
    development, included = requirements("requirements-dev.txt")
    assert included == ["requirements.txt"]
    assert set(development) == DEVELOPMENT | LOCAL | {"pulumi-aws"}


def test_the_local_extra_and_the_development_file_pin_the_local_service_alike():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    extra = {requirement.name: requirement for requirement in map(Requirement, project["optional-dependencies"]["local"])}
    assert set(extra) == LOCAL
    assert {name: requirements("requirements-dev.txt")[0][name].specifier for name in LOCAL} == \
        {name: requirement.specifier for name, requirement in extra.items()}


def test_the_example_script_installs_the_local_extra():
    lines = [line for line in (REPO_ROOT / "scripts/example-up").read_text().splitlines() if "pip install" in line]
    assert any("-e '.[local]'" in line and "--no-deps" not in line for line in lines), lines


def test_the_aws_extra_and_the_development_file_pin_pulumi_aws_alike():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    [extra] = [Requirement(text) for text in project["optional-dependencies"]["aws"]]
    assert extra.name == "pulumi-aws"
    assert requirements("requirements-dev.txt")[0]["pulumi-aws"].specifier == extra.specifier
    assert {Requirement(text).name for text in project["dependencies"]} == RUNTIME


@pytest.mark.parametrize("script, installed", [("scripts/example-up", "requirements.txt"),
                                               (".ci/run", "requirements-dev.txt")])
def test_each_script_installs_its_own_file(script, installed):
    lines = [line for line in (REPO_ROOT / script).read_text().splitlines() if "pip install" in line and " -r " in line]
    assert [line.split(" -r ", 1)[1].split()[0] for line in lines] == [installed]


def test_the_example_without_create_instance_never_imports_pulumi_aws(monkeypatch):
    monkeypatch.setitem(sys.modules, "pulumi_aws", None)  # an import of it raises ImportError
    registered, _ = run_example(config={"connect-contact-example:instanceId": "instance-1"})
    assert sorted(registered) == ["escalation", "follow-up-email"]


def test_create_instance_without_pulumi_aws_says_how_to_install_it_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "pulumi_aws", None)
    with pytest.raises(pulumi.RunError, match=r"^createInstance: true makes the instance with pulumi-aws, which is "
                                              r"not installed: `.venv/bin/python -m pip install -e '.\[aws\]'`, then "
                                              r"`pulumi plugin install resource aws <its version>`[^\n]*$"):
        run_example(config=CREATE_INSTANCE)
