"""The one place the steps are composed: retrieve → select context → gate → draft → cite → verify.

`Engine` owns the shared components (embedder, store, retriever, chat models), creates each on first use,
and exposes `ingest`, `retrieve`, `ask` and `stream`. Retrieval and context selection are an LCEL
sequence; a draft is a generator of tokens that returns the whole `Draft` (`PROMPT | chat_model`
streamed, or the extractive excerpts), and the extractive fallback is a wrapper around the model's draft,
not a branch. Every decision about what to show — refuse, abstain, verify, withdraw — is the answer
policy's (`rag/policy.py`); this module only feeds it. Does no I/O of its own beyond what the steps do.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from rag import policy
from rag.answer import MAX_QUESTION_CHARS, Answer, Concluded, Draft, clean_question, keep_verified
from rag.chunking import chunk_document
from rag.citations import (
    Aligner,
    AnswerSentence,
    Citation,
    SupportScorer,
    quote_excerpts,
    quoted_text,
    strip_markers,
)
from rag.context import select_context
from rag.corpus import absolute, load_document, scan, source_name
from rag.embedding import MiniLMEmbedder
from rag.errors import RagError
from rag.followup import History, is_follow_up, rewrite_follow_up
from rag.generation import (
    PROMPT,
    EmptyReply,
    build_chat_model,
    closest_excerpts,
    describe_failure,
    extractive_answer,
    format_context,
    is_unreachable,
)
from rag.library import remove_article, save_article
from rag.retrieval import HybridRetriever, Passage
from rag.sentences import script_of
from rag.settings import Backend, Settings
from rag.spans import SourceSpan, candidate_spans
from rag.store import ChunkStore, Progress, SyncReport
from rag.verifier import support_probability


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
        self._main_people: dict[tuple[str, str], str | None] = {}
        self._file_hashes: dict[str, tuple[tuple[int, int], str]] = {}
        self._model_errors: dict[str, RagError] = {}
        self._lock = threading.Lock()
        self._prepare = (
            RunnablePassthrough.assign(retrieved=RunnableLambda(self._retrieve_step))
            | RunnablePassthrough.assign(passages=lambda state: state["retrieved"][0],
                                         refreshed=lambda state: state["retrieved"][1])
            | RunnablePassthrough.assign(context=RunnableLambda(self._context_step))
        )

    # -- ingest -----------------------------------------------------------------------------------
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
        pairs = [(d, chunk_document(d, s)) for d in documents]
        prune = None
        if len(targets) == 1 and targets[0].is_dir():
            prune = source_name(targets[0], root).rstrip("/") + "/"
        report = self.store.sync(pairs, prune_prefix=prune, progress=progress)
        report.refused = refused
        return report

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
        path = self.settings.source_path(source)
        if absolute(self.settings.corpus_path) in absolute(path).parents:
            remove_article(self.settings.corpus_path, path)
        return removed

    def source_texts(self) -> dict[str, str]:
        """The current text of every stored article, keyed by source (read from disk, exactly as stored)."""
        texts = {}
        for source in self.store.sources():
            try:
                texts[source] = load_document(self.settings.source_path(source), self.settings.source_root).text
            except RagError:
                continue  # a file removed since ingest: its quotes cannot be checked
        return texts

    def refresh_changed(self, sources: Iterable[str]) -> list[str]:
        """Bring these articles in step with their files before they are quoted: one edited on disk since it
        was ingested is ingested again (its stored offsets point at the old text), one deleted is dropped.
        Returns a sentence for each change; hashes only files whose size or modification time moved."""
        notes = []
        stored = {c.source: c.doc_sha256 for c in self.retriever.snapshot().chunks if c.source in set(sources)}
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

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' MiniLM embeddings."""
        vectors = self.embedder.embed_cached([a, b])
        return float(vectors[0] @ vectors[1])

    # -- retrieval --------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, source: str | None = None) -> list[Passage]:
        return self._retrieve(question, k, source)[0]

    def _retrieve(self, question: str, k: int | None, source: str | None) -> tuple[list[Passage], list[str]]:
        """The passages, from articles in step with their files, and a note for each article brought in step."""
        question = clean_question(question)
        if self.store.count() == 0:
            raise RagError("Nothing has been ingested yet.", hint="run `rag ingest` first")
        passages = self.retriever.retrieve(question, k or self.settings.k, source)
        notes = self.refresh_changed({p.source for p in passages})
        if notes:
            passages = self.retriever.retrieve(question, k or self.settings.k, source)
        asked_in = script_of(question)
        written_in = {script_of(p.text[:300]) for p in passages}  # a passage's opening shows its script
        if asked_in and passages and asked_in not in written_in:
            # MiniLM and BM25 cannot match across writing systems: say so instead of answering off-topic.
            raise RagError(f"The question is written in {asked_in} script, but the articles are in "
                           f"{' and '.join(sorted(s for s in written_in if s))} script.",
                           hint="ask in the language of the articles")
        return passages, notes

    def _retrieve_step(self, state: dict[str, Any]) -> tuple[list[Passage], list[str]]:
        return self._retrieve(state["question"], state["k"], state["source"])

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
        models load), instead of when a question first reaches its passage (what that costs: `make bench`,
        extractive answer p95 without the warm-up). Returns how many were embedded (0 for a bigger store)."""
        chunks = self.retriever.snapshot().chunks
        if len(chunks) > max_chunks:
            return 0
        texts = list(dict.fromkeys(span.text for span in candidate_spans(chunks)))
        if len(texts) > max_spans:
            return 0
        for i in range(0, len(texts), 8):  # small batches: big ones raise peak memory (`make bench`, peak RSS)
            self.embedder.embed_cached(texts[i:i + 8])
        return len(texts)

    def _generate(self, backend: Backend, question: str, context: list[SourceSpan]
                  ) -> Iterator[tuple[str, dict[str, int] | None, float | None]]:
        """Stream (token, usage, log-probability) from the chat model; usage arrives with the last chunk, a
        log-probability with each token when the model reports one."""
        model = self.chat_model(backend)
        for chunk in (PROMPT | model).stream({"context": format_context(context), "question": question}):
            meta = getattr(chunk, "usage_metadata", None)
            usage = {"prompt_tokens": meta["input_tokens"], "completion_tokens": meta["output_tokens"]} \
                if meta else None
            logprobs = (getattr(chunk, "response_metadata", None) or {}).get("logprobs")
            logprob = float(logprobs[0]) if isinstance(logprobs, list) and logprobs and \
                isinstance(logprobs[0], int | float) else None  # a list: LangChain merges chunks' metadata
            yield (chunk.text if isinstance(chunk.text, str) else str(chunk.content)), usage, logprob

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
        """Yield answer tokens as they are generated, then the finished, verified `Answer`.

        retrieve → select context → gate → draft (LLM, or extractive as the fallback) → cite → verify. With
        `history`, a follow-up question is first rewritten to stand alone (`Answer.searched_for`).
        """
        began = time.perf_counter()
        backend = backend or self.settings.backend
        asked = clean_question(question)
        question = self.standalone_question(asked, history, backend)
        state = self._prepare.invoke({"question": question, "k": k or self.settings.k, "source": source})
        passages: list[Passage] = state["passages"]
        context, relevance = state["context"]
        timings = {"retrieve_ms": (time.perf_counter() - began) * 1000}
        draft = Draft("", backend)
        relevant = policy.relevant_context(relevance, bool(context), self.settings.refuse_below).passed
        if relevant:
            gen_began = time.perf_counter()
            drafting = self._extractive_draft(question, context) if backend == "extractive" else \
                self._with_fallback(backend, self._llm_draft(backend, question, context, timings, began),
                                    question, context)
            draft = yield from drafting
            timings["generate_ms"] = (time.perf_counter() - gen_began) * 1000
        check_began = time.perf_counter()
        verdict = self._conclude(question, draft, passages, context, relevant) if relevant else Concluded("refused")
        timings["cite_ms"] = (time.perf_counter() - check_began) * 1000
        timings["total_ms"] = (time.perf_counter() - began) * 1000
        yield with_notes(verdict.answer(asked, question, passages, draft, timings), state["refreshed"])

    def check(self, question: str, text: str, backend: Backend | None = None, k: int | None = None,
              source: str | None = None) -> Answer:
        """Verify an answer written elsewhere (by a person, another model) as if the model had drafted it:
        the same retrieval, quotes and answer policy, with `backend`'s model for its own check."""
        began = time.perf_counter()
        backend = backend or self.settings.backend
        asked = clean_question(question)
        state = self._prepare.invoke({"question": asked, "k": k or self.settings.k, "source": source})
        context, relevance = state["context"]
        relevant = policy.relevant_context(relevance, bool(context), self.settings.refuse_below).passed
        draft = Draft(text, backend)  # extractive: the rules and scores only, no model check
        verdict = self._conclude(asked, draft, state["passages"], context, relevant) if relevant \
            else Concluded("refused")
        timings = {"total_ms": (time.perf_counter() - began) * 1000}
        return with_notes(verdict.answer(asked, asked, state["passages"], draft, timings), state["refreshed"])

    def main_person(self, source: str) -> str | None:
        """The person an article quotes most (by characters): who its "he" or "she" most likely is."""
        snapshot = self.retriever.snapshot()
        cached = self._main_people.get((snapshot.revision, source), "")
        if cached == "":
            said: Counter[str] = Counter()
            for row in snapshot.by_source.get(source, []):
                for v in snapshot.chunks[int(row)].voices:
                    if v.how != "author":
                        said[v.speaker] += v.end - v.start
            cached = said.most_common(1)[0][0] if said else None
            self._main_people = {(snapshot.revision, source): cached,
                                 **{k: v for k, v in self._main_people.items() if k[0] == snapshot.revision}}
        return cached

    # -- drafts: tokens as they come, then the whole draft ----------------------------------------------
    def _llm_draft(self, backend: Backend, question: str, context: list[SourceSpan], timings: dict[str, float],
                   began: float) -> Generator[str, None, Draft]:
        pieces: list[str] = []
        usage: dict[str, int] = {}
        logprobs: list[tuple[str, float]] = []
        for token, meta, logprob in self._generate(backend, question, context):
            usage = meta or usage
            if token:
                if not pieces:
                    timings["first_token_ms"] = (time.perf_counter() - began) * 1000
                pieces.append(token)
                if logprob is not None:
                    logprobs.append((token, logprob))
                yield token
        if not pieces and backend == "openai":
            raise EmptyReply("no tokens")
        return Draft(strip_markers("".join(pieces)), backend, usage=usage, logprobs=logprobs)

    def _extractive_draft(self, question: str, context: list[SourceSpan], notice: str | None = None
                          ) -> Generator[str, None, Draft]:
        excerpts = extractive_answer(self.scorer, question, context)
        text = quoted_text(excerpts)
        yield text
        return Draft(text, "extractive", notice, excerpts=excerpts)

    def _with_fallback(self, backend: Backend, primary: Generator[str, None, Draft], question: str,
                       context: list[SourceSpan]) -> Generator[str, None, Draft]:
        """The model's draft; if the model fails, the extractive draft, with a notice saying why."""
        try:
            return (yield from primary)
        except Exception as err:
            if isinstance(err, RagError) and backend != "local" and not is_unreachable(err):
                raise
            notice = f"{describe_failure(err, backend)} Answered extractively instead."
            return (yield from self._extractive_draft(question, context, notice))

    # -- verification -----------------------------------------------------------------------------------
    def _conclude(self, question: str, draft: Draft, passages: list[Passage], context: list[SourceSpan],
                  relevant: bool) -> Concluded:
        """Cite each draft sentence, judge it by the answer policy, and decide the outcome."""
        spans = candidate_spans(passages)
        if draft.excerpts is not None:
            sentences, citations = quote_excerpts(draft.excerpts)
            cited = {(e.source, e.start, e.end): e for e in draft.excerpts}
        else:
            sentences, citations = self.aligner.align(draft.text, spans, question)
            if policy.declined([s.text for s in sentences]):
                return Concluded(policy.outcome([], relevant, model_declined=True))
            cited = {(s.source, s.start, s.end): s for s in spans}
        by_id = {c.id: cited[(c.source, c.start, c.end)] for c in citations}
        model = None if draft.backend == "extractive" else self.chat_model(draft.backend)  # type: ignore[arg-type]
        certainty = draft.sentence_certainty([s.text for s in sentences])
        for sentence, sure in zip(sentences, certainty, strict=True):
            quoted = [by_id[i] for i in sentence.citations]
            evidence = evidence_for(quoted, passages, spans, [self.main_person(q.source) for q in quoted[:1]])
            self._verify(question, sentence, evidence, citations, model, sure)
        outcome = policy.outcome([s.verified for s in sentences], relevant, model_declined=False)
        if outcome == "abstained":
            _, closest = quote_excerpts(closest_excerpts(self.scorer, question, context))
            return Concluded(outcome, sentences, closest)
        return Concluded(outcome, *keep_verified(sentences, citations))

    def _verify(self, question: str, sentence: AnswerSentence, evidence: policy.Evidence, citations: list[Citation],
                model: Any, sure: dict[str, float]) -> None:
        """Judge one sentence by the policy: its quotes' scores, and the model's own check when it has one."""
        if not evidence.spans:
            sentence.reasons = ["no quote of the article supports it"]
            return
        quotes = evidence.quotes
        signals = {"support": max(c.support for c in citations if c.id in sentence.citations),
                   "coverage": evidence.coverage(question, self.retriever.idf),
                   "relevance": float(max(self.scorer.relevance(question, list(evidence.spans)))), **sure}

        def probe() -> float | None:
            try:
                return support_probability(model, question, sentence.text, quotes) if model else None
            except Exception:  # one signal among several: without it the rules and scores still decide
                return None

        verdict = policy.judge(question, sentence.text, evidence, signals, probe, self.settings.verified_at)
        sentence.verified = not verdict.failed
        sentence.confidence = verdict.confidence
        sentence.reasons = [c.reason for c in verdict.failed]
        sentence.signals = verdict.signals


