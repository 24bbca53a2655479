"""Many articles in one store, embedded and against a `chroma run` server: asking across all of them or
within one (a Chroma metadata filter), citations naming the right file, and syncing one changed article
among many. The other articles are synthetic (harness/synthetic.py, sentences of Python's own help text), so
only the real article can answer questions about al-Khazali."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.synthetic import generate
from rag import Engine, Settings
from rag.chunking import chunk_document
from rag.corpus import load_corpus
from rag.embedding import MiniLMEmbedder
from rag.retrieval import HybridRetriever
from tests.conftest import ARTICLE, make_settings

ARTICLE_SOURCE = f"corpus/{ARTICLE.name}"
pytestmark = pytest.mark.slow  # subprocesses, AppTest runs or a 31-article library
OTHERS = 30


def build_library(root: Path, embedder: MiniLMEmbedder, url: str | None) -> Engine:
    """The article and OTHERS synthetic ones in `root`/corpus, ingested."""
    (root / "corpus").mkdir()
    shutil.copy(ARTICLE, root / "corpus" / ARTICLE.name)
    generate(OTHERS, root / "corpus", words=250, with_corpus=False)
    engine = Engine(make_settings(root, url).with_(root=root), embedder=embedder)
    report = engine.ingest()
    assert report.documents == OTHERS + 1
    return engine


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder, store_mode: str,
            request: pytest.FixtureRequest) -> Engine:
    """One library the read-only tests share (none of them changes a file or the store)."""
    url = request.getfixturevalue("chroma_server") if store_mode == "server" else None
    return build_library(tmp_path_factory.mktemp("library"), embedder, url)


@pytest.fixture
def own_library(tmp_path: Path, embedder: MiniLMEmbedder, store_mode: str, request: pytest.FixtureRequest) -> Engine:
    """A library of this test's own, for a test that edits and deletes articles."""
    url = request.getfixturevalue("chroma_server") if store_mode == "server" else None
    return build_library(tmp_path, embedder, url)


def test_every_article_is_listed_with_its_chunk_count(library: Engine) -> None:
    root = library.settings.root
    expected = {d.source: len(chunk_document(d, Settings())) for d in load_corpus([root / "corpus"], root)}
    assert library.store.sources() == expected
    assert len(expected) == OTHERS + 1 and library.store.count() == sum(expected.values())


def test_asking_across_all_articles_cites_the_right_file(library: Engine) -> None:
    answer = library.ask("How old is Qais al-Khazali?", backend="extractive")
    assert not answer.refused and answer.citations
    text = (library.settings.root / ARTICLE_SOURCE).read_text(encoding="utf-8")
    for c in answer.citations:
        assert c.source == ARTICLE_SOURCE
        assert text[c.start : c.end] == c.quote
    assert "47" in answer.answer


def test_filter_to_one_article(library: Engine) -> None:
    other = "corpus/synthetic-00007.txt"
    passages = library.retrieve("How old is Qais al-Khazali?", k=5, source=other)
    assert passages and {p.source for p in passages} == {other}
    text = (library.settings.root / other).read_text(encoding="utf-8")
    assert all(text[p.start : p.end] == p.text for p in passages)
    title = text.splitlines()[0].split(": ", 1)[1]
    answer = library.ask(f"What does it say about {title}?", backend="extractive", source=other)
    assert {c.source for c in answer.citations} <= {other}
    assert all(text[c.start : c.end] == c.quote for c in answer.citations)
    scoped = library.ask("How old is Qais al-Khazali?", backend="extractive", source=ARTICLE_SOURCE)
    assert {c.source for c in scoped.citations} == {ARTICLE_SOURCE}


def test_changing_one_article_among_many_replaces_only_its_chunks(own_library: Engine) -> None:
    library = own_library
    root = library.settings.root
    path = root / "corpus" / "synthetic-00003.txt"
    before = library.store.sources()
    # A paragraph after the title shifts every later offset, so each of the article's chunks is replaced.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\n", "\n\nA new opening paragraph about Chroma.\n\n", 1), encoding="utf-8")
    report = library.ingest()
    found = library.retrieve("A new opening paragraph about Chroma", k=1)  # a search after the sync sees it
    assert found[0].source == "corpus/synthetic-00003.txt" and "opening paragraph" in found[0].text
    after = library.store.sources()
    assert report.documents == OTHERS + 1 and report.added == before["corpus/synthetic-00003.txt"] + 1
    assert report.deleted == before["corpus/synthetic-00003.txt"]
    assert report.unchanged == sum(before.values()) - report.deleted
    assert {s: n for s, n in after.items() if s != "corpus/synthetic-00003.txt"} == \
        {s: n for s, n in before.items() if s != "corpus/synthetic-00003.txt"}
    (root / "corpus" / "synthetic-00004.txt").unlink()
    report = library.ingest()
    assert report.removed_sources == ["corpus/synthetic-00004.txt"]
    assert "corpus/synthetic-00004.txt" not in library.store.sources()
    assert library.ask("How old is Qais al-Khazali?", backend="extractive").citations[0].source == ARTICLE_SOURCE


def test_chroma_index_and_in_memory_search_agree(library: Engine) -> None:
    """A store over `exact_limit` chunks is searched through Chroma's index (one article: that article's
    vectors, read once); a small one exactly in memory. On this library both must rank alike."""
    indexed = HybridRetriever(library.store, library.embedder, exact_limit=0)
    assert indexed.snapshot().vectors is None
    assert library.retriever.snapshot().vectors is not None
    for question, source in (("How old is Qais al-Khazali?", None), ("What is a Python module?", None),
                             ("Who attacked the embassy?", ARTICLE_SOURCE),
                             ("How are exceptions raised?", "corpus/synthetic-00011.txt")):
        exact = library.retrieve(question, k=8, source=source)
        via_index = indexed.retrieve(question, k=8, source=source)
        assert [p.chunk_id for p in via_index] == [p.chunk_id for p in exact], question
        assert [p.dense for p in via_index] == pytest.approx([p.dense for p in exact], abs=1e-4)
