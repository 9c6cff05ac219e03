"""Agenda builder: assemble an agenda from the library, preview it, save and share it."""

import streamlit as st

from ui.agenda_builder import DRAFT, preview, step_list
from workshop.agendas import AgendaError, agenda_to_yaml, build_agenda
from workshop.models import DOMAIN_LABELS
from workshop.runtime import workshop
from workshop.refusals import WorkshopError

ws = workshop()
exercises = ws.library.exercises
saved, problems = ws.saved_agendas()
agendas = ws.agendas(saved)

st.title("Agenda builder")
st.page_link("facilitator.py", label="← Back to the facilitator view")


def load_base() -> None:
    base = agendas.get(st.session_state["builder_base"])
    st.session_state[DRAFT] = [step.id for step in base.steps] if base else []
    st.session_state["builder_title"] = f"{base.title} (my version)" if base else ""
    st.session_state["builder_description"] = base.description if base else ""


st.session_state.setdefault(DRAFT, [])
st.selectbox("Start from", ["", *agendas], key="builder_base", on_change=load_base,
             format_func=lambda a: agendas[a].title if a else "an empty agenda")
title = st.text_input("Name", key="builder_title", max_chars=120)
description = st.text_area("Description (for the facilitator choosing it)", key="builder_description",
                           max_chars=600, height=80)

st.subheader("Steps")
step_list(exercises)
minutes = sum(exercises[i].minutes for i in st.session_state[DRAFT])
st.caption(f"{len(st.session_state[DRAFT])} steps · about {minutes} minutes of exercises, plus talk time")

st.subheader("Add an exercise")
domain = st.selectbox("Domain", list(DOMAIN_LABELS), key="builder_domain",
                      format_func=DOMAIN_LABELS.__getitem__)
choices = [e.id for e in exercises.values() if e.domain == domain]
chosen = st.selectbox("Exercise", choices, key="builder_exercise",
                      format_func=lambda i: f"{exercises[i].title} ({exercises[i].type.label})")
if st.button("Add step", key="builder_add", disabled=not chosen):
    st.session_state[DRAFT].append(chosen)
    st.rerun()

previewing = st.session_state.get("builder_previewing") or chosen
if previewing in exercises:
    st.subheader(f"Preview: {exercises[previewing].title}")
    preview(exercises[previewing])

st.subheader("Save and share")
try:
    draft = build_agenda(title, description, st.session_state[DRAFT], exercises)
except AgendaError as exc:
    draft = None
    st.caption(str(exc).removeprefix("agenda: "))
save_col, export_col = st.columns(2)
if save_col.button("Save agenda", key="builder_save", type="primary", disabled=draft is None):
    try:
        ws.save_agenda(draft)
        st.success(f"Saved “{draft.title}”. It is now in the facilitator's agenda list.")
    except WorkshopError as exc:
        st.error(exc.message)
export_col.download_button("Export as a file", key="builder_export", disabled=draft is None,
                           data=agenda_to_yaml(draft) if draft else "",
                           file_name=f"{draft.id if draft else 'agenda'}.yaml", mime="application/x-yaml")

with st.form("builder_import_form"):
    upload = st.file_uploader("Import an agenda file (.yaml)", type=["yaml", "yml"], key="builder_import")
    replace = st.checkbox("Replace the saved one with the same id (otherwise it is imported as a copy)",
                          key="builder_import_replace")
    if st.form_submit_button("Import", key="builder_import_button") and upload is not None:
        try:
            imported = ws.import_agenda(upload.getvalue(), upload.name, replace=replace)
            copy = " An agenda with that id already existed, so this one was saved as a copy." \
                if imported.title.endswith(" (copy)") and not replace else ""
            st.success(f"Imported “{imported.title}” ({len(imported.steps)} steps).{copy}")
        except WorkshopError as exc:
            st.error(exc.message)

if saved:
    st.subheader("Your saved agendas")
    for agenda_id in sorted(saved):
        name_col, delete_col = st.columns([6, 1], vertical_alignment="center")
        name_col.text(f"{agendas[agenda_id].title} · {len(agendas[agenda_id].steps)} steps")
        with delete_col.popover("Delete", key=f"builder_delete_popover_{agenda_id}"):
            st.button("Yes, delete", key=f"builder_delete_{agenda_id}", on_click=ws.delete_agenda,
                      args=(agenda_id,))
for problem in problems:
    st.warning(problem)
