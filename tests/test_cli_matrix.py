"""The Pulumi operations and resource options a user reaches for, with the real Pulumi CLI.

Each row checks four things: the contacts in the local Connect service (live or ended, how many,
which IDs), the stack's state (`stack export`: resources, inputs and outputs, no pending
operations), the step the CLI shows, and the Connect calls the command made (counted at the
service). Expected outcomes are Pulumi's documented behaviour of each command and option and the
facts of Connect (a contact is never deleted: destroying one ends it), written as literals.

Rows that share a stack run in one test, in order: every CLI command costs seconds. The SIGKILL
and Ctrl-C rows are tests/test_cli_interruptions.py; the lifecycle rows of one field's update or
replace are tests/test_cli_lifecycle.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tests.support.cli_project import CONTACT_TYPE, PROJECT, STACK, CliProject, is_live
from tests.support.emulator_support import all_contacts, describe
from tests.support.lifecycle import contact_calls

pytestmark = pytest.mark.timeout(1500)

RELEASED = {"connect-contact:released": "true"}
TASK = {"channel": "TASK", "initiation_method": "API"}

PROGRAM = '''\
import json

import pulumi

from connect_contact import Contact

contacts = {}
for name, declared in json.load(open("contacts.json")).items():
    args = dict(declared)
    opts = pulumi.ResourceOptions(**args.pop("opts", {}))
    if "get" in args:
        contact = Contact.get(name, args["get"], opts)
    else:
        related_to = args.pop("related_to", None)
        if related_to is not None:
            args["related_contact_id"] = contacts[related_to].contact_id
        contact = Contact(name, **args, opts=opts)
    contacts[name] = contact
    pulumi.export(f"{name}Id", contact.contact_id)
    pulumi.export(f"{name}Name", contact.name)
'''
"""One `Contact` per entry of contacts.json; an entry's `opts` are its resource options, `get` reads
an existing contact (`Contact.get`) and `related_to` makes its related_contact_id another contact's
`contact_id` output."""

STACK_RM_REFUSED = (
    f"error: '{STACK}' still has resources; removal rejected. Possible actions:\n"
    f"- Make sure that '{STACK}' is the stack that you want to destroy\n"
    "- Run `pulumi destroy` to delete the resources, then run `pulumi stack rm`\n"
    "- Run `pulumi stack rm --force` to override this error")
"""The engine's words (pkg/cmd/pulumi/stack/stack_remove.go)."""


