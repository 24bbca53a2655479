"""Hybrid retrieval: dense (MiniLM in Chroma) and keyword (BM25), fused by reciprocal rank.

Each retriever ranks chunks on its own; the fused score of a chunk is the weighted sum of
`1 / (rrf_k + rank)` over the lists it appears in, so neither score scale dominates. The BM25 index is
built from the store's chunks and rebuilt only when the store's revision changes. A store of at most
`exact_limit` chunks also hands over its vectors then, and the dense list is an exact cosine search in
memory: no query round trip to a Chroma server, and exact rather than approximate. A bigger store is
asked through Chroma's index. A passage holding rows of a table is widened to the whole table (overlapping
chunks joined, up to 4,000 characters). Returns scored passages with source and exact offsets. Does not select
sentences or generate.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from rag.chunking import Chunk
from rag.embedding import MiniLMEmbedder
from rag.layout import TABLE
from rag.lexical import BM25Index, tokenize
from rag.reading import Mark
from rag.speakers import Voice
from rag.store import ChunkStore

T = TypeVar("T")


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its place in the ranking."""

    rank: int
    source: str
    title: str
    start: int
    end: int
    score: float
    text: str
    chunk_id: str
    dense: float | None  # cosine similarity to the question, when the dense list had it
    keyword: float | None  # BM25 score, when the keyword list had it
    voices: tuple[Voice, ...] = ()  # who says each part of the text (document offsets)
    doc_sha256: str = ""  # of the article's file when it was ingested (to tell whether it changed since)
    marks: tuple[Mark, ...] = ()  # names, resolved pronouns, subjects (document offsets; rag/reading.py)

    def to_dict(self) -> dict[str, object]:
        return {"rank": self.rank, "source": self.source, "start": self.start, "end": self.end,
                "score": round(self.score, 6), "text": self.text}


def _table_run(snapshot: _Snapshot, chunk: Chunk, max_chars: int = 4000) -> list[Chunk]:
    """`chunk`, widened by the chunks before and after it that hold rows of a table (or list) it holds rows of
    (`rag/layout.py`): a table is read whole ("Which releases are not GPL-compatible?" needs every row), up to
    `max_chars`."""
    tables = {m.value for m in chunk.marks if m.kind == TABLE}
    if not tables:
        return [chunk]
    order = sorted((snapshot.chunks[i] for i in snapshot.by_source[chunk.source]), key=lambda c: c.start)
    at = next(i for i, c in enumerate(order) if c.id == chunk.id)
    lo = hi = at

    def joins(c: Chunk, before: Chunk) -> bool:  # overlapping windows of one table, within the size
        return (c.start <= before.end and any(m.kind == TABLE and m.value in tables for m in c.marks)
                and order[hi].end - order[lo].start + abs(c.end - c.start) <= max_chars)
    while lo > 0 and joins(order[lo - 1], order[lo]):
        lo -= 1
    while hi + 1 < len(order) and joins(order[hi + 1], order[hi]):
        hi += 1
    return order[lo:hi + 1]


def _union(groups: Iterable[tuple[T, ...]]) -> tuple[T, ...]:
    """The items of overlapping chunks' tuples, each once, in order."""
    return tuple(dict.fromkeys(item for group in groups for item in group))


class _Snapshot:
    """What searches keep of the store at one revision: every chunk, BM25 over them, (for a small store) their
    vectors, row i belonging to chunk i, and facts derived from one article's chunks (`derived`)."""

    def __init__(self, revision: str, chunks: list[Chunk], vectors: npt.NDArray[np.float32] | None) -> None:
        self.revision = revision
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = BM25Index([tokenize(c.reads) for c in chunks])
        positions: dict[str, list[int]] = {}
        for i, chunk in enumerate(chunks):
            positions.setdefault(chunk.source, []).append(i)
        self.by_source = {s: np.array(p, dtype=np.int64) for s, p in positions.items()}
        self._derived: dict[tuple[str, str], Any] = {}

    def derived(self, what: str, source: str, compute: Callable[[list[Chunk]], T]) -> T:
        """`compute` over one source's chunks, once per snapshot: a changed store gets a new snapshot, so what
        was derived from the old chunks goes with it (the article's main person, its names)."""
        if (what, source) not in self._derived:
            self._derived[(what, source)] = compute([self.chunks[int(i)] for i in self.by_source.get(source, [])])
        return cast(T, self._derived[(what, source)])

    def among(self, source: str | None) -> npt.NDArray[np.int64] | None:
        """Row numbers of one source's chunks (None: all rows)."""
        return None if source is None else self.by_source.get(source, np.zeros(0, dtype=np.int64))


def _nearest(chunks: list[Chunk], vectors: npt.NDArray[np.float32], vector: npt.NDArray[np.float32], n: int,
             rows: npt.NDArray[np.int64] | None = None) -> list[tuple[Chunk, float]]:
    """Exact cosine search (unit vectors), over all rows or the given ones."""
    scores = vectors @ vector if rows is None else vectors[rows] @ vector
    order = np.argsort(-scores, kind="stable")[:n]
    picked = order if rows is None else rows[order]
    return [(chunks[i], float(s)) for i, s in zip(picked, scores[order], strict=True)]


