"""Check a quote: did the article say these words, in these words, and who said them?

A reader holding a quote from elsewhere ("al-Khazali said 'Iran gives us our orders'") gets one verdict:
- `verbatim`: the words stand in an article (exactly, or up to case, white space, quotation-mark and dash styles,
  with "…" for words left out; what was ignored is listed);
- `altered`: a passage says nearly the same words, with some added, dropped or changed (a word-level diff, and
  the changes that flip meaning called out: a negation, a number, a name, a hedge);
- `paraphrase`: no passage has the words, but a sentence states the same claim (its support score, and with a
  model the model's own yes to "is it true that …" against that sentence);
- `not_found`: nothing says it; the closest sentences are shown.
With each, who says the span (the author, or the person quoted or reported, from the speaker marks read at ingest)
and, when the reader names a speaker, whether that is who says it — "these are the author's words, not
al-Khazali's" is the commonest misquote there is. Exact and folded matching read the articles' files as stored
(offsets index them); the alignment reads the passages retrieval finds for the quote. Does not answer questions.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rag.chunking import Chunk
from rag.citations import SupportScorer
from rag.errors import RagError
from rag.lexicon import PERSON_PRONOUNS, QUOTING_FORMS, SUBJECT_PRONOUNS
from rag.prompts import DEFAULT, Prompts
from rag.reading import read
from rag.retrieval import HybridRetriever, Passage
from rag.sentences import script_of
from rag.spans import SourceSpan, candidate_spans, whole_sentences
from rag.speakers import AUTHOR, answer_speaker, asked_speaker, either_speaker, voice_of
from rag.verifier import CONFIRMED_AT, answers_probability
from rag.wording import Alignment, Change, Found, align, find, meaning_changes, strip_quote, words_of

MAX_QUOTE = 2_000  # characters
MIN_WORDS = 2
PASSAGES = 8  # the passages retrieval finds for a quote
KEYWORD_ALSO = 3  # the best keyword hits searched besides them
FOLD_ALL = 64  # articles: in a bigger library only those retrieval finds are searched up to typography
ALTERED_AT = 0.6  # word alignment ratio from which a passage is the quote altered, not another sentence
ALTERED_COVERAGE = 0.5  # and at least this share of the quote's words matched
# Support from which a sentence may state the quote's claim in other words: with a model to confirm it, and
# without one. On the dev cases (2026-12-06) invented quotes reached 0.52 at most, paraphrases 0.63–0.89.
PARAPHRASE_SUPPORT = 0.6
PARAPHRASE_SUPPORT_ALONE = 0.72
PARAPHRASE_YES = CONFIRMED_AT  # the model's P(yes) that the sentence states it, when a model checks
# A close span the quote rewords (reported speech: "Cook said they were having to …" against "We're having to …")
# rather than alters: more of the quote's own words than REWORDED_MIN and than REWORDED_SHARE of its words. On the
# dev cases (2026-12-06) every alteration put at most 3 of its own words, 25 % of the quote, against the article's
# (one or two changes); every close paraphrase 6 or more, 35 % or more. Such a quote is a paraphrase when a
# sentence states its claim (the paraphrase check), and altered otherwise; never when a negation, a number or a
# name changed.
REWORDED_MIN = 3
REWORDED_SHARE = 0.25
Verdict = str  # "verbatim" | "altered" | "paraphrase" | "not_found"


@dataclass
class QuoteCheck:
    """The verdict on one quote, with where it stands (or nearly does) and who says it there."""

    quote: str
    verdict: Verdict
    source: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None  # the article's text at [start, end)
    speaker: str | None = None  # who says the span: AUTHOR or a person
    how: str | None = None  # "author", "quoted" or "reported"
    asked_speaker: str | None = None
    normalisations: list[str] = field(default_factory=list)
    diff: list[Change] = field(default_factory=list)
    meaning_changes: list[str] = field(default_factory=list)
    similarity: float | None = None  # alignment ratio (altered) or support (paraphrase)
    closest: list[dict[str, Any]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def speaker_matches(self) -> bool | None:
        """Whether the speaker the reader named says the span (None: no speaker named, or no span)."""
        if not self.asked_speaker or self.speaker is None:
            return None
        asked = AUTHOR if self.asked_speaker.strip().lower() in ("the author", "author") else self.asked_speaker
        return either_speaker(asked, self.speaker)

    @property
    def message(self) -> str:
        """One paragraph a person reads first."""
        where = f"{self.source}, characters {self.start}–{self.end}"
        said = "the author's words" if self.speaker == AUTHOR else f"{self.speaker}'s words ({self.how})"
        lead = {
            "verbatim": f"These words are in {where}: {said}."
                        + (f" Ignored: {', '.join(self.normalisations)}." if self.normalisations else ""),
            "altered": f"Not these exact words. The closest passage ({where}, {said}) differs: "
                       + "; ".join(_change_line(c) for c in self.diff) + ".",
            "paraphrase": f"Not in these words, but {where} says the same in other words ({said}).",
            "not_found": "Nothing in the articles says this; the closest passages are below.",
        }[self.verdict]
        if self.meaning_changes:
            lead += " The changes alter the meaning: " + "; ".join(self.meaning_changes) + "."
        if self.speaker_matches is False:
            who = "the author's" if self.speaker == AUTHOR else f"{self.speaker}'s"
            lead += f" They are {who} words, not {self.asked_speaker}'s."
        return lead

    def to_dict(self) -> dict[str, Any]:
        span = None if self.source is None else {"source": self.source, "start": self.start, "end": self.end,
                                                 "text": self.text}
        return {"quote": self.quote, "verdict": self.verdict, "span": span, "speaker": self.speaker,
                "voice": self.how, "asked_speaker": self.asked_speaker, "speaker_matches": self.speaker_matches,
                "normalisations": self.normalisations, "diff": [c.to_dict() for c in self.diff],
                "meaning_changes": self.meaning_changes, "similarity": self.similarity, "closest": self.closest,
                "message": self.message, "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()}}


def _change_line(change: Change) -> str:
    if change.kind == "added":
        return f"“{change.quote}” added"
    if change.kind == "dropped":
        return f"“{change.article}” left out"
    return f"“{change.article}” became “{change.quote}”"


_QUOTATION = re.compile(r"[“«„]\s*([^”»“]+?)\s*[”»“]|\"([^\"]+)\"|(?:^|(?<=\s))'([^']+?)'(?=[\s?.!,]|$)")
_HE_OR_SHE = PERSON_PRONOUNS & SUBJECT_PRONOUNS
_IS_IT_TRUE = re.compile(r"^\s*(?:is\s+it\s+true|is\s+it\s+right|did|does|has|have|was|were|is)\b", re.I)


def quoted_claim(question: str, history: Sequence[tuple[str, str]] = ()) -> tuple[str, str | None] | None:
    """The quotation a yes/no question asks about, and the speaker it names ("Did al-Khazali say “…”?", "Is it
    true that he said '…'?"): a question to answer with a quote check. None for any other question (a "Who said
    “…”?" is answered as a question). A "he" or "she" is the person the conversation so far (`history`: question,
    answer pairs, oldest first) stands it for, read as a text's pronouns are; None when it names no one."""
    found = next((m for m in _QUOTATION.finditer(question) if len(words_of(next(g for g in m.groups() if g))) >= 3),
                 None)
    if found is None or not _IS_IT_TRUE.match(question):
        return None
    outside = (question[:found.start()] + " " + question[found.end():]).lower()
    if not any(re.search(rf"\b{re.escape(verb)}\b", outside) for verb in QUOTING_FORMS):
        return None
    frame = re.sub(r"^\s*is\s+it\s+(?:true|right)\s+that\s+", "", question[:found.start()], flags=re.I)
    speaker = asked_speaker(question) or answer_speaker(frame + " it.")
    if not speaker or speaker.lower() in PERSON_PRONOUNS:
        speaker = _meant(question[:found.start()], history)
    return next(g for g in found.groups() if g), speaker


