"""AppTest of the agenda builder against a real temporary DuckDB file."""

from tests.pages.test_pages import page, this_workshop  # noqa: F401 - fixture


def test_a_facilitator_builds_reorders_previews_and_saves_an_agenda(workshop):
    at = page("agendas.py").run()
    assert not at.exception
    assert at.info[0].value == "No steps yet. Add exercises from the library below."
    at.selectbox(key="builder_base").set_value("relational-checkin").run()
    base = [s.id for s in workshop.agendas()["relational-checkin"].steps]
    title = workshop.agendas()["relational-checkin"].title
    assert at.text_input(key="builder_title").value == f"{title} (my version)"
    at.button(key="builder_down_0").click().run()       # swap the first two steps
    at.button(key=f"builder_remove_{len(base) - 1}").click().run()  # drop the last
    at.selectbox(key="builder_domain").set_value("temporal").run()
    at.selectbox(key="builder_exercise").set_value("temporal-not-knowing").run()
    at.button(key="builder_add").click().run()
    assert any("Preview: " in h.value for h in at.subheader)
    assert len(at.get("plotly_chart")) == 1  # projector preview with made-up answers
    at.text_input(key="builder_title").input("Thursday group").run()
    at.button(key="builder_save").click().run()
    assert at.success[0].value.startswith("Saved “Thursday group”")
    saved = workshop.agendas()["thursday-group"]
    expected = [base[1], base[0], *base[2:-1], "temporal-not-knowing"]
    assert [s.id for s in saved.steps] == expected
    assert at.get("download_button")  # export of the same agenda


def test_the_builder_refuses_to_overwrite_a_built_in_agenda(workshop):
    at = page("agendas.py").run()
    at.selectbox(key="builder_exercise").set_value(at.selectbox(key="builder_exercise").options[0]).run()
    at.button(key="builder_add").click().run()
    at.text_input(key="builder_title").input("Nine domains intro").run()
    at.button(key="builder_save").click().run()
    assert at.error[0].value == "“nine-domains-intro” is a built-in agenda. Save yours under another name."
