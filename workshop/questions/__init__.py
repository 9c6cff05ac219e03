"""Question kinds: one module each, behind one registry (docs/architecture.md, "Adding a kind").

`KINDS` maps each `QuestionType` to the object that knows what it means. Everything else asks
the registry: content validation, answer checks, tallies, previews, figures, what phones are
sent, the data dictionary. Tests that every kind must pass are parametrised over `KINDS`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.choice import MultipleChoice, SingleChoice
from workshop.questions.mood import Mood
from workshop.questions.points import Points
from workshop.questions.position2d import Position2D
from workshop.questions.ranking import Ranking
from workshop.questions.scale import Scale
from workshop.questions.spectrum import Spectrum
from workshop.questions.statements import Statements
from workshop.questions.text import Text
from workshop.questions.window import Window
from workshop.questions.word import Word
from workshop.results import StepResults

KINDS: dict[QuestionType, QuestionKind] = {
    kind.type: kind for kind in (Scale(), SingleChoice(), MultipleChoice(), Word(), Text(), Spectrum(),
                                 Position2D(), Window(), Points(),
                                 Ranking(), Mood(), Statements())
}


# Kinds whose typed answers the facilitator approves or hides (for storage's export rows).
MODERATED_TYPES = frozenset(t for t, kind in KINDS.items() if kind.moderated)


def kind_of(exercise: Exercise) -> QuestionKind:
    return KINDS[exercise.type]


def figure_for(results: StepResults) -> go.Figure | None:
    """The projector's chart for a step, or None for a kind shown as a wall of texts."""
    return kind_of(results.exercise).figure(results)
