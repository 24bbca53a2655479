"""Citations are computed from the source, not trusted from a model; refusal is decided by scores."""

from __future__ import annotations

import math

import pytest

from harness.questions import UNANSWERABLE
from rag import ABSTAIN, REFUSAL, Answer, Engine, policy
from rag.citations import strip_markers
from rag.context import select_context
from rag.prompts import DEFAULT
from rag.spans import SourceSpan, candidate_spans

AGE = "Al-Khazali was born in Sadr City, and he is 47 years old now."


def test_paraphrase_is_linked_to_the_sentence_that_says_it(engine: Engine, article_text: str) -> None:
    question = "Where was al-Khazali born?"
    passages = engine.retrieve(question)
    answer = "He was born in Sadr City. He is 47 years old."
    sentences, citations = engine.aligner.align(answer, candidate_spans(passages), question)
    assert [s.supported for s in sentences] == [True, True]
    for c in citations:
        assert article_text[c.start : c.end] == c.quote
    assert citations[0].quote == "Al-Khazali was born in Sadr City, and he is 47 years old now."
    assert sentences[0].citations == sentences[1].citations == [1]


def test_invented_sentence_is_marked_unsupported(engine: Engine) -> None:
    question = "How many children does al-Khazali have?"
    passages = engine.retrieve(question)
    answer = "Al-Khazali was born in Sadr City. Al-Khazali has four children and a farm in Basra."
    sentences, _ = engine.aligner.align(answer, candidate_spans(passages), question)
    assert [s.supported for s in sentences] == [True, False]
    assert sentences[1].citations == []


def test_long_sentence_is_quoted_by_a_tighter_clause(engine: Engine, article_text: str) -> None:
    question = "Why does he stay in Baghdad?"
    passages = engine.retrieve(question)
    answer = "Because the situation is sensitive, he stays in Baghdad to control any instability."
    sentences, citations = engine.aligner.align(answer, candidate_spans(passages), question)
    assert sentences[0].supported
    quote = citations[0].quote
    assert "I stay in Baghdad to control any instability" in quote
    assert len(quote) < 260  # the whole sentence is 777 characters
    assert article_text[citations[0].start : citations[0].end] == quote


def test_model_markers_are_removed() -> None:
    marked = "He is 47 [1]. He was born in Sadr City [2, 3]. See [1-2] and [4,5]."
    assert strip_markers(marked) == "He is 47. He was born in Sadr City. See and."
    assert strip_markers("In [the] year 2003 [sic]") == "In [the] year 2003 [sic]"  # only numbered markers go


@pytest.mark.parametrize(("text", "refusal"), [
    # The model is told one fixed phrase (rag/prompts.py); it may go on after it.
    ("The article does not say", True),
    ("The article does not say how many children he has.", True),
    ("the article does not say", True),  # case and punctuation aside
    # Anything else is an answer to cite and check, however it declines: the policy then withholds it.
    ("The excerpts do not specify the year.", False),
    ("The article says he is 47 years old.", False),
    ("He does not say where he lives.", False),
    ("", False),
])
def test_the_fixed_cannot_answer_phrase_is_recognised(text: str, refusal: bool) -> None:
    assert DEFAULT.says_cannot_answer(text) is refusal


def test_off_topic_questions_are_refused_before_generation(engine: Engine) -> None:
    for question in UNANSWERABLE[:2] + UNANSWERABLE[-1:]:
        answer = engine.ask(question, backend="local")  # the gate refuses before any model loads
        assert answer.refused and answer.answer == REFUSAL
        assert answer.answer.startswith("The article does not say")
        assert answer.citations == [] and "generate_ms" not in answer.timings_ms
        assert answer.passages, "the closest passages are still shown"


def test_extractive_answers_are_verbatim_and_fully_cited(engine: Engine, article_text: str) -> None:
    answer = engine.ask("How old is Qais al-Khazali?", backend="extractive")
    assert answer.outcome == "answered" and not answer.refused and answer.backend == "extractive"
    assert "47" in answer.answer
    assert all(s.supported and s.verified for s in answer.sentences)
    assert all(c.support > 0.9 and article_text[c.start : c.end] == c.quote for c in answer.citations)


def test_extractive_abstains_on_a_quote_that_does_not_answer(engine: Engine, article_text: str) -> None:
    """No model can check an extractive answer, so a best sentence that covers little of the question is shown
    as the closest passages, not as a proven answer."""
    answer = engine.ask("What is the name of al-Khazali's father?", backend="extractive")
    assert answer.outcome == "abstained" and answer.refused and answer.answer == ABSTAIN
    assert answer.citations and all(article_text[c.start : c.end] == c.quote for c in answer.citations)
    assert [s.verified for s in answer.sentences] == [False] * len(answer.sentences)
    assert all(s.reasons for s in answer.sentences)


def test_quantity_questions_need_a_quantity_in_the_answer(engine: Engine) -> None:
    def supported(question: str, answer: str) -> list[bool]:
        sentences, _ = engine.aligner.align(answer, candidate_spans(engine.retrieve(question)), question)
        return [s.supported for s in sentences]

    # A year is not an amount: "since 2003" does not say how much money.
    assert supported("How much money did Iran give the resistance groups?",
                     "Iran gave the resistance groups money since 2003 until the ISIS battle.") == [False]
    assert supported("How many times does he call Sadr his brother?",
                     "He calls Sadr his brother three times.") == [True]
    assert supported("How long has he been known as a resistance leader?",
                     "He has been known as one of the leaders since 2020.") == [True]


