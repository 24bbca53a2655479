"""Citations are computed from the source, not trusted from a model; refusal is decided by scores."""

from __future__ import annotations

from rag import ABSTAIN, REFUSAL, Engine
from rag.citations import candidate_spans, looks_like_refusal, strip_markers
from tests.questions import UNANSWERABLE


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


def test_model_markers_are_removed_and_refusals_recognised() -> None:
    marked = "He is 47 [1]. He was born in Sadr City [2, 3]."
    assert strip_markers(marked) == "He is 47. He was born in Sadr City."
    assert looks_like_refusal("The article does not say how many children he has.")
    assert looks_like_refusal("This is not mentioned in the excerpts.")
    assert not looks_like_refusal("He says the political process will not progress naturally.")


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