def _meant(frame: str, history: Sequence[tuple[str, str]]) -> str | None:
    """The person the "he" or "she" of a question's words before its quotation ("Did she say") stands for after
    the last two turns of the conversation."""
    before = " ".join(f"{q.strip()} {a.strip()}" for q, a in history[-2:]).strip()
    frame = frame.strip()
    at = next((m for m in re.finditer(r"[^\W\d_]+", frame) if m.group().lower() in _HE_OR_SHE), None)
    if not before or at is None:
        return None
    start = len(before) + 1 + at.start()  # the frame's place in the text read below
    return read(f"{before} {frame} it.").refers(start, start + len(at.group()))


def _numbers_held(quote: str, sentence: str) -> bool:
    """Every number the quote gives is in the sentence (a claim with another number is not the same claim)."""
    said = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", sentence)}
    return all(n.replace(",", "") in said for n in re.findall(r"\d+(?:[.,]\d+)*", quote))


def _reworded(found: QuoteCheck) -> bool:
    """Whether an altered verdict's quote rewords its span rather than alters it: many words of its own, and no
    negation, number or name changed ("Mr Howard said the Tories needed" for "We need" changes no name)."""
    own = sum(len(c.quote.split()) for c in found.diff)
    flips = any(m.startswith(("negation", "number", "name")) for m in found.meaning_changes)
    return not flips and own > max(REWORDED_MIN, REWORDED_SHARE * len(words_of(strip_quote(found.quote))))