def test_context_is_the_most_relevant_sentences_in_reading_order(engine: Engine, article_text: str) -> None:
    question = "Where was al-Khazali born?"
    passages = engine.retrieve(question)
    chosen, best = select_context(engine.scorer, question, passages, max_spans=3)
    assert 1 <= len(chosen) <= 3 and AGE in [s.text for s in chosen]
    assert [(s.source, s.start) for s in chosen] == sorted((s.source, s.start) for s in chosen)
    assert all(article_text[s.start : s.end] == s.text for s in chosen)
    # The best relevance is the best over every quotable sentence and clause of the passages.
    spans = candidate_spans(passages)
    assert best == pytest.approx(float(max(engine.scorer.relevance(question, spans))), abs=1e-12)
    # One sentence allowed, or no spread below the best: only the best sentence.
    [only], _ = select_context(engine.scorer, question, passages, max_spans=1)
    assert only.text == AGE
    assert [s.text for s in select_context(engine.scorer, question, passages, 3, spread=0.0)[0]] == [AGE]
    # The character budget: the best sentence always goes in, nothing after it once the budget is spent.
    assert [s.text for s in select_context(engine.scorer, question, passages, 3, max_chars=1)[0]] == [AGE]
    assert select_context(engine.scorer, question, [], 3) == ([], 0.0)


def test_a_question_about_what_the_author_says_reads_only_the_authors_own_sentences(engine: Engine) -> None:
    def voices(chosen: list[SourceSpan]) -> set[str]:
        return {v.how for s in chosen for v in s.voices if v.start < s.end and s.start < v.end}

    question = "What is Iran more interested in this time?"
    passages = engine.retrieve(question)
    anyone, _ = select_context(engine.scorer, question, passages, max_spans=3)
    assert voices(anyone) - {"author"}  # al-Khazali's words are among the most relevant
    asked = "According to the author, what is Iran more interested in this time?"
    authors, best_of_all = select_context(engine.scorer, asked, passages, max_spans=3)
    assert authors and voices(authors) == {"author"}
    # The refusal gate still reads the best sentence of all, whoever speaks in it.
    assert best_of_all == pytest.approx(float(max(engine.scorer.relevance(asked, candidate_spans(passages)))))


def test_a_long_sentence_enters_the_context_as_a_window_around_its_best_clause(engine: Engine,
                                                                               article_text: str) -> None:
    question = "Why does he stay in Baghdad?"
    chosen, _ = select_context(engine.scorer, question, engine.retrieve(question), max_spans=3)
    [window] = [s for s in chosen if "I stay in Baghdad to control any instability" in s.text]
    assert window.is_clause and len(window.text) <= 260  # the whole sentence is 777 characters
    assert article_text[window.start : window.end] == window.text


@pytest.mark.parametrize(("relevance", "passes"), [
    (math.nextafter(0.2, 0.0), False),  # just below the threshold: refused
    (0.2, True),  # at the threshold: tried
    (math.nextafter(0.2, 1.0), True),
])
def test_the_refusal_gate_cuts_at_the_threshold(relevance: float, passes: bool) -> None:
    assert policy.relevant_context(relevance, True, 0.2).passed is passes
    assert not policy.relevant_context(relevance, False, 0.2).passed  # nothing quotable: always refused


def test_the_engine_refuses_exactly_below_its_threshold(engine: Engine) -> None:
    """The question's best relevance r: with RAG's threshold at r the engine answers; a hair above r, it
    refuses before drafting anything."""
    question = "How old is Qais al-Khazali?"
    _, relevance = select_context(engine.scorer, question, engine.retrieve(question), engine.settings.context_sentences)
    assert relevance > engine.settings.refuse_below

    def ask(threshold: float) -> Answer:
        gated = Engine(engine.settings.with_(refuse_below=threshold), embedder=engine.embedder)
        return gated.ask(question, backend="extractive")

    for threshold in (math.nextafter(relevance, 0.0), relevance):
        answered = ask(threshold)
        assert (answered.outcome, answered.answer) == ("answered", AGE), threshold
    refused = ask(math.nextafter(relevance, 1.0))
    assert refused.outcome == "refused" and refused.answer == REFUSAL
    assert refused.citations == [] and "generate_ms" not in refused.timings_ms


def test_context_ranks_sentences_by_what_is_particular_to_them(engine: Engine) -> None:
    """A sentence near every question about the article's subject gives way to the one that says what is
    asked (`context.GENERIC`); the refusal gate still reads plain relevance."""
    question = "At whose home was the weapons question discussed with Sadr?"
    passages = engine.retrieve(question)
    plain, best_plain = select_context(engine.scorer, question, passages, max_spans=3, generic=0.0)
    ranked, best = select_context(engine.scorer, question, passages, max_spans=3)
    assert not any("Hadi al-Amiri’s house" in s.text for s in plain)
    assert any("Hadi al-Amiri’s house" in s.text for s in ranked)
    assert best == best_plain
