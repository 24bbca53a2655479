"""Highlights and exports escape everything that came from content, and keep exact offsets."""

from __future__ import annotations

import html
import json

from rag import Engine
from rag.presentation import (
    Highlight,
    Turn,
    answer_html,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
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
    assert escape_markdown("*bold* [link](x) <b>") == r"\*bold\* \[link\]\(x\) \<b\>"


def test_urls_and_addresses_go_into_markdown_as_code_spans() -> None:
    """A Markdown viewer links a bare URL or e-mail address even when its dots are escaped; as a code span it
    is shown verbatim and never linked. The sentence's own full stop stays outside."""
    assert escape_markdown("see https://example.com/a_b?x=1.") == r"see `https://example.com/a_b?x=1`\."
    assert escape_markdown("at www.example.com, or ana@example.org") == "at `www.example.com`, or `ana@example.org`"
    assert escape_markdown("(http://x.org/a`b)") == r"\(``http://x.org/a`b``\)"
    assert escape_markdown("10:30 on page 5. No link: example.com") == r"10:30 on page 5\. No link: example\.com"


def test_content_as_inert_html_keeps_urls_math_and_markup_as_text() -> None:
    """The chat shows article, question and model text as escaped HTML, never through Markdown (which links a
    bare URL even with its dots escaped)."""
    text = "see https://example.com/a_b?x=1&y=2, ana@example.org, $x^2$ and <b>bold</b>"
    assert inert_html(text) == ("<p>see https://example.com/a_b?x=1&amp;y=2, ana@example.org, $x^2$ and "
                                "&lt;b&gt;bold&lt;/b&gt;</p>")
    assert inert_html("a", muted=True) == '<p style="opacity: 0.65; font-size: 0.875rem;">a</p>'
    assert escape_markdown("$x^2$ costs $5 at AT&T") == r"\$x^2\$ costs \$5 at AT\&T"


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


def test_answer_html_matches_the_markdown_answer(engine: Engine) -> None:
    """The chat's HTML answer: each verified sentence escaped, then its citation markers; a refusal in italics."""
    answer = engine.ask("Where was al-Khazali born?", backend="extractive")
    assert answer.outcome == "answered"
    expected = " ".join(f"{html.escape(s.text)} " + "".join(f"<b>[{i}]</b>" for i in s.citations)
                        for s in answer.sentences)
    assert answer_html(answer) == f"<p>{expected}</p>"
    refused = engine.ask("What is the capital of France?", backend="extractive")
    assert answer_html(refused) == f"<p><em>{refused.answer}</em></p>"
