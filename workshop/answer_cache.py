"""Each phone's latest answer per step, in memory beside the database.

Written through after every commit and loaded from the database on first use
(after a restart, or after another app server stored answers), so a phone's
poll and a projector's refresh rarely query it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workshop.models import Answer, Moderation

StepKey = tuple[str, int]


class AnswerCache:
    def __init__(self, load_answers: Callable[[str, int], list[Answer]],
                 load_moderation: Callable[[str, int], dict[str, Moderation]]) -> None:
        self._load_answers = load_answers
        self._load_moderation = load_moderation
        self._lock = threading.Lock()
        self._answers: dict[StepKey, dict[str, Answer]] = {}
        self._moderation: dict[StepKey, dict[str, Moderation]] = {}

    def _step(self, key: StepKey) -> dict[str, Answer]:
        step = self._answers.get(key)
        if step is None:
            step = self._answers[key] = {a.token: a for a in self._load_answers(*key)}
        return step

    def record(self, code: str, answer: Answer) -> None:
        """After the answer is committed: it replaces the phone's earlier one, and moves last.

        A step not in memory is left alone: its next read loads it, this answer included.
        (With several app servers, other servers' answers keep dropping steps from memory;
        loading them again for every local answer would cost a query per answer.)
        """
        with self._lock:
            step = self._answers.get((code, answer.step_index))
            if step is None:
                return
            step.pop(answer.token, None)
            step[answer.token] = answer

    def answers(self, code: str, step_index: int) -> list[Answer]:
        """Latest answers, in the order they were last changed."""
        with self._lock:
            return list(self._step((code, step_index)).values())

    def answer_of(self, code: str, step_index: int, token: str) -> Answer | None:
        with self._lock:
            return self._step((code, step_index)).get(token)

    def moderation(self, code: str, step_index: int) -> dict[str, Moderation]:
        with self._lock:
            key = (code, step_index)
            if key not in self._moderation:
                self._moderation[key] = self._load_moderation(*key)
            return dict(self._moderation[key])

    def forget(self, code: str) -> None:
        """Drop a session's entries; the next read loads them again from the database."""
        with self._lock:
            for cache in (self._answers, self._moderation):
                for key in [k for k in cache if k[0] == code]:
                    del cache[key]

    def forget_step(self, code: str, step_index: int) -> None:
        """Another app server stored answers to this step: read them again on next use."""
        with self._lock:
            self._answers.pop((code, step_index), None)

    def forget_moderation(self, code: str, step_index: int) -> None:
        with self._lock:
            self._moderation.pop((code, step_index), None)
