"""What a question kind declares: the one contract every module in workshop/questions/ fills."""

from __future__ import annotations

import random
from typing import Any, ClassVar

import plotly.graph_objects as go

from workshop.models import Exercise, QuestionType
from workshop.results import StepResults


class QuestionKind:
    """Everything one question type means, in one place (docs/architecture.md, "Adding a kind").

    `settings` validates a content file's settings (errors name the field); `normalise`
    checks a phone's value and returns what is stored; `tally` turns the stored values shown
    to the room into `StepResults`; `examples` makes answers for the agenda builder's
    preview; `figure` draws the projector's chart (None: a text wall); `phone_settings` is
    what the phone is sent, limits included; `describe` says in words what the phone shows;
    `value_format` is the data dictionary's sentence about the exported value;
    `facilitator_cue` is a quiet sentence for the facilitator's laptop only (never the
    projector or phones), or None.
    """

    type: ClassVar[QuestionType]
    moderated: ClassVar[bool] = False    # typed answers the facilitator approves or hides
    phone_rows: ClassVar[int] = 0        # how many rows of counts phones may see (0: none)
    value_format: ClassVar[str] = ""

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        return {}

    def normalise(self, exercise: Exercise, raw: Any) -> Any:
        raise NotImplementedError

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        raise NotImplementedError

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> Any:
        raise NotImplementedError

    def figure(self, results: StepResults) -> go.Figure | None:
        return None

    def facilitator_cue(self, results: StepResults) -> str | None:
        return None

    def phone_settings(self, exercise: Exercise) -> dict[str, Any]:
        return dict(exercise.settings)

    def describe(self, exercise: Exercise) -> str:
        raise NotImplementedError
