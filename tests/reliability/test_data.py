"""Reliability: what the store holds stays true to the files, whatever the working folder, links or edits.

Real components: the real article in a private corpus folder, real MiniLM and an embedded Chroma, the real
`rag` command run from other working folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag import Answer, Engine, Settings
from rag.chunking import chunk_document
from rag.corpus import Document
from rag.embedding import MiniLMEmbedder
from tests.conftest import ARTICLE, make_settings
from tests.helpers import rag

DATA = pytest.mark.reliability("files", data=True)
pytestmark = pytest.mark.slow  # each test ingests a store of its own
SOURCE = f"corpus/{ARTICLE.name}"
RIVERS = "# Rivers\n\nA short note about rivers. The Danube flows into the Black Sea through a wide delta.\n"


@pytest.fixture
def library(tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder) -> Engine:
    """An extractive engine over a private copy of the article (root: the copy's parent)."""
    return Engine(make_settings(tmp_path, root=tmp_path, corpus_dir=Path("corpus"), backend="extractive"),
                  embedder=embedder)


def chunk_count(text: str) -> int:
    return len(chunk_document(Document(SOURCE, "", text, ""), Settings()))


def quotes_are_at_their_offsets(engine: Engine, answer: Answer) -> None:
    texts = engine.source_texts()
    for c in answer.citations:
        assert texts[c.source][c.start:c.end] == c.quote
    for p in answer.passages:
        assert texts[p.source][p.start:p.end] == p.text


# -- names ----------------------------------------------------------------------------------------------------
@DATA
def test_names_do_not_depend_on_the_working_folder(tmp_path: Path, corpus_copy: Path,
                                                   embedder: MiniLMEmbedder) -> None:
    """`rag ingest` again from another working folder, with RAG_CORPUS_DIR absolute or relative → "0 chunk(s)
    added, 0 deleted"; the store holds the article once, as `corpus/<name>`, never twice under two names."""
    data = tmp_path / "data"
    first = rag("ingest", data=data, cwd=tmp_path, RAG_CORPUS_DIR="corpus")
    assert first.returncode == 0, first.stderr
    elsewhere = tmp_path / "adv"
    elsewhere.mkdir()
    for corpus in (str(corpus_copy), "../corpus"):
        again = rag("ingest", data=data, cwd=elsewhere, RAG_CORPUS_DIR=corpus)
        assert again.returncode == 0, again.stderr
        assert "0 chunk(s) added, 0 deleted" in again.stdout, again.stdout
    settings = make_settings(tmp_path, root=elsewhere, corpus_dir=corpus_copy).with_(collection="articles")
    engine = Engine(settings, embedder=embedder)
    assert engine.store.sources() == {SOURCE: chunk_count(ARTICLE.read_text(encoding="utf-8"))}
    assert engine.settings.source_path(SOURCE) == corpus_copy / ARTICLE.name


# -- links ----------------------------------------------------------------------------------------------------
@DATA
def test_a_link_inside_the_corpus_is_named_by_its_place_and_pruned_with_it(library: Engine,
                                                                           corpus_copy: Path) -> None:
    """A link between two files of the corpus folder → stored as `corpus/<link name>`; the link deleted and the
    corpus ingested again → exactly its chunks removed, and it is never quoted again."""
    (corpus_copy / "alias.txt").symlink_to(ARTICLE.name)
    library.ingest()
    n = chunk_count(ARTICLE.read_text(encoding="utf-8"))
    assert library.store.sources() == {"corpus/alias.txt": n, SOURCE: n}
    (corpus_copy / "alias.txt").unlink()
    report = library.ingest()
    assert report.removed_sources == ["corpus/alias.txt"] and report.deleted == n
    answer = library.ask("Where was al-Khazali born?")
    assert {c.source for c in answer.citations} == {SOURCE}
    assert {p.source for p in answer.passages} == {SOURCE}


@DATA
def test_a_link_out_of_the_corpus_is_refused_with_a_message(library: Engine, corpus_copy: Path,
                                                            tmp_path: Path) -> None:
    """A link in the corpus folder to a file outside it → not ingested: "corpus/rivers.txt links to …, outside
    the corpus folder: not ingested (copy the file into the folder instead)"."""
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(RIVERS, encoding="utf-8")
    (corpus_copy / "rivers.txt").symlink_to(outside)
    report = library.ingest()
    assert report.refused == [f"corpus/rivers.txt links to {outside}, outside the corpus folder: not ingested "
                              "(copy the file into the folder instead)"]
    assert set(library.store.sources()) == {SOURCE}


@DATA
def test_the_cli_says_which_link_it_refused(corpus_copy: Path, tmp_path: Path) -> None:
    """`rag ingest` over a corpus with a link leading out of it → exit 0, the other articles ingested, and one
    line on stderr: "refused: corpus/rivers.txt links to …, outside the corpus folder: not ingested (…)"."""
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(RIVERS, encoding="utf-8")
    (corpus_copy / "rivers.txt").symlink_to(outside)
    done = rag("ingest", data=tmp_path / "cli-data", cwd=tmp_path, RAG_CORPUS_DIR="corpus")
    assert done.returncode == 0, done.stderr
    assert "Ingested 1 article(s)" in done.stdout
    assert [line for line in done.stderr.splitlines() if line.startswith("refused: ")] == [
        f"refused: corpus/rivers.txt links to {outside}, outside the corpus folder: not ingested "
        "(copy the file into the folder instead)"]


@DATA
def test_deleting_a_linked_article_removes_the_link_not_its_target(library: Engine, corpus_copy: Path) -> None:
    """Deleting a linked article (the app's Delete) → the link and its chunks go; the file it points to stays,
    byte for byte, with its chunks."""
    (corpus_copy / "alias.txt").symlink_to(ARTICLE.name)
    library.ingest()
    library.delete_article("corpus/alias.txt")
    assert not (corpus_copy / "alias.txt").is_symlink()
    assert (corpus_copy / ARTICLE.name).read_bytes() == ARTICLE.read_bytes()
    assert set(library.store.sources()) == {SOURCE}


# -- edits ----------------------------------------------------------------------------------------------------
@DATA
def test_an_article_edited_on_disk_is_ingested_again_before_it_is_quoted(library: Engine,
                                                                         corpus_copy: Path) -> None:
    """An article edited on disk after ingest (a note inserted at the top) → the next question ingests it again
    first and says "… changed on disk since it was ingested; it was ingested again before answering."; every
    quote and passage is at its offsets in the file as it is now (the same quotes, moved by the note's length)."""
    library.ingest()
    path = corpus_copy / ARTICLE.name
    before = library.ask("Where was al-Khazali born?")
    quotes_are_at_their_offsets(library, before)
    note = "Editor's note: this interview was shortened.\n\n"
    edited = note + ARTICLE.read_text(encoding="utf-8")
    path.write_text(edited, encoding="utf-8")
    after = library.ask("Where was al-Khazali born?")
    assert after.notice == (f"{SOURCE} changed on disk since it was ingested; it was ingested again before "
                            "answering.")
    assert after.citations and [c.quote for c in after.citations] == [c.quote for c in before.citations]
    assert [c.start for c in after.citations] == [c.start + len(note) for c in before.citations]
    quotes_are_at_their_offsets(library, after)
    assert library.store.sources() == {SOURCE: chunk_count(edited)}
    assert library.ask("Where was al-Khazali born?").notice is None  # in step now: nothing to say


@DATA
def test_an_article_deleted_on_disk_is_no_longer_quoted(library: Engine, corpus_copy: Path) -> None:
    """An article deleted on disk but not re-ingested → the next question drops its chunks and says
    "corpus/rivers.md is gone from disk; it is no longer quoted."; nothing of it is quoted."""
    (corpus_copy / "rivers.md").write_text(RIVERS, encoding="utf-8")
    library.ingest()
    assert library.ask("Where does the Danube flow?").citations[0].source == "corpus/rivers.md"
    os.remove(corpus_copy / "rivers.md")
    answer = library.ask("Where does the Danube flow?")
    assert answer.notice == "corpus/rivers.md is gone from disk; it is no longer quoted."
    assert "corpus/rivers.md" not in {p.source for p in answer.passages} | {c.source for c in answer.citations}
    assert set(library.store.sources()) == {SOURCE}
