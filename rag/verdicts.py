"""A yes/no question's verdict, read from one sentence of the article by its parse.

"Is the election ink visible under normal light?" is answered "no" by "It dries and is not visible under normal
light" only if the negation falls on what is asked: the asked predicate ("visible") is the negated one, and every
word the question asks about stands in that negated clause (the subject may be a pronoun for what the sentence
before names). A negation elsewhere in the sentence ("The man who did not pay was arrested" for "Was the man
arrested?"), one that limits ("not only"), one in a condition ("if he does not pay") or a question is no denial.
A "yes" needs the asked verb stated as done, not offered or planned ("police offer the parents the opportunity to
sign a death certificate" does not say they signed: new yes/no dev set, yn-man-02, shown as "Yes" before).

A review of the change (2026-12-07) found the first version reading "no" where the negated verb only governs the
asked one ("Police have not confirmed that Smith resigned", "did not hesitate to resign"), where the negated clause
adds what was not asked ("did not win the election by a landslide", "did not arrest Tom Green's brother"), under a
modal or condition of its own ("wouldn't have resigned if …"), and for a pronoun the reading resolved to someone
else: each is now no denial (`_predicate`, `_added`, `_modal_or_conditional`; tests/test_verdicts.py).

A small model answers "yes" by reflex: asked the yes/no question over the quote alone it put P(yes) 0.96–0.995 on
the right "yes" answers of the two yes/no dev sets, but also 0.25–0.96 on the quotes this parse reads as denying
what is asked, all rightly "no" (2026-12-07; `rag/policy_weights.json`, `yes_no`). So a "yes" needs the model to be
sure (`policy._verdict_decided`), and a "no" needs this parse; the model overrules it only when near certain.
`verdict_answers` composes the answer from the sentence when the model's own draft was not verified.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from rag.attribution import Composed
from rag.citations import YES_NO, SupportScorer
from rag.claims import numbers_in
from rag.lexical import stem, stems
from rag.lexicon import (
    AMOUNT_TYPES,
    APPROXIMATE_WORDS,
    ASKING_MARKS,
    ASKS_SPEECH,
    CONDITION_MARKS,
    DENIAL_VERBS,
    LESSER_WORDS,
    LINKING_VERBS,
    MODAL_VERBS,
    NAME_TYPES,
    NEGATION_LIMITERS,
    NEGATIONS,
    NEGATIVE_PRONOUNS,
    PLANNING_WORDS,
    PREDICATE_OPPOSITES,
    TRUTH_WORDS,
)
from rag.reading import REFERS, SUBJECT, parse
from rag.spans import SourceSpan, candidate_spans, follows, whole_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from rag.chunking import Chunk
    from rag.retrieval import Passage

_FUNCTION_POS = frozenset({"AUX", "DET", "ADP", "PRON", "PUNCT", "CCONJ", "SCONJ", "PART", "SPACE", "INTJ", "X"})
_PREDICATE_DEPS = frozenset({"acomp", "attr", "oprd"})  # what a copula links to: "is not visible"
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# What completes a verb: its object, complement, and phrases of time, place or manner (`_added`).
_COMPLETING_DEPS = frozenset({"dobj", "dative", "attr", "acomp", "oprd", "prep", "agent", "npadvmod", "appos", "dep",
                              "pobj", "nummod", "advcl_"})
_UNSTATED_MARKS = ASKING_MARKS | CONDITION_MARKS  # "if he does not pay": a condition, no denial
_LINKING_STEMS = frozenset(stem(v) for v in LINKING_VERBS)  # "becom" of "becoming": no word of the claim itself
_CONTRACTED_MODALS = {"'ll": "will"}  # "she'll come out of it a better athlete"
_REPORTED_MODALS = {"will": "would", "can": "could", "shall": "should"}  # "announced they would no longer …"
MAX_SENTENCES = 3  # the most relevant sentences a composed verdict is drawn from


@dataclass(frozen=True)
class Asked:
    """What a yes/no question asks, as stems: the words of its claim, who it asks about the claim ("Does Norman
    Cook believe …": their words stand outside the claim), the claim's subject (its head and the words before it),
    and its verbs."""

    words: frozenset[str]
    speaker: frozenset[str]
    subject: frozenset[str]
    subject_head: str | None
    verbs: frozenset[str]
    modals: frozenset[str] = frozenset()  # "Could Zurich assess …?": a "could not" answers it, a "would not" no
    conditional: bool = False  # "… could be put at risk if refugees are turned away?": a condition is what is asked


def _key(token: Token) -> str:
    return stem(token.lemma_.lower())


def _tokens(text: str) -> list[Token]:
    """The parsed words of `text` (none for no text)."""
    return list(parse(text)) if text else []


def _content(tokens: Sequence[Token] | Iterator[Token]) -> set[str]:
    return {_key(t) for t in tokens if t.pos_ not in _FUNCTION_POS and not t.is_stop}


@functools.lru_cache(maxsize=256)  # read for every sentence of an answer and every check of one (`policy`)
def asked(question: str) -> Asked | None:
    """The claim a yes/no question asks about; None for any other question, or one asked in the negative ("Isn't
    it …?", "Does he not …?"), whose "no" would mean yes."""
    if not YES_NO.match(question):
        return None
    doc = parse(question)
    if any(t.dep_ == "neg" or t.lower_ in NEGATIVE_PRONOUNS for t in doc):
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    claim, speaker = list(doc), set[str]()
    framed = [c for c in root.children if c.dep_ == "ccomp"]
    if root.lemma_.lower() in ASKS_SPEECH and framed:  # "Does X believe/think/say (that) …?"
        claim = list(framed[0].subtree)
        speaker = _content([t for c in root.children if c.dep_ in _SUBJECT_DEPS for t in c.subtree])
    subject = next((c for t in claim for c in t.children if c.dep_ in _SUBJECT_DEPS and c in claim), None)
    words = _content(claim)
    if not words:
        return None
    # The subject up to its head: "the election ink" of "Is the election ink visible under normal light?", which
    # the parser reads with "visible under normal light" as the subject's own modifier.
    return Asked(frozenset(words), frozenset(speaker),
                 frozenset(_content(t for t in subject.subtree if t.i <= subject.i)) if subject is not None
                 else frozenset(),
                 _key(subject) if subject is not None and subject.pos_ != "PRON" else None,
                 frozenset(_key(t) for t in claim if t.pos_ == "VERB"),
                 frozenset(_modal(t) for t in doc if _modal(t)),
                 any(_conditions(t) for t in claim))


def _negated_heads(doc: Doc) -> Iterator[Token]:
    """The words a negation in the sentence falls on: "not"/"never"/"no longer" on its verb or adjective,
    "nobody"/"nothing" on its verb, "no" on its noun's verb ("has no outcome"); not "not only" and the like, which
    add."""
    for t in doc:
        following = t.nbor(1).lower_ if t.i + 1 < len(doc) else ""
        negates = t.dep_ == "neg" and following not in NEGATION_LIMITERS and t.head.lower_ not in NEGATION_LIMITERS
        if negates or (t.lower_ in NEGATIVE_PRONOUNS and t.dep_ in (*_SUBJECT_DEPS, "dobj")):
            head = t.head
            while head.dep_ == "advmod" and head.head.i != head.i:  # "no longer be awarding": the verb
                head = head.head
            yield head
        elif t.lower_ == "no" and t.dep_ == "det" and t.head.dep_ in ("dobj", "attr", *_SUBJECT_DEPS):
            yield t.head.head


def _clause(head: Token) -> list[Token]:
    """The words of `head`'s clause: its subtree without the clauses joined to it ("… but glows under UV light")."""
    found, stack = [], [head]
    while stack:
        token = stack.pop()
        found.append(token)
        stack += [c for c in token.children if c.dep_ not in ("conj", "cc")]
    return found


def _unstated(token: Token) -> bool:
    """Whether `token` lies in a condition or an embedded question ("if …", "whether …") or a question."""
    for t in (token, *token.ancestors):
        if any(c.dep_ == "mark" and c.lower_ in _UNSTATED_MARKS for c in t.children):
            return True
    return token.sent.text.rstrip().endswith("?")


def _subject_of(head: Token) -> Token | None:
    """The subject of `head`'s clause, the first verb's for a second one that shares it ("It dries and is not …")."""
    for t in (head, *head.ancestors):
        subject = next((c for c in t.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None or t.dep_ != "conj":
            return subject
    return None


def _predicate(head: Token) -> set[str]:
    """What a negation on `head` denies: the word, what a copula links it to ("is not visible"), and the object that
    carries the negation ("has nothing to do with the troubles", "have no link"). Not a clause the word governs:
    "did not confirm that he resigned", "did not hesitate to resign" deny nothing of the resigning."""
    linked = [c for c in head.children if c.dep_ in _PREDICATE_DEPS]
    negating = [t for c in head.children if c.dep_ == "dobj"
                and (c.lower_ in NEGATIVE_PRONOUNS or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children))
                for t in c.subtree]
    return {_key(t) for t in (head, *linked, *negating)}


def _negated_predicates(claim: Asked, doc: Doc) -> Iterator[Token]:
    """The words a negation falls on that head the question's claim ("is not visible" for "Is … visible?"),
    outside a condition or a question."""
    for head in _negated_heads(doc):
        if _predicate(head) & claim.words and not _unstated(head) and head.lemma_.lower() not in DENIAL_VERBS \
                and not _modal_or_conditional(head, claim):
            yield head  # "did not deny that it failed" says it failed


def _modal_or_conditional(head: Token, claim: Asked) -> bool:
    """A negated verb under a modal the question does not ask with ("wouldn't have resigned", "may not pay"), or
    with a condition of its own ("… if he had known"): no denial of what was done."""
    asked_with = claim.modals | {_REPORTED_MODALS[m] for m in claim.modals if m in _REPORTED_MODALS}
    modals = {_modal(c) for c in head.children if c.dep_ == "aux" and _modal(c)} - asked_with
    return bool(modals) or (_conditions(head) and not claim.conditional)


def _modal(token: Token) -> str:
    """The modal verb `token` is, by its lemma ("'ll", "’ll" are "will"), or ""."""
    written = token.lower_.replace("’", "'")
    readings = (written, token.lemma_.lower(), _CONTRACTED_MODALS.get(written, ""))
    return next((w for w in readings if w in MODAL_VERBS), "")


def _conditions(head: Token) -> bool:
    """Whether a condition hangs on `head` ("… if he had known")."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)
               for c in head.children)


def negation_apart(question: str, quote: str) -> bool:
    """Whether `quote` holds every word of the yes/no `question`'s claim, no negation falls on one of them and the
    claim's verbs stand outside every negated clause: its "not" says nothing of what is asked ("'You cannot put
    them in a box,' said Pete Simpson, head of the threat laboratory at Clearswift" for "Does Pete Simpson head
    the threat laboratory at Clearswift?")."""
    claim = asked(question)
    if claim is None:
        return False
    doc = parse(quote)
    if not claim.words <= {_key(t) for t in doc}:
        return False
    heads = list(_negated_heads(doc))
    negations = [t for t in doc if t.lower_ in NEGATIONS or t.lower_ in ("n't", "n’t") or t.dep_ == "neg"]
    if len(negations) > len(heads):  # a negation the parse does not place ("without making …"): not apart
        return False
    if any(_predicate(head) & (claim.words | TRUTH_WORDS) for head in heads):  # "…, a claim that is not true"
        return False
    governed = {_key(t) for head in heads for c in head.children if c.dep_ in ("ccomp", "xcomp") for t in c.subtree}
    if governed & claim.words:  # "The ink is harmful, officials did not say."
        return False
    # A negated clause may share the claim's subject ("… has said that dance music is not dead, but has admitted it
    # is going through a fallow patch"), not its verbs: each stands outside every negated clause.
    negated = {t.i for head in heads for t in _clause(head)}
    return all(any(_key(t) == verb and t.i not in negated for t in doc) for verb in claim.verbs)


def meant_in(span: SourceSpan) -> dict[int, str]:
    """The pronouns of `span` the reading resolved to a person, by their offset in its text ("him" → "Richey
    Edwards")."""
    return {m.start - span.start: m.value for m in span.marks
            if m.kind == REFERS and m.value and span.start <= m.start < span.end}


def denies(question: str, sentence: str, before: str = "", meant: Mapping[int, str] | None = None,
           context: str = "") -> bool:
    """Whether `sentence` states the opposite of what the yes/no `question` asks, by a negation that falls on
    the asked predicate with every asked word in the negated clause; the question's speaker ("Does Norman Cook
    believe …") is named in the sentence or the one `before` it, and a pronoun stands for the person the reading
    says it does (`meant`, by offset: "do not track him down") or, as the subject, for what `before` names. The
    subject's other words may stand in the passage around it (`context`, `_subject_stands`): "It" for "the
    election ink" after "The ink is sprayed …", "Radcliffe" for "Paula Radcliffe"."""
    claim = asked(question)
    if claim is None:
        return False
    doc = parse(sentence)
    names = _resolved(doc, meant)

    def keys(tokens: Iterable[Token]) -> set[str]:  # a resolved pronoun reads as its person's name
        return {k for t in tokens for k in names.get(t.i, {_key(t)})}

    before_doc = _tokens(before)
    around = keys(doc) | {_key(t) for t in before_doc}
    if not claim.speaker <= around:
        return False
    for head in _negated_predicates(claim, doc):
        missing = _unheld(claim, head, doc, keys, names, before_doc, around, context)
        # Nothing denied that was not asked: "did not win the election by a landslide", "did not arrest Tom Green's
        # brother" say nothing of the question's claim (`_added`).
        if not missing and not _added(head, claim, names):
            return True
    return False


def _resolved(doc: Doc, meant: Mapping[int, str] | None) -> dict[int, set[str]]:
    """The sentence's pronouns the reading resolved to a person, by token, as that person's name stems."""
    meant = meant or {}
    return {t.i: {stem(w.lower()) for w in meant[t.idx].split()} for t in doc if t.idx in meant}


def _plain_keys(tokens: Iterable[Token]) -> set[str]:
    return {_key(t) for t in tokens}


def _unheld(claim: Asked, head: Token, doc: Doc, keys: Callable[[Iterable[Token]], set[str]],
            names: Mapping[int, set[str]], before_doc: Sequence[Token], around: set[str], context: str,
            beside: Iterable[str] = ()) -> set[str]:
    """The claim's words (but `beside`) that `head`'s clause does not hold, its subject's included (the first verb's
    for a second one that shares it: "… and have"); the subject's words when it is the claim's written shorter
    (`_subject_stands`)."""
    subject = _subject_of(head)
    own = list(subject.subtree) if subject is not None else []
    clause = [*_clause(head), *(own if subject is not None and subject.head.i != head.i else ())]
    missing = set(claim.words) - set(beside) - keys(clause)
    if missing and subject is not None and subject.i not in names \
            and _subject_stands(claim, subject, [*before_doc, *doc[:subject.i]], around, context):
        missing -= claim.subject
    return missing


def opposes(question: str, sentence: str, before: str = "", meant: Mapping[int, str] | None = None,
            context: str = "") -> bool:
    """Whether `sentence` answers the yes/no `question` "no" by stating the opposite of what it asks of the same
    subject (`lexicon.PREDICATE_OPPOSITES`): "Viruses written to make headlines by infecting millions are getting
    rarer" for "Are viruses written to make headlines … becoming more common?" (yes/no dev yn-ric-01, withheld).
    Every other word of the claim stands in that clause, as for `denies`, the linking verb aside ("are getting" —
    "becoming"); not when the opposite is negated, planned or conditional, or a comparison turns it ("less
    common", "fewer")."""
    claim = asked(question)
    if claim is None:
        return False
    wanted = _opposites_asked(parse(question))
    if not wanted:
        return False
    asked_words, opposite = wanted
    doc = parse(sentence)
    names = _resolved(doc, meant)
    before_doc = _tokens(before)
    around = {_key(t) for t in (*doc, *before_doc)}
    if not claim.speaker <= around:
        return False
    for said in doc:
        if said.lemma_.lower() not in opposite and said.lower_ not in opposite:
            continue
        head = said.head if said.dep_ in _PREDICATE_DEPS else said
        if said.pos_ not in ("VERB", "ADJ") or head.pos_ not in ("VERB", "AUX") or _unstated(head) \
                or _modal_or_conditional(head, claim) or any(c.lower_ in LESSER_WORDS for c in said.children) \
                or any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in (*head.children, *said.children)):
            continue
        missing = _unheld(claim, head, doc, _plain_keys, names, before_doc, around, context,
                          asked_words | _LINKING_STEMS)  # "are getting" for "becoming"
        if not missing and not _added(head, claim, names) - {_key(said)}:
            return True
    return False


def _opposites_asked(question: Doc) -> tuple[set[str], set[str]] | None:
    """The stems of what a yes/no question asks of its subject (a predicate adjective, "more common", or its main
    verb, "lose") and the words that say the opposite; None when it asks none of `lexicon.PREDICATE_OPPOSITES` or
    asks a lesser degree ("less common")."""
    for token in question:
        asked_here = token.dep_ in _PREDICATE_DEPS or (token.pos_ == "VERB" and token.dep_ == "ROOT")
        if not asked_here or any(c.lower_ in LESSER_WORDS for c in token.children):
            continue
        for one, other in PREDICATE_OPPOSITES:
            for a, b in ((one, other), (other, one)):
                if token.lower_ in a or token.lemma_.lower() in a:
                    return {_key(token)} | {_key(c) for c in token.children if c.lower_ == "more"}, set(b)
    return None


def _added(head: Token, claim: Asked, names: Mapping[int, set[str]]) -> set[str]:
    """The words the negated clause adds to the question's claim in what completes its verb — an object, a
    complement, a phrase of time, place or manner ("by a landslide", "Tom Green's brother", "not the woman") —
    leaving aside adverbs ("likewise", "simply"), clauses hung on ("…, saying …", "with the committee announcing
    …") and its subject."""
    found: set[str] = set()
    for child in head.children:
        if child.dep_ not in _COMPLETING_DEPS:
            continue
        words = _clause(child)  # "the troubles of David Blunkett or Boris Johnson": each one denied
        hung = {t.i for t in words if _hung_on(t) for t in t.subtree}  # "…, with the committee announcing …"
        found |= _content(t for t in words if t.pos_ != "ADV" and t.i not in names and t.i not in hung)
    return found - claim.words


def replaced_value(question: str, quote: str, names: bool = True) -> tuple[str, str] | None:
    """The value a yes/no question asks that `quote` gives otherwise, as (asked, given): a name the quote does not
    hold where it names another of the same kind ("Did the elections in *Serbia* show …?" — "as the elections in
    *Afghanistan* showed, …": new yes/no dev ym-ink-14, a "yes" the model put 0.94 on), or a number of the same
    unit ("five years" — "the four years since his last album"). None when the quote holds the asked value, gives
    none of its kind, or writes an amount in other units ("thirty years" — "three decades"). Without `names`,
    only an exact amount: "about 300", "more than 100" are not denied by another number."""
    claim = asked(question)
    if claim is None:
        return None
    doc, said = parse(question), parse(quote)
    held = {_key(t) for t in said}
    for entity in doc.ents:
        if {_key(t) for t in entity} <= claim.speaker:
            continue  # who is asked to say it ("Does Cook say …?" over "I'm always …"): the speaker rules' to bind
        if entity.label_ in NAME_TYPES and names:
            if {_key(t) for t in entity if not t.is_stop} & held:
                continue  # named there, whole or in part ("Radcliffe" for "Paula Radcliffe")
            others = [e for e in said.ents if e.label_ == entity.label_ and e.text.lower() not in question.lower()]
        elif entity.label_ in AMOUNT_TYPES and numbers_in(entity.text):
            if numbers_in(entity.text) & numbers_in(quote) or (not names and _approximate(entity)):
                continue
            others = [e for e in said.ents if e.label_ == entity.label_ and numbers_in(e.text)
                      and _unit(e) == _unit(entity)]
        else:
            continue
        if others:
            return entity.text, others[0].text
    return None


def _approximate(amount: Span) -> bool:
    """An amount given as a bound or a guess ("about 300", "more than 100", "at least five")."""
    before = amount.doc[max(amount.start - 2, 0):amount.start]
    return any(t.lower_ in APPROXIMATE_WORDS for t in (*before, *amount))


def _unit(amount: Span) -> str:
    """What an amount counts ("year" of "five years"); "" for a bare number or year ("1605")."""
    return "" if amount.root.like_num else amount.root.lemma_.lower()


def other_value(question: str, sentence: str, before: str = "", context: str = "") -> bool:
    """Whether `sentence` answers the yes/no `question` "no" by stating its claim with another amount in place of the
    asked one (`replaced_value`): every other word of the claim is there, its subject perhaps written shorter. Not
    another name: naming others does not deny the one asked ("used in countries as varied as Serbia, South Africa
    …" for "… in Brazil?", "nothing to do with David Blunkett" for "… with Tony Blair?": both composed as "no" on
    the near-topic dev questions, ymu-ink-04 and yu-par-12, when names counted)."""
    claim = asked(question)
    swap = replaced_value(question, sentence, names=False)
    if claim is None or swap is None:
        return False
    rest = replace(claim, words=claim.words - {_key(t) for t in parse(swap[0])})
    return _holds_words(rest, sentence, before, context)


def _hung_on(token: Token) -> bool:
    """A phrase set off by a comma that holds a verb of its own ("…, with the committee announcing …"; deeper in
    the clause: "… the kind of fast course that tends to suit Radcliffe better, with the undulating finish through
    the park testing the legs' final reserves") adds nothing to what is denied; a manner without the comma does
    ("did not win the race by cheating" says he won it)."""
    return token.dep_ == "prep" and token.i > 0 and token.nbor(-1).text == "," \
        and any(t.pos_ == "VERB" for t in token.subtree if t.i != token.i)


def _subject_stands(claim: Asked, subject: Token, earlier: Sequence[Token], around: set[str], context: str) -> bool:
    """Whether the sentence's `subject` is the claim's, written shorter: a pronoun for the last thing named
    `earlier` with the claim subject's head ("It" after "The ink is sprayed …"), or the head itself ("Radcliffe"
    for "Paula Radcliffe"); in either, the subject's other words stand `around` (the sentence and the one before)
    or in the passage (`context`: an article about ink in elections for "the election ink"; for a name, the whole
    name as the question writes it), and the words that say which one it is are the claim's ("The blue car …
    It" is not "the red car")."""
    if claim.subject_head is None:
        return False
    if subject.pos_ == "PRON":
        named = [t for t in earlier if _key(t) == claim.subject_head]
        if not named:
            return False
        subject = named[-1]
    elif _key(subject) != claim.subject_head:
        return False
    which = {_key(c) for c in subject.children if c.dep_ in ("amod", "compound", "nmod", "poss")}
    if not which <= claim.subject:
        return False
    rest = claim.subject - around
    if subject.pos_ == "PROPN":  # a person: the whole name in the passage, not a first name of someone else's
        return not rest or _name_in(claim, context)
    return rest <= set(stems(context))


def _name_in(claim: Asked, context: str) -> bool:
    """Whether the passage writes the claim's subject as the question does (its words in order, at the head)."""
    words = stems(context)
    size = len(claim.subject)
    return any(set(words[i:i + size]) == claim.subject and words[i + size - 1] == claim.subject_head
               for i in range(len(words) - size + 1))


def asserts(question: str, quote: str) -> bool:
    """Whether `quote` states the question's verb as done somewhere it has it: not only offered or planned ("the
    opportunity to sign"), asked, in a condition, or with a modal the question does not ask with ("will resign",
    "may resign"). True when the quote has none of the question's verbs."""
    claim = asked(question)
    if claim is None:
        return True
    found = [t for t in parse(quote) if t.pos_ == "VERB" and _key(t) in claim.verbs]
    return not found or any(not _only_offered(t) and not _unstated(t) and not _modal_or_conditional(t, claim)
                            for t in found)


def _only_offered(verb: Token) -> bool:
    """A verb as what someone may or plans to do: "the opportunity to sign", "plans to cut"."""
    return verb.dep_ in ("acl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and verb.head.lemma_.lower() in PLANNING_WORDS


def verdict_answers(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk]) -> Iterator[Composed]:
    """For a yes/no question: "No" with the sentence that denies what is asked, or "Yes" with one that holds its
    every word and states its verb as done — the first of the `MAX_SENTENCES` sentences of the passages most
    relevant to the question that does either, and only that one (a "yes" the model cannot confirm is not made
    into a "no" by a sentence further down). Whether a "yes" is right is for the policy to judge with the model."""
    claim = asked(question)
    if claim is None:
        return
    sentences = whole_sentences(candidate_spans(passages))
    if not sentences:
        return
    relevance = scorer.relevance(question, sentences)
    for i in (int(i) for i in np.argsort(-np.asarray(relevance), kind="stable")[:MAX_SENTENCES]):
        sentence = sentences[i]
        before = sentences[i - 1].text if i > 0 and follows(sentences[i - 1], sentence) else ""
        context = next((p.text for p in passages if p.source == sentence.source
                        and p.start <= sentence.start and sentence.end <= p.end), "")
        meant = meant_in(sentence)
        if denies(question, sentence.text, before, meant, context) \
                or opposes(question, sentence.text, before, meant, context) \
                or other_value(question, sentence.text, before, context):
            yield f"No: \u201c{_quoted(sentence)}\u201d", (sentence,), (1.0,), None
            return
        if _holds(claim, sentence, before, context) and asserts(question, sentence.text):
            yield f"Yes: \u201c{_quoted(sentence)}\u201d", (sentence,), (1.0,), None
            return  # the most relevant sentence that speaks to the claim decides: a less relevant "no" is no answer


def _holds(claim: Asked, sentence: SourceSpan, before: str, context: str = "") -> bool:
    """Whether `sentence` holds every word of the claim, its subject perhaps as a pronoun for the person the reading
    says it stands for (`_holds_words`)."""
    meant = {_key(t) for m in sentence.marks if m.kind in (REFERS, SUBJECT) for t in parse(m.value)}
    return _holds_words(claim, sentence.text, before, context, meant)


def _holds_words(claim: Asked, text: str, before: str, context: str, meant: set[str] | frozenset[str] = frozenset()
                 ) -> bool:
    """Whether `text` holds every word of the claim, its subject perhaps among the words a pronoun is `meant` for,
    or written shorter (`_subject_stands`: for what the sentence before names)."""
    doc = parse(text)
    words = {_key(t) for t in doc}
    missing = claim.words - words
    if not missing:
        return True
    if not missing <= claim.subject:
        return False
    if missing <= meant:
        return True
    before_doc = _tokens(before)
    around = words | {_key(t) for t in before_doc}
    return any(_subject_stands(claim, s, [*before_doc, *doc[:s.i]], around, context)
               for s in doc if s.dep_ in _SUBJECT_DEPS)


def _quoted(sentence: SourceSpan) -> str:
    return sentence.text.strip()
