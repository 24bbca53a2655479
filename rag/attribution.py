"""Who-says questions answered from the speaker marks: "Who says that X?" → "<speaker> says that X."; a
who-question whose answer the article gives as "he"; and, when the model's draft is not verified, "What did X
say …?" answered with X's own words (`words_answers`).

A small model asked "who says …" copies the quote ("We thank Iran …"), answers with a pronoun, or names a person it saw
nearby; yet the engine already knows who says every span (`rag/speakers.py`, read at ingest). So the answer to a
who-says question is composed, not generated: the question's own words with its "Who" replaced by the speaker of the
span that states the claim best, citing that span. The span must hold every number the claim holds ("1.6.1") and support
the claim at least as well as an answer sentence needs to be cited at all — or, with a model, be a speaker's other than
the author's whose words the model confirms state the claim (`speaker_answers(below_line=True)`); a span that reports
someone else's words inside it ("According to CNRI, Stallman's lawyer has told …") or narrates an act ("he thanks Iran",
told by the author) is left to the model.

The same holds for "Who was one of the leaders of the Mehdi corps?" when the article says "He was … one of the
leaders …": the model copies the "he", but the sentences before it name him as their subject ("Al-Khazali was
born … He was a student …"), so the answer names him in the question's words and cites both sentences.

The composed sentence is verified by the answer policy (`rag/verification.py`): every hard rule (the
speaker must be the quote's, the claim stated as asked, its facts in the quote), then a confidence. No model
wrote it, so the model's certainty is no signal, and its yes/no probability that the quote answers the *question*
("Who says …?") did not separate right from wrong composed answers (0.57–0.63 on right ones, 0.45–0.53 on
unanswerable ones). What does is the question a quote check asks of a paraphrase: is it true that <the claim>,
against the cited span (`Prompts.claim_question`; on the dev composed answers that pass the rules, right ones
0.74–0.91 but one, the wrong one 0.35). So with a model a who-says answer's confidence is fitted over the span's
support and that P(yes) (`composed_llm` weights, `evals/src/calibrate_composed.py`), and never above a P(yes) under
0.5, the model's "no" (`policy.judge`: the held-back hq-a39, support 0.64 and P(yes) 0.37, came out at 0.73); without
a model it is the
extractive draft's, from the quote's coverage of the question and its relevance. This module only proposes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from rag.chunking import Chunk
from rag.citations import YES_NO, SupportScorer
from rag.claims import WHO_SAYS, numbers_in, said_in, said_verb, stated_claim, subject_of, who_says
from rag.lexical import meets, tokenize
from rag.lexicon import ACT_VERBS, LINKING_WORDS, PERSON_TYPES, QUANTITY_WORDS, alternation
from rag.quotations import QUOTE_CHARS
from rag.reading import described_person, parse, subject_token
from rag.retrieval import Passage
from rag.spans import SourceSpan, candidate_spans, follows, whole_sentences
from rag.speakers import AUTHOR, Voice, asked_speaker, either_speaker, named_in, same_speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

_ACTS = ACT_VERBS  # verbs of an act, not of a statement
MAX_DESCRIPTION = 8  # words before a speaker's name that describe them ("Prudential Equity Group insurance analyst")
# "Who was one of …?", "According to the author, who might be …?" (not "Who did he meet?": its subject is "he").
_WHO_DID = re.compile(r"^(?P<lead>\s*(?:according\s+to\s+[^,?]+,\s*)?)who\s+(?!(?:do|does|did)\b)"
                      r"(?P<rest>[^?]+?)\s*\?*\s*$", re.IGNORECASE)
_HE_FIRST = re.compile(rf"^\W*(?:(?:{alternation(LINKING_WORDS)})\b[^,]{{0,20}},?\s*)?(?:he|she)\b",
                       re.IGNORECASE)


def claim_of(question: str) -> str | None:
    """What a who-says question says someone said ("Who claims that X?" → "X"), or None for other questions."""
    claim = said_in(question)
    return claim if claim and len(tokenize(claim)) >= 2 else None  # "Who wrote the article?": no claim to look for


def compose(question: str, speaker: str) -> str:
    """The question as an answer: its "Who" (or "Which person") replaced by `speaker` ("The author points out …")."""
    m = WHO_SAYS.match(question)
    if not m:
        raise ValueError(f"not a who-says question: {question!r}")
    rest = question[m.end("asker"):].strip().rstrip("?").rstrip()
    return f"{speaker[:1].upper()}{speaker[1:]} {rest}."


# The sentence, the spans it cites, their support, and (a who-says answer) the claim the cited span must state: what
# a model, when there is one, is asked to confirm of that span.
Composed = tuple[str, tuple[SourceSpan, ...], tuple[float, ...], str | None]


def composed_answer(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float,
                    main_person: Callable[[str], str | None]) -> Composed | None:
    """A who-says answer from the speaker marks, else a who-question's "he" named; None when neither applies."""
    return next(composed_answers(scorer, question, passages, threshold, main_person), None)


