"""The answer policy: every rule that decides whether an answer is shown as proven, withdrawn, abstained on
or refused, in one place.

Three outcomes. **answered**: each shown sentence is verified against its quote. **abstained**: the engine
has an answer it cannot verify, so it shows the closest passages instead of a claim ("The article doesn't
state this directly"). **refused**: nothing in the articles is relevant, or the model itself found no
answer ("The article does not say").

Each rule is a named function that returns a `Check` with its reason, so a person can see why a sentence
was withdrawn. Hard rules need no model and fail only on clear evidence: a number or name the answer adds
that its quote does not contain, an answer of the wrong type (no year for "what year"), a quote by someone
other than the speaker asked about, a question about the author as a person answered from someone else's
sentence. What rules cannot see — "Sadr City" given as al-Khazali's *father* — is left to `confidence`: a
logistic combination of the model's own probability that the quote states the answer (`rag/verifier.py`)
with the quote's support and how much of the question the quote covers, calibrated on the dev questions
(`evals/src/calibrate.py`). A sentence is verified when every hard rule passes and its confidence clears
the threshold (`Settings.verified_at`, 0.7 by default: see the note on the weights below). Does not
generate, retrieve or align; `rag/chain.py` composes those around it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rag.citations import QUANTITY, QUANTITY_QUESTION, YES_NO, looks_like_refusal
from rag.lexical import STOP_WORDS, tokenize
from rag.spans import SourceSpan
from rag.speakers import AUTHOR, asked_speaker, asks_about_author, same_speaker

Outcome = Literal["answered", "abstained", "refused"]
REFUSAL = "The article does not say: none of its passages answers this question."
ABSTAIN = "The article doesn't state this directly; the closest passages are:"

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(rf"\b({_MONTHS})\b|\b\d{{1,2}}(st|nd|rd|th)?\b|{_YEAR.pattern}", re.IGNORECASE)
_TIME = re.compile(rf"{_DATE.pattern}|\b(since|until|after|before|ago|now|today|yesterday|week|weeks|month|"
                   r"months|year|years|day|days|decade|century|morning|evening|night|first|last|later|"
                   r"earlier|soon|then|once|when|while|during)\b", re.IGNORECASE)
_ASKS_YEAR = re.compile(r"\b(what|which)\s+year\b|\byear\s+(was|did|were)\b", re.IGNORECASE)
_ASKS_DATE = re.compile(r"\b(what|which)\s+(date|day)\b|\bon\s+what\s+date\b", re.IGNORECASE)
_ASKS_MONTH = re.compile(r"\b(what|which)\s+month\b", re.IGNORECASE)
_MONTH = re.compile(rf"\b({_MONTHS})\b", re.IGNORECASE)
_ASKS_WHEN = re.compile(r"^\s*(when|since when|until when)\b", re.IGNORECASE)
_ASKS_WHY = re.compile(r"^\s*why\b|\bwhy\b.*\?$|\bfor what reason\b|\bwhat (is|was) the reason\b", re.IGNORECASE)
_REASON = re.compile(r"\b(because|since|as a result|due to|owing to|so that|in order to|therefore|thus|hence|"
                     r"reasons?|why|caused?|explains?|so as to|for fear|lest)\b|,\s*so\b", re.IGNORECASE)
_WHO_SAYS = re.compile(r"^\s*who\s+(says|said|claims|claimed|thinks|believes|states|stated|holds|argues|points|"
                       r"tells|told|asks|asked|thanks|warns|hopes)\b", re.IGNORECASE)
_ASKED_TYPES = (("year", _ASKS_YEAR), ("month", _ASKS_MONTH), ("date", _ASKS_DATE), ("time", _ASKS_WHEN),
                ("quantity", QUANTITY_QUESTION), ("reason", _ASKS_WHY))
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20"}
_CAPITAL = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|[“\"(]\s*)$")
_FIRST_PERSON = re.compile(r"\b(I|my|me|mine|myself)\b")
_PERSONAL = re.compile(r"\b(I|my|me|[Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er)\b")


@dataclass(frozen=True)
class Check:
    """One rule's verdict on one answer sentence."""

    name: str
    passed: bool
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "passed": self.passed, "reason": self.reason}


@dataclass
class Verdict:
    """Everything the policy decided about one answer sentence."""

    checks: list[Check] = field(default_factory=list)
    confidence: float = 0.0
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


