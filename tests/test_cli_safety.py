"""No Pulumi operation ends or forgets a contact the stack still holds, and nothing secret leaks:
forced and option-driven replaces, drift in every updatable field, a refresh or up against the
wrong instance, endpoint or region, and import, with the real Pulumi CLI.

Each row checks the contacts in the local service (live or ended, how many, which IDs), the
stack's state (`stack export` and the checkpoint file), the CLI's output and the Connect calls.
"""

from __future__ import annotations

import json
import re

import pytest
from tests.support.cli_project import CONTACT_TYPE, CliProject, is_live
from tests.support.emulator_support import all_contacts, describe
from tests.support.lifecycle import contact_calls
from tests.support.marshal import SECRET_SIG, SIG_KEY
from tests.support.network import refusing_port

from connect_contact_local.testing import LocalConnect

pytestmark = pytest.mark.timeout(1500)

PROGRAM = '''\
import json

import pulumi

from connect_contact import Contact

for name, args in json.load(open("contacts.json")).items():
    options = args.pop("opts", {})
    contact = Contact(name, **args, opts=pulumi.ResourceOptions(**options))
    pulumi.export(f"{name}Id", contact.contact_id)
'''
"""The harness's program, with resource options: a contact's `opts` entry is its ResourceOptions."""

TASK = {"channel": "TASK", "initiation_method": "API"}
ORDER = {"order": {"type": "URL", "value": "https://orders.example.com/1042"}}
NAME, DESCRIPTION = "Jane Doe, card ending 4242", "Refund the duplicate charge to Jane Doe"
DRIFTED_NAME, DRIFTED_DESCRIPTION = "Renamed by hand: John Roe", "Set by hand: account 99-1234"


def project_of(tmp_path, pulumi_bin, service, name: str = "project") -> CliProject:
    return CliProject(tmp_path / name, pulumi_bin, service, program=PROGRAM)


def urn(name: str) -> str:
    return f"urn:pulumi:dev::contact-cli-test::{CONTACT_TYPE}::{name}"


def step(output: str, name: str) -> str:
    """The step the CLI shows for contact `name`: create, update, replace, ..."""
    match = re.search(rf"[-+~ ]+{re.escape(CONTACT_TYPE)}: \((\w[\w-]*)\)\n\s+\[(?:id=[^\]]*\]\n\s+\[)?urn=[^\]]*::"
                      rf"{re.escape(name)}\]", output)
    assert match, f"no step for {name} in:\n{output}"
    return match.group(1)


def planned(output: str, name: str) -> tuple[str, str]:
    """(step, `[diff: ...]` keys) a plain preview shows for contact `name`."""
    match = re.search(rf"{re.escape(CONTACT_TYPE)} {re.escape(name)} ([\w-]+)(?: \[diff: ([^\]]*)\])?", output)
    assert match, f"no step for {name} in:\n{output}"
    return match.group(1), match.group(2) or ""


def contact_ids(project: CliProject) -> dict[str, str]:
    return {name: outputs["contactId"] for name, outputs in project.contact_states().items()}


def writes(stats: dict) -> dict[str, int]:
    return {operation: count for operation, count in contact_calls(stats).items()
            if operation not in ("DescribeContact", "ListContactReferences")}


def resource_of(project: CliProject, name: str) -> dict:
    [resource] = [found for found in project.export()["deployment"]["resources"] if found["urn"] == urn(name)]
    return resource


def is_secret(value) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def masked(resource: dict) -> dict:
    """A resource's inputs and outputs, each secret as "[secret]" (its ciphertext changes on every save)."""
    return {section: {key: "[secret]" if is_secret(value) else value for key, value in resource[section].items()}
            for section in ("inputs", "outputs")}


def checkpoint_text(project: CliProject) -> str:
    """Every file of the project's file backend (the checkpoint, its backups and history)."""
    backend = project.directory / ".pulumi-local"
    return "\n".join(path.read_text(errors="replace") for path in backend.rglob("*") if path.is_file()
                     and path.suffix in (".json", ".bak", ""))


