"""Which questions lean on the conversation (and are rewritten before searching) and which stand alone."""

from __future__ import annotations

import pytest

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
