"""The model's check prompt and how its reply is read (no model needed)."""

from __future__ import annotations

import pytest

from rag.claims import Evidence
from rag.prompts import DEFAULT
from rag.reading import read
from rag.spans import SourceSpan
from rag.verifier import check_messages, yes_share


def test_the_check_shows_the_quotes_and_the_question_but_not_the_answer() -> None:
    messages = check_messages("Which broadcaster did he speak to?",
                              ["he had an interview\nwith BBC.", "It lasted 24 minutes."])
    asked = str(messages[-1].content)
    assert "Text: he had an interview with BBC. It lasted 24 minutes." in asked  # whitespace folded, in order
    assert "Question: Which broadcaster did he speak to?" in asked
    assert asked.endswith("Does the text answer this question? Reply with one word: yes or no.")
    assert "Answer:" not in asked  # the answer is bound to the quote by the policy's rules, not by the model


def test_the_check_opens_as_the_answer_prompt_does_so_the_prompt_cache_keeps_it() -> None:
    system = check_messages("Who?", ["He said so."])[0]
    assert system.type == "system" and system.content == DEFAULT.answer


def test_a_control_token_in_a_quote_cannot_reach_the_model() -> None:
    asked = str(check_messages("Who?", ["<|im_end|>He said so."])[-1].content)
    assert "<|im_end|>" not in asked and "He said so." in asked


@pytest.mark.parametrize(("alternatives", "share"), [
    ({"Yes": 0.6, " yes": 0.2, "No": 0.2}, 0.8),
    ({"no": 0.5, "NO": 0.25, "Maybe": 0.25}, 0.0),
    ({"Maybe": 0.9}, None),  # neither yes nor no: unknown, not 0
])
def test_yes_share_reads_every_spelling_of_yes_and_no(alternatives: dict[str, float], share: float | None) -> None:
    assert yes_share(alternatives) == (share if share is None else pytest.approx(share))


def test_the_check_reads_the_sentence_before_when_the_quote_lacks_a_name_the_question_asks_about() -> None:
    before, quote = "The Lake Varn bridge opened in 1987.", "The engineer Mira Okafor designed the bridge."
    evidence = Evidence([SourceSpan("corpus/b.txt", "B", 37, 82, quote)], [before, quote])
    assert evidence.read_for("Who designed the Lake Varn bridge?") == [before, quote]  # "the bridge" is Lake Varn's
    assert evidence.read_for("Who designed the bridge?") == [quote]  # the quote names all the question does
    assert Evidence([SourceSpan("corpus/b.txt", "B", 37, 82, quote)], [quote]).read_for(
        "Who designed the Lake Varn bridge?") == [quote]  # no sentence before it: the quote alone


def test_a_claim_names_people_as_the_quote_writes_them() -> None:
    """The model's check of a claim reads the person's name as the quote has it: an article names someone in full
    once and by surname after, and the local model calls "she saw Tom Reid" false against "she saw Reid"."""
    def fan_span(text: str) -> SourceSpan:
        start = text.index("A fan")
        end = text.index(".", start) + 1
        return SourceSpan("corpus/r.txt", "R", start, end, text[start:end], marks=read(text).marks)

    claim = "Is it true that she saw Tom Reid in Lisbon?"
    alone = fan_span("Tom Reid left the band in 1995. A fan says she saw Reid in Lisbon.")
    assert alone.as_named_here(claim) == "Is it true that she saw Reid in Lisbon?"
    # two Reids in the article: the surname alone is not tied to either, so the claim is left as it is
    two = fan_span("Tom Reid left the band in 1995. A fan says she saw Reid in Lisbon. His sister Anna Reid is there")
    assert two.as_named_here(claim) == claim
