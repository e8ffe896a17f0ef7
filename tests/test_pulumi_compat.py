"""Each assumption `connect_contact.pulumi_compat` makes about Pulumi's internals, checked against
the installed Pulumi SDK: a Pulumi upgrade that breaks one fails here, by name."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pulumi
import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from connect_contact import Contact, pulumi_compat
from connect_contact.aws import ConnectContactError
from tests.support.program import by_name, run_program

UNKNOWN_ON_THE_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's unknown sentinel, as Pulumi's gRPC protocol (`sdk/go/common/resource/plugin/rpc.go`) spells it."""


def test_the_unknown_sentinel_is_the_protocol_s():
    assert pulumi_compat.UNKNOWN == UNKNOWN_ON_THE_WIRE
    assert pulumi_compat.is_unknown(UNKNOWN_ON_THE_WIRE) and pulumi_compat.is_unknown(Unknown())
    assert not pulumi_compat.is_unknown("04da6b54") and not pulumi_compat.is_unknown(None)


def test_the_serialised_provider_is_registered_under_the_provider_key():
    [registration] = run_program(lambda: Contact("c", instance_id="i", channel="TASK", initiation_method="API"))
    assert pulumi_compat.PROVIDER_KEY == "__provider" and isinstance(registration.inputs[pulumi_compat.PROVIDER_KEY], str)


def test_the_dynamic_type_token_is_the_one_registered():
    [registration] = run_program(lambda: Contact("c", instance_id="i", channel="TASK", initiation_method="API"))
    assert registration.type == pulumi_compat.dynamic_type(Contact) == "pulumi-python:dynamic/connect:Contact"


def test_a_secret_is_wrapped_as_the_protocol_marks_it():
    wrapped = pulumi_compat.secret("n")
    assert rpc.is_rpc_secret(wrapped) and wrapped[rpc._special_sig_key] == rpc._special_secret_sig
    assert pulumi_compat.revealed({"a": [wrapped]}) == {"a": ["n"]}


def test_a_parent_passes_its_providers_under_its_package():
    seen = {}

    class Parent(pulumi.ComponentResource):
        def __init__(self) -> None:
            provider = pulumi.ProviderResource("aws", "p", {})
            super().__init__("test:index:Parent", "parent", None, pulumi.ResourceOptions(providers=[provider]))
            seen.update(pulumi_compat.providers_of(self))
            seen["type"] = self.pulumi_resource_type

    run_program(Parent)
    assert set(seen) == {"aws", "type"} and seen["type"] == "test:index:Parent"


def _host_source() -> ast.Module:
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    return ast.parse(Path(spec.origin).read_text())


def test_the_dynamic_host_reports_errors_through_its_traceback_global():
    """`report_in_one_line` swaps the host module's `traceback`: it works only while the host
    imports `traceback` as a module global, defines its servicer class, and reports a provider's
    exception with `traceback.format_exc()`."""
    tree = _host_source()
    imports = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert "traceback" in imports
    assert pulumi_compat.HOST_SERVICER in classes
    assert "traceback.format_exc" in calls


def test_the_one_line_report_is_installed_in_a_host_and_only_there(monkeypatch):
    import sys
    import traceback
    import types

    host = types.ModuleType("__main__")
    setattr(host, pulumi_compat.HOST_SERVICER, object)
    host.traceback = traceback
    monkeypatch.setitem(sys.modules, "__main__", host)
    assert pulumi_compat.report_in_one_line(ConnectContactError)
    try:
        raise ConnectContactError("one line")
    except ConnectContactError:
        assert host.traceback.format_exc() == "one line\n"
    try:
        raise ValueError("bug")
    except ValueError:
        assert "Traceback" in host.traceback.format_exc()
    del host.traceback
    assert not pulumi_compat.report_in_one_line(ConnectContactError)  # a host without it: nothing installed


def test_outside_the_host_nothing_is_installed():
    assert not pulumi_compat.in_dynamic_host()
    assert not pulumi_compat.report_in_one_line(ConnectContactError)


@pytest.mark.parametrize("hook", ["pulumi_resource_type", "pulumi_resource_name"])
def test_the_public_hooks_used_exist(hook):
    assert hasattr(pulumi.Resource, hook)


def test_the_core_names_nothing_of_pulumi_but_the_compat_module():
    """`lifecycle` (check, diff, create, read, update, delete on plain maps) imports no Pulumi module:
    a second face (a provider plugin) can serve it as the dynamic one does."""
    import connect_contact.lifecycle as core

    tree = ast.parse(Path(core.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] == "pulumi"], imported
    assert "pulumi_compat" in imported
