"""Guards for the bad-input suite: a local listener that must never be called, and no outbound sockets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class Listener:
    port: int
    accepted: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    """A server on 127.0.0.1 that resource paths point at; any connection to it is a failure."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    record = Listener(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except (TimeoutError, OSError):
                continue
            record.accepted.append(address)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield record
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture(autouse=True)
def no_outbound_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every connect() attempted during a case is recorded and refused."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(address)
        raise OSError("network access is not allowed while validating")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: attempts.append(address) or 111)
    yield attempts
    assert attempts == [], f"network connections attempted: {attempts}"
