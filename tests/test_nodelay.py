"""The server's connections turn Nagle's algorithm off (web/nodelay.py)."""

import socket
from contextlib import contextmanager

from web.nodelay import no_delay_on_listeners


@contextmanager
def listener_like_streamlits():
    """A listening socket bound as Streamlit binds its own: socket.socket(family=…), proto 0,
    which asyncio's own nodelay skips."""
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        assert listener.proto == 0
        yield listener
    finally:
        listener.close()


def nagle_off_on_accepted(listener: socket.socket) -> bool:
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    with client, accepted:
        return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_a_connection_accepted_on_a_listener_like_streamlits_has_nagle_off():
    with listener_like_streamlits() as listener:
        assert no_delay_on_listeners() >= 1
        assert nagle_off_on_accepted(listener)


def test_without_it_the_accepted_connection_keeps_nagle_on():
    # The control: this is what the server had before, so the test above can fail.
    with listener_like_streamlits() as listener:
        assert not nagle_off_on_accepted(listener)
