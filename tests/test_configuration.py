"""Where the provider sends its Connect calls (configuration, never a guess), how it says so,
and how it reports what goes wrong there.

Every case runs with instance metadata disabled and a stand-in for AWS on loopback
(tests/aws_stand_in.py): a request bound for AWS lands there, never on the internet, and
a case that must stay on this machine fails if it is reached.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import botocore.exceptions
import pytest
from tests.support.aws_stand_in import AwsStandIn
from tests.support.emulator_support import LOCAL_CREDENTIALS, all_contacts
from tests.support.engine import Engine
from tests.support.host import HostError, ProviderHost
from tests.support.lifecycle import contact

from connect_contact import local
from connect_contact.aws import IAM_ACTIONS, ClientSettings, ConnectContactError, connect, explain, make_client
from connect_contact.provider import ContactProvider
from connect_contact_local.testing import LocalConnect

ROOT = Path(__file__).resolve().parent.parent
PROFILES = """\
[profile region-only]
region = eu-west-2

[profile keys]
region = eu-west-2

[profile with-endpoint]
region = eu-west-2
endpoint_url = {test_service}

[profile endpoint-only]
region = eu-west-2
endpoint_url = {test_service}
"""
CREDENTIALS_FILE = """\
[keys]
aws_access_key_id = AKIDPROFILEKEYS
aws_secret_access_key = profile-secret

