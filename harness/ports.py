"""A free TCP port on loopback, for a server started next."""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the kernel's pick); another process could take it first."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
