"""The engine-check questions (`evals/engine_check.jsonl`), written by reading the article, in our own words.

Each answerable one has verbatim `evidence` and an `expect` key (an extra key the evaluation format
ignores): groups of alternatives, and a correct answer contains one alternative from every group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

QUESTION_SET = Path(__file__).resolve().parent.parent / "evals" / "engine_check.jsonl"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    evidence: str
    expect: tuple[tuple[str, ...], ...]


def _load() -> tuple[list[Question], list[str]]:
    answerable, unanswerable = [], []
    for line in QUESTION_SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("answerable", True):
            expect = tuple(tuple(group) for group in row["expect"])
            answerable.append(Question(row["id"], row["question"], row["evidence"][0], expect))
        else:
            unanswerable.append(row["question"])
    return answerable, unanswerable


ANSWERABLE, UNANSWERABLE = _load()


def is_correct(answer: str, question: Question) -> bool:
    text = answer.lower()
    return all(any(alt.lower() in text for alt in group) for group in question.expect)
