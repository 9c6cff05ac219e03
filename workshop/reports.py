"""The report organisers take home: one self-contained HTML file of a session's results.

Everything here is a pure function of the store's contents and imports no
Streamlit: `build` gathers the aggregates of one session (through
`Workshop.step_results`, so small-group suppression and moderation apply
exactly as on the projector) and `html_report` turns them into one HTML file
that opens offline. The raw answers as CSV and Parquet are `export_files`.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import plotly.offline

from workshop.questions import figure_for
from workshop.results import StepResults
from workshop.charts import FIGURE_CONFIG, counts_line, summary_line
from workshop.report_charts import domain_profile_figure, pre_post_figure
from workshop.models import DOMAIN_LABELS, NINE_DOMAINS, Exercise, Hold, QuestionType, Session
from workshop.report_data import DomainPoint, DomainProfile, PrePost, Trend, TrendSeries
from workshop.service import Workshop

Progress = Callable[[float, str], None]

PROFILE_SCALE = 10.0   # the nine-domain profile puts every scale on 0-10


def _no_progress(fraction: float, text: str) -> None:
    """The default progress callback: say nothing."""


# -- aggregates ------------------------------------------------------------------
@dataclass(frozen=True)
class SessionReport:
    """Everything the HTML report shows, already aggregated and suppressed."""

    session: Session
    participants: int
    answers: int               # answers that are not a pass, all steps
    passes: int
    results: tuple[StepResults, ...]
    changes: tuple[PrePost, ...]
    profile: DomainProfile


def repeated_scales(session: Session) -> list[tuple[int, int]]:
    """(first, last) step index of every scale exercise the agenda asks more than once."""
    seen: dict[str, list[int]] = {}
    for index, step in enumerate(session.steps):
        if step.type is QuestionType.SCALE:
            seen.setdefault(step.id, []).append(index)
    return [(indices[0], indices[-1]) for indices in seen.values() if len(indices) > 1]


def pre_post(ws: Workshop, code: str) -> list[PrePost]:
    """Pair each phone's first and last answer to a repeated scale, within this session only."""
    session = ws.session(code)
    changes = []
    for before_step, after_step in repeated_scales(session):
        before = {a.token: a.value for a in ws.store.answers_for_step(session.code, before_step)
                  if not a.passed}
        after = {a.token: a.value for a in ws.store.answers_for_step(session.code, after_step)
                 if not a.passed}
        both = before.keys() & after.keys()
        pairs = Counter((float(before[t]), float(after[t])) for t in both)
        changes.append(PrePost(
            exercise=session.steps[before_step], before_step=before_step, after_step=after_step,
            pairs=tuple((b, a, n) for (b, a), n in sorted(pairs.items())),
            unpaired=len(before.keys() ^ after.keys()), min_answers=session.settings.min_answers))
    return changes


def normalised(value: float, exercise: Exercise) -> float:
    """A scale answer on 0-10, whatever the scale's own range."""
    low, high = exercise.settings["min"], exercise.settings["max"]
    return PROFILE_SCALE * (value - low) / (high - low)


def domain_profile(results: list[StepResults] | tuple[StepResults, ...]) -> DomainProfile:
    """Median per domain of the shown (not suppressed) scale answers, each scale put on 0-10."""
    values: dict[str, list[float]] = {domain: [] for domain in NINE_DOMAINS}
    steps: Counter[str] = Counter()
    for result in results:
        exercise = result.exercise
        if exercise.type is not QuestionType.SCALE or exercise.domain not in values:
            continue
        if result.suppressed:
            continue
        values[exercise.domain].extend(normalised(v, exercise) for v in result.values)
        steps[exercise.domain] += 1
    return DomainProfile(points=tuple(
        DomainPoint(domain=d, label=DOMAIN_LABELS[d], answers=len(values[d]), steps=steps[d],
                    median=statistics.median(values[d]) if values[d] else None)
        for d in NINE_DOMAINS))