# -- reading questions and answers -----------------------------------------------------------------------
def asked_type(question: str) -> str | None:
    """What kind of answer the question wants, when that can be checked: a year, month, date, time, quantity
    or reason (the first that matches, in that order)."""
    return next((kind for kind, pattern in _ASKED_TYPES if pattern.search(question)), None)


def _words(text: str) -> set[str]:
    return set(tokenize(text))


def _numbers(text: str) -> set[str]:
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return found


def _names(text: str) -> set[str]:
    """Capitalised words that are not just the first word of a sentence (names, places, titles)."""
    names = set()
    for m in _CAPITAL.finditer(text):
        if _SENTENCE_START.search(text[: m.start()]):
            continue
        names.add(m.group(1).lower().replace("’", "'").removesuffix("'s"))
    return names


def _in(name: str, text: str) -> bool:
    """A name in a text, allowing its inflections ("Iranian" for "Iran", "Khazali's" for "Khazali")."""
    folded = text.lower().replace("’", "'")
    if name in folded:
        return True
    stem = name[: max(4, len(name) - 3)]
    return len(name) >= 5 and re.search(rf"\b{re.escape(stem)}", folded) is not None


# -- the rules -------------------------------------------------------------------------------------------
def relevant_context(relevance: float, has_context: bool, threshold: float) -> Check:
    """Before any generation: is any sentence of the retrieved passages relevant enough to try? (No: refuse.)"""
    if has_context and relevance >= threshold:
        return Check("relevant_context", True)
    return Check("relevant_context", False, f"no passage is relevant (best {relevance:.2f}, needs {threshold:.2f})")


def adds_something(question: str, sentence: str) -> Check:
    """An answer must say something the question does not already contain."""
    if YES_NO.match(question) or _words(sentence) - _words(question):
        return Check("adds_something", True)
    return Check("adds_something", False, "the sentence only restates the question")


def facts_in_quote(question: str, sentence: str, quotes: Sequence[str]) -> Check:
    """Every number and name the answer adds to the question must be in its quotes ("born in 1963", "Sadr
    City University" against a quote that says neither)."""
    quoted = " ".join(quotes)
    missing = sorted(n for n in _numbers(sentence) - _numbers(question) - _numbers(quoted))
    known = entities(quoted) + entities(question)
    capitalised = {w.lower().replace("’", "'").removesuffix("'s") for w in _CAPITAL.findall(quoted + " " + question)}
    for name in entities(sentence):
        if any(_same_name(name, k) for k in known) or name.lower() in (quoted + " " + question).lower():
            continue
        words = [w.lower().removesuffix("'s") for w in name.replace("’", "'").split()]
        if all(w in capitalised or (len(words) == 1 and (_in(w, quoted) or _in(w, question))) for w in words):
            continue  # "Iran, Ali Khamenei" said as "Iran Ali Khamenei"; "Iranian" for "Iran"
        missing.append(name)
    if missing:
        return Check("facts_in_quote", False, f"not in the quote: {', '.join(missing)}")
    return Check("facts_in_quote", True)


def answers_type(question: str, sentence: str, quotes: Sequence[str]) -> Check:
    """A year for "what year", a date for "what date", a time for "when", a quantity for "how many", a
    reason ("because", "in order to", …) for "why" — in the answer and in its quote."""
    kind = asked_type(question)
    if kind is None:
        return Check("answers_type", True)
    pattern = {"year": _YEAR, "month": _MONTH, "date": _DATE, "time": _TIME, "quantity": QUANTITY,
               "reason": _REASON}[kind]
    if kind == "quantity" and re.match(r"^\s*how\s+(many|much)\b", question, re.IGNORECASE):
        sentence, quotes = _YEAR.sub("", sentence), [_YEAR.sub("", q) for q in quotes]  # a year is no amount
    if not pattern.search(sentence) and kind != "reason":  # a reason can be given without a "because"
        return Check("answers_type", False, f"the question asks for a {kind}; the answer gives none")
    if not any(pattern.search(q) for q in quotes):
        return Check("answers_type", False, f"the question asks for a {kind}; the quote gives none")
    return Check("answers_type", True)


_WHO_SUBJECT = re.compile(r"^\W*who\b(?!\s+(do|does|did)\b)", re.IGNORECASE)  # not "who does he say …"
_PRONOUN_FIRST = re.compile(r"^\W*(he|she|they|we|i|it|you)\b", re.IGNORECASE)


