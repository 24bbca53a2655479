"""Re-ingest is idempotent, edits replace chunks, removed files go — embedded Chroma and `chroma run`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from rag import Engine, RagError, Settings
from rag.chunking import Chunk, chunk_document
from rag.corpus import Document, load_corpus
from rag.embedding import MiniLMEmbedder
from rag.sync_plan import plan_sync
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


def test_each_chunk_is_stored_with_the_vector_of_what_it_indexes(fresh_engine: Engine, corpus_copy: Path) -> None:
    """Ingest embeds while the parse runs (`Articles._read_and_embed`): each stored vector is still its chunk's."""
    fresh_engine.ingest()
    got = fresh_engine.store.collection.get(include=["embeddings", "documents"])
    by_id = {c.id: c for c in fresh_engine.store.all_chunks()}
    reads = [by_id[cid].reads for cid in got["ids"]]
    again = fresh_engine.embedder.embed_batch(reads)
    assert np.allclose(np.asarray(got["embeddings"]), again, atol=1e-5)


def test_a_parse_that_fails_during_ingest_is_raised_and_stores_nothing(
        fresh_engine: Engine, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(doc: Document, settings: Settings) -> list[Chunk]:
        raise RagError("The parse failed.")

    monkeypatch.setattr("rag.articles.chunk_document", broken)
    with pytest.raises(RagError, match="The parse failed"):
        fresh_engine.ingest()
    assert fresh_engine.store.count() == 0


def test_an_embedding_that_fails_during_ingest_is_raised_and_stores_nothing(
        fresh_engine: Engine, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(texts: list[str], progress: object = None, busy: object = None) -> dict[str, object]:
        raise RagError("The embedder failed.")

    monkeypatch.setattr(fresh_engine.store, "embed_ahead", broken)
    with pytest.raises(RagError, match="The embedder failed"):
        fresh_engine.ingest()
    assert fresh_engine.store.count() == 0


def test_while_the_parse_runs_the_embedding_keeps_to_one_thread_in_small_batches(
        fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`embed_ahead` beside a running parse: small batches, longest texts first, on one torch thread; then the rest
    in one batch on every thread, the thread count as before after; the vectors those of a plain encode."""
    import torch

    texts = [f"Sentence number {i} of the article, {'with more words ' * (i % 5)}said the minister." for i in range(40)]
    plain = fresh_engine.embedder.embed_batch(texts)
    threads_before = torch.get_num_threads()
    seen: list[tuple[int, int, int]] = []  # batch size, torch threads, longest text
    real = fresh_engine.embedder.embed_batch

    def recording(batch: list[str]) -> np.ndarray:
        seen.append((len(batch), torch.get_num_threads(), max(map(len, batch))))
        return real(batch)

    monkeypatch.setattr(fresh_engine.embedder, "embed_batch", recording)
    progress: list[tuple[int, int]] = []
    ahead = fresh_engine.store.embed_ahead(texts, lambda done, total: progress.append((done, total)),
                                           busy=lambda: len(seen) < 2)
    assert [(n, t) for n, t, _ in seen] == [(16, 1), (16, 1), (8, threads_before)]
    assert seen[0][2] == max(map(len, texts))  # the longest first
    assert torch.get_num_threads() == threads_before
    assert progress == [(16, 40), (32, 40), (40, 40)]
    assert np.allclose(np.stack([ahead[t] for t in texts]), plain, atol=1e-5)


def test_an_article_read_again_by_a_newer_reading_is_not_read_at_every_ingest(
        fresh_engine: Engine, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the reading's version changes, an unchanged article is read again once (its chunks keep their ids and
    vectors, their metadata says how they were read), and not at the ingest after."""
    fresh_engine.ingest()
    monkeypatch.setattr("rag.chunking.READING_VERSION", "a-newer-reading")
    calls: list[str] = []
    real = chunk_document

    def counting(doc: Document, settings: Settings) -> list[Chunk]:
        calls.append(doc.source)
        return real(doc, settings)

    monkeypatch.setattr("rag.articles.chunk_document", counting)
    first = fresh_engine.ingest()
    read_once = len(calls)
    assert read_once > 0 and first.added == 0 and first.deleted == 0
    assert {c.read_with.split("/")[0] for c in fresh_engine.store.all_chunks()} == {"a-newer-reading"}
    fresh_engine.ingest()
    assert len(calls) == read_once


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


def test_the_stored_state_holds_every_source_or_the_ones_named(fresh_engine: Engine, corpus_copy: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What an ingest knows of the store comes from metadata (`stored_state`): every source, one, a few (filtered
    in Chroma), or many (one scan, kept to those named)."""
    (corpus_copy / "rivers.md").write_text("# Rivers\n\nA short note about rivers. Rivers flow to the sea.\n", "utf-8")
    fresh_engine.ingest()
    store, article, rivers = fresh_engine.store, f"corpus/{ARTICLE.name}", "corpus/rivers.md"
    everything = store.stored_state()
    got = store.collection.get(include=["metadatas"])
    by_source: dict[str, set[str]] = {}
    for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
        by_source.setdefault(str(meta["source"]), set()).add(cid)
    assert everything.ids() == by_source and everything.sources is None
    assert len(everything.ids()) == 2
    assert store.stored_state([rivers]).ids() == {rivers: store.ids_for(rivers)}
    assert store.stored_state([rivers, article, "corpus/absent.txt"]).ids() == everything.ids()
    assert [c.index for c in everything.chunks[article]] == list(range(len(store.ids_for(article))))
    assert store.stored_state([]).chunks == {}
    monkeypatch.setattr("rag.store.MANY_SOURCES", 1)  # two named sources are now many: one scan
    assert store.stored_state([rivers, "corpus/absent.txt"]).ids() == {rivers: store.ids_for(rivers)}


def test_an_unchanged_ingest_reads_the_store_once(fresh_engine: Engine, corpus_copy: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync reuses what the ingest read of the store (its revision has not moved): no second scan."""
    fresh_engine.ingest()
    scans: list[object] = []
    real = fresh_engine.store.stored_state
    monkeypatch.setattr(fresh_engine.store, "stored_state", lambda *a: scans.append(a) or real(*a))
    report = fresh_engine.ingest()
    assert (report.added, report.deleted, report.unchanged > 0, len(scans)) == (0, 0, True, 1)


def test_a_sync_after_another_write_reads_the_store_again(fresh_engine: Engine, corpus_copy: Path) -> None:
    """A state read before another write is not trusted by `sync`: the store's revision moved, so it reads the
    ids again (else it would take the deleted chunks as stored and add nothing)."""
    fresh_engine.ingest()
    known = fresh_engine.store.stored_state()
    source = f"corpus/{ARTICLE.name}"
    fresh_engine.store.delete_source(source)
    doc = next(iter(load_corpus([corpus_copy], corpus_copy.parent)))
    chunks = chunk_document(doc, fresh_engine.settings)
    report = fresh_engine.store.sync([(doc, chunks)], known=known)
    assert report.added == len(chunks) == fresh_engine.store.count()


def test_a_sync_cut_short_still_moves_the_revision(fresh_engine: Engine, corpus_copy: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """New chunks written, then the deletion fails: the revision moves all the same, so no state read before
    (a snapshot, another ingest's `known`) is trusted as current."""
    fresh_engine.ingest()
    before = fresh_engine.store.revision()
    article = next(corpus_copy.iterdir())
    article.write_bytes(article.read_bytes().replace(b"47 years old", b"48 years old"))

    def broken(ids: list[str]) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(fresh_engine.store, "_delete", broken)
    with pytest.raises(RuntimeError, match="went away"):
        fresh_engine.ingest()
    assert fresh_engine.store.revision() != before


def test_an_article_named_twice_is_ingested_once(fresh_engine: Engine, corpus_copy: Path) -> None:
    article = next(corpus_copy.iterdir())
    report = fresh_engine.ingest([corpus_copy, article, corpus_copy / ".." / "corpus" / article.name])
    assert report.documents == 1 and report.added == fresh_engine.store.count() == len(clean_ingest(corpus_copy))


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


def _doc(source: str, *ids: str) -> tuple[Document, list[Chunk]]:
    return Document(source, "", "", ""), [Chunk(i, source, "", 0, 0, "", "", n) for n, i in enumerate(ids)]


def test_sync_plan_adds_what_is_missing_and_deletes_what_is_stale() -> None:
    """The plan alone, no Chroma: new ids are added in document order, unwanted ids of the same document are
    deleted, wanted ones already stored are counted unchanged, other sources are left alone."""
    stored = {"corpus/a.txt": {"a1", "a2", "old"}, "corpus/b.txt": {"b1"}, "elsewhere/c.txt": {"c1"}}
    plan = plan_sync(stored, [_doc("corpus/a.txt", "a1", "a3", "a2", "a4")])
    assert [c.id for c in plan.adds] == ["a3", "a4"]
    assert (plan.stale, plan.removed, plan.unchanged, plan.deleted) == (["old"], {}, 2, 1)


def test_sync_plan_prunes_only_missing_sources_under_the_prefix() -> None:
    stored = {"corpus/a.txt": {"a1"}, "corpus/gone.txt": {"g2", "g1"}, "corpus/sub/x.md": {"x1"},
              "corpora/y.txt": {"y1"}, "/abs/z.txt": {"z1"}}
    plan = plan_sync(stored, [_doc("corpus/a.txt", "a1")], prune_prefix="corpus/")
    assert plan.removed == {"corpus/gone.txt": ["g1", "g2"], "corpus/sub/x.md": ["x1"]}
    assert (plan.adds, plan.stale, plan.unchanged, plan.deleted) == ([], [], 1, 3)
    assert plan_sync(stored, [_doc("corpus/a.txt", "a1")]).removed == {}  # no prefix: nothing pruned


def test_sync_plan_keeps_the_kept_sources_as_they_are() -> None:
    """A kept source (stored, unchanged, not re-read) is neither pruned nor touched, and counts unchanged."""
    stored = {"corpus/a.txt": {"a1"}, "corpus/kept.txt": {"k1", "k2"}, "corpus/gone.txt": {"g1"}}
    plan = plan_sync(stored, [_doc("corpus/a.txt", "a1", "a2")], prune_prefix="corpus/", kept={"corpus/kept.txt"})
    assert ([c.id for c in plan.adds], plan.stale, plan.removed, plan.unchanged) == (
        ["a2"], [], {"corpus/gone.txt": ["g1"]}, 3)


def test_sync_plan_of_an_unchanged_corpus_is_empty() -> None:
    stored = {"corpus/a.txt": {"a1", "a2"}}
    plan = plan_sync(stored, [_doc("corpus/a.txt", "a1", "a2")], prune_prefix="corpus/")
    assert (plan.adds, plan.stale, plan.removed, plan.unchanged, plan.deleted) == ([], [], {}, 2, 0)
