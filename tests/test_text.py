"""Sentence splitting, loading and chunking keep exact offsets into the article as stored."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from rag import RagError, Settings
from rag.chunking import chunk_document
from rag.corpus import load_corpus, load_document, title_of
from rag.sentences import split_sentences
from tests.conftest import ARTICLE, REPO


def sentences_of(text: str) -> list[str]:
    return [s.of(text) for s in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Smith met Dr. Jones at 5 p.m. on Jan. 3. George W. Bush left, e.g. early. Then it rained."
    assert sentences_of(text) == [
        "Mr. Smith met Dr. Jones at 5 p.m. on Jan. 3.",
        "George W. Bush left, e.g. early.",
        "Then it rained.",
    ]


def test_non_breaking_space_after_full_stop_ends_a_sentence() -> None:
    text = "He spoke to the BBC.\u00a0 His words matter. Next one."
    assert sentences_of(text) == ["He spoke to the BBC.", "His words matter.", "Next one."]


def test_curly_quotes_and_parentheses_stay_with_their_sentence() -> None:
    text = ("“People do not want that. This has more harm than advantage” he states.  "
            "It ended (as expected.) Then “Why?” he asked. Done!")
    assert sentences_of(text) == [
        "“People do not want that. This has more harm than advantage” he states.",
        "It ended (as expected.)",
        "Then “Why?” he asked.",
        "Done!",
    ]


def test_line_breaks_separate_titles_and_headings() -> None:
    text = "A Title\n\nFirst sentence here. Second one.\nHeading\nBody."
    assert sentences_of(text) == ["A Title", "First sentence here.", "Second one.", "Heading", "Body."]


def test_hard_wrapped_paragraphs_are_joined_but_headings_lists_and_tables_are_not() -> None:
    text = ("A. HISTORY OF THE SOFTWARE\n==========================\n\n"
            "Python was created in the early 1990s by Guido van Rossum at Stichting\n"
            "Mathematisch Centrum (CWI) in the Netherlands as a successor of a\n"
            "language called ABC.  Guido remains Python's principal author.\n\n"
            "    Release         Derived     Year        Owner       GPL-\n"
            "    0.9.0 thru 1.2              1991-1995   CWI         yes\n\n"
            "Things the licence lets you do, listed one by one below:\n"
            "- copy the software and give the copies to anybody you like\n"
            "- change it\n")
    assert sentences_of(text) == [
        "A. HISTORY OF THE SOFTWARE", "==========================",
        "Python was created in the early 1990s by Guido van Rossum at Stichting\n"
        "Mathematisch Centrum (CWI) in the Netherlands as a successor of a\nlanguage called ABC.",
        "Guido remains Python's principal author.",
        "Release         Derived     Year        Owner       GPL-",
        "0.9.0 thru 1.2              1991-1995   CWI         yes",
        "Things the licence lets you do, listed one by one below:",
        "- copy the software and give the copies to anybody you like", "- change it"]


def test_a_chunk_splits_into_the_same_sentences_as_its_document() -> None:
    """A chunk may start in the middle of a wrapped line; its sentences are still the document's."""
    for doc in load_corpus([REPO / "corpus"], REPO):
        whole = {(s.start, s.end) for s in split_sentences(doc.text)}
        for chunk in chunk_document(doc, Settings()):
            mine = {(chunk.start + s.start, chunk.start + s.end)
                    for s in split_sentences(chunk.text, partial_head=True)}
            assert mine == {x for x in whole if chunk.start <= x[0] and x[1] <= chunk.end}, (doc.source, chunk.index)


def test_sentence_offsets_index_the_article_exactly(article_text: str) -> None:
    spans = split_sentences(article_text)
    assert len(spans) > 40
    for span in spans:
        piece = article_text[span.start : span.end]
        assert piece == piece.strip() and piece
    found = [s.of(article_text) for s in spans]
    assert "Al-Khazali was born in Sadr City, and he is 47 years old now." in found
    assert "It will not leave any effect on us because we make our own decisions." in found


def test_loader_keeps_text_byte_for_byte(tmp_path: Path) -> None:
    raw = "Title line\r\n\r\nCaf\u00e9 text.\u00a0 Second\ttab.\r\n".encode()
    path = tmp_path / "note.txt"
    path.write_bytes(raw)
    doc = load_document(path, tmp_path)
    assert doc.text.encode("utf-8") == raw
    assert doc.title == "Title line"
    assert doc.source == "note.txt"


def test_markdown_title_drops_heading_marks() -> None:
    assert title_of("\n\n# My Article\nBody", ".md") == "My Article"
    assert title_of("   \n  First line  \nmore") == "First line"


@pytest.mark.parametrize(("payload", "message"), [
    (b"\xff\xfe bad bytes", "not valid UTF-8"),
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_bad_files_raise_clear_errors(tmp_path: Path, payload: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(RagError, match=message):
        load_document(path, tmp_path)


def test_empty_corpus_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(RagError, match=r"No \.txt or \.md articles"):
        load_corpus([tmp_path], tmp_path)


def test_chunks_cover_the_article_with_exact_offsets_and_overlap(article_text: str) -> None:
    doc = load_document(ARTICLE, REPO)
    assert doc.source == "corpus/qais-al-khazali-interview-iran.txt"
    chunks = chunk_document(doc, Settings(chunk_sentences=4, chunk_overlap=1))
    assert len(chunks) > 10
    for chunk in chunks:
        assert article_text[chunk.start : chunk.end] == chunk.text
        assert len(split_sentences(chunk.text)) <= 4
    for before, after in itertools.pairwise(chunks):
        if len(split_sentences(before.text)) > 1:  # a window of one long sentence cannot overlap
            assert after.start < before.end
    # Every sentence of the article lies inside some chunk.
    for sentence in split_sentences(article_text):
        assert any(c.start <= sentence.start and sentence.end <= c.end for c in chunks)
    # Ids derive from content: chunking again gives the same ids.
    assert [c.id for c in chunk_document(doc, Settings())] == [c.id for c in chunks]


def test_chunks_take_their_size_from_settings_only() -> None:
    """The chunker has no sizes of its own: a `Settings` with narrower windows gives narrower chunks, each
    either within `chunk_max_chars` or a single sentence that is longer by itself."""
    doc = load_document(ARTICLE, REPO)
    narrow = Settings(chunk_sentences=2, chunk_overlap=0, chunk_max_chars=200)
    chunks = chunk_document(doc, narrow)
    assert len(chunks) > len(chunk_document(doc, Settings()))
    for chunk in chunks:
        sentences = split_sentences(chunk.text)
        assert len(sentences) <= 2 and (len(chunk.text) <= 200 or len(sentences) == 1)
    assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))  # no overlap asked, none given
    with pytest.raises(RagError, match="chunk_max_chars must be at least 1"):
        Settings(chunk_max_chars=0)
