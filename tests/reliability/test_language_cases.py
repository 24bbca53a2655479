"""Reliability: a question in French (`../shared/cases/francais.txt`, « » quotes). Its function words carry no
topic, the English embedder counts for less in its relevance, the answer quotes the « » passage, and what the
engine says in its own words (the article does not say, could not confirm, the articles disagree) is said in
the question's language."""

from __future__ import annotations

import pytest

from rag import ABSTAIN, REFUSAL, Engine
from rag.context import select_context
from rag.embedding import MiniLMEmbedder
from rag.lexical import language_of, tokenize
from tests.conftest import REPO, engine_over

LANGUAGE = pytest.mark.reliability("questions")
CASES = REPO.parent / "shared" / "cases"
DUBOIS = "« Nous avons voulu un lieu ouvert à tous », a déclaré la directrice, Claire Dubois."


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    articles = {name: (CASES / name).read_text(encoding="utf-8") for name in ("francais.txt", "pronouns.txt")}
    return engine_over(tmp_path_factory.mktemp("french"), articles, embedder, backend="extractive")


@pytest.mark.parametrize(("text", "language"), [
    ("Qui est la directrice de la bibliothèque ?", "fr"), ("Combien d'étages compte le bâtiment ?", "fr"),
    ("How old is he?", "en"), ("What does la Liga say about d'Artagnan?", "en"),
    ('Is it true that she said "we will build it"?', "en"),
])
def test_the_language_of_a_question(text: str, language: str) -> None:
    assert language_of(text) == language


def test_french_function_words_and_elisions_are_no_topic() -> None:
    assert tokenize("Qui est la directrice de la bibliothèque ?") == ["directric", "bibliothèqu"]
    assert tokenize("l'entrée d'euros") == ["entré", "euro"]
    assert tokenize("The UN said it won't") == ["un", "won't"]  # "un" is French for "a", and the UN


@LANGUAGE
def test_a_french_question_reads_the_quote_that_answers_it(french: Engine) -> None:
    """"Qui est la directrice de la bibliothèque ?" (abstained before with a junk draft: the « » passage never
    reached the model) → the passage enters the context, and "Claire Dubois" passes every rule, quoting it."""
    question = "Qui est la directrice de la bibliothèque ?"
    context, _ = select_context(french.scorer, question, french.retrieve(question), french.settings.context_sentences)
    assert DUBOIS in [s.text for s in context]
    checked = french.check(question, "La directrice de la bibliothèque est Claire Dubois.", backend="extractive")
    assert [r for s in checked.sentences for r in s.reasons if not r.startswith("confidence")] == []
    assert checked.citations[0].quote == DUBOIS


@LANGUAGE
def test_messages_follow_the_question_language(french: Engine) -> None:
    """A French question the articles do not answer is told so in French; an English one in English."""
    refused = french.ask("Qui a gagné la coupe du monde de football ?", backend="extractive")
    assert refused.outcome == "refused" and refused.answer.startswith("L'article ne le dit pas")
    assert french.ask("Who won the football world cup?", backend="extractive").answer == REFUSAL
    abstained = french.check("Qui est la directrice de la bibliothèque ?", "Elle s'appelle Marie.",
                             backend="extractive")
    assert abstained.outcome == "abstained" and abstained.answer.startswith("Impossible de confirmer")
    assert abstained.answer != ABSTAIN and not abstained.withdrawn[0].text.startswith("Impossible")


@LANGUAGE
@pytest.mark.llm
def test_the_local_model_answers_the_french_question(french: Engine) -> None:
    """The issue's case with the local model: answered "Claire Dubois", quoting the « » passage."""
    answer = french.ask("Qui est la directrice de la bibliothèque ?", backend="local")
    assert answer.outcome == "answered" and "Claire Dubois" in answer.answer, answer.answer
    assert DUBOIS in [c.quote for c in answer.citations]