def trend(ws: Workshop, agenda_id: str) -> Trend:
    """The median of each scale step in every session of an agenda (suppressed steps: None)."""
    summaries = ws.store.sessions_with_agenda(agenda_id)
    sessions = [ws.session(s.code) for s in summaries]
    keys: dict[tuple[int, str], str] = {}
    for session in sessions:
        for index, step in enumerate(session.steps):
            if step.type is QuestionType.SCALE:
                keys.setdefault((index, step.id), f"Step {index + 1}: {step.title}")
    series = []
    for (index, exercise_id), label in sorted(keys.items()):
        medians = []
        for session in sessions:
            if index < len(session.steps) and session.steps[index].id == exercise_id:
                result = ws.step_results(session.code, index)
                medians.append(None if result.suppressed else result.median)
            else:
                medians.append(None)
        series.append(TrendSeries(step=index, exercise_id=exercise_id, label=label,
                                  medians=tuple(medians)))
    return Trend(agenda_id=agenda_id, sessions=tuple((s.code, s.created_at) for s in sessions),
                 series=tuple(series))


def build(ws: Workshop, code: str, progress: Progress = _no_progress) -> SessionReport:
    """Gather the aggregates of one session; `progress(fraction, text)` is told step by step."""
    session = ws.session(code)
    results = []
    for index in range(len(session.steps)):
        progress(0.5 * index / max(1, len(session.steps)),
                 f"Counting answers: step {index + 1} of {len(session.steps)}")
        results.append(ws.step_results(session.code, index))
    progress(0.5, "Pairing start and end answers")
    return SessionReport(
        session=session, participants=ws.participant_count(session.code),
        answers=sum(r.responses for r in results), passes=sum(r.passes for r in results),
        results=tuple(results), changes=tuple(pre_post(ws, session.code)),
        profile=domain_profile(results))


# -- HTML ----------------------------------------------------------------------------
REPORT_CSS = """
body {font-family: Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1f2933;
      max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45;}
h1 {font-size: 2rem; margin-bottom: .2rem;}
.meta {color: #3e4c59; font-size: 1.05rem;}
.meta dt {font-weight: 600; float: left; clear: left; width: 11rem;}
.meta dd {margin: 0 0 .2rem 11rem;}
.note {color: #52606d; font-size: .95rem;}
section {margin-top: 2.5rem; border-top: 1px solid #d9dee3; padding-top: 1rem;}
.domain {font-size: .9rem; text-transform: uppercase; letter-spacing: .08em; color: #0F6E6E; font-weight: 700;}
.prompt {font-size: 1.35rem; font-weight: 600; margin: .3rem 0;}
.counts {font-size: 1.05rem; color: #3e4c59;}
.suppressed {font-size: 1.1rem; color: #52606d; font-style: italic; padding: 1.5rem 0;}
.text-wall {display: flex; flex-wrap: wrap; gap: .6rem;}
.wall-card {background: #F1F5F4; border-left: 5px solid #0072B2; border-radius: 6px; padding: .5rem .8rem;
            max-width: 30rem; white-space: pre-wrap; overflow-wrap: anywhere;}
table {border-collapse: collapse;} td, th {padding: .2rem .8rem; text-align: left; border-bottom: 1px solid #d9dee3;}
.plotly-graph-div {max-width: 100%;}
@media print {
  body {margin: 0; max-width: none;}
  section.exercise {break-before: page; page-break-before: always; border-top: none;}
  section, .chart {break-inside: avoid; page-break-inside: avoid;}
}
"""


def _figure_html(figure, div_id: str) -> str:
    """A chart's div and its Plotly.newPlot call; Plotly's JavaScript is inlined once in <head>."""
    return ('<div class="chart">'
            + figure.to_html(full_html=False, include_plotlyjs=False, config=FIGURE_CONFIG,
                             div_id=div_id)
            + "</div>")


