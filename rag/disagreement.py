"""Articles that disagree: when another article states a different value for what an answer says, say so.

An answer proven from one article ("The bridge cost 74 million euros", an audit) may be contradicted by another
("It cost 58 million euros", the opening report). A careful reader needs both. After a sentence is verified,
its value is the named entity it gives (an amount, a date, a number, a person, a place) that its quote holds and
the question does not. A sentence of another retrieved article disagrees when it is about the same thing — with
its article's title it holds every content word of the question and a capitalised word that the question, the
quote or its title holds (not another bridge), and it ranks near the verified quote for the question — and gives
a value of the same kind that is not this one, without also giving this one. Each disagreement becomes a
sentence of the answer that quotes the other article ('The articles disagree: "Riverside bridge opens"
(cases/bridge-a.txt) gives 58 million euros.'), true by construction: the value is in its quote. Does not judge
which article is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.citations import SupportScorer
from rag.lexical import meets, tokenize
from rag.lexicon import QUANTITY_WORDS
from rag.prompts import said_in
from rag.reading import parse
from rag.spans import SourceSpan

# The kinds of named value an answer may give, by spaCy label; amounts of any label are one kind ("74 million
# euros" is MONEY in one sentence and CARDINAL in another).
KINDS = {"MONEY": "amount", "CARDINAL": "amount", "QUANTITY": "amount", "PERCENT": "amount", "DATE": "date",
         "TIME": "time", "PERSON": "person", "GPE": "place", "ORG": "organisation"}
SAYS = "The articles disagree: {title} gives {value}."
NEAR = 0.6  # another article's sentence must rank at least this share of the verified quote's relevance


@dataclass(frozen=True)
class Disagreement:
    """Another article's sentence that gives `value` where the answer gives `answered`."""

    span: SourceSpan
    value: str
    answered: str

    def sentence(self, language: str = "en") -> str:
        """What the answer says of it, in the question's language."""
        title = f'"{self.span.title}" ({self.span.source})' if self.span.title else self.span.source
        return said_in(SAYS, language).format(title=title, value=self.value)


def _names(*texts: str) -> set[str]:
    """The capitalised words of texts (titles, sentences) outside their values and stop words: who or what they
    are about ("Riverside" in "Riverside bridge opens", which the tagger reads as a common noun)."""
    found = set()
    for text in texts:
        doc = parse(text)
        values = {t.i for e in doc.ents if KINDS.get(e.label_) in ("amount", "date", "time") for t in e}
        found |= {t.lower_ for t in doc if t.text[:1].isupper() and t.is_alpha and not t.is_stop and t.i not in values}
    return found


def _values(text: str) -> list[tuple[str, str]]:
    """The named values in `text`: (kind, words)."""
    return [(KINDS[e.label_], e.text) for e in parse(text).ents if e.label_ in KINDS]


def _same(a: str, b: str) -> bool:
    return " ".join(tokenize(a)) == " ".join(tokenize(b)) or a.lower() in b.lower() or b.lower() in a.lower()


def _about(question: str, span: SourceSpan) -> bool:
    """The span, with its article's title, holds every content word of the question (a stem, or a word it begins):
    "It cost 58 million euros" in "Riverside bridge opens" is about "How much did the bridge cost?"."""
    words = set(tokenize(f"{span.title} {span.reads}"))
    asked = [w for w in tokenize(question) if w not in QUANTITY_WORDS]  # "how much": the value asked, not a topic
    return all(meets(w, words) for w in asked)


def _with_unit(value: str, answered: str, text: str) -> str:
    """The value with the unit the answer's value ends with, when the text has it right after the value ("58
    million" in "It cost 58 million euros" for "74 million euros": the tagger stops before the noun)."""
    unit = answered.split()[-1]
    if unit.isalpha() and not value.endswith(unit) and f"{value} {unit}" in text:
        return f"{value} {unit}"
    return value


def disagreements(scorer: SupportScorer, question: str, sentence: str, quotes: Sequence[SourceSpan],
                  spans: Sequence[SourceSpan]) -> list[Disagreement]:
    """The sentences of other articles among `spans` that give another value than `sentence` (verified from
    `quotes`) for what `question` asks, best first, one per article."""
    quoted = " ".join(q.reads for q in quotes)
    given = [(kind, words) for kind, words in _values(sentence)
             if words.lower() in quoted.lower() and not _same(words, question)]
    sources = {q.source for q in quotes}
    others = [s for s in spans if s.source not in sources and not s.is_clause and _about(question, s)]
    if not given or not others or not quotes:
        return []
    answered = {w.lower() for _, words in given for w in words.split()}
    names = _names(question, *{q.title for q in quotes}, quoted) - answered
    best = float(max(scorer.relevance(question, list(quotes))))
    found: dict[str, Disagreement] = {}
    for span, score in sorted(zip(others, scorer.relevance(question, others), strict=True), key=lambda t: -t[1]):
        if score < NEAR * best or span.source in found:
            continue
        if not names & _names(span.title, span.reads):
            continue  # no name in common: another bridge, another election
        theirs = _values(span.reads)
        for kind, words in given:
            if any(_same(words, w) for _, w in theirs):
                break  # it gives this answer's value too: no disagreement
            other = next((w for k, w in theirs if k == kind and not _same(w, question)), None)
            if other:
                found[span.source] = Disagreement(span, _with_unit(other, words, span.reads), words)
                break
    return list(found.values())
