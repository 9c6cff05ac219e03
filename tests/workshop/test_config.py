"""The refresh settings: the projector twice a second by default, the facilitator's panel once."""

import pytest

from workshop import config


@pytest.mark.parametrize("value, projector, facilitator", [
    (None, 0.5, 1.0),         # the defaults
    ("0.2", 0.5, 1.0),        # never faster than twice a second
    ("2", 2.0, 2.0),          # a slower projector slows the facilitator's panel too
    ("soon", 0.5, 1.0),       # not a number: the default
])
def test_the_projector_refreshes_twice_a_second_and_the_facilitator_once(monkeypatch, value, projector, facilitator):
    if value is None:
        monkeypatch.delenv("WORKSHOP_REFRESH_SECONDS", raising=False)
    else:
        monkeypatch.setenv("WORKSHOP_REFRESH_SECONDS", value)
    assert config.refresh_seconds() == projector
    assert config.facilitator_refresh_seconds() == facilitator
