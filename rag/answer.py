"""What an answer is: the question as asked, the draft a generator wrote, and the finished `Answer` that
`rag ask --json` prints and the app shows.

`Draft` is what the answer step produced (the model's text, or the excerpts an extractive answer quotes).
`Concluded` is the policy's decision over that draft — outcome, verified sentences, quotes — and turns
into the `Answer`: a verified answer keeps only its verified sentences as claims (withdrawn ones stay
listed, marked, without quotes); an abstention shows the closest passages and no claim; a refusal says
the article does not say. Pure data; no model or store here.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from rag.citations import AnswerSentence, Citation
from rag.errors import RagError
from rag.lexical import language_of
from rag.policy import ABSTAIN, REFUSAL, REFUTED, UNCONFIRMED, VERIFIED, DraftKind, Outcome
from rag.prompts import every_wording, said_in
from rag.retrieval import Passage
from rag.spans import SourceSpan

MAX_QUESTION_CHARS = 2000


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


@dataclass
class Draft:
    """An answer before verification: generated text, (extractive) the excerpts it quotes, or a sentence composed
    by the engine with the spans it cites (`cites`: a who-says answer or a "he" named, `rag/attribution.py`)."""

    text: str
    backend: str
    notice: str | None = None  # why a fallback happened
    usage: dict[str, int] = field(default_factory=dict)
    excerpts: list[SourceSpan] | None = None
    logprobs: list[tuple[str, float]] = field(default_factory=list)  # (token, log-probability) as generated
    cites: tuple[tuple[SourceSpan, ...], tuple[float, ...]] | None = None  # a composed sentence's quotes, supports
    claim: str | None = None  # a composed who-says answer's claim, which a model confirms its quote states
    words: bool = False  # a speaker's own words composed as the answer: a model confirms they answer the question
    verdict: bool = False  # a yes or no composed from a sentence's parse (`rag/verdicts.py`): a model answers too

    @property
    def kind(self) -> DraftKind:
        """What wrote it (`policy.DraftKind`): a speaker's words, a composed sentence (it comes with the spans it
        cites), the extractive backend, or the model."""
        if self.words:
            return "words"
        if self.cites is not None:
            return "composed"
        return "extractive" if self.backend == "extractive" else "model"

    def sentence_certainty(self, sentences: list[str]) -> list[dict[str, float]]:
        """For each answer sentence (in order), how sure the model was of it as it wrote it: the probability
        of its least likely token (`gen_min`) and the geometric mean over its tokens (`gen_mean`); empty
        when the model reported no log-probabilities."""
        if not self.logprobs:
            return [{} for _ in sentences]
        found: list[dict[str, float]] = []
        text, at = "".join(t for t, _ in self.logprobs), 0
        ends = list(itertools.accumulate(len(t) for t, _ in self.logprobs))
        for sentence in sentences:
            start = text.find(sentence[:20], at)
            end = start + len(sentence)
            inside = [lp for (tok, lp), e in zip(self.logprobs, ends, strict=True)
                      if start >= 0 and e > start and e - len(tok) < end and tok.strip()]
            found.append({"gen_min": math.exp(min(inside)), "gen_mean": math.exp(sum(inside) / len(inside))}
                         if inside else {})
            at = max(at, end)
        return found


@dataclass
class Answer:
    """Everything `rag ask --json` prints, plus what the UI needs."""

    question: str
    answer: str
    refused: bool  # no claim is shown (refused or abstained)
    citations: list[Citation]
    sentences: list[AnswerSentence]
    passages: list[Passage]
    backend: str
    timings_ms: dict[str, float]
    notice: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    searched_for: str = ""
    outcome: Outcome = "answered"

    def with_notes(self, notes: list[str]) -> Answer:
        """This answer with these notes put before its own notice."""
        if notes:
            self.notice = " ".join([*notes, *([self.notice] if self.notice else [])])
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "outcome": self.outcome,
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences],
            "passages": [p.to_dict() for p in self.passages],
            "backend": self.backend,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notice": self.notice,
            "usage": self.usage,
            "searched_for": self.searched_for or self.question,
            "draft_status": self.draft_status,
        }

    @property
    def withdrawn(self) -> list[AnswerSentence]:
        """Draft sentences that were not verified: refuted ones (struck out, with the reason) and unconfirmed ones
        (shown as not confirmed, never struck out as if false)."""
        return [s for s in self.sentences if not s.verified and s.text not in _OWN_WORDS]

    @property
    def unconfirmed(self) -> list[AnswerSentence]:
        """Draft sentences every rule passed but whose confidence fell short: maybe right, not proven."""
        return [s for s in self.withdrawn if s.status == UNCONFIRMED]

    @property
    def refuted(self) -> list[AnswerSentence]:
        """Draft sentences a rule found the quotes against (or no quote for)."""
        return [s for s in self.withdrawn if s.status != UNCONFIRMED]

    @property
    def draft_status(self) -> str:
        """What became of the draft as a whole: "verified" (some sentence is), else "unconfirmed" (some sentence
        only fell short of the confidence line), else "refuted" (a rule withdrew every sentence), else "none"
        (the model found no answer, or nothing relevant was found)."""
        if any(s.verified for s in self.sentences):
            return VERIFIED
        if self.unconfirmed:
            return UNCONFIRMED
        return REFUTED if self.withdrawn else "none"


def keep_verified(sentences: list[AnswerSentence], citations: list[Citation]
                  ) -> tuple[list[AnswerSentence], list[Citation]]:
    """Withdrawn sentences lose their quotes; quotes no verified sentence uses are dropped; ids renumbered."""
    used: dict[int, int] = {}
    for sentence in sentences:
        if not sentence.verified:
            sentence.citations = []
        for cid in sentence.citations:
            used.setdefault(cid, len(used) + 1)
        sentence.citations = [used[c] for c in sentence.citations]
    kept = sorted((c for c in citations if c.id in used), key=lambda c: used[c.id])
    return sentences, [Citation(used[c.id], c.source, c.title, c.quote, c.start, c.end, c.support, c.speaker,
                                c.voice) for c in kept]


_OWN_WORDS = every_wording(REFUSAL) | every_wording(ABSTAIN)  # the engine's messages, never a draft's sentence


@dataclass
class Concluded:
    """The policy's decision over a draft; `answer()` turns it into the `Answer`."""

    outcome: Outcome
    sentences: list[AnswerSentence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def replacing(self, earlier: Concluded) -> Concluded:
        """This verdict, on a draft the engine put in place of the model's (a speaker's own words), with the
        model's sentences listed after its own as they were judged — not confirmed or withdrawn, with why and no
        quote — so a reader sees what the model wrote and why it was not kept."""
        dropped = [dataclasses.replace(s, citations=[]) for s in earlier.sentences
                   if not s.verified and s.text not in _OWN_WORDS]
        return Concluded(self.outcome, [*self.sentences, *dropped], self.citations)

    def answer(self, asked: str, question: str, passages: list[Passage], draft: Draft,
               timings: dict[str, float]) -> Answer:
        language = language_of(asked)
        if self.outcome == "refused":
            text = said_in(REFUSAL, language)
            sentences, citations = [AnswerSentence(text)], []
        elif self.outcome == "abstained":
            for sentence in self.sentences:
                sentence.citations = []
            text, sentences, citations = said_in(ABSTAIN, language), self.sentences, self.citations
        else:
            text = " ".join(s.text for s in self.sentences if s.verified)
            sentences, citations = self.sentences, self.citations
        return Answer(asked, text, self.outcome != "answered", citations, sentences, passages, draft.backend,
                      timings, draft.notice, draft.usage, question, self.outcome)
