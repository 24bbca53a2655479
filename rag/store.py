"""Chunks and their vectors in Chroma, kept in step with the corpus.

Embedded (`PersistentClient` under the data directory) by default; a `chroma run` server when a URL is
set. Chunk ids are content hashes, so `sync` adds only chunks it has not seen, deletes the ones whose
text or place changed, and drops files that are gone: re-ingesting an unchanged corpus writes nothing.
New chunks are written before stale ones are deleted, so an interrupted sync never loses an article.
Does not decide what to retrieve: it answers vector queries and hands out all chunks for keyword search.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from rag.chunking import Chunk, marks_from_json, marks_json, voices_from_json, voices_json
from rag.corpus import Document
from rag.embedding import Embedder, Vectors
from rag.errors import RagError
from rag.runtime import one_thread
from rag.settings import Settings
from rag.sync_plan import plan_sync

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.config import Settings as ChromaSettings

WRITE_BATCH = 512
MANY_SOURCES = 20  # more sources than this are read in one scan of every chunk's metadata, not filtered in Chroma
SHARED_BATCH = 16  # texts per encode while the parse runs beside it (`ChunkStore.embed_ahead`): 16 and 32 alike
Progress = Callable[[int, int], object]
Vector = np.ndarray  # one unit vector of the embedder's dimensions


@dataclass
class SyncReport:
    """What one ingest changed."""

    documents: int = 0
    added: int = 0
    deleted: int = 0
    unchanged: int = 0
    removed_sources: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # files not ingested, each with why
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.deleted)


@dataclass(frozen=True)
class StoredChunk:
    """A stored chunk as an ingest sees it, from its metadata alone (no text, no vector): enough to tell
    whether its article was stored whole, from the same file, by the same reading."""

    id: str
    index: int
    end: int
    doc_sha256: str
    read_with: str


@dataclass(frozen=True)
class StoredState:
    """The store's chunks by source at one revision (`sources`: the sources read, None for every one). An
    ingest reads it once to keep unchanged articles; `sync` uses it again when nothing was written since."""

    revision: str
    chunks: dict[str, list[StoredChunk]]  # source → its chunks, in index order
    sources: frozenset[str] | None

    def ids(self) -> dict[str, set[str]]:
        return {source: {c.id for c in chunks} for source, chunks in self.chunks.items()}

    def covers(self, sources: Iterable[str], prune_prefix: str | None) -> bool:
        return self.sources is None or (prune_prefix is None and self.sources.issuperset(sources))


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "source": chunk.source,
        "title": chunk.title,
        "start": chunk.start,
        "end": chunk.end,
        "doc_sha256": chunk.doc_sha256,
        "index": chunk.index,
        "voices": voices_json(chunk.voices),
        "marks": marks_json(chunk.marks),
        "read_with": chunk.read_with,
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id,
        str(meta["source"]),
        str(meta.get("title", "")),
        int(meta["start"]),
        int(meta["end"]),
        text,
        str(meta.get("doc_sha256", "")),
        int(meta.get("index", 0)),
        voices_from_json(str(meta.get("voices", ""))),
        marks_from_json(str(meta.get("marks", ""))),
        str(meta.get("read_with", "")),
    )


class ChunkStore:
    """One Chroma collection of article chunks. Cheap to build; connects on first use."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._lock = threading.RLock()
        self._sources: tuple[str, dict[str, int]] | None = None
        self._seen: str | None = None  # the revision this store last read or wrote

    # -- connection -------------------------------------------------------------------------------
    @property
    def location(self) -> str:
        return self.settings.chroma_url_shown or str(self.settings.data_path / "chroma")

    def _connect(self) -> ClientAPI:
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        url = self.settings.chroma_url
        if url:
            return self._connect_server(url, chroma_settings)
        return self._connect_embedded(chroma_settings)

    def _connect_server(self, url: str, chroma_settings: ChromaSettings) -> ClientAPI:
        """A client of the `chroma run` server at `url`."""
        import chromadb

        if "://" not in url:
            url = f"http://{url}"
        parsed = urlparse(url)
        if not parsed.hostname:
            raise RagError(
                f"RAG_CHROMA_URL={self.settings.chroma_url_shown!r} is not a URL like http://127.0.0.1:8000."
            )
        token = self.settings.chroma_token
        headers = {"Authorization": f"Bearer {token}"} if token else None
        secure = parsed.scheme == "https"
        default_port = 443 if secure else 8000
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or default_port,
                ssl=secure,
                headers=headers,
                settings=chroma_settings,
            )
        except Exception as err:
            raise RagError(
                f"Cannot reach the Chroma server at {self.settings.chroma_url_shown}.",
                hint="start it with `chroma run` or unset RAG_CHROMA_URL",
            ) from err

    def _connect_embedded(self, chroma_settings: ChromaSettings) -> ClientAPI:
        """An embedded client of the store under the data directory, which must be writable."""
        import chromadb

        path = self.settings.data_path / "chroma"
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / f".write-test-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise RagError(
                f"The data directory {path} is not writable ({err.strerror}).",
                hint="set RAG_DATA_DIR to a folder you can write to",
            ) from None
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)

    @property
    def collection(self) -> Collection:
        with self._lock:
            if self._collection is None:
                client = self._client or self._connect()
                self._client = client
                self._collection = self._call(lambda: self._open_collection(client))
                stored = (self._collection.metadata or {}).get("embedder")
                if stored and stored != self.embedder.name:
                    raise RagError(
                        f"The store was built with {stored}, not {self.embedder.name}.",
                        hint="delete the data directory and ingest again",
                    )
            return self._collection

    def _open_collection(self, client: ClientAPI) -> Collection:
        """The store's collection, created (cosine space, this embedder, revision "0") if it is not there."""
        return client.get_or_create_collection(
            self.settings.collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder.name, "revision": "0"},
        )

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run one Chroma call, turning connection failures into a message a person can act on."""
        try:
            return fn()
        except RagError:
            raise
        except Exception as err:
            if self.settings.chroma_url and _is_connection_error(err):
                self._collection = None  # reconnect on the next call: the server may be back
                raise RagError(
                    f"Lost the connection to the Chroma server at {self.settings.chroma_url_shown}.",
                    hint="is `chroma run` still running?",
                ) from err
            raise

    # -- reading ----------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self._call(self.collection.count))

    def revision(self) -> str:
        """Changes whenever `sync` changes the collection (also when another process did it). An embedded
        store that another process changed is reopened: Chroma keeps a vector index in memory per process,
        and this one would lack the other process's vectors."""
        col = self._call(lambda: self._fresh_collection())
        revision = str((col.metadata or {}).get("revision", "0"))
        if self._seen not in (None, revision) and not self.settings.chroma_url:
            self.close()
        self._seen = revision
        return revision

    def close(self) -> None:
        """Let go of Chroma; the next call connects again (an embedded store then loads from disk, unless
        another store in this process still holds it)."""
        with self._lock:
            client, self._client, self._collection = self._client, None, None
        close = getattr(client, "close", None)  # chromadb's Client has it, its ClientAPI type does not
        if close is not None:
            close()

    def _fresh_collection(self) -> Collection:
        client = self._client
        if client is None:
            return self.collection
        return client.get_collection(self.settings.collection, embedding_function=None)

    def ids_for(self, source: str) -> set[str]:
        got = self._call(lambda: self.collection.get(where={"source": source}, include=[]))
        return set(got["ids"])

    def _records(self, include: list[Any], page: int = 5000, where: dict[str, Any] | None = None
                 ) -> Iterator[tuple[str, str, dict[str, Any], Vectors | None]]:
        """Every stored (id, text, metadata, vector), or those matching `where`, read page by page; text is ""
        and vector None unless `include` asks for them."""
        offset = 0
        while True:
            read = functools.partial(self.collection.get, where=where, include=include, limit=page, offset=offset)
            got = self._call(read)
            ids = got["ids"]
            texts = got["documents"] or [""] * len(ids)
            metadatas = got["metadatas"] or []
            vectors: Any = got.get("embeddings")
            if vectors is None:
                vectors = [None] * len(ids)
            for cid, text, meta, vector in zip(ids, texts, metadatas, vectors, strict=True):
                yield cid, text or "", dict(meta), vector
            if len(ids) < page:
                return
            offset += page

    def stored_state(self, sources: Iterable[str] | None = None) -> StoredState:
        """What an ingest must know of the stored chunks of these sources (None: every source), from their
        metadata alone: no texts, vectors or keyword index are read or built. With 1,000 articles stored (26k
        chunks) the retriever's snapshot this replaced took seconds per ingest, mostly tokenizing for BM25."""
        revision = self.revision()  # before the read: a write in between makes the state look older, never newer
        wanted = None if sources is None else frozenset(sources)
        where = {"source": {"$in": sorted(wanted)}} if wanted is not None and len(wanted) <= MANY_SOURCES else None
        found: dict[str, list[StoredChunk]] = {}
        if wanted is None or wanted:
            for cid, _, meta, _ in self._records(["metadatas"], page=10000, where=where):
                source = str(meta.get("source", ""))
                if wanted is None or source in wanted:
                    found.setdefault(source, []).append(StoredChunk(
                        cid, int(meta.get("index", 0)), int(meta.get("end", 0)), str(meta.get("doc_sha256", "")),
                        str(meta.get("read_with", ""))))
        for chunks in found.values():
            chunks.sort(key=lambda c: c.index)
        return StoredState(revision, found, wanted)

    def sources(self) -> dict[str, int]:
        """Every stored source with its chunk count (remembered until the store's revision changes)."""
        revision = self.revision()
        if self._sources is None or self._sources[0] != revision:
            counts = {source: len(chunks) for source, chunks in self.stored_state().chunks.items()}
            self._sources = (revision, dict(sorted(counts.items())))
        return dict(self._sources[1])

    def all_chunks(self) -> list[Chunk]:
        """Every chunk with its text, for keyword search and listings."""
        records = self._records(["documents", "metadatas"])
        return [chunk_from_record(cid, text, meta) for cid, text, meta, _ in records]

    def chunks_and_vectors(self, source: str | None = None) -> tuple[list[Chunk], Vectors]:
        """Every chunk (or one source's) with its stored embedding, row i belonging to chunk i: for exact
        search in memory."""
        chunks, rows = [], []
        where = {"source": source} if source is not None else None
        for cid, text, meta, vector in self._records(["documents", "metadatas", "embeddings"], where=where):
            chunks.append(chunk_from_record(cid, text, meta))
            rows.append(vector)
        vectors: Vectors = np.asarray(rows, dtype=np.float32).reshape(len(chunks), self.embedder.dimensions)
        return chunks, vectors

    def query(self, vector: Vectors, n: int, source: str | None = None) -> list[tuple[Chunk, float]]:
        """The `n` nearest chunks with cosine similarity, optionally within one source."""
        where: Any = {"source": source} if source else None
        got = self._call(
            lambda: self.collection.query(
                query_embeddings=[vector.tolist()],
                n_results=n,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        )
        ids = got["ids"][0]
        texts = (got["documents"] or [[]])[0]
        metadatas = (got["metadatas"] or [[]])[0]
        distances = (got["distances"] or [[]])[0]
        hits = []
        for cid, text, meta, dist in zip(ids, texts, metadatas, distances, strict=True):
            hits.append((chunk_from_record(cid, text or "", dict(meta)), 1.0 - float(dist)))
        return hits

    # -- writing ----------------------------------------------------------------------------------
    def sync(self, documents: Iterable[tuple[Document, list[Chunk]]], *, prune_prefix: str | None = None,
             progress: Progress | None = None, vectors: Mapping[str, Vector] | None = None,
             reread: frozenset[str] = frozenset(), kept: frozenset[str] = frozenset(),
             known: StoredState | None = None) -> SyncReport:
        """Make the store hold exactly these chunks for these documents (`plan_sync` decides what to add and
        delete; this applies it). With `prune_prefix`, sources under that prefix that are not among
        `documents` are removed. `vectors`: what `embed_ahead` made, by the text a chunk indexes (`Chunk.reads`);
        a chunk without one is embedded here. `progress(done, total)` reports chunks embedded: here after each
        batch written, or (with `vectors`) by `embed_ahead` as it made them. `reread`: sources whose chunks were
        made anew; a chunk of theirs that is stored already (same id) gets its metadata written again, so its
        `read_with` says how it was read (else an unchanged article read by a newer reading is read again at
        every ingest). `kept`: sources whose stored chunks stay as they are (not among `documents`, not pruned).
        `known`: what the caller read of the store (`stored_state`); used instead of reading it again when the
        store's revision has not moved since and it covers these documents."""
        began = time.perf_counter()
        docs = list(documents)
        kept = kept - {doc.source for doc, _ in docs}  # a source re-made here is not also kept
        with self._lock:
            wanted = [doc.source for doc, _ in docs] + sorted(kept)
            if known is None or not known.covers(wanted, prune_prefix) or self.revision() != known.revision:
                known = self.stored_state(None if prune_prefix is not None else wanted)  # pruning: every source
            stored = known.ids()
            plan = plan_sync(stored, docs, prune_prefix, kept)
            # Every new chunk is written before any stale one is deleted (a crash leaves extra chunks, which
            # the next sync removes, never missing ones); writes are batched across documents.
            total = len(plan.adds)
            again = [c for doc, chunks in docs if doc.source in reread
                     for c in chunks if c.id in stored.get(doc.source, set())]
            report = SyncReport(len(docs) + len(kept), total, plan.deleted, plan.unchanged, list(plan.removed))
            try:
                # made ahead, the vectors' progress was reported while they were made; the writes are quick
                self._add_batches(plan.adds, None if vectors else progress, vectors or {})
                for i in range(0, len(again), WRITE_BATCH):
                    self._rewrite_metadata(again[i : i + WRITE_BATCH])
                for ids in (plan.stale, *plan.removed.values()):
                    if ids:
                        self._delete(ids)
            finally:
                # a rewritten metadata is a change a snapshot must see; so is a write cut short by an error (a
                # state read before it, `known`, must not be trusted after)
                if report.changed or again:
                    self._bump_revision()
        report.seconds = time.perf_counter() - began
        if progress and total == 0:
            progress(0, 0)
        return report

    def embed_ahead(self, texts: list[str], progress: Progress | None = None,
                    busy: Callable[[], bool] | None = None) -> dict[str, Vector]:
        """The vectors of texts chunks will index, before the chunks are made (`Articles.ingest` embeds while the
        parse runs), in batches, reporting (done, total) after each. While `busy()` (the parse is running on
        another thread), in small batches on one thread (`runtime.one_thread`), longest texts first so a small
        batch pads little; once it is not, the rest in `WRITE_BATCH`es on every thread. On two cores, 10 news articles:
        the embedding beside the parse took 3.6–4.1 s on both threads, 3.2–3.6 s this way (raw encode 2.6 s)."""
        ahead: dict[str, Vector] = {}
        ordered = sorted(texts, key=len, reverse=True) if busy else texts
        done = 0
        while done < len(ordered):
            shared = busy is not None and busy()
            batch = ordered[done : done + (SHARED_BATCH if shared else WRITE_BATCH)]
            with one_thread() if shared else contextlib.nullcontext():
                ahead.update(zip(batch, self.embedder.embed_batch(batch), strict=True))
            done += len(batch)
            if progress:
                progress(done, len(ordered))
        return ahead

    def _add_batches(self, chunks: list[Chunk], progress: Progress | None, ahead: Mapping[str, Vector]) -> None:
        """Write the chunks in batches, reporting (done, total) after each."""
        total = len(chunks)
        for i in range(0, total, WRITE_BATCH):
            self._add(chunks[i : i + WRITE_BATCH], ahead)
            if progress:
                progress(min(i + WRITE_BATCH, total), total)

    def delete_source(self, source: str) -> int:
        """Remove one article's chunks; returns how many went."""
        with self._lock:
            ids = sorted(self.ids_for(source))
            if ids:
                self._delete(ids)
                self._bump_revision()
            return len(ids)

    def _rewrite_metadata(self, chunks: list[Chunk]) -> None:
        self._call(lambda: self.collection.update(ids=[c.id for c in chunks],
                                                  metadatas=[_metadata(c) for c in chunks]))

    def _delete(self, ids: list[str]) -> None:
        self._call(lambda: self.collection.delete(ids=ids))

    def _add(self, chunks: list[Chunk], ahead: Mapping[str, Vector]) -> None:
        missing = list(dict.fromkeys(c.reads for c in chunks if c.reads not in ahead))
        made = dict(zip(missing, self.embedder.embed_batch(missing), strict=True)) if missing else {}
        vectors = np.stack([ahead[c.reads] if c.reads in ahead else made[c.reads] for c in chunks])
        self._call(
            lambda: self.collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[_metadata(c) for c in chunks],
            )
        )

    def _bump_revision(self) -> None:
        meta = dict(self.collection.metadata or {})
        meta["revision"] = uuid.uuid4().hex
        meta.pop("hnsw:space", None)
        self._call(lambda: self.collection.modify(metadata=meta))
        self._seen = meta["revision"]


def _is_connection_error(err: Exception) -> bool:
    text = f"{type(err).__name__} {err}".lower()
    words = ("connect", "refused", "timeout", "timed out", "unreachable", "remoteprotocol", "broken pipe",
             "reset by peer")
    return any(word in text for word in words)
