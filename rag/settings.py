"""One frozen `Settings` for the whole engine.

Built from `RAG_*` environment variables only at the edges (`Settings.from_env()` in the CLI and the app)
and passed down explicitly; no module reads the environment on its own. Does not validate paths on disk:
the steps that use a path report what is wrong with it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, cast

from rag.errors import RagError
from rag.fitted import fitted
from rag.prompts import DEFAULT, Prompts

Backend = Literal["local", "openai", "extractive"]
BACKENDS: tuple[Backend, ...] = ("local", "openai", "extractive")


def redact_url(url: str) -> str:
    """`http://user:secret@host:8000` → `http://***@host:8000` (credentials never reach a message or a log)."""
    return re.sub(r"(?<=://)[^/@\s]+@", "***@", url)


def _default_model_dir() -> Path:
    return Path.home() / ".cache" / "rag-models"


@dataclass(frozen=True)
class Settings:
    """Everything the engine can be told. Defaults are the tuned ones."""

    root: Path = field(default_factory=Path.cwd)
    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path(".rag")
    chroma_url: str | None = None
    chroma_token: str | None = None  # sent as `Authorization: Bearer …` to a server that wants one
    collection: str = "articles"
    backend: Backend = "local"
    k: int = 5
    # Chunking: windows of `chunk_sentences` sentences, the last `chunk_overlap` repeated at the start of the
    # next, cut short at `chunk_max_chars` (~256 MiniLM word pieces, the embedder's input limit). The only
    # place these are set: the engine, bench and tests all chunk with a `Settings`.
    chunk_sentences: int = 4
    chunk_overlap: int = 1
    chunk_max_chars: int = 1100
    # Generation.
    model_dir: Path = field(default_factory=_default_model_dir)
    n_threads: int = 2
    n_ctx: int = 2048
    max_answer_tokens: int = 96
    context_sentences: int = 3
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str = "gpt-4o-mini"
    request_timeout_s: float = 60.0
    # Citation support and refusal gate (calibrated on harness/questions.py, the engine-check set).
    support_threshold: float = 0.42
    refuse_below: float = 0.20
    # Answer policy: a sentence is shown as verified when its calibrated confidence (the probability that it is
    # right, rag/policy.py) reaches this; fitted with the weights (rag/policy_weights.json). Lower it for more
    # answers and more wrong ones; see the README table.
    verified_at: float = field(default_factory=lambda: fitted().verified_at)
    # What the models are told (rag/prompts.py); RAG_PROMPTS=FILE.json overrides any of them.
    prompts: Prompts = DEFAULT

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise RagError(f"Unknown backend {self.backend!r}.", hint=f"choose one of {', '.join(BACKENDS)}")
        if not 1 <= self.k <= 50:
            raise RagError(f"k must be between 1 and 50, not {self.k}.")
        if not 1 <= self.chunk_overlap + 1 <= self.chunk_sentences:
            raise RagError("chunk_overlap must be smaller than chunk_sentences.")
        if self.chunk_max_chars < 1:
            raise RagError(f"chunk_max_chars must be at least 1, not {self.chunk_max_chars}.")
        if not 0 <= self.verified_at <= 1:
            raise RagError(f"verified_at must be between 0 and 1, not {self.verified_at}.",
                           hint="it is the confidence a sentence needs to be shown as verified (default 0.7)")

    @property
    def chroma_url_shown(self) -> str | None:
        """The server URL as it may be printed: a user name and password in it are replaced by ***."""
        return redact_url(self.chroma_url) if self.chroma_url else None

    def resolve(self, path: Path) -> Path:
        """A settings path made absolute against `root`."""
        return path if path.is_absolute() else self.root / path

    @property
    def corpus_path(self) -> Path:
        return self.resolve(self.corpus_dir)

    @property
    def source_root(self) -> Path:
        """What article names (`source`) are relative to: the corpus folder's parent, so `corpus/x.txt` names the
        same file from any working folder."""
        return Path(os.path.abspath(self.corpus_path)).parent

    def source_path(self, source: str) -> Path:
        """The file an article name refers to."""
        return self.source_root / source

    @property
    def data_path(self) -> Path:
        return self.resolve(self.data_dir)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path | None = None) -> Settings:
        """Read `RAG_*` variables; call this only at an edge."""
        env = os.environ if env is None else env
        base = cls(root=root or Path.cwd())
        changes: dict[str, object] = {}
        text_fields = {
            "RAG_CORPUS_DIR": ("corpus_dir", Path),
            "RAG_DATA_DIR": ("data_dir", Path),
            "RAG_MODEL_DIR": ("model_dir", Path),
            "RAG_CHROMA_URL": ("chroma_url", str),
            "RAG_CHROMA_TOKEN": ("chroma_token", str),
            "RAG_COLLECTION": ("collection", str),
            "RAG_BACKEND": ("backend", str),
            "RAG_OPENAI_BASE_URL": ("openai_base_url", str),
            "RAG_OPENAI_API_KEY": ("openai_api_key", str),
            "RAG_OPENAI_MODEL": ("openai_model", str),
        }
        for var, (name, kind) in text_fields.items():
            value = env.get(var, "").strip()
            if value:
                changes[name] = kind(value)
        number_fields = {"RAG_K": ("k", int), "RAG_THREADS": ("n_threads", int),
                         "RAG_TIMEOUT_S": ("request_timeout_s", float), "RAG_VERIFIED_AT": ("verified_at", float)}
        for var, (name, conv) in number_fields.items():
            value = env.get(var, "").strip()
            if value:
                try:
                    changes[name] = conv(value)
                except ValueError:
                    raise RagError(f"{var}={value!r} is not a number.") from None
        prompts_file = env.get("RAG_PROMPTS", "").strip()
        if prompts_file:
            changes["prompts"] = Prompts.from_file(base.resolve(Path(prompts_file)))
        if "backend" in changes:
            changes["backend"] = cast(Backend, changes["backend"])
        return replace(base, **changes)  # type: ignore[arg-type]
