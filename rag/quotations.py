"""Where quotations stand in a text: the spans in quotation marks, read from the characters alone (straight and
curly marks, a quotation that runs on into the next paragraph). Who says them is `rag/speakers.py`'s business;
`rag/reading.py` asks whether a pronoun stands inside one (a "she" in someone's quoted words is not that someone).
"""

from __future__ import annotations

import re

QUOTE_MARKS = {"“": "”", '"': '"'}
# Every mark that may stand around quoted words, the single ones too ("‘…’" inside a quotation): what is trimmed off
# someone's words when they are quoted again.
QUOTE_CHARS = "".join(sorted({*QUOTE_MARKS, *QUOTE_MARKS.values(), "‘", "’"}))


def paragraph_end(text: str, at: int) -> int:
    """Where the paragraph holding `at` ends: a blank line, or a line break after a finished sentence."""
    for m in re.finditer(r"\n", text[at:]):
        i = at + m.start()
        line = text[:i].rstrip()
        if text[i + 1:i + 2] == "\n" or text[i + 1:].lstrip(" \t").startswith("\n") or line[-1:] in ".!?\"”":
            return i
    return len(text)


def _opens(text: str, i: int) -> bool:
    """Whether a straight quotation mark opens a quotation: after a space, a line break or an opening bracket,
    and before a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def quotations(text: str) -> list[tuple[int, int, bool]]:
    """Spans in quotation marks (marks included), each with whether it opens its paragraph. An unclosed quotation
    runs to the end of its paragraph, or to where the next one opens (news style: a quotation that goes on into
    the next paragraph opens it again with a new mark)."""
    found: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(text):
        mark = text[i]
        if mark != "“" and not (mark == '"' and _opens(text, i)):
            i += 1
            continue
        stop = paragraph_end(text, i)
        j, end = i + 1, stop
        while j < stop:
            if text[j] == QUOTE_MARKS[mark] and not (mark == '"' and _opens(text, j)):
                end = j + 1
                break
            if text[j] == mark and (mark == "“" or _opens(text, j)):
                end = len(text[:j].rstrip()) if text[:j].rstrip() else j  # a new quotation opens first
                break
            j += 1
        line_start = text.rfind("\n", 0, i) + 1
        found.append((i, end, not text[line_start:i].strip()))
        i = max(end, i + 1)
    return found


def inside(spans: list[tuple[int, int, bool]], at: int) -> bool:
    """Whether offset `at` lies inside one of `quotations`' spans."""
    return any(start <= at < end for start, end, _ in spans)
