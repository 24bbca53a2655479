"""Re-ingest is idempotent, edits replace chunks, removed files go — embedded Chroma and `chroma run`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rag import Engine, RagError, Settings
from rag.chunking import Chunk, chunk_document
from rag.corpus import load_corpus
from rag.embedding import MiniLMEmbedder
from tests.conftest import ARTICLE, BIN, make_settings

Record = tuple[str, str, int, int, str]  # id, source, start, end, text


def records(chunks: list[Chunk]) -> set[Record]:
    return {(c.id, c.source, c.start, c.end, c.text) for c in chunks}


def clean_ingest(corpus: Path) -> list[Chunk]:
    """The chunks a first ingest of `corpus` (inside its parent, the project root) stores."""
    return [c for doc in load_corpus([corpus], corpus.parent) for c in chunk_document(doc, Settings())]


@pytest.fixture
def fresh_engine(tmp_path: Path, embedder: MiniLMEmbedder, store_mode: str,
                 request: pytest.FixtureRequest) -> Engine:
    url = request.getfixturevalue("chroma_server") if store_mode == "server" else None
    return Engine(make_settings(tmp_path, url, root=tmp_path, corpus_dir=Path("corpus")), embedder=embedder)


def test_reingest_adds_nothing(fresh_engine: Engine, corpus_copy: Path) -> None:
    first = fresh_engine.ingest()
    count = fresh_engine.store.count()
    assert records(fresh_engine.store.all_chunks()) == records(clean_ingest(corpus_copy))
    assert first.added == count == len(clean_ingest(corpus_copy)) > 10
    second = fresh_engine.ingest()
    assert (second.added, second.deleted, second.unchanged) == (0, 0, count)
    assert fresh_engine.store.count() == count


def test_who_says_what_is_kept_with_each_chunk(fresh_engine: Engine, corpus_copy: Path) -> None:
    """The voices read at ingest come back from the store with the chunk, offsets and speakers intact."""
    fresh_engine.ingest()
    chunks = fresh_engine.store.all_chunks()
    quoted = [v for c in chunks for v in c.voices if v.how == "quoted"]
    assert quoted and all(v.speaker == "Qais al-Khazali" for v in quoted)
    assert all(c.start <= v.end and v.start <= c.end for c in chunks for v in c.voices)
    assert {v.how for c in chunks for v in c.voices} == {"author", "quoted", "reported"}


def test_changed_file_replaces_its_chunks(fresh_engine: Engine, corpus_copy: Path) -> None:
    fresh_engine.ingest()
    article = next(corpus_copy.iterdir())
    source = f"corpus/{article.name}"
    before = fresh_engine.store.ids_for(source)
    text = article.read_bytes().decode("utf-8")
    article.write_bytes(text.replace("47 years old", "48 years old").encode("utf-8"))
    report = fresh_engine.ingest()
    after = fresh_engine.store.ids_for(source)
    clean = clean_ingest(corpus_copy)
    # Exactly the chunks holding the edited sentence are replaced (same length: no other offset moves).
    edited = {c.id for c in clean if "48 years old" in c.text}
    assert (report.added, report.deleted, report.unchanged) == (len(edited), len(edited), len(clean) - len(edited))
    assert after == {c.id for c in clean} and after - before == edited and len(before - after) == len(edited)
    assert records(fresh_engine.store.all_chunks()) == records(clean)
    new_text = article.read_bytes().decode("utf-8")
    for chunk in fresh_engine.store.all_chunks():
        assert new_text[chunk.start : chunk.end] == chunk.text


def test_removed_file_loses_its_chunks(fresh_engine: Engine, corpus_copy: Path) -> None:
    extra = corpus_copy / "second.md"
    extra.write_text("# Second article\n\nA short note about rivers. Rivers flow to the sea.\n", "utf-8")
    fresh_engine.ingest()
    assert set(fresh_engine.store.sources()) == {f"corpus/{p.name}" for p in corpus_copy.iterdir()}
    extra.unlink()
    report = fresh_engine.ingest()
    assert report.removed_sources == ["corpus/second.md"] and report.deleted == 1 and report.added == 0
    assert records(fresh_engine.store.all_chunks()) == records(clean_ingest(corpus_copy))
    assert fresh_engine.store.sources() == {f"corpus/{ARTICLE.name}": len(clean_ingest(corpus_copy))}


def test_missing_corpus_folder_is_a_user_error(fresh_engine: Engine) -> None:
    with pytest.raises(RagError, match="does not exist"):
        fresh_engine.ingest()


def test_asking_before_ingest_says_what_to_do(fresh_engine: Engine) -> None:
    with pytest.raises(RagError, match="Nothing has been ingested"):
        fresh_engine.retrieve("How old is he?")


@pytest.mark.slow  # a `rag ingest` process
def test_an_ingest_by_another_process_is_searched(fresh_engine: Engine, corpus_copy: Path) -> None:
    """The app keeps its engine open while `rag ingest` runs in a terminal: its next search sees the new
    article (an embedded Chroma keeps a vector index in memory per process, so the store reopens it)."""
    fresh_engine.ingest()
    assert fresh_engine.retrieve("rivers flow to the sea", k=1)[0].source != "corpus/rivers.md"
    (corpus_copy / "rivers.md").write_text("# Rivers\n\nA short note about rivers. Rivers flow to the sea.\n", "utf-8")
    settings = fresh_engine.settings
    env = {**os.environ, "RAG_DATA_DIR": str(settings.data_path), "RAG_COLLECTION": settings.collection,
           "RAG_CHROMA_URL": settings.chroma_url or ""}
    done = subprocess.run([str(BIN / "rag"), "ingest"], cwd=settings.root, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = fresh_engine.retrieve("rivers flow to the sea", k=1)
    assert found[0].source == "corpus/rivers.md" and found[0].dense is not None
