"""Widgets of the agenda builder: the step list and the phone/projector preview."""

from __future__ import annotations

import streamlit as st

from ui.components import results_view
from workshop.aggregate import aggregate_step
from workshop.models import Exercise, QuestionType
from workshop.preview import example_answers

DRAFT = "builder_steps"


def move(index: int, offset: int) -> None:
    steps = st.session_state[DRAFT]
    target = index + offset
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]


def remove(index: int) -> None:
    del st.session_state[DRAFT][index]


def step_list(exercises: dict[str, Exercise]) -> None:
    steps: list[str] = st.session_state[DRAFT]
    if not steps:
        st.info("No steps yet. Add exercises from the library below.")
        return
    for i, exercise_id in enumerate(steps):
        exercise = exercises[exercise_id]
        label, up, down, preview, drop = st.columns([8, 1, 1, 1.4, 1], vertical_alignment="center")
        label.text(f"{i + 1}. {exercise.title} · {exercise.domain_label} · {exercise.type.label} · "
                   f"{exercise.minutes} min")
        up.button("↑", key=f"builder_up_{i}", on_click=move, args=(i, -1), disabled=i == 0,
                  help="Move up")
        down.button("↓", key=f"builder_down_{i}", on_click=move, args=(i, 1),
                    disabled=i == len(steps) - 1, help="Move down")
        preview.button("Preview", key=f"builder_preview_{i}",
                       on_click=st.session_state.__setitem__, args=("builder_previewing", exercise_id))
        drop.button("✕", key=f"builder_remove_{i}", on_click=remove, args=(i,), help="Remove")


def _phone_control(exercise: Exercise) -> str:
    s = exercise.settings
    kind = exercise.type
    if kind is QuestionType.SCALE:
        return f"A slider from {s['min']} ({s['min_label'] or '—'}) to {s['max']} ({s['max_label'] or '—'})."
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        how = "Pick one" if kind is QuestionType.SINGLE_CHOICE else f"Pick up to {s['max_choices']}"
        return f"{how}: " + " · ".join(s["options"])
    if kind is QuestionType.WORD:
        return f"A box for up to {s['max_words']} word(s), 40 characters."
    if kind is QuestionType.TEXT:
        return "A box for a short text, up to 280 characters."
    if kind is QuestionType.SPECTRUM:
        middle = f" (middle: {s['middle']})" if s["middle"] else ""
        return f"A track from “{s['left']}” to “{s['right']}”{middle}."
    return (f"A field to tap: left “{s['x_left']}”, right “{s['x_right']}”, "
            f"bottom “{s['y_bottom']}”, top “{s['y_top']}”.")


def preview(exercise: Exercise) -> None:
    """How one exercise reads on a phone and looks on the projector (with made-up answers)."""
    phone, projector = st.columns([1, 2])
    with phone.container(border=True):
        st.caption(f"On phones · {exercise.domain_label}")
        if exercise.content_note:
            st.warning(exercise.content_note)
        st.markdown(f"**{exercise.prompt}**")
        st.write(_phone_control(exercise))
        st.caption("Send · Pass")
    with projector.container(border=True):
        st.caption("On the projector, with 12 made-up answers")
        results = aggregate_step(exercise, example_answers(exercise), participants=12)
        results_view(results, key=f"builder_chart_{exercise.id}")
    with st.expander("Facilitator notes"):
        st.write(exercise.notes)
