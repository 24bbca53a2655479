"""Hybrid retrieval finds the passage holding the answer, embedded and against a `chroma run` server."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from rag import Engine
from rag.embedding import MiniLMEmbedder
from tests.questions import ANSWERABLE


@pytest.fixture(params=["embedded", "server"])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    name = "engine" if request.param == "embedded" else "server_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def test_right_passage_in_top_five(any_engine: Engine, article_text: str) -> None:
    assert len(ANSWERABLE) >= 20
    misses = []
    for q in ANSWERABLE:
        start = article_text.index(q.evidence)
        end = start + len(q.evidence)
        passages = any_engine.retrieve(q.question, k=5)
        assert [p.rank for p in passages] == [1, 2, 3, 4, 5]
        if not any(p.start <= start and end <= p.end for p in passages):
            misses.append(q.question)
    assert (len(ANSWERABLE) - len(misses)) / len(ANSWERABLE) >= 0.95, misses


def test_passages_are_verbatim_with_scores_descending(any_engine: Engine, article_text: str) -> None:
    passages = any_engine.retrieve("What does he say about Iran's role?", k=7)
    assert len(passages) == 7
    assert all(article_text[p.start : p.end] == p.text for p in passages)
    assert all(a.score >= b.score for a, b in itertools.pairwise(passages))
    assert all(p.source == "corpus/qais-al-khazali-interview-iran.txt" for p in passages)


def test_keyword_and_dense_both_contribute(engine: Engine) -> None:
    passages = engine.retrieve("Ain al-Asad Harir", k=5)
    assert "Ain al-Asad" in passages[0].text and passages[0].keyword is not None
    paraphrase = engine.retrieve("Which broadcaster did he give the interview to?", k=5)
    assert any("BBC" in p.text and p.dense is not None for p in paraphrase)


def test_source_filter_limits_results(engine: Engine) -> None:
    passages = engine.retrieve("Iran", k=3, source="corpus/does-not-exist.txt")
    assert passages == []


def test_a_question_encodes_as_in_a_batch(embedder: MiniLMEmbedder) -> None:
    """Questions skip `encode`'s batching but must get the vector a batch gives (whitespace stripped,
    long text truncated at the model's 256 tokens)."""
    texts = ["How old is Qais al-Khazali?", "  Iran  ", "word " * 400]
    batch = embedder.embed_batch(texts)
    embedder.clear_cache()
    for text, expected in zip(texts, batch, strict=True):
        vector = embedder.embed_query(text)
        assert vector.dtype == expected.dtype and vector.shape == expected.shape
        assert abs(float(vector @ expected) - 1.0) < 1e-5
        assert np.array_equal(embedder.embed_cached([text])[0], vector)  # a later batch reuses it
    assert float(embedder.embed_query(texts[0]) @ embedder.embed_query(texts[1])) < 0.9


@pytest.mark.slow
def test_warm_up_embeds_what_a_first_answer_would(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every quotable sentence of a small store is embedded ahead, so a first question embeds no source text."""
    engine.embedder.clear_cache()
    assert 50 < engine.embed_quotable_spans() <= 2000
    embedded: list[str] = []
    batch = engine.embedder.embed_batch
    monkeypatch.setattr(engine.embedder, "embed_batch", lambda texts: embedded.extend(texts) or batch(texts))
    answer = engine.ask("In which part of the city was al-Khazali born?", backend="extractive")
    assert answer.citations and not answer.refused
    assert all(text not in engine.settings.resolve(Path(c.source)).read_text(encoding="utf-8")
               for c in answer.citations for text in embedded), embedded