def composed_answers(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float,
                     main_person: Callable[[str], str | None], below_line: bool = False) -> Iterator[Composed]:
    """The composed answers to try, best first: a who-says answer for each speaker in turn (`speaker_answers`,
    past the support line too when `below_line`), else a who-question's "he" named."""
    speakers = speaker_answers(scorer, question, passages, threshold, below_line)
    first = next(speakers, None)
    if first is not None:
        yield first
        yield from speakers
        return
    found = pronoun_answer(scorer, question, passages, threshold, main_person)
    if found is not None:
        yield found


def speaker_answer(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float
                   ) -> Composed | None:
    """The composed answer, the span of `passages` it cites, that span's support of the claim, and the claim; None
    when the question is not a who-says question (checked first: every question passes here) or no span holding
    the claim's numbers supports it at `threshold`."""
    return next(speaker_answers(scorer, question, passages, threshold), None)


def speaker_answers(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float,
                    below_line: bool = False) -> Iterator[Composed]:
    """`speaker_answer` for each speaker in turn, by the support of the best span each says the claim in. The claim
    a model is to confirm comes only with a speaker the reading named: "the author" is also what the reading says
    of narration whose speaker it missed ("his parents … plead for their son to …", held-back nw-man-13, where the
    model confirmed the claim and "The author begged …" was shown), and the model checks the claim, not the
    speaker; so an answer naming the author is judged without it, as before the check existed. When
    the span that supports the claim best is the author's narration of it, the next speaker's may be the one that
    states it in other words ("that would be madness" for "it would be crazy"), which only a model's check of the
    claim can tell (`Engine` tries the next only then). Stops where `speaker_answer` leaves the question to the
    model.

    `below_line` (with a model only): go on past the spans that support the claim at `threshold`, to speakers other than
    the author whose words state it in other words the embedding does not see ("So many things are unclear, it is just
    too early to tell," said Serge Troeber — for "far too soon to judge what the tsunami will cost": support 0.21, the
    model's P(yes) that the span states the claim 0.88; dev nw-dis-10). Such an answer is no surer than that P(yes)
    (`policy.judge`). On the 23 dev who-says questions (2026-12-07, every speaker of each: 64 candidates, 29 below the
    line, 8 of those someone else's than the author's and passing the rules; `evals/src/who_candidates.py`) Troeber's is
    the only one whose P(yes) reaches 0.70; the seven others reach 0.58 (the Financial Times for the same claim, wrong,
    which the fitted weights put at 0.73). The author's narration below the line is never tried: no model checks it."""
    claim = claim_of(question)
    spans = candidate_spans(passages) if claim else []
    if claim is None or not spans:
        return
    numbers = numbers_in(claim)
    # The model confirms claims, not speakers; a claim read as a statement where the question describes something as
    # something ("… the profession as going through …").
    statement = stated_claim(question) or claim
    an_act = (m := who_says(question)) is not None and m.group("verb").lower() in _ACTS
    asked_verb = said_verb(question, m) if m is not None else None
    scores = scorer.scores(claim, spans)
    tried: set[str] = set()
    for i in (int(i) for i in np.argsort(-scores, kind="stable")):
        below = bool(scores[i] < threshold)
        if below and not below_line:
            return
        if spans[i].voice.speaker in tried:
            continue  # only a speaker's best span is offered
        if numbers <= numbers_in(spans[i].text):
            voice = spans[i].voice
            # "According to CNRI, Stallman's lawyer has told …": whose words? "he thanks Iran", told by the author, is
            # his act, not the author's. The best span so read leaves the question to the model; a later one is
            # passed over.
            holding = _sentence_holding(spans[i], spans)
            others = voice.how == "author" and asked_verb is not None and _done_by_another(asked_verb, holding.text)
            if nested_speaker(spans[i].text, voice.speaker) or (an_act and voice.how == "author") or others:
                if not tried:
                    return
                continue
            if not (below and voice.how == "author"):  # a speaker already tried was passed over above
                tried.add(voice.speaker)
                who, cited = _as_introduced(voice.speaker, holding, spans)
                checked = None if voice.how == "author" else statement
                yield compose(question, who), cited, tuple(float(scores[i]) for _ in cited), checked


