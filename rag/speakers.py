"""Who says each part of an article: the author, or a person quoted or reported.

At ingest every sentence is cut into voices. Text inside quotation marks belongs to the person whose words
they are (`quoted`); a clause governed by a reporting cue — "he says …", "…, says al-Khazali", "X claims
that …", "according to X, …" — to that person (`reported`); everything else to the author. A pronoun
speaker (he, she, his …) is the person most recently named as a speaker, other than one already speaking
in the same sentence, or else the person the article names most. Questions get the same reading
(`asked_speaker`): "what does the author conclude", "according to X", "what did X reply".

Rule-based and deterministic. It does not attempt full coreference or nested speech; when unsure, the text
is the author's. Offsets are into the document text, like every other offset in the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rag.lexical import STOP_WORDS
from rag.sentences import split_sentences

AUTHOR = "the author"
SPEECH_VERBS = ("says|said|say|states|stated|claims|claimed|explains|explained|adds|added|remarks|remarked|argues|"
                "argued|asks|asked|tells|told|replies|replied|answers|answered|insists|insisted|notes|noted|admits|"
                "admitted|denies|denied|warns|warned|believes|believed|thinks|thought|hopes|hoped|stresses|stressed|"
                "declares|declared|announces|announced|suggests|suggested|writes|wrote|concludes|concluded|"
                "emphasizes|emphasized|emphasises|emphasised|insist|recalls|recalled|predicts|predicted")
_AUX = r"(?:(?:has|have|had|also|then|further|later|again|is|was|will|would|did|does|do)\s+)*"
_PARTICLE = r"(?:al|el|bin|ibn|abu|van|von|de|da|di|du|le|la)"
_NAME = (rf"(?:(?:{_PARTICLE}-)?[A-Z][\w’'.-]*(?:\s+(?:{_PARTICLE}-?\s?)?[A-Z][\w’'-]*)*|{_PARTICLE}-[A-Z][\w’'-]*"
         rf"(?:\s+[A-Z][\w’'-]*)*)")
_NOUN_PHRASE = rf"(?:(?:the\s+)?{_NAME}(?:[’']s\s+[a-z]+)?|the\s+[a-z]+(?:\s+of\s+{_NAME})?)"
_PRONOUN = r"(?:I|[Hh]e|[Ss]he)"
_SUBJECT = rf"(?:{_PRONOUN}|{_NOUN_PHRASE})"
FORWARD = re.compile(rf"(?<![\w’'])(?P<subj>{_SUBJECT})\s+{_AUX}(?P<verb>{SPEECH_VERBS})\b(?:\s+that\b|\s*,|\s*:)?")
INVERTED = re.compile(rf"(?:^|(?<=[,”\"]))\s*(?P<verb>{SPEECH_VERBS})\s+(?P<subj>{_NOUN_PHRASE})\b")
ACCORDING = re.compile(rf"\b[Aa]ccording\s+to\s+(?P<subj>(?:his|her|their)\s+\w+|{_NOUN_PHRASE})\s*,?")
_QUOTE = re.compile(r"“[^“”]*”|\"[^\"\n]*\"")
_OPEN_QUOTE = re.compile(r"“[^”]*$")
_PRONOUNS = {"he", "she", "his", "her", "him"}
_FIRST_PERSON = {"i", "me", "my"}
_NOT_PEOPLE = {"it", "this", "that", "there", "which", "who", "what", "one", "the", "a", "an"}
_TAIL = 80  # characters: a cue this close to the end of its sentence reports what came before it
# "the reporter asks": a role noun can speak; "the information stated in" cannot.
_ROLE = re.compile(r"^the\s+(?:[a-z]+(?:er|or|ist|ian|man|woman|ent|ant)|author|writer|judge|chief|official|"
                   r"head|police|government|court|committee|council|ministry|board|team|staff)\b")
_PASSIVE = re.compile(r"\s+(?:in|by|at|on|for|as|with|from|under|above|below|here|there)\b")


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
class _Cue:
    start: int  # where the cue phrase starts (sentence-relative)
    end: int
    subject: str
    backward: bool  # reports the text before it ("…, he says.")


def _clean(subject: str) -> str:
    return " ".join(subject.split()).strip(" ,")


def _key(name: str) -> str:
    """A comparable form of a person's name: its last word, lower case, without an al-/el- prefix; for a
    possessive role, the owner too ("Stallman's lawyer" is not "CNRI's lawyer")."""
    owner = re.search(r"(\S+)[’']s\s+\S+$", name)
    words = re.sub(r"[’']s\b", "", name).split()
    last = re.sub(rf"^{_PARTICLE}-", "", words[-1].lower() if words else "")
    return f"{owner.group(1).lower()}-{last}" if owner else last


def _close(a: str, b: str) -> bool:
    """Two name words that differ by at most one letter ("Khazali" / "Khasali")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names refer to the same person ("al-Khazali" / "Qais al-Khasali"; the author), but
    not two people who share a family name ("Muqtada Sadr" / "Muhammad Sadr")."""
    if AUTHOR in (a, b):
        return a == b
    if not _close(_key(a), _key(b)):
        return False
    first = [re.sub(r"^the\s+", "", n.lower()).split() for n in (a, b)]
    return min(len(first[0]), len(first[1])) < 2 or "'" in a + b or "’" in a + b or _close(first[0][0], first[1][0])


def _speaks(subject: str) -> bool:
    """Whether a cue's subject can be a speaker (a pronoun, a name, or a role such as "the reporter")."""
    first = subject.split()[0].lower()
    if first in _PRONOUNS | _FIRST_PERSON or re.match(r"(his|her)\s", subject):
        return True
    if first == "the":  # "the reporter", "the PSF" speak; "the information" does not
        words = subject.split()
        return bool(_ROLE.match(subject.lower())) or (len(words) > 1 and words[1][:1].isupper())
    return first not in STOP_WORDS and first not in _NOT_PEOPLE  # "They asked", "However said" are not names