[with-endpoint]
aws_access_key_id = AKIDPROFILEKEYS
aws_secret_access_key = profile-secret
"""
BOTH_FIXES = ("no AWS credentials", "aws:profile", "pulumi config set connect-contact:endpoint local")
LOCAL = "local service"
KEPT_AWS_VARIABLES = ("AWS_CA_BUNDLE",)
"""Machine settings that say nothing about where contacts go (and must not be blanked: boto3 refuses "")."""
TEST_SERVICE = "{test service}"
"""Replaced by the URL of a local service the test started itself."""


@dataclass(frozen=True)
class Row:
    name: str
    env: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    destination: str = ""
    """The start of the line the provider logs, or of its error (`error: ...`)."""


ROWS = [
    Row("nothing configured", destination="error: " + BOTH_FIXES[0]),
    Row("a region but no credentials", config={"aws:region": "eu-west-2"}, destination="error: " + BOTH_FIXES[0]),
    Row("a profile with only a region", config={"aws:profile": "region-only"}, destination="error: " + BOTH_FIXES[0]),
    Row("placeholder keys in the environment", env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                                                    "AWS_DEFAULT_REGION": "us-east-1"},
        destination="Connect: AWS us-east-1 (credentials from env)"),
    Row("placeholder keys and endpoint local", env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        config={"connect-contact:endpoint": "local"}, destination=LOCAL),
    Row("endpoint local alone", config={"connect-contact:endpoint": "local"}, destination=LOCAL),
    Row("endpoint local and a region", config={"connect-contact:endpoint": "local", "aws:region": "eu-west-2"},
        destination=LOCAL),
    Row("endpoint local and a profile with keys", config={"connect-contact:endpoint": "local", "aws:profile": "keys"},
        destination=LOCAL),
    Row("endpoint local and a stale AWS_PROFILE", env={"AWS_PROFILE": "gone"},
        config={"connect-contact:endpoint": "local"}, destination=LOCAL),
    Row("endpoint local and a malformed AWS config", env={"AWS_CONFIG_FILE": "{malformed}"},
        config={"connect-contact:endpoint": "local"}, destination=LOCAL),
    Row("a stale AWS_PROFILE, no endpoint", env={"AWS_PROFILE": "gone"},
        destination="error: the AWS profile 'gone' is not in the AWS config files"),
    Row("aws:profile with keys", config={"aws:profile": "keys"}, destination="Connect: AWS eu-west-2 (profile keys)"),
    Row("AWS_PROFILE with keys", env={"AWS_PROFILE": "keys"}, destination="Connect: AWS eu-west-2 (profile keys)"),
    Row("pulumi-aws keys in stack config", config={"aws:accessKey": "AKIDCONFIG", "aws:secretKey": "config-secret",
                                                   "aws:token": "session", "aws:region": "ap-southeast-2"},
        destination="Connect: AWS ap-southeast-2 (credentials from aws:accessKey)"),
    Row("pulumi-aws keys win over a profile", config={"aws:accessKey": "AKIDCONFIG", "aws:secretKey": "config-secret",
                                                      "aws:profile": "keys"},
        destination="Connect: AWS eu-west-2 (credentials from aws:accessKey)"),
    Row("an access key without its secret", config={"aws:accessKey": "AKIDCONFIG", "aws:region": "eu-west-2"},
        destination="error: set both aws:accessKey and aws:secretKey"),
    Row("endpoint not a URL", config={"connect-contact:endpoint": "not a url"}, env=LOCAL_CREDENTIALS,
        destination="error: connect-contact:endpoint must be `local` or an http:// or https:// URL"),
    Row("endpoint LOCAL in capitals, no credentials", config={"connect-contact:endpoint": "LOCAL"},
        destination="error: connect-contact:endpoint must be `local` or an http:// or https:// URL"),
    Row("endpoint with a port out of range", config={"connect-contact:endpoint": "http://127.0.0.1:99999"},
        env=LOCAL_CREDENTIALS, destination="error: connect-contact:endpoint must be `local` or an http://"),
    Row("AWS_ENDPOINT_URL_CONNECT of another scheme", env={"AWS_ENDPOINT_URL_CONNECT": "ftp://x", **LOCAL_CREDENTIALS},
        destination="error: AWS_ENDPOINT_URL_CONNECT must be `local` or an http:// or https:// URL"),
    Row("a session token without its keys", config={"aws:token": "session", "aws:region": "eu-west-2"},
        env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        destination="error: aws:token is the session token of aws:accessKey and aws:secretKey"),
    # A region is checked by the rule a contact's region= is (tests/test_check_refusals.py), before any call.
    Row("aws:region of no partition", config={"aws:region": "mars-1", "connect-contact:endpoint": "local"},
        destination="error: aws:region: 'mars-1' is in no AWS partition"),
    Row("aws:region in capitals", config={"aws:region": "EU-WEST-2"}, env=LOCAL_CREDENTIALS,
        destination="error: aws:region: 'EU-WEST-2' is not a region name (they are lower case); use 'eu-west-2'"),
    Row("aws:region with a leading space", config={"aws:region": " us-east-1"}, env=LOCAL_CREDENTIALS,
        destination="error: aws:region: ' us-east-1' is not a region name"),
    Row("AWS_DEFAULT_REGION of no partition", env={"AWS_DEFAULT_REGION": "mars-1", **LOCAL_CREDENTIALS},
        destination="error: the AWS region (from AWS_DEFAULT_REGION or the AWS profile): 'mars-1' is in no AWS"),
    # Placeholder credentials are only for `endpoint: local`, the project's own service: a URL,
    # on this machine or not, is signed with the user's credentials, as boto3 would.
    Row("AWS_ENDPOINT_URL_CONNECT, no credentials", env={"AWS_ENDPOINT_URL_CONNECT": TEST_SERVICE},
        destination="error: " + BOTH_FIXES[0]),
    Row("endpoint URL in stack config, no credentials", config={"connect-contact:endpoint": TEST_SERVICE},
        destination="error: " + BOTH_FIXES[0]),
    Row("AWS_ENDPOINT_URL_CONNECT", env={"AWS_ENDPOINT_URL_CONNECT": TEST_SERVICE, **LOCAL_CREDENTIALS},
        destination=f"Connect: endpoint {TEST_SERVICE} (us-east-1)"),
    Row("AWS_ENDPOINT_URL", env={"AWS_ENDPOINT_URL": TEST_SERVICE, **LOCAL_CREDENTIALS},
        destination=f"Connect: endpoint {TEST_SERVICE} (us-east-1)"),
    Row("endpoint URL in stack config wins over the environment",
        env={"AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:9", **LOCAL_CREDENTIALS},
        config={"connect-contact:endpoint": TEST_SERVICE},
        destination=f"Connect: endpoint {TEST_SERVICE} (us-east-1)"),
    Row("an endpoint_url in the AWS profile", config={"aws:profile": "with-endpoint"},
        destination=f"Connect: endpoint {TEST_SERVICE} (eu-west-2)"),
    Row("configured endpoints ignored as boto3 is told",
        env={"AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:9", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
             "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "eu-west-2"},
        destination="Connect: AWS eu-west-2 (credentials from env)"),
]


@pytest.fixture
def stand_in():
    aws = AwsStandIn()
    yield aws
    aws.close()


def aws_environment(tmp_path: Path, stand_in: AwsStandIn, row_env: dict, test_service: str = "") -> dict[str, str]:
    """No AWS settings from this machine: the row's alone, AWS files in `tmp_path`, AWS behind the stand-in."""
    (tmp_path / "config").write_text(PROFILES.format(test_service=test_service or "http://127.0.0.1:9"))
    (tmp_path / "credentials").write_text(CREDENTIALS_FILE)
    (tmp_path / "malformed").write_text("[profile broken\nregion = = =\n")
    env = {name: "" for name in os.environ if name.startswith("AWS_") and name not in KEPT_AWS_VARIABLES}
    env.update({"AWS_CONFIG_FILE": str(tmp_path / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
                **stand_in.environment()})
    env.update({name: (str(tmp_path / "malformed") if value == "{malformed}" else value) for name, value in row_env.items()})
    return env


def with_service(values: dict, url: str) -> dict:
    return {name: (url if value == TEST_SERVICE else value) for name, value in values.items()}


@pytest.fixture(scope="module")
def profile_service(tmp_path_factory):
    """A local service that also accepts the profile's keys (a client configured by the profile signs with them)."""
    with LocalConnect(tmp_path_factory.mktemp("profile-service") / "connect.db",
                      credentials={"AKIDPROFILEKEYS": "profile-secret"}) as service:
        yield service


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_endpoint_resolution(row, tmp_path, project, stand_in, profile_service, monkeypatch):
    env = aws_environment(tmp_path, stand_in, with_service(row.env, profile_service.url),
                          profile_service.url)
    for name, value in env.items():
        monkeypatch.setenv(name, value) if value else monkeypatch.delenv(name, raising=False)
    config = with_service(row.config, profile_service.url).get
    expected = row.destination.replace(TEST_SERVICE, profile_service.url)
    if expected.startswith("error: "):
        with pytest.raises(ConnectContactError) as raised:  # when the settings are read, or used
            connect(ClientSettings.from_config(config), project_dir=project)
        assert str(raised.value).startswith(expected[len("error: "):]) and "\n" not in str(raised.value)
        if expected == "error: " + BOTH_FIXES[0]:
            assert all(fix in str(raised.value) for fix in BOTH_FIXES)
        assert not (project / local.DATA_DIR).exists() and stand_in.reached() == []
        return
    connection = connect(ClientSettings.from_config(config), project_dir=project)
    if expected == LOCAL:
        service = local.ensure_running(project)
        region = row.config.get("aws:region", "us-east-1")  # the configured region is honoured
        own_instance = f", instance {service.instance_id}" if region == "us-east-1" else ""
        assert connection.destination == f"Connect: local service {service.url} ({region}{own_instance})"
        # aws.RETRIES, as botocore keeps it: max_attempts 20 retries is 21 attempts in all
        assert connection.client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 21}
        instance = local.instance_in(service, region)
        assert (instance == service.instance_id) == (region == "us-east-1")
        created = connection.client.create_contact(InstanceId=instance, Channel="TASK",
                                                   InitiationMethod="API", Name=row.name)
        assert created["ContactArn"].startswith(f"arn:aws:connect:{region}:123456789012:instance/{instance}/")
        if region != "us-east-1":  # the service's own instance is not in the configured region
            with pytest.raises(connection.client.exceptions.ResourceNotFoundException):
                connection.client.create_contact(InstanceId=service.instance_id, Channel="TASK",
                                                 InitiationMethod="API", Name=row.name)
        assert stand_in.reached() == []
    elif expected.startswith("Connect: endpoint "):
        assert connection.destination == expected
        region = expected.rsplit("(", 1)[1].rstrip(")")
        before = profile_service.stats()["regions"].get(region, 0)
        connection.client.list_instances()  # that region's instances (none, when the service's are another's)
        assert profile_service.stats()["regions"].get(region, 0) == before + 1
        assert stand_in.reached() == [] and not (project / local.DATA_DIR).exists()
    else:
        assert connection.destination == expected
        region = expected.split()[2]
        client = connection.client
        client.meta.events.unregister(f"needs-retry.{client.meta.service_model.service_id.hyphenize()}",
                                      unique_id=f"retry-config-{client.meta.service_model.service_id.hyphenize()}")
        with pytest.raises(botocore.exceptions.BotoCoreError):
            client.describe_contact(InstanceId="i", ContactId="c")
        assert [line.rsplit(" ", 1)[0] for line in stand_in.reached()] == [f"CONNECT connect.{region}.amazonaws.com:443"]
        assert not (project / local.DATA_DIR).exists()