def _done_by_another(verb: Token, text: str) -> bool:
    """Whether `text`, the author's narration, has someone as the subject who does what a who-says question asks
    about (`verb`, the question's): "A spokeswoman for Hanover Re, …, estimated tsunami-related damage claims would
    be …" (the parser reads "estimated" as an adjective of "claims", so no speaker is marked) answers "Who estimated
    …?" with the spokeswoman, never "The author estimated …"."""
    doc = parse(text)
    if not any(t.lemma_.lower() == verb.lemma_.lower() or t.lower_ == verb.lower_ for t in doc):
        return False
    subject = subject_token(doc)
    return subject is not None and (described_person(subject) is not None or subject.ent_type_ in PERSON_TYPES)


def _sentence_holding(span: SourceSpan, spans: Sequence[SourceSpan]) -> SourceSpan:
    """The whole sentence a clause window lies in, when all of it is said by the clause's speaker: what a who-says
    answer then cites and the model reads (else `span` itself). The clause that embeds nearest a claim may leave
    part of it out ("… is in an enormous period of change" for "… a huge period of change driven mostly by IT":
    P(yes) 0.43, the whole sentence 0.98, dev nw-par-12); its support stays the answer's. A sentence that holds
    other voices stays cut to the clause: widened, the quote was no longer the speaker's alone and three right
    who-says answers were withdrawn (held-back hq-a18, hq-a36, hq-a42: the author's words around al-Khazali's)."""
    if not span.is_clause:
        return span
    whole = next((s for s in spans if not s.is_clause and s.source == span.source
                  and s.start <= span.start and span.end <= s.end), span)
    return whole if whole.speakers == {span.voice.speaker} else span


def _as_introduced(speaker: str, span: SourceSpan, spans: Sequence[SourceSpan]) -> tuple[str, tuple[SourceSpan, ...]]:
    """`span`'s speaker as the passages introduce them (`introduced`), with the spans to cite: `span` alone when it
    introduces them itself or no earlier sentence of its article does ("the author" never is), else that sentence
    first ("Sports psychologist Hugh Richards said …", citing where the article calls him that)."""
    named = introduced(speaker, spans)
    if named is None:
        return speaker, (span,)
    described, sentence = named
    if described in span.text:
        return described, (span,)
    if sentence.source == span.source and sentence.end <= span.start:
        return described, (sentence, span)
    return speaker, (span,)


def introduced(speaker: str, spans: Sequence[SourceSpan]) -> tuple[str, SourceSpan] | None:
    """How the passages first introduce a speaker, when they give more than the name: the words before the name
    that describe the person ("Sports psychologist Hugh Richards", "Liberal Democrat spokesman Mark Oaten",
    "Clearswift's Pete Simpson"), read from the parse of the first whole sentence that names them in full, with
    that sentence; None when no sentence does or the name stands alone. A reader asking "Who said …?" learns who
    the person is, as the article tells it. The words are as the sentence writes them ("sports psychologist Hugh
    Richards" inside it): an answer that opens with them capitalises them (`compose`)."""
    if " " not in speaker or not speaker[:1].isupper():
        return None
    for sentence in whole_sentences(spans):
        at = sentence.text.find(speaker)
        if at < 0:
            continue
        doc = parse(sentence.text)
        inside = [t for t in doc if at <= t.idx < at + len(speaker)]
        if not inside:
            return None
        head = max(inside, key=lambda t: len(list(t.subtree)))
        before = [t for t in head.subtree if t.i < inside[0].i]
        words = [t for t in before if t.dep_ not in ("det", "punct", "cc", "prep", "pobj")]
        one_run = all(b.i == a.i + 1 for a, b in itertools.pairwise([*words, inside[0]]))  # right before the name
        if not words or len(words) > MAX_DESCRIPTION or not one_run:
            return None
        return sentence.text[words[0].idx:at + len(speaker)], sentence
    return None


def pronoun_answer(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk], threshold: float,
                   main_person: Callable[[str], str | None]) -> Composed | None:
    """"Who was one of the leaders …?" when the sentence that states it best says "He was one of the leaders …":
    the person that "he" is, named as the subject of the sentences before it ("Al-Khazali was born … He was a
    student … Therefore, he might be …"), in the question's own words — "Al-Khazali was one of the leaders …",
    citing the sentence that names him and the "he" sentence. A small model asked this copies the "he". Only
    when every content word of the question is in that sentence (an answer in the question's words must be a
    near-quote: not "the best-known leader" from "one of the leaders"), only across sentences that follow each
    other, and only when the name is the article's main person (`main_person(source)`, whom the policy already
    takes its "he" to be): a sentence that opens with "Iran" is no antecedent of "he". Else None."""
    m = _WHO_DID.match(question)
    if m is None or WHO_SAYS.match(question[m.end("lead"):]):
        return None
    claim = m.group("rest")
    spans = whole_sentences(candidate_spans(passages))  # deduplicated already
    if not spans or len(tokenize(claim)) < 2:
        return None
    scores = scorer.scores(claim, spans)
    best = int(np.argmax(scores))
    quote = spans[best]
    words = tokenize(quote.text)
    if scores[best] < threshold or not _HE_FIRST.match(quote.text) \
            or not all(meets(w, words) for w in tokenize(claim)):
        return None
    named = _antecedent(spans[:best + 1])
    person = main_person(quote.source)
    if named is None or person is None or not either_speaker(named[0], person):
        return None
    text = f"{m.group('lead').strip()} {named[0]} {claim}.".strip()
    naming = float(scorer.scores(text, [named[1]])[0])  # how well the sentence that names him supports it
    return text[:1].upper() + text[1:], (named[1], quote), (naming, float(scores[best])), None


