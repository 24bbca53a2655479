"""Verification: cite each sentence of a draft, judge it by the answer policy, and decide the outcome.

The draft's sentences are aligned to quotable spans of the retrieved passages (or, for an extractive draft,
quoted as they are); each is judged by `rag/policy.py` with its evidence (the quote, the sentence before it,
who speaks there) and its signals (support, coverage, relevance, the model's own certainty and, with a model,
its probability that the quote answers the question). Does not retrieve or generate; `rag/chain.py` calls it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from rag import policy
from rag.answer import Concluded, Draft, keep_verified
from rag.chunking import Chunk
from rag.citations import Aligner, AnswerSentence, Citation, SupportScorer, cite_composed, quote_excerpts
from rag.claims import Evidence, entities, unnamed_reference
from rag.disagreement import disagreements
from rag.errors import RagError
from rag.generation import closest_excerpts
from rag.lexical import language_of
from rag.prompts import DEFAULT, REFERENT, Prompts, said_in
from rag.reading import ALIAS, REFERS
from rag.retrieval import HybridRetriever, Passage
from rag.sentences import split_sentences
from rag.spans import SourceSpan, candidate_spans, sentence_and_before, sentence_before
from rag.verifier import answers_probability, verdict_probability


class AnswerChecker:
    """Turns a draft into verified (or withdrawn) sentences with their quotes. Holds no model of its own: it
    asks `chat_model` for the draft's backend when it needs the model's check."""

    def __init__(self, scorer: SupportScorer, aligner: Aligner, retriever: HybridRetriever, verified_at: float,
                 chat_model: Callable[[Any], Any], prompts: Prompts = DEFAULT) -> None:
        self.prompts = prompts
        self.scorer = scorer
        self.aligner = aligner
        self.retriever = retriever
        self.verified_at = verified_at
        self.chat_model = chat_model

    def main_person(self, source: str) -> str | None:
        """The person an article quotes most (by characters): who its "he" or "she" most likely is."""
        def most_quoted(chunks: list[Chunk]) -> str | None:
            said: Counter[str] = Counter()
            for chunk in chunks:
                for v in chunk.voices:
                    if v.how != "author":
                        said[v.speaker] += v.end - v.start
            return said.most_common(1)[0][0] if said else None
        return self.retriever.snapshot().derived("main person", source, most_quoted)

    def article_names(self, source: str) -> tuple[str, ...]:
        """The names of more than one word anywhere in an article ("Guido van Rossum"), for a first name or a
        surname quoted far from the whole name."""
        def names(chunks: list[Chunk]) -> tuple[str, ...]:  # sentence by sentence: "ABC.  Guido" is no name
            sentences = [s.of(c.text) for c in chunks for s in split_sentences(c.text, partial_head=True)]
            return tuple(sorted({n for s in sentences for n in entities(s) if " " in n}))
        return self.retriever.snapshot().derived("names", source, names)

    def most_named(self, source: str) -> str | None:
        """The person an article names or refers to most (read at ingest): whom its descriptions most likely mean."""
        def count(chunks: list[Chunk]) -> str | None:
            seen: dict[tuple[int, int], str] = {}
            for chunk in chunks:  # chunks overlap: each mark once
                seen |= {(m.start, m.end): m.value for m in chunk.marks if m.kind in ("PERSON", REFERS) and m.value}
            counts = Counter(seen.values())
            return counts.most_common(1)[0][0] if counts else None
        return self.retriever.snapshot().derived("most named", source, count)

    def aliases(self, source: str) -> tuple[tuple[str, str], ...]:
        """Pairs of names an article gives one person ("Norman Cook", "Fatboy Slim"), read at ingest."""
        def pairs(chunks: list[Chunk]) -> tuple[tuple[str, str], ...]:
            found = {(chunk.text[m.start - chunk.start:m.end - chunk.start], m.value)
                     for chunk in chunks for m in chunk.marks if m.kind == ALIAS}
            return tuple(sorted(found))
        return self.retriever.snapshot().derived("aliases", source, pairs)

    def conclude(self, question: str, draft: Draft, passages: list[Passage], context: list[SourceSpan],
                  relevant: bool) -> Concluded:
        """Cite each draft sentence, judge it by the answer policy, and decide the outcome."""
        spans = candidate_spans(passages)
        if draft.excerpts is not None:
            sentences, citations = quote_excerpts(draft.excerpts)
            cited = {(e.source, e.start, e.end): e for e in draft.excerpts}
        elif draft.cites is not None:
            sentences, citations = cite_composed(draft.text, *draft.cites)
            cited = {(s.source, s.start, s.end): s for s in draft.cites[0]}
        else:
            sentences, citations = self.aligner.align(draft.text, spans, question)
            if policy.declined([s.text for s in sentences], self.prompts.says_cannot_answer):
                return Concluded(policy.outcome([], relevant, model_declined=True))
            cited = {(s.source, s.start, s.end): s for s in spans}
        by_id = {c.id: cited[(c.source, c.start, c.end)] for c in citations}
        # No model check of an extractive draft, nor of a composed one beyond its claim: the model wrote none of it.
        model = self._model_for(draft)
        certainty = draft.sentence_certainty([s.text for s in sentences])
        for sentence, sure in zip(sentences, certainty, strict=True):
            quoted = [by_id[i] for i in sentence.citations]
            evidence = evidence_for(quoted, passages, spans, [self.main_person(q.source) for q in quoted[:1]],
                                    self.article_names(quoted[0].source) if quoted else (),
                                    self.aliases(quoted[0].source) if quoted else (),
                                    self.most_named(quoted[0].source) if quoted else None)
            self._verify(question, sentence, evidence, citations, model, sure, draft)
        outcome = policy.outcome([s.verified for s in sentences], relevant, model_declined=False)
        if outcome == "abstained":
            # The quotes an unconfirmed draft rests on come first (the sentence most likely to hold the answer),
            # then the excerpts nearest the question.
            own = [by_id[i] for s in sentences if s.status == policy.UNCONFIRMED for i in s.citations]
            shown = list({(e.source, e.start, e.end): e
                          for e in [*own, *closest_excerpts(self.scorer, question, context)]}.values())
            _, closest = quote_excerpts(shown[:max(3, len(own))])
            return Concluded(outcome, sentences, closest)
        if outcome == "answered":
            self._disagreements(question, sentences, citations, by_id, spans)
            self._referents(question, sentences, citations, by_id, spans)
        return Concluded(outcome, *keep_verified(sentences, citations))

    def _referents(self, question: str, sentences: list[AnswerSentence], citations: list[Citation],
                   by_id: dict[int, SourceSpan], spans: list[SourceSpan]) -> None:
        """After a verified sentence that gives "these things" without saying what they are
        (`claims.unnamed_reference`), the sentence before its quote, quoted: where the article says it ("… in
        terms of job creation, social security and healthcare. Opinion polls suggest that people still want the
        state to take a leading role in providing these things": who-said dev ws-irq-05, news held-back
        nw-irq-11). A quote of the article, so verified with the sentence's confidence; it claims nothing."""
        language = language_of(question)
        for at in range(len(sentences) - 1, -1, -1):
            sentence = sentences[at]
            pointed = unnamed_reference(question, sentence.text) if sentence.verified and sentence.citations else None
            before = sentence_before(by_id[sentence.citations[0]], spans) if pointed else None
            if pointed and before is not None:
                citations.append(Citation.of(len(citations) + 1, before, 1.0))
                by_id[len(citations)] = before
                text = said_in(REFERENT, language).format(words=pointed, quote=before.text.strip())
                sentences.insert(at + 1, AnswerSentence(text, [len(citations)], True, True, sentence.confidence,
                                                        status=policy.VERIFIED))

    def _model_for(self, draft: Draft) -> Any:
        """The model that checks a draft: its backend's, for a model's draft, a composed who-says answer's claim and
        a speaker's words given as the answer; none for an extractive draft, another composed one, or (a composed
        one) a model that cannot be had — the no-model weights judge those, as they would without a model."""
        if draft.backend == "extractive" or (draft.kind == "composed" and draft.claim is None and not draft.verdict):
            return None
        try:
            return self.chat_model(draft.backend)
        except RagError:
            if draft.kind == "model":  # the model's own draft: its failure is the caller's to report
                raise
            return None

    def _disagreements(self, question: str, sentences: list[AnswerSentence], citations: list[Citation],
                       by_id: dict[int, SourceSpan], spans: list[SourceSpan]) -> None:
        """After each verified sentence, one for every other article that gives another value for it, quoting
        that article (`rag/disagreement.py`); true by construction, so verified with the sentence's confidence."""
        language = language_of(question)
        for at in range(len(sentences) - 1, -1, -1):
            sentence = sentences[at]
            if not sentence.verified:
                continue
            quotes = [by_id[i] for i in sentence.citations]
            for found in disagreements(self.scorer, question, sentence.text, quotes, spans):
                citations.append(Citation.of(len(citations) + 1, found.span, 1.0))
                sentences.insert(at + 1, AnswerSentence(found.sentence(language), [len(citations)], True, True,
                                                        sentence.confidence, status=policy.VERIFIED))

    def _verify(self, question: str, sentence: AnswerSentence, evidence: Evidence, citations: list[Citation],
                model: Any, sure: dict[str, float], draft: Draft) -> None:
        """Judge one sentence of `draft` by the policy: its quotes' scores, and the model's own check when it has
        one — of a composed who-says answer, whether its quote states its claim (as a quote check asks of a
        paraphrase); of a speaker's words given as the answer, whether those words answer the question; of any other
        draft, whether its quotes answer the question."""
        if not evidence.spans:
            sentence.reasons, sentence.status = ["no quote of the article supports it"], policy.REFUTED
            return
        signals = {"support": max(c.support for c in citations if c.id in sentence.citations),
                   "coverage": evidence.coverage(question, self.retriever.idf),
                   "relevance": float(max(self.scorer.relevance(question, list(evidence.spans)))), **sure}

        def probe() -> float | None:
            if not model:
                return None
            try:
                if draft.claim is not None or draft.words:  # the words: cited last (after where the speaker is named)
                    asked = self.prompts.claim_question(draft.claim) if draft.claim is not None else question
                    words = evidence.spans[-1]
                    return answers_probability(model, words.as_named_here(asked), [words.reads], self.prompts)
                if policy.verdict_said(question, sentence.text) is not None:  # a yes or a no: the model's own
                    return verdict_probability(model, question, evidence.read_for(question), self.prompts)
                return answers_probability(model, question, evidence.read_for(question), self.prompts)
            except Exception:  # one signal among several: without it the rules and scores still decide
                return None

        verdict = policy.judge(question, sentence.text, evidence, signals, probe, self.verified_at, draft.kind,
                               support_line=self.aligner.threshold)
        sentence.verified = not verdict.failed
        sentence.confidence = verdict.confidence
        sentence.reasons = [c.reason for c in verdict.failed]
        sentence.signals = verdict.signals
        sentence.status = policy.status_of(verdict)


def evidence_for(quoted: list[SourceSpan], passages: list[Passage], spans: list[SourceSpan],
                 people: list[str | None], names: Sequence[str] = (),
                 aliases: Sequence[tuple[str, str]] = (), most_named: str | None = None) -> Evidence:
    """The quoted spans with the sentence each lies in, the sentence before that, their passage, and who may
    speak or be meant there: the passage's speakers, (for its "he" and "she") the article's main person, and the
    article's whole `names`."""
    around: list[str] = []
    before: set[str] = set()
    passage = next((p for q in quoted for p in passages
                    if p.source == q.source and p.start <= q.start and q.end <= p.end), None)
    for q in quoted:
        holds, prior = sentence_and_before(q, spans)
        around += [w.text for w in (prior, holds) if w is not None and holds is not None]
        if holds is not None and prior is not None:
            before |= {v.speaker for v in prior.voices if v.how != "author"}
    speakers = {v.speaker for v in passage.voices} if passage else set()
    return Evidence(quoted, around, passage.text if passage else "", sorted(speakers | {p for p in people if p}),
                    sorted(before), tuple(names), most_named, tuple(aliases))
