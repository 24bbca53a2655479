"""Highlights and exports escape everything that came from content, and keep exact offsets."""

from __future__ import annotations

import html
import json

from rag import ABSTAIN, Answer, AnswerSentence, Engine, policy
from rag.policy import UNCONFIRMED, Check, Verdict
from rag.presentation import (
    REFUTED_LEAD,
    UNCONFIRMED_LEAD,
    Highlight,
    Turn,
    answer_html,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
    unconfirmed_html,
    withdrawn_html,
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


def abstention(*drafts: AnswerSentence) -> Answer:
    return Answer("How long was the interview?", ABSTAIN, True, [], list(drafts), [], "local", {}, outcome="abstained")


def test_an_unconfirmed_draft_is_shown_as_written_and_a_refuted_one_struck_out() -> None:
    """An abstention tells the truth about its drafts: one that only fell short of the confidence line may be
    right (as written, "not confirmed"), one a rule refuted is struck out with why; in the chat, the exports and
    the JSON alike."""
    unsure = AnswerSentence("The interview lasted 24 minutes.", status=UNCONFIRMED,
                            reasons=["confidence 0.63 is below 0.70"], confidence=0.63)
    wrong = AnswerSentence("He spoke for a few days.", status="refuted", reasons=["not in the quote: days"])
    answer = abstention(unsure, wrong)
    assert answer.unconfirmed == [unsure] and answer.refuted == [wrong] and answer.draft_status == "unconfirmed"
    assert abstention(wrong).draft_status == "refuted" and abstention().draft_status == "none"
    shown = unconfirmed_html(answer, UNCONFIRMED_LEAD)
    assert "<s>" not in shown and "The interview lasted 24 minutes. <em>(confidence 0.63 is below 0.70)</em>" in shown
    assert "<s>He spoke for a few days.</s>" in withdrawn_html(answer, REFUTED_LEAD)
    assert unconfirmed_html(abstention(wrong), UNCONFIRMED_LEAD) == ""
    assert withdrawn_html(abstention(unsure), REFUTED_LEAD) == ""
    exported = conversation_markdown([Turn(answer.question, answer, answer.question)])
    md = escape_markdown
    assert f"{UNCONFIRMED_LEAD} {md('The interview lasted 24 minutes.')} *({md('confidence 0.63 is below 0.70')})*" \
        in exported
    assert f"{REFUTED_LEAD} ~~{md('He spoke for a few days.')}~~" in exported
    data = answer.to_dict()
    assert data["draft_status"] == "unconfirmed"
    assert [s["status"] for s in data["sentences"]] == ["unconfirmed", "refuted"]  # type: ignore[index]


def test_an_answer_marks_an_unconfirmed_sentence_as_not_confirmed() -> None:
    sure = AnswerSentence("He is 47.", [1], True, True, 0.9, status="verified")
    unsure = AnswerSentence("He lives in Qom.", status=UNCONFIRMED, reasons=["confidence 0.55 is below 0.70"])
    answer = Answer("Who is he?", "He is 47.", False, [], [sure, unsure], [], "local", {})
    assert "He lives in Qom. <em>(not confirmed: confidence 0.55 is below 0.70)</em>" in answer_html(answer)
    md = escape_markdown
    note = md("not confirmed: confidence 0.55 is below 0.70")
    assert f"{md('He lives in Qom.')} *({note})*" in answer_markdown(answer)


def test_the_status_is_what_failed() -> None:
    passed, short = Check("entities_bound", True), Check("confident", False, "confidence 0.63 is below 0.70")
    assert policy.status_of(Verdict([passed])) == "verified"
    assert policy.status_of(Verdict([passed, short])) == UNCONFIRMED
    assert policy.status_of(Verdict([Check("entities_bound", False, "the quote is about X"), short])) == "refuted"
