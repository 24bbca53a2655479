"""Sentence-window chunks with exact character offsets.

A chunk is a run of consecutive sentences (`size` of them, the last `overlap` repeated at the start of the
next) cut from the document text by offset, so `document.text[chunk.start:chunk.end] == chunk.text`
always. A window also stops early at `max_chars` so one chunk stays within the embedder's input length.
Does not embed or store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rag.corpus import Document
from rag.sentences import Span, split_sentences

MAX_CHUNK_CHARS = 1100  # ~256 MiniLM word pieces, the embedder's input limit


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


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    """Content-derived id: same file, same place, same words → same id."""
    digest = hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{text}".encode()).hexdigest()
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


def chunk_document(doc: Document, size: int = 4, overlap: int = 1,
                   max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Cut `doc` into sentence windows; offsets index `doc.text` exactly."""
    sentences = split_sentences(doc.text)
    chunks: list[Chunk] = []
    for index, (i, j) in enumerate(_windows(sentences, size, overlap, max_chars)):
        start, end = sentences[i].start, sentences[j - 1].end
        text = doc.text[start:end]
        chunks.append(Chunk(chunk_id(doc.source, start, end, text), doc.source, doc.title, start, end,
                            text, doc.sha256, index))
    return chunks
