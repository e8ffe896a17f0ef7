"""The local service keeps a connection open for the client's next request once it has read a
request to its end: botocore then sends every call on one connection. A request the service does
not read to its end still closes its connection after the answer."""

from __future__ import annotations

import socket

import urllib3


def test_calls_of_one_client_share_one_connection(connect_service, monkeypatch):
    opened = []
    new_conn = urllib3.connection.HTTPConnection._new_conn

    def counting(self):
        opened.append(self.port)
        return new_conn(self)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "_new_conn", counting)
    client = connect_service.client(total_max_attempts=1)
    answers = [client.describe_instance(InstanceId=connect_service.instance_id) for _ in range(20)]
    assert len(opened) == 1
    assert all("connection" not in answer["ResponseMetadata"]["HTTPHeaders"] for answer in answers)


def test_a_request_not_read_to_its_end_closes_its_connection(connect_service):
    host, port = connect_service.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        # unsigned: refused before its body is read
        connection.sendall(b"POST /contact/create-contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 2\r\n\r\n{}")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 4")
    assert b"connection: close" in head
