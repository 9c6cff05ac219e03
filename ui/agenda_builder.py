"""Widgets of the agenda builder: the step list and the phone/projector preview."""

from __future__ import annotations

import streamlit as st

from ui.components import results_view
from workshop.aggregate import aggregate_step
from workshop.questions import figure_for, kind_of
from workshop.models import Exercise
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


def preview(exercise: Exercise) -> None:
    """How one exercise reads on a phone and looks on the projector (with made-up answers)."""
    phone, projector = st.columns([1, 2])
    with phone.container(border=True):
        st.caption(f"On phones · {exercise.domain_label}")
        if exercise.content_note:
            st.warning(exercise.content_note)
        st.markdown(f"**{exercise.prompt}**")
        st.write(kind_of(exercise).describe(exercise))
        st.caption("Send · Pass")
    with projector.container(border=True):
        st.caption("On the projector, with 12 made-up answers")
        results = aggregate_step(exercise, example_answers(exercise), participants=12)
        results_view(results, figure_for(results), key=f"builder_chart_{exercise.id}")
    with st.expander("Facilitator notes"):
        st.write(exercise.notes)
