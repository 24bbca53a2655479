"""Evaluation sets: the JSONL format read into `EvalItem`s, forgivingly.

`{"id", "question", "answerable" (default true), "reference_answer"?, "evidence"?: [quotes], "kind"?}`;
unknown keys are ignored, a malformed line is reported by its number and skipped while the rest run; a value
read otherwise than written ("answerable": "yes", "evidence" as one string) is named by its line and read. Does
not score or run anything (`rag/evaluation.py`, `rag/eval_runner.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import RagError


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    answerable: bool = True
    reference_answer: str | None = None
    evidence: tuple[str, ...] = ()
    kind: str | None = None  # optional grouping for the report ("unanswerable-near", "attribution", …)
    line: int = 0  # where it stands in its file (1-based), for messages about it


@dataclass
class EvalSet:
    items: list[EvalItem]
    problems: list[str] = field(default_factory=list)  # "line N: …" for lines that could not be read (skipped)
    warnings: list[str] = field(default_factory=list)  # "line N: …" for lines read, but not as written


_TRUTH = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _truth(value: object) -> bool | None:
    """`answerable` as a bool: JSON's true/false, or a word or number that plainly means one (None otherwise)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    return _TRUTH.get(value.strip().lower()) if isinstance(value, str) else None


def json_rows(lines: Iterable[str], problems: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line of a JSONL set that holds a JSON object; a line that does not becomes a
    problem naming it, blank lines are skipped. Shared by the question sets and the quote-check sets."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"line {number}: not valid JSON ({err.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"line {number}: expected a JSON object")
            continue
        yield number, row


def parse_set(lines: Iterable[str]) -> EvalSet:
    """Read JSONL rows; every bad line becomes a problem naming its line, the others are kept."""
    items: list[EvalItem] = []
    problems: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for number, row in json_rows(lines, problems):
        question = row.get("question")
        if not isinstance(question, str) or not question.strip():
            problems.append(f"line {number}: missing \"question\"")
            continue
        item_id = str(row.get("id") or f"line-{number}")
        if item_id in seen:
            problems.append(f"line {number}: duplicate id {item_id!r}")
            continue
        raw = row.get("answerable", True)
        answerable = _truth(raw)
        if answerable is None:
            problems.append(f"line {number}: \"answerable\" is {json.dumps(raw)}, not true or false")
            continue
        seen.add(item_id)
        if not isinstance(raw, bool):
            warnings.append(f"line {number}: \"answerable\" is {json.dumps(raw)}, not true or false "
                            f"(read as {json.dumps(answerable)})")
        evidence = row.get("evidence") or []
        if isinstance(evidence, str):
            warnings.append(f"line {number}: \"evidence\" is one string, not a list of quotes (read as one quote)")
            evidence = [evidence]
        elif not isinstance(evidence, list):
            warnings.append(f"line {number}: \"evidence\" is not a list of quotes (left out)")
            evidence = []
        elif any(not isinstance(e, str) for e in evidence):
            warnings.append(f"line {number}: \"evidence\" holds something other than quotes (left out)")
        reference = row.get("reference_answer")
        kind = row.get("kind")
        items.append(EvalItem(item_id, question, answerable,
                              reference if isinstance(reference, str) else None,
                              tuple(e for e in evidence if isinstance(e, str) and e),
                              kind if isinstance(kind, str) and kind else None, number))
    return EvalSet(items, problems, warnings)



def load_set(path: Path) -> EvalSet:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise RagError(f"The evaluation set {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise RagError(f"The evaluation set {path} cannot be read ({err}).") from None
    loaded = parse_set(text.splitlines())
    if not loaded.items:
        detail = f" ({loaded.problems[0]})" if loaded.problems else ""
        raise RagError(f"The evaluation set {path} has no usable questions{detail}.")
    return loaded
