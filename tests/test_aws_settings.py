"""pulumi-aws's settings in process: every key the installed pulumi-aws SDK reads is classified once
(honoured, refused, warned, S3-only); aws:defaultTags and aws:endpoints parse as pulumi-aws takes
them, and malformed ones fail in one line; check merges default tags under a contact's own and
counts them against the tag limit; the provider and timeout options are refused at construction,
a pulumi_aws.Provider included. The same behaviour through the real CLI: test_cli_aws_settings.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pulumi
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from tests.support.emulator_support import LOCAL_CREDENTIALS
from tests.support.program import run_program

from connect_contact import Contact, aws, aws_settings
from connect_contact.aws import ClientSettings, ConnectContactError
from connect_contact.provider import ContactProvider

import pulumi_aws

VARS = Path(pulumi_aws.__file__).parent / "config" / "vars.py"
LEGACY_KEYS = {"assumeRole"}
"""Keys of earlier pulumi-aws releases, still refused by name."""
TASK = {"instanceId": "i", "channel": "TASK", "initiationMethod": "API"}


def configured(config: dict) -> ContactProvider:
    provider = ContactProvider()
    provider.configure(ConfigureRequest(Config(raw_config=config, project_name="p")))
    return provider


def test_every_key_of_the_installed_pulumi_aws_is_classified_once():
    installed = set(re.findall(r"__config__\.get\w*\('(\w+)'\)", VARS.read_text()))
    assert len(installed) > 30, f"read no keys from {VARS}"
    groups = [aws_settings.HONOURED, aws_settings.S3_ONLY, set(aws_settings.REFUSED), set(aws_settings.WARNED)]
    assert sum(len(group) for group in groups) == len(aws_settings.KNOWN), "a key is in two groups"
    assert aws_settings.KNOWN - LEGACY_KEYS == installed


@pytest.mark.parametrize("value, tags", [
    ('{"tags": {"team": "billing", "env": "dev"}}', {"team": "billing", "env": "dev"}),
    ({"tags": {"cost": 42, "shared": True}}, {"cost": "42", "shared": "true"}),  # `config set --path` types
    ('{"tags": {}}', {}), ("{}", {}), (None, {}), ("", {}),
])
def test_default_tags_read_as_pulumi_aws_takes_them(value, tags):
    assert aws_settings.default_tags(value) == tags


@pytest.mark.parametrize("config, message", [
    ({"aws:defaultTags": "{tags"}, 'aws:defaultTags is not valid JSON; set it as pulumi-aws takes it'),
    ({"aws:defaultTags": '{"team": "billing"}'}, 'aws:defaultTags must be an object with one key, "tags"'),
    ({"aws:defaultTags": '{"tags": {"team": ["a"]}}'}, "aws:defaultTags: tags must map tag keys to strings"),
    ({"aws:endpoints": '{"connect": '}, "aws:endpoints is not valid JSON"),
    ({"aws:endpoints": '"http://x"'}, "aws:endpoints must be a list of objects naming services"),
    ({"aws:endpoints": '[{"connect": "local"}]'}, "aws:endpoints: connect must be an http:// or https:// URL"),
    ({"aws:endpoints": '[{"connect": "http://127.0.0.1:99999"}]'}, "aws:endpoints: connect must be an http:// or https:// URL"),
    ({"aws:endpoints": '[{"connect": "https://"}]'}, "aws:endpoints: connect must be an http:// or https:// URL"),
    ({"aws:endpoints": '[{"connect": "http://a"}, {"connect": "http://b"}]'},
     "aws:endpoints names more than one connect endpoint"),
])
def test_malformed_settings_fail_in_one_line(config, message):
    with pytest.raises(ConnectContactError, match=re.escape(message)) as raised:
        ClientSettings.from_config(config.get)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("config, endpoint, source", [
    ({"aws:endpoints": '[{"s3": "http://s3"}, {"connect": "http://127.0.0.1:1"}]'}, "http://127.0.0.1:1",
     "aws:endpoints"),
    ({"aws:endpoints": '[{"connect": "http://127.0.0.1:1"}]', "connect-contact:endpoint": "local"}, "local",
     "connect-contact:endpoint"),
    ({"aws:endpoints": '[{"sts": "http://sts"}]'}, None, None),
])
def test_connect_contact_endpoint_wins_over_aws_endpoints(config, endpoint, source):
    settings = ClientSettings.from_config(config.get)
    assert (settings.endpoint, settings.endpoint_source) == (endpoint, source)


def test_the_info_line_names_aws_endpoints(shared_connect_service, monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():  # an endpoint URL is signed with the user's credentials
        monkeypatch.setenv(name, value)
    settings = ClientSettings.from_config(
        {"aws:endpoints": json.dumps([{"connect": shared_connect_service.url}])}.get)
    connection = aws.connect(settings, environ={})
    assert connection.destination == f"Connect: endpoint {shared_connect_service.url} (us-east-1, from aws:endpoints)"
    assert connection.client.list_instances()["InstanceSummaryList"]


def test_an_overridden_aws_endpoints_is_warned_about():
    refused, warned = aws.unhonoured_settings(
        {"aws:endpoints": '[{"connect": "http://127.0.0.1:1"}]', "connect-contact:endpoint": "local"}.get)
    assert refused == []
    assert warned == ["aws:endpoints connect (http://127.0.0.1:1) is not used: connect-contact:endpoint (local) wins; "
                      "remove one of them"]


def test_each_unhonoured_setting_is_one_line_naming_it():
    config = {f"aws:{key}": "x" for key in (*aws_settings.REFUSED, *aws_settings.WARNED, *aws_settings.S3_ONLY)}
    refused, warned = aws.unhonoured_settings(config.get)
    assert [line.split(" ", 1)[0] for line in refused] == [f"aws:{key}" for key in aws_settings.REFUSED]
    assert [line.split(" ", 1)[0] for line in warned] == [f"aws:{key}" for key in aws_settings.WARNED]
    assert all("\n" not in line for line in refused + warned)
    assert aws.unhonoured_settings({"aws:region": "eu-west-2", "aws:s3UsePathStyle": "true"}.get) == ([], [])


def test_configure_stops_on_a_refused_setting_in_one_line():
    with pytest.raises(ConnectContactError, match=r"^aws:assumeRoles is not supported: .*; aws:forbiddenAccountIds is "
                                                  r"not supported: [^\n]*$"):
        configured({"aws:assumeRoles": '[{"roleArn": "arn:aws:iam::1:role/r"}]', "aws:forbiddenAccountIds": '["1"]'})


def test_check_merges_default_tags_under_the_contacts_own():
    provider = configured({"aws:defaultTags": '{"tags": {"team": "billing", "env": "dev"}}'})
    result = provider.check({}, {**TASK, "tags": {"env": "prod"}})
    assert result.failures == [] and result.inputs["tags"] == {"team": "billing", "env": "prod"}
    assert provider.check({}, TASK).inputs["tags"] == {"team": "billing", "env": "dev"}
    assert "tags" not in configured({}).check({}, TASK).inputs


def test_check_counts_default_tags_and_names_them():
    provider = configured({"aws:defaultTags": '{"tags": {"a": "1", "b": "1", "aws:x": "1"}}'})
    failures = {failure.property: failure.reason for failure in
                provider.check({}, {**TASK, "tags": {"c": "1", "d": "1", "e": "1", "b": "own"}}).failures}
    assert failures["tags"] == ("must have at most 5 tags (Connect allows 6 and the provider keeps one); remove 1; "
                                "2 of the 6 come from aws:defaultTags (a, aws:x)")
    assert failures["tags.aws:x"].endswith("(from aws:defaultTags)")


def test_a_pulumi_aws_provider_is_refused_at_construction_in_one_line():
    def program():
        west = pulumi_aws.Provider("west", region="us-west-2")
        Contact("escalation", instance_id="i", channel="TASK", initiation_method="API",
                opts=pulumi.ResourceOptions(provider=west))

    with pytest.raises(pulumi.RunError, match=r"^Contact escalation: the provider/providers options cannot apply: .*"
                                              r"set aws:region, aws:profile or the contact's region= instead$"):
        run_program(program)


def test_custom_timeouts_are_refused_at_construction():
    def program():
        Contact("escalation", instance_id="i", channel="TASK", initiation_method="API",
                opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(delete="5m")))

    with pytest.raises(pulumi.RunError, match="^Contact escalation: custom_timeouts cannot apply"):
        run_program(program)


def test_deleted_with_another_contact_is_refused_at_construction():
    def program():
        first = Contact("first", instance_id="i", channel="TASK", initiation_method="API")
        Contact("follower", instance_id="i", channel="TASK", initiation_method="API",
                opts=pulumi.ResourceOptions(deleted_with=first))

    with pytest.raises(pulumi.RunError, match="^Contact follower: deleted_with cannot name another Contact: ending "
                                              "a contact never ends another"):
        run_program(program)


def test_a_parents_aws_provider_is_named_in_a_warning(monkeypatch):
    warned = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *args, **kwargs: warned.append(message))

    def program():
        west = pulumi_aws.Provider("west", region="us-west-2")
        centre = pulumi.ComponentResource("example:index:Centre", "centre",
                                          opts=pulumi.ResourceOptions(providers={"aws": west}))
        Contact("escalation", instance_id="i", channel="TASK", initiation_method="API",
                opts=pulumi.ResourceOptions(parent=centre))

    run_program(program)
    assert warned == ["Contact escalation: its parent's aws provider does not apply to contacts; they use the "
                      "stack's aws:region and credentials, or the contact's region="]
