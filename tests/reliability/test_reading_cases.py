"""Reliability: the shapes of sentence that broke the regex readings on unseen news articles, as made-up cases
(the unseen articles stay unseen). Each answer is checked by the answer policy as if a model had drafted it
(`Engine.check`, no model needed): a rule must withdraw it for the stated reason, or let it through."""

from __future__ import annotations

import pytest

from rag import Engine
from rag.embedding import MiniLMEmbedder
from tests.conftest import engine_over

READING = pytest.mark.reliability("reading")
ARTICLE = (
    "Harbour town elects its first woman mayor\n\n"
    "Maria Okafor, the new mayor of Eastbay, was first elected to the council in 1994. But in 1998, she won "
    "Eastfield, a new seat on the coast. Her mother, a schoolteacher from Leeds, moved to Eastbay in 1970.\n\n"
    "The treasurer, Dan Pike, said the harbour budget would double next year. The plan drew a sharp remark by "
    "the minister's former adviser, Ms Lane, who said the plan was \"dead on arrival\".\n\n"
    "Okafor and her husband had a daughter, Lily, in 2010. The couple live near the old lighthouse.\n")


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    return engine_over(tmp_path_factory.mktemp("reading-cases"), {"harbour.txt": ARTICLE}, embedder,
                       backend="extractive")


def reasons(engine: Engine, question: str, answer: str) -> list[str]:
    checked = engine.check(question, answer, backend="extractive")
    return [r for s in checked.sentences for r in s.reasons if not r.startswith("confidence")]


@READING
def test_a_relative_clause_speaker_is_read(harbour: Engine) -> None:
    """"…, Ms Lane, who said the plan was "dead on arrival"" → the quote is Ms Lane's, not the author's: "Ms Lane
    said …" passes every rule and its quote is shown as hers."""
    question, answer = "Who said the plan was dead on arrival?", "Ms Lane said the plan was dead on arrival."
    assert reasons(harbour, question, answer) == []
    quoted = [c for chunk in harbour.retriever.snapshot().chunks for c in chunk.voices if c.how == "quoted"]
    assert [(ARTICLE[v.start:v.end], v.speaker) for v in quoted] == [('"dead on arrival"', "Lane")]


@READING
def test_what_someone_said_about_another_topic_is_no_answer(harbour: Engine) -> None:
    """"What did the treasurer say about housing?" → the treasurer's words about the harbour budget are withdrawn:
    the question's topic is not the quote's."""
    found = reasons(harbour, "What did the treasurer say about housing?",
                    "The treasurer said the harbour budget would double next year.")
    assert any("asks about housing" in r for r in found), found


@READING
def test_a_description_is_not_a_name(harbour: Engine) -> None:
    """"What was the name of Maria Okafor's mother?" → "a schoolteacher from Leeds" is withdrawn: a name was asked,
    the article gives only a description."""
    found = reasons(harbour, "What was the name of Maria Okafor's mother?",
                    "Her mother was a schoolteacher from Leeds.")
    assert any("asks for a name" in r for r in found), found


@READING
def test_a_pronoun_subject_after_an_opening_phrase_is_bound(harbour: Engine) -> None:
    """"But in 1998, she won Eastfield" is about Maria Okafor (read at ingest) → "In 1998 she won Eastfield." passes
    every rule for "When did Maria Okafor win Eastfield?"."""
    assert reasons(harbour, "When did Maria Okafor win Eastfield?", "In 1998 she won Eastfield.") == []


@READING
def test_a_name_given_is_not_the_question_s_own(harbour: Engine) -> None:
    """"What is the name of the daughter they had in 2010?" → "Their daughter born in 2010 is named Lily." passes
    every rule (the name is the article's, not the question's)."""
    assert reasons(harbour, "What is the name of the daughter Okafor and her husband had in 2010?",
                   "The daughter they had in 2010 is named Lily.") == []