def names_someone(question: str, sentence: str) -> Check:
    """"Who did X?" is answered by naming someone. "He did X" names no one, however well its quote matches:
    the quote's own "he" may be anyone (an answer that names a person, or the author, passes)."""
    if not _WHO_SUBJECT.match(question) or not _PRONOUN_FIRST.match(sentence):
        return Check("names_someone", True)
    def named(text: str) -> set[str]:  # words with a capital anywhere ("al-Khazali"), and "author"
        return {w.lower() for w in re.findall(r"[\w’'-]*[A-Z][\w’'-]*|\bauthor\b", text)}

    if named(_PRONOUN_FIRST.sub("", sentence)) - named(question):
        return Check("names_someone", True)
    return Check("names_someone", False, "the question asks who; the answer names no one, only a pronoun")


_NEGATION = re.compile(r"\b(not|no|never|without|nor|neither|none|nothing|nobody|cannot|n[’']t)\b|n[’']t\b",
                       re.IGNORECASE)
_VERDICT = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)
_HEDGE = re.compile(r"\b(might|maybe|perhaps|possibly|seems?|seemed|too soon|still soon|not sure|unsure|unclear|"
                    r"whether)\b", re.IGNORECASE)


def verdict_matches_quote(question: str, sentence: str, quotes: Sequence[str]) -> Check:
    """A yes or no must agree with its quote's polarity: "No" needs a quote that negates ("has no outcome
    yet", "without making your changes open source"), "Yes" one that neither negates nor hedges ("it is
    still soon to say", "it seems"). Small models answer "Yes" by reflex; a quote that says the opposite, or
    only maybe, is no proof."""
    verdict = _VERDICT.match(sentence)
    if not YES_NO.match(question) or not verdict:
        return Check("verdict_matches_quote", True)
    if verdict.group(1).lower() == "yes" and any(_HEDGE.search(q) for q in quotes):
        return Check("verdict_matches_quote", False, "the answer says yes, the quote only says maybe")
    negated = any(_NEGATION.search(q) for q in quotes)
    if (verdict.group(1).lower() == "yes") == negated:
        return Check("verdict_matches_quote", False,
                     f"the answer says {verdict.group(1).lower()}, the quote says {'not' if negated else 'so'}")
    return Check("verdict_matches_quote", True)


def speaker_matches(question: str, sentence: str, spans: Sequence[SourceSpan], before: Sequence[str] = ()
                    ) -> Check:
    """When the question (or the answer) names whose statement it is — "what does the author conclude",
    "according to X", "X replied" — the quote must be that speaker's. A sentence with no attribution of its
    own right after one that reports X ("…, he says. However, the option is …") may still be X's."""
    voices = [v for span in spans for v in span.voices if v.start < span.end and span.start < v.end]
    speakers = {v.speaker for v in voices} or {AUTHOR}
    if speakers == {AUTHOR}:
        speakers |= set(before)
    wanted = [w for w in (asked_speaker(question), asked_speaker(sentence)) if w]
    said_by = " and ".join(sorted(speakers))
    for who in wanted:
        if not any(same_speaker(who, s) for s in speakers):
            return Check("speaker_matches", False, f"the quote is said by {said_by}, not by {who}")
    if _WHO_SAYS.match(question):
        named = _names(sentence) | ({AUTHOR} if re.search(r"\bauthor\b", sentence, re.IGNORECASE) else set())
        if named and not any(same_speaker(n, s) or same_speaker(s, n) for n in named for s in speakers):
            return Check("speaker_matches", False, f"the quote is said by {said_by}, not by whom the answer names")
    return Check("speaker_matches", True)


def about_the_author(question: str, spans: Sequence[SourceSpan]) -> Check:
    """A question about the author as a person (where they live, how old they are) needs the author speaking
    of themselves: an "I" or "my" in the author's own words."""
    if not asks_about_author(question):
        return Check("about_the_author", True)
    for span in spans:
        for m in _FIRST_PERSON.finditer(span.text):
            at = span.start + m.start()
            if any(v.how == "author" and v.start <= at < v.end for v in span.voices):
                return Check("about_the_author", True)
    return Check("about_the_author", False, "the quote is not the author speaking of themselves")