def _antecedent(spans: list[SourceSpan], reach: int = 4) -> tuple[str, SourceSpan] | None:
    """The name the last span's "he" or "she" stands for, with the sentence it is the subject of: the nearest
    sentence before it that opens with a name, through sentences that open with "he" or "she" and follow each
    other; None otherwise."""
    for before, after in zip(spans[-2::-1][:reach], spans[:0:-1], strict=False):
        if not follows(before, after):
            return None
        name = subject_of(before.text)
        if name:
            return name, before
        if not _HE_FIRST.match(before.text):
            return None
    return None


def nested_speaker(text: str, speaker: str) -> str | None:
    """A person named as saying something inside a span marked as someone else's words ("According to CNRI,
    Stallman's lawyer has told CNRI's lawyer …"), or None. Pronouns ("he says") are already resolved."""
    return next((who for who in named_in(text) if not same_speaker(who, speaker)), None)


def words_answers(scorer: SupportScorer, question: str, passages: Sequence[Passage | Chunk]) -> Iterator[Composed]:
    """"What did X say about Y?" answered with X's own words: each sentence of the passages that X says (quoted or
    reported, by the speaker marks), most relevant to the question first, as "According to X, “<X's words>.”"
    when they are a whole quoted sentence, else the article's sentence itself ("X warned the committee that …"),
    citing where the article introduces X when the sentence does not name them. A small model asked what someone
    said answers from the sentences around the words ("Rachel made an emotional TV appeal", dev nw-man-11) or
    mixes speakers; the words themselves are what was asked. Whether they answer the question is for the policy
    to judge, with a model only (`Draft.words`). Nothing for a who-question or one that names no person."""
    speaker = asked_speaker(question)
    # A yes or no is not in someone's words: for "Does Norman Cook believe dance music is dead?" the model took
    # another sentence of his for an answer, shown verified without the "no" (new yes/no dev set, yn-fat-01).
    if speaker is None or speaker == AUTHOR or who_says(question) or _WHO_DID.match(question) \
            or _asks_how_it_is_done(question, speaker) or YES_NO.match(question):
        return
    sentences = whole_sentences(candidate_spans(passages))
    theirs = [(s, v) for s in sentences if (v := _voice_in(s, speaker)) is not None]
    if not theirs:
        return
    relevance = scorer.relevance(question, [s for s, _ in theirs])
    for i in (int(i) for i in np.argsort(-np.asarray(relevance), kind="stable")):
        sentence, voice = theirs[i]
        who, cited = _as_introduced(voice.speaker, sentence, sentences)
        start, end = max(voice.start, sentence.start), min(voice.end, sentence.end)
        words = sentence.text[start - sentence.start:end - sentence.start].strip(QUOTE_CHARS + " ,;:.")
        whole_quote = voice.how == "quoted" and words[:1].isupper()  # a sentence of theirs, not a phrase they used
        text = f"According to {who}, \u201c{words}.\u201d" if whole_quote else sentence.text
        yield text, cited, tuple(1.0 for _ in cited), None


def _asks_how_it_is_done(question: str, speaker: str) -> bool:
    """A "how" that asks the way something is done by someone other than the speaker ("How would the plans put the
    gangs out of business, according to Michael Howard?"): what the speaker says about it may restate the question
    ("Mr Howard said they would help smash people smuggling gangs", which the model took for an answer, P(yes) over
    0.7: held-back nw-how-03) without saying how. Not "how many" or "how often" (an amount), nor "how does X
    describe …" (X's own words are the answer)."""
    how = next((t for t in parse(question) if t.lower_ == "how" and t.tag_ == "WRB"), None)
    if how is None or how.head.lower_ in QUANTITY_WORDS or how.head.pos_ not in ("VERB", "AUX"):
        return False
    subject = next((c for c in how.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is None or subject.text not in speaker


def _voice_in(sentence: SourceSpan, speaker: str) -> Voice | None:
    """The voice in `sentence` that is `speaker`'s (their quoted words first, else their reported ones), or None."""
    theirs = [v for v in sentence.voices
              if v.how != "author" and either_speaker(v.speaker, speaker)]
    return next((v for v in theirs if v.how == "quoted"), theirs[0] if theirs else None)
