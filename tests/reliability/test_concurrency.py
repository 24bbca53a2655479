"""Reliability: eight sessions at once against one engine (threads, the shared local model), and concurrent
feedback writes. Browser sessions against one Streamlit server are in tests/test_browser.py."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness.questions import ANSWERABLE, is_correct
from rag import Answer, Engine
from rag.library import append_feedback

CONCURRENCY = pytest.mark.reliability("concurrency", data=True)

# Eight sessions, each a question and a follow-up that only makes sense with its own history.
SESSIONS = [
    ("Which news outlet interviewed Qais al-Khazali?", "How old is he?", ("47",)),
    ("What does Qais al-Khazali call Muqtada Sadr?", "Where was he born?", ("Sadr City",)),
    ("Where does Qais al-Khazali usually stay?", "How old is he?", ("47",)),
    ("How long was the interview with Qais al-Khazali?", "Where was he born?", ("Sadr City",)),
    ("Who is Qais al-Khazali?", "Which news outlet interviewed him?", ("BBC",)),
    ("What does Qais al-Khazali say about Iran's decisions?", "How old is he?", ("47",)),
    ("Where was Qais al-Khazali born?", "Which news outlet interviewed him?", ("BBC",)),
    ("What does Qais al-Khazali think of the Sadrists' military outfits?", "Where was he born?",
     ("Sadr City",)),
]


def conversation(engine: Engine, backend: str, first: str, follow_up: str) -> tuple[Answer, Answer]:
    one = engine.ask(first, backend=backend)  # type: ignore[arg-type]
    two = engine.ask(follow_up, backend=backend, history=[(one.searched_for or first, one.answer)])  # type: ignore[arg-type]
    return one, two


def check_sessions(results: list[tuple[Answer, Answer]], article_text: str) -> None:
    for (first, follow_up, expected), (one, two) in zip(SESSIONS, results, strict=True):
        assert one.question == first and two.question == follow_up, "answers went to the wrong session"
        assert two.searched_for != follow_up, "the follow-up was rewritten from its own history"
        shown = " ".join([two.answer, *(c.quote for c in two.citations)])  # an answer, or the closest passages
        assert any(word in shown for word in expected), (follow_up, two.answer)
        for answer in (one, two):
            assert all(article_text[c.start : c.end] == c.quote for c in answer.citations)


@CONCURRENCY
@pytest.mark.slow  # eight threads over a fresh engine
def test_eight_sessions_at_once_extractive(engine: Engine, article_text: str) -> None:
    """Eight threads each hold a two-turn conversation at once (extractive): no errors, every answer lands in
    its own session, follow-ups use their own history, quotes verbatim; same answers as one at a time."""
    alone = [conversation(engine, "extractive", q, f) for q, f, _ in SESSIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda s: conversation(engine, "extractive", s[0], s[1]), SESSIONS))
    check_sessions(together, article_text)
    assert [(a.answer, b.searched_for, b.answer) for a, b in together] == \
        [(a.answer, b.searched_for, b.answer) for a, b in alone]


@CONCURRENCY
@pytest.mark.llm
def test_eight_questions_at_once_share_the_local_model(engine: Engine) -> None:
    """Eight threads ask the local model at once: the one shared model serves them in turn, with no errors,
    each answer to its own question, quotes verbatim. Not always word for word what it says asked alone: the
    server reuses the KV state of the previous request's common prefix (`rag/local_llm.py`), and llama.cpp's
    logits are not bit-identical across batch sizes, so which question went before can change a word ("He
    uses" / "He puts"); what must hold is that each answer is its own question's, and right when shown."""
    questions = ANSWERABLE[:8]
    alone = [engine.ask(q.question, backend="local") for q in questions]
    start = threading.Barrier(8)

    def ask(question: str) -> Answer:
        start.wait()
        return engine.ask(question, backend="local")

    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(ask, [q.question for q in questions]))
    texts = engine.source_texts()
    for q, a, b in zip(questions, alone, together, strict=True):
        assert b.question == q.question and b.backend == "local" and b.notice is None
        assert b.answer == a.answer or b.outcome != "answered" or is_correct(b.answer, q), \
            "a concurrent answer is not its own question's"
        assert all(texts[c.source][c.start : c.end] == c.quote for c in b.citations)
    answered = [(q, b) for q, b in zip(questions, together, strict=True) if b.outcome == "answered"]
    assert len(answered) >= 3 and all(is_correct(b.answer, q) for q, b in answered)  # the rest abstain


@CONCURRENCY
def test_concurrent_feedback_is_never_torn(tmp_path: Path) -> None:
    """Eight threads append 50 feedback records each (with long answers and non-ASCII text): the file holds
    exactly 400 whole JSON lines, none interleaved."""
    def write(worker: int) -> None:
        for n in range(50):
            append_feedback(tmp_path, {"worker": worker, "n": n, "answer": "ا" * 3000 + "✓" * 3000})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(8)))
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 400
    assert sorted((r["worker"], r["n"]) for r in records) == [(w, n) for w in range(8) for n in range(50)]
