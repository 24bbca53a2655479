"""Word for word: is a quote in a text — exactly, up to typography, or with words changed — and what changed.

Pure functions over strings, with exact character offsets into the text as stored: where a quote stands in an
article (`find`: exact, then ignoring case, white space, quotation-mark and dash styles, with "…" standing for
left-out words), and, for a quote that is not there, the word-level alignment against a passage (`align`: the
passage's words the quote matches, and each word added, dropped or changed) and the changes that flip meaning
(`meaning_changes`: a negation added or dropped, a number or a name changed, a hedge removed or added). Does not
retrieve, read speakers or call a model (`rag/quote_check.py` does).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.lexicon import NEGATIONS, NUMBER_WORDS, SOFTENERS, STOP_WORDS

_DOUBLE = "\"“”„‟«»″〝〞"
_SINGLE = "'‘’‚‛′"
_DASHES = "-‐‑‒–—―−"
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_WORD = re.compile(r"[^\W_]+(?:[’'.,:/-][^\W_]+)*")
_QUOTE_EDGE = _DOUBLE + _SINGLE + " \t\n"
MAX_GAP = 400  # characters between the parts of a quote with "…" in it


def _fold_case(c: str) -> str:
    return c.lower()


def _fold_space(c: str) -> str:
    return " " if c.isspace() else c


def _fold_marks(c: str) -> str:
    return '"' if c in _DOUBLE else "'" if c in _SINGLE else c


def _fold_dashes(c: str) -> str:
    return "-" if c in _DASHES else c


# What `find` may ignore, by the name a person reads in the result.
FOLDS: dict[str, Callable[[str], str]] = {"case": _fold_case, "white space": _fold_space,
                                          "quotation marks": _fold_marks, "dashes": _fold_dashes}


_ALL_FOLDS = str.maketrans({**{c: '"' for c in _DOUBLE}, **{c: "'" for c in _SINGLE}, **{c: "-" for c in _DASHES},
                            "\t": " ", "\n": " ", "\r": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
                            "\f": " ", "\v": " "})
_SPACES = re.compile(r" {2,}")


@functools.lru_cache(maxsize=64)
def folded(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` with every fold applied (case, white space, quotation marks, dashes) and white-space runs made one
    space, and for each character kept its offset in `text`; cached, since an article is searched again and again."""
    plain = text.translate(_ALL_FOLDS)
    lower = plain.lower()
    if len(lower) != len(plain):  # a letter whose lower case is longer ("İ"): the slow way
        out, slow = _folded(text, list(FOLDS.values()))
        return out, tuple(slow)
    keep = list(range(len(lower)))
    for run in _SPACES.finditer(lower):
        keep[run.start() + 1:run.end()] = [-1] * (run.end() - run.start() - 1)
    return _SPACES.sub(" ", lower), tuple(i for i in keep if i >= 0)


def _folded(text: str, folds: Sequence[Callable[[str], str]]) -> tuple[str, list[int]]:
    """`text` with every fold applied and white-space runs made one space, and for each character kept, its offset
    in `text`."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        for fold in folds:
            c = fold(c)
        if c == " " and out and out[-1] == " " and _fold_space in folds:
            continue
        out.append(c)
        where.append(i)
    return "".join(out), where


def strip_quote(quote: str) -> str:
    """The words quoted, without the quotation marks around them or a full stop after them."""
    text = quote.strip()
    for _ in range(2):
        text = text.strip(_QUOTE_EDGE).rstrip(".,;:").strip(_QUOTE_EDGE)
    return text


@dataclass(frozen=True)
class Found:
    """Where a quote stands in a text, and what had to be ignored to find it there."""

    start: int
    end: int
    normalisations: tuple[str, ...] = ()


def find(text: str, quote: str) -> Found | None:
    """The first place `quote` (its own quotation marks aside) stands in `text`: exactly, else with every fold, each
    part of a quote with "…" in order and near each other; None if it is not there."""
    words = strip_quote(quote)
    if not words:
        return None
    at = text.find(words)
    if at >= 0:
        return Found(at, at + len(words))
    parts = [p for p in _ELLIPSIS.split(words) if p.strip(" .,")]
    haystack, where = folded(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for part in parts:
        needle = folded(part.strip(" ,"))[0].strip()
        if not needle:
            return None
        hit = haystack.find(needle, cursor)
        if hit < 0 or (spans and where[hit] - spans[-1][1] > MAX_GAP):
            return None
        spans.append((where[hit], where[hit + len(needle) - 1] + 1))
        cursor = hit + len(needle)
    start, end = spans[0][0], spans[-1][1]
    used = [name for name in FOLDS if _needed(name, text[start:end], parts)]
    return Found(start, end, tuple(used + (["words left out at …"] if len(parts) > 1 else [])))


def _needed(name: str, found: str, parts: list[str]) -> bool:
    """Whether the fold `name` was needed: without it, some part is not in the found text."""
    others = [f for n, f in FOLDS.items() if n != name]
    haystack = _folded(found, others)[0]
    return any(_folded(p.strip(" ,"), others)[0].strip() not in haystack for p in parts)


# -- word-level alignment ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str
    start: int  # offsets into the text the word was read from (plus the offset it was given)
    end: int

    @property
    def norm(self) -> str:
        return self.text.translate(_ALL_FOLDS).lower().strip(".,:")


def words_of(text: str, offset: int = 0) -> list[Word]:
    return [Word(m.group(0), offset + m.start(), offset + m.end()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Change:
    """One difference between a quote and the article: `added` (words the quote has and the article does not),
    `dropped` (the article's words the quote leaves out), `changed` (both); `article_start`/`article_end` locate
    the article's side (or where the added words would stand)."""

    kind: str
    quote: str
    article: str
    article_start: int
    article_end: int

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "quote": self.quote, "article": self.article,
                "article_start": self.article_start, "article_end": self.article_end}


