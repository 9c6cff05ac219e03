"""Replies without the 40 ms Nagle stall: TCP_NODELAY on the server's listening sockets.

asyncio turns Nagle's algorithm off on every TCP connection it accepts, but only when the
socket says `proto == IPPROTO_TCP`. Streamlit 1.67 binds its own listening socket with
`socket.socket(family=…)` (proto 0), so the connections it accepts keep Nagle on: uvicorn
writes a response's headers and its body in two sends, and on a kept-alive connection the
body waits for the client's delayed ACK. Measured on this server (2 cores, loopback): every
request after the first on one connection took 43–47 ms (a 1 kB style sheet, /api/live,
/_stcore/health alike), the first 1–2 ms; plain uvicorn answered each in 1–4 ms. A phone
loads its page over 4–6 kept-alive connections, so it paid that stall about 8 times.

Linux (and the BSDs) copy TCP_NODELAY from a listening socket to the connections it accepts,
so setting it once at startup on every listening TCP socket of the process is enough.
"""

from __future__ import annotations

import os
import socket

_TCP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def _is_listening_tcp(sock: socket.socket) -> bool:
    try:
        return (sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM
                and bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)))
    except OSError:
        return False


def no_delay_on_listeners() -> int:
    """Set TCP_NODELAY on every listening TCP socket of this process; returns how many.

    Every open file descriptor is tried (`/dev/fd`, on Linux and macOS alike): one that is
    not a socket, or was closed meanwhile, refuses to become one and is skipped.
    """
    done = 0
    for name in os.listdir("/dev/fd"):
        try:
            sock = socket.socket(fileno=int(name))
        except OSError:
            continue
        try:
            if _is_listening_tcp(sock):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
        finally:
            sock.detach()       # the fd stays the server's: never close it
    return done
