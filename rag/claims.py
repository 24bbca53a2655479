"""Reading questions and answers: what kind of answer a question asks for, and the names, numbers and words a
text holds. Text functions the answer policy's rules are built from (`rag/policy.py`); no decisions here.

Grammar comes from spaCy's parse (`rag/reading.py`, cached per text): the topic a question asks someone's words
about, whether it asks for a name, the entity types (DATE, CARDINAL, GPE, …) an answer or a quote holds. The
patterns that remain read surface forms the parse does not type (a year, "because", a number word) or question
shapes the small parser misreads; each says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.citations import YES_NO
from rag.lexical import meets, stem, stems, tokenize
from rag.lexicon import (
    ACT_VERBS,
    ADDRESSING_VERBS,
    ALIAS_WORDS,
    AMOUNT_TYPES,
    ASKING_MARKS,
    ASKING_VERBS,
    DECLINE_VERBS,
    DEMONSTRATIVES,
    DOCUMENT_NOUNS,
    MONTHS,
    NAME_PARTICLES,
    NAME_TYPES,
    NAME_WORDS,
    NOT_NAMES,
    NUMBER_WORDS,
    OPENING_WORDS,
    PERSON_PRONOUNS,
    PLACE_TYPES,
    QUANTITY_WORDS,
    REASON_WORDS,
    RELATIONS,
    SPEECH_FORMS,
    SPEECH_VERBS,
    STOP_WORDS,
    TIME_TYPES,
    TIME_WORDS,
    TITLES,
    WHICH_WORDS,
    WHO_WORDS,
    alternation,
)
from rag.lexicon import FIRST_PERSON as LEXICON_FIRST_PERSON
from rag.reading import ALIAS, SUBJECT, Mark, name_words, names_meant, parse, read

if TYPE_CHECKING:
    from spacy.tokens import Token
from rag.spans import SourceSpan
from rag.speakers import either_speaker, same_speaker

# Surface forms the parse does not type precisely: a year, a day of the month, a month's name. spaCy's DATE is
# broader ("the past few days"); `has_type_asked` adds it where a broad reading is right ("when").
YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
DATE = re.compile(rf"\b({MONTHS})\b|\b\d{{1,2}}(st|nd|rd|th)?\b|{YEAR.pattern}", re.IGNORECASE)
TIME = re.compile(rf"{DATE.pattern}|\b({alternation(TIME_WORDS)})\b", re.IGNORECASE)
MONTH = re.compile(rf"\b({MONTHS})\b", re.IGNORECASE)
REASON = re.compile(rf"\b({REASON_WORDS})\b|,\s*so\b", re.IGNORECASE)
# "Who says / has claimed / is quoted as saying / points out …?", "Which person says …?": a question about who says
# something (the speech verbs speakers.py reads, and a few more); "thanks" is an act, answered only from the
# person's own words.
# Kept as a pattern (its words from the lexicon): besides telling a who-says question, it cuts out by position the
# claim after the verb (`said_in`), which a composed answer repeats verbatim in the question's own words.
_WHO = alternation(WHO_WORDS).replace("\\ ", r"\s+")
# "Who …", "Which person …", and "Which Swiss Re official …", "Which oil consultant …" (a few words naming a kind,
# none of them a pronoun or an auxiliary: "Which year did he say …?" asks no who)
_KIND_WORD = r"(?!(?:did|does|do|is|was|were|are|has|have|had|he|she|they|it|we|i|you)\b)[\w’'&.-]+"
WHO_ASKS = rf"^\s*(?P<asker>{_WHO}|which(?:\s+{_KIND_WORD}){{1,5}}?)\s+"
WHO_SAYS = re.compile(rf"{WHO_ASKS}(?:has\s+|had\s+|(?:is|was)\s+quoted\s+as\s+)?"
                      rf"(?P<verb>{alternation(SPEECH_FORMS | ACT_VERBS)})\b", re.IGNORECASE)
CAPITAL = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
FIRST_PERSON = re.compile(rf"\b({alternation(w.title() if w == 'i' else w for w in LEXICON_FIRST_PERSON)})\b")
PERSONAL = re.compile(rf"\b(I|my|me|{alternation(PERSON_PRONOUNS - {'hers', 'himself', 'herself'})})\b", re.IGNORECASE)


# -- reading questions and answers -----------------------------------------------------------------------
_ASKED_NOUNS = {"year": "year", "month": "month", "date": "date", "day": "date"}


def asked_by_which(token: Token) -> bool:
    """Whether a "which" or "what" determines this word, so that it is what the question asks for ("Which URL …?",
    "In what year …?")."""
    return any(c.dep_ == "det" and c.lower_ in WHICH_WORDS for c in token.children)


def asked_type(question: str) -> str | None:
    """What kind of answer the question wants, when that can be checked, read from its parse: a year, month or
    date ("what/which year …"), a time (a "when" of the main clause: not "what do they do when a paparazzo turns
    up?"), a quantity ("how many/much/old/long/often/far", also after an opening: "According to X, roughly how
    many …?"; not in a yes/no question) or a reason ("why", "for what reason", "what is the reason")."""
    doc = parse(question)
    for token in doc:
        if token.lower_ in _ASKED_NOUNS and asked_by_which(token):
            return _ASKED_NOUNS[token.lower_]
    main = {t for t in doc if t.dep_ == "ROOT"} | {t for t in doc if t.dep_ == "conj" and t.head.dep_ == "ROOT"}
    for token in doc:
        opens = token.i == 0 or (token.i == 1 and doc[0].lower_ in ("since", "until"))
        if token.lower_ == "when" and token.tag_ == "WRB" and (opens or token.head in main or token.i == len(doc) - 2):
            return "time"
        if token.lower_ == "how" and token.head.lower_ in QUANTITY_WORDS and not YES_NO.match(question):
            return "quantity"
        if token.lower_ == "why" or (token.lower_ == "reason" and any(c.lower_ == "what" for c in token.children)):
            return "reason"
    return None


_SAID_LEAD = re.compile(r"^(?:out\s+|up\s+)?(?:that\s+)?", re.IGNORECASE)  # "points out that X", "brings up X"


# A "when" answered by any date or time the parse finds ("last Sunday"), a "how many" by any number or amount; a
# question for a year, month or date wants exactly that, which the patterns above read ("the past few days" is a
# DATE to spaCy, not a date).
_TYPES_ANSWERING = {"time": TIME_TYPES, "quantity": AMOUNT_TYPES, "place": PLACE_TYPES}


def entity_types(text: str) -> set[str]:
    """The types of the named entities and numbers spaCy finds in a text (DATE, CARDINAL, GPE, PERSON, …)."""
    return {e.label_ for e in parse(text).ents}


def has_type_asked(kind: str, text: str) -> bool:
    """Whether a text holds an entity of a type that answers `kind` ("time": a DATE or TIME; "quantity": a
    CARDINAL, QUANTITY, MONEY, PERCENT or a span of time; "place": a GPE, LOC, FAC or ORG)."""
    return bool(_TYPES_ANSWERING.get(kind, frozenset()) & entity_types(text))


def asks_for_name(question: str) -> bool:
    """"What is the name of …?", "What was the group called?", "Which band was he named after?" — a question
    that wants a name, not a description."""
    doc = parse(question)
    naming = any((t.lemma_.lower() in NAME_WORDS or t.lower_ in NAME_WORDS) and not _asks_who_did(t) for t in doc)
    return naming and any(t.lower_ in ("what", "which", "who") for t in doc)


def _asks_who_did(verb: Token) -> bool:
    """"Who called the plans disgusting?", "Which paper named him?": the question word is the verb's subject, so
    it asks who did the calling or naming, not what something is called."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(t.tag_ in ("WP", "WDT") for t in subject.subtree)


def proper_names(text: str) -> list[str]:
    """Names a text gives: its named entities of a naming type and its runs of proper nouns."""
    doc = parse(text)
    found = [e.text for e in doc.ents if e.label_ in NAME_TYPES]
    run: list[str] = []
    for token in [*doc, None]:
        if token is not None and token.pos_ == "PROPN" and token.i > 0:
            run.append(token.text)
            continue
        if run:
            found.append(" ".join(run))
        run = []
    return found


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in NAME_TYPES or (
        any(ch.isdigit() for ch in token.text) and any(ch.isalpha() for ch in token.text))  # a code: "29A"


def names_equated(sentence: str) -> list[str]:
    """The names an answer gives *as* the thing asked: what it equates it with ("… is Norman Cook", "… was called
    Edward", "… is named Lily", "… was 29A", or a bare "Norman Cook."), or the other name of someone the sentence
    names twice ("Norman Cook - aka Fatboy Slim"). A name elsewhere in a description ("a schoolteacher from Leeds")
    is not one given."""
    doc = parse(sentence)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    slots = [c for r in roots for c in r.children if c.dep_ in ("attr", "oprd", "appos", "dobj", "npadvmod")]
    slots += [t for t in doc if t.dep_ in ("attr", "oprd") and t not in slots]  # the parser may hang it lower
    slots += [c for s in slots for c in s.children if c.dep_ in ("appos", "conj")]
    if any(r.lemma_.lower() in ("name", "call") for r in roots):  # "Their daughter is named Lily"
        slots += [c for r in roots for c in r.children if c.dep_ in ("xcomp", "ccomp", "nsubjpass")]
    if any(r.pos_ in ("PROPN", "NUM", "X") for r in roots):  # a bare name: "Norman Cook."
        slots += roots
    found = []
    for slot in slots:
        if _is_name(slot):
            words = [t for t in slot.subtree if _is_name(t)]
        else:  # "… was the 29A virus writing group": a name that qualifies the noun (not one after "from")
            words = [t for t in slot.subtree if t.i < slot.i and _is_name(t)]
        name = " ".join(t.text.strip(".,;:!?") for t in words).strip()
        if name:
            found.append(name)
    # "DJ Norman Cook - aka Fatboy Slim - has said …": two names of one person, each given as the other
    if any(word in sentence.lower() for word in ALIAS_WORDS):  # read (a second parse) only where one can be
        found += [m.value for m in read(sentence).marks if m.kind == ALIAS and m.value not in found]
    return found


def names_new(question: str, sentence: str) -> list[str]:
    """The names an answer equates the thing asked with (`names_equated`) that the question does not hold."""
    words = set(re.findall(r"[\w’'-]+", question.lower()))
    return [n for n in names_equated(sentence) if not set(n.lower().split()) <= words]


def asked_person(question: str) -> str | None:
    """The person a question asks something about, as its subject ("How old is Liz Yelling?" → "Liz Yelling",
    "How many goals did Radcliffe score?" → "Radcliffe"); None when its subject names no person."""
    doc = parse(question)
    for token in doc:
        # A name, whatever type the tagger gives it ("Amanda Champion" read as an organisation)
        if token.dep_ in ("nsubj", "nsubjpass") and (token.ent_type_ == "PERSON" or token.pos_ == "PROPN"):
            ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
            return ent.text if ent is not None else token.text
    return None


def number_about(quote: SourceSpan, number: str, person: str, most_named: str | None = None) -> bool | None:
    """Whether `number`, where the quote states it, is said of `person`: the number sits in the person's own mention
    ("Paula Radcliffe, 30, …", "the 30-year-old Radcliffe") or in a clause whose subject names the person or a
    pronoun read at ingest as the person, or describes someone ("the 30-year-old") when the person is the one the
    article names most (`most_named`: a news story's descriptions are of its main person). False when that clause
    is about someone or something else ("Liz Yelling revealed the 30-year-old is …" asked of Liz Yelling); None when
    the quote does not hold the number."""
    doc = parse(quote.text)
    refers = {m.start: m.value for m in quote.marks if m.kind == "REFERS"}

    def is_person(token: Token) -> bool:
        if token.ent_type_ == "PERSON" or token.pos_ == "PROPN":
            return either_speaker(token.text, person)
        return token.pos_ == "PRON" and same_speaker(refers.get(quote.start + token.idx, ""), person)

    tokens = [t for t in doc if number in t.text.replace(",", "")]
    if not tokens:
        return None
    for token in tokens:
        for node in [token, *token.ancestors]:
            if is_person(node):
                return True
            if node.pos_ in ("VERB", "AUX"):
                subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is None:
                    continue
                if any(is_person(t) and not owned_by(t, subject) for t in subject.subtree):
                    return True
                unread = [t for t in subject.subtree if t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass", "poss")
                          and quote.start + t.idx not in refers]
                if unread:
                    return None  # a "he" or an "its" never read at ingest: it may be the person ("its exposure")
                described = subject.pos_ in ("NOUN", "ADJ") and any(c.lower_ == "the" for c in subject.children)
                if described and most_named and either_speaker(person, most_named):
                    return True
                break  # a clause about someone or something else
    return False


def owned_by(token: Token, head: Token) -> bool:
    """Whether `token` names whose the phrase under `head` is, not what it is: "Amanda Champion" in "Amanda
    Champion's killer, James Ford" (a possessor, on the way up from `token` to `head`)."""
    node = token
    while node.i != head.i:
        if node.dep_ == "poss":
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def only_asked(words: set[str], quote: str) -> bool:
    """Whether the quote only asks what `words` say, not says it: they lie (all but one) in a clause a verb of
    asking opens with "if" or "whether" ("When the reporter asks if it is true that … the commander of Quds Force
    ordered them to accept the results, he says …"), or in a sentence that ends with a question mark."""
    if len(words) < 2:
        return False
    asked: list[str] = []
    for sentence in parse(quote).sents:
        if sentence.text.rstrip(" ”\"'’").endswith("?"):
            asked.append(sentence.text)
        for token in sentence:
            if token.lemma_.lower() in ASKING_VERBS:
                asked += [" ".join(t.text for t in c.subtree) for c in token.children if c.dep_ in ("ccomp", "advcl")
                          and any(m.lower_ in ASKING_MARKS for m in c.subtree if m.dep_ == "mark")]
    return any(len(words - content_words(text)) <= 1 for text in asked)


def named_with_claim(name: str, quote: str, claim: set[str]) -> bool:
    """Whether `name` sits in the clause of the quote that holds the claim (most of `claim`'s words): "Early
    estimates from the World Bank put the cost at $5bn" names its source with the claim; "These statements of
    Qais al-Khasali are new …, but it is still soon to say …" names him in one clause and says the claim, the
    author's, in the clause joined to it."""
    words = {w.lower() for w in name_words(name)}
    doc = parse(quote)
    for token in doc:
        if token.lower_ not in words:
            continue
        head = next((t for t in [token, *token.ancestors] if t.pos_ in ("VERB", "AUX")), None)
        if head is None:
            return True
        joined = {t.i for c in head.children if c.dep_ in ("conj", "cc", "parataxis") for t in c.subtree}
        clause = " ".join(t.text for t in head.subtree if t.i not in joined)
        return len(claim & content_words(clause)) * 2 >= len(claim)
    return True


def about_the_article(sentence: str) -> bool:
    """A reply that says what the article does not say ("The author does not provide any information about …",
    "The excerpts do not mention his age"): a statement about the article, not of it, that no quote can prove."""
    for root in (t for t in parse(sentence) if t.dep_ == "ROOT"):
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        negated = any(c.dep_ == "neg" for c in root.children)
        about_it = subject is not None and subject.lower_ in DOCUMENT_NOUNS
        if negated and about_it and root.lemma_.lower() in DECLINE_VERBS:
            return True
    return False


def topic_of(question: str) -> str | None:
    """What a question asks someone's words about: "What did the treasurer say about housing?" → "housing"
    (the object of "about", "on" or "regarding" hanging on a verb of speech); None for other questions."""
    doc = parse(question)
    for token in doc:
        if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "NOUN"):
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("about", "on", "regarding", "concerning", "over"):
                    objects = [c for c in prep.children if c.dep_ == "pobj"]
                    if objects:
                        return " ".join(t.text for t in objects[0].subtree)
    return None


def who_says(question: str) -> re.Match[str] | None:
    """`WHO_SAYS`'s match of a question that asks who says something: only when its verb is the one the question
    asks about in the parse, not one inside a noun phrase ("Which committee produced the report saying …?" asks
    who produced the report: "saying" modifies "report"). On every who-says question of the dev and held-back
    splits (37) the verb is the root; the one other match was that report (2026-12-07)."""
    m = WHO_SAYS.match(question)
    if m is None:
        return None
    verb = said_verb(question, m)
    while verb is not None and verb.dep_ != "ROOT":
        if verb.dep_ in ("acl", "relcl") or verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return None
        verb = verb.head
    return m


def said_verb(question: str, m: re.Match[str]) -> Token | None:
    """The token of the question's parse that a `WHO_SAYS` match read as its verb ("estimated" in "Who estimated
    …?"), with its lemma in context."""
    return next((t for t in parse(question) if t.idx <= m.start("verb") < t.idx + len(t.text)), None)


def addressee_of(question: str) -> str | None:
    """Whom a question asks something was said to: the object of a verb that names its hearer ("What did
    Stallman's lawyer tell the PSF?" → "the PSF", "What did Mark Oaten warn the committee about?" → "the
    committee"); None when it names none (or asks who was told: "Whom did he tell?")."""
    doc = parse(question)
    for token in doc:  # the question's own verb, not one in a clause about someone ("the woman who told …")
        if token.lemma_.lower() not in ADDRESSING_VERBS or token.pos_ != "VERB" or token.dep_ != "ROOT":
            continue
        for child in token.children:
            asks_whom = any(t.tag_ in ("WDT", "WP", "WP$") for t in child.subtree)
            if child.dep_ in ("dative", "dobj") and child.pos_ in ("NOUN", "PROPN") and not asks_whom:
                return doc[child.left_edge.i:child.i + 1].text  # the noun phrase, not what hangs after it
    return None


def said_in(question: str) -> str | None:
    """What a who-says question says someone said ("Who claims that X?" → "X"), or None for other questions."""
    m = who_says(question)
    return _SAID_LEAD.sub("", question[m.end():].strip().rstrip("?").strip()) if m else None


def stated_claim(question: str) -> str | None:
    """A who-says question's claim as a statement when the question has someone describe a thing as something
    ("Who described the archive profession as going through a huge period of change …?" → "the archive profession
    is going through a huge period of change …"; "Which group praised the ink as an important advance?" → "the ink
    is an important advance"), which a model can judge true or not; None for any other question. The bare words
    after the verb ("the archive profession as going through …") are no statement: asked "Is it true that …?" of
    them, the local model said no (P(yes) 0.39) to David Prior's own words (dev nw-par-12)."""
    if who_says(question) is None:
        return None
    doc = parse(question)
    verb = next((t for t in doc if t.dep_ == "ROOT"), None)
    thing = next((c for c in verb.children if c.dep_ == "dobj"), None) if verb is not None else None
    if verb is None or thing is None:
        return None
    as_ = next((c for c in [*verb.children, *thing.children] if c.dep_ == "prep" and c.lower_ == "as"), None)
    if as_ is None or not any(True for _ in as_.children):
        return None
    end = as_.i if as_.head == thing else thing.right_edge.i + 1
    be = "are" if thing.tag_ in ("NNS", "NNPS") else "is"
    return f"{doc[thing.left_edge.i:end].text} {be} {doc[as_.i + 1:as_.right_edge.i + 1].text}"


def names_author(question: str, sentence: str) -> bool:
    """A who-says question answered with the author ("Who points out …?" → "The author points out …")."""
    return bool(who_says(question) and re.search(r"\bauthor\b", sentence, re.I) and "author" not in question)


def content_words(text: str) -> set[str]:
    return set(tokenize(text))


def numbers_in(text: str) -> set[str]:
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS}
    return found


def mentions(name: str, text: str) -> bool:
    """A name in a text, allowing its inflections ("Iranian" for "Iran", "Khazali's" for "Khazali")."""
    folded = text.lower().replace("’", "'")
    if name in folded:
        return True
    prefix = name[: max(4, len(name) - 3)]
    return len(name) >= 5 and re.search(rf"\b{re.escape(prefix)}", folded) is not None


_PARTICLES = alternation(NAME_PARTICLES)
_ENTITY = re.compile(rf"(?:\b(?:{_PARTICLES})-[A-Z][\w’'-]*|(?<![\w’'-])[A-Z][\w’'.-]*)"
                     rf"(?:\s+(?:(?:{_PARTICLES})-?\s?)?[A-Z][\w’'-]*)*")
_NOT_NAMES = NOT_NAMES
_LEAD = re.compile(rf"^\s*(?:(?:{alternation(OPENING_WORDS)})\b[^,]{{0,60}},\s*)?")


def entities(text: str, question: bool = False) -> list[str]:
    """Names in a text: capitalised runs and "al-" names, leaving out a sentence's first word when it is an
    ordinary word ("What", "The", "In") and the pronoun "I". A question's first word is a name only when it
    looks like one ("Al-Khazali …", "Guido van Rossum …"), not "Apart from …" or "Besides …".

    Kept beside the parse (2026-12-06): on the 344 dev questions spaCy's named entities (with runs of proper
    nouns) read 80 differently; in the 40 of them read by hand each errs about as often: the small model splits
    or drops names it does not know ("Hanover Re" → "Hanover", "Re"; "Swiss Re" missed once) and keeps a
    possessive ("Muqtada Sadr's"), this reading glues neighbours ("al-Khazali Sharia") and skips a question's
    first name ("Radwan Hadi works …" → "Hadi").
    The binding rules were built on this reading; what the parse adds to it — whom a "he" stands
    for, a sentence's subject, aliases, a name used only as a modifier — comes from `rag/reading.py`."""
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


def modifiers(question: str) -> set[str]:
    """The names a question uses only to describe something else, lower-cased: the owner of something named in its
    own right ("Fatboy Slim's record Palookaville", "Clearswift's Pete Simpson"; not "Muqtada Sadr's son"), a
    nationality or party as an adjective ("the Tory asylum plans", "the Asian tsunami", "an Iraqi-born ayatollah"),
    or the common noun a "which" or "what" asks for ("Which URL hosts …?": a URL is the answer, not a name the quote
    must hold; dev pp-019 was withdrawn as "the quote does not mention URL"; "Which Sadr …?" still names Sadr). What
    the question is about is named apart from them, and may be quoted without them."""
    found = set()
    for token in parse(question):
        owned = [t for t in token.head.subtree if t.i > token.i and t not in token.subtree]
        named_owned = token.dep_ == "poss" and any(t.pos_ == "PROPN" for t in owned)  # not "Muqtada Sadr's son"
        # "Iraqi-born": the nationality modifies the adjective it is joined to, which describes the noun
        adjective = token.dep_ in ("amod", "compound") or (token.dep_ == "npadvmod" and token.head.dep_ == "amod")
        if token.pos_ == "NOUN" and asked_by_which(token):
            found.add(token.lower_)
        if named_owned or (token.ent_type_ == "NORP" and adjective):
            found.add(token.lower_)
            if token.dep_ == "npadvmod":
                found.add(f"{token.lower_}-{token.head.lower_}")  # the word as the question writes it
            if token.ent_type_:
                ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
                found |= {t.lower_ for t in ent} if ent is not None else set()
    return found


def same_name(a: str, b: str) -> bool:
    """"Qais al-Khazali" ~ "Al-Khazali"; "Dr Vell" ~ "Dr Mara Vell" (a title is no first name); "Muqtada Sadr" !~
    "Muhammad Sadr" or "Sadr City"."""
    x, y = ([w for w in n.lower().split() if w not in TITLES] or n.lower().split() for n in (a, b))
    if not same_speaker(x[-1], y[-1]):
        return False
    return len(x) == 1 or len(y) == 1 or same_speaker(x[0], y[0])


def full_names(named: Sequence[str], passage: str, article_names: Sequence[str] = ()) -> list[str]:
    """The longer names that hold one of `named` as a word ("Guido van Rossum" for "Guido"): the passage's, and
    the article's when it holds just one such name (a "Sadr" far from both "Muqtada Sadr" and "Muhammad Sadr"
    stands for neither)."""
    words = {n.lower() for n in named if " " not in n}
    found = [f for f in entities(passage) if " " in f and words & set(f.lower().split())]
    for word in words:
        holders = [f for f in article_names if word in f.lower().split()]
        found += holders if len(holders) == 1 else []
    return found


def name_given_back(question: str, sentence: str) -> str | None:
    """For a question asking a name ("What is the name of the BBC journalist …?"), the name an answer equates the
    thing asked with ("… is BBC", "… was Qais al-Khazali" for "… al-Khazali's son") when every such name is one the
    question already holds: no answer at all. None otherwise (also when it gives none: `gives_a_name` says so)."""
    if not asks_for_name(question):
        return None
    given = names_equated(sentence)
    asked, words = entities(question, question=True), set(re.findall(r"[\w’'-]+", question.lower()))
    opener = subject_of(sentence)
    if opener and not (set(opener.lower().split()) <= words or any(same_name(opener, a) for a in asked)):
        return None  # "Qais al-Khazali called Muqtada Sadr brother …": the answer is who opens it, not whom it calls
    if given and all(set(n.lower().split()) <= words or any(same_name(n, a) for a in asked) for n in given):
        return given[0]
    return None


_DEFINING_DEPS = frozenset({"relcl", "acl", "appos", "prep"})  # what says which one a demonstrative means


def unnamed_reference(question: str, sentence: str) -> str | None:
    """What an answer points to without naming: an object it gives as "these things", "those measures", "that
    one" (a demonstrative the question does not hold), whose meaning lies in a sentence it does not quote ("Iraqis
    still want the state to take a leading role in providing these things" for "What do opinion polls suggest
    Iraqis still want?": who-said dev ws-irq-05, shown as verified). Not a time ("that year", "this week"), nor a
    demonstrative as the subject ("this did not mean …"), which the sentence goes on to say something of; None
    when there is none. Of the verified sentences in every dev run of 2026-12-07, only ws-irq-05's held one."""
    asked = {w.lower() for w in re.findall(r"[\w’'-]+", question)}
    for token in parse(sentence):
        if token.lower_ not in DEMONSTRATIVES or token.lower_ in asked:
            continue
        phrase = token.head if token.dep_ == "det" else token
        if token.dep_ not in ("det", "dobj", "pobj") or phrase.dep_ not in ("dobj", "pobj", "attr"):
            continue
        if phrase.ent_type_ in TIME_TYPES or phrase.lower_ in asked:
            continue
        following = phrase.doc[phrase.i + 1].text if phrase.i + 1 < len(phrase.doc) else ""
        if following in (":", "-", "–", "—") or any(c.dep_ in _DEFINING_DEPS for c in phrase.children):
            continue  # "promised this: lower taxes", "those who voted", "these problems of housing": said there
        return " ".join(t.text for t in phrase.subtree if t.i <= phrase.i)
    return None


def subject_of(sentence: str) -> str | None:
    """The name a sentence opens with, after an opening phrase ("In 1995, Guido continued …" → Guido); None
    when it opens otherwise ("This Agreement …", "He was …")."""
    rest = sentence[_LEAD.match(sentence).end():]  # type: ignore[union-attr]
    m = _ENTITY.match(rest)
    if not m or m.group(0).split()[0].lower() in STOP_WORDS | _NOT_NAMES:
        return None
    return entities(m.group(0))[0] if entities(m.group(0)) else None


def question_coverage(question: str, quotes: Sequence[str], speakers: Sequence[str], passage_speakers: Sequence[str],
                      idf: Callable[[str], float]) -> float:
    """Idf-weighted share of the question's content words found in the quotes (0–1), a word also counting
    when one is the start of the other ("lead" / "leader", "Iran" / "Iranian"). The people who speak in the
    quotes (`speakers`) count as named there, and so, when a quote says "he" or "I", do the passage's
    (`passage_speakers`: "I stay in Najaf" covers "al-Khazali" in "Where does al-Khazali stay?")."""
    wanted = content_words(question)
    if not wanted:
        return 1.0
    people = list(speakers)
    if any(PERSONAL.search(q) for q in quotes):
        people += list(passage_speakers)
    have = content_words(" ".join([*quotes, *people]))
    weights = {w: idf(w) for w in wanted}
    total = sum(weights.values())
    return sum(weights[w] for w in wanted if meets(w, have)) / total if total else 1.0


_RELATION_WORDS = [(frozenset(asked.split()), frozenset(stem(w) for w in stated.split()))
                   for asked, stated in RELATIONS]  # lexicon.RELATIONS: what the question says, what a quote says


def predicate_words(question: str) -> set[str]:
    """The words of a question's main predicate: its root verb and what completes it ("Where was X born?" →
    born; "Who is the founder of X?" → is, founder), not the words of a clause inside it ("Which category have the
    Brits scrapped, prompting talk that dance music is finished?" asks nothing about finishing)."""
    doc = parse(question)
    words = set()
    heads = [t for t in doc if t.dep_ == "ROOT"]
    heads += [c for h in heads if h.pos_ == "AUX" for c in h.children if c.dep_ == "ccomp"]  # "In which city was X
    for head in heads:                                                                    # born?" read as "was … born"
        words.add(head.lower_)
        words |= {c.lower_ for c in head.children if c.dep_ in ("attr", "acomp", "xcomp", "dobj", "nsubj", "nsubjpass",
                                                                 "oprd", "conj")}
    return words


def relations_unstated(question: str, text: str) -> list[str]:
    """The relations the question asks about ("born", "heads") that `text` does not state in any of its words."""
    asked = predicate_words(question)
    have = set(stems(text))
    return [min(words & asked, key=len) for words, stated in _RELATION_WORDS if words & asked and not have & stated]


@dataclass(frozen=True)
class Evidence:
    """What an answer sentence cites: the quoted spans, the sentences around them (the quoted sentence last,
    the one before it first) and the passage they come from."""

    spans: Sequence[SourceSpan]
    sentences: Sequence[str] = ()
    passage: str = ""
    passage_speakers: Sequence[str] = ()  # who speaks anywhere in the passage ("he states" → al-Khazali)
    speakers_before: Sequence[str] = ()  # who is quoted or reported in the sentence before the quote
    article_names: Sequence[str] = ()  # the article's names of more than one word ("Guido van Rossum")
    most_named: str | None = None  # the person the article names (or refers to) most
    aliases: Sequence[tuple[str, str]] = ()  # two names the article gives one person ("Fatboy Slim", "Norman Cook")

    @property
    def quotes(self) -> list[str]:
        """What the quoted spans state (a table row with its columns' names: `SourceSpan.reads`)."""
        return [s.reads for s in self.spans]

    @property
    def speakers(self) -> list[str]:
        """Who speaks in the quoted spans (one entry per voice)."""
        return [v.speaker for s in self.spans for v in s.voices]

    @property
    def marks(self) -> list[Mark]:
        """What the parse found in the quoted sentences (`rag/reading.py`)."""
        return [m for s in self.spans for m in s.marks]

    @property
    def meant(self) -> set[str]:
        """The people and things the quoted sentences name or refer to ("she" → "Maria Okafor")."""
        return names_meant(self.marks)

    @property
    def subject(self) -> str | None:
        """Whom the last quoted sentence is about, as the parse read it at ingest: its subject's name (through a
        pronoun: "she" → "Maria Okafor"), "" when its subject names no one ("Anyone who …"), None when unread."""
        marks = [m for m in self.spans[-1].marks if m.kind == SUBJECT] if self.spans else []
        return marks[0].value if marks else None  # a span's marks are its sentence's: one subject

    def read_for(self, question: str) -> list[str]:
        """The quotes, with the sentence before them when they lack a name the question asks about ("The engineer
        … designed the bridge" for "Who designed the Lake Varn bridge?"): what the model's check reads."""
        text = " ".join(self.quotes)
        if len(self.sentences) < 2 or all(n.lower() in text.lower() or (" " not in n and mentions(n.lower(), text))
                                          for n in entities(question, question=True)):
            return self.quotes
        return [s for s in self.sentences[:-1] if s not in self.quotes] + self.quotes

    def coverage(self, question: str, idf: Callable[[str], float]) -> float:
        """How much of the question the quotes cover (`claims.question_coverage`), counting who speaks there."""
        return question_coverage(question, self.quotes, self.speakers, self.passage_speakers, idf)