def with_notes(answer: Answer, notes: list[str]) -> Answer:
    """The answer with these notes put before its own notice."""
    if notes:
        answer.notice = " ".join([*notes, *([answer.notice] if answer.notice else [])])
    return answer


def evidence_for(quoted: list[SourceSpan], passages: list[Passage], spans: list[SourceSpan],
                 people: list[str | None]) -> policy.Evidence:
    """The quoted spans with the sentence each lies in, the sentence before that, their passage, and who may
    speak or be meant there: the passage's speakers and (for its "he" and "she") the article's main person."""
    around: list[str] = []
    before: set[str] = set()
    passage = next((p for q in quoted for p in passages
                    if p.source == q.source and p.start <= q.start and q.end <= p.end), None)
    for q in quoted:  # the sentence before may sit in the passage before (chunks overlap by one sentence)
        whole = sorted((s for s in spans if not s.is_clause and s.source == q.source), key=lambda s: s.start)
        at = next((i for i, s in enumerate(whole) if s.start <= q.start and q.end <= s.end), None)
        if at is not None:
            adjacent = at > 0 and whole[at].start - whole[at - 1].end <= 4  # only whitespace between them
            around += [w.text for w in whole[at - 1 if adjacent else at:at + 1]]
            if adjacent:
                before |= {v.speaker for v in whole[at - 1].voices if v.how != "author"}
    speakers = {v.speaker for v in passage.voices} if passage else set()
    return policy.Evidence(quoted, around, passage.text if passage else "", sorted(speakers | {p for p in people if p}),
                           sorted(before))
