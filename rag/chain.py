"""The one place the steps are composed: retrieve → select context → gate → generate → cite.

`Engine` owns the shared components (embedder, store, retriever, chat models), creates each on first use,
and exposes `ingest`, `retrieve`, `ask` and `stream`. Retrieval and context selection are an LCEL
sequence; generation is `PROMPT | chat_model`, streamed token by token. Refusal is decided by scores:
before generation when no context sentence is relevant enough, after it when the model declines or no
answer sentence is supported by a quote. Does no I/O of its own beyond what the steps do.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from rag.chunking import chunk_document
from rag.citations import (
    YES_NO,
    Aligner,
    AnswerSentence,
    Citation,
    SourceSpan,
    SupportScorer,
    candidate_spans,
    quote_excerpts,
    quoted_text,
    select_context,
    strip_markers,
)
from rag.corpus import load_corpus, load_document, source_name
from rag.embedding import MiniLMEmbedder
from rag.errors import RagError
from rag.followup import History, is_follow_up, rewrite_follow_up
from rag.generation import (
    PROMPT,
    EmptyReply,
    build_chat_model,
    describe_failure,
    extractive_answer,
    format_context,
    is_unreachable,
    verify,
)
from rag.library import remove_article, save_article
from rag.retrieval import HybridRetriever, Passage
from rag.sentences import script_of
from rag.settings import Backend, Settings
from rag.store import ChunkStore, Progress, SyncReport

MAX_QUESTION_CHARS = 2000
REFUSAL = "The article does not say: none of its passages answers this question."


@dataclass
class Answer:
    """Everything `rag ask --json` prints, plus what the UI needs."""

    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    sentences: list[AnswerSentence]
    passages: list[Passage]
    backend: str
    timings_ms: dict[str, float]
    notice: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    searched_for: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences],
            "passages": [p.to_dict() for p in self.passages],
            "backend": self.backend,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notice": self.notice,
            "usage": self.usage,
            "searched_for": self.searched_for or self.question,
        }


def clean_question(question: str) -> str:
    """The question with control characters removed; empty or oversize questions are user errors."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise RagError("The question is empty.", hint="type a question about the article")
    if not any(ch.isalnum() for ch in cleaned):
        raise RagError("The question has no words to search for.", hint="type a question about the article")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise RagError(f"The question is {len(cleaned):,} characters long; the limit is "
                       f"{MAX_QUESTION_CHARS:,}.", hint="ask something shorter")
    return cleaned


