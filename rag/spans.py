"""Quotable spans: every sentence of a passage, and clause windows of long ones, with exact offsets and voices.

A `SourceSpan` is what can be quoted: `text` is the source file's text at `[start, end)`, by construction.
Headings and instructions planted for a model are never spans. Does not score or choose among them
(`rag/citations.py` scores and aligns, `rag/context.py` picks what the model reads).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.chunking import Chunk
from rag.injection import looks_like_instruction
from rag.layout import KEY, TABLE, row_at
from rag.reading import Mark
from rag.retrieval import Passage
from rag.sentences import Span, has_words, is_prose, split_sentences
from rag.speakers import Voice, voice_of

LONG_SENTENCE = 260  # characters; longer sentences enter the LLM context as a clause window
CLAUSE_QUOTES = 160  # characters; longer sentences also offer clause windows as tighter quotes
CLAUSE_TRAIL = " ,;:\u00a0"  # punctuation and space trimmed off the end of a clause window
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+(?=\S)|\s+(?=[“(])")


@dataclass(frozen=True)
class SourceSpan:
    """A quotable span of a retrieved passage, with offsets into its source file and who says it."""

    source: str
    title: str
    start: int
    end: int
    text: str
    is_clause: bool = False
    voices: tuple[Voice, ...] = ()  # the voices overlapping the span (the author's, a quoted person's, …)
    marks: tuple[Mark, ...] = ()  # what the parse found in the sentence holding the span (rag/reading.py)

    @property
    def reads(self) -> str:
        """What the span states, as the models read and score it: a table row with its columns' names, a list
        item after the line introducing it (`rag/layout.py`); any other span, its text."""
        row = row_at(self.marks, self.start, self.end)
        return row.value if row else self.text

    @property
    def row_key(self) -> str | None:
        """What a table row is about: its first cell (`rag/layout.py`); None for any other span."""
        return next((m.value for m in self.marks if m.kind == KEY and m.start == self.start and m.end == self.end),
                    None)

    @property
    def table(self) -> tuple[str, str] | None:
        """Which table (or list) the span is a row of, as (source, where the table starts); None for prose."""
        mark = next((m for m in self.marks if m.kind == TABLE and m.start == self.start and m.end == self.end), None)
        return (self.source, mark.value) if mark else None

    @property
    def voice(self) -> Voice:
        """Who says most of the span."""
        return voice_of(self.voices, self.start, self.end)

    @property
    def speakers(self) -> set[str]:
        """Everyone whose words the span holds: the speakers of the voices overlapping it."""
        return {v.speaker for v in self.voices if v.start < self.end and self.start < v.end}

    def as_named_here(self, text: str) -> str:
        """`text` with each person's name as this span writes it: a claim may name someone in full where the quote
        has only the surname the article gave them after ("Is it true that she saw Richey Edwards in Goa?" against
        "A fan says she saw Edwards in …", which the local model calls false: P(yes) 0.13, and 0.97 with
        "Edwards"). Only a name the article's reading ties to that person (the mark's fullest name) is replaced."""
        for mark in self.marks:
            if mark.kind != "PERSON" or not (self.start <= mark.start and mark.end <= self.end):
                continue
            written = self.text[mark.start - self.start : mark.end - self.start]
            if mark.value != written and mark.value in text:
                text = text.replace(mark.value, written)
        return text

    def within(self, start: int, end: int) -> SourceSpan:
        """The part `[start, end)` of this span (document offsets), with its voices."""
        text = self.text[start - self.start : end - self.start]
        return SourceSpan(self.source, self.title, start, end, text, True,
                          tuple(v for v in self.voices if v.start < end and start < v.end), self.marks)


def clause_cuts(text: str, start: int, end: int) -> list[int]:
    """Clause boundaries inside `text[start:end]`, as offsets into `text` (start and end included)."""
    inner = [start + m.end() for m in _CLAUSE_BREAK.finditer(text[start:end])]
    return sorted({start, *inner, end})


def _clauses(text: str, span: Span) -> list[Span]:
    """Clause windows (1–5 consecutive clauses) inside a long sentence, whitespace-trimmed."""
    cuts = clause_cuts(text, span.start, span.end)
    windows = []
    for i in range(len(cuts) - 1):
        for j in range(i + 1, min(i + 6, len(cuts))):
            start, end = cuts[i], cuts[j]
            while end > start and text[end - 1] in CLAUSE_TRAIL:
                end -= 1
            if 30 <= end - start <= LONG_SENTENCE and (start, end) != (span.start, span.end):
                windows.append(Span(start, end))
    return windows


def candidate_spans(passages: Sequence[Passage | Chunk]) -> list[SourceSpan]:
    """Every quotable sentence (and clause window of long ones) in the passages (or stored chunks),
    deduplicated."""
    seen: set[tuple[str, int, int]] = set()
    spans: list[SourceSpan] = []
    for passage in passages:
        for sentence in split_sentences(passage.text, partial_head=True):
            pieces = [(sentence, False)]
            whole = (passage.start + sentence.start, passage.start + sentence.end)
            row = row_at(passage.marks, *whole)
            said = sentence.of(passage.text)
            if (not is_prose(said) and not row) or looks_like_instruction(said):
                continue  # headings, and instructions planted for a model, are not statements to quote
            if sentence.end - sentence.start > CLAUSE_QUOTES:
                pieces += [(c, True) for c in _clauses(passage.text, sentence)]
            for piece, is_clause in pieces:
                text = piece.of(passage.text)
                key = (passage.source, passage.start + piece.start, passage.start + piece.end)
                if key in seen or not has_words(text):
                    continue
                seen.add(key)
                spans.append(SourceSpan(passage.source, passage.title, key[1], key[2], text, is_clause,
                                        tuple(v for v in passage.voices if v.start < key[2] and key[1] < v.end),
                                        tuple(m for m in passage.marks if whole[0] <= m.start and m.end <= whole[1])))
    return spans


def whole_sentences(spans: Sequence[SourceSpan]) -> list[SourceSpan]:
    """The spans that are whole sentences (no clause windows), in reading order: source, then offset."""
    return sorted((s for s in spans if not s.is_clause), key=lambda s: (s.source, s.start))


def follows(before: SourceSpan, after: SourceSpan) -> bool:
    """Whether `after` comes right after `before` in the same source, only whitespace between them."""
    return before.source == after.source and after.start - before.end <= 4


def sentence_and_before(span: SourceSpan, spans: Sequence[SourceSpan]) -> tuple[SourceSpan | None, SourceSpan | None]:
    """The whole sentence that holds `span`, and the one right before it (the passage before may hold it: chunks
    overlap by one sentence); None for either not among `spans`."""
    whole = [s for s in whole_sentences(spans) if s.source == span.source]
    at = next((i for i, s in enumerate(whole) if s.start <= span.start and span.end <= s.end), None)
    if at is None:
        return None, None
    return whole[at], whole[at - 1] if at and follows(whole[at - 1], whole[at]) else None


def sentence_before(span: SourceSpan, spans: Sequence[SourceSpan]) -> SourceSpan | None:
    """The whole sentence right before the one that holds `span`, or None."""
    return sentence_and_before(span, spans)[1]
