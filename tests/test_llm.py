"""The local GGUF model answers from the article, with quotes computed by the project (slow: real LLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Engine
from tests.conftest import make_settings
from tests.questions import ANSWERABLE, UNANSWERABLE, is_correct

pytestmark = pytest.mark.llm

# A spread of question kinds: numbers, names, places, a paraphrase, a two-part answer, a yes/no.
SAMPLE = [ANSWERABLE[i] for i in (0, 2, 9, 11, 15, 17, 19, 23)]


def test_local_model_answers_correctly_with_verbatim_citations(engine: Engine, article_text: str) -> None:
    results = []
    for q in SAMPLE:
        answer = engine.ask(q.question, backend="local")
        assert answer.backend == "local" and answer.notice is None
        assert answer.usage["prompt_tokens"] > 0 and "first_token_ms" in answer.timings_ms
        for c in answer.citations:
            assert article_text[c.start : c.end] == c.quote
        start = article_text.index(q.evidence)
        end = start + len(q.evidence)
        on_evidence = any(c.start < end and start < c.end for c in answer.citations)
        results.append((is_correct(answer.answer, q) and not answer.refused and on_evidence, q.question,
                        answer.answer))
    good = [r for r in results if r[0]]
    assert len(good) >= 7, [r for r in results if not r[0]]


def test_local_model_refuses_what_the_article_does_not_say(engine: Engine) -> None:
    near_topic = [q for q in UNANSWERABLE if "al-Khazali" in q or "Asaib" in q]
    assert len(near_topic) >= 3
    for question in near_topic:
        answer = engine.ask(question, backend="local")
        assert answer.refused, (question, answer.answer)
        assert answer.answer.startswith("The article does not say")
        assert answer.citations == []


def test_streaming_yields_tokens_before_the_answer(engine: Engine) -> None:
    events = list(engine.stream("Where was al-Khazali born?", backend="local"))
    tokens = [e for e in events if isinstance(e, str)]
    assert len(tokens) >= 3
    final = events[-1]
    assert not isinstance(final, str)
    assert "".join(tokens).strip().startswith(final.answer[:10])


def test_unloadable_model_falls_back_to_extractive_with_a_notice(tmp_path: Path, engine: Engine) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    broken = Engine(make_settings(tmp_path, model_dir=blocker / "models"), embedder=engine.embedder)
    broken.ingest([Path("corpus")])
    answer = broken.ask("How old is al-Khazali?", backend="local")
    assert answer.backend == "extractive"
    assert answer.notice and "model cache" in answer.notice and "extractively" in answer.notice
    assert not answer.refused and "47" in answer.answer


def test_follow_up_is_rewritten_by_the_model_into_a_standalone_question(engine: Engine) -> None:
    history = [("What did al-Khazali say about Sadr?", "He calls Sadr his brother and wants to avoid conflict.")]
    rewritten = engine.standalone_question("and what did he say about Iran?", history, "local")
    assert "Khazali" in rewritten and "Iran" in rewritten and not rewritten.lower().startswith("and")
    assert engine.standalone_question("How old is Qais al-Khazali?", history, "local") == "How old is Qais al-Khazali?"
    answer = engine.ask("and what did he say about Iran?", backend="local", history=history)
    assert answer.searched_for == rewritten and answer.question == "and what did he say about Iran?"
    assert not answer.refused and answer.citations


def test_unsupported_yes_no_verdict_is_replaced_by_the_quote(engine: Engine, article_text: str) -> None:
    answer = engine.ask("Did the meeting at Hadi al-Amiri's house produce a result?", backend="local")
    assert not answer.refused
    assert not answer.answer.lower().startswith("yes")
    assert "no outcome yet" in answer.answer
    assert all(article_text[c.start : c.end] == c.quote for c in answer.citations)
