"""Who-says questions answered from the speaker marks: "Who says that X?" → "<speaker> says that X.".

A small model asked "who says …" copies the quote ("We thank Iran …"), answers with a pronoun, or names a
person it saw nearby; yet the engine already knows who says every span (`rag/speakers.py`, read at ingest).
So the answer to a who-says question is composed, not generated: the question's own words with its "Who"
replaced by the speaker of the span that states the claim best, citing that span. The span must hold every
number the claim holds ("1.6.1") and support the claim at least as well as an answer sentence needs to be
cited at all; a span that reports someone else's words inside it ("According to CNRI, Stallman's lawyer has
told …") or narrates an act ("he thanks Iran", told by the author) is left to the model.

The composed sentence is verified by the answer policy (`rag/verification.py`): every hard rule (the
speaker must be the quote's, the claim stated as asked, its facts in the quote), then the confidence an
extractive draft gets, from the quote's coverage of the question and its relevance — no model wrote it, so
the model's certainty is no signal (and its yes/no probability did not separate right from wrong composed
answers: 0.57–0.63 on right ones, 0.45–0.53 on unanswerable ones). This module only proposes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from rag.chunking import Chunk
from rag.citations import SupportScorer
from rag.claims import WHO_ASKS, WHO_SAYS, numbers_in, said_in
from rag.lexical import tokenize
from rag.retrieval import Passage
from rag.spans import SourceSpan, candidate_spans
from rag.speakers import FORWARD, same_speaker

_WHO = re.compile(WHO_ASKS, re.IGNORECASE)
_ACTS = {"thanks", "thanked"}  # verbs of an act, not of a statement


def claim_of(question: str) -> str | None:
    """What a who-says question says someone said ("Who claims that X?" → "X"), or None for other questions."""
    claim = said_in(question)
    return claim if claim and len(tokenize(claim)) >= 2 else None  # "Who wrote the article?": no claim to look for


def compose(question: str, speaker: str) -> str:
    """The question as an answer: its "Who" (or "Which person") replaced by `speaker` ("The author points out …")."""
    if not WHO_SAYS.match(question):
        raise ValueError(f"not a who-says question: {question!r}")
    rest = _WHO.sub("", question, count=1).strip().rstrip("?").rstrip()
    return f"{speaker[:1].upper()}{speaker[1:]} {rest}."


def speaker_answer(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float
                   ) -> tuple[str, SourceSpan, float] | None:
    """The composed answer, the span of `passages` it cites and that span's support of the claim; None when the
    question is not a who-says question (checked first: every question passes here) or no span holding the
    claim's numbers supports it at `threshold`."""
    claim = claim_of(question)
    spans = candidate_spans(passages) if claim else []
    if claim is None or not spans:
        return None
    numbers = numbers_in(claim)
    an_act = (m := WHO_SAYS.match(question)) is not None and m.group(1).lower() in _ACTS
    scores = scorer.scores(claim, spans)
    for i in (int(i) for i in np.argsort(-scores, kind="stable")):
        if scores[i] < threshold:
            return None
        if numbers <= numbers_in(spans[i].text):
            voice = spans[i].voice
            if nested_speaker(spans[i].text, voice.speaker):
                return None  # "According to CNRI, Stallman's lawyer has told …": whose words? The model decides.
            if an_act and voice.how == "author":
                return None  # "he thanks Iran", told by the author, is his act, not the author's: the model decides
            return compose(question, voice.speaker), spans[i], float(scores[i])
    return None


def nested_speaker(text: str, speaker: str) -> str | None:
    """A person named as saying something inside a span marked as someone else's words ("According to CNRI,
    Stallman's lawyer has told CNRI's lawyer …"), or None. Pronouns ("he says") are already resolved."""
    for m in FORWARD.finditer(text):
        subject = m.group("subj")
        if subject.split()[0].lower() not in {"i", "he", "she", "we", "they"} and not same_speaker(subject, speaker) \
                and not same_speaker(speaker, subject):
            return subject
    return None
