"""What a sync must do, decided from ids alone: which chunks to add, which to delete, which sources to prune.

Pure (no Chroma, no I/O), so every case is unit-tested on plain sets; `ChunkStore.sync` applies the plan.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rag.chunking import Chunk
from rag.corpus import Document


@dataclass(frozen=True)
class SyncPlan:
    """What a sync must write and delete: decided from ids alone, before anything is touched."""

    adds: list[Chunk]  # chunks the store lacks, in document order
    stale: list[str]  # ids of the documents' chunks that are no longer wanted
    removed: dict[str, list[str]]  # pruned source → its ids
    unchanged: int

    @property
    def deleted(self) -> int:
        return len(self.stale) + sum(len(ids) for ids in self.removed.values())


def plan_sync(stored: Mapping[str, set[str]], documents: Sequence[tuple[Document, list[Chunk]]],
              prune_prefix: str | None = None, kept: Collection[str] = ()) -> SyncPlan:
    """The plan that makes a store holding `stored` (source → chunk ids) hold exactly `documents`' chunks:
    add what is missing, delete each document's chunks that are no longer wanted, and (with `prune_prefix`)
    remove every other source under that prefix, except the `kept` sources, whose stored chunks stay as they
    are (counted unchanged). Pure: unit-tested without Chroma."""
    adds: list[Chunk] = []
    stale: list[str] = []
    unchanged = sum(len(stored.get(source, ())) for source in kept)
    for doc, chunks in documents:
        existing = stored.get(doc.source, set())
        wanted = {c.id: c for c in chunks}
        adds += [c for cid, c in wanted.items() if cid not in existing]
        stale += sorted(existing - wanted.keys())
        unchanged += len(existing & wanted.keys())
    keep = {doc.source for doc, _ in documents} | set(kept)
    removed = {source: sorted(ids) for source, ids in sorted(stored.items())
               if prune_prefix is not None and source.startswith(prune_prefix) and source not in keep}
    return SyncPlan(adds, stale, removed, unchanged)
