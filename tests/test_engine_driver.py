"""Self-tests for tests/support/ (host, engine, program) against the real dynamic-provider host."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from pathlib import Path

import pulumi
import pytest
from tests.support.engine import Engine
from tests.support.host import EngineError, HostError, HostStartError, ProviderHost, host_fixture
from tests.support.marshal import SECRET_SIG, SIG_KEY, UNKNOWN, is_unknown, make_urn, secret, to_struct
from google.protobuf import struct_pb2
from tests.support.program import EchoMocks, by_name, run_program, run_program_file
from pulumi.dynamic import Resource
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import config as runtime_config

MODULE = "engine_driver_probe"
RESOURCE_TYPE = "pulumi-python:dynamic:Resource"
CONFIG = {
    "aws:region": "eu-west-2",
    "connect-contact:endpoint": "http://localhost:9999",
    "connect-contact:token": secret("config-token"),
}

PROVIDER_SOURCE = textwrap.dedent(
    '''
    """A dynamic provider that keeps its resources in a JSON file and logs every call."""

    import json
    import uuid
    from pathlib import Path

    import pulumi
    from pulumi.dynamic import (
        CheckFailure,
        CheckResult,
        CreateResult,
        DiffResult,
        ReadResult,
        ResourceProvider,
        UpdateResult,
    )


    class RecordProvider(ResourceProvider):
        def __init__(self, workdir):
            self.workdir = workdir
            self.config = {}

        def configure(self, req):
            self.config = {
                "region": req.config.get("aws:region"),
                "endpoint": req.config.get("connect-contact:endpoint"),
                "token": req.config.get("connect-contact:token"),
            }
            pulumi.log.info("configured for " + str(self.config["region"]))

        def _log(self, method, **data):
            with open(Path(self.workdir) / "calls.jsonl", "a") as log:
                log.write(json.dumps({"method": method, **data}, default=repr) + "\\n")

        def _records(self):
            path = Path(self.workdir) / "records.json"
            return json.loads(path.read_text()) if path.exists() else {}

        def _save(self, records):
            (Path(self.workdir) / "records.json").write_text(json.dumps(records))

        def _outputs(self, props):
            return {**props, "region": self.config["region"], "endpoint": self.config["endpoint"]}

        def check(self, olds, news):
            self._log("check", olds=olds, news=news)
            if news.get("explode"):
                raise ValueError("boom from check")
            if not news.get("name"):
                return CheckResult(news, [CheckFailure("name", "name is required")])
            return CheckResult({**news, "size": news.get("size", 1)}, [])

        def diff(self, id, olds, news):
            self._log("diff", id=id, olds=olds, news=news)
            if news.get("diff_mode") == "unknown":
                return DiffResult()
            replaces = ["name"] if olds.get("name") != news.get("name") else []
            changed = [k for k in news if k != "__provider" and olds.get(k) != news.get(k)]
            return DiffResult(
                changes=bool(changed),
                replaces=replaces,
                delete_before_replace=bool(news.get("dbr")),
            )

        def create(self, props):
            self._log("create", props=props)
            records = self._records()
            id_ = props["name"] + "-" + uuid.uuid4().hex[:8]
            records[id_] = {k: v for k, v in props.items() if k != "__provider"}
            self._save(records)
            return CreateResult(id_, self._outputs(props))

        def read(self, id, props):
            self._log("read", id=id, props=props)
            record = self._records().get(id)
            if record is None:
                return ReadResult("", {})
            return ReadResult(id, self._outputs({**props, **record}), inputs=record)

        def update(self, id, olds, news):
            self._log("update", id=id, olds=olds, news=news)
            records = self._records()
            records[id] = {k: v for k, v in news.items() if k != "__provider"}
            self._save(records)
            return UpdateResult(self._outputs(news))

        def delete(self, id, props):
            self._log("delete", id=id, props=props)
            records = self._records()
            records.pop(id, None)
            self._save(records)
    '''
)

PROGRAM_SOURCE = textwrap.dedent(
    '''
    import pulumi
    from pulumi.dynamic import CreateResult, Resource, ResourceProvider


    class EchoProvider(ResourceProvider):
        def create(self, props):
            return CreateResult("echo-1", {**props, "echoed": True})


    class Echo(Resource):
        def __init__(self, name, props):
            super().__init__(EchoProvider(), name, props)


    config = pulumi.Config()
    Echo("echo", {"greeting": config.require("greeting")})
    '''
)


class Contact(Resource):
    """The dynamic resource the test programs declare."""


@pytest.fixture(scope="module")
def provider_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("dynamic-provider")
    (directory / f"{MODULE}.py").write_text(PROVIDER_SOURCE)
    sys.path.insert(0, str(directory))
    yield directory
    sys.path.remove(str(directory))
    sys.modules.pop(MODULE, None)


@pytest.fixture(scope="module")
def host(provider_dir):
    with ProviderHost(cwd=provider_dir) as provider_host:
        provider_host.configure(CONFIG)
        yield provider_host


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


@pytest.fixture
def provider(provider_dir, workdir):
    return importlib.import_module(MODULE).RecordProvider(str(workdir))


@pytest.fixture
def provider_str(provider):
    return serialize_provider(provider)


@pytest.fixture
def engine(host):
    return Engine(host)


URN = make_urn(RESOURCE_TYPE, "contact")


def registered(provider_str: str, **props) -> dict:
    """Inputs as the SDK registers them: ``__provider`` is a secret by default."""
    return {"__provider": secret(provider_str), **props}


def provider_log(workdir: Path) -> list[dict]:
    path = workdir / "calls.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def records(workdir: Path) -> dict:
    return json.loads((workdir / "records.json").read_text())


# --------------------------------------------------------------------------- host


def test_host_starts_configures_and_keeps_stderr(host, provider_str):
    assert list(host.calls)[:2] == ["GetPluginInfo", "Configure"]
    assert host.protocol.accept_secrets is False
    assert host.protocol.supports_preview is False
    configure = dict(host.requests)["Configure"]
    assert configure.variables["pulumi-python:config:aws:region"] == "eu-west-2"
    assert configure.variables["pulumi-python:config:connect-contact:token"] == "config-token"
    assert configure.args.fields["connect-contact:token"].struct_value.fields[SIG_KEY].string_value == SECRET_SIG
    assert configure.acceptSecrets and configure.acceptResources

    host.check(URN, None, registered(provider_str, name="a"))
    assert "info: configured for eu-west-2" in host.stderr


def test_host_start_failure_reports_stderr():
    with pytest.raises(HostStartError, match="exited with code"):
        with ProviderHost(env={"PYTHONHOME": "/nonexistent"}, start_timeout=10):
            pass


def test_host_error_keeps_the_traceback(host, provider_str):
    with pytest.raises(HostError) as error:
        host.check(URN, None, registered(provider_str, name="a", explode=True))
    assert error.value.method == "Check"
    assert "Traceback" in error.value.details
    assert "ValueError: boom from check" in error.value.details


def test_secrets_are_unwrapped_for_the_host_and_reannotated(host, provider_str, workdir):
    created = host.create(URN, registered(provider_str, name="a", token=secret("t0p")))
    seen = provider_log(workdir)[-1]["props"]
    assert seen["token"] == "t0p"
    assert seen["__provider"] == provider_str
    assert created.outputs["token"] == secret("t0p")
    assert created.outputs["__provider"] == secret(provider_str)
    assert created.outputs["region"] == "eu-west-2"
    assert created.outputs["endpoint"] == "http://localhost:9999"


def test_unknowns_only_reach_the_provider_in_preview(host, provider_str, workdir):
    host.check(URN, None, registered(provider_str, name="a", instance_id=UNKNOWN), preview=True)
    assert "Unknown" in provider_log(workdir)[-1]["news"]["instance_id"]
    host.check(URN, None, registered(provider_str, name="a", instance_id=UNKNOWN))
    assert "instance_id" not in provider_log(workdir)[-1]["news"]


def test_raw_structs_go_unchanged_and_a_secret_provider_breaks_the_host(host, provider_str):
    raw = to_struct(registered(provider_str, name="a"))
    host.engine_marshalling = False
    try:
        with pytest.raises(HostError, match="unhashable type: 'dict'"):
            host.check(URN, struct_pb2.Struct(), raw)
    finally:
        host.engine_marshalling = True
    assert host.requests[-1][1].news == raw


def test_read_without_properties_or_inputs_cannot_find_the_provider(host, provider_str):
    with pytest.raises(HostError, match="KeyError: '__provider'"):
        host.read("some-id", URN)
    fallback = host.read("missing", URN, None, registered(provider_str, name="a"))
    assert fallback.id == ""
    assert fallback.inputs is None


def test_preview_create_makes_no_rpc(host, provider_str):
    before = host.call_count
    result = host.create(URN, registered(provider_str, name="a"), preview=True)
    assert host.call_count == before
    assert result.id == ""
    assert result.outputs["name"] == "a"


# --------------------------------------------------------------------------- engine


def test_up_create_same_update(engine, provider_str, workdir):
    created = engine.up(URN, registered(provider_str, name="a", value="1"))
    assert created.op == "create"
    assert created.outputs["size"] == 1.0
    same = engine.up(URN, registered(provider_str, name="a", value="1"))
    assert same.op == "same"
    updated = engine.up(URN, registered(provider_str, name="a", value="2"))
    assert updated.op == "update"
    assert updated.id == created.id
    assert engine.calls == ["Check", "Create", "Check", "Diff", "Check", "Diff", "Update"]
    assert records(workdir)[created.id]["value"] == "2"


def test_engine_passes_inputs_to_check_and_outputs_to_diff_update_delete(engine, provider_str, workdir):
    engine.up(URN, registered(provider_str, name="a", value="1"))
    engine.up(URN, registered(provider_str, name="a", value="2"))
    engine.destroy(URN)
    log = {entry["method"]: entry for entry in provider_log(workdir)[2:]}
    assert log["check"]["olds"]["size"] == 1
    assert "region" not in log["check"]["olds"]
    assert log["diff"]["olds"]["region"] == "eu-west-2"
    assert log["update"]["olds"]["region"] == "eu-west-2"
    assert log["delete"]["props"]["value"] == "2"
    assert log["delete"]["props"]["region"] == "eu-west-2"
    assert all(entry["news"]["__provider"] == provider_str for entry in provider_log(workdir) if "news" in entry)
    assert URN not in engine.state


def test_replace_creates_before_deleting(engine, provider_str, workdir):
    old = engine.up(URN, registered(provider_str, name="a"))
    new = engine.up(URN, registered(provider_str, name="b"))
    assert new.op == "replace"
    assert new.diff.replaces == ["name"]
    assert engine.calls[2:] == ["Check", "Diff", "Check", "Create", "Delete"]
    assert [e["method"] for e in provider_log(workdir)][-2:] == ["create", "delete"]
    assert provider_log(workdir)[-3]["olds"] == {}
    assert list(records(workdir)) == [new.id]
    assert new.id != old.id


def test_replace_deletes_first_when_asked(engine, provider_str, workdir):
    engine.up(URN, registered(provider_str, name="a", dbr=True))
    engine.up(URN, registered(provider_str, name="b", dbr=True))
    assert engine.calls[2:] == ["Check", "Diff", "Check", "Delete", "Create"]


def test_preview_only_checks_and_diffs(engine, provider_str):
    assert engine.preview(URN, registered(provider_str, name="a")).op == "create"
    assert engine.calls == ["Check"]
    engine.up(URN, registered(provider_str, name="a"))
    stored = engine.state[URN]
    assert engine.preview(URN, registered(provider_str, name="a", value="2")).op == "update"
    assert engine.preview(URN, registered(provider_str, name="b")).op == "replace"
    assert engine.preview(URN, registered(provider_str, name="a", value=UNKNOWN)).op == "update"
    assert set(engine.calls[3:]) == {"Check", "Diff"}
    assert engine.state[URN] == stored


def test_unknown_diff_falls_back_to_comparing_inputs(engine, provider_str):
    engine.up(URN, registered(provider_str, name="a", diff_mode="unknown"))
    assert engine.up(URN, registered(provider_str, name="a", diff_mode="unknown")).op == "same"
    step = engine.up(URN, registered(provider_str, name="a", diff_mode="unknown", value="2"))
    assert step.op == "update"
    assert step.diff.changes == "unknown"


def test_check_failures_stop_the_engine(engine, provider_str):
    with pytest.raises(EngineError, match="name is required"):
        engine.up(URN, registered(provider_str, name=""))
    assert engine.calls == ["Check"]


def test_refresh_takes_drift_and_returned_inputs(engine, provider_str, workdir):
    created = engine.up(URN, registered(provider_str, name="a", value="1"))
    drifted = records(workdir)
    drifted[created.id]["value"] = "changed-outside"
    (workdir / "records.json").write_text(json.dumps(drifted))

    refreshed = engine.refresh(URN)
    assert refreshed.op == "refresh"
    assert refreshed.outputs["value"] == "changed-outside"
    assert refreshed.inputs["value"] == "changed-outside"
    assert refreshed.inputs["__provider"] == secret(provider_str)
    read = provider_log(workdir)[-1]
    assert read["props"]["region"] == "eu-west-2"

    assert engine.up(URN, registered(provider_str, name="a", value="1")).op == "update"


def test_refresh_drops_a_resource_that_is_gone(engine, provider_str, workdir):
    engine.up(URN, registered(provider_str, name="a"))
    (workdir / "records.json").write_text("{}")
    assert engine.refresh(URN).op == "delete"
    assert URN not in engine.state


def test_import_like_the_engine_fails_without_provider(engine, provider_str):
    with pytest.raises(HostError, match="KeyError: '__provider'"):
        engine.import_(URN, "anything", registered(provider_str, name="a"))
    assert engine.calls == ["Read"]


def test_import_with_program_inputs(host, engine, provider_str):
    existing = Engine(host).up(URN, registered(provider_str, name="a", value="1"))
    steps = engine.import_(URN, existing.id, registered(provider_str, name="a", value="1"), send_inputs=True)
    assert [step.op for step in steps] == ["import"]
    assert engine.calls == ["Read", "Check", "Diff"]
    assert steps[0].inputs["value"] == "1"
    changed = Engine(host).import_(URN, existing.id, registered(provider_str, name="a", value="2"), send_inputs=True)
    assert [step.op for step in changed] == ["import", "update"]
    with pytest.raises(EngineError, match="may not be replaced"):
        Engine(host).import_(URN, existing.id, registered(provider_str, name="z"), send_inputs=True)


def test_get_reads_with_the_program_inputs(host, engine, provider_str):
    existing = Engine(host).up(URN, registered(provider_str, name="a", value="1"))
    step = engine.get(URN, existing.id, registered(provider_str, name="a"))
    assert step.op == "read"
    assert step.outputs["value"] == "1"
    assert engine.calls == ["Read"]
    with pytest.raises(EngineError, match="does not exist"):
        engine.get(URN, "missing", registered(provider_str, name="a"))


# --------------------------------------------------------------------------- program


def contact_program(provider):
    def program():
        instance = pulumi.CustomResource("aws:connect/instance:Instance", "instance", {"alias": "x", "arn": None})
        config = pulumi.Config()
        Contact(
            provider,
            "contact",
            {
                "name": "a",
                "instance_id": instance.id,
                "endpoint": config.require("endpoint"),
                "token": config.require_secret("token"),
            },
            pulumi.ResourceOptions(depends_on=[instance]),
        )

    return program


PROGRAM_CONFIG = {
    "connect-contact-example:endpoint": "http://localhost:9999",
    "connect-contact-example:token": "program-token",
}


def test_program_preview_sends_unknown_ids(provider, host, workdir):
    registrations = by_name(
        run_program(contact_program(provider), preview=True, config=PROGRAM_CONFIG,
                    secret_keys=["connect-contact-example:token"])
    )
    contact = registrations["contact"]
    assert contact.urn == make_urn(RESOURCE_TYPE, "contact")
    assert contact.object.fields["instance_id"].string_value == UNKNOWN
    assert contact.inputs["instance_id"] == UNKNOWN
    assert contact.inputs["token"] == secret("program-token")
    assert contact.inputs["__provider"] == secret(serialize_provider(provider))
    assert contact.dependencies == [registrations["instance"].urn]

    engine = Engine(host)
    step = engine.preview(contact.urn, contact.object)
    assert step.op == "create"
    assert is_unknown(step.inputs["instance_id"])
    assert engine.calls == ["Check"]
    assert "Unknown" in provider_log(workdir)[-1]["news"]["instance_id"]


def test_program_up_feeds_the_engine(provider, host, workdir):
    registrations = by_name(
        run_program(contact_program(provider), config=PROGRAM_CONFIG, secret_keys=["connect-contact-example:token"])
    )
    contact = registrations["contact"]
    assert contact.inputs["instance_id"] == "instance-id"

    step = Engine(host).up(contact.urn, contact.object)
    assert step.op == "create"
    assert step.outputs["token"] == secret("program-token")
    assert provider_log(workdir)[-1]["props"]["token"] == "program-token"


def test_program_runs_do_not_leak_state(provider):
    first = run_program(contact_program(provider), stack="one", config=PROGRAM_CONFIG)
    with pytest.raises(Exception, match="endpoint"):
        run_program(contact_program(provider), stack="two")
    third = run_program(
        contact_program(provider),
        stack="three",
        config=PROGRAM_CONFIG,
        mocks=EchoMocks(ids={"instance": "i-123"}),
    )
    assert [r.urn.split("::")[0] for r in first] == ["urn:pulumi:one"] * 2
    assert by_name(third)["contact"].inputs["instance_id"] == "i-123"
    assert runtime_config.get_config("connect-contact-example:endpoint") is None


def test_program_file_with_provider_pickled_by_value(tmp_path, host):
    (tmp_path / "__main__.py").write_text(PROGRAM_SOURCE)
    registrations = run_program_file(tmp_path, config={"connect-contact-example:greeting": "hi"})
    echo = by_name(registrations)["echo"]
    assert echo.type == "pulumi-python:dynamic:Resource"

    step = Engine(host).up(echo.urn, echo.object)
    assert step.id == "echo-1"
    assert step.outputs["echoed"] is True
    assert step.outputs["greeting"] == "hi"


repo_host = host_fixture(config={"aws:region": "eu-west-2"})


def test_host_fixture_shares_a_configured_host(repo_host):
    assert repo_host.alive
    assert repo_host.cwd == Path(__file__).resolve().parent.parent
    assert list(repo_host.calls)[:2] == ["GetPluginInfo", "Configure"]


def test_the_host_keeps_a_bounded_history(host, provider_str):
    from tests.support.host import CALLS_KEPT, REQUESTS_KEPT

    before = host.call_count
    for _ in range(3):
        host.check(URN, None, registered(provider_str, name="a"))
    assert host.call_count == before + 3
    assert host.calls.maxlen == CALLS_KEPT and host.requests.maxlen == REQUESTS_KEPT
    assert len(host.calls) <= CALLS_KEPT and len(host.requests) <= REQUESTS_KEPT
