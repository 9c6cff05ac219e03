"""Stopping a process this program started: ask, wait, then kill."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop(process: subprocess.Popen | None, timeout: float = 10.0, *, sig: int = signal.SIGTERM,
         group: bool = False) -> None:
    """Send `sig` and wait up to `timeout` seconds for the exit, then SIGKILL it.

    `group=True` signals the process's whole group: for a process started with
    `start_new_session=True`, so that its children go too. Does nothing if it has exited.
    """
    if process is None or process.poll() is not None:
        return
    send = os.killpg if group else os.kill
    with contextlib.suppress(ProcessLookupError):
        send(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            send(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