def _cues(sentence: str) -> list[_Cue]:
    cues: list[_Cue] = []
    for m in ACCORDING.finditer(sentence):
        if _speaks(_clean(m.group("subj"))):
                cues.append(_Cue(m.start(), m.end(), _clean(m.group("subj")), backward=False))
    for m in INVERTED.finditer(sentence):
        if not any(c.start <= m.start() < c.end for c in cues) and _speaks(_clean(m.group("subj"))):
            cues.append(_Cue(m.start(), m.end(), _clean(m.group("subj")), backward=True))
    for m in FORWARD.finditer(sentence):
        subject = _clean(m.group("subj"))
        rest = sentence[m.end():]
        passive = _PASSIVE.match(rest) and not (subject.split()[0].lower() in _PRONOUNS
                                                 or m.group("verb").endswith("s"))  # "he says at the end"
        if not _speaks(subject) or any(c.start <= m.start() < c.end for c in cues) or passive:
            continue
        if subject.lower() in _FIRST_PERSON and any(not c.backward and c.end <= m.start() for c in cues):
            continue  # "al-Khazali says, I hope …": the "I" is his
        before = sentence[:m.start()].rstrip()
        backward = (len(rest.strip()) <= _TAIL and len(before) >= 15 and before[-1:] in ",”\""
                    and not re.match(r"\s*[“\"]", rest) and not re.search(r"\bthat\b", rest[:60]))
        cues.append(_Cue(m.start(), m.end(), subject, backward))
    return sorted(cues, key=lambda c: c.start)


class _People:
    """Resolves pronoun speakers to the person most recently named as one."""

    def __init__(self, names: Counter[str]) -> None:
        self.recent: list[str] = []
        self.most_named = names.most_common(1)[0][0] if names else None

    def resolve(self, subject: str, busy: Iterable[str] = ()) -> str:
        word = subject.split()[0].lower()
        if word in _FIRST_PERSON:
            return AUTHOR
        if word in _PRONOUNS or subject.lower() in ("we", "they"):
            for name in reversed(self.recent):
                if not any(same_speaker(name, b) for b in busy):
                    self.recent.remove(name)
                    self.recent.append(name)  # the person just referred to is the most recent again
                    return name
            return self.most_named or AUTHOR
        if not any(same_speaker(subject, r) for r in self.recent[-1:]):
            self.recent.append(subject)
        return subject


def _people_named(text: str) -> Counter[str]:
    """How often each person is named as a speaker (for pronouns with no speaker named before them)."""
    counts: Counter[str] = Counter()
    for m in [*FORWARD.finditer(text), *INVERTED.finditer(text)]:
        subject = _clean(m.group("subj"))
        if subject.split()[0].lower() not in _PRONOUNS | _FIRST_PERSON and _speaks(subject):
            counts[subject] += 1
    return counts


