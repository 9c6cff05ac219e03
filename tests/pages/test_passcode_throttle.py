"""The passcode throttle slows one address or tab, but nobody in the room can lock the facilitator out."""

from workshop.access import Throttle


def guesses_per_hour(throttle: Throttle, addresses: int) -> int:
    """Drive the throttle with a fake clock: an attacker guessing whenever allowed, new tab each time."""
    now, made, tab = 0.0, 0, 0
    while now < 3600.0:
        for number in range(addresses):
            tab += 1
            who = {"address": f"10.0.{number // 250}.{number % 250}", "session": f"tab-{tab}"}
            if throttle.wait_seconds(now, **who) == 0:
                throttle.record(False, now, **who)
                made += 1
        now += 0.5  # each wrong guess costs the attacker's tab 0.5 s
    return made


def test_one_address_is_slowed_after_three_misses():
    throttle = Throttle()
    for tab in range(3):
        throttle.record(False, 100.0, address="10.0.0.9", session=f"tab-{tab}")
    assert throttle.wait_seconds(100.0, address="10.0.0.9", session="fresh-tab") == 1.0
    throttle.record(False, 101.0, address="10.0.0.9", session="tab-9")
    assert throttle.wait_seconds(101.0, address="10.0.0.9", session="fresh-tab") == 2.0
    assert throttle.wait_seconds(101.0, address="local", session="facilitator") == 0


def test_after_20_misses_from_another_address_the_facilitator_signs_in_at_once():
    throttle = Throttle()
    for guess in range(20):
        throttle.record(False, 100.0 + guess, address="10.0.0.9", session="attacker")
    assert throttle.wait_seconds(120.0, address="local", session="facilitator") == 0


def test_past_the_global_ceiling_a_known_browser_still_signs_in_at_once():
    throttle = Throttle(global_limit=30)
    throttle.record(True, 0.0, address="10.0.0.2", session="old-tab", browser="facilitator-browser")
    for number in range(40):
        throttle.record(False, 10.0, address="10.0.0.2", session=f"attacker-{number}")
    # Same address as the attackers, a new tab after a reload: the browser is known.
    assert throttle.wait_seconds(11.0, address="10.0.0.2", session="new-tab",
                                 browser="facilitator-browser") == 0
    assert throttle.wait_seconds(11.0, address="10.0.0.2", session="new-tab", browser="other") == 3599.0


def test_measured_guesses_per_hour_from_one_and_from_250_addresses():
    assert guesses_per_hour(Throttle(), addresses=1) == 22  # 3 free, 9 doubling waits (511 s), then one per 300 s
    assert guesses_per_hour(Throttle(), addresses=250) == 250  # one each: past 30 misses an address with a miss waits
