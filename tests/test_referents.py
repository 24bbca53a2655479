"""An answer that gives "these things" without saying what they are (`claims.unnamed_reference`): the sentence
before its quote follows it, quoted, where one is at hand (`AnswerChecker._referents`); without one the policy
withdraws it (`policy.names_what_it_means`). Who-said dev ws-irq-05 was shown verified as "… providing these
things" alone. The article here is written for the test, in the same shape."""

from __future__ import annotations

from pathlib import Path

from rag import policy
from rag.embedding import MiniLMEmbedder
from tests.conftest import engine_over

ARTICLE = ("Voters in Tarsland\n\n"
           "The old regime looked after most citizens well in terms of housing, schooling and free clinics. "
           "Polls suggest that voters still want the state to take the lead in providing these things, "
           "Dr Mara Vell says. Many also want lower taxes.\n")
BEFORE = "The old regime looked after most citizens well in terms of housing, schooling and free clinics."


def test_the_sentence_before_says_what_these_things_are(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    engine = engine_over(tmp_path, {"tarsland.txt": ARTICLE}, embedder, backend="extractive")
    answer = "Polls suggest that voters still want the state to take the lead in providing these things."
    result = engine.check("What do polls suggest voters still want, according to Dr Vell?", answer,
                          backend="extractive")
    assert result.outcome == "answered", [(s.text, s.reasons) for s in result.sentences]
    first, referent = result.sentences
    assert first.text == answer and first.verified
    assert referent.verified and referent.text == f"What “these things” means, the sentence before says: “{BEFORE}”"
    quote = next(c for c in result.citations if c.id in referent.citations)
    assert quote.quote == BEFORE
    assert (tmp_path / quote.source).read_text(encoding="utf-8")[quote.start:quote.end] == BEFORE


def test_without_the_sentence_before_an_answer_that_points_is_withdrawn() -> None:
    question = "What do polls suggest voters still want?"
    answer = "Polls suggest that voters still want the state to take the lead in providing these things."
    check = policy.names_what_it_means(question, answer, before_at_hand=False)
    assert not check.passed and "these things" in check.reason
    assert policy.names_what_it_means(question, answer, before_at_hand=True).passed
    assert policy.names_what_it_means("Did voters want it?", "Yes, they want these things.", False).passed
