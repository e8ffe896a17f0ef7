"""pulumi-aws's settings and resource options through the real Pulumi CLI: `aws:defaultTags` merged
under each contact's own tags (check, up, a change of them as a tag update, the tag limit),
`aws:endpoints` for connect (contacts go there, the info line says so, connect-contact:endpoint
wins), and every setting or option the provider cannot honour named in one line of `up`'s output.

Connect calls are counted at the local service around each command.
"""

from __future__ import annotations

import json
import re

import pytest
from tests.support.emulator_support import all_contacts, describe
from tests.support.lifecycle import contact_calls

pytestmark = pytest.mark.timeout(1200)

TASK = {"channel": "TASK", "initiation_method": "API", "name": "tagged"}
RELEASED = "connect-contact:released"


def set_default_tag(project, key: str, value: str) -> None:
    """The way pulumi-aws documents it: `pulumi config set --path aws:defaultTags.tags.<key> <value>`."""
    project.run("config", "set", "--path", f"aws:defaultTags.tags.{key}", value)


def live_tags(project, contact_id: str) -> dict:
    service = project.service
    tags = describe(service.client(), service.instance_id, contact_id).get("Tags") or {}
    return {key: value for key, value in tags.items() if key != RELEASED}


def state_of(project, name: str) -> dict:
    [resource] = [resource for resource in project.export()["deployment"]["resources"]
                  if resource["urn"].endswith(f"::{name}")]
    return resource


def test_default_tags_merge_under_the_contacts_own_and_a_change_is_a_tag_update(cli_project):
    service = cli_project.service
    cli_project.init()
    set_default_tag(cli_project, "team", "billing")
    set_default_tag(cli_project, "env", "dev")
    cli_project.declare({"tagged": {**TASK, "tags": {"env": "prod", "owner": "ana"}}})
    cli_project.up()
    [contact_id] = [contact["Id"] for contact in all_contacts(service.client(), service.instance_id)]
    merged = {"team": "billing", "env": "prod", "owner": "ana"}  # the contact's own env wins
    assert live_tags(cli_project, contact_id) == merged
    resource = state_of(cli_project, "tagged")
    assert resource["inputs"]["tags"] == merged and resource["outputs"]["tags"] == merged

    service.reset_stats()
    assert "unchanged" in cli_project.up().stdout and contact_calls(service.stats()) == {}  # drift is exact

    set_default_tag(cli_project, "team", "support")
    preview = cli_project.run("preview", "--diff").stdout
    assert re.search(r"~ pulumi-python:dynamic/connect:Contact: \(update\)", preview), preview
    assert re.search(r'~ team\s*: "billing" => "support"', preview), preview
    assert "replace" not in preview
    assert contact_calls(service.stats()) == {}

    cli_project.run("config", "rm", "--path", "aws:defaultTags.tags.env")  # the contact's own env stays
    set_default_tag(cli_project, "cost", "42")
    service.reset_stats()
    cli_project.up()
    assert contact_calls(service.stats()) == {"TagContact": 1, "DescribeContact": 1}
    assert live_tags(cli_project, contact_id) == {"team": "support", "env": "prod", "owner": "ana", "cost": "42"}
    assert state_of(cli_project, "tagged")["outputs"]["contactId"] == contact_id

    cli_project.run("config", "rm", "--path", "aws:defaultTags.tags.cost")
    service.reset_stats()
    cli_project.up()
    assert contact_calls(service.stats()) == {"UntagContact": 1, "DescribeContact": 1}
    assert live_tags(cli_project, contact_id) == {"team": "support", "env": "prod", "owner": "ana"}


def test_default_tags_count_toward_the_tag_limit_in_check(cli_project):
    service = cli_project.service
    cli_project.init()
    for key in ("a", "b", "c"):
        set_default_tag(cli_project, key, "1")
    cli_project.declare({"crowded": {**TASK, "tags": {"d": "1", "e": "1", "a": "own"}}})
    service.reset_stats()
    ok = cli_project.up(check=False)
    cli_project.declare({"crowded": {**TASK, "tags": {"d": "1", "e": "1", "f": "1"}}})
    refused = cli_project.up(check=False)
    text = refused.stdout + refused.stderr
    assert ok.returncode == 0, ok.stdout + ok.stderr  # a, b, c, d, e: five tags
    assert refused.returncode != 0
    assert ("property tags value {map[d:{1} e:{1} f:{1}]} has a problem: must have at most 5 tags (Connect allows 6 "
            "and the provider keeps one); remove 1; 3 of the 6 come from aws:defaultTags (a, b, c)") in text, text
    assert "Traceback" not in text
    assert contact_calls(service.stats()).get("CreateContact") == 1  # the first up's only


def test_aws_endpoints_sends_contacts_there_and_the_info_line_says_so(cli_project):
    service = cli_project.service
    cli_project.run("stack", "init", "dev")
    cli_project.run("config", "set", "--path", "aws:endpoints[0].connect", service.url)
    cli_project.declare({"routed": TASK})
    output = cli_project.up().stdout
    assert f"info: Connect: endpoint {service.url} (us-east-1, from aws:endpoints)" in output, output
    assert len(all_contacts(service.client(), service.instance_id)) == 1


