"""Who says each part of an article: the author, or a person quoted or reported.

Read from spaCy's parse of each sentence (`rag/reading.py`) at ingest. A verb of speech (`lexicon.SPEECH_VERBS`:
say, tell, claim, warn, …) reports what its subject says: "X said …", "…, he warned", "…," said X, the council
leader; through a relative clause ("Ms Lane, who said …" is Ms Lane's) and a conjoined or participle verb ("he
paused and added …"); "according to X, …" too. A pronoun speaker is the person `reading` resolved it to; "it"
and "they" are the organisation or group that spoke last. The clause a cue reports is the speaker's
(`reported`); text inside quotation marks is the words of the person a cue in or beside it names (`quoted`),
and so is a paragraph that only continues a quotation (BBC style: the next paragraph opens with another quote
mark); everything else is the author's. Questions get the same reading (`asked_speaker`): "what does the author
conclude", "according to X", "what did X reply".

Deterministic: the same text gives the same voices. It does not attempt nested speech; when unsure, the text
is the author's. Offsets are into the document text, like every other offset in the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.lexicon import (
    AS_SAYING_VERBS,
    ASKS_SPEECH,
    AUTHOR_NOUNS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    REQUEST_VERBS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
)
from rag.quotations import paragraph_end, quotations
from rag.reading import (
    NAMED,
    Reading,
    Sentence,
    close_words,
    described,
    name_words,
    parse,
    read,
    same_person,
)
from rag.sentences import is_prose

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

AUTHOR = "the author"
_MIN_QUOTE_WORDS = 3  # a quoted word or title ("Saeed", "AS IS") is not somebody's statement
_TAIL = 80  # characters: a cue this close to the end of its sentence reports what came before it
_SUBJECTS = ("nsubj", "nsubjpass")
_NOT_SPEAKERS = frozenset({"article", "text", "story", "piece", "passage", "excerpt"})  # "according to the article"
_SPEAKING_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_NAME_POS = ("DET", "PROPN", "NOUN", "ADJ", "PART")  # the words of a speaker's name or role in a question


@dataclass(frozen=True)
class Voice:
    """A span of a document and who says it there."""

    start: int
    end: int
    speaker: str  # AUTHOR, or a person as the article names them ("Qais al-Khazali", "the reporter")
    how: str  # "author", "quoted" or "reported"

    def label(self) -> str:
        """What the chat shows beside a quote: "the author", "al-Khazali, quoted", "the reporter, reported"."""
        return AUTHOR if self.how == "author" else f"{self.speaker}, {self.how}"


@dataclass(frozen=True)
class Cue:
    """A reporting cue in a sentence: who speaks, where the cue phrase is (document offsets), and whether it
    reports the text before it ("…, he says.") or after it ("He says that …")."""

    start: int
    end: int
    speaker: str
    backward: bool


def either_speaker(a: str, b: str) -> bool:
    """`same_speaker` read either way round: whether one name may stand for the other ("Rachel" / "Rachel Edwards")."""
    return same_speaker(a, b) or same_speaker(b, a)


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names refer to the same person ("al-Khazali" / "Qais al-Khasali"; "the reporter" / "the
    BBC reporter"; the author), but not two people who share a family name ("Muqtada Sadr" / "Muhammad Sadr"),
    nor two people's lawyers ("Stallman's lawyer" / "CNRI's lawyer")."""
    if AUTHOR in (a, b):
        return a == b
    if " and " in a or " and " in b:  # people who spoke together: any of them
        return any(same_speaker(x, y) for x in a.split(" and ") for y in b.split(" and ") if x and y)
    owners = [re.findall(r"(\S+)[’']s\s", n + " ") for n in (a, b)]
    if all(owners) and not close_words(owners[0][0].lower(), owners[1][0].lower()):
        return False
    x = [w for w in name_words(re.sub(r"^(the|a|an)\s+", "", a, flags=re.I)) if w not in ("the", "a", "an")]
    y = [w for w in name_words(re.sub(r"^(the|a|an)\s+", "", b, flags=re.I)) if w not in ("the", "a", "an")]
    if not x or not y or not close_words(x[-1], y[-1]):
        return False
    return same_person(a, b) or len(x) == 1 or len(y) == 1 or any(owners) or a[:1].islower() or b[:1].islower()