class HybridRetriever:
    """Dense + keyword retrieval over one `ChunkStore`."""

    def __init__(self, store: ChunkStore, embedder: MiniLMEmbedder, *, rrf_k: int = 20,
                 dense_weight: float = 1.0, keyword_weight: float = 0.8, depth: int = 20,
                 exact_limit: int = 20_000) -> None:
        self.store = store
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.depth = depth
        self.exact_limit = exact_limit  # 20k x 384 float32 vectors: 31 MB in memory
        self._snapshot: _Snapshot | None = None
        self._sources: dict[str, tuple[str, list[Chunk], npt.NDArray[np.float32]]] = {}  # source → vectors
        self._lock = threading.Lock()

    def snapshot(self) -> _Snapshot:
        """The chunks, BM25 index and (small store) vectors for the store's current revision."""
        revision = self.store.revision()
        with self._lock:
            if self._snapshot is None or self._snapshot.revision != revision:
                self._snapshot = None  # let the old one go before reading the new one
                if self.store.count() <= self.exact_limit:
                    chunks, vectors = self.store.chunks_and_vectors()
                    self._snapshot = _Snapshot(revision, chunks, vectors)
                else:
                    self._snapshot = _Snapshot(revision, self.store.all_chunks(), None)
            return self._snapshot

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term among the stored chunks (1.0 before the first search)."""
        snapshot = self._snapshot
        return snapshot.bm25.idf(term) if snapshot is not None else 1.0

    def warm_up(self) -> None:
        self.embedder.warm_up()
        self.snapshot()

    def _dense(self, snapshot: _Snapshot, vector: npt.NDArray[np.float32], n: int, source: str | None
               ) -> list[tuple[Chunk, float]]:
        """The dense list: exact in memory for a small store, else Chroma's index (all sources) or one
        source's vectors kept per store revision (a Chroma metadata-filtered query is far slower at scale:
        `make bench`, filtered retrieval)."""
        if snapshot.vectors is not None:
            return _nearest(snapshot.chunks, snapshot.vectors, vector, n, snapshot.among(source))
        if source is None:
            return self.store.query(vector, n)
        with self._lock:
            cached = self._sources.get(source)
            if cached is None or cached[0] != snapshot.revision:
                if len(self._sources) >= 8:
                    self._sources.pop(next(iter(self._sources)))
                chunks, vectors = self.store.chunks_and_vectors(source)
                cached = self._sources[source] = (snapshot.revision, chunks, vectors)
        _, chunks, vectors = cached
        return _nearest(chunks, vectors, vector, n)

    def retrieve(self, question: str, k: int = 5, source: str | None = None, keyword_also: int = 0
                 ) -> list[Passage]:
        """The `k` best passages for `question`, optionally within one source file; with `keyword_also`, then the
        best that many keyword hits not among them (for a quote check: rank fusion weighs a keyword hit holding
        nearly every word of a quote no more than a middling one, and the meaning list may not have it)."""
        depth = max(self.depth, 2 * k)
        vector = self.embedder.embed_query(question)
        snapshot = self.snapshot()  # one store read per search (its revision), shared by both lists
        dense = self._dense(snapshot, vector, depth, source)
        keyword = [(snapshot.chunks[i], s)
                   for i, s in snapshot.bm25.top(tokenize(question), depth, snapshot.among(source))]

        fused: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        dense_scores: dict[str, float] = {}
        keyword_scores: dict[str, float] = {}
        for weight, hits, scores in ((self.dense_weight, dense, dense_scores),
                                     (self.keyword_weight, keyword, keyword_scores)):
            for rank, (chunk, score) in enumerate(hits, start=1):
                fused[chunk.id] = fused.get(chunk.id, 0.0) + weight / (self.rrf_k + rank)
                chunks[chunk.id] = chunk
                scores[chunk.id] = score
        ranked = sorted(fused, key=lambda cid: (-fused[cid], chunks[cid].source, chunks[cid].start))
        passages: list[Passage] = []

        def add(cid: str) -> None:
            run = _table_run(snapshot, chunks[cid])
            if any(p.source == run[0].source and p.start <= run[0].start and run[-1].end <= p.end for p in passages):
                return  # a better passage already holds this whole table (or this very chunk)
            text = run[0].text + "".join(c.text[prev.end - c.start:] for prev, c in itertools.pairwise(run))
            passages.append(Passage(len(passages) + 1, run[0].source, run[0].title, run[0].start, run[-1].end,
                                    fused[cid], text, cid, dense_scores.get(cid), keyword_scores.get(cid),
                                    _union(c.voices for c in run), chunks[cid].doc_sha256,
                                    _union(c.marks for c in run)))

        for cid in ranked:
            if len(passages) == k:
                break
            add(cid)
        for chunk, _ in keyword[:keyword_also]:
            add(chunk.id)
        return passages