class Engine:
    """The grounded answer engine. Cheap to construct; models load on first use or in `warm_up`."""

    def __init__(self, settings: Settings, embedder: MiniLMEmbedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or MiniLMEmbedder()
        self.store = ChunkStore(settings, self.embedder)
        self.retriever = HybridRetriever(self.store, self.embedder)
        self.scorer = SupportScorer(self.embedder, self.retriever.idf)
        self.aligner = Aligner(self.scorer, settings.support_threshold)
        self._models: dict[str, Any] = {}
        self._model_errors: dict[str, RagError] = {}
        self._lock = threading.Lock()
        self._prepare = (
            RunnablePassthrough.assign(passages=RunnableLambda(self._retrieve_step))
            | RunnablePassthrough.assign(context=RunnableLambda(self._context_step))
        )

    # -- ingest -----------------------------------------------------------------------------------
    def ingest(self, paths: list[Path] | None = None, progress: Progress | None = None) -> SyncReport:
        """Load, chunk and store articles. With no paths: the whole corpus folder, pruning removed files."""
        root = self.settings.root
        targets = paths or [self.settings.corpus_path]
        if not paths and not self.settings.corpus_path.is_dir():
            raise RagError(f"The corpus folder {self.settings.corpus_path} does not exist.",
                           hint="create it and put .txt or .md articles in it")
        documents = load_corpus(targets, root)
        s = self.settings
        pairs = [(d, chunk_document(d, s.chunk_sentences, s.chunk_overlap)) for d in documents]
        prune = None
        if len(targets) == 1 and targets[0].is_dir():
            prune = source_name(targets[0], root).rstrip("/") + "/"
        return self.store.sync(pairs, prune_prefix=prune, progress=progress)

    def ensure_ingested(self) -> SyncReport | None:
        """Ingest the corpus folder when the store is empty (a first run); otherwise do nothing."""
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
        path = self.settings.resolve(Path(source))
        if self.settings.corpus_path.resolve() in path.resolve().parents:
            remove_article(self.settings.corpus_path, path)
        return removed

    def source_texts(self) -> dict[str, str]:
        """The current text of every stored article, keyed by source (read from disk, exactly as stored)."""
        texts = {}
        for source in self.store.sources():
            try:
                texts[source] = load_document(self.settings.resolve(Path(source)), self.settings.root).text
            except RagError:
                continue  # a file removed since ingest: its quotes cannot be checked
        return texts

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' MiniLM embeddings."""
        vectors = self.embedder.embed_cached([a, b])
        return float(vectors[0] @ vectors[1])

    # -- retrieval --------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, source: str | None = None) -> list[Passage]:
        question = clean_question(question)
        if self.store.count() == 0:
            raise RagError("Nothing has been ingested yet.", hint="run `rag ingest` first")
        passages = self.retriever.retrieve(question, k or self.settings.k, source)
        asked_in = script_of(question)
        written_in = {script_of(p.text[:300]) for p in passages}  # a passage's opening shows its script
        if asked_in and passages and asked_in not in written_in:
            # MiniLM and BM25 cannot match across writing systems: say so instead of answering off-topic.
            raise RagError(f"The question is written in {asked_in} script, but the articles are in "
                           f"{' and '.join(sorted(s for s in written_in if s))} script.",
                           hint="ask in the language of the articles")
        return passages

    def _retrieve_step(self, state: dict[str, Any]) -> list[Passage]:
        return self.retrieve(state["question"], state["k"], state["source"])

    def _context_step(self, state: dict[str, Any]) -> tuple[list[SourceSpan], float]:
        return select_context(self.scorer, state["question"], state["passages"],
                              self.settings.context_sentences)

    # -- models -----------------------------------------------------------------------------------
    def chat_model(self, backend: Backend) -> Any:
        """The shared chat model for a backend; a load failure is remembered, not retried per question."""
        with self._lock:
            if backend in self._model_errors:
                raise self._model_errors[backend]
            if backend not in self._models:
                try:
                    model = build_chat_model(self.settings.with_(backend=backend))
                    if hasattr(model, "warm_up"):
                        model.warm_up()
                except RagError as err:
                    self._model_errors[backend] = err
                    raise
                self._models[backend] = model
            return self._models[backend]

    def warm_up(self, backend: Backend | None = None) -> None:
        self.retriever.warm_up()
        self.embed_quotable_spans()
        backend = backend or self.settings.backend
        if backend != "extractive":
            self.chat_model(backend)

    def embed_quotable_spans(self, max_chunks: int = 300, max_spans: int = 2000) -> int:
        """Embed every quotable sentence and clause window of a small store now (the app does it while the
        models load), instead of when a question first reaches its passage (0.2-1.7 s per question on one
        article until the cache is warm). Returns how many were embedded (0 for a bigger store)."""
        chunks = self.retriever.snapshot().chunks
        if len(chunks) > max_chunks:
            return 0
        texts = list(dict.fromkeys(span.text for span in candidate_spans(chunks)))
        if len(texts) > max_spans:
            return 0
        for i in range(0, len(texts), 8):  # small batches: one of 64 clause windows held ~380 MB at its peak
            self.embedder.embed_cached(texts[i:i + 8])
        return len(texts)

    def _generate(self, backend: Backend, question: str, context: list[SourceSpan]
                  ) -> Iterator[tuple[str, dict[str, int] | None]]:
        """Stream (token, usage) pairs from the chat model; usage arrives with the last chunk."""
        model = self.chat_model(backend)
        for chunk in (PROMPT | model).stream({"context": format_context(context), "question": question}):
            meta = getattr(chunk, "usage_metadata", None)
            usage = {"prompt_tokens": meta["input_tokens"], "completion_tokens": meta["output_tokens"]} \
                if meta else None
            yield (chunk.text if isinstance(chunk.text, str) else str(chunk.content)), usage

    # -- follow-ups -------------------------------------------------------------------------------
    def standalone_question(self, question: str, history: History | None, backend: Backend | None = None) -> str:
        """The question rewritten to stand on its own when it leans on the conversation (see followup.py)."""
        question = clean_question(question)
        backend = backend or self.settings.backend
        if not history or not is_follow_up(question):
            return question
        model = None
        if backend != "extractive":
            try:
                model = self.chat_model(backend)
            except RagError:
                model = None  # the name heuristic still gives retrieval what it needs
        return rewrite_follow_up(question, history, model, MAX_QUESTION_CHARS)

    def _contradicted_yes_no(self, question: str, backend: str, sentences: list[AnswerSentence],
                             citations: list[Citation]) -> bool:
        """A yes/no answer whose verdict sentence its own quote does not support (the model checks)."""
        if backend == "extractive" or not YES_NO.match(question) or not sentences or not sentences[0].citations:
            return False
        first = sentences[0]
        if not re.match(r"^\s*(yes|no)\b", first.text, re.IGNORECASE):
            return False
        quote = next(c.quote for c in citations if c.id == first.citations[0])
        try:
            return not verify(self.chat_model(backend), quote, first.text)  # type: ignore[arg-type]
        except Exception:  # the check is a refinement; without it the answer stands as cited
            return False

    # -- answering --------------------------------------------------------------------------------
    def ask(self, question: str, backend: Backend | None = None, k: int | None = None,
            source: str | None = None, history: History | None = None) -> Answer:
        """Answer in one go (the streaming path, drained)."""
        for event in self.stream(question, backend, k, source, history):
            if isinstance(event, Answer):
                return event
        raise AssertionError("stream ended without an answer")  # pragma: no cover

    def stream(self, question: str, backend: Backend | None = None, k: int | None = None,
               source: str | None = None, history: History | None = None) -> Iterator[str | Answer]:
        """Yield answer tokens as they are generated, then the finished `Answer`.

        With `history`, a follow-up question is first rewritten to stand alone (`Answer.searched_for`).
        """
        began = time.perf_counter()
        backend = backend or self.settings.backend
        asked = clean_question(question)
        question = self.standalone_question(asked, history, backend)
        state = self._prepare.invoke({"question": question, "k": k or self.settings.k, "source": source})
        passages: list[Passage] = state["passages"]
        context, relevance = state["context"]
        timings = {"retrieve_ms": (time.perf_counter() - began) * 1000}
        used, notice, usage = backend, None, {}
        excerpts: list[SourceSpan] | None = None  # set when the answer is quoted, not generated
        text = ""
        refused = relevance < self.settings.refuse_below or not context
        if not refused:
            gen_began = time.perf_counter()
            if backend != "extractive":
                try:
                    pieces: list[str] = []
                    for token, meta in self._generate(backend, question, context):
                        if meta:
                            usage = meta
                        if token:
                            if not pieces:
                                timings["first_token_ms"] = (time.perf_counter() - began) * 1000
                            pieces.append(token)
                            yield token
                    if not pieces and backend == "openai":
                        raise EmptyReply("no tokens")
                    text = strip_markers("".join(pieces))
                except Exception as err:
                    if isinstance(err, RagError) and backend != "local" and not is_unreachable(err):
                        raise
                    used, notice = "extractive", f"{describe_failure(err, backend)} Answered extractively instead."
            if used == "extractive":
                excerpts = extractive_answer(self.scorer, question, context)
                text = quoted_text(excerpts)
                yield text
            timings["generate_ms"] = (time.perf_counter() - gen_began) * 1000
            refused = not text
        cite_began = time.perf_counter()
        sentences: list[AnswerSentence] = []
        citations: list[Citation] = []
        if excerpts:
            sentences, citations = quote_excerpts(excerpts)
        elif not refused:
            sentences, citations = self.aligner.align(text, candidate_spans(passages), question)
            if self._contradicted_yes_no(question, used, sentences, citations):
                # Small models answer "Yes" by reflex; when the quote does not bear the verdict out,
                # show the quote itself, which is never wrong, instead of a wrong yes or no.
                notice = "The model's yes/no verdict was not supported by the article; showing what it says."
                excerpts = extractive_answer(self.scorer, question, context)
                text = quoted_text(excerpts)
                sentences, citations = quote_excerpts(excerpts)
        if not any(s.supported for s in sentences):
            refused = True
            text, sentences, citations = REFUSAL, [AnswerSentence(REFUSAL)], []
        timings["cite_ms"] = (time.perf_counter() - cite_began) * 1000
        timings["total_ms"] = (time.perf_counter() - began) * 1000
        yield Answer(asked, text, refused, citations, sentences, passages, used, timings, notice, usage, question)