HOLD_NOTES = {
    Hold.WORDS_AND_TEXTS: "words and texts appear only once the facilitator approved them",
    Hold.TEXTS: "texts appear only once the facilitator approved them, words unless the facilitator hid them",
    Hold.NOTHING: "words and texts appear unless the facilitator hid them",
}


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _step_html(number: int, result: StepResults) -> str:
    exercise = result.exercise
    e = html.escape
    parts = [f'<section class="exercise" id="step-{number}">',
             f'<div class="domain">Step {number} · {e(exercise.domain_label)} · {e(exercise.type.label)}</div>',
             f"<h2>{e(exercise.title)}</h2>",
             f'<p class="prompt">{e(exercise.prompt)}</p>']
    if result.suppressed:
        parts.append(f'<p class="counts">{counts_line(result.responses, result.passes)}</p>')
        parts.append(f'<p class="suppressed">fewer than {result.min_answers} answers: not shown</p>')
    else:
        parts.append(f'<p class="counts">{e(summary_line(result))}</p>')
        figure = figure_for(result)
        if figure is not None:
            parts.append(_figure_html(figure, f"step-{number}-chart"))
        else:
            cards = "".join(f'<div class="wall-card">{e(text)}</div>' for text in result.texts)
            parts.append(f'<div class="text-wall">{cards}</div>')
        if result.held:
            parts.append(f'<p class="note">{_plural(result.held, "answer")} not shown '
                         "(held or hidden in moderation).</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _change_html(number: int, change: PrePost) -> str:
    e = html.escape
    exercise = change.exercise
    parts = [f'<section class="change" id="change-{number}">',
             f"<h2>Change: {e(exercise.title)} (step {change.before_step + 1} → step {change.after_step + 1})</h2>",
             f'<p class="prompt">{e(exercise.prompt)}</p>',
             f'<p class="counts">{e(change.summary())}</p>']
    if change.suppressed:
        parts.append(f'<p class="suppressed">fewer than {change.min_answers} answers: not shown</p>')
    else:
        parts.append(_figure_html(pre_post_figure(change), f"change-{number}-chart"))
    parts.append('<p class="note">Each line is one or more phones (thicker: more); phones are paired '
                 "within this session only and never named.</p></section>")
    return "\n".join(parts)


def _profile_html(profile: DomainProfile) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(p.label)}</td><td>{'' if p.median is None else f'{p.median:g} / 10'}</td>"
        f"<td>{p.answers}</td><td>{p.steps}</td></tr>" for p in profile.points if p.median is not None)
    return ('<section class="profile" id="domain-profile"><h2>Nine-domain profile</h2>'
            '<p class="note">The group\'s median per domain of integration, from the scale steps '
            "shown (each scale put on 0–10).</p>"
            + (_figure_html(domain_profile_figure(profile), "domain-profile-chart") if profile.drawable
               else f'<p class="profile-few" id="domain-profile-few">{html.escape(profile.sentence())}</p>')
            + "<table><tr><th>domain</th><th>median</th><th>answers</th><th>scale steps</th></tr>"
            + rows + "</table></section>")


def html_report(report: SessionReport, progress: Progress = _no_progress) -> bytes:
    """One self-contained HTML file (UTF-8): no external URL, Plotly's JavaScript inlined once.

    Everything participants typed is escaped; steps below the session's minimum
    number of answers say so instead of showing a chart.
    """
    session = report.session
    e = html.escape
    settings = session.settings
    body = [f"<h1>{e(session.title)}</h1>",
            '<dl class="meta">',
            f"<dt>Date</dt><dd>{session.created_at:%Y-%m-%d %H:%M} UTC</dd>",
            f"<dt>Agenda</dt><dd>{e(session.title)} ({e(session.agenda_id)}), "
            f"{_plural(len(session.steps), 'step')}</dd>",
            f"<dt>Session code</dt><dd>{e(session.code)}</dd>",
            f'<dt>Participants</dt><dd id="participants">{_plural(report.participants, "phone")} joined</dd>',
            f'<dt>Responses</dt><dd id="answers">{counts_line(report.answers, report.passes)}</dd>',
            "</dl>",
            f'<p class="note">Anonymous: no names were asked. Charts are shown only for steps with at '
            f"least {_plural(settings.min_answers, 'answer')}; {HOLD_NOTES[settings.hold]}."
            "</p>"]
    for number, change in enumerate(report.changes, start=1):
        body.append(_change_html(number, change))
    if report.profile.has_data:
        body.append(_profile_html(report.profile))
    total = len(report.results)
    for number, result in enumerate(report.results, start=1):
        progress(0.5 + 0.45 * (number - 1) / max(1, total), f"Drawing step {number} of {total}")
        body.append(_step_html(number, result))
    progress(0.95, "Writing the HTML file")
    document = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{e(session.title)} · {session.created_at:%Y-%m-%d} · {e(session.code)}</title>\n"
                f"<style>{REPORT_CSS}</style>\n"
                f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>\n'
                "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
    progress(1.0, "Report ready")
    return document.encode("utf-8")
