"""AppTest runs of the facilitator and projector pages against a real temporary DuckDB file."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.access import SIGNED_IN
from ui.facilitator import _value_key
from workshop import runtime

PAGES = Path(__file__).resolve().parents[2] / "pages"


@pytest.fixture(autouse=True)
def this_workshop(workshop, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://workshop.test:8501")
    runtime.replace(workshop)
    yield workshop
    runtime.replace(None)


def page(name: str) -> AppTest:
    """A page as a signed-in facilitator reaches it, through the app's navigation."""
    at = AppTest.from_file(str(PAGES / "navigation.py"), default_timeout=30)
    at.session_state[SIGNED_IN] = True
    if name != "facilitator.py":
        at.switch_page(name)
    return at


def html_text(at: AppTest) -> str:
    return " ".join(str(el.proto) for el in at.get("html"))


def test_the_facilitator_starts_a_session_and_steps_through_it(workshop):
    at = page("facilitator.py").run()
    assert not at.exception
    assert at.info[0].value == "No session is running. Pick an agenda and start one."
    at.selectbox(key="agenda_select").set_value("relational-checkin").run()
    at.button(key="start_session").click().run()
    [summary] = workshop.sessions()
    assert at.selectbox(key="session_select").value == summary.code
    assert at.code[0].value == f"http://workshop.test:8501/join?code={summary.code}"
    at.button(key="next_step").click().run()
    live = workshop.session(summary.code).live
    assert (live.step_index, live.is_open, live.results_shown) == (0, True, False)
    first = workshop.session(summary.code).steps[0]
    assert any(md.value == f"**{first.title}**: {first.prompt}" for md in at.markdown)
    assert [e.label for e in at.expander].count("Facilitator notes") == 1
    at.button(key="toggle_open").click().run()
    at.button(key="toggle_results").click().run()
    live = workshop.session(summary.code).live
    assert (live.is_open, live.results_shown) == (False, True)
    assert at.button(key="toggle_open").label == "Open answering"
    at.button(key="end_session").click().run()
    assert workshop.session(summary.code).live.ended
    assert at.info[-1].value == "No session is running. Pick an agenda and start one."


def test_the_facilitator_sees_live_counts(workshop):
    code = workshop.start_session("nine-domains-intro").code
    tokens = [workshop.join(code)[1] for _ in range(4)]
    workshop.go_to_step(code, 1)
    for value, token in zip([3, 5, 7], tokens):
        workshop.submit(code, token, 1, value)
    workshop.submit(code, tokens[3], 1, passed=True)
    at = page("facilitator.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Phones joined": "4", "Responded": "4", "Pause requests": "0", "Time (2 min)": "0:00"}
    assert [m.help for m in at.metric if m.label == "Responded"] == ["3 answers, 1 pass"]
    assert "4 responded: 3 answers, 1 pass · mean 5.0 · median 5" in [c.value for c in at.caption]


def test_the_projector_shows_code_and_qr_while_waiting_then_hides_results_until_shown(workshop):
    code = workshop.start_session("nine-domains-intro").code
    at = page("projector.py")
    at.query_params["code"] = code
    at.run()
    assert not at.exception
    assert code in html_text(at) and "workshop.test:8501<wbr>/join" in html_text(at)
    assert len(at.get("image")) == 1  # the QR code
    workshop.go_to_step(code, 1)
    tokens = [workshop.join(code)[1] for _ in range(3)]
    workshop.submit(code, tokens[0], 1, 8)
    at.run()
    text = html_text(at)
    assert workshop.session(code).steps[1].prompt in text
    assert "Results are hidden while you answer." in text and "1 responded" in text
    assert not at.get("plotly_chart")
    workshop.set_results_shown(code, True)
    at.run()
    assert "2 more answers needed before results are shown." in html_text(at)  # k = 3
    assert not at.get("plotly_chart")
    workshop.submit(code, tokens[1], 1, 6)
    workshop.submit(code, tokens[2], 1, 4)
    at.run()
    assert len(at.get("plotly_chart")) == 1
    assert "3 responded: 3 answers, 0 passes · mean 6.0 · median 6" in html_text(at)
    assert len(at.get("image")) == 1  # the QR beside the chart
    workshop.set_join_hidden(code, True)
    at.run()
    assert not at.get("image") and "3 responded" in html_text(at)
    workshop.set_blank(code, True)
    at.run()
    assert not at.get("plotly_chart") and not at.get("image")
    assert workshop.session(code).steps[1].prompt not in html_text(at)


