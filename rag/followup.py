"""Follow-up questions turned into standalone ones, so retrieval sees what the person means.

"and what did he say about Iran?" leans on the conversation; rewritten, it becomes "What did al-Khazali
say about Iran?". A chat model does the rewrite with a short prompt (the last two turns as context); without
one, if it fails, or if its rewrite does more than resolve references (it adds a fact, a number or an earlier
turn's question: `only_resolves`), the names from the previous question are appended, which is what retrieval
needs.
Questions that do not look like follow-ups are left alone (no model call). Does not retrieve or answer.
"""

from __future__ import annotations

import re
from typing import Any

from rag.lexical import tokenize
from rag.lexicon import BACK_REFERENCES, CONNECTIVES, alternation
from rag.prompts import DEFAULT, Prompts

History = list[tuple[str, str]]  # (question as searched, answer) pairs, oldest first
_CONNECTIVE = re.compile(rf"^\s*({alternation(CONNECTIVES)})\b", re.IGNORECASE)
_BACK_REFERENCE = re.compile(rf"\b({alternation(BACK_REFERENCES)})\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?:[a-z]+-)?[A-Z][\w’'-]*(?:\s+(?:[a-z]+-)?[A-Z][\w’'-]*)*")


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the conversation: it opens with "and"/"what about"…, or refers back
    ("he", "it", "that") before naming anyone itself. "Who founded Asaib Ahl al-Haq and when did it start?"
    names what its "it" is, so it stands alone."""
    if _CONNECTIVE.search(question):
        return True
    pronoun = _BACK_REFERENCE.search(question)
    named = next((m for m in _NAME.finditer(question) if m.start() > 0), None)
    return pronoun is not None and (named is None or pronoun.start() < named.start())


def only_resolves(question: str, rewritten: str, history: History) -> bool:
    """Whether a rewrite only resolves what the question leans on: it is still a question, and every word it adds
    is a name the conversation gave or a word of the last turn ("What about Sadr?" after "How old is he?" → "How old
    is Sadr?"), and it adds no number the question did not hold. "By how many votes did she win?" rewritten to "Maria
    Okafor won … by 100 votes." states a fact nobody gave; "What about Sadr?" rewritten to an earlier turn's
    question ("Where was Sadr born?") asks what was not asked."""
    if question.rstrip().endswith("?") and not rewritten.rstrip().endswith("?"):
        return False
    names = {w for q, a in history for m in _NAME.finditer(f"{q} {a}") for w in tokenize(m.group(0))}
    last = set(tokenize(" ".join(history[-1]))) if history else set()
    added = set(tokenize(rewritten)) - set(tokenize(question))
    numbers = set(re.findall(r"\d+", rewritten)) - set(re.findall(r"\d+", question))
    return not numbers and added <= names | last


def rewrite_follow_up(question: str, history: History, model: Any | None, max_chars: int,
                      prompts: Prompts = DEFAULT) -> str:
    """The standalone form of `question` given the conversation so far."""
    if model is not None:
        try:
            turns = "\n".join(f"Q: {q}\nA: {' '.join(a.split())[:240]}" for q, a in history[-2:])
            reply = (prompts.condense_prompt() | model).invoke({"history": turns, "question": question})
            rewritten = " ".join(str(reply.content).split()).strip("\"“” ")
            usable = 0 < len(rewritten) <= max_chars and not prompts.says_cannot_answer(rewritten)
            if usable and only_resolves(question, rewritten, history):
                return rewritten
        except Exception:  # a failed rewrite must not fail the question: fall back to names
            pass
    names = [m.group(0) for m in _NAME.finditer(history[-1][0]) if m.start() > 0]
    missing = [n for n in dict.fromkeys(names) if n.lower() not in question.lower()]
    return f"{question} ({', '.join(missing)})" if missing else question
