"""The articles on disk and in the store, kept in step: ingest, uploads, deletions, and edits made on disk.

Articles are named relative to `Settings.source_root`, whatever the working folder; a link in the corpus
folder that leads out of it is refused. Before an article is quoted, `refresh_changed` checks its file
against the content hash stored with its chunks and ingests it again if it changed (the stored offsets
would point at other text) or drops it if it is gone. Does not retrieve or answer (`rag/chain.py`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rag.chunking import Chunk, chunk_document, reading_key, window_reads
from rag.corpus import Document, absolute, load_document, scan, source_name
from rag.errors import RagError
from rag.library import remove_article, save_article
from rag.settings import Settings
from rag.store import ChunkStore, Progress, StoredState, SyncReport, Vector


@dataclass(frozen=True)
class ArticleInfo:
    """One stored article, as a listing shows it."""

    source: str
    title: str
    chunks: int


class Articles:
    """The corpus folder and the chunk store, for one `Settings`."""

    def __init__(self, settings: Settings, store: ChunkStore, stored_chunks: Callable[[], list[Chunk]]) -> None:
        self.settings = settings
        self.store = store
        self.stored_chunks = stored_chunks  # every stored chunk (the retriever's snapshot: no extra read)
        self._first_run = threading.Lock()  # two callers of a first ingest: the second waits, then finds it done
        self._file_hashes: dict[str, tuple[tuple[int, int], str]] = {}
        self._texts: dict[str, tuple[tuple[int, int], str]] = {}  # source → (mtime, size), text

    def ingest(self, paths: list[Path] | None = None, progress: Progress | None = None) -> SyncReport:
        """Load, chunk and store articles. With no paths: the whole corpus folder, pruning removed files.
        Articles are named relative to `Settings.source_root`, whatever the working folder; a link in the corpus
        folder that leads out of it is refused (listed in the report) and pruned like a removed file."""
        s = self.settings
        root, targets = s.source_root, paths or [s.corpus_path]
        if not paths and not s.corpus_path.is_dir():
            raise RagError(f"The corpus folder {s.corpus_path} does not exist.",
                           hint="create it and put .txt or .md articles in it")
        documents, refused = scan(targets, root, s.corpus_path)
        prune = None
        if len(targets) == 1 and targets[0].is_dir():
            prune = source_name(targets[0], root).rstrip("/") + "/"
        # pruning needs every stored source; else only these documents'
        stored = self.store.stored_state(None if prune else [d.source for d in documents])
        kept = self._unchanged(documents, stored)
        chunked, ahead = self._read_and_embed([d for d in documents if d.source not in kept], progress)
        pairs = [(d, chunked[d.source]) for d in documents if d.source not in kept]
        report = self.store.sync(pairs, prune_prefix=prune, progress=progress, vectors=ahead,
                                 reread=frozenset(chunked), kept=kept, known=stored)
        report.refused = refused
        return report

    def _read_and_embed(self, documents: list[Document], progress: Progress | None
                        ) -> tuple[dict[str, list[Chunk]], dict[str, Vector]]:
        """Each document's chunks, and the vectors of what they will index, made at once: the parse in a thread of
        its own while torch embeds (what a window indexes does not need the parse: `window_reads`). On two cores
        the reading costs about half the embedding; run side by side, torch keeps to one core until it is done
        (`ChunkStore.embed_ahead`), so each waits less on the other than in turn."""
        chunked: dict[str, list[Chunk]] = {}
        failed: list[BaseException] = []
        stop = threading.Event()  # the embedding failed: the parse need not go on

        def read_all() -> None:
            try:
                for doc in documents:
                    if stop.is_set():
                        return
                    chunked[doc.source] = chunk_document(doc, self.settings)
            except BaseException as err:  # handed to the caller below, as if raised there
                failed.append(err)

        if not documents:
            return chunked, {}
        reader = threading.Thread(target=read_all, name="rag-read", daemon=True)
        reader.start()
        try:
            texts = list(dict.fromkeys(t for doc in documents for t in window_reads(doc, self.settings)))
            ahead = self.store.embed_ahead(texts, progress, busy=reader.is_alive)
        except BaseException:
            stop.set()
            raise
        finally:
            reader.join()
        if failed:
            raise failed[0]
        return chunked, ahead

    def _unchanged(self, documents: list[Document], stored: StoredState) -> frozenset[str]:
        """The documents whose file and reading are unchanged since they were stored (every chunk has the same
        content hash and `reading_key`): their chunks are kept as they are, so re-ingesting an unchanged corpus
        parses nothing again."""
        key = reading_key(self.settings)
        kept = set()
        for doc in documents:
            chunks = stored.chunks.get(doc.source)
            if not chunks:
                continue
            same = all(c.doc_sha256 == doc.sha256 and c.read_with == key for c in chunks)
            # every window there, first to last (an ingest cut short by a crash leaves some out)
            whole = [c.index for c in chunks] == list(range(len(chunks))) and chunks[-1].end == len(doc.text.rstrip())
            if same and whole:
                kept.add(doc.source)
        return frozenset(kept)

    def ensure_ingested(self) -> SyncReport | None:
        """Ingest the corpus folder when the store is empty (a first run); otherwise do nothing. A second
        caller while the first run is under way waits for it rather than finding a half-filled store."""
        with self._first_run:
            if self.store.count() == 0:
                return self.ingest()
            return None

    def add_article(self, filename: str, data: bytes, progress: Progress | None = None) -> SyncReport:
        """Save an uploaded article into the corpus folder and ingest it."""
        path = save_article(self.settings.corpus_path, filename, data)
        try:
            return self.ingest([path], progress=progress)
        except RagError:
            remove_article(self.settings.corpus_path, path)  # never leave a file the store does not hold
            raise

    def delete_article(self, source: str) -> int:
        """Remove an article's chunks, and its file when it lives in the corpus folder."""
        removed = self.store.delete_source(source)
        path = self.settings.source_path(source)
        if absolute(self.settings.corpus_path) in absolute(path).parents:
            remove_article(self.settings.corpus_path, path)
        return removed

    def listing(self) -> list[ArticleInfo]:
        """Every stored article with its title (from its chunks, as ingested) and chunk count, by source."""
        titles = {c.source: c.title for c in self.stored_chunks()}
        return [ArticleInfo(source, titles.get(source, ""), n) for source, n in self.store.sources().items()]

    def source_texts(self) -> dict[str, str]:
        """The current text of every stored article, keyed by source (read from disk, exactly as stored; a file
        is read again only when its size or modification time moved)."""
        texts = {}
        for source in self.store.sources():
            path = self.settings.source_path(source)
            try:
                info = path.stat()
                key = (info.st_mtime_ns, info.st_size)
                cached = self._texts.get(source)
                if cached is None or cached[0] != key:
                    cached = self._texts[source] = (key, load_document(path, self.settings.source_root).text)
                texts[source] = cached[1]
            except (OSError, RagError):
                self._texts.pop(source, None)
                continue  # a file removed since ingest: its quotes cannot be checked
        return texts

    def refresh_changed(self, stored: Mapping[str, str]) -> list[str]:
        """Bring these articles (source → content hash when ingested) in step with their files before they are
        quoted: one edited on disk since it was ingested is ingested again (its stored offsets point at the old
        text), one deleted is dropped. Returns a sentence for each change; hashes only files whose size or
        modification time moved."""
        notes = []
        for source, sha in stored.items():
            path = self.settings.source_path(source)
            try:
                info = path.stat()
            except OSError:
                self.store.delete_source(source)
                notes.append(f"{source} is gone from disk; it is no longer quoted.")
                continue
            key = (info.st_mtime_ns, info.st_size)
            known = self._file_hashes.get(str(path))
            if known is None or known[0] != key:
                try:
                    known = (key, hashlib.sha256(path.read_bytes()).hexdigest())
                except OSError:
                    continue  # unreadable for a moment: keep what is stored
                self._file_hashes[str(path)] = known
            if sha and known[1] != sha:
                self.ingest([path])
                notes.append(f"{source} changed on disk since it was ingested; it was ingested again before "
                             "answering.")
        return notes
