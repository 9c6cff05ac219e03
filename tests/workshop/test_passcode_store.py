"""The generated facilitator passcode: kept across restarts as a slow hash, never as itself."""

from __future__ import annotations

import stat
import time

from workshop import config, runtime
from workshop.passcode_store import PasscodeFile, hash_passcode, main, passcode_matches_hash


def test_a_kept_passcode_is_a_scrypt_hash_readable_by_its_owner_only(tmp_path):
    kept = PasscodeFile(tmp_path / "data" / "facilitator-passcode.scrypt")
    passcode = kept.new()
    raw = kept.path.read_bytes()
    assert passcode.encode() not in raw and raw.startswith(b"scrypt$32768$8$1$")
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    assert kept.matches(passcode) and kept.matches(f"  {passcode} ")
    assert not kept.matches(passcode[:-1]) and not kept.matches("")
    assert not list(kept.path.parent.glob("*.partial"))


def test_checking_a_guess_against_the_hash_is_slow(tmp_path):
    stored = hash_passcode("river-bank")
    started = time.perf_counter()
    for _ in range(5):
        assert not passcode_matches_hash(stored, "river-bend")
    assert (time.perf_counter() - started) / 5 > 0.03  # ~85 ms measured; a fast hash is ~1 µs


def test_a_damaged_passcode_file_signs_nobody_in(tmp_path):
    kept = PasscodeFile(tmp_path / "passcode.scrypt")
    for damaged in ("", "scrypt$1$2", "md5$x$y$z$00$00", "scrypt$zz$8$1$00$00"):
        kept.path.write_text(damaged)
        assert not kept.matches("")
        assert not kept.matches("anything")


def test_a_new_passcode_replaces_the_old_one_without_a_restart(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "")
    monkeypatch.setenv("WORKSHOP_PASSCODE_FILE", str(tmp_path / "kept.scrypt"))
    first = PasscodeFile(config.passcode_file()).new()
    assert runtime.passcode_matches(first)
    assert main(["passcode_store", "new"]) == 0
    second = capsys.readouterr().out.split("New facilitator passcode: ")[1].split()[0]
    assert second != first and runtime.passcode_matches(second) and not runtime.passcode_matches(first)


def test_the_first_start_prints_the_passcode_once_and_later_starts_do_not(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "")
    monkeypatch.setenv("WORKSHOP_PASSCODE_FILE", str(tmp_path / "kept.scrypt"))
    monkeypatch.setattr(runtime, "_announced", False)
    runtime.announce_passcode()
    printed = capsys.readouterr().out
    passcode = printed.split("Facilitator passcode: ")[1].split()[0]
    assert runtime.passcode_matches(passcode)
    monkeypatch.setattr(runtime, "_announced", False)  # as a restarted process
    runtime.announce_passcode()
    again = capsys.readouterr().out
    assert passcode not in again and "the one printed when it was made" in again
    assert runtime.passcode_matches(passcode)


def test_a_configured_passcode_is_used_as_it_is_and_nothing_is_kept(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "our-own-choice")
    monkeypatch.setenv("WORKSHOP_PASSCODE_FILE", str(tmp_path / "kept.scrypt"))
    monkeypatch.setattr(runtime, "_announced", False)
    runtime.announce_passcode()
    assert capsys.readouterr().out == "" and not (tmp_path / "kept.scrypt").exists()
    assert runtime.passcode_matches("our-own-choice") and not runtime.passcode_matches("other")
    assert runtime.passcode_matches("from-secrets", from_secrets="from-secrets")