def clean_quote(text: str, scripts: set[str | None]) -> str:
    """The quote to check, or a `RagError` that says what is wrong with it."""
    quote = " ".join(text.split())
    if not strip_quote(quote):
        raise RagError("The quote is empty.", hint="paste the words to check")
    if len(quote) > MAX_QUOTE:
        raise RagError(f"The quote is {len(text):,} characters long; the limit is {MAX_QUOTE:,}.",
                       hint="check one passage at a time")
    if len(words_of(strip_quote(quote))) < MIN_WORDS:
        raise RagError("A quote of one word cannot be checked: any article may use the word.",
                       hint=f"give at least {MIN_WORDS} words as they were quoted")
    written = script_of(quote)
    if written and scripts and written not in scripts:
        raise RagError(f"The quote is written in {written} script, but the articles are in "
                       f"{' and '.join(sorted(s for s in scripts if s))} script.",
                       hint="check a quote in the language of the articles")
    return quote


class QuoteChecker:
    """Checks quotes against the stored articles. Holds no model: asks `chat_model` for one to judge a paraphrase."""

    def __init__(self, retriever: HybridRetriever, scorer: SupportScorer, texts: Callable[[], dict[str, str]],
                 chat_model: Callable[[Any], Any], prompts: Prompts = DEFAULT) -> None:
        self.retriever = retriever
        self.scorer = scorer
        self.texts = texts
        self.chat_model = chat_model
        self.prompts = prompts
        self._script_of: dict[str, tuple[str, str | None]] = {}  # source → (its text, the script it is written in)

    def check(self, text: str, speaker: str | None = None, source: str | None = None,
              backend: Any = "extractive") -> QuoteCheck:
        began = time.perf_counter()
        texts = self.texts()
        scripts = self._scripts(texts)
        if source is not None:
            texts = {s: t for s, t in texts.items() if s == source}
        quote = clean_quote(text, {scripts[s] for s in texts})
        asked = " ".join(speaker.split()) if speaker and speaker.strip() else None
        result = self._exact(quote, texts)
        if result is None:  # only the exact stage needs no retrieval, and its verdict needs no closest passages
            found = self.retriever.retrieve(strip_quote(quote), PASSAGES, source, keyword_also=KEYWORD_ALSO)
            passages = found[:PASSAGES]  # the fused ones; the keyword hits after them only for the paraphrase
            result = self._folded(quote, texts, passages) or self._aligned(quote, texts, passages)
            if result is None or result.verdict != "verbatim":
                scored = self.scored(quote, found)
                if result is None or _reworded(result):
                    said = self._paraphrase(quote, scored, backend)
                    result = said if result is None or said.verdict == "paraphrase" else result
                result.closest = [{"source": span.source, "start": span.start, "end": span.end, "text": span.text,
                                   "score": round(score, 3), "speaker": span.voice.speaker}
                                  for span, score in scored[:3]]
        result.asked_speaker = asked
        if result.source is not None and result.start is not None and result.end is not None:
            result.speaker, result.how = self._speaker(result.source, result.start, result.end)
        result.timings_ms["total_ms"] = (time.perf_counter() - began) * 1000
        return result

    def _scripts(self, texts: dict[str, str]) -> dict[str, str | None]:
        """The scripts the articles are written in, each read from its opening once (again when its text changes:
        `texts` hands back the same string while a file is unchanged). At 2,000 articles reading them all for every
        quote took 1.2 s."""
        known = self._script_of
        for source, text in texts.items():
            if source not in known or known[source][0] is not text:
                known[source] = (text, script_of(text[:2000]))
        if len(known) > len(texts):
            self._script_of = known = {s: known[s] for s in texts}
        return {s: known[s][1] for s in texts}

    # -- the stages, cheapest first -----------------------------------------------------------------------
    @staticmethod
    def _exact(quote: str, texts: dict[str, str]) -> QuoteCheck | None:
        words = strip_quote(quote)
        for source, text in texts.items():
            at = text.find(words)
            if at >= 0:
                return QuoteCheck(quote, "verbatim", source, at, at + len(words), text[at:at + len(words)])
        return None

    @staticmethod
    def _folded(quote: str, texts: dict[str, str], passages: Sequence[Passage]) -> QuoteCheck | None:
        """Up to typography, in the articles retrieval finds for the quote first, then (in a library of at most
        `FOLD_ALL` articles) in every other."""
        found_first = [p.source for p in passages if p.source in texts]
        order = list(dict.fromkeys(found_first + (list(texts) if len(texts) <= FOLD_ALL else [])))
        for source in order:
            found: Found | None = find(texts[source], quote)
            if found is not None:
                return QuoteCheck(quote, "verbatim", source, found.start, found.end,
                                  texts[source][found.start:found.end], normalisations=list(found.normalisations))
        return None

    @staticmethod
    def _aligned(quote: str, texts: dict[str, str], passages: Sequence[Passage]) -> QuoteCheck | None:
        """The best word alignment over the passages' sentences and pairs of sentences; altered when close."""
        sentences = [s for s in whole_sentences(candidate_spans(passages)) if s.source in texts]
        windows = [(s.source, s.start, s.end) for s in sentences]
        windows += [(a.source, a.start, b.end) for a, b in itertools.pairwise(sentences)
                    if a.source == b.source and 0 <= b.start - a.end <= 8]
        best: tuple[Alignment, str] | None = None
        for source, start, end in windows:
            found = align(quote, texts[source][start:end], start)
            if found and (best is None or (found.ratio, found.coverage) > (best[0].ratio, best[0].coverage)):
                best = (found, source)
        if best is None or best[0].ratio < ALTERED_AT or best[0].coverage < ALTERED_COVERAGE:
            return None
        found, source = best
        return QuoteCheck(quote, "altered", source, found.start, found.end, texts[source][found.start:found.end],
                          diff=list(found.changes), meaning_changes=meaning_changes(found.changes),
                          similarity=round(found.ratio, 3))

    def scored(self, quote: str, passages: Sequence[Passage]) -> list[tuple[SourceSpan, float]]:
        """The passages' sentences by how well they support the quote, best first: the paraphrase's candidates and
        the closest passages shown."""
        spans = whole_sentences(candidate_spans(passages))
        if not spans:
            return []
        scores = self.scorer.scores(strip_quote(quote), spans)
        return sorted(((span, float(score)) for span, score in zip(spans, scores, strict=True)),
                      key=lambda pair: -pair[1])

    def _paraphrase(self, quote: str, scored: list[tuple[SourceSpan, float]], backend: Any) -> QuoteCheck:
        """A sentence that states the quote's claim in other words, or not found."""
        if not scored:
            return QuoteCheck(quote, "not_found")
        span, support = scored[0]
        alone = backend == "extractive"
        if support < (PARAPHRASE_SUPPORT_ALONE if alone else PARAPHRASE_SUPPORT) or not _numbers_held(
                quote, span.reads):
            return QuoteCheck(quote, "not_found", similarity=round(support, 3))
        if not alone:
            try:
                p_yes = answers_probability(self.chat_model(backend), self.prompts.claim_question(strip_quote(quote)),
                                            [span.reads], self.prompts)
            except RagError:
                p_yes = None
            if p_yes is not None and p_yes < PARAPHRASE_YES:
                return QuoteCheck(quote, "not_found", similarity=round(support, 3))
        return QuoteCheck(quote, "paraphrase", span.source, span.start, span.end, span.text,
                          similarity=round(support, 3))

    # -- who says it -------------------------------------------------------------------
    def _speaker(self, source: str, start: int, end: int) -> tuple[str, str]:
        snapshot = self.retriever.snapshot()
        chunks: list[Chunk] = [c for c in (snapshot.chunks[i] for i in snapshot.by_source.get(source, []))
                               if c.start < end and start < c.end]
        voices = list(dict.fromkeys(v for c in chunks for v in c.voices))
        voice = voice_of(voices, start, end)
        return voice.speaker, voice.how