def _sentence_voices(sentence: str, offset: int, people: _People) -> list[Voice]:
    """Voices of one sentence (sentence-relative spans shifted by `offset`), covering all of it."""
    cues = _cues(sentence)
    owner: list[tuple[str, str]] = [(AUTHOR, "author")] * len(sentence)
    speakers: list[str] = []
    for i, cue in enumerate(cues):
        who = people.resolve(cue.subject, speakers)
        speakers.append(who)
        if cue.backward:  # the clause before it, and the rest of the sentence ("…, he says at the end.")
            lo = max((c.end for c in cues[:i]), default=0)
            hi = next((c.start for c in cues[i + 1:]), len(sentence))
            span = range(lo, hi)
        else:
            hi = next((c.start for c in cues[i + 1:] if not c.backward), len(sentence))
            span = range(cue.start, hi)
        for j in span:
            owner[j] = (who, "reported")
    for m in _QUOTE.finditer(sentence):
        inner = m.group(0)[1:-1]
        if len(inner.split()) < 3:
            continue  # a quoted word or title ("Saeed", "AS IS") is not somebody's statement
        who, how = owner[m.start()]
        if how == "author":
            near = [c for c in cues if c.start >= m.end() and c.backward] or [c for c in cues if c.end <= m.start()]
            subject = re.search(r"\b(?:[Hh]e|[Ss]he)\b", sentence[:m.start()])  # "so he uses statements like “…”"
            if near:
                who = speakers[cues.index(near[0])]
            elif subject:
                who = people.resolve(subject.group(0))
            else:
                continue
        for j in range(m.start(), m.end()):
            owner[j] = (who, "quoted")
    voices: list[Voice] = []
    for j, (who, how) in enumerate(owner):
        if voices and voices[-1].speaker == who and voices[-1].how == how and voices[-1].end == offset + j:
            voices[-1] = Voice(voices[-1].start, offset + j + 1, who, how)
        else:
            voices.append(Voice(offset + j, offset + j + 1, who, how))
    return voices


def attribute(text: str) -> list[Voice]:
    """Voices covering every sentence of `text`, in order (offsets into `text`)."""
    people = _People(_people_named(text))
    voices: list[Voice] = []
    for span in split_sentences(text):
        voices.extend(_sentence_voices(span.of(text), span.start, people))
    names = {v.speaker for v in voices}
    fullest = {n: max((m for m in names if same_speaker(n, m)), key=lambda m: (len(m.split()), len(m)))
               for n in names}  # one name per person: "al-Khazali" and "Qais al-Khazali" are the same man
    return [Voice(v.start, v.end, fullest[v.speaker], v.how) for v in voices]


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


_ASKED_AUTHOR = re.compile(r"\b(the|this)\s+(author|writer|analyst|columnist)(’s|'s)?\b", re.IGNORECASE)
_SPEECH = re.compile(r"\b(say|says|said|claim|claims|claimed|state|states|stated|think|thinks|thought|believe|"
                     r"believes|conclude|concludes|concluded|argue|argues|argued|reply|replied|replies|answer|"
                     r"answered|tell|told|ask|asked|consider|considers|find|finds|expect|expects|call|calls|"
                     r"describe|describes|see|sees|suggest|suggests|mean|means|point|points|predict|predicts|"
                     r"view|opinion|according|hope|hopes|warn|warns|blame|blames|judge|judges|rate|rates|"
                     r"single|singles)\b", re.IGNORECASE)
_ASKED_PERSON = re.compile(rf"\b(?:did|does|do|has|had)\s+(?P<a>{_NOUN_PHRASE}(?:\s+[a-z]+)?)\s+(?:say|claim|state|"
                           rf"reply|answer|tell|think|believe|argue|conclude|write|hope|warn|predict|mean|suggest)\b"
                           rf"|\b[Aa]ccording\s+to\s+(?P<b>{_NOUN_PHRASE})"
                           rf"|^\s*(?P<c>{_NOUN_PHRASE})\s+(?:says|said|claims|claimed|thinks|believes)\b")


def asked_speaker(question: str) -> str | None:
    """The speaker a question asks about ("What does the author conclude?" → the author), or None.

    Only questions about what someone says, thinks or concludes name a speaker; "Where does the author
    live?" is about the author as a person, not a statement (see `asks_about_author`).
    """
    if _ASKED_AUTHOR.search(question) and _SPEECH.search(question):
        return AUTHOR
    m = _ASKED_PERSON.search(question)
    if m:
        name = _clean(next(g for g in m.groups() if g))
        if name.split()[0].lower() not in _PRONOUNS and _speaks(name):  # "according to the article": no one
            return name
    return None


def asks_about_author(question: str) -> bool:
    """A question about the author as a person ("Where does the author live?"), not about what they say."""
    return bool(_ASKED_AUTHOR.search(question)) and not _SPEECH.search(question)
