"""A stand-in for AWS on loopback: an HTTP proxy that records every connection it gets
and forwards nothing. Point HTTPS_PROXY / HTTP_PROXY at it (with NO_PROXY naming
loopback) and any request bound for AWS lands here instead of on the internet."""

from __future__ import annotations

import socket
import threading


class AwsStandIn:
    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.requests: list[str] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, name="aws-stand-in", daemon=True).start()

    def environment(self) -> dict[str, str]:
        return {"HTTPS_PROXY": self.url, "HTTP_PROXY": self.url, "https_proxy": self.url, "http_proxy": self.url,
                "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
                "AWS_EC2_METADATA_DISABLED": "true"}

    def reached(self) -> list[str]:
        with self._lock:
            return list(self.requests)

    def close(self) -> None:
        self._server.close()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                try:
                    first_line = connection.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first_line = "(nothing read)"
                with self._lock:  # recorded before answering: the client may look as soon as it has the answer
                    self.requests.append(first_line)
                try:
                    connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass
