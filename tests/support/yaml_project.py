"""Harness of the Pulumi YAML tests: a YAML project in a temporary folder, run by the plain `pulumi`
CLI (no Automation API) through Pulumi YAML's language host, against the provider plugin
`pulumi-resource-connect-contact` and a local Connect service the test starts.

The engine finds the plugin and the YAML host on PATH (the virtualenv's `bin`, where the package
installs the plugin's console script, and the folder scripts/install-pulumi installs into). State is
a file backend in the project folder, `PULUMI_HOME` beside it, the passphrase empty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from .cli_project import STACK, CliCommands, cli_environment, stop_strays

PROJECT = "contact-yaml-test"
CONTACT_TYPE = "connect-contact:index:Contact"


def program(resources: Mapping[str, Mapping[str, Any]], outputs: Optional[Mapping[str, str]] = None) -> dict:
    """A Pulumi YAML program (as data): `resources` name -> its entry (`type`, `properties`,
    `options`); every Contact exports `<name>Id` and `<name>Arn` unless `outputs` are given."""
    if outputs is None:
        outputs = {}
        for name, entry in resources.items():
            if entry.get("type") == CONTACT_TYPE:
                outputs[f"{name}Id"] = f"${{{name}.contactId}}"
                outputs[f"{name}Arn"] = f"${{{name}.contactArn}}"
    return {"name": PROJECT, "runtime": "yaml", "resources": dict(resources), "outputs": dict(outputs)}


class YamlProject(CliCommands):
    """A YAML project folder with its own file backend, and the plain CLI to run on it."""

    def __init__(self, directory: Path, pulumi_bin: Path, service, env: Optional[Mapping[str, str]] = None,
                 backend_query: str = ""):
        """`backend_query`: options of the file backend's storage (gocloud's fileblob), e.g.
        `metadata=skip`."""
        self.directory = directory
        self.pulumi = Path(pulumi_bin) / "pulumi"
        self.service = service
        self.resources: dict[str, dict] = {}
        """What the program declares (`declare`)."""
        directory.mkdir(parents=True, exist_ok=True)
        self.backend = directory / ".pulumi-local"
        self.backend.mkdir(exist_ok=True)
        self.backend_url = self.backend.as_uri() + (f"?{backend_query}" if backend_query else "")
        path = os.pathsep.join([str(Path(sys.executable).parent), str(Path(pulumi_bin)), os.environ.get("PATH", "")])
        self.env = cli_environment({
            "PATH": path,
            "PULUMI_HOME": str(self.backend / "home"),
            "PULUMI_BACKEND_URL": self.backend_url,
            "PULUMI_CONFIG_PASSPHRASE": "",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            **(env or {}),
        })
        self.env.pop("PULUMI_ACCESS_TOKEN", None)

    # -- the program

    def write(self, program: Mapping[str, Any]) -> None:
        (self.directory / "Pulumi.yaml").write_text(yaml.safe_dump(dict(program), sort_keys=False))

    def declare(self, resources: Mapping[str, Mapping[str, Any]], outputs: Optional[Mapping[str, str]] = None) -> None:
        """The program: `resources` (kept as `self.resources`), each Contact's outputs unless given."""
        self.resources = {name: dict(entry) for name, entry in resources.items()}
        self.write(program(self.resources, outputs))

    def contact(self, **properties: Any) -> dict[str, Any]:
        """A Contact entry on the service's instance."""
        return {"type": CONTACT_TYPE, "properties": {"instanceId": self.service.instance_id, **properties}}

    # -- the CLI

    def command(self, *args: str) -> list[str]:
        return [str(self.pulumi), *args, "--non-interactive"]

    def init(self) -> None:
        """Stack `dev`, its endpoint the test's local service."""
        self.run("stack", "init", STACK)
        self.run("config", "set", "connect-contact:endpoint", self.service.url)

    def up(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.run("up", "--yes", *args, **kwargs)

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        return json.loads(self.run("stack", "export", *(["--show-secrets"] if show_secrets else [])).stdout)

    def contact_resources(self, export: Optional[dict] = None) -> dict[str, dict]:
        """The contacts in the stack's state: resource name -> its resource entry."""
        resources = (export or self.export())["deployment"].get("resources") or []
        return {resource["urn"].rsplit("::", 1)[1]: resource for resource in resources
                if resource["type"] == CONTACT_TYPE}

    def contact_states(self) -> dict[str, dict]:
        """The contacts in the stack's state: resource name -> outputs."""
        return {name: resource.get("outputs", {}) for name, resource in self.contact_resources().items()}

    def pending_operations(self) -> list[dict]:
        return self.export()["deployment"].get("pending_operations") or []

    def stop_strays(self) -> None:
        stop_strays(self.backend_url)
