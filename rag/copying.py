"""Answers copied from the text: the model answers the same prompt as for a free answer, but a GBNF grammar lets
it write only a run of consecutive words of one context excerpt, so a copied answer cannot hold a year or a name
the article does not (issue "show the right answers", step 1).

The grammar is linear in the context: for excerpt i with words w1 … wn, one rule per word,
`e<i>-<j> ::= "wj" (" " e<i>-<j+1>)?`, and `root ::= e<i>-<j> | …` over every word, so the copy may start at any
word and stop after any later one. The words are the ones the model was shown (`format_context`: whitespace
flattened), and `locate` finds the copy in the excerpt's own text again, so its offsets index the file exactly.
The copy's log-probability (the sum over its tokens, from llama.cpp) says how sure the model was of it.

Pure functions and one model call; whether a copy is shown is the answer policy's decision, like any draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.injection import strip_control_tokens
from rag.spans import SourceSpan

_NUMBER = re.compile(r"^\s*\[\d+\]\s*")  # the excerpt's number a numbered copy opens with


@dataclass(frozen=True)
class Copy:
    """A verbatim run of words of one context excerpt, as the model chose it, and its log-probability."""

    span: SourceSpan
    logprob: float


def words_shown(span: SourceSpan) -> list[str]:
    """The excerpt's words as the model is shown them (`rag/generation.py` `format_context`)."""
    return strip_control_tokens(span.text).split()


def _literal(word: str) -> str:
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def copy_grammar(spans: Sequence[SourceSpan], numbered: bool = False) -> str:
    """The GBNF grammar of every run of consecutive words of one of `spans`; `numbered`: the reply first names
    the excerpt by its number as the model was shown it ("[2] "), then the run, so the choice of excerpt and of
    the first word are two smaller decisions."""
    rules, starts, excerpts = [], [], []
    for i, span in enumerate(spans):
        words = words_shown(span)
        here = []
        for j, word in enumerate(words):
            rest = f' (" " e{i}-{j + 1})?' if j + 1 < len(words) else ""
            rules.append(f"e{i}-{j} ::= {_literal(word)}{rest}")
            here.append(f"e{i}-{j}")
        if here:
            excerpts.append(f"x{i} ::= " + " | ".join(here))
            starts.append(f'"[{i + 1}] " x{i}' if numbered else " | ".join(here))
    if not starts:
        raise ValueError("no words to copy from")
    return "\n".join([f"root ::= {' | '.join(starts)}", *(excerpts if numbered else []), *rules]) + "\n"


def locate(text: str, spans: Sequence[SourceSpan]) -> SourceSpan | None:
    """The excerpt span holding the copied words in a row (any whitespace between them in the file), as a
    `SourceSpan` whose offsets index the file; None when no excerpt holds them."""
    words = _NUMBER.sub("", text, count=1).split()
    if not words:
        return None
    # Whole words only: a reply cut off by its token limit may end inside a word, which is then dropped.
    for run in (words, words[:-1]) if len(words) > 1 else (words,):
        if found := _find(run, spans):
            return found
    return None


def _find(words: list[str], spans: Sequence[SourceSpan]) -> SourceSpan | None:
    pattern = re.compile(r"(?<!\S)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\S)")
    for span in spans:
        if m := pattern.search(span.text):
            start, end = span.start + m.start(), span.start + m.end()
            marks = tuple(k for k in span.marks if start <= k.start and k.end <= end)
            voices = tuple(v for v in span.voices if v.start < end and start < v.end)
            return SourceSpan(span.source, span.title, start, end, m.group(0), True, voices, marks)
    return None


def copy_answer(model: Any, messages: list[Any], spans: Sequence[SourceSpan], max_tokens: int = 64,
                numbered: bool = False) -> Copy | None:
    """Ask `model` (with a `complete_with_grammar` method: the local model) the answer prompt `messages`, the
    reply held to a verbatim run of words of `spans`; None when the model has no grammar support or the copy
    cannot be found again."""
    complete = getattr(model, "complete_with_grammar", None)
    if complete is None or not spans:
        return None
    text, logprob = complete(messages, copy_grammar(spans, numbered), max_tokens)
    found = locate(text, spans)
    return Copy(found, logprob) if found is not None else None