@dataclass(frozen=True)
class Alignment:
    """A quote against one passage: the passage's span from the first to the last word matched, how alike
    (`ratio`: 2 × matched words / all words of both), how much of the quote is matched, and the changes."""

    start: int
    end: int
    ratio: float
    matched: int
    quote_words: int
    changes: tuple[Change, ...]

    @property
    def coverage(self) -> float:
        return self.matched / self.quote_words if self.quote_words else 0.0


def align(quote: str, passage: str, offset: int = 0) -> Alignment | None:
    """The quote's words against the passage's (which starts at document offset `offset`), over the passage's
    stretch from its first to its last word matched; None when no word matches."""
    q = words_of(strip_quote(quote))
    p = words_of(passage, offset)
    if not q or not p:
        return None
    matcher = difflib.SequenceMatcher(None, [w.norm for w in q], [w.norm for w in p], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # The stretch where the matches gather: blocks no further apart than the quote is long; a stray "the" far
    # away is no part of it.
    clusters: list[list[difflib.Match]] = [[blocks[0]]]
    for block in blocks[1:]:
        last = clusters[-1][-1]
        if block.b - (last.b + last.size) <= len(q):
            clusters[-1].append(block)
        else:
            clusters.append([block])
    cluster = max(clusters, key=lambda c: sum(b.size for b in c))
    lo, hi = cluster[0].b, cluster[-1].b + cluster[-1].size
    # The quote's unmatched words at either end stand against as many of the passage's ("the 57 members" against
    # "the 47 members"): a changed first or last word is a change, not an addition.
    lo = max(0, lo - cluster[0].a)
    hi = min(len(p), hi + len(q) - (cluster[-1].a + cluster[-1].size))
    region = p[lo:hi]
    matcher = difflib.SequenceMatcher(None, [w.norm for w in q], [w.norm for w in region], autojunk=False)
    matched = sum(b.size for b in matcher.get_matching_blocks())
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        said = " ".join(w.text for w in q[i1:i2])
        theirs = " ".join(w.text for w in region[j1:j2])
        if j1 < j2:
            a, b = region[j1].start, region[j2 - 1].end
        else:
            a = b = region[j1].start if j1 < len(region) else region[-1].end
        kind = {"replace": "changed", "delete": "added", "insert": "dropped"}[op]
        changes.append(Change(kind, said, theirs, a, b))
    ratio = 2 * matched / (len(q) + len(region))
    return Alignment(region[0].start, region[-1].end, ratio, matched, len(q), tuple(changes))


# -- what a change does to the meaning -----------------------------------------------------------------------
def _numbers(text: str) -> set[str]:
    found = set(re.findall(r"\d+(?:[.,]\d+)*", text))
    return found | {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS}


def _names(text: str) -> set[str]:
    """Capitalised words that are not function words: a sentence's first "We", "I'd" or "The" names no one."""
    return {w for w in re.findall(r"[^\W\d_][\w’'-]*", text)
            if w[:1].isupper() and re.split(r"['’]", w.lower())[0] not in STOP_WORDS}


def _has(words: frozenset[str], text: str) -> bool:
    lowered = f" {' '.join(re.findall(r'[a-z’]+', text.lower().replace('n’t', ' not').replace(chr(39), '’')))} "
    return any(f" {w} " in lowered for w in words)


def meaning_changes(changes: Sequence[Change]) -> list[str]:
    """The changes that flip what a quote means, in words a person reads: a negation added or dropped, a number or
    a name changed, a hedge removed or added ("might" → "will")."""
    found: list[str] = []
    for c in changes:
        said, theirs = c.quote, c.article
        if _has(NEGATIONS, said) != _has(NEGATIONS, theirs):
            found.append(f"negation {'added' if _has(NEGATIONS, said) else 'dropped'}: "
                         f"“{theirs or '…'}” → “{said or '…'}”")
        if _numbers(said) != _numbers(theirs) and (_numbers(said) or _numbers(theirs)):
            found.append(f"number changed: “{theirs or '…'}” → “{said or '…'}”")
        if _names(said) - _names(theirs) and _names(theirs) - _names(said):
            found.append(f"name changed: “{theirs}” → “{said}”")
        hedged, hedges = _has(SOFTENERS, theirs), _has(SOFTENERS, said)
        if hedged and not hedges:
            found.append(f"hedge removed: “{theirs}” → “{said or '…'}”")
        elif hedges and not hedged:
            found.append(f"hedge added: “{theirs or '…'}” → “{said}”")
    return found
