"""Answer sentences ↔ verbatim source spans, support scores, and the refusal gate.

The model's text is never trusted for citations: every answer sentence is matched against the quotable spans
of the retrieved passages (`rag/spans.py`). Support mixes meaning (MiniLM cosine) and wording (share of the
sentence's content words found in the span). A sentence is supported when its best span clears the
threshold; a second span is cited when it covers words the first lacks. The same scores pick the tight
context the LLM reads (`rag/context.py`) and decide, before any generation, whether the article can answer
at all. Offsets are into the source text; `text[start:end] == quote` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rag.embedding import MiniLMEmbedder
from rag.layout import cells_of, names_key
from rag.lexical import language_of, tokenize
from rag.lexicon import AMOUNT_WORDS, CONDITION_OPENERS, QUANTITY_WORDS, YES_NO_OPENERS, alternation
from rag.prompts import DEFAULT
from rag.reading import REFERS
from rag.sentences import has_words, split_sentences
from rag.spans import LONG_SENTENCE, SourceSpan
from rag.speakers import AUTHOR, Voice, voice_of

Scores = npt.NDArray[np.float64]
QUANTITY_QUESTION = re.compile(rf"^\s*how\s+({alternation(QUANTITY_WORDS)})\b", re.IGNORECASE)
QUANTITY = re.compile(rf"\d|\b({alternation(AMOUNT_WORDS)})\b", re.IGNORECASE)
# "Is …?", and after an opening condition: "If I distribute a modified Python, do I have to …?"
YES_NO = re.compile(rf"^\s*(?:(?:{alternation(CONDITION_OPENERS)})\b[^,?]{{1,120}},\s*)?"
                    rf"({alternation(YES_NO_OPENERS)})\b", re.IGNORECASE)
_MARKER = re.compile(r"\s*\[(?:\d+(?:\s*[,-]\s*\d+)*)\]")


@dataclass(frozen=True)
class Citation:
    id: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    support: float
    speaker: str = AUTHOR  # who says the quote: the author, or the person quoted or reported
    voice: str = "author"  # "author", "quoted" or "reported"

    @classmethod
    def of(cls, cid: int, span: SourceSpan, support: float) -> Citation:
        voice = span.voice
        return cls(cid, span.source, span.title, span.text, span.start, span.end, support, voice.speaker, voice.how)

    @property
    def speaker_label(self) -> str:
        """"the author", "Qais al-Khazali, quoted", "the reporter, reported"."""
        return Voice(self.start, self.end, self.speaker, self.voice).label()

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "support": round(self.support, 4),
            "speaker": self.speaker,
            "voice": self.voice,
        }


@dataclass
class AnswerSentence:
    """One sentence of an answer: its quotes, whether a quote supports it (similarity) and whether the answer
    policy verified it (`rag/policy.py`), with its confidence and, if withdrawn, why."""

    text: str
    citations: list[int] = field(default_factory=list)
    supported: bool = False
    verified: bool = False
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    # What the policy made of it: "verified"; "unconfirmed" (every rule passed, the confidence fell short of the
    # line: maybe right, not proven); "refuted" (a rule found the quote against it, or no quote for it); "" when
    # it was never judged (a refusal's sentence).
    status: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "citations": self.citations,
            "supported": self.supported,
            "verified": self.verified,
            "status": self.status,
            "confidence": round(self.confidence, 4),
            "reasons": self.reasons,
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
        }


def gives_quantity(question: str, answer: str) -> bool:
    """For a how-much/many/old/long question, whether the answer states a quantity (a year is no amount)."""
    kind = QUANTITY_QUESTION.match(question)
    if not kind:
        return True
    if kind.group(1).lower() in ("much", "many"):
        answer = re.sub(r"\b(1[89]|20)\d\d\b", "", answer)
    return bool(QUANTITY.search(answer))


def strip_markers(text: str) -> str:
    """Remove `[1]`-style markers a model may add; they refer to its prompt, not to our citations."""
    return _MARKER.sub("", text).strip()


def meant_words(span: SourceSpan) -> set[str]:
    """The words of the names a span's pronouns stand for, read at ingest ("She defeated the incumbent" holds
    "Maria Okafor"), and of who says it ("We cannot afford to wait." is Anna Lindqvist's): an answer that says the
    name is worded as its quote is."""
    voice = voice_of(span.voices, span.start, span.end)  # who says most of it
    speaker = [voice.speaker] if voice.how != "author" else []
    return set(tokenize(" ".join([m.value for m in span.marks if m.kind == REFERS] + speaker)))


FOREIGN_MEANING = 0.3  # share of meaning in a French question's relevance (English's is 0.65)
MOST_ROWS = 12  # quotes of one answer sentence from the rows of one table


class SupportScorer:
    """Scores how well spans support (or answer) a piece of text.

    Support = meaning (cosine) + wording (idf-weighted share of the text's content words in the span) +
    novelty (idf-weighted share of the words the text adds to the question that the span contains).
    Novelty catches an answer that restates the question and invents the rest ("al-Khazali has no
    children": nothing it adds is in the source). Yes/no questions are exempt: their answer's new word
    is often just "not".
    """

    def __init__(self, embedder: MiniLMEmbedder, idf: Callable[[str], float] | None = None,
                 weights: tuple[float, float, float] = (0.4, 0.3, 0.3)) -> None:
        self.embedder = embedder
        self.idf = idf or (lambda term: 1.0)
        self.weights = weights

    def _share(self, words: set[str], span_words: list[set[str]]) -> Scores:
        weights = {w: self.idf(w) for w in words}
        total = sum(weights.values())
        if not total:
            return np.zeros(len(span_words))
        return np.array([sum(weights[w] for w in words & sw) / total for sw in span_words], dtype=np.float64)

    def relevance(self, question: str, spans: list[SourceSpan], meaning_weight: float = 0.65,
                  generic: float = 0.0) -> Scores:
        """How well each span answers `question`: mostly meaning, some shared rare words. With `generic`, a
        span's meaning loses that share of its likeness to all the spans' centroid: a sentence about the
        article's subject in general ("I will analyze al-Khazali's words about …") is near every question
        about him, and ranks below the one that says the particular thing asked."""
        if not spans:
            return np.zeros(0)
        if language_of(question) != "en":
            meaning_weight = FOREIGN_MEANING  # the English embedder reads French by its shared spellings only
        vectors = self.embedder.embed_cached([question] + [s.reads for s in spans])
        meaning = vectors[1:] @ vectors[0]
        if generic:
            centroid = vectors[1:].mean(axis=0)
            direction = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
            meaning = meaning - generic * (vectors[1:] @ direction)
        meaning = np.clip(meaning, 0.0, 1.0)
        wording = self._share(set(tokenize(question)), [set(tokenize(s.reads)) for s in spans])
        return np.asarray(meaning_weight * meaning + (1 - meaning_weight) * wording, dtype=np.float64)

    def scores(self, text: str, spans: list[SourceSpan], question: str | None = None) -> Scores:
        """Support of `text` by each span, in [0, 1]; with `question`, novelty counts too."""
        if not spans:
            return np.zeros(0)
        vectors = self.embedder.embed_cached([text] + [s.reads for s in spans])
        meaning = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
        words = set(tokenize(text))
        span_words = [set(tokenize(s.reads)) | meant_words(s) for s in spans]
        wording = self._share(words, span_words)
        w_meaning, w_wording, w_novelty = self.weights
        if question is None or YES_NO.match(question):
            without_novelty = (w_meaning * meaning + w_wording * wording) / (w_meaning + w_wording)
            return np.asarray(without_novelty, dtype=np.float64)
        novelty = self._share(words - set(tokenize(question)), span_words)
        return np.asarray(w_meaning * meaning + w_wording * wording + w_novelty * novelty, dtype=np.float64)


class Aligner:
    """Links each answer sentence to the spans that support it."""

    def __init__(
        self,
        scorer: SupportScorer,
        threshold: float,
        declines: Callable[[str], bool] = DEFAULT.says_cannot_answer,
        tighter_margin: float = 0.03,
    ) -> None:
        self.declines = declines  # a sentence saying the article does not say: nothing to cite
        self.scorer = scorer
        self.threshold = threshold
        self.tighter_margin = tighter_margin

    def _pick(self, text: str, spans: list[SourceSpan], question: str | None
              ) -> list[tuple[SourceSpan, float]]:
        if question and not YES_NO.match(question) and not set(tokenize(text)) - set(tokenize(question)):
            return []  # it only restates the question: nothing in it could be supported
        scores = self.scorer.scores(text, spans, question)
        scores = self._by_rows(text, spans, scores)
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        best = order[0]
        if scores[best] < self.threshold:
            return []
        # Prefer a tighter clause when it supports the sentence about as well as the whole sentence.
        if not spans[best].is_clause:
            best = self._tighter(best, order, spans, scores)
        picked = [(spans[best], float(scores[best]))]
        second = self._second(text, best, order, spans, scores)
        if second is not None:
            picked.append((spans[second], float(scores[second])))
        if spans[best].table is not None:
            picked += [(spans[i], float(scores[i])) for i in self._rows(text, [s for s, _ in picked], order, spans)]
        return picked

    @staticmethod
    def _rows(text: str, picked: list[SourceSpan], order: list[int], spans: list[SourceSpan],
              most: int = MOST_ROWS) -> list[int]:
        """More rows of the table (or list) the best span is a row of, each holding a word of `text` the rows
        picked before lack ("It still needs 20 chairs, 3 whiteboards and a printer" cites three items)."""
        words = set(tokenize(text))
        covered = set().union(*(set(tokenize(s.reads)) & words for s in picked))
        found: list[int] = []
        for i in order:
            span = spans[i]
            if len(picked) + len(found) >= most:
                break
            new = (set(tokenize(span.reads)) & words) - covered
            if span.table == picked[0].table and span not in picked and new:
                found.append(i)
                covered |= new
        return found

    @staticmethod
    def _by_rows(text: str, spans: list[SourceSpan], scores: Scores) -> Scores:
        """Table rows by what the sentence names: a row whose first cell and another cell the sentence names is
        its quote ("No, Python 2.1 is not GPL-compatible": the row "2.1 … no"), ahead of any prose; a row about
        something the sentence does not name, when it names another row's subject, counts half."""
        keyed = {i for i, s in enumerate(spans) if s.row_key and names_key(s.row_key, text)}
        if not keyed:
            return scores
        top = float(scores.max())
        stated = {i for i in keyed if any(names_key(cell, text) for cell in cells_of(spans[i].text)[1:])}
        return np.array([top + 0.01 * (1 + float(sc)) if i in stated else sc if not s.row_key or i in keyed
                         else sc / 2 for i, (s, sc) in enumerate(zip(spans, scores, strict=True))])

    def _tighter(self, best: int, order: list[int], spans: list[SourceSpan], scores: Scores) -> int:
        """The best-scoring clause within sentence `best` if it scores nearly as well, else `best`."""
        clauses = [i for i in order if spans[i].is_clause and _within(spans[i], spans[best])]
        # A very long sentence is hard to check by eye: accept a bit less support for a tight quote.
        margin = self.tighter_margin * (3 if len(spans[best].text) > LONG_SENTENCE else 1)
        if clauses and scores[clauses[0]] >= scores[best] - margin:
            return clauses[0]
        return best

    def _second(self, text: str, best: int, order: list[int], spans: list[SourceSpan], scores: Scores
                ) -> int | None:
        """A second span to cite, among the next best: one that does not overlap `best`, clears the
        threshold and covers at least two of the text's words that `best` lacks; None if there is none."""
        words = set(tokenize(text))
        covered = set(tokenize(spans[best].reads)) & words
        for i in order[1:6]:
            span = spans[i]
            new_words = (set(tokenize(span.reads)) & words) - covered
            if not _overlap(span, spans[best]) and scores[i] >= self.threshold and len(new_words) >= 2:
                return i
        return None

    def align(self, answer: str, spans: list[SourceSpan], question: str | None = None
              ) -> tuple[list[AnswerSentence], list[Citation]]:
        """Sentences of `answer` with the ids of their quotes, and the quotes themselves.

        A sentence that declines to answer ("the article does not say …") is never cited.
        """
        sentences: list[AnswerSentence] = []
        citations: list[Citation] = []
        ids: dict[tuple[str, int, int], int] = {}
        if question and not gives_quantity(question, answer):
            spans = []  # "how much/many/old…" answered without any quantity does not answer it
        for span in split_sentences(answer):
            text = span.of(answer)
            sentence = AnswerSentence(text)
            citable = spans and has_words(text) and not self.declines(text)
            picked = self._pick(text, spans, question) if citable else []
            for source_span, support in picked:
                key = (source_span.source, source_span.start, source_span.end)
                if key not in ids:
                    ids[key] = len(citations) + 1
                    citations.append(Citation.of(ids[key], source_span, support))
                sentence.citations.append(ids[key])
            sentence.supported = bool(sentence.citations)
            sentences.append(sentence)
        return sentences, citations


def _within(inner: SourceSpan, outer: SourceSpan) -> bool:
    """Whether `inner` lies inside `outer` (same source)."""
    return inner.source == outer.source and outer.start <= inner.start and inner.end <= outer.end


def _overlap(a: SourceSpan, b: SourceSpan) -> bool:
    """Whether two spans share any text (same source)."""
    return a.source == b.source and a.start < b.end and b.start < a.end


def _flat(text: str) -> str:
    return " ".join(text.split())


def quoted_text(excerpts: list[SourceSpan]) -> str:
    """The answer text of an extractive answer: its excerpts, whitespace flattened, in order."""
    return " ".join(_flat(e.text) for e in excerpts)


def quote_excerpts(excerpts: list[SourceSpan]) -> tuple[list[AnswerSentence], list[Citation]]:
    """An extractive answer: each excerpt is one answer sentence, citing itself verbatim."""
    sentences, citations = [], []
    for i, span in enumerate(excerpts, start=1):
        citations.append(Citation.of(i, span, 1.0))
        sentences.append(AnswerSentence(_flat(span.text), [i], True))
    return sentences, citations


def cite_composed(text: str, spans: Sequence[SourceSpan], supports: Sequence[float]
                  ) -> tuple[list[AnswerSentence], list[Citation]]:
    """An answer sentence the engine composed (not aligned): one sentence citing the spans it was composed from."""
    pairs = zip(spans, supports, strict=True)
    citations = [Citation.of(i, span, s) for i, (span, s) in enumerate(pairs, 1)]
    return [AnswerSentence(_flat(text), [c.id for c in citations], True)], citations
