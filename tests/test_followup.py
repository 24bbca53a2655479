"""Which questions lean on the conversation (and are rewritten before searching) and which stand alone, and
which rewrites are kept: only those that resolve references, never one that adds a fact."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from rag.followup import is_follow_up, rewrite_follow_up


@pytest.mark.parametrize(("question", "follow_up"), [
    ("and what did he say about Iran?", True),  # opens with a connective
    ("What about the Vienna talks?", True),
    ("What did he say about Iran?", True),  # "he" before any name of its own
    ("Where is it?", True),
    ("Who founded Asaib Ahl al-Haq and when did it start?", False),  # its "it" is the group it names
    ("Where was al-Khazali born and how old is he?", False),
    ("How old is Qais al-Khazali?", False),
])
def test_is_follow_up(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def test_without_a_model_the_previous_question_s_names_are_added() -> None:
    history = [("How old is Qais al-Khazali?", "He is 47.")]
    assert rewrite_follow_up("Where was he born?", history, None, 2000) == "Where was he born? (Qais al-Khazali)"


@pytest.mark.parametrize(("question", "history", "rewrite", "kept"), [
    # a reference resolved to the name the conversation gave: kept
    ("What did he say about Iran?", [("How old is Qais al-Khazali?", "He is 47.")],
     "What did Qais al-Khazali say about Iran?", True),
    # "what about X" takes the last turn's question: kept
    ("What about Muqtada Sadr?", [("How old is Qais al-Khazali?", "He is 47.")], "How old is Muqtada Sadr?", True),
    # a statement with a number nobody gave: refused, the question is searched with the names added
    ("By how many votes did she win?", [("Who won the election in Lindenfeld?", "Maria Okafor won it.")],
     "Maria Okafor won the mayoral election in Lindenfeld by 100 votes.", False),
    # an earlier turn's question, not the last one's: refused
    ("What about Muqtada Sadr?", [("Where was Qais al-Khazali born?", "In Sadr City."),
                                  ("How old is he?", "He is 47.")], "Where was Muqtada Sadr born?", False),
])
def test_a_rewrite_may_only_resolve_references(question: str, history: list[tuple[str, str]], rewrite: str,
                                               kept: bool) -> None:
    # a chat model that answers the real condense prompt with one fixed rewrite
    rewritten = rewrite_follow_up(question, history, FakeListChatModel(responses=[rewrite]), 2000)
    assert (rewritten == rewrite) is kept
    if not kept:
        assert rewritten.startswith(question)  # as typed, with the last question's names for the search