_ENTITY = re.compile(r"(?:\b(?:al|el|bin|ibn|abu|van|von|de)-[A-Z][\w’'-]*|(?<![\w’'-])[A-Z][\w’'.-]*)"
                     r"(?:\s+(?:(?:al|el|bin|ibn|abu|van|von|de|da)-?\s?)?[A-Z][\w’'-]*)*")
_NOT_NAMES = {"how", "who", "whom", "whose", "according", "i", "yes", "no", "if", "this", "that", "these", "those",
              "a", "an", "the", "however", "although", "though", "even", "since", "while", "besides", "yet", "still",
              "thus", "hence", "now", "later", "finally", "moreover", "maybe", "perhaps", "meanwhile", "instead",
              "unlike", "like", "despite", "thanks", "among", "throughout", "unless", "whether", "as"}
_LEAD = re.compile(r"^\s*(?:(?:In|On|At|Since|After|Before|During|Throughout|Then|Later|However|Therefore)"
                   r"\b[^,]{0,60},\s*)?")


def entities(text: str, question: bool = False) -> list[str]:
    """Names in a text: capitalised runs and "al-" names, leaving out a sentence's first word when it is an
    ordinary word ("What", "The", "In") and the pronoun "I". A question's first word is a name only when it
    looks like one ("Al-Khazali …", "Guido van Rossum …"), not "Apart from …" or "Besides …"."""
    found = []
    for m in _ENTITY.finditer(text):
        name = re.sub(r"[’']s$", "", m.group(0)).strip(" .")
        first = name.split()[0].lower()
        opening = m.start() == len(text) - len(text.lstrip())
        if first in STOP_WORDS or first in _NOT_NAMES or (question and opening and "-" not in first):
            name = name.split(maxsplit=1)[1] if " " in name else ""
        if name and name.lower() not in _NOT_NAMES:
            found.append(name)
    return found


def _same_name(a: str, b: str) -> bool:
    """"Qais al-Khazali" ~ "Al-Khazali"; "Muqtada Sadr" !~ "Muhammad Sadr" or "Sadr City"."""
    x, y = a.lower().split(), b.lower().split()
    if not same_speaker(x[-1], y[-1]):
        return False
    return len(x) == 1 or len(y) == 1 or same_speaker(x[0], y[0])


def _subject(sentence: str) -> str | None:
    """The name a sentence opens with, after an opening phrase ("In 1995, Guido continued …" → Guido); None
    when it opens otherwise ("This Agreement …", "He was …")."""
    rest = sentence[_LEAD.match(sentence).end():]  # type: ignore[union-attr]
    m = _ENTITY.match(rest)
    if not m or m.group(0).split()[0].lower() in STOP_WORDS | _NOT_NAMES:
        return None
    return entities(m.group(0))[0] if entities(m.group(0)) else None


def entities_bound(question: str, sentences: Sequence[str], passage: str = "", speakers: Sequence[str] = (),
                   passage_speakers: Sequence[str] = ()) -> Check:
    """Every person, place or thing the question names must be where the quote is: in the quoted sentence or
    the one before it, or its speaker — or, when the quoted sentence does not open with a name of its own
    ("This soft talking …", "He was …"), anywhere in its passage. "How old is Muqtada Sadr?" is not answered
    by "Al-Khazali … is 47 years old", nor "Which official did he meet in Tehran?" by a passage without
    Tehran."""
    subject = _subject(sentences[-1]) if sentences else None
    context = " ".join(sentences) if subject or not passage else passage
    named = entities(context) + list(speakers) + ([] if subject or not passage else list(passage_speakers))
    flat = context.lower().replace(".", "")
    for entity in entities(question, question=True):
        if any(_same_name(entity, n) for n in named) or entity.lower().replace(".", "") in flat \
                or (" " not in entity and _in(entity.lower(), context)):  # "Iranian" for "Iran"
            continue
        return Check("entities_bound", False, f"the quote is about {subject}, not {entity}" if subject
                     else f"the quote does not mention {entity}")
    return Check("entities_bound", True)


