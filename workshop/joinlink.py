"""The join URL phones open, and its QR code rendered in memory."""

from __future__ import annotations

import io
import ipaddress
import socket
from urllib.parse import urlencode

import qrcode


def lan_address() -> str | None:
    """This machine's address on the local network, or None if it has none.

    Connecting a UDP socket only asks the kernel for a route: no packet is sent.
    """
    candidates: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 1))
            candidates.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        candidates.extend(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    for address in candidates:
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return address
    return None


def base_url(public_url: str, port: int, address: str | None = None) -> str:
    """The configured public URL, else http://<LAN address>:<port>; never localhost."""
    if public_url:
        return public_url.rstrip("/")
    host = address if address is not None else lan_address()
    if host is None:
        raise RuntimeError(
            "This machine has no network address phones could reach. Connect to the room's "
            "Wi-Fi, or set WORKSHOP_PUBLIC_URL.")
    return f"http://{host}:{port}"


def join_url(base: str, code: str) -> str:
    return f"{base}/join?{urlencode({'code': code})}"


def qr_png(url: str, box_size: int = 16) -> bytes:
    """A crisp PNG; error correction M still scans through projector glare."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=box_size)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
