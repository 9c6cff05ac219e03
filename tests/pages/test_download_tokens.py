"""Download tokens serve their own browser a few times, then expire."""

from workshop.downloads import DownloadTokens


def test_a_token_serves_only_its_browser_three_times_within_120_seconds():
    tokens = DownloadTokens()
    token = tokens.issue(b"report", "r.html", "text/html", browser="b1", tag="ABCDEF", now=0.0)
    assert len(token) == 22  # 16 random bytes
    assert tokens.take(token, "someone-else", now=1.0) is None
    assert tokens.take(token, None, now=1.0) is None
    assert [tokens.take(token, "b1", now=1.0).content for _ in range(3)] == [b"report"] * 3
    assert tokens.take(token, "b1", now=2.0) is None


def test_a_token_expires_after_120_seconds_and_on_purge():
    tokens = DownloadTokens()
    late = tokens.issue(b"x", "a.zip", "application/zip", browser="b1", tag="ABCDEF", now=0.0)
    assert tokens.take(late, "b1", now=120.0) is None
    purged = tokens.issue(b"x", "a.zip", "application/zip", browser="b1", tag="ABCDEF", now=200.0)
    tokens.revoke("ABCDEF")
    assert tokens.take(purged, "b1", now=201.0) is None
