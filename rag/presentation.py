"""Turning answers into what people read: escaped highlights, Markdown and JSON exports.

Pure functions over `Answer` objects and article text; no Streamlit here, so the chat, the CLI and tests
share them. Everything that came from an article, a question or a model is escaped before it is placed in
HTML or Markdown: content can never inject markup or script.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rag.answer import Answer
from rag.citations import AnswerSentence
from rag.policy import UNCONFIRMED
from rag.quote_check import QuoteCheck

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


# What Markdown renderers turn into a link on their own, escaped or not (GFM's autolinks: a scheme's `://`, `www.`,
# an e-mail address), without the punctuation that usually ends a sentence after it.
_AUTOLINK = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>]*[^\s<>.,;:!?'\")\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
                       re.IGNORECASE)


def code_span(text: str) -> str:
    """`text` as a Markdown code span: shown exactly as written, never linked or formatted."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def escape_markdown(text: str) -> str:
    """Text for Markdown (exports, labels) that shows exactly as written: syntax backslash-escaped (`$` too, so
    nothing becomes math), and a URL or e-mail address as a code span — renderers link those after parsing,
    escaped or not. The app shows content with `inert_html` instead, which no renderer touches."""
    pieces, at = [], 0
    for link in _AUTOLINK.finditer(text):
        pieces += [_MD_SPECIAL.sub(r"\\\1", text[at:link.start()]), code_span(link.group())]
        at = link.end()
    return "".join([*pieces, _MD_SPECIAL.sub(r"\\\1", text[at:])])


MUTED = "opacity: 0.65; font-size: 0.875rem;"  # a caption's look, in light and dark themes alike
# What an abstention says before its drafted sentences: those it could not confirm (maybe right), and those a
# rule refuted.
UNCONFIRMED_LEAD = "Drafted, but not confirmed by the quotes (it may still be right; check the passages below):"
REFUTED_LEAD = "Drafted, then withdrawn:"


def inert_html(text: str, *, muted: bool = False) -> str:
    """One paragraph of article, question or model text as HTML that can only be read: escaped, and never run
    through Markdown, so no link, image, formula or markup is made of it (a URL shows verbatim, unlinked)."""
    style = f' style="{MUTED}"' if muted else ""
    return f"<p{style}>{html.escape(text)}</p>"


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    label: str  # shown as a tooltip, e.g. "[2] support 0.91"
    focus: bool = False


