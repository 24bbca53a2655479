"""Highlights and exports escape everything that came from content, and keep exact offsets."""

from __future__ import annotations

import json

from rag import Engine
from rag.presentation import (
    Highlight,
    Turn,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
)


def test_highlight_escapes_content_and_marks_exact_spans() -> None:
    text = 'Safe <script>alert("x")</script> text & more.'
    out = highlight_html(text, [Highlight(5, 32, "[1] support 0.90", focus=True)])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.startswith('Safe <mark class="focus" id="focus" title="[1] support 0.90">&lt;script&gt;')
    assert out.endswith("</mark> text &amp; more.")


def test_overlapping_highlights_are_split_at_boundaries() -> None:
    text = "abcdefghij"
    out = highlight_html(text, [Highlight(0, 6, "[1]"), Highlight(4, 10, "[2]", focus=True)])
    assert out == ('<mark title="[1]">abcd</mark><mark class="focus" id="focus" title="[1] · [2]">ef</mark>'
                   '<mark class="focus" title="[2]">ghij</mark>')


def test_markdown_escaping() -> None:
    assert escape_markdown("*bold* [link](http://x) <b>") == r"\*bold\* \[link\]\(http&#58;//x\) \<b\>"


def test_escaped_urls_emails_and_math_cannot_become_links_or_formulas() -> None:
    """GFM turns `http://…` and `a@b.c` into links even when their dots are escaped, so the `:` before `//` and
    the `@` are written as character references (shown as the character); `$` and `&` are escaped."""
    assert escape_markdown("see https://example.com/a_b?x=1") == r"see https&#58;//example\.com/a\_b?x=1"
    assert escape_markdown("mail ana@example.org") == r"mail ana&#64;example\.org"
    assert escape_markdown("www.example.com") == r"www\.example\.com"
    assert escape_markdown("$x^2$ costs $5 at AT&T; 10:30") == r"\$x^2\$ costs \$5 at AT\&T; 10:30"
    assert escape_markdown("&#58;") == r"\&\#58;"  # a reference in the text itself is shown as typed


def test_answer_markdown_and_exports(engine: Engine) -> None:
    answer = engine.ask("Where was al-Khazali born?", backend="extractive")
    md = answer_markdown(answer)
    assert "Sadr City" in md and "**\\[1\\]**" in md
    turns = [Turn("Where was he born?", answer, "Where was al-Khazali born?", "up")]
    exported = conversation_markdown(turns)
    assert "_Searched for: Where was al\\-Khazali born?_" in exported
    assert "characters" in exported and "support" in exported
    data = json.loads(conversation_json(turns))
    turn = data["turns"][0]
    assert turn["feedback"] == "up" and turn["citations"][0]["start"] == answer.citations[0].start
    refused = engine.ask("What is the capital of France?", backend="extractive")
    assert answer_markdown(refused).startswith("_The article does not say")