def test_every_replace_ends_the_old_contact_and_keeps_a_live_new_one(tmp_path, pulumi_bin, connect_service):
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project = project_of(tmp_path, pulumi_bin, service)
    project.init()
    declared = {
        "forced": {**TASK, "name": "forced"},                                      # up --replace
        "onchange": {**TASK, "name": "onchange", "references": ORDER,              # replace_on_changes
                     "opts": {"replace_on_changes": ["references"]}},
        "createonly": {**TASK, "name": "createonly", "expiry_duration_in_minutes": 60},   # a create-only change
        "explicit": {**TASK, "name": "explicit", "expiry_duration_in_minutes": 60,        # delete_before_replace=True
                     "opts": {"delete_before_replace": True}},
        "updated": {**TASK, "name": "updated", "attributes": {"priority": "high"}},      # stays in place
    }
    project.declare(declared)
    project.up()
    first = contact_ids(project)
    assert len(all_contacts(client, instance)) == 5

    changed = {**declared,
               "onchange": {**declared["onchange"], "references": {"order": {**ORDER["order"], "value": "https://o/2"}}},
               "createonly": {**declared["createonly"], "expiry_duration_in_minutes": 120},
               "explicit": {**declared["explicit"], "expiry_duration_in_minutes": 120},
               "updated": {**declared["updated"], "attributes": {"priority": "low"}}}
    project.declare(changed)
    service.reset_stats()
    preview = project.run("preview", "--diff", "--replace", urn("forced")).stdout
    assert {name: step(preview, name) for name in changed} == {
        "forced": "replace", "onchange": "replace", "createonly": "replace", "explicit": "replace",
        "updated": "update"}, preview
    assert writes(service.stats()) == {}

    service.reset_stats()
    result = project.up("--replace", urn("forced"))
    assert "4 replaced" in result.stdout and "1 updated" in result.stdout, result.stdout
    now = contact_ids(project)
    assert now["updated"] == first["updated"]
    for name in ("forced", "onchange", "createonly", "explicit"):
        assert now[name] != first[name], name
        assert is_live(describe(client, instance, now[name])), name
        assert not is_live(describe(client, instance, first[name])), name
    assert is_live(describe(client, instance, now["updated"]))
    assert len(all_contacts(client, instance)) == 9
    calls = contact_calls(service.stats())
    # each old contact marked released and ended; a replacement whose token did not change
    # (forced, onchange) gets its old contact back first, sees the mark and steps to a new generation
    assert (calls["StopContact"], calls["TagContact"], calls["CreateContact"]) == (4, 4, 6), calls
    tokens = {name: outputs["clientToken"] for name, outputs in project.contact_states().items()}
    assert tokens["forced"].endswith("-g1") and tokens["onchange"].endswith("-g1")

    # the next up changes nothing: the state is what Connect holds
    service.reset_stats()
    project.run("preview", "--expect-no-changes")
    assert contact_calls(service.stats()) == {}

    # delete_before_replace=False is refused in one line, before any Connect call
    project.declare({**changed, "explicit": {**changed["explicit"], "opts": {"delete_before_replace": False}}})
    service.reset_stats()
    refused = project.up(check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Contact: delete_before_replace=False is refused" in output and "Traceback" not in output, output
    assert contact_calls(service.stats()) == {}
    assert contact_ids(project) == now


def test_drift_in_every_updatable_field_is_named_and_nothing_secret_leaks(tmp_path, pulumi_bin, connect_service):
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project = project_of(tmp_path, pulumi_bin, service)
    project.init()
    full = {**TASK, "name": NAME, "description": DESCRIPTION, "attributes": {"priority": "high"},
            "references": ORDER, "segment_attributes": {"tier": {"value_string": "gold"}},
            "tags": {"team": "billing"}}
    project.declare({"drifted": full, "cleared": {**TASK, "description": DESCRIPTION},
                     "undeclared": {**TASK, "name": "no description declared"}})
    project.up()
    ids = contact_ids(project)

    # out of band: every updatable field of one contact, a description cleared on another, and a
    # description set on a contact that declares none
    client.update_contact(InstanceId=instance, ContactId=ids["drifted"], Name=DRIFTED_NAME,
                          Description=DRIFTED_DESCRIPTION,
                          References={"order": {"Type": "URL", "Value": "https://orders.example.com/9"}},
                          SegmentAttributes={"tier": {"ValueString": "silver"}})
    client.update_contact_attributes(InstanceId=instance, InitialContactId=ids["drifted"],
                                     Attributes={"priority": "urgent"})
    client.tag_contact(InstanceId=instance, ContactId=ids["drifted"], Tags={"team": "refunds"})
    client.update_contact(InstanceId=instance, ContactId=ids["cleared"], Description="")
    client.update_contact(InstanceId=instance, ContactId=ids["undeclared"], Description=DRIFTED_DESCRIPTION)

    service.reset_stats()
    refreshed = project.run("refresh", "--yes", "--diff")
    preview = project.run("preview")
    # refresh shows each drifted property, the secret ones masked; the plan names each one and
    # updates in place
    drift = refreshed.stdout.split("::drifted]", 1)[1]
    for key in ("name", "description"):
        assert re.search(rf"~ {key}\s*: \[secret\] => \[secret\]", drift), refreshed.stdout
    for key, old, new in (("priority", '"high"', '"urgent"'), ("team", '"billing"', '"refunds"'),
                          ("valueString", '"gold"', '"silver"'),
                          ("value", '"https://orders.example.com/1042"', '"https://orders.example.com/9"')):
        assert re.search(rf"~ {key}\s*: {re.escape(old)} => {re.escape(new)}", drift), refreshed.stdout
    assert re.search(r"::cleared\]\n\s+- description: \[secret\]", refreshed.stdout), refreshed.stdout
    assert re.search(r"::undeclared\]\n\s+\+ description: \[secret\]", refreshed.stdout), refreshed.stdout
    assert {name: planned(preview.stdout, name) for name in ids} == {
        "drifted": ("update", "~attributes,description,name,references,segmentAttributes,tags"),
        "cleared": ("update", "+description"), "undeclared": ("update", "-description")}, preview.stdout

    assert writes(service.stats()) == {}
    secrets = (NAME, DESCRIPTION, DRIFTED_NAME, DRIFTED_DESCRIPTION)
    state, checkpoint = json.dumps(project.export()), checkpoint_text(project)
    for shown in (refreshed.stdout + refreshed.stderr, preview.stdout + preview.stderr, state, checkpoint):
        for secret in secrets:
            assert secret not in shown
    for name in ("drifted", "cleared", "undeclared"):
        resource = resource_of(project, name)
        for section in ("inputs", "outputs"):
            for key in ("name", "description"):
                if key in resource[section]:
                    assert is_secret(resource[section][key]), (name, section, key)
    assert "description" in resource_of(project, "undeclared")["inputs"]
    assert "description" not in resource_of(project, "cleared")["outputs"]


    # up puts the program's values back, in place
    project.up()
    assert contact_ids(project) == ids
    drifted = describe(client, instance, ids["drifted"])
    assert (drifted["Name"], drifted["Description"], drifted["Attributes"], drifted["Tags"]) == (
        NAME, DESCRIPTION, {"priority": "high"}, {"team": "billing"})
    assert drifted["SegmentAttributes"]["tier"] == {"ValueString": "gold"}
    assert describe(client, instance, ids["cleared"])["Description"] == DESCRIPTION
    assert "Description" not in describe(client, instance, ids["undeclared"]) or \
        describe(client, instance, ids["undeclared"])["Description"] == ""
    project.run("preview", "--expect-no-changes")


KEPT = {**TASK, "name": "kept", "attributes": {"priority": "high"}}


def stack_keeping_one_contact(tmp_path, pulumi_bin, service) -> tuple[CliProject, dict[str, str], dict]:
    """A stack whose `up` created contact `kept` (KEPT): the project, its contact IDs, and the
    contact's resource in state."""
    project = project_of(tmp_path, pulumi_bin, service)
    project.init()
    project.declare({"kept": KEPT})
    project.up()
    return project, contact_ids(project), resource_of(project, "kept")


def test_a_wrong_instance_endpoint_or_region_fails_in_one_line_and_keeps_every_contact(tmp_path, pulumi_bin,
                                                                                       connect_service):
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project, ids, state_before = stack_keeping_one_contact(tmp_path, pulumi_bin, service)
    kept = KEPT

    def refused(result, *, region: str, endpoint: str, what: str) -> None:
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        lines = [line for line in output.splitlines() if f"instance {instance} at endpoint" in line]
        assert lines and what in lines[0], output
        assert f"endpoint {endpoint}, region {region}" in lines[0] and "Traceback" not in output, output
        assert contact_ids(project) == ids and masked(resource_of(project, "kept")) == masked(state_before)
        assert is_live(describe(client, instance, ids["kept"]))
        assert len(all_contacts(client, instance)) == 1

    # another Connect endpoint (a second checkout's own local service), then another region's, where
    # the stack's instance does not exist: an up with a change, and refresh (which uses the provider
    # configuration the last up recorded), fail; nothing is dropped or written
    with LocalConnect(tmp_path / "other.db") as other, LocalConnect(tmp_path / "west.db", region="eu-west-1") as west:
        project.run("config", "set", "connect-contact:endpoint", other.url)
        project.declare({"kept": {**kept, "attributes": {"priority": "low"}}})
        refused(project.up(check=False), region="us-east-1", endpoint=other.url,
                what=f"UpdateContactAttributes did not find contact {ids['kept']} because Connect does not know its instance")
        refused(project.run("refresh", "--yes", check=False), region="us-east-1", endpoint=other.url,
                what=f"DescribeContact did not find contact {ids['kept']} because Connect does not know its instance")
        assert contact_calls(other.stats()) == {"UpdateContactAttributes": 1, "DescribeContact": 1}
        assert other.stats()["requests"]["DescribeInstance"] == 2

        project.run("config", "set", "connect-contact:endpoint", west.url)
        project.run("config", "set", "aws:region", "eu-west-1")
        project.declare({"kept": kept})
        # The contact names no region, so it follows aws:region: the plan moves it, and fails there,
        # its instance being unknown in eu-west-1, before anything is ended.
        refused(project.up(check=False), region="eu-west-1", endpoint=west.url,
                what="the replacement cannot be created because Connect does not know its instance")
        # refresh reads the contact in the region its ARN names, at the endpoint now configured
        refused(project.run("refresh", "--yes", check=False), region="us-east-1", endpoint=west.url,
                what="DescribeContact did not find contact")
        assert contact_calls(west.stats()) == {"DescribeContact": 1}
    assert describe(client, instance, ids["kept"])["Attributes"] == {"priority": "high"}

    # a mistyped instance: the replace would end the contact first, so the plan itself fails
    project.run("config", "set", "connect-contact:endpoint", service.url)
    project.run("config", "rm", "aws:region")
    project.up()
    wrong = "00000000-0000-4000-8000-000000000000"
    project.declare({"kept": {**kept, "instance_id": wrong}})
    service.reset_stats()
    result = project.up(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (f"the replacement cannot be created because Connect does not know its instance: instance {wrong} at "
            f"endpoint {service.url}, region us-east-1") in output and "Traceback" not in output, output
    assert writes(service.stats()) == {}
    assert contact_ids(project) == ids and is_live(describe(client, instance, ids["kept"]))

    # back where the contact is: refresh finds it, nothing to change
    project.declare({"kept": kept})
    project.up()  # records the endpoint again, with no Connect call: nothing changed
    project.run("refresh", "--yes")
    project.run("preview", "--expect-no-changes")
    assert contact_ids(project) == ids


def test_an_endpoint_that_cannot_be_reached_fails_in_one_line_and_keeps_every_contact(tmp_path, pulumi_bin,
                                                                                       connect_service):
    # botocore would retry a connection that cannot open for about two minutes (BENCHMARKS.md); the
    # provider asks first whether the endpoint can be reached at all, and says so in one line
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project, ids, resource = stack_keeping_one_contact(tmp_path, pulumi_bin, service)
    kept, state_before = KEPT, masked(resource)
    with refusing_port() as port:
        for endpoint, reason in ((f"http://127.0.0.1:{port}", f"nothing listens on 127.0.0.1:{port} (connection refused)"),
                                 ("http://connect.invalid:8080", "the host name connect.invalid is not known (DNS)")):
            project.run("config", "set", "connect-contact:endpoint", endpoint)
            expected = (f"cannot reach Connect at {endpoint}: {reason}, in 3 attempts; nothing was sent. "
                        "Check connect-contact:endpoint and that the service there is running (refresh and destroy use "
                        "the settings the last `pulumi up` recorded)")
            project.declare({"kept": {**kept, "attributes": {"priority": "low"}}})
            service.reset_stats()
            for result in (project.up(check=False), project.run("refresh", "--yes", check=False),
                           project.run("destroy", "--yes", check=False)):
                output = result.stdout + result.stderr
                assert result.returncode != 0, output
                assert expected in output and "Traceback" not in output, output
                assert contact_ids(project) == ids and masked(resource_of(project, "kept")) == state_before
            assert contact_calls(service.stats()) == {}
    assert is_live(describe(client, instance, ids["kept"])) and len(all_contacts(client, instance)) == 1
    assert describe(client, instance, ids["kept"])["Attributes"] == {"priority": "high"}

    project.run("config", "set", "connect-contact:endpoint", service.url)
    project.declare({"kept": kept})
    project.up()  # records the endpoint again, with no Connect call: nothing changed
    project.run("refresh", "--yes")
    project.run("preview", "--expect-no-changes")
    assert contact_ids(project) == ids


def test_an_imported_contact_is_adopted_never_replaced(tmp_path, pulumi_bin, connect_service):
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    by_file = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                    Name="made elsewhere")["ContactId"]
    by_option = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                      Name="made elsewhere too")["ContactId"]
    project = project_of(tmp_path, pulumi_bin, service)
    project.init()

    # the import_ option: the contact is adopted (read, checked, written over), no CreateContact
    declared = {"anchor": {**TASK, "name": "anchor"},
                "option": {**TASK, "name": "adopted", "opts": {"import_": f"{instance}:{by_option}"}}}
    project.declare(declared)
    service.reset_stats()
    project.up()
    assert contact_ids(project)["option"] == by_option
    assert contact_calls(service.stats())["CreateContact"] == 1  # the anchor's
    assert describe(client, instance, by_option)["Name"] == "adopted"

    # the state `pulumi import --file` writes from an import file whose inputs and outputs carry
    # only the serialised provider (the engine then makes no Read): written here with `stack import`
    deployment = project.export()
    anchor = resource_of(project, "anchor")
    provider = anchor["inputs"]["__provider"]
    deployment["deployment"]["resources"].append({
        "urn": urn("imported"), "custom": True, "id": f"{instance}:{by_file}", "type": CONTACT_TYPE,
        "inputs": {"__provider": provider}, "outputs": {"__provider": provider},
        "parent": anchor["parent"], "provider": anchor["provider"]})
    (tmp_path / "imported.json").write_text(json.dumps(deployment))
    project.run("stack", "import", "--file", str(tmp_path / "imported.json"))

    # the next up adopts it in place: same contact, live, written over; nothing created or ended
    project.declare({**declared, "imported": {**TASK, "name": "imported", "attributes": {"source": "import"}}})
    service.reset_stats()
    preview = project.run("preview").stdout
    assert planned(preview, "imported")[0] == "update", preview
    project.up()
    calls = contact_calls(service.stats())
    assert "CreateContact" not in calls and "StopContact" not in calls, calls
    states = project.contact_states()
    assert states["imported"]["contactId"] == by_file and states["imported"]["clientToken"].startswith("ccp-")
    contact = describe(client, instance, by_file)
    assert is_live(contact) and contact["Name"] == "imported" and contact["Attributes"] == {"source": "import"}
    assert len(all_contacts(client, instance)) == 3
    project.run("preview", "--expect-no-changes")

    # `pulumi import` itself needs Pulumi's Python language host, which the pinned CLI here lacks
    (tmp_path / "import-file.json").write_text(json.dumps({"resources": [
        {"type": CONTACT_TYPE, "name": "another", "id": f"{instance}:{by_file}"}]}))
    result = project.run("import", "--yes", "--file", str(tmp_path / "import-file.json"),
                         "--generate-code=false", check=False)
    assert result.returncode != 0
    assert "failed to load language plugin python" in result.stdout + result.stderr, result.stdout + result.stderr


