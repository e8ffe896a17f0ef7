"""The stable client token: derived deterministically, unique per resource, stepped by generation."""

import pulumi
from tests.support.program import run_program

from connect_contact import Contact, ContactProvider, token

INSTANCE = "00000000-0000-4000-8000-000000000000"


def checked_tokens(declare) -> dict[str, str]:
    provider = ContactProvider()
    return {reg.urn: provider.check({}, dict(reg.inputs)).inputs["clientToken"] for reg in run_program(declare)
            if reg.type.endswith("connect:Contact")}


def task(resource_name, **kwargs):
    return Contact(resource_name, instance_id=INSTANCE, channel="TASK", initiation_method="API", **kwargs)


def test_derived_token_is_the_same_run_after_run():
    first, second = checked_tokens(lambda: task("a")), checked_tokens(lambda: task("a"))
    assert first == second and all(token.is_derived(value) for value in first.values())


def test_updatable_inputs_do_not_change_the_token():
    assert list(checked_tokens(lambda: task("a", name="x", attributes={"k": "1"})).values()) == \
        list(checked_tokens(lambda: task("a", name="y")).values())


def test_create_only_inputs_and_names_change_the_token():
    base = list(checked_tokens(lambda: task("a")).values())
    assert base != list(checked_tokens(lambda: task("a", expiry_duration_in_minutes=5)).values())
    assert base != list(checked_tokens(lambda: task("b")).values())


def test_same_name_under_parents_of_different_types_gets_different_tokens():
    class Group(pulumi.ComponentResource):
        def __init__(self, kind, name):
            super().__init__(f"example:index:{kind}", name)
            task("escalation", opts=pulumi.ResourceOptions(parent=self))

    tokens = checked_tokens(lambda: (Group("Team", "billing"), Group("Site", "paris")))
    assert len(tokens) == 2 and len(set(tokens.values())) == 2


def test_user_token_is_used_verbatim():
    assert list(checked_tokens(lambda: task("a", client_token="mine")).values()) == ["mine"]


def test_check_keeps_the_token_in_state_while_create_only_inputs_are_unchanged():
    provider = ContactProvider()
    olds = {"instanceId": INSTANCE, "channel": "TASK", "initiationMethod": "API", "tokenScope": "p/s/old-name",
            "clientToken": token.derive("p/s/old-name", {})}
    news = {**olds, "tokenScope": "p/s/new-name"}
    del news["clientToken"]
    assert provider.check(olds, news).inputs["clientToken"] == olds["clientToken"]


def test_generations():
    base = token.derive("p/s/r", {"channel": "TASK"})
    first = token.next_generation(base)
    assert first == base + "-g1" and token.next_generation(first) == base + "-g2"
    assert token.lineage(first) == base and token.generation(first) == 1 and token.is_derived(first)
    assert token.lineage("user-token") == "user-token" and not token.is_derived("user-token")


def test_empty_user_token_is_refused():
    inputs = {"instanceId": INSTANCE, "channel": "TASK", "initiationMethod": "API", "clientToken": ""}
    failures = {failure.property: failure.reason for failure in ContactProvider().check({}, inputs).failures}
    assert "leave client_token unset" in failures["clientToken"]
