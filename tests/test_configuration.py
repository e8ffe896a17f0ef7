"""Where the provider sends its Connect calls, and how it reports what goes wrong there."""

import os
import signal
import socket
import subprocess
import sys

import botocore.exceptions
import pytest
from tests.support.emulator_support import all_contacts
from tests.support.engine import Engine
from tests.support.host import HostError, ProviderHost
from tests.support.lifecycle import contact

from connect_contact import local
from connect_contact.aws import IAM_ACTIONS, ClientSettings, explain, make_client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NO_AWS = {"AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_CONFIG_FILE": os.devnull, "AWS_ACCESS_KEY_ID": "",
          "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_ENDPOINT_URL": "",
          "AWS_ENDPOINT_URL_CONNECT": "", "AWS_EC2_METADATA_DISABLED": "true"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def default_local_service(tmp_path):
    """The local service as a stack with no AWS account starts it: in the project directory, on its port."""
    port = free_port()
    script = f"from connect_contact import local; print(local.ensure_running({port}))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    url = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    pid = int((tmp_path / local.PID_FILE).read_text())
    yield port, url
    os.kill(pid, signal.SIGTERM)


def test_started_local_service_keeps_its_data_in_the_project(default_local_service, tmp_path):
    port, url = default_local_service
    assert url == f"http://127.0.0.1:{port}" and local.is_running(port)
    assert (tmp_path / local.DATABASE).exists()
    assert local.first_instance_id(url)


def test_no_aws_account_means_the_local_service(default_local_service, tmp_path):
    port, url = default_local_service
    instance_id = local.first_instance_id(url)
    env = {**NO_AWS, "CONNECT_CONTACT_LOCAL_PORT": str(port)}
    with ProviderHost(cwd=tmp_path, env=env, pythonpath=(ROOT,)) as host:
        engine = Engine(host, config={})
        registered = contact("embedded", instance_id)
        step = engine.up(registered.urn, registered.object)
    client = local_client(url)
    assert step.outputs["contactId"] in {found["Id"] for found in all_contacts(client, instance_id)}


def test_endpoint_from_stack_config_wins_over_the_environment(shared_connect_service, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = make_client(ClientSettings(region="us-east-1", endpoint=shared_connect_service.url))
    assert client.meta.endpoint_url == shared_connect_service.url


def test_boto3_endpoint_variable_is_honoured(shared_connect_service, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", shared_connect_service.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = make_client(ClientSettings(region="us-east-1"))
    assert client.list_instances()["InstanceSummaryList"]


def test_idempotency_conflict_is_one_line_naming_the_token(shared_connect_service):
    client = shared_connect_service.client()
    instance_id = shared_connect_service.instance_id
    client.create_contact(InstanceId=instance_id, Channel="TASK", InitiationMethod="API", ClientToken="shared-token",
                          RelatedContactId="someone-else")
    with ProviderHost(env={"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}) as host:
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


def local_client(url):
    import boto3
    return boto3.client("connect", region_name="us-east-1", endpoint_url=url, **local.CREDENTIALS)
