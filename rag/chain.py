"""The one place the steps are composed: retrieve → select context → gate → draft → cite → verify.

`Engine` owns the shared components (embedder, store, retriever, chat models) and exposes `ingest`, `retrieve`,
`ask` and `stream`. Retrieval and context selection are an LCEL sequence; a draft is a generator of tokens that
returns the whole `Draft` (the answer prompt `| chat_model` streamed, or the extractive excerpts), and the extractive
fallback wraps the model's draft, not a branch. Every decision about what to show — refuse, abstain, verify,
withdraw — is the answer policy's (`rag/policy.py`); this module only feeds it, and does no I/O of its own.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from rag import policy, reading
from rag.answer import MAX_QUESTION_CHARS, Answer, Concluded, Draft, clean_question
from rag.articles import ArticleInfo, Articles
from rag.attribution import composed_answers, words_answers
from rag.citations import Aligner, SupportScorer, quoted_text, strip_markers
from rag.context import select_context
from rag.embedding import MiniLMEmbedder
from rag.errors import RagError
from rag.followup import History, is_follow_up, rewrite_follow_up
from rag.generation import (
    EmptyReply,
    build_chat_model,
    describe_failure,
    extractive_answer,
    format_context,
    is_unreachable,
)
from rag.quote_check import QuoteCheck, QuoteChecker, quoted_claim
from rag.retrieval import HybridRetriever, Passage
from rag.sentences import script_of
from rag.settings import Backend, Settings
from rag.spans import SourceSpan, candidate_spans
from rag.store import ChunkStore, Progress, SyncReport
from rag.verdicts import asked as asked_claim
from rag.verdicts import verdict_answers
from rag.verification import AnswerChecker

# Composed who-says answers tried, one speaker each, when a model checks their claims: the speaker whose span
# supports the claim best, then the next two that pass the rules (each try costs one yes/no check, ~0.3–0.9 s with
# the local model, before the first token: a who-says question that no speaker answers took 0.1–1.4 s longer once
# speakers past the support line were tried, dev 2026-12-07).
COMPOSED_TRIES = 3
# The most composed who-says candidates looked at, those a rule withdraws included (each costs the rules only; a
# try is one that passed them): past the support line, speakers the rules turn down come between those worth asking.
COMPOSED_CANDIDATES = 8


class Engine:
    """The grounded answer engine. Cheap to construct; models load on first use or in `warm_up`."""

    def __init__(self, settings: Settings, embedder: MiniLMEmbedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or MiniLMEmbedder()
        self.store = ChunkStore(settings, self.embedder)
        self.retriever = HybridRetriever(self.store, self.embedder)
        self.scorer = SupportScorer(self.embedder, self.retriever.idf)
        self.aligner = Aligner(self.scorer, settings.support_threshold, settings.prompts.says_cannot_answer)
        self.articles = Articles(settings, self.store, lambda: self.retriever.snapshot().chunks)
        self.checker = AnswerChecker(
            self.scorer, self.aligner, self.retriever, settings.verified_at, self.chat_model, settings.prompts
        )
        self.quotes = QuoteChecker(self.retriever, self.scorer, self.source_texts, self.chat_model, settings.prompts)
        self._models: dict[str, Any] = {}
        self._model_errors: dict[str, RagError] = {}
        self._lock = threading.Lock()
        self._prepare = (
            RunnablePassthrough.assign(retrieved=RunnableLambda(self._retrieve_step))
            | RunnablePassthrough.assign(
                passages=lambda state: state["retrieved"][0],
                refreshed=lambda state: state["retrieved"][1],
            )
            | RunnablePassthrough.assign(context=RunnableLambda(self._context_step))
        )

    # -- articles (rag/articles.py) ---------------------------------------------------------------
    def ingest(self, paths: list[Path] | None = None, progress: Progress | None = None) -> SyncReport:
        """Load, chunk and store articles; with no paths the whole corpus folder, pruning removed files."""
        return self.articles.ingest(paths, progress)

    def ensure_ingested(self) -> SyncReport | None:
        return self.articles.ensure_ingested()

    def add_article(self, filename: str, data: bytes, progress: Progress | None = None) -> SyncReport:
        return self.articles.add_article(filename, data, progress)

    def delete_article(self, source: str) -> int:
        return self.articles.delete_article(source)

    def source_texts(self) -> dict[str, str]:
        return self.articles.source_texts()

    def listing(self) -> list[ArticleInfo]:
        """The stored articles: source, title, chunk count."""
        return self.articles.listing()

    def refresh_changed(self, stored: Mapping[str, str]) -> list[str]:
        """Articles (source → content hash at ingest) brought in step with their files; a note per change."""
        return self.articles.refresh_changed(stored)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' MiniLM embeddings."""
        vectors = self.embedder.embed_cached([a, b])
        return float(vectors[0] @ vectors[1])

    # -- quote checks (rag/quote_check.py) ---------------------------------------------------------
    def check_quote(self, text: str, speaker: str | None = None, source: str | None = None,
                    backend: Backend | None = None) -> QuoteCheck:
        """Whether the articles (or `source`) hold `text` verbatim, altered or in other words, and who says it; with
        `speaker`, whether that is who says it. A model (the backend's) only judges a paraphrase."""
        if self.store.count() == 0:
            raise RagError("Nothing has been ingested yet.", hint="run `rag ingest` first")
        if source is not None:
            source = self._ingested_source(source)
        return self.quotes.check(text, speaker, source, backend or self.settings.backend)

    @staticmethod
    def quoted_claim(question: str, history: History | None = None) -> tuple[str, str | None] | None:
        """The quotation (and the speaker it names) a question asks the truth of ("Did al-Khazali say “…”?"; a
        "he" or "she" read after the conversation's last turns): answered by `check_quote`, not as a question. None
        for any other question."""
        return quoted_claim(question, history or ())

    # -- retrieval --------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, source: str | None = None) -> list[Passage]:
        return self._retrieve(question, k, source)[0]

    def _retrieve(self, question: str, k: int | None, source: str | None) -> tuple[list[Passage], list[str]]:
        """The passages, from articles in step with their files, and a note for each article brought in step."""
        question = clean_question(question)
        if self.store.count() == 0:
            raise RagError("Nothing has been ingested yet.", hint="run `rag ingest` first")
        if source is not None:
            source = self._ingested_source(source)
        passages = self.retriever.retrieve(question, k or self.settings.k, source)
        notes = self.refresh_changed({p.source: p.doc_sha256 for p in passages})
        if notes:
            passages = self.retriever.retrieve(question, k or self.settings.k, source)
        self._check_script(question, passages)
        return passages, notes

    def _ingested_source(self, source: str) -> str:
        """The stored source a search is limited to ("./corpus/a.txt" or its absolute path is "corpus/a.txt"); a
        source that is not ingested would find nothing, so it is an error naming the ones that are."""
        ingested = sorted(self.store.sources())
        path = Path(source)
        if path.is_absolute() and path.is_relative_to(self.settings.root):
            path = path.relative_to(self.settings.root)
        normal = os.path.normpath(path).replace(os.sep, "/")
        if source in ingested or normal in ingested:
            return source if source in ingested else normal
        raise RagError(f"{source} is not an ingested article.",
                       hint="ingested: " + ", ".join(ingested[:12]) + (" …" if len(ingested) > 12 else ""))

    @staticmethod
    def _check_script(question: str, passages: list[Passage]) -> None:
        """Refuse a question written in a script none of the passages is written in."""
        asked_in = script_of(question)
        written_in = {script_of(p.text[:300]) for p in passages}  # a passage's opening shows its script
        if asked_in and passages and asked_in not in written_in:
            # MiniLM and BM25 cannot match across writing systems: say so instead of answering off-topic.
            scripts = " and ".join(sorted(s for s in written_in if s))
            raise RagError(
                f"The question is written in {asked_in} script, but the articles are in {scripts} script.",
                hint="ask in the language of the articles",
            )

    def _retrieve_step(self, state: dict[str, Any]) -> tuple[list[Passage], list[str]]:
        return self._retrieve(state["question"], state["k"], state["source"])

    def _context_step(self, state: dict[str, Any]) -> tuple[list[SourceSpan], float]:
        return select_context(self.scorer, state["question"], state["passages"], self.settings.context_sentences)

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
        reading.warm_up()  # spaCy reads every question and answer
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
        texts = list(dict.fromkeys(s.reads for s in candidate_spans(chunks)))
        if not texts or len(texts) > max_spans:
            return 0
        for i in range(0, len(texts), 8):  # small batches: big ones raise peak memory (`make bench`, peak RSS)
            self.embedder.embed_cached(texts[i:i + 8])
        return len(texts)

    def _generate(self, backend: Backend, question: str, context: list[SourceSpan]
                  ) -> Iterator[tuple[str, dict[str, int] | None, float | None]]:
        """Stream (token, usage, log-probability) from the chat model; usage arrives with the last chunk, a
        log-probability with each token when the model reports one."""
        model = self.chat_model(backend)
        prompt = self.settings.prompts.answer_prompt()
        for chunk in (prompt | model).stream({"context": format_context(context), "question": question}):
            usage = _usage(chunk)
            logprob = _logprob(chunk)
            token = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
            yield token, usage, logprob

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
        return rewrite_follow_up(question, history, model, MAX_QUESTION_CHARS, self.settings.prompts)

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

        retrieve → select context → gate → draft (LLM, extractive as its fallback, or a verified who-says answer
        composed from the speaker marks) → cite → verify; a draft not verified gives way, with a model, to the
        asked speaker's own words (`_words`) or, for a yes/no question, to the verdict a sentence's parse reads
        (`_verdicts`), if verified — as does a verified yes/no answer that says neither yes nor no, from its own
        quote. `timings_ms["words_ms"]` is the time those took. With `history`, a follow-up question is first
        rewritten to stand alone (`Answer.searched_for`).
        """
        began = time.perf_counter()
        backend = backend or self.settings.backend
        asked = clean_question(question)
        question = self.standalone_question(asked, history, backend)
        state = self._prepare.invoke({"question": question, "k": k or self.settings.k, "source": source})
        passages: list[Passage] = state["passages"]
        context, relevance = state["context"]
        timings = {"retrieve_ms": (time.perf_counter() - began) * 1000}
        check_began = time.perf_counter()
        composed = self._composed(question, backend, passages, context)  # a verified composed answer, or None
        relevant = bool(composed) or self._relevant(relevance, context)
        draft, verdict = composed or (Draft("", backend), None)
        if composed:
            yield draft.text
        elif relevant:
            gen_began = time.perf_counter()
            draft = yield from self._draft(backend, question, context, timings, began)
            timings["generate_ms"] = (time.perf_counter() - gen_began) * 1000
            check_began = time.perf_counter()
        if verdict is None:
            verdict = self._conclude(question, draft, passages, context, relevant)
            # A speaker's words stand only on the model's check. A yes/no question answered without a yes or a no
            # (a bare quote, "The use of ink … is not a panacea …") is answered by the verdict read from the
            # sentences, if one is verified; a "no" the parse reads needs no model.
            with_model = backend != "extractive"
            unsaid = (verdict.outcome == "answered" and asked_claim(question) is not None
                      and not any(policy.verdict_said(question, s.text) for s in verdict.sentences if s.verified))
            if relevant and (verdict.outcome != "answered" or unsaid):
                words_began = time.perf_counter()
                words = None
                if with_model and not unsaid:
                    words = self._words(question, backend, passages, context)
                if words is None:
                    # A verified statement is only given the verdict of the quote it already stands on.
                    quoted = {(c.source, c.start, c.end) for c in verdict.citations} if unsaid else None
                    words = self._verdicts(question, backend, passages, context, quoted)
                timings["words_ms"] = (time.perf_counter() - words_began) * 1000
                if words is not None:
                    draft, words_verdict = words
                    verdict = words_verdict.replacing(verdict)
        timings["cite_ms"] = (time.perf_counter() - check_began) * 1000
        timings["total_ms"] = (time.perf_counter() - began) * 1000
        yield verdict.answer(asked, question, passages, draft, timings).with_notes(state["refreshed"])

    def check(self, question: str, text: str, backend: Backend | None = None, k: int | None = None,
              source: str | None = None) -> Answer:
        """Verify an answer written elsewhere (by a person, another model) as if the model had drafted it:
        the same retrieval, quotes and answer policy, with `backend`'s model for its own check."""
        began = time.perf_counter()
        backend = backend or self.settings.backend
        asked = clean_question(question)
        state = self._prepare.invoke({"question": asked, "k": k or self.settings.k, "source": source})
        context, relevance = state["context"]
        relevant = self._relevant(relevance, context)
        draft = Draft(text, backend)  # extractive: the rules and scores only, no model check
        verdict = self._conclude(asked, draft, state["passages"], context, relevant)
        timings = {"total_ms": (time.perf_counter() - began) * 1000}
        return verdict.answer(asked, asked, state["passages"], draft, timings).with_notes(state["refreshed"])

    def _relevant(self, relevance: float, context: list[SourceSpan]) -> bool:
        """Whether the selected context is relevant enough to answer from (the answer policy's gate)."""
        return policy.relevant_context(relevance, bool(context), self.settings.refuse_below).passed

    def _conclude(self, question: str, draft: Draft, passages: list[Passage], context: list[SourceSpan],
                  relevant: bool) -> Concluded:
        """The answer policy's verdict on a draft; a refusal, unchecked, when the context is not relevant."""
        if relevant:
            return self.checker.conclude(question, draft, passages, context, relevant)
        return Concluded("refused")

    # -- drafts: tokens as they come, then the whole draft ----------------------------------------------
    def _draft(self, backend: Backend, question: str, context: list[SourceSpan], timings: dict[str, float],
               began: float) -> Generator[str, None, Draft]:
        """The extractive draft for the extractive backend; else the model's, with the extractive as fallback."""
        if backend == "extractive":
            return (yield from self._extractive_draft(question, context))
        primary = self._llm_draft(backend, question, context, timings, began)
        return (yield from self._with_fallback(backend, primary, question, context))

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

    def _composed(self, question: str, backend: Backend, passages: list[Passage], context: list[SourceSpan]
                  ) -> tuple[Draft, Concluded] | None:
        """A composed answer (`rag/attribution.py`: who says X, or who did X when "he" did) if verified, else None.
        With a model to check each one's claim, the next speakers' are tried too, past the support line as well
        (`COMPOSED_TRIES` that pass the rules, among at most `COMPOSED_CANDIDATES`)."""
        threshold = self.settings.support_threshold
        with_model = backend != "extractive"
        found = composed_answers(self.scorer, question, passages, threshold, self.checker.main_person,
                                 below_line=with_model)
        drafts = (Draft(text, backend, cites=(spans, supports), claim=claim) for text, spans, supports, claim in found)
        looked_at = COMPOSED_CANDIDATES if with_model else 1  # without a model, the best speaker only
        return self._first_verified(question, itertools.islice(drafts, looked_at), passages, context,
                                    tries=COMPOSED_TRIES)

    def _words(self, question: str, backend: Backend, passages: list[Passage], context: list[SourceSpan]
               ) -> tuple[Draft, Concluded] | None:
        """When the model's draft was not verified: the asked speaker's own words (`attribution.words_answers`), if
        the model is sure they answer the question; else None. Only with a model (the caller's check: the rules and
        scores alone showed wrong words of the right speaker, dev hq-a19, confidence 0.76), at most
        `COMPOSED_TRIES` checks."""
        found = words_answers(self.scorer, question, passages)
        drafts = (Draft(text, backend, cites=(spans, supports), words=True) for text, spans, supports, _ in found)
        return self._first_verified(question, itertools.islice(drafts, COMPOSED_TRIES), passages, context)

    def _verdicts(self, question: str, backend: Backend, passages: list[Passage], context: list[SourceSpan],
                  quoted: set[tuple[str, int, int]] | None = None) -> tuple[Draft, Concluded] | None:
        """When the draft of a yes/no question was not verified, or was verified but says neither yes nor no:
        "No" with a sentence that denies what is asked, or "Yes" with one that states it
        (`verdicts.verdict_answers`), if the policy verifies it; else None. With `quoted` (the spans a verified
        statement cites), only a verdict drawn from those. A small model answers "yes" by reflex, also where the
        quote it cites says "not" (new yes/no dev set: 11 of 11 questions whose answer is no were withheld or shown
        wrong). Without a model (the extractive backend) only a "no" can be verified: a "yes" stands on the model's
        own answer."""
        found = verdict_answers(self.scorer, question, passages)
        drafts = (Draft(text, backend, cites=(spans, supports), verdict=True) for text, spans, supports, _ in found
                  if quoted is None or {(s.source, s.start, s.end) for s in spans} <= quoted)
        return self._first_verified(question, drafts, passages, context)

    def _first_verified(self, question: str, drafts: Iterable[Draft], passages: list[Passage],
                        context: list[SourceSpan], tries: int | None = None) -> tuple[Draft, Concluded] | None:
        """The first of the engine's composed drafts the answer policy verifies, with its verdict; None if none is.
        With `tries`, it stops after that many drafts passed every rule and fell short only of the confidence
        (a draft a rule withdraws costs no model call)."""
        for draft in drafts:
            verdict = self.checker.conclude(question, draft, passages, context, relevant=True)
            if verdict.outcome == "answered":
                return draft, verdict
            if tries is not None:
                tries -= any(s.status == policy.UNCONFIRMED for s in verdict.sentences)
                if tries <= 0:
                    return None
        return None

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


def _usage(chunk: Any) -> dict[str, int] | None:
    """A chunk's token counts (only the last chunk of a stream carries them), or None."""
    meta = getattr(chunk, "usage_metadata", None)
    if not meta:
        return None
    return {"prompt_tokens": meta["input_tokens"], "completion_tokens": meta["output_tokens"]}


def _logprob(chunk: Any) -> float | None:
    """A chunk's token log-probability, when the model reports one."""
    logprobs = (getattr(chunk, "response_metadata", None) or {}).get("logprobs")
    # A list: LangChain merges chunks' metadata.
    if isinstance(logprobs, list) and logprobs and isinstance(logprobs[0], int | float):
        return float(logprobs[0])
    return None