def highlight_html(text: str, highlights: Iterable[Highlight]) -> str:
    """The whole text, escaped, with `<mark>` around each highlight (overlaps merged at boundaries).

    The focused highlight gets `id="focus"` and class `focus` so a viewer can scroll to it.
    """
    marks = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    cuts = sorted({0, len(text), *(h.start for h in marks), *(h.end for h in marks)})
    parts: list[str] = []
    focus_done = False
    for a, b in itertools.pairwise(cuts):
        piece = html.escape(text[a:b])
        covering = [h for h in marks if h.start <= a and b <= h.end]
        if not covering:
            parts.append(piece)
            continue
        focus = any(h.focus for h in covering)
        attrs = ' class="focus"' if focus else ""
        if focus and not focus_done:
            attrs += ' id="focus"'
            focus_done = True
        title = html.escape(" · ".join(h.label for h in covering), quote=True)
        parts.append(f'<mark{attrs} title="{title}">{piece}</mark>')
    return "".join(parts)


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: each verified sentence followed by its citation markers; a sentence that failed
    verification struck out and marked as withdrawn, with the reason."""
    if answer.outcome == "refused":
        return f"_{escape_markdown(answer.answer)}_"
    pieces = []
    for sentence in answer.sentences if answer.outcome == "answered" else []:
        text = escape_markdown(sentence.text)
        if sentence.verified:
            pieces.append(f"{text} " + "".join(f"**\\[{i}\\]**" for i in sentence.citations))
        else:
            pieces.append(draft_markdown(sentence, withdrawal_note(sentence)))
    return " ".join(pieces) if pieces else f"_{escape_markdown(answer.answer)}_"


def withdrawal_note(sentence: AnswerSentence) -> str:
    """Why a drafted sentence is not shown as proven: withdrawn (a rule refuted it) or not confirmed (it only
    fell short of the confidence line, and may be right)."""
    reason = sentence.reasons[0] if sentence.reasons else "not verified against the article"
    return f"not confirmed: {reason}" if sentence.status == UNCONFIRMED else f"withdrawn: {reason}"


def draft_markdown(sentence: AnswerSentence, note: str) -> str:
    """A drafted sentence that is not proven: struck out when refuted, left as written when only unconfirmed."""
    text = escape_markdown(sentence.text)
    return f"{text if sentence.status == UNCONFIRMED else f'~~{text}~~'} *({escape_markdown(note)})*"


def draft_html(sentence: AnswerSentence, note: str) -> str:
    text = html.escape(sentence.text)
    return f"{text if sentence.status == UNCONFIRMED else f'<s>{text}</s>'} <em>({html.escape(note)})</em>"


def _why(sentence: AnswerSentence) -> str:
    return "; ".join(sentence.reasons) or "not verified"


def withdrawn_markdown(answer: Answer) -> str:
    """The drafted sentences of an abstention that a rule refuted, struck out, each with why (empty when none)."""
    return " ".join(draft_markdown(s, _why(s)) for s in answer.refuted)


def unconfirmed_markdown(answer: Answer) -> str:
    """The drafted sentences of an abstention that only fell short of the confidence line, as written, each with
    its confidence (empty when none)."""
    return " ".join(draft_markdown(s, _why(s)) for s in answer.unconfirmed)


def answer_html(answer: Answer) -> str:
    """`answer_markdown` as inert HTML, for the chat: verified sentences with bold citation markers, withdrawn
    ones struck out with why, a refusal in italics."""
    if answer.outcome == "refused":
        return f"<p><em>{html.escape(answer.answer)}</em></p>"
    pieces = []
    for sentence in answer.sentences if answer.outcome == "answered" else []:
        text = html.escape(sentence.text)
        if sentence.verified:
            pieces.append(f"{text} " + "".join(f"<b>[{i}]</b>" for i in sentence.citations))
        else:
            pieces.append(draft_html(sentence, withdrawal_note(sentence)))
    return f"<p>{' '.join(pieces)}</p>" if pieces else f"<p><em>{html.escape(answer.answer)}</em></p>"


def withdrawn_html(answer: Answer, lead: str) -> str:
    """The drafted sentences of an abstention that a rule refuted, after `lead`, struck out, each with why; as a
    muted paragraph of inert HTML (empty when none)."""
    pieces = [draft_html(s, _why(s)) for s in answer.refuted]
    return f'<p style="{MUTED}">{html.escape(lead)} {" ".join(pieces)}</p>' if pieces else ""


def unconfirmed_html(answer: Answer, lead: str) -> str:
    """The drafted sentences of an abstention that only fell short of the confidence line, after `lead`, as
    written (not struck out: they may be right), each with its confidence; empty when none."""
    pieces = [draft_html(s, _why(s)) for s in answer.unconfirmed]
    return f'<p style="{MUTED}">{html.escape(lead)} {" ".join(pieces)}</p>' if pieces else ""


@dataclass
class Turn:
    """One exchange of a conversation, as kept in the chat history."""

    question: str
    answer: Answer | None  # None until the answer is finished (or when it failed or was interrupted)
    searched_for: str
    feedback: str | None = None  # "up" / "down"
    problem: str | None = None  # why there is no answer: the error, or that it was interrupted
    partial: str = ""  # what was streamed before an interruption
    check: QuoteCheck | None = None  # a question that asked whether a quotation is true, checked instead


def conversation_markdown(turns: list[Turn], title: str = "Conversation") -> str:
    lines = [f"# {title}", ""]
    for number, turn in enumerate(turns, start=1):
        lines += [f"## {number}. {escape_markdown(turn.question)}", ""]
        if turn.searched_for != turn.question:
            lines += [f"_Searched for: {escape_markdown(turn.searched_for)}_", ""]
        if turn.check is not None:
            lines += [f"**{VERDICT_LABELS[turn.check.verdict]}.** {escape_markdown(turn.check.message)}", ""]
            if turn.check.text is not None:
                lines += [f"> {escape_markdown(turn.check.source or '')}, characters {turn.check.start}–"
                          f"{turn.check.end}: “{escape_markdown(' '.join(turn.check.text.split()))}”", ""]
            continue
        if turn.answer is None:
            lines += [f"_Not answered: {escape_markdown(turn.problem or 'no answer')}_", ""]
            if turn.partial:
                lines += [f"_Unfinished answer:_ {escape_markdown(turn.partial)}", ""]
            continue
        lines += [answer_markdown(turn.answer), ""]
        if turn.answer.outcome == "abstained" and turn.answer.unconfirmed:
            lines += [f"{UNCONFIRMED_LEAD} {unconfirmed_markdown(turn.answer)}", ""]
        if turn.answer.outcome == "abstained" and turn.answer.refuted:
            lines += [f"{REFUTED_LEAD} {withdrawn_markdown(turn.answer)}", ""]
        for c in turn.answer.citations:
            lines.append(f"> \\[{c.id}\\] {escape_markdown(c.source)}, characters {c.start}–{c.end} "
                         f"(support {c.support:.2f}, {escape_markdown(c.speaker_label)}): "
                         f"“{escape_markdown(' '.join(c.quote.split()))}”")
        lines.append("")
    return "\n".join(lines)


def conversation_json(turns: list[Turn]) -> str:
    rows: list[dict[str, Any]] = []
    for turn in turns:
        row: dict[str, Any] = {"question": turn.question, "searched_for": turn.searched_for,
                               "feedback": turn.feedback}
        if turn.check is not None:
            row.update(quote_check=turn.check.to_dict())
        elif turn.answer is None:
            row.update(answer=None, problem=turn.problem, partial=turn.partial)
        else:
            row.update(turn.answer.to_dict())
        rows.append(row)
    return json.dumps({"turns": rows}, ensure_ascii=False, indent=2)


# -- a quote check (rag/quote_check.py) -------------------------------------------------------------------------
DELETED = "color: #b42318; text-decoration: line-through;"  # the article's words the quote changed or left out
INSERTED = "color: #067647; text-decoration: underline; font-weight: 600;"  # the quote's own words
VERDICT_LABELS = {"verbatim": "Verbatim", "altered": "Altered", "paraphrase": "Paraphrase",
                  "not_found": "Not in the articles"}


def quote_diff_html(check: QuoteCheck, article: str, around: int = 160) -> str:
    """The article's passage a checked quote stands against, escaped, with a little text around it: the span
    marked, each word the quote changed or left out struck through with what the quote says instead, and each word
    the quote added shown where it would stand. Empty when the check found no span."""
    if check.start is None or check.end is None:
        return ""
    lo, hi = max(0, check.start - around), min(len(article), check.end + around)
    edits = sorted(check.diff, key=lambda c: (c.article_start, c.article_end))
    parts = [html.escape(article[lo:check.start]), '<mark class="quoted" title="the span">']
    at = check.start
    for change in edits:
        parts.append(html.escape(article[at:change.article_start]))
        if change.article:
            parts.append(f'<del style="{DELETED}" title="{html.escape(_change_title(change.kind), quote=True)}">'
                         f"{html.escape(change.article)}</del>")
        if change.quote:
            parts.append(f'{" " if change.article else ""}<ins style="{INSERTED}" title="the quote says">'
                         f"{html.escape(change.quote)}</ins>")
        at = max(at, change.article_end)
    parts += [html.escape(article[at:check.end]), "</mark>", html.escape(article[check.end:hi])]
    return f'<p style="white-space: pre-wrap">{"…" if lo else ""}{"".join(parts)}{"…" if hi < len(article) else ""}</p>'


def _change_title(kind: str) -> str:
    titles = {"changed": "the article says (the quote changed it)",
              "dropped": "the article says (the quote leaves it out)"}
    return titles.get(kind, "the article says")