def with_contact_transform(change: str, setup: str = "") -> str:
    """The harness's program with a stack transform that sets `change` (an assignment to
    `args.opts`) on every contact: past the checks of `Contact(...)`. `setup` runs before it."""
    return PROGRAM.replace("for name, args", f'''{setup}
def contact_transform(args):
    if args.type_ == "{CONTACT_TYPE}":
        {change}
        return pulumi.ResourceTransformResult(args.props, args.opts)
    return None


pulumi.runtime.register_resource_transform(contact_transform)

for name, args''')


TRANSFORMED_PROGRAM = with_contact_transform("args.opts.delete_before_replace = False")
"""A stack transform that turns delete-before-replace off."""


def test_a_replace_a_transform_makes_create_first_keeps_the_contact_the_stack_holds(tmp_path, pulumi_bin,
                                                                                    connect_service):
    """A transform runs after `Contact(...)` has set delete_before_replace=True, and can turn it off:
    the engine then creates the replacement first, with the same client token, and Connect hands
    the same contact back. Its delete must not end what the stack now holds."""
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project = CliProject(tmp_path / "project", pulumi_bin, service, program=TRANSFORMED_PROGRAM)
    project.init()
    project.declare({"kept": KEPT})
    project.up()
    ids = contact_ids(project)
    service.reset_stats()

    replaced = project.up("--replace", urn("kept"))
    output = replaced.stdout + replaced.stderr
    assert "+-1 replaced" in output and "Traceback" not in output, output
    assert f"contact {instance}:{ids['kept']} is not ended" in output, output
    assert {"StopContact", "TagContact"}.isdisjoint(contact_calls(service.stats())), service.stats()
    assert contact_ids(project) == ids
    assert is_live(describe(client, instance, ids["kept"]))
    assert len(all_contacts(client, instance)) == 1
    project.run("preview", "--expect-no-changes")