# -- the speaker a cue names --------------------------------------------------------------------------------
def _entity_of(token: Token) -> str | None:
    """The named entity a token lies in, if it is of a kind that can speak."""
    if token.ent_type_ not in _SPEAKING_TYPES:
        return None
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == token.ent_type_:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    while end < len(doc) and doc[end - 1].head.i == end and doc[end].pos_ == "NOUN":
        end += 1  # a name the tagger cut before its lower-case noun: "The Association of British insurers"
    if start > 0 and doc[start - 1].lower_ == "the" and token.ent_type_ != "PERSON":
        start -= 1  # "the PSF", "the Home Office"
    return doc[start:end].text


class _Speakers:
    """Names a cue's subject: a name (the fullest the article gives), a role, a resolved pronoun."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.recent: list[str] = []  # speakers in reading order, nearest last

    def name(self, subject: Token, sentence: Sentence, busy: Sequence[str]) -> str | None:
        """Who a cue's subject is; subjects joined by "and" are all of them ("Lindqvist and Hale both said …" is
        "Anna Lindqvist and Peter Hale")."""
        who = self._one(subject, sentence, busy)
        for other in (c for c in subject.children if c.dep_ == "conj"):
            also = self._one(other, sentence, busy)
            if who and also and not same_speaker(who, also):
                who = f"{who} and {also}"
        return who

    def _one(self, subject: Token, sentence: Sentence, busy: Sequence[str]) -> str | None:
        word = subject.lower_
        start, end = sentence.at(subject)
        if word in PERSON_PRONOUNS:
            return self.reading.refers(start, end) or next(
                (p for p in reversed(self.recent) if p not in busy), None)
        if word in FIRST_PERSON:
            return AUTHOR  # "I think" outside quotation marks: the author's own voice
        if word in GROUP_PRONOUNS or word == "it":  # the organisation or group that spoke last
            return next((p for p in reversed(self.recent) if p not in busy and p != AUTHOR), None)
        if subject.pos_ not in ("PROPN", "NOUN") or word in _NOT_SPEAKERS:
            return None
        example = _named_example(subject)
        if example is not None:  # "Others, such as the … Coalition of Non-governmental Organizations, have lauded …"
            subject = example
        person = self._person(subject, sentence)
        if person:
            return person
        entity = _entity_of(subject)
        if entity or subject.pos_ == "PROPN":
            return self._fullest(entity or described(subject))
        return described(subject)

    def _person(self, token: Token, sentence: Sentence) -> str | None:
        """The fullest name of a person a token names, or the name set beside it ("the mayor, Robert Osei"), or
        the name its phrase ends with ("Commission for Racial Equality chairman Trevor Phillips")."""
        last = max((t for t in token.subtree if t.dep_ not in ("punct", "relcl")), key=lambda t: t.i, default=token)
        ends_with = [last] if token.pos_ == "PROPN" else []  # "a spokesman for … Franco Frattini" is the spokesman
        for candidate in [token, *(c for c in token.children if c.dep_ == "appos"), *ends_with]:
            start, end = sentence.at(candidate)
            marks = [m for m in self.reading.marks if m.kind in NAMED and m.start <= start and end <= m.end]
            if marks and marks[0].kind == "PERSON":
                return marks[0].value
        return None

    def _fullest(self, name: str) -> str:
        people = [m.value for m in self.reading.marks if m.kind in ("PERSON", "ORG")]
        matches = sorted({p for p in people if same_person(name, p) and len(name_words(p)) >= len(name_words(name))})
        return matches[0] if len(matches) == 1 else name

    def spoke(self, speaker: str) -> None:
        if speaker in self.recent:
            self.recent.remove(speaker)
        self.recent.append(speaker)


def _named_example(subject: Token) -> Token | None:
    """The name a described subject gives as its example ("Others, such as the Coalition of …", "Groups such as
    Amnesty International"): the object of its "such as", or the name set beside that object; None when there is no
    "such as" or it names no one."""
    as_ = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "as"
                and any(m.lower_ == "such" for m in c.children)), None)
    example = next((c for c in as_.children if c.dep_ == "pobj"), None) if as_ is not None else None
    if example is None:
        return None
    if example.pos_ == "PROPN":
        return example
    return next((c for c in example.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)


def _subject_of(verb: Token) -> Token | None:
    """A speech verb's subject: its own, the noun a relative clause hangs on for "who said", the object of the
    verb it completes ("lead some to suggest" → some), or a conjoined or participle verb's subject when that is a
    name or a pronoun ("he paused and added …"; not "dance music is not dead, but has admitted …", where the
    parser joined the verbs wrongly)."""
    inherited = False
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            if inherited and subject.pos_ not in ("PROPN", "PRON"):
                return None
            return subject
        if any(c.dep_ == "nsubjpass" for c in verb.children) or verb.dep_ not in ("conj", "xcomp", "advcl"):
            return None  # "it was said": nobody is named
        if verb.dep_ == "xcomp" and (controller := next((c for c in verb.head.children if c.dep_ == "dobj"), None)):
            return controller
        participle = verb.dep_ == "advcl"
        verb, inherited = verb.head, True
        if participle and verb.dep_ == "ccomp" and _is_speech(verb.head):
            verb = verb.head  # "X told … Ford did not deserve it, saying: …" is X's; "I'd like to say …" is mine
    return None


def _is_speech(token: Token) -> bool:
    """A verb that reports speech here: not a participle describing a noun ("the payment stated in …"), not
    "pleaded guilty" or "called off"."""
    if token.lemma_.lower() not in SPEECH_VERBS or token.pos_ not in ("VERB", "AUX"):
        return False
    if token.dep_ in ("amod", "acl", "compound", "auxpass"):
        return False
    if token.dep_ == "xcomp" and (token.head.pos_ == "ADJ" or any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it"
                                                                  for c in token.head.children)):
        return False  # "it is still too soon to say …", "hard to say": an infinitive nobody says
    if token.dep_ == "pcomp" and not any(c.dep_ == "nsubj" for c in token.children):
        return False  # "after saying": no one named; "with the Brits committee announcing that …" names its speaker
    if any(c.dep_ in ("acomp", "prt") for c in token.children):
        return False  # "pleaded guilty", "called off", "pointed out" is read by its particle's absence of content
    return not (token.lemma_.lower() == "call" and not any(c.dep_ in ("oprd", "ccomp") for c in token.children))


def _speech_noun(verb: Token) -> Token | None:
    """The object of a verb that puts out something said, with its content: "stories" in "Local newspapers have
    carried stories that the ink is harmful", "a statement" in "The ministry issued a statement saying …"."""
    if verb.pos_ != "VERB" or verb.dep_ in ("amod", "acl", "compound"):
        return None
    for obj in verb.children:
        if obj.dep_ == "dobj" and obj.lemma_.lower() in SPEECH_NOUNS and any(
                c.dep_ in ("acl", "ccomp") and (any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
                                                or c.lemma_.lower() in SPEECH_VERBS) for c in obj.children):
            return obj
    return None


def _cue_span(verb: Token, subject: Token, sentence: Sentence) -> tuple[int, int]:
    """The cue phrase: the subject (with what describes it) and the verb ("Mr Howard said", "said Serge Troeber,
    deputy head of …", "who said")."""
    if verb.dep_ == "relcl" and subject == verb.head:
        tokens = [t for t in verb.children if t.dep_ == "nsubj"] + [verb]
    elif subject.i > verb.i:
        tokens = [verb, *subject.subtree]
    else:
        tokens = [*subject.subtree, verb]
    tokens += [c for c in verb.children if c.dep_ in ("aux", "neg", "advmod") and tokens[0].i <= c.i <= verb.i]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return sentence.at(first)[0], sentence.at(last)[1]


def _direction(verb: Token, start: int, end: int, sentence: Sentence) -> bool | None:
    """Whether a cue reports the text before it ("'…,' he said", "…, he says at the end.") — True — or after it
    ("He says that …", "Mr Howard said: '…'") — False; None when the verb reports nothing here ("had he denied
    the charge", "Hale disagreed."). Text before the cue is reported only across a comma, a colon or a quote."""
    text = sentence.doc.text
    before, after = text[:start - sentence.offset].rstrip(), text[end - sentence.offset:].lstrip()
    reports_back = bool(before) and before[-1] in ",”\"'’:—–-"
    content = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")
               or (c.dep_ == "advcl" and any(m.lower_ in ("if", "whether") for m in c.children))
               ]
    if verb.lemma_.lower() in AS_SAYING_VERBS:  # "described her decision to … as “impulsive”", "hailed it as …"
        content += [t for t in verb.subtree if t.dep_ == "prep" and t.lower_ == "as" and t.i > verb.i]
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.i < verb.i:
        return True if reports_back else None
    if _as_clause(verb):  # "As Mr Prior remarks …: 'All human life is here.'" reports the clause it frames; a
        # trailing "…, as some people claim" is left unread: after a negation it reports the opposite ("It's not
        # racist, as some people claim" — they claim it is)
        return False if verb.i < verb.head.i else None
    if any(c.i > verb.i for c in content) or after.lstrip(" ,")[:1] in (":", "“", '"'):
        return False
    inverted = any(c.dep_ in _SUBJECTS and c.i > verb.i for c in verb.children)  # "Not least, said Paul King, …"
    if content or (len(after) <= _TAIL and (len(before) >= 15 or inverted)):
        return True if reports_back else None
    return False if any(c.dep_ == "oprd" for c in verb.children) else None


