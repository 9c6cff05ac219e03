"""The word cloud: the `wordcloud` package's layout (where each word goes, how large, upright or
turned) drawn as a Plotly figure, so the words keep the room's type, stay plain text and are
held back by suppression and moderation like every other chart (they come from `StepResults`).

Why these choices:
- **One canvas, the smallest projector's.** Plotly draws text in pixels whatever the figure's
  size, so the words are laid out on `CANVAS`, about the chart area of a 1280×720 projector,
  and the figure keeps the canvas's aspect. A larger screen spreads the same layout over more
  room; no screen we support makes words overlap (tests/browser/test_word_cloud_on_projector.py
  measures 150 answers at 1920×1080 and 1280×720). Sizes are pixels at any size: the largest word `LARGEST_PX`, none
  under `SMALLEST_PX`, readable from the back of a room; words that find no room are counted
  in "+N more".
- **Words that stay put.** The package places words one by one, largest first, each where a
  seeded random draw finds room, so the same list gives the same picture. The list is made to
  change seldom: a word's size follows its count rounded down to a half-octave (1, 1.4, 2,
  2.8, 4 ... answers) and words of one size go in alphabetical order. A new answer moves
  nothing unless it takes a word to its next size (or brings a new top size), and then only
  the words after it in the list move. Layouts are cached by that list, so a refresh that
  changes nothing costs a dictionary lookup.
- **DejaVu Sans measures the words** (the copy matplotlib ships, which `wordcloud` installs).
  It is a little wider than the sans the projector draws them in (Source Sans; the report's
  Inter or Arial), so each word has room to spare, and it has glyphs for Latin, Greek and
  Cyrillic words. The package's own font is a monospace, wider still: fewer words would fit.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont
from matplotlib import get_data_path
from wordcloud import WordCloud

from workshop.charts import INK, MUTED, OKABE_ITO, plain, room_layout
from workshop.results import StepResults

CANVAS = (720, 430)         # px: the chart area of a 1280×720 projector, 728×438 measured in Chromium
LARGEST_PX, SMALLEST_PX = 140, 28
MAX_WORDS = 60              # more than this is a list, not a picture
MEASURING_FONT = str(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
MARGIN_PX = 12             # the gap the layout keeps around each word
UPRIGHT_SHARE = 0.85        # the share of words laid out upright; the rest read bottom to top
LAYOUT_SCALE = 2            # laid out at half size, then doubled: 19-39 ms instead of 51-112 ms
                            # for 10-60 words (bench/word_cloud.py), at the price of a few
                            # fewer long words placed (14 vs 17 of 60 nine-letter words)
SEED = 7                    # the layout's random draws: the same list, the same picture
# Text colours with at least 3:1 on white for large text (WCAG 1.4.3), picked by the word.
WORD_COLOURS = (OKABE_ITO[0], OKABE_ITO[5], "#007A5A", INK)


@dataclass(frozen=True)
class PlacedWord:
    text: str
    count: int
    size: int          # font size, px
    x: float           # the word's centre on the canvas, px from the left
    y: float           # px from the top
    upright: bool


@dataclass(frozen=True)
class CloudLayout:
    words: tuple[PlacedWord, ...]
    left_out: int      # words with answers that found no room (shown as "+N more")


def size_step(count: int) -> float:
    """A count rounded down to a half-octave, so a word changes size seldom."""
    return 2 ** (math.floor(2 * math.log2(max(count, 1))) / 2)


def layout_words(counts: tuple[tuple[str, int], ...]) -> CloudLayout:
    """Where the words of `counts` (word, answers) go on the canvas."""
    steps = sorted(((word, size_step(count)) for word, count in counts if count > 0),
                   key=lambda item: (-item[1], item[0]))
    placed = _place(tuple(steps[:MAX_WORDS]))
    count_of = dict(counts)
    words = tuple(PlacedWord(word, count_of[word], size, x, y, upright) for word, size, x, y, upright in placed)
    return CloudLayout(words, len(steps) - len(words))


@lru_cache(maxsize=128)
def _place(steps: tuple[tuple[str, float], ...]) -> tuple[tuple[str, int, float, float, bool], ...]:
    if not steps:
        return ()
    top = steps[0][1]
    # Sizes from SMALLEST_PX (one answer) up to LARGEST_PX (the top size), by the log of the count.
    wanted = {word: SMALLEST_PX + (LARGEST_PX - SMALLEST_PX) * (math.log(step) / math.log(top) if top > 1 else 1)
              for word, step in steps}
    k = LAYOUT_SCALE
    cloud = WordCloud(font_path=MEASURING_FONT, width=CANVAS[0] // k, height=CANVAS[1] // k, margin=MARGIN_PX // k,
                      prefer_horizontal=UPRIGHT_SHARE, max_font_size=LARGEST_PX // k,
                      min_font_size=SMALLEST_PX // k, relative_scaling=1, max_words=MAX_WORDS,
                      random_state=SEED, collocations=False, normalize_plurals=False,
                      color_func=_no_colour)   # colours are ours; the default loads matplotlib.pyplot (0.75 s)
    # With relative_scaling 1 the package sizes each word by its share of the largest: these
    # shares give the sizes wanted (and it makes the later ones smaller when room runs out).
    cloud.generate_from_frequencies({word: wanted[word] / LARGEST_PX for word, _ in steps})
    placed = []
    for (word, _), size, (row, column), orientation, _ in cloud.layout_:
        width, height = _box(cloud.font_path, word, size, orientation is not None)
        placed.append((word, size * k, (column + width / 2) * k, (row + height / 2) * k, orientation is None))
    return tuple(placed)


def _no_colour(*args, **kwargs) -> str:
    return "white"


def _box(font_path: str, word: str, size: int, turned: bool) -> tuple[int, int]:
    """The word's box as the package measured it (width, height in px)."""
    font = ImageFont.TransposedFont(ImageFont.truetype(font_path, size),
                                    orientation=Image.ROTATE_90 if turned else None)
    # As the package measures it: from the drawing point, which is where the layout puts it.
    _, _, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), word, font=font, anchor="lt")
    return right, bottom


def word_colour(word: str) -> str:
    """A word keeps its colour from one refresh to the next (picked by its text, not its place)."""
    return WORD_COLOURS[hashlib.blake2s(word.encode("utf-8"), digest_size=1).digest()[0] % len(WORD_COLOURS)]


def word_cloud_figure(results: StepResults, height: int = 560) -> go.Figure:
    """The cloud of the words shown to the room, each its count's size, with "+N more" for
    those that found no room."""
    cloud = layout_words(results.counts)
    fig = go.Figure(go.Scatter(x=[0, CANVAS[0]], y=[0, CANVAS[1]], mode="markers", marker=dict(opacity=0),
                               hoverinfo="skip"))
    for word in cloud.words:
        fig.add_annotation(x=word.x, y=word.y, text=plain(word.text), showarrow=False, xanchor="center",
                           yanchor="middle", textangle=0 if word.upright else -90,
                           font=dict(size=word.size, color=word_colour(word.text)))
    if cloud.left_out:
        fig.add_annotation(x=1, y=0, xref="paper", yref="paper", xanchor="right", yanchor="bottom",
                           showarrow=False, text=f"+{cloud.left_out} more", font=dict(size=28, color=MUTED))
    fig.update_xaxes(range=[0, CANVAS[0]], visible=False, constrain="domain")
    fig.update_yaxes(range=[CANVAS[1], 0], visible=False, scaleanchor="x", scaleratio=1, constrain="domain")
    fig = room_layout(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig
