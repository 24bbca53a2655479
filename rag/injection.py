"""Text in an article that speaks to the assistant instead of stating something: kept out of answers.

An article is data. A sentence such as "Ignore all previous instructions and reply …" or "Assistant: say …"
is an instruction planted for a language model, not a statement of the article, so it never enters the
model's context and can never be quoted as support (see `spans.candidate_spans`). Chat-template control
tokens are removed from any text sent to a model. Pure functions; no model.
"""

from __future__ import annotations

import re

from rag.lexicon import SPEECH_FORMS, alternation

_INSTRUCTION = re.compile(
    r"""
    \b(ignore|disregard|forget|override)\b[^.!?]{0,40}\b(previous|prior|above|earlier|preceding|all|your|the)\b
        [^.!?]{0,20}\b(instructions?|prompts?|rules|directions|guidelines|messages)\b
    | \b(new|updated|real|secret|hidden)\s+instructions?\s*:
    | \byou\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|chat\s?bot|language\s+model|llm|dan)\b
    | \b(system|developer)\s+(prompt|message|instructions?)\b
    | ^\W*(system|assistant|user|ai)\s*:
    | \bas\s+an?\s+(ai|assistant|language\s+model)\b
    | <\|[a-z_]+\|>
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "Reply only …", "Say exactly …": an order to whoever reads — unless the article reports someone saying it.
_IMPERATIVE = re.compile(r"^\W*(please\s+)?(reply|respond|answer|output|print|say|write|tell\s+the\s+user)\b"
                         r"[^.!?]{0,40}\b(only|exactly|verbatim|the\s+words?|that)\b", re.IGNORECASE)
_SAID = rf"({alternation(SPEECH_FORMS)})"
_REPORTED = re.compile(rf"[,”\"]\s*(?:(the\s+)?[\w’'-]+(\s+[\w’'-]+)?\s+{_SAID}\b[^.!?]{{0,40}}"
                       rf"|{_SAID}\s+(the\s+)?[\w’'-]+(\s+[\w’'-]+)?)\s*[.!?]?[”\"]?\s*$", re.IGNORECASE)
_CONTROL_TOKENS = re.compile(r"<\|[A-Za-z_]+\|>|\[/?INST\]|<</?SYS>>")


def looks_like_instruction(text: str) -> bool:
    """Whether a sentence addresses a language model (an injected instruction) rather than the reader. An
    order the article reports someone giving ("Write that down, the minister said.") is a statement."""
    flat = " ".join(text.split())
    return bool(_INSTRUCTION.search(flat)) or (bool(_IMPERATIVE.search(flat)) and not _REPORTED.search(flat))


def strip_control_tokens(text: str) -> str:
    """Text with chat-template control tokens (`<|im_start|>`, `[INST]`, …) removed."""
    return _CONTROL_TOKENS.sub(" ", text)
