"""Whether Connect's endpoint can be reached, asked once before a process's first call
(`reachability`, `aws.OperationClients`): real sockets on loopback, a name under `.invalid` (which
RFC 6761 reserves never to resolve), and a proxy that carries the requests instead."""

from __future__ import annotations

import socket

import pytest

from connect_contact import aws, connect_api, reachability
from connect_contact.aws import ClientSettings, EndpointUnreachable, OperationClients
from tests.support.emulator_support import LOCAL_CREDENTIALS
from tests.support.network import refusing_port


@pytest.fixture
def closed_port():
    with refusing_port() as port:
        yield port


def test_a_port_that_refuses_is_tried_three_times_then_named(closed_port):
    slept: list[float] = []
    reason = reachability.unreachable_reason(f"http://127.0.0.1:{closed_port}", {}, sleep=slept.append)
    assert reason == f"nothing listens on 127.0.0.1:{closed_port} (connection refused), in 3 attempts"
    assert slept == [0.5, 1.0]


def test_an_unknown_host_name_is_named():
    reason = reachability.unreachable_reason("https://connect.invalid", {}, sleep=lambda _: None)
    assert reason == "the host name connect.invalid is not known (DNS), in 3 attempts"


def test_a_listening_endpoint_is_reached_with_one_connection():
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(10)
        port = server.getsockname()[1]
        slept: list[float] = []
        assert reachability.unreachable_reason(f"http://127.0.0.1:{port}/", {}, sleep=slept.append) is None
        server.accept()[0].close()
        server.settimeout(0)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert slept == []


def test_through_a_proxy_nothing_is_probed(closed_port):
    proxies = {"http": "http://proxy.example.com:3128"}
    assert reachability.unreachable_reason(f"http://127.0.0.1:{closed_port}", proxies, sleep=pytest.fail) is None
    assert reachability.unreachable_reason(f"https://127.0.0.1:{closed_port}", proxies,
                                           sleep=lambda _: None) is not None


def test_the_check_runs_once_before_the_first_client_and_its_refusal_is_raised_to_every_caller():
    checked: list[object] = []

    def refuse(client: object) -> None:
        checked.append(client)
        raise EndpointUnreachable("cannot reach Connect")

    clients = OperationClients(object, refuse)
    for operation in ("CreateContact", "DescribeContact", "CreateContact"):
        with pytest.raises(EndpointUnreachable, match="^cannot reach Connect$"):
            clients(operation)
    assert checked == [clients.first]


def test_a_check_that_passes_runs_once():
    checked: list[object] = []
    clients = OperationClients(object, checked.append)
    assert clients("CreateContact") is clients.first
    clients("DescribeContact")
    assert checked == [clients.first]


def test_a_configured_endpoint_nothing_listens_on_fails_the_first_call_in_one_line(closed_port, monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{closed_port}"
    connection = aws.connect(ClientSettings(endpoint=endpoint, endpoint_source=aws.CONFIG_ENDPOINT), environ={})
    api = connect_api.ConnectApi(connection.clients)
    with pytest.raises(EndpointUnreachable) as refused:
        api.call("DescribeContact", "i", "c", InstanceId="i", ContactId="c")
    assert str(refused.value) == (
        f"cannot reach Connect at {endpoint}: nothing listens on 127.0.0.1:{closed_port} (connection refused), in 3 "
        "attempts; nothing was sent. Check connect-contact:endpoint and that the service there is running (refresh "
        "and destroy use the settings the last `pulumi up` recorded)")


def test_a_region_with_no_connect_endpoint_names_the_region(monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(reachability, "RETRY_DELAYS", ())
    connection = aws.connect(ClientSettings(region="us-est-1"), environ={})
    with pytest.raises(EndpointUnreachable) as refused:
        connect_api.ConnectApi(connection.clients).call("DescribeContact", "i", "c", InstanceId="i", ContactId="c")
    assert str(refused.value) == (
        "cannot reach Connect at https://connect.us-est-1.amazonaws.com: the host name connect.us-est-1.amazonaws.com "
        "is not known (DNS), in 1 attempt; nothing was sent. Check aws:region (us-est-1) and this machine's network (refresh and "
        "destroy use the settings the last `pulumi up` recorded)")