def test_connect_contact_endpoint_wins_over_aws_endpoints_and_says_so(cli_project):
    service = cli_project.service
    cli_project.init()  # connect-contact:endpoint is the test's service
    unused = "http://127.0.0.1:9"
    cli_project.run("config", "set", "aws:endpoints", json.dumps([{"connect": unused}, {"sts": unused}]))
    cli_project.declare({"routed": TASK})
    output = cli_project.up().stdout
    assert f"info: Connect: endpoint {service.url} (us-east-1)" in output, output
    assert (f"warning: aws:endpoints connect ({unused}) is not used: connect-contact:endpoint ({service.url}) wins"
            in output), output
    assert len(all_contacts(service.client(), service.instance_id)) == 1


def test_unhonoured_settings_warn_once_each_and_unsafe_ones_stop_the_run(cli_project):
    service = cli_project.service
    cli_project.init(config={"aws:skipCredentialsValidation": "true", "aws:maxRetries": "5"})
    cli_project.declare({"warned": TASK})
    output = cli_project.up().stdout
    diagnostics = output[output.index("Diagnostics:"):output.index("Outputs:")].splitlines()
    for key in ("skipCredentialsValidation", "maxRetries"):
        lines = [line for line in diagnostics if f"aws:{key} is not used by connect-contact:" in line]
        assert len(lines) == 1 and lines[0].strip().startswith("warning: "), output
    assert len(all_contacts(service.client(), service.instance_id)) == 1

    cli_project.run("config", "set", "--path", "aws:assumeRoles[0].roleArn", "arn:aws:iam::123456789012:role/ops")
    cli_project.run("config", "set", "--path", "aws:allowedAccountIds[0]", "123456789012")
    cli_project.declare({"warned": {**TASK, "name": "renamed"}})
    service.reset_stats()
    refused = cli_project.up(check=False)
    text = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "aws:assumeRoles is not supported: this provider cannot assume a role" in text, text
    assert "aws:allowedAccountIds is not supported: this provider does not check the account" in text, text
    assert "Traceback" not in text
    assert contact_calls(service.stats()) == {}


OPTIONS_PROGRAM = '''\
import pulumi

from connect_contact import Contact

{setup}
Contact("optioned", instance_id={instance_id!r}, channel="TASK", initiation_method="API",
        opts=pulumi.ResourceOptions({options}))
'''


# The aws plugin cannot be installed here (its releases are not on a package registry), so the
# explicit provider is one whose plugin the CLI has: the refusal names the option whatever the
# provider's package (tests/test_aws_settings.py refuses a pulumi_aws.Provider under mocks).
EXPLICIT_PROVIDER = "explicit = pulumi.ProviderResource('pulumi-python', 'explicit', {})"


@pytest.mark.parametrize("region, line", [
    ("mars-1", "error: aws:region: 'mars-1' is in no AWS partition"),
    (" us-east-1", "error: aws:region: ' us-east-1' is not a region name"),
])
def test_an_aws_region_that_is_no_region_stops_the_preview_in_one_line(cli_project, region, line):
    service = cli_project.service
    cli_project.init(config={"aws:region": region})
    cli_project.declare({"regional": {"channel": "TASK", "initiation_method": "API", "instance_id": service.instance_id}})
    service.reset_stats()
    result = cli_project.run("preview", check=False)
    text = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in text, text
    assert line in text, text
    assert contact_calls(service.stats()) == {}


def test_deleted_with_another_contact_is_refused_in_one_line(cli_project):
    """`deleted_with` tells the engine another resource's delete ends this one: for contacts it never
    does, so the engine would drop the contact from state and leave it live."""
    service = cli_project.service
    cli_project.init()
    (cli_project.directory / "__main__.py").write_text(OPTIONS_PROGRAM.format(
        setup=f"first = Contact('first', instance_id={service.instance_id!r}, channel='TASK', initiation_method='API')",
        options="deleted_with=first", instance_id=service.instance_id))
    result = cli_project.up(check=False)
    text = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in text, text
    assert "Contact optioned: deleted_with cannot name another Contact" in text, text
    assert "optioned" not in cli_project.contact_states()


@pytest.mark.parametrize("setup, options, line", [
    ("", 'custom_timeouts=pulumi.CustomTimeouts(create="1m")',
     "Contact optioned: custom_timeouts cannot apply: Pulumi's dynamic-provider host does not pass timeouts"),
    (EXPLICIT_PROVIDER, "provider=explicit", "Contact optioned: the provider/providers options cannot apply"),
    (EXPLICIT_PROVIDER, "providers=[explicit]", "Contact optioned: the provider/providers options cannot apply"),
], ids=["custom_timeouts", "provider", "providers"])
def test_resource_options_a_contact_cannot_honour_are_refused_in_one_line(cli_project, setup, options, line):
    service = cli_project.service
    cli_project.init()
    (cli_project.directory / "__main__.py").write_text(
        OPTIONS_PROGRAM.format(setup=setup, options=options, instance_id=service.instance_id))
    service.reset_stats()
    result = cli_project.up(check=False)
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert line in text, text
    assert "Traceback" not in text
    assert contact_calls(service.stats()) == {}
    assert all_contacts(service.client(), service.instance_id) == []
