"""What the reports aggregate, as plain dataclasses: a scale asked before and after, the
nine-domain profile, an agenda's trend across sessions.

Apart from reports.py so that charts.py can draw them without importing reports.py,
which imports charts.py (and the service) to build them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from workshop.models import Exercise

MIN_RADAR_DOMAINS = 3  # below this the profile is a sentence, not a one- or two-point radar


def signed(number: float) -> str:
    """A change with its sign; no change reads as ±0."""
    return "±0" if number == 0 else f"{number:+g}"


@dataclass(frozen=True)
class PrePost:
    """The same scale asked twice in one session, paired by phone (never shown by phone).

    `pairs` holds (before, after, phones): how many phones moved from one value to
    the other, so the chart never carries anything that identifies a phone.
    """

    exercise: Exercise
    before_step: int               # 0-based step indices
    after_step: int
    pairs: tuple[tuple[float, float, int], ...]
    unpaired: int                  # phones that answered only one of the two (not a pass)
    min_answers: int

    @property
    def paired(self) -> int:
        return sum(n for _, _, n in self.pairs)

    def _values(self, which: int) -> list[float]:
        return [pair[which] for pair in self.pairs for _ in range(pair[2])]

    @property
    def changes(self) -> list[float]:
        return [after - before for before, after, n in self.pairs for _ in range(n)]

    @property
    def median_change(self) -> float | None:
        return statistics.median(self.changes) if self.pairs else None

    @property
    def median_before(self) -> float | None:
        return statistics.median(self._values(0)) if self.pairs else None

    @property
    def median_after(self) -> float | None:
        return statistics.median(self._values(1)) if self.pairs else None

    @property
    def suppressed(self) -> bool:
        return self.paired < self.min_answers

    def summary(self) -> str:
        """The counts in words, with units."""
        settings = self.exercise.settings
        unit = f"points on the {settings['min']}–{settings['max']} scale"
        parts = [f"{self.paired} phone{'s' if self.paired != 1 else ''} answered both"]
        if not self.suppressed and self.median_change is not None:
            parts.append(f"median change {signed(self.median_change)} {unit}")
        parts.append(f"{self.unpaired} answered only once and {'is' if self.unpaired == 1 else 'are'} "
                     "left out")
        return " · ".join(parts)


@dataclass(frozen=True)
class DomainPoint:
    domain: str
    label: str
    median: float | None       # on 0-10, None when no shown scale answers
    answers: int
    steps: int


@dataclass(frozen=True)
class DomainProfile:
    """The group's median per domain of integration, from scale steps, on 0-10."""

    points: tuple[DomainPoint, ...]     # always the nine domains, in their usual order

    @property
    def has_data(self) -> bool:
        return any(p.median is not None for p in self.points)

    @property
    def touched(self) -> tuple[DomainPoint, ...]:
        """The domains with shown scale answers."""
        return tuple(p for p in self.points if p.median is not None)

    @property
    def drawable(self) -> bool:
        """A radar needs three corners; with fewer it is a dot or a line, so say it in words."""
        return len(self.touched) >= MIN_RADAR_DOMAINS

    def sentence(self) -> str:
        """e.g. "This agenda touched 1 domain with a scale: Vertical 6 / 10 (a radar needs 3)."."""
        touched = self.touched
        values = ", ".join(f"{p.label} {p.median:g} / 10" for p in touched)
        return (f"This agenda touched {len(touched)} domain{'s' if len(touched) != 1 else ''} with a scale: "
                f"{values} (a radar needs {MIN_RADAR_DOMAINS}).")


@dataclass(frozen=True)
class TrendSeries:
    step: int                  # 0-based step index in the agenda
    exercise_id: str
    label: str
    medians: tuple[float | None, ...]   # one per session, None when not shown


@dataclass(frozen=True)
class Trend:
    """Scale steps of one agenda across the sessions that ran it, oldest first."""

    agenda_id: str
    sessions: tuple[tuple[str, datetime], ...]    # (code, created_at)
    series: tuple[TrendSeries, ...]
