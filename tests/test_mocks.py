"""`ContactMocks`: the README's unit-test recipe, run as written, and what the mocks return."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.readme import code_blocks

MORE_CASES = '''\
import re

import pulumi
import pytest

from connect_contact import Contact, ContactArgs, UserInfoArgs
from connect_contact.mocks import ContactCheckError, ContactMocks

pulumi.runtime.set_mocks(ContactMocks(region="eu-west-2", account="210987654321"), preview=False)

INSTANCE = "11111111-2222-3333-4444-555555555555"


@pulumi.runtime.test
def test_outputs_are_those_of_a_created_contact():
    contact = Contact("escalation", instance_id=INSTANCE, channel="TASK", initiation_method="API",
                      name="n", attributes={"priority": "high"})

    def check(values):
        id_, contact_id, arn, initiated, updated, token, name, attributes = values
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", contact_id)
        assert id_ == f"{INSTANCE}:{contact_id}"
        assert arn == f"arn:aws:connect:eu-west-2:210987654321:instance/{INSTANCE}/contact/{contact_id}"
        assert re.fullmatch(r"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+\\+00:00", initiated) and updated == initiated
        assert re.fullmatch(r"ccp-[0-9a-f]{48}", token)
        assert (name, attributes) == ("n", {"priority": "high"})

    return pulumi.Output.all(contact.id, contact.contact_id, contact.contact_arn, contact.initiation_timestamp,
                             contact.last_update_timestamp, contact.client_token, contact.name,
                             contact.attributes).apply(check)


@pulumi.runtime.test
def test_contact_args_and_keywords_register_the_same_contact():
    by_keywords = Contact("same", instance_id=INSTANCE, channel="EMAIL", initiation_method="OUTBOUND",
                          user_info={"user_id": "agent-1"})
    by_args = Contact("same", ContactArgs(instance_id=INSTANCE, channel="EMAIL", initiation_method="OUTBOUND",
                                          user_info=UserInfoArgs(user_id="agent-1")))
    return pulumi.Output.all(by_keywords.id, by_args.id, by_keywords.user_info, by_args.user_info).apply(
        lambda values: _same(*values))


def _same(first_id, second_id, first_user, second_user):
    assert first_id == second_id and first_user == second_user
    assert first_user.user_id == second_user.user_id == "agent-1"


@pulumi.runtime.test
def test_get_reads_the_contact_its_id_names():
    seen = Contact.get("seen", f"{INSTANCE}:c-1")
    return seen.contact_arn.apply(lambda arn: _ends_with(arn, f"instance/{INSTANCE}/contact/c-1"))


def _ends_with(text, suffix):
    assert text.endswith(suffix), text


@pulumi.runtime.test
def declare_an_email_without_its_user():
    return Contact("email", instance_id=INSTANCE, channel="EMAIL", initiation_method="OUTBOUND").contact_id


def test_a_rule_of_the_provider_refuses_too():
    with pytest.raises(ContactCheckError) as refused:
        declare_an_email_without_its_user()
    assert refused.value.resource_name == "email"
    assert [prop for prop, _ in refused.value.failures] == ["userInfo.userId"], refused.value.failures


@pulumi.runtime.test
def test_other_resources_get_their_inputs_back():
    other = pulumi.CustomResource("test:index:Thing", "thing", {"size": 3})
    return other.id.apply(lambda id_: _equal(id_, "thing-id"))


def _equal(value, expected):
    assert value == expected
'''


def run_pytest(directory: Path, source: str) -> subprocess.CompletedProcess:
    (directory / "test_contacts.py").write_text(source)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                           "test_contacts.py"],
                          cwd=directory, capture_output=True, text=True, timeout=240)


def test_the_readme_recipe_passes_as_written(tmp_path):
    [recipe] = code_blocks("### Unit tests", "python")
    result = run_pytest(tmp_path, recipe)
    assert result.returncode == 0 and "4 passed" in result.stdout, result.stdout + result.stderr


def test_the_readme_recipe_fails_when_the_mocks_accept_a_bad_contact(tmp_path):
    """The recipe's refusals are real: with Pulumi's plain mocks, every bad contact is accepted."""
    [recipe] = code_blocks("### Unit tests", "python")
    plain = recipe.replace("pulumi.runtime.set_mocks(ContactMocks(), preview=False)", '''
class PlainMocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        contact = {"contactId": "c", "contactArn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/contact/c"}
        return f"{args.name}-id", {**args.inputs, **contact}

    def call(self, args):
        return {}, None


pulumi.runtime.set_mocks(PlainMocks(), preview=False)''')
    result = run_pytest(tmp_path, plain)
    assert "3 failed, 1 passed" in result.stdout, result.stdout + result.stderr


def test_what_the_mocks_return(tmp_path):
    result = run_pytest(tmp_path, MORE_CASES)
    assert result.returncode == 0 and "5 passed" in result.stdout, result.stdout + result.stderr
