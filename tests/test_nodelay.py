"""The server's connections turn Nagle's algorithm off (web/nodelay.py)."""

import socket

from web.nodelay import no_delay_on_listeners


def test_a_connection_accepted_on_a_listener_like_streamlits_has_nagle_off():
    # Streamlit binds with socket.socket(family=…): proto 0, which asyncio's own nodelay skips.
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        assert listener.proto == 0
        assert no_delay_on_listeners() >= 1
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()


def test_without_it_the_accepted_connection_keeps_nagle_on():
    # The control: this is what the server had before, so the test above can fail.
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    finally:
        listener.close()