def question_coverage(question: str, evidence: Evidence, idf: Callable[[str], float]) -> float:
    """Idf-weighted share of the question's content words found in the quotes (0–1), a word also counting
    when one is the start of the other ("lead" / "leader", "Iran" / "Iranian"). The people who speak in the
    quotes count as named there, and so does who their "he" or "I" is ("I stay in Najaf" covers "al-Khazali"
    in "Where does al-Khazali stay?")."""
    wanted = _words(question)
    if not wanted:
        return 1.0
    people = [v.speaker for s in evidence.spans for v in s.voices]
    if any(_PERSONAL.search(q) for q in evidence.quotes):
        people += list(evidence.passage_speakers)
    have = _words(" ".join([*evidence.quotes, *people]))

    def found(word: str) -> bool:
        return word in have or any(min(len(word), len(h)) >= 4 and (h.startswith(word) or word.startswith(h))
                                   for h in have)

    weights = {w: idf(w) for w in wanted}
    total = sum(weights.values())
    return sum(weights[w] for w in wanted if found(w)) / total if total else 1.0


@dataclass(frozen=True)
class Evidence:
    """What an answer sentence cites: the quoted spans, the sentences around them (the quoted sentence last,
    the one before it first) and the passage they come from."""

    spans: Sequence[SourceSpan]
    sentences: Sequence[str] = ()
    passage: str = ""
    passage_speakers: Sequence[str] = ()  # who speaks anywhere in the passage ("he states" → al-Khazali)
    speakers_before: Sequence[str] = ()  # who is quoted or reported in the sentence before the quote

    @property
    def quotes(self) -> list[str]:
        return [s.text for s in self.spans]


def rule_checks(question: str, sentence: str, evidence: Evidence) -> list[Check]:
    """Every hard rule's verdict on one answer sentence and its evidence."""
    quotes, spans = evidence.quotes, evidence.spans
    return [adds_something(question, sentence), facts_in_quote(question, sentence, quotes),
            answers_type(question, sentence, quotes), names_someone(question, sentence),
            verdict_matches_quote(question, sentence, quotes),
            speaker_matches(question, sentence, spans, evidence.speakers_before), about_the_author(question, spans),
            entities_bound(question, evidence.sentences or quotes, evidence.passage,
                           [v.speaker for s in spans for v in s.voices], evidence.passage_speakers)]


# -- the calibrated decision -----------------------------------------------------------------------------
# Logistic weights over the signals, fitted on the dev questions by evals/src/calibrate.py (see its report).
WEIGHTS_LLM = {"bias": -3.04, "llm_yes": 1.22, "gen_min": 1.00, "support": 1.32, "coverage": 1.72, "relevance": 0.53}
WEIGHTS_EXTRACTIVE = {"bias": -1.09, "coverage": 1.81, "relevance": 0.65}
# Confidence is a calibrated probability of being right; a sentence is shown as verified from
# Settings.verified_at (0.7). What that threshold keeps and costs (right drafts kept, confidently wrong shown) is
# in calibrate.py's table and the README's "Verified answers, measured"; refit with evals/src/calibrate.py, on
# dev runs only.


def confidence(signals: dict[str, float], weights: dict[str, float]) -> float:
    """P(the sentence is right), from the signals, by the fitted logistic weights."""
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in signals.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def judge(question: str, sentence: str, evidence: Evidence, signals: dict[str, float],
          probe: Callable[[], float | None] | None, verified_at: float) -> Verdict:
    """The verdict on one answer sentence: the hard rules, then — only if they all pass, since it costs a
    model call — the model's probability from `probe`, and the calibrated confidence over the signals."""
    verdict = Verdict(rule_checks(question, sentence, evidence), signals=dict(signals))
    if verdict.failed:
        return verdict
    weights = WEIGHTS_EXTRACTIVE
    p_yes = probe() if probe else None
    if p_yes is not None:
        verdict.signals["llm_yes"], weights = p_yes, WEIGHTS_LLM
    verdict.confidence = confidence(verdict.signals, weights)
    verdict.checks.append(Check("confident", verdict.confidence >= verified_at,
                                f"confidence {verdict.confidence:.2f} is below {verified_at:.2f}"))
    return verdict


def declined(sentences: Sequence[str]) -> bool:
    """The model itself found no answer: nothing written, or it opens by saying the article does not say."""
    return not sentences or looks_like_refusal(sentences[0])


def outcome(verified: Sequence[bool], relevant: bool, model_declined: bool) -> Outcome:
    """refused when nothing in the articles was relevant or the model found no answer; answered when some
    sentence of the answer is verified (the others are shown withdrawn); abstained otherwise."""
    if not relevant or model_declined:
        return "refused"
    return "answered" if any(verified) else "abstained"
