"""What laying out a word cloud costs (workshop/word_cloud.py), uncached and cached.

A projector asks for the cloud on every refresh; the layout is cached by its list of
(word, size step), so it is computed again only when an answer takes a word to a new size or
brings a new word. This bench times that computation for rooms of 10 to 60 distinct words, at
the layout scale the app uses and at full scale, and a cached lookup.

    python -m bench.word_cloud --repeat 20
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import workshop.word_cloud as cloud

FEELINGS = [f"feeling{n:02d}" for n in range(60)]


def room(words: int) -> tuple[tuple[str, int], ...]:
    """`words` distinct words, the first the most often given (about 1/rank of 300 answers)."""
    return tuple((word, max(1, round(60 / (rank + 1)))) for rank, word in enumerate(FEELINGS[:words]))


def timed(counts: tuple[tuple[str, int], ...], repeat: int, cached: bool) -> tuple[float, int]:
    times, placed = [], 0
    for _ in range(repeat):
        if not cached:
            cloud._place.cache_clear()
        start = time.perf_counter()
        placed = len(cloud.layout_words(counts).words)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, placed


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.word_cloud", description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    cloud.layout_words(room(3))   # the first call loads fonts and numpy's pieces
    print(f"python -m bench.word_cloud --repeat {args.repeat}; Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}\n")
    print("| distinct words | layout scale | uncached median ms | words placed | cached median ms |")
    print("|---:|---:|---:|---:|---:|")
    for words in (10, 20, 40, 60):
        counts = room(words)
        for scale in (1, cloud.LAYOUT_SCALE):
            cloud.LAYOUT_SCALE = scale
            uncached, placed = timed(counts, args.repeat, cached=False)
            hit, _ = timed(counts, args.repeat, cached=True)
            print(f"| {words} | {scale} | {uncached:.1f} | {placed} | {hit:.3f} |")
        cloud.LAYOUT_SCALE = 2


if __name__ == "__main__":
    main()
