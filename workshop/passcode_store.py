"""The facilitator passcode the app made itself, kept across restarts as a slow hash.

With no passcode configured (WORKSHOP_PASSCODE or secrets.toml), the first start makes
one, prints it once and keeps only its scrypt hash in a file beside the database (mode
0600). Later starts check attempts against that file, so a restart (a crash, a laptop
that slept, an update) keeps the passcode the facilitator already has, and someone who
later copies the data folder gets a hash that costs 85 ms per guess to test (measured
on this 2-core machine with n=2**15, r=8) against a 72-bit passcode.

`python -m workshop.passcode_store new` makes a new passcode and prints it (the old one
stops working at the next sign-in, without a restart).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from workshop.access import generate_passcode

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
_MAXMEM = 128 * 1024 * 1024  # scrypt needs 128 * n * r bytes = 32 MiB here


def hash_passcode(passcode: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$digest`, all that verifying needs, nothing that reveals the passcode."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=_MAXMEM, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def passcode_matches_hash(stored: str, attempt: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != "scrypt":
            return False
        tried = hashlib.scrypt(attempt.strip().encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                               r=int(r), p=int(p), maxmem=_MAXMEM, dklen=32)
    except (ValueError, MemoryError):
        return False  # a damaged file signs nobody in
    return hmac.compare_digest(tried.hex(), digest)


@dataclass(frozen=True)
class PasscodeFile:
    """Where the generated passcode's hash lives: one line, readable by this user only."""

    path: Path

    def exists(self) -> bool:
        return self.path.is_file()

    def matches(self, attempt: str) -> bool:
        """Read on every attempt, so a new passcode works without restarting the server."""
        try:
            stored = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return passcode_matches_hash(stored, attempt)

    def made_at(self) -> float:
        return self.path.stat().st_mtime

    def new(self) -> str:
        """Make a new passcode, keep its hash (written whole, then moved into place), return it."""
        passcode = generate_passcode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(hash_passcode(passcode) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o600)  # also when the file existed with wider rights
        os.replace(partial, self.path)
        return passcode


def main(argv: list[str]) -> int:
    from workshop import config

    store = PasscodeFile(config.passcode_file())
    if argv[1:] != ["new"]:
        print("usage: python -m workshop.passcode_store new   (make and print a new facilitator passcode)")
        return 2
    print(f"New facilitator passcode: {store.new()}  (the old one no longer signs in)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
