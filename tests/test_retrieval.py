"""Hybrid retrieval finds the passage holding the answer, embedded and against a `chroma run` server."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from harness.questions import ANSWERABLE
from rag import Engine, RagError
from rag.embedding import MiniLMEmbedder
from rag.lexical import tokenize
from tests.conftest import ARTICLE, REPO

ARTICLE_SOURCE = f"corpus/{ARTICLE.name}"
LICENSE_SOURCE = "corpus/python-history-and-license.txt"


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
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


Fused = tuple[str, float, float | None, float | None]  # chunk id, fused score, cosine, BM25


def fused_by_hand(engine: Engine, question: str, k: int, source: str | None = None) -> list[Fused]:
    """The top `k` (chunk id, fused score, cosine, BM25 or None) worked out from the two lists themselves: the
    dense list ranks the stored vectors by cosine, the keyword list the stored chunks by BM25 (each `depth`
    long, within `source`), and a chunk scores the weighted sum of 1 / (rrf_k + rank) over the lists it is in."""
    retriever = engine.retriever
    snapshot = retriever.snapshot()
    assert snapshot.vectors is not None  # a small store: its vectors are in memory
    rows = np.arange(len(snapshot.chunks)) if source is None else snapshot.among(source)
    assert rows is not None
    depth = max(retriever.depth, 2 * k)
    cosine = snapshot.vectors @ engine.embedder.embed_query(question)
    dense = sorted(rows.tolist(), key=lambda i: -cosine[i])[:depth]
    keyword = dict(snapshot.bm25.top(tokenize(question), depth, rows))
    fused: dict[int, float] = {}
    for weight, ranked in ((retriever.dense_weight, dense), (retriever.keyword_weight, list(keyword))):
        for rank, row in enumerate(ranked, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (retriever.rrf_k + rank)
    chunks = snapshot.chunks
    best = sorted(fused, key=lambda i: (-fused[i], chunks[i].source, chunks[i].start))[:k]  # ties: reading order
    return [(chunks[i].id, fused[i], float(cosine[i]) if i in dense else None, keyword.get(i)) for i in best]


def same(actual: float | None, expected: float | None) -> bool:
    return actual == expected if actual is None or expected is None else actual == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("question", ["Ain al-Asad Harir", "Which broadcaster did he give the interview to?",
                                      "How old is Qais al-Khazali?"])
def test_dense_and_keyword_ranks_are_fused(engine: Engine, question: str) -> None:
    """Each passage's score is its reciprocal-rank fusion over both lists, and the passages are the k best."""
    passages = engine.retrieve(question, k=8)
    expected = fused_by_hand(engine, question, 8)
    assert [p.chunk_id for p in passages] == [e[0] for e in expected]
    for p, (_, score, dense, keyword) in zip(passages, expected, strict=True):
        assert p.score == pytest.approx(score, rel=1e-9)
        assert same(p.dense, dense) and same(p.keyword, keyword), (p.rank, p.dense, dense, p.keyword, keyword)
    assert any(p.dense is not None and p.keyword is not None for p in passages)  # both lists are in the fusion


def test_keyword_list_finds_rare_names_and_dense_list_paraphrases(engine: Engine) -> None:
    names = engine.retrieve("Ain al-Asad Harir", k=5)
    assert "Ain al-Asad" in names[0].text and names[0].keyword is not None
    assert names[0].keyword == max(p.keyword or 0.0 for p in names)
    paraphrase = engine.retrieve("Which broadcaster did he give the interview to?", k=5)
    bbc = [p for p in paraphrase if "BBC" in p.text]
    assert bbc and all(p.dense is not None for p in bbc)


def test_the_best_keyword_hits_can_be_asked_for_besides_the_fused_ones(engine: Engine) -> None:
    """A quote check asks for the best keyword hits too: fusion may rank a chunk holding every word of a quote
    below k when the meaning list does not have it. They come after the k fused passages, never twice."""
    question = "Ain al-Asad Harir"
    fused = engine.retriever.retrieve(question, 2)
    also = engine.retriever.retrieve(question, 2, keyword_also=3)
    assert [p.chunk_id for p in also[:2]] == [p.chunk_id for p in fused]
    keyword_best = [e[0] for e in sorted(fused_by_hand(engine, question, 50), key=lambda e: -(e[3] or 0.0))[:3]]
    assert {p.chunk_id for p in also} == {p.chunk_id for p in fused} | set(keyword_best)
    assert len({p.chunk_id for p in also}) == len(also) and [p.rank for p in also] == list(range(1, len(also) + 1))


def test_source_filter_limits_results(engine: Engine) -> None:
    question = "How old is Qais al-Khazali?"
    assert {p.source for p in engine.retrieve(question, k=3)} == {ARTICLE_SOURCE}
    within = engine.retrieve(question, k=3, source=LICENSE_SOURCE)
    assert [p.rank for p in within] == [1, 2, 3] and {p.source for p in within} == {LICENSE_SOURCE}
    assert [p.chunk_id for p in within] == [e[0] for e in fused_by_hand(engine, question, 3, LICENSE_SOURCE)]
    text = (REPO / LICENSE_SOURCE).read_text(encoding="utf-8")
    assert all(text[p.start : p.end] == p.text for p in within)
    with pytest.raises(RagError, match=r"corpus/does-not-exist\.txt is not an ingested article"):
        engine.retrieve(question, k=3, source="corpus/does-not-exist.txt")  # not an empty list: say so


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