def test_the_facilitator_alone_hears_that_most_of_the_group_is_outside_the_window(workshop):
    code = workshop.start_session("river-and-window").code
    step = next(i for i, s in enumerate(workshop.session(code).steps) if s.id == "window-of-tolerance")
    tokens = [workshop.join(code)[1] for _ in range(5)]
    workshop.go_to_step(code, step)
    for token, band in zip(tokens, ["above", "inside", "inside"]):
        workshop.submit(code, token, step, {"band": band})
    workshop.set_results_shown(code, True)
    cue = "Most of the group is outside the window"
    facilitator = page("facilitator.py").run()
    assert not facilitator.exception and not any(cue in i.value for i in facilitator.info)  # 1 of 3
    workshop.submit(code, tokens[3], step, {"band": "above", "position": 90})
    workshop.submit(code, tokens[4], step, {"band": "below"})
    facilitator.run()
    assert [i.value for i in facilitator.info if cue in i.value] == [
        "Most of the group is outside the window: 3 of 5 (2 above, 1 below). "
        "A slower pace or a resourcing pause may help before going on."]
    projector = page("projector.py")
    projector.query_params["code"] = code
    projector.run()
    assert not projector.exception and len(projector.get("plotly_chart")) == 1
    assert "outside the window" not in html_text(projector) and not projector.info
    assert "outside the window" not in str(projector.get("plotly_chart")[0].proto)


def test_the_projector_with_an_unknown_code_reveals_nothing(workshop):
    workshop.start_session("nine-domains-intro")
    at = page("projector.py")
    at.query_params["code"] = "ZZZZZZ"
    at.run()
    assert at.info[0].value.startswith("Open this view from the facilitator page")
    assert not at.get("image") and not at.get("plotly_chart")


def test_a_broken_content_file_is_shown_to_the_facilitator_and_the_rest_still_runs(tmp_path, library):
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "agendas").mkdir()
    (content / "exercises" / "ok.yaml").write_text(
        "domain: state\nexercises:\n  - {id: ok, title: Ok, type: word, prompt: 'A word?', minutes: 1, notes: N}\n")
    (content / "exercises" / "broken.yaml").write_text(
        "domain: state\nexercises:\n  - {id: bad, title: Bad, type: slider, prompt: 'P?', minutes: 1, notes: N}\n")
    (content / "agendas" / "a.yaml").write_text("id: a\ntitle: A\nsteps: [ok]\n")
    from workshop.content import load_library
    from workshop.service import Workshop
    from workshop.storage.store import Store
    broken = Workshop(Store(tmp_path / "b.duckdb"), load_library(content))
    runtime.replace(broken)
    at = page("facilitator.py").run()
    assert at.expander[0].label == "⚠️ 1 problem(s) in the content files"
    assert at.text[0].value.startswith("content/exercises/broken.yaml: exercises[bad].type: unknown question type 'slider'")
    at.button(key="start_session").click().run()
    assert len(broken.sessions()) == 1


def test_the_facilitator_finds_and_approves_a_real_text_among_200_junk_phones(workshop):
    from tests.workshop.test_service import flood_text_step

    code, step, real = flood_text_step(workshop)
    at = page("facilitator.py")
    at.session_state["session_select"] = code
    at.run()
    assert not at.exception
    answers = {f"junk {n:03d}" for n in range(110)} | set(real)
    queue_texts = lambda: [t.value for t in at.text if t.value in answers]  # noqa: E731
    assert "**Moderation · 113 waiting of 113**" in [m.value for m in at.markdown]
    assert len(queue_texts()) == 12 and not set(real) & set(queue_texts())  # junk fills page one
    assert "Page 1 of 10 · 113 found" in [c.value for c in at.caption]
    at.button(key=f"moderation_next_{step}").click().run()
    assert "Page 2 of 10 · 113 found" in [c.value for c in at.caption]
    # Newest first puts what came after the burst on top.
    at.button_group(key=f"moderation_order_{step}").set_value("newest").run()
    assert "Page 1 of 10 · 113 found" in [c.value for c in at.caption]  # a new order starts on page 1
    assert queue_texts()[:3] == list(reversed(real))
    # A search finds one text; Show approves it.
    at.text_input(key=f"moderation_search_{step}").input("seen").run()
    assert queue_texts() == ["I felt seen today"]
    at.button(key="approve_" + _value_key(step, "I felt seen today")).click().run()
    assert workshop.step_results(code, step).texts == ("I felt seen today",)
    # One click hides a page of junk.
    at.text_input(key=f"moderation_search_{step}").input("junk").run()
    at.button(key=f"hide_page_{step}").click().run()
    assert len(workshop.moderation_queue(code, step, waiting_only=True)) == 113 - 1 - 12
    at.text_input(key=f"moderation_search_{step}").input("").run()
    at.button(key=f"approve_all_{step}").click().run()  # every waiting one, junk included
    assert workshop.moderation_queue(code, step, waiting_only=True) == []
