"""Sentence-window chunks with exact character offsets.

A chunk is a run of consecutive sentences (`Settings.chunk_sentences` of them, the last `chunk_overlap`
repeated at the start of the next) cut from the document text by offset, so
`document.text[chunk.start:chunk.end] == chunk.text` always. A window also stops early at
`chunk_max_chars` so one chunk stays within the embedder's input length.
Each chunk carries the voices of its text (who says what, from `rag/speakers.py`) and the marks the parse
found in it (names with their types, pronouns resolved, sentence subjects: `rag/reading.py`), both read over the
whole document so a "he says" can be resolved from earlier sentences. Does not embed or store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from rag.corpus import Document
from rag.layout import rows, stated
from rag.reading import READING_VERSION, Mark, from_rows, read, to_rows
from rag.sentences import Span, split_sentences
from rag.settings import Settings
from rag.speakers import Voice, attribute


@dataclass(frozen=True)
class Chunk:
    """A quotable window of an article."""

    id: str
    source: str
    title: str
    start: int
    end: int
    text: str
    doc_sha256: str
    index: int  # position of the chunk within its document
    voices: tuple[Voice, ...] = ()  # who says each part of the text (offsets into the document)
    marks: tuple[Mark, ...] = ()  # names, resolved pronouns and subjects in the text (offsets into the document)
    read_with: str = ""  # how it was cut and read (`reading_key`): a stored chunk read otherwise is read again

    @property
    def reads(self) -> str:
        """The text as retrieval indexes it: each table row or list item replaced by what it states, its columns
        named (`rag/layout.py`), so "| Laptops | 42 |" is found by "how many laptops"; else the text itself."""
        return stated(self.text, self.start, self.marks)


def voices_json(voices: tuple[Voice, ...]) -> str:
    """The voices as compact JSON (how the store keeps them: metadata values must be scalars)."""
    return json.dumps([[v.start, v.end, v.speaker, v.how] for v in voices], ensure_ascii=False,
                      separators=(",", ":"))


def voices_from_json(text: str) -> tuple[Voice, ...]:
    return tuple(Voice(int(a), int(b), str(who), str(how)) for a, b, who, how in json.loads(text or "[]"))


def marks_json(marks: tuple[Mark, ...]) -> str:
    """The marks as compact JSON, as the store keeps them."""
    return json.dumps(to_rows(marks), ensure_ascii=False, separators=(",", ":"))


def marks_from_json(text: str) -> tuple[Mark, ...]:
    return from_rows(json.loads(text or "[]"))


def chunk_id(source: str, start: int, end: int, text: str, voices: str = "") -> str:
    """Content-derived id: same file, same place, same words, same reading of who says them → same id."""
    digest = hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{text}\x00{voices}".encode()).hexdigest()
    return digest[:32]


def _windows(sentences: list[Span], size: int, overlap: int, max_chars: int) -> list[tuple[int, int]]:
    """Index ranges `[i, j)` over `sentences`, each at most `size` long and `max_chars` wide."""
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and j - i < size and sentences[j].end - sentences[i].start <= max_chars:
            j += 1
        windows.append((i, j))
        if j >= len(sentences):
            break
        i = max(i + 1, j - overlap)
    return windows


def reading_key(settings: Settings) -> str:
    """What a document's chunks depend on besides its text: the chunking settings and the reading's version. Stored
    chunks of an unchanged file with this key are kept as they are on the next ingest (not parsed again)."""
    return f"{READING_VERSION}/{settings.chunk_sentences}-{settings.chunk_overlap}-{settings.chunk_max_chars}"


def _window_spans(sentences: list[Span], settings: Settings) -> list[tuple[int, int]]:
    """Document offsets `[start, end)` of the sentence windows `settings` asks for."""
    windows = _windows(sentences, settings.chunk_sentences, settings.chunk_overlap, settings.chunk_max_chars)
    return [(sentences[i].start, sentences[j - 1].end) for i, j in windows]


def window_reads(doc: Document, settings: Settings) -> list[str]:
    """What retrieval will index for each window `chunk_document` cuts from `doc` (`Chunk.reads`: its table rows
    and list items as statements), worked out without the parse, so the embedding can start while it runs."""
    marks = rows(doc.text)
    return [stated(doc.text[start:end], start, [m for m in marks if start <= m.start and m.end <= end])
            for start, end in _window_spans(split_sentences(doc.text), settings)]


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    """Cut `doc` into the sentence windows `settings` asks for (`chunk_sentences`, `chunk_overlap`,
    `chunk_max_chars`); offsets index `doc.text` exactly."""
    sentences = split_sentences(doc.text)
    reading = read(doc.text, sentences)
    voices = attribute(doc.text, reading)
    all_marks = sorted([*reading.marks, *rows(doc.text)], key=lambda m: (m.start, m.end, m.kind))
    chunks: list[Chunk] = []
    for index, (start, end) in enumerate(_window_spans(sentences, settings)):
        text = doc.text[start:end]
        mine = tuple(v for v in voices if v.start < end and start < v.end)
        marks = tuple(m for m in all_marks if start <= m.start and m.end <= end)
        read_as = voices_json(mine) + marks_json(marks)  # a new reading of the same words is a new chunk
        chunks.append(Chunk(chunk_id(doc.source, start, end, text, read_as), doc.source, doc.title,
                            start, end, text, doc.sha256, index, mine, marks, reading_key(settings)))
    return chunks