def test_the_provider_host_says_once_where_contacts_go(tmp_path, project, stand_in):
    env = aws_environment(tmp_path, stand_in, {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"})
    with ProviderHost(cwd=project, env=env, pythonpath=(ROOT,)) as host:
        engine = Engine(host, config={"connect-contact:endpoint": "local"})
        service = local.ensure_running(project)
        for name in ("first", "second"):
            registered = contact(name, service.instance_id, name=name)
            engine.up(registered.urn, registered.object)
        info = [line for line in host.stderr.splitlines() if "Connect:" in line]
    assert info == [f"info: Connect: local service {service.url} (us-east-1, instance {service.instance_id})"]
    names = {found.get("Name") for found in all_contacts(local.client(service), service.instance_id)}
    assert names == {"first", "second"} and stand_in.reached() == []


def test_no_credentials_and_no_endpoint_is_one_line_naming_both_fixes(tmp_path, project, stand_in):
    env = aws_environment(tmp_path, stand_in, {})
    with ProviderHost(cwd=project, env=env, pythonpath=(ROOT,)) as host:
        engine = Engine(host, config={"aws:region": "eu-west-2"})
        registered = contact("nowhere", "00000000-0000-4000-8000-000000000000")
        with pytest.raises(HostError) as raised:
            engine.up(registered.urn, registered.object)
    details = raised.value.details.strip()
    assert "\n" not in details and all(fix in details for fix in BOTH_FIXES)
    assert stand_in.reached() == [] and not (project / local.DATA_DIR).exists()


def test_check_ignores_a_stale_profile_and_a_malformed_aws_config(tmp_path, monkeypatch):
    (tmp_path / "malformed").write_text("[profile broken\nregion = = =\n")
    script = ("from connect_contact.provider import ContactProvider; "
              "result = ContactProvider().check({}, {'instanceId': 'i', 'channel': 'TASK', 'initiationMethod': 'API'}); "
              "assert result.failures == [], result.failures; print('checked')")
    env = {**os.environ, "AWS_PROFILE": "gone", "AWS_CONFIG_FILE": str(tmp_path / "malformed"),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "checked", result.stderr


def test_endpoint_from_stack_config_wins_over_the_environment(shared_connect_service, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = make_client(ClientSettings(region="us-east-1", endpoint=shared_connect_service.url))
    assert client.meta.endpoint_url == shared_connect_service.url


def test_idempotency_conflict_is_one_line_naming_the_token(shared_connect_service):
    client = shared_connect_service.client()
    instance_id = shared_connect_service.instance_id
    client.create_contact(InstanceId=instance_id, Channel="TASK", InitiationMethod="API", ClientToken="shared-token",
                          RelatedContactId="someone-else")
    with ProviderHost(env=LOCAL_CREDENTIALS) as host:
        engine = Engine(host, config={"aws:region": "us-east-1",
                                      "connect-contact:endpoint": shared_connect_service.url})
        registered = contact("token-clash", instance_id, client_token="shared-token")
        with pytest.raises(HostError) as raised:
            engine.up(registered.urn, registered.object)
    details = raised.value.details.strip()
    assert "\n" not in details and "IdempotencyException" in details and "client_token" in details


def test_access_denied_names_the_iam_actions():
    error = botocore.exceptions.ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "not authorized to perform connect:CreateContact"}},
        "CreateContact")
    message = str(explain(error, "CreateContact", instance_id="i-1"))
    assert "\n" not in message and all(action in message for action in IAM_ACTIONS)


def test_the_serialised_provider_holds_no_configuration():
    provider = ContactProvider()
    provider.configure(type("Request", (), {"config": type("Config", (), {
        "get": staticmethod({"aws:secretKey": "SECRET-KEY", "aws:accessKey": "AKID"}.get)})()})())
    assert b"SECRET-KEY" not in pickle.dumps(provider) and "SECRET-KEY" not in repr(provider._settings)


IMDS_TOKEN = "/latest/api/token"
"""The first request of botocore's instance-metadata credential provider (IMDSv2)."""


@pytest.mark.parametrize("env, config, asks_imds, destination", [
    # An endpoint URL without credentials is refused, as the profile's endpoint below is: the local
    # service's credentials go only with `endpoint: local`.
    ({}, {"connect-contact:endpoint": TEST_SERVICE}, False, "error: " + BOTH_FIXES[0]),
    ({"AWS_ENDPOINT_URL_CONNECT": TEST_SERVICE}, {}, False, "error: " + BOTH_FIXES[0]),
    ({}, {"connect-contact:endpoint": "local"}, False, LOCAL),
    ({}, {"aws:profile": "endpoint-only"}, False, "error: " + BOTH_FIXES[0]),
    ({}, {"aws:region": "eu-west-2"}, True, "error: " + BOTH_FIXES[0]),
    ({"AWS_EC2_METADATA_DISABLED": "true"}, {"aws:region": "eu-west-2"}, False, "error: " + BOTH_FIXES[0]),
], ids=["endpoint in stack config", "endpoint in the environment", "endpoint local", "endpoint in the profile",
        "AWS", "AWS with AWS_EC2_METADATA_DISABLED"])
def test_instance_metadata_is_asked_for_credentials_only_for_aws(env, config, asks_imds, destination, tmp_path,
                                                                 project, stand_in, shared_connect_service,
                                                                 monkeypatch):
    """IMDS (EC2's instance metadata) is a credential source of boto3's chain: the provider asks it
    only when contacts go to AWS and nothing else gave credentials, as boto3 would; never for the
    local service or a configured endpoint. The stand-in plays IMDS, on loopback."""
    url = shared_connect_service.url
    environment = aws_environment(tmp_path, stand_in, with_service(env, url), url)
    environment.pop("AWS_EC2_METADATA_DISABLED")
    environment.update({"AWS_EC2_METADATA_SERVICE_ENDPOINT": stand_in.url, **with_service(env, url)})
    for name, value in environment.items():
        monkeypatch.setenv(name, value) if value else monkeypatch.delenv(name, raising=False)
    settings = ClientSettings.from_config(with_service(config, url).get)
    expected = destination.replace(TEST_SERVICE, url)
    if expected.startswith("error: "):
        with pytest.raises(ConnectContactError) as raised:
            connect(settings, project_dir=project)
        assert all(fix in str(raised.value) for fix in BOTH_FIXES) and "\n" not in str(raised.value)
    else:
        connection = connect(settings, project_dir=project)
        assert expected in connection.destination
        assert connection.client.list_instances()["InstanceSummaryList"]
    asked = [line for line in stand_in.reached() if IMDS_TOKEN in line]
    assert bool(asked) == asks_imds, stand_in.reached()
    assert [line for line in stand_in.reached() if IMDS_TOKEN not in line and "/latest/" not in line] == []
