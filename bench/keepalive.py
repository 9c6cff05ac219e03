"""What one request costs on a kept-alive connection, and a burst of phones loading the page.

Against a running server (`streamlit run app.py`), this sends the same asset request five
times over one raw socket and prints each round trip, then has `--phones` httpx clients (4
connections each, as a phone's browser keeps several) load /join and every asset it names,
all at once, and prints requests per second and the p50 page load.

    python -m bench.keepalive --url http://127.0.0.1:8501 --phones 100

Found with it: every request after the first on one connection waited 43–47 ms for the
client's delayed ACK (Nagle's algorithm, web/nodelay.py). The burst part is limited by this
client's own CPU (httpx, about 5 ms a request), not the server's (about 0.8 ms a request).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import time
import urllib.parse
import urllib.request

import httpx

from bench.load.phone import page_assets


def round_trips(url: str, path: str, repeat: int = 5) -> list[float]:
    """Milliseconds per request, `repeat` requests over one kept-alive socket."""
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port or 80))
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    times = []
    with sock:
        for _ in range(repeat):
            start = time.perf_counter()
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            while len(body) < length:
                body += sock.recv(65536)
            times.append((time.perf_counter() - start) * 1000)
    return times


async def phone(url: str, loads: list[float]) -> int:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        start = time.perf_counter()
        page = await client.get(url + "/join")
        assets = page_assets(page.text, str(page.url))
        await asyncio.gather(*(client.get(asset) for asset in assets))
        loads.append(time.perf_counter() - start)
        return 1 + len(assets)


async def burst(url: str, phones: int) -> None:
    loads: list[float] = []
    start = time.perf_counter()
    requests = await asyncio.gather(*(phone(url, loads) for _ in range(phones)))
    wall = time.perf_counter() - start
    loads.sort()
    print(f"{phones} phones, {requests[0]} requests each: {sum(requests) / wall:.0f} requests/s, "
          f"page load p50 {loads[len(loads) // 2]:.2f} s, max {loads[-1]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--phones", type=int, default=100)
    args = parser.parse_args()
    html = urllib.request.urlopen(args.url + "/join").read().decode()
    first = urllib.parse.urlsplit(page_assets(html, args.url + "/join")[0]).path
    print("one connection, ms per request:", [round(t, 1) for t in round_trips(args.url, first)])
    asyncio.run(burst(args.url, args.phones))


if __name__ == "__main__":
    main()