EXPLICIT_PROVIDER_PROGRAM = with_contact_transform("args.opts.provider = explicit", setup='''given = json.load(open("provider.json"))
explicit = pulumi.ProviderResource("pulumi-python", "explicit", given)
''')
"""A stack transform that gives every contact an explicit dynamic provider."""


def test_an_explicit_dynamic_provider_from_a_transform_is_configured_by_its_own_inputs(tmp_path, pulumi_bin,
                                                                                     connect_service):
    """As with any explicit provider, the one a transform gives a contact reads its own inputs, not
    the stack's config: without an endpoint among them the contact is refused in one line before
    any call; with one, it is made there, and the state names that provider."""
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project = CliProject(tmp_path / "project", pulumi_bin, service, program=EXPLICIT_PROVIDER_PROGRAM)
    project.init()
    project.declare({"kept": KEPT})
    service.reset_stats()
    (project.directory / "provider.json").write_text("{}")
    refused = project.up(check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "Traceback" not in output, output
    assert "error: no AWS region: set it with `pulumi config set aws:region <region>`" in output, output
    assert contact_calls(service.stats()) == {} and all_contacts(client, instance) == []

    (project.directory / "provider.json").write_text(json.dumps({"connect-contact:endpoint": service.url}))
    project.up()
    kept = project.contact_states()["kept"]
    contact = describe(client, instance, kept["contactId"])
    assert is_live(contact) and contact["Name"] == "kept"
    resources = project.export()["deployment"]["resources"]
    provider_of_kept = next(resource["provider"] for resource in resources if resource["type"] == CONTACT_TYPE)
    assert provider_of_kept.startswith("urn:pulumi:dev::contact-cli-test::pulumi:providers:pulumi-python::explicit::")
    project.run("preview", "--expect-no-changes")


def test_a_contact_renamed_in_the_state_warns_that_its_old_name_is_not_free_yet(tmp_path, pulumi_bin,
                                                                                connect_service):
    """`pulumi state rename` keeps the contact and its client token, derived for the old name: a new
    Contact of that name within Connect's 7-day token window would be handed this same contact. The
    next plan says so, naming both names and the date the old one is free."""
    service, client, instance = connect_service, connect_service.client(), connect_service.instance_id
    project = project_of(tmp_path, pulumi_bin, service)
    project.init()
    project.declare({"first": KEPT})
    project.up()
    made = project.contact_states()["first"]
    project.run("state", "rename", urn("first"), "renamed", "--yes")
    project.declare({"renamed": KEPT})
    output = project.run("preview").stdout
    assert (f"warning: contact {made['contactId']} was made as contact-cli-test/dev/first and is now declared "
            "as contact-cli-test/dev/renamed; it keeps the client token derived for contact-cli-test/dev/first, "
            "so until ") in output, output
    assert "give such a Contact its own client_token" in output
    project.up("--expect-no-changes")
    assert project.contact_states()["renamed"]["contactId"] == made["contactId"]
    assert is_live(describe(client, instance, made["contactId"]))