def _as_clause(verb: Token) -> bool:
    """"As X says, …": a speech verb in an "as" clause with no object of its own frames the clause it hangs on ("As
    he said goodbye, …" has one, and reports nothing)."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and not any(
        c.dep_ in ("dobj", "ccomp") for c in verb.children)


def cues(sentence: Sentence, speakers: _Speakers) -> list[Cue]:
    """The reporting cues of one sentence, in order."""
    found: list[Cue] = []
    if not is_prose(sentence.doc.text):
        return found  # a headline ("Dance music not dead says Fatboy") parses too loosely to say who speaks
    for token in sentence.doc:
        if token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
            if objects:
                who = _according_to(objects[0], sentence, speakers, [c.speaker for c in found])
                if who:
                    start, end = sentence.at(token)[0], sentence.at(max(objects[0].subtree, key=lambda t: t.i))[1]
                    tail = sentence.doc.text[end - sentence.offset:].strip(" .,;:!?\"”'")
                    found.append(Cue(start, end, who, backward=not tail and start > sentence.offset))
        elif (noun := _speech_noun(token)) is not None and (subject := _subject_of(token)) is not None:
            start, end = _cue_span(token, subject, sentence)
            who = speakers.name(subject, sentence, [c.speaker for c in found])
            if who and noun.i > token.i and not any(c.start <= start < c.end for c in found):
                found.append(Cue(start, end, who, backward=False))
        elif _is_speech(token) and (subject := _subject_of(token)) is not None:
            start, end = _cue_span(token, subject, sentence)
            backward = _direction(token, start, end, sentence)
            if backward is None:
                continue
            who = speakers.name(subject, sentence, [c.speaker for c in found])
            if who and not any(c.start <= start < c.end for c in found):
                found.append(Cue(start, end, who, backward))
    return sorted(found, key=lambda c: c.start)


def may_speak(obj: Token) -> bool:
    """Whether the X of "according to X" is a source that speaks: a name, a role or a document ("the PSF", "the
    reporter", "his speech"), not a standard ("according to Islamic banking principles", "according to plan")."""
    if obj.pos_ in ("PROPN", "PRON") or obj.ent_type_ in _SPEAKING_TYPES:
        return True
    owned = any(c.dep_ == "poss" for c in obj.children)
    definite = any(c.lower_ in ("the", "this", "that") for c in obj.children) and obj.tag_ == "NN"
    return obj.pos_ == "NOUN" and (owned or definite)


def _according_to(obj: Token, sentence: Sentence, speakers: _Speakers, busy: Sequence[str]) -> str | None:
    """Who "according to X" names: X, or for "according to his speech" the person "his" stands for."""
    if not may_speak(obj):
        return None
    owner = next((c for c in obj.children if c.dep_ == "poss"), None)
    if obj.pos_ == "NOUN" and owner is not None and owner.lower_ in PERSON_PRONOUNS:
        return speakers.name(owner, sentence, busy)
    return speakers.name(obj, sentence, busy)


# -- voices -------------------------------------------------------------------------------------------------
def attribute(text: str, reading: Reading | None = None) -> list[Voice]:
    """Voices covering every sentence of `text`, in order (offsets into `text`); `reading`: its parse, if read."""
    reading = reading or read(text)
    speakers = _Speakers(reading)
    owner: list[tuple[str, str]] = [(AUTHOR, "author")] * len(text)
    covered = [False] * len(text)  # inside a sentence (voices cover sentences, not the blank lines between)
    all_cues: list[Cue] = []
    for sentence in reading.sentences:
        s0, s1 = sentence.span.start, sentence.span.end
        for j in range(s0, s1):
            covered[j] = True
        found = cues(sentence, speakers)
        for i, cue in enumerate(found):
            if cue.speaker == AUTHOR:
                continue
            speakers.spoke(cue.speaker)
            if cue.backward:  # the clause before it, and the rest of the sentence ("…, he says at the end.")
                lo = max((c.end for c in found[:i]), default=s0)
                hi = next((c.start for c in found[i + 1:]), s1)
            else:
                lo, hi = cue.start, next((c.start for c in found[i + 1:] if not c.backward), s1)
            for j in range(lo, hi):
                owner[j] = (cue.speaker, "reported")
        all_cues += found
    _quoted(text, reading, owner, all_cues)
    voices: list[Voice] = []
    for j, (who, how) in enumerate(owner):
        if not covered[j]:
            continue
        if voices and voices[-1].speaker == who and voices[-1].how == how and voices[-1].end == j:
            voices[-1] = Voice(voices[-1].start, j + 1, who, how)
        else:
            voices.append(Voice(j, j + 1, who, how))
    said = Counter(v.speaker for v in voices)  # one name per person: "al-Khazali" and "Qais al-Khazali" are one man
    fullest = {n: min((m for m in said if m == n or (" and " not in n + m and same_speaker(n, m))),
                      key=lambda m: (-len(m.split()), -said[m], m))
               for n in said}  # people who spoke together stay together, and none of them is the group
    return [Voice(v.start, v.end, fullest[v.speaker], v.how) for v in voices]


def _quoted(text: str, reading: Reading, owner: list[tuple[str, str]], all_cues: Sequence[Cue]) -> None:
    """Mark each quotation as the words of the person a cue in or beside its sentence names; a paragraph that
    only continues a quotation belongs to whoever was quoted last."""
    last: tuple[str, int] | None = None  # who was quoted last, and where that paragraph ends
    for start, end, opens_paragraph in quotations(text):
        inner = text[start + 1:end - 1] if end - start >= 2 else ""
        if len(inner.split()) < _MIN_QUOTE_WORDS:
            continue
        who, how = owner[start]
        if how == "author":
            who = _quote_speaker(text, reading, start, end, all_cues) or ""
            goes_on = last is not None and (opens_paragraph or start < last[1])
            if not who and goes_on:
                who = last[0] if last else ""  # "…," he said. "And another thing …" — the quotation goes on
        if not who or who == AUTHOR:
            continue
        last = (who, paragraph_end(text, start))
        for j in range(start, min(end, len(owner))):
            owner[j] = (who, "quoted")
        for cue in all_cues:  # a quotation inside it, with its own cue: "She said, 'yeah, it's hilarious …'"
            if not start < cue.start < end or cue.backward or cue.speaker in (AUTHOR, who):
                continue
            nested = text[cue.end:end].lstrip(" ,:")
            if nested[:1] in _NESTED_MARKS:
                for j in range(end - len(nested), min(end, len(owner))):
                    owner[j] = (cue.speaker, "quoted")


_NESTED_MARKS = ("'", "‘")  # what opens a quotation inside a quotation


def _quote_speaker(text: str, reading: Reading, start: int, end: int, all_cues: Sequence[Cue]) -> str | None:
    """The speaker of a quotation from the cues of the sentences it lies in: a cue after it that reports
    backwards, else a cue before it, else a "he"/"she" before it in its sentence ("so he uses statements like
    “…”")."""
    sentences = [s for s in reading.sentences if s.span.start < end and start < s.span.end]
    if not sentences:
        return None
    lo, hi = sentences[0].span.start, sentences[-1].span.end
    mine = [c for c in all_cues if lo <= c.start < hi and not (start <= c.start < end)]
    after = [c for c in mine if c.start >= end - 1 and c.backward] or [c for c in mine if c.start >= end - 1]
    before = [c for c in mine if c.end <= start]
    if after or before:
        return (after or before[::-1])[0].speaker
    pronouns = [m for m in reading.marks if m.kind == "REFERS" and lo <= m.start < start]
    return pronouns[-1].value if pronouns else None


def voice_of(voices: Iterable[Voice], start: int, end: int) -> Voice:
    """Who says most of `[start, end)` (the author when no voice covers it)."""
    counts: Counter[tuple[str, str]] = Counter()
    for v in voices:
        overlap = min(end, v.end) - max(start, v.start)
        if overlap > 0:
            counts[(v.speaker, v.how)] += overlap
    if not counts:
        return Voice(start, end, AUTHOR, "author")
    (speaker, how), _ = counts.most_common(1)[0]
    return Voice(start, end, speaker, how)


def named_in(text: str) -> list[str]:
    """The people a text names as the subject of a verb of speech ("According to CNRI, Stallman's lawyer has told
    …" → ["Stallman's lawyer"]); pronoun speakers are left out (they are resolved in the article)."""
    doc = parse(text)
    named = []
    for token in doc:
        subject = _subject_of(token) if _is_speech(token) else None
        if subject is not None and subject.pos_ in ("PROPN", "NOUN") and subject.lower_ not in _NOT_SPEAKERS:
            named.append(_entity_of(subject) or described(subject))
    return named


# -- questions ----------------------------------------------------------------------------------------------
def _mentions_author(doc: Doc) -> bool:
    return any(t.lower_ in AUTHOR_NOUNS and t.pos_ == "NOUN" and any(c.lower_ in ("the", "this") or c.dep_ == "poss"
                                                                    for c in t.children) for t in doc)


def _asks_speech(doc: Doc) -> bool:
    return any(t.lemma_.lower() in ASKS_SPEECH or t.lower_ in ASKS_SPEECH for t in doc)


def _asked_by(token: Token) -> Token | None:
    """The speaker a main-clause "X says" or an "according to X" names in a question or an answer."""
    if token.lower_ == "according":
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None or not may_speak(source):
            return None
        owner = next((c for c in source.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
        return owner or source  # "according to the reporter's question": the reporter
    # Naming is not stating: "Guido and the developers called the group BeOpen PythonLabs" quotes no one.
    statement = token.lemma_.lower() in SPEECH_VERBS - REQUEST_VERBS - {"call"}
    main_clause = token.dep_ == "ROOT" or (token.dep_ == "conj" and token.head.dep_ == "ROOT")
    if statement and token.pos_ == "VERB" and main_clause:
        return next((c for c in token.children if c.dep_ == "nsubj"), None)  # "Who says that Iran asked …?": no Iran
    # "X defended the proposals, saying …": the participle's words are the main verb's subject's
    participle = token.tag_ == "VBG" and token.dep_ == "advcl" and token.i > token.head.i
    if statement and participle and token.head.dep_ == "ROOT":
        return next((c for c in token.head.children if c.dep_ == "nsubj"), None)
    return None


def _speaker_phrase(subject: Token, named_only: bool) -> str | None:
    """A subject as a speaker's name; None for "which consultant", "the article", and (`named_only`) anything but a
    name."""
    if subject.lower_ in _NOT_SPEAKERS or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    if any(t.tag_ in ("WDT", "WP", "WP$", "WRB") for t in subject.subtree):
        return None  # "Which oil consultant said …?" asks who; it names no one
    named = next((c for c in subject.children if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.ent_type_)), None)
    if subject.pos_ == "NOUN" and named is not None:
        subject = named  # "Edwards' sister Rachel": the speaker is Rachel, whom the article's quotes name so
    name = _entity_of(subject) if subject.pos_ == "PROPN" or subject.ent_type_ else None
    if named_only and not name:
        return None
    return name or described(subject)


def asked_speaker(question: str) -> str | None:
    """The speaker a question asks about ("What does the author conclude?" → the author), or None.

    Only questions about what someone says, thinks or concludes name a speaker; "Where does the author
    live?" is about the author as a person, not a statement (see `asks_about_author`).
    """
    doc = parse(question)
    if _mentions_author(doc) and _asks_speech(doc):
        return AUTHOR
    for token in doc:
        subject = _asked_by(token)
        name = _speaker_phrase(subject, named_only=False) if subject is not None else None
        if name:
            return name
    return _auxiliary_speaker(doc)


def answer_speaker(sentence: str) -> str | None:
    """Whose words an answer sentence says it reports: the author ("The author concludes …") or a name ("Muqtada
    Sadr replied …", "According to the PSF, …"). A described subject ("Many people concluded …", "Polling staff
    can tell …") is not checked against the quote's speaker: the answer names no one whose words could be wrong."""
    doc = parse(sentence)
    if _mentions_author(doc) and _asks_speech(doc):
        return AUTHOR
    for token in doc:
        subject = _asked_by(token)
        if subject is not None and not any(c.dep_ == "aux" and c.lower_ in ("can", "could") for c in token.children):
            name = _speaker_phrase(subject, named_only=True)
            if name:
                return name
    return None


def _auxiliary_speaker(doc: Doc) -> str | None:
    """"What did <someone> reply …?" read by word order: the small parser tags a question's "reply" or "answer" as a
    noun (then it finds no speech verb at all). A run of name words between "did"/"does"/"has" and a speech
    verb's base form."""
    for i, token in enumerate(doc):
        if token.lemma_.lower() not in ("do", "have") or token.pos_ != "AUX":
            continue
        j = i + 1
        statements = SPEECH_VERBS - REQUEST_VERBS  # "What did Iran ask them to do?" asks for no words of Iran's
        while j < len(doc) and doc[j].pos_ in _NAME_POS and doc[j].lower_ not in statements:
            j += 1
        run = doc[i + 1:j]
        named = any(t.pos_ in ("PROPN", "NOUN") for t in run) and run[-1].lower_ not in _NOT_SPEAKERS
        if j < len(doc) and doc[j].lower_ in statements and named:
            return run.text
    return None


def asks_about_author(question: str) -> bool:
    """A question about the author as a person ("Where does the author live?"), not about what they say."""
    doc = parse(question)
    return _mentions_author(doc) and not _asks_speech(doc)
