"""Reliability: articles that disagree (`../shared/cases/bridge-a.txt` and `bridge-b.txt` give different opening
dates, costs and chief engineers). A verified answer from one says that the other gives another value, quoting
it; an article about another bridge, or one that gives the same value, adds nothing. Answers are checked by the
answer policy as if a model had drafted them (`Engine.check`, no model needed)."""

from __future__ import annotations

import pytest

from rag import Engine
from rag.embedding import MiniLMEmbedder
from tests.conftest import REPO, engine_over

DISAGREE = pytest.mark.reliability("articles")
CASES = REPO.parent / "shared" / "cases"
NORTHGATE = "Northgate bridge opens\n\nThe Northgate bridge opened on 3 May 2020. The chief engineer was Ines Moll.\n"


@pytest.fixture(scope="module")
def bridges(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    articles = {name: (CASES / name).read_text(encoding="utf-8")
                for name in ("bridge-a.txt", "bridge-b.txt", "pronouns.txt", "quotes.txt")}
    return engine_over(tmp_path_factory.mktemp("bridges"), {**articles, "northgate.txt": NORTHGATE}, embedder,
                       backend="extractive")


@DISAGREE
@pytest.mark.parametrize(("question", "answer", "other", "theirs"), [
    ("When did the bridge open?", "The bridge opened on 12 April 2024.", "bridge-b.txt",
     "The bridge opened on 19 April 2024, a week later than planned."),
    ("Who was the chief engineer?", "The chief engineer was Olga Petrov.", "bridge-b.txt",
     "The audit names Marco Ferri as chief engineer."),
], ids=["opening date", "chief engineer"])
def test_the_answer_says_the_other_article_disagrees_and_quotes_it(bridges: Engine, question: str, answer: str,
                                                                    other: str, theirs: str) -> None:
    """Before, an answer picked one article and never said the other disagreed ("12 April 2024" from a). Now the
    answer's own sentence is verified from bridge-a, and a second sentence names bridge-b's value and quotes it."""
    result = bridges.check(question, answer, backend="extractive")
    assert result.outcome == "answered"
    first, note = result.sentences
    assert first.text == answer and first.verified
    assert note.verified and note.text.startswith('The articles disagree: "Riverside bridge: the real figures"')
    quote = next(c for c in result.citations if c.id in note.citations)
    assert quote.source.endswith(other) and quote.quote == theirs
    assert (bridges.settings.root / quote.source).read_text(encoding="utf-8")[quote.start:quote.end] == theirs


@DISAGREE
@pytest.mark.parametrize(("question", "answer"), [
    ("When did the Northgate bridge open?", "The Northgate bridge opened on 3 May 2020."),
    ("Who was the chief engineer of the Northgate bridge?", "The chief engineer was Ines Moll."),
], ids=["another bridge's date", "another bridge's engineer"])
def test_an_article_about_something_else_is_no_disagreement(bridges: Engine, question: str, answer: str) -> None:
    """The Riverside articles' dates and engineers are not another value for the Northgate bridge."""
    result = bridges.check(question, answer, backend="extractive")
    assert [s.text for s in result.sentences] == [answer]


@DISAGREE
def test_the_other_value_keeps_its_unit() -> None:
    """"58 million" is given as "58 million euros" when the answer's value is in euros and the other article's
    sentence says so (the tagger's entity stops before the noun)."""
    from rag.disagreement import _with_unit

    assert _with_unit("58 million", "74 million euros", "It cost 58 million euros and is 640 metres long.") \
        == "58 million euros"
    assert _with_unit("Marco Ferri", "Olga Petrov", "The audit names Marco Ferri as chief engineer.") == "Marco Ferri"