def urn(name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{CONTACT_TYPE}::{name}"


def delete_refused(name: str) -> str:
    """The engine's refusal to delete a protected resource (pkg/resource/deploy/step.go)."""
    return (f'resource "{urn(name)}" cannot be deleted\n'
            "    because it is protected. To unprotect the resource, either remove the `protect` flag from the "
            "resource in your Pulumi program and run `pulumi up`, or use the command:\n"
            f"    `pulumi state unprotect '{urn(name)}'`")


def replace_refused(name: str) -> str:
    """The engine's refusal to replace a protected resource (pkg/resource/deploy/step_generator.go)."""
    return (f'unable to replace resource "{urn(name)}"\n'
            "    as it is currently marked for protection. To unprotect the resource, remove the `protect` flag "
            "from the resource in your Pulumi program and run `pulumi up`")


DONE = ("created replacement", "deleted original", "created", "updated", "replaced", "deleted")
STEP_LINE = re.compile(rf"^ *\S+ +{re.escape(CONTACT_TYPE)} (?P<name>\S+) (?P<step>{'|'.join(DONE)}) \(.*?\)"
                       r"(?P<retain>\[retain\])?", re.MULTILINE)
READ = re.compile(rf" read {re.escape(CONTACT_TYPE)} (?P<name>\S+)$", re.MULTILINE)
"""A read (`Contact.get`) is shown on its parent's line, while the program runs."""


def steps(result) -> dict[str, list[str]]:
    """The steps the CLI reports done for each contact (`created`, `updated`, `deleted [retain]`,
    `read`, ...)."""
    done: dict[str, list[str]] = {}
    for match in STEP_LINE.finditer(result.stdout):
        done.setdefault(match["name"], []).append(match["step"] + (" [retain]" if match["retain"] else ""))
    for name in dict.fromkeys(match["name"] for match in READ.finditer(result.stdout)):
        done.setdefault(name, []).append("read")
    return done


def plain(value: Any) -> Any:
    """A state value as `stack export --show-secrets` gives it, its secret envelope opened."""
    if isinstance(value, dict) and "plaintext" in value:
        return json.loads(value["plaintext"])
    return value


class Matrix:
    """A project running the matrix program, with what each row looks at."""

    def __init__(self, project: CliProject):
        self.project = project
        self.service = project.service
        self.client = project.service.client()
        self.instance = project.service.instance_id

    def declare(self, contacts: dict[str, dict]) -> None:
        self.project.declare({name: args if "get" in args else {**TASK, **args} for name, args in contacts.items()})

    def run(self, *args: str, check: bool = True):
        """`pulumi <args>`, counting the Connect calls it makes (`calls`)."""
        self.service.reset_stats()
        result = self.project.run(*args, check=check)
        self._calls = contact_calls(self.service.stats())
        return result

    def calls(self) -> dict[str, int]:
        """The Connect calls of the last `run`, by operation."""
        return self._calls

    def state(self) -> dict[str, dict]:
        """The contacts in state, by resource name, their secrets opened; and no pending operation."""
        deployment = json.loads(self.project.run("stack", "export", "--show-secrets").stdout)["deployment"]
        assert deployment.get("pending_operations") in (None, [])
        resources = {}
        for resource in deployment.get("resources") or []:
            if resource["type"] == CONTACT_TYPE:
                for section in ("inputs", "outputs"):
                    resource[section] = {key: plain(value) for key, value in resource.get(section, {}).items()}
                resources[resource["urn"].rsplit("::", 1)[1]] = resource
        return resources

    def contact_ids(self) -> dict[str, str]:
        return {name: resource["outputs"]["contactId"] for name, resource in self.state().items()}

    def contacts(self) -> dict[str, dict]:
        """Every contact of the instance, by ID, as DescribeContact shows it."""
        return {found["Id"]: describe(self.client, self.instance, found["Id"])
                for found in all_contacts(self.client, self.instance)}

    def live(self) -> set[str]:
        return {contact_id for contact_id, contact in self.contacts().items() if is_live(contact)}

    def ended(self) -> set[str]:
        return {contact_id for contact_id, contact in self.contacts().items() if not is_live(contact)}


@pytest.fixture
def matrix(tmp_path, pulumi_bin, connect_service):
    project = CliProject(tmp_path / "project", pulumi_bin, connect_service, program=PROGRAM)
    project.init()
    yield Matrix(project)
    project.stop_strays()


def test_up_noop_target_dependents_destroy_up_again_and_stack_rm(matrix):
    # up: each contact created once, with its name written after the create
    matrix.declare({"alpha": {"name": "Alpha"}, "beta": {"name": "Beta"}})
    result = matrix.run("up", "--yes")
    assert steps(result) == {"alpha": ["created"], "beta": ["created"]}
    assert "+ 3 created" in result.stdout  # the stack and the two contacts
    assert matrix.calls() == {"CreateContact": 2, "DescribeContact": 2, "UpdateContact": 2}
    first = matrix.contact_ids()
    assert matrix.live() == set(first.values()) and len(set(first.values())) == 2
    assert matrix.ended() == set()
    assert {name: resource["inputs"]["name"] for name, resource in matrix.state().items()} == \
           {"alpha": "Alpha", "beta": "Beta"}

    # no-op up: nothing to do, not one Connect call
    result = matrix.run("up", "--yes")
    assert steps(result) == {}
    assert "3 unchanged" in result.stdout
    assert matrix.calls() == {}
    assert matrix.contact_ids() == first

    # up --target: only the targeted contact changes; an untargeted edit and new contacts wait
    matrix.declare({"alpha": {"name": "Alpha 2"}, "beta": {"name": "Beta 2"},
                    "parent": {"name": "Parent", "expiry_duration_in_minutes": 60},
                    "child": {"name": "Child", "related_to": "parent"}})
    result = matrix.run("up", "--yes", "--target", urn("alpha"))
    assert steps(result) == {"alpha": ["updated"]}
    assert "~ 1 updated" in result.stdout
    assert matrix.calls() == {"UpdateContact": 1, "DescribeContact": 1}
    state = matrix.state()
    assert sorted(state) == ["alpha", "beta"]
    assert (state["alpha"]["inputs"]["name"], state["beta"]["inputs"]["name"]) == ("Alpha 2", "Beta")
    contacts = matrix.contacts()
    assert (contacts[first["alpha"]]["Name"], contacts[first["beta"]]["Name"]) == ("Alpha 2", "Beta")
    assert set(contacts) == set(first.values())

    # up --target --target-dependents: the target and the contact whose input is its output
    result = matrix.run("up", "--yes", "--target", urn("parent"), "--target-dependents")
    assert steps(result) == {"parent": ["created"], "child": ["created"]}
    assert "+ 2 created" in result.stdout
    assert matrix.calls() == {"CreateContact": 2, "DescribeContact": 2, "UpdateContact": 2}
    state = matrix.state()
    parent, child = state["parent"]["outputs"]["contactId"], state["child"]["outputs"]["contactId"]
    assert state["child"]["inputs"]["relatedContactId"] == parent
    assert state["child"]["dependencies"] == [urn("parent")]
    assert describe(matrix.client, matrix.instance, child)["RelatedContactId"] == parent
    assert state["beta"]["inputs"]["name"] == "Beta"  # still not targeted
    assert matrix.live() == {*first.values(), parent, child}

    # a create-only change of the target: with --target-dependents the dependent follows its new ID
    matrix.declare({"alpha": {"name": "Alpha 2"}, "beta": {"name": "Beta 2"},
                    "parent": {"name": "Parent", "expiry_duration_in_minutes": 120},
                    "child": {"name": "Child", "related_to": "parent"}})
    result = matrix.run("up", "--yes", "--target", urn("parent"), "--target-dependents")
    # every replace of a Contact deletes first (no create-before-delete can end the contact kept)
    replaced = ["deleted original", "replaced", "created replacement"]
    assert steps(result) == {"parent": replaced, "child": replaced}
    assert "+-2 replaced" in result.stdout
    assert matrix.calls() == {"CreateContact": 2, "DescribeContact": 2, "UpdateContact": 2, "TagContact": 2,
                              "StopContact": 2}
    state = matrix.state()
    new_parent, new_child = state["parent"]["outputs"]["contactId"], state["child"]["outputs"]["contactId"]
    child_token = state["child"]["outputs"]["clientToken"]
    assert state["child"]["inputs"]["relatedContactId"] == new_parent
    assert describe(matrix.client, matrix.instance, new_child)["RelatedContactId"] == new_parent
    assert matrix.live() == {*first.values(), new_parent, new_child}
    assert matrix.ended() == {parent, child}
    assert all(matrix.contacts()[old]["Tags"] == RELEASED for old in (parent, child))

    # destroy: every contact of the stack marked released and ended; Connect keeps them all
    result = matrix.run("destroy", "--yes")
    assert steps(result) == {name: ["deleted"] for name in ("alpha", "beta", "parent", "child")}
    assert "- 5 deleted" in result.stdout
    assert matrix.calls() == {"TagContact": 4, "StopContact": 4}
    assert matrix.state() == {}
    before = matrix.contacts()
    assert len(before) == 6 and matrix.live() == set()
    assert all(contact["Tags"] == RELEASED for contact in before.values())

    # up after destroy: new live contacts (the next token generation), none of the ended ones back
    result = matrix.run("up", "--yes")
    assert steps(result) == {name: ["created"] for name in ("alpha", "beta", "parent", "child")}
    state = matrix.state()
    again = {name: resource["outputs"]["contactId"] for name, resource in state.items()}
    assert sorted(again) == ["alpha", "beta", "child", "parent"]
    assert not set(again.values()) & set(before)
    assert matrix.live() == set(again.values()) and len(matrix.contacts()) == 10
    # a create replays its token, sees the release mark, and creates with the token's next generation;
    # the child's related contact is a new one, so its token is new (generation 0)
    tokens = {name: resource["outputs"]["clientToken"] for name, resource in state.items()}
    assert {name: re.sub(r"[0-9a-f]{48}", "<hash>", token) for name, token in tokens.items()} == \
           {"alpha": "ccp-<hash>-g1", "beta": "ccp-<hash>-g1", "parent": "ccp-<hash>-g1", "child": "ccp-<hash>"}
    assert tokens["child"] != child_token
    assert matrix.calls() == {"CreateContact": 7, "DescribeContact": 7, "UpdateContact": 4}
    assert state["child"]["inputs"]["relatedContactId"] == again["parent"]

    # stack rm with resources: refused, in the engine's words; nothing forgotten, nothing ended
    result = matrix.run("stack", "rm", "--yes", check=False)
    assert result.returncode != 0
    assert STACK_RM_REFUSED in result.stderr
    assert matrix.contact_ids() == again
    assert matrix.calls() == {}

    # stack rm --force: the user's explicit choice to forget the stack; its contacts stay live
    result = matrix.run("stack", "rm", "--yes", "--force")
    assert f"Stack '{STACK}' has been removed!" in result.stdout
    assert matrix.calls() == {}
    assert matrix.live() == set(again.values())
    assert json.loads(matrix.project.run("stack", "ls", "--json").stdout) == []


def test_ignore_changes_protect_and_retain_on_delete(matrix):
    def declare(ignored_name="Ignored", ignored_expiry=60, guarded_expiry=60, protect=True, with_dropped=True):
        ignored = {"name": ignored_name, "expiry_duration_in_minutes": ignored_expiry}
        contacts = {
            # the Python names, as with pulumi-aws's resources, and the state's own names
            "ignored_py": {**ignored, "opts": {"ignore_changes": ["name", "expiry_duration_in_minutes"]}},
            "ignored_wire": {**ignored, "opts": {"ignore_changes": ["name", "expiryDurationInMinutes"]}},
            "guarded": {"name": "Guarded", "expiry_duration_in_minutes": guarded_expiry, "opts": {"protect": protect}},
            "retained": {"name": "Retained", "opts": {"retain_on_delete": True}},
        }
        if with_dropped:
            contacts["dropped"] = {"name": "Dropped", "opts": {"retain_on_delete": True}}
        matrix.declare(contacts)

    declare()
    matrix.run("up", "--yes")
    assert matrix.calls() == {"CreateContact": 5, "DescribeContact": 5, "UpdateContact": 5}
    ids = matrix.contact_ids()
    state = matrix.state()
    assert (state["guarded"].get("protect"), state["retained"].get("retainOnDelete"),
            state["dropped"].get("retainOnDelete")) == (True, True, True)
    assert matrix.live() == set(ids.values())

    # ignore_changes: an ignored updatable field (name) and an ignored create-only field (expiry):
    # no update, no replace, no Connect call; state keeps the old inputs (Pulumi uses the old value
    # from state for an ignored property)
    declare(ignored_name="Ignored, edited", ignored_expiry=120)
    result = matrix.run("up", "--yes")
    assert steps(result) == {}
    assert "6 unchanged" in result.stdout
    assert matrix.calls() == {}
    state = matrix.state()
    for name in ("ignored_py", "ignored_wire"):
        inputs = state[name]["inputs"]
        assert (inputs["name"], inputs["expiryDurationInMinutes"]) == ("Ignored", 60), name
        assert matrix.contacts()[ids[name]]["Name"] == "Ignored"
    assert matrix.contact_ids() == ids

    # protect: a replace is refused before any step runs; the contact stays live and in state
    declare(ignored_name="Ignored, edited", ignored_expiry=120, guarded_expiry=120)
    result = matrix.run("up", "--yes", check=False)
    assert result.returncode != 0
    assert replace_refused("guarded") in result.stdout
    assert matrix.calls() == {}
    assert matrix.contact_ids() == ids
    assert matrix.state()["guarded"]["inputs"]["expiryDurationInMinutes"] == 60
    assert matrix.live() == set(ids.values())

    # retain_on_delete, the resource removed from the program: state forgets it, Connect is not called
    declare(ignored_name="Ignored, edited", ignored_expiry=120, with_dropped=False)
    result = matrix.run("up", "--yes")
    assert steps(result) == {"dropped": ["deleted [retain]"]}
    assert matrix.calls() == {}
    assert "dropped" not in matrix.state()
    dropped = matrix.contacts()[ids["dropped"]]
    assert is_live(dropped) and dropped.get("Tags", {}) == {}

    # protect: destroy is refused (its preview fails) and deletes nothing
    result = matrix.run("destroy", "--yes", check=False)
    assert result.returncode != 0
    assert delete_refused("guarded") in result.stdout
    assert matrix.calls() == {}
    assert sorted(matrix.state()) == ["guarded", "ignored_py", "ignored_wire", "retained"]
    assert matrix.live() == set(ids.values())

    # unprotect (protect removed from the program): a state change only
    declare(ignored_name="Ignored, edited", ignored_expiry=120, protect=False, with_dropped=False)
    result = matrix.run("up", "--yes")
    assert steps(result) == {}
    assert matrix.calls() == {}
    assert "protect" not in matrix.state()["guarded"]

    # destroy: the others end; retain_on_delete leaves its contact live and unmarked, and forgets it
    result = matrix.run("destroy", "--yes")
    assert steps(result) == {"ignored_py": ["deleted"], "ignored_wire": ["deleted"], "guarded": ["deleted"],
                             "retained": ["deleted [retain]"]}
    assert matrix.calls() == {"TagContact": 3, "StopContact": 3}
    assert matrix.state() == {}
    assert matrix.live() == {ids["retained"], ids["dropped"]}
    assert matrix.contacts()[ids["retained"]].get("Tags", {}) == {}
    assert matrix.ended() == {ids[name] for name in ("ignored_py", "ignored_wire", "guarded")}


def test_ignore_changes_naming_no_argument_fails_in_one_line(matrix):
    matrix.declare({"typo": {"name": "Typo", "opts": {"ignore_changes": ["expiry_duration"]}}})

    result = matrix.run("up", "--yes", check=False)

    assert result.returncode != 0
    assert ("Contact: ignore_changes names 'expiry_duration', which is not an argument of Contact; "
            "did you mean expiry_duration_in_minutes?") in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert matrix.calls() == {}
    assert matrix.contacts() == {}


def test_existing_contact_id_and_contact_get(matrix):
    client, instance = matrix.client, matrix.instance
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere")["ContactId"]
    client.update_contact_attributes(InstanceId=instance, InitialContactId=existing, Attributes={"legacy": "1"})
    seen = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                 Name="read only")["ContactId"]
    seen_before = describe(client, instance, seen)

    def declare(priority: str) -> None:
        matrix.declare({"adopted": {"existing_contact_id": existing, "name": "Adopted",
                                    "attributes": {"priority": priority}},
                        "seen": {"get": f"{instance}:{seen}"}})

    # adopt: no CreateContact; the declared fields written over the contact; the other one only read
    declare("high")
    result = matrix.run("up", "--yes")
    assert steps(result) == {"adopted": ["created"], "seen": ["read"]}
    # the adopted contact: read, then its name and attributes written; the read one: DescribeContact,
    # and its references listed (15 reference types in the model, 6 a call)
    assert matrix.calls() == {"DescribeContact": 2, "ListContactReferences": 3, "UpdateContact": 1,
                              "UpdateContactAttributes": 1}
    state = matrix.state()
    assert state["adopted"]["outputs"]["contactId"] == existing
    assert state["adopted"]["inputs"]["existingContactId"] == existing
    assert (state["seen"].get("external"), state["seen"]["outputs"]["contactId"]) == (True, seen)
    assert state["seen"]["outputs"]["name"] == "read only"
    assert matrix.project.outputs()["seenName"] == "read only"
    contact = describe(client, instance, existing)
    # the declared attributes are the contact's from now on: one not declared is cleared, as Connect
    # clears one (set to the empty string)
    assert (contact["Name"], contact["Attributes"]) == ("Adopted", {"legacy": "", "priority": "high"})
    assert set(matrix.contacts()) == {existing, seen}

    # update of the adopted contact: in place, one write; Contact.get reads again and writes nothing
    declare("low")
    result = matrix.run("up", "--yes")
    assert steps(result) == {"adopted": ["updated"], "seen": ["read"]}
    assert matrix.calls() == {"UpdateContactAttributes": 1, "DescribeContact": 2, "ListContactReferences": 3}
    assert describe(client, instance, existing)["Attributes"]["priority"] == "low"
    assert matrix.contact_ids() == {"adopted": existing, "seen": seen}

    # refresh: drift made out of band comes into state; Connect is read, never written
    client.update_contact_attributes(InstanceId=instance, InitialContactId=existing,
                                     Attributes={"priority": "urgent"})
    result = matrix.run("refresh", "--yes")
    # its preview reads both contacts, then the refresh itself reads them again
    assert "Previewing refresh" in result.stdout and "Refreshing" in result.stdout
    assert matrix.calls() == {"DescribeContact": 4}
    assert "~ 1 updated" in result.stdout
    assert matrix.state()["adopted"]["outputs"]["attributes"]["priority"] == "urgent"

    # destroy: the adopted contact ends like any other; the one read with Contact.get is left alone
    result = matrix.run("destroy", "--yes")
    assert steps(result) == {"adopted": ["deleted"]}
    assert f"{CONTACT_TYPE} seen" not in result.stdout  # no step at all for the one read
    assert matrix.calls() == {"TagContact": 1, "StopContact": 1}
    assert matrix.state() == {}
    assert matrix.live() == {seen} and matrix.ended() == {existing}
    assert describe(client, instance, existing)["Tags"] == RELEASED
    assert describe(client, instance, seen) == seen_before
