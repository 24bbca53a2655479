"""Word for word (`rag/wording.py`): where a quote stands up to typography (offsets exact), the word-level diff
against a passage, and the changes that flip meaning."""

from __future__ import annotations

import pytest

from rag.wording import align, find, meaning_changes, strip_quote

TEXT = ("Councillor Peter Hale disagreed. \u201cThe cost has doubled since March \u2013 and nobody has explained "
        "why,\u201d he said.  Officials might  approve it in June, and the 47 members will vote.")


@pytest.mark.parametrize(("quote", "found", "ignored"), [
    ("The cost has doubled since March", "The cost has doubled since March", ()),
    ("\u201cThe cost has doubled since March\u201d.", "The cost has doubled since March", ()),
    ("the COST has doubled since march", "The cost has doubled since March", ("case",)),
    ("doubled since March - and nobody", "doubled since March \u2013 and nobody", ("dashes",)),
    ("he said. Officials might approve it", "he said.  Officials might  approve it", ("white space",)),
    ("explained why,\" he said", "explained why,\u201d he said", ("quotation marks",)),
    ("The cost has doubled \u2026 nobody has explained why", "The cost has doubled since March \u2013 and nobody "
     "has explained why", ("words left out at \u2026",)),
    ("the cost has tripled", None, None),
    ("Officials might approve it in June ... the cost has doubled", None, None),  # parts out of order
], ids=["exact", "own quotation marks", "case", "dash", "white space", "curly quotes", "ellipsis",
        "another word", "out of order"])
def test_find_up_to_typography(quote: str, found: str | None, ignored: tuple[str, ...] | None) -> None:
    where = find(TEXT, quote)
    if found is None:
        assert where is None
        return
    assert where is not None and TEXT[where.start:where.end] == found
    assert where.normalisations == ignored


def test_strip_quote_keeps_inner_marks() -> None:
    assert strip_quote('  "He said \u2018no\u2019 twice."  ') == "He said \u2018no\u2019 twice"


@pytest.mark.parametrize(("quote", "changes", "meaning"), [
    ("The cost has tripled since March", [("changed", "tripled", "doubled")], []),
    ("Officials will approve it in June", [("changed", "will", "might")],
     ["hedge removed: \u201cmight\u201d \u2192 \u201cwill\u201d"]),
    ("Officials might not approve it in June", [("added", "not", "")],
     ["negation added: \u201c\u2026\u201d \u2192 \u201cnot\u201d"]),
    ("the 57 members will vote", [("changed", "57", "47")],
     ["number changed: \u201c47\u201d \u2192 \u201c57\u201d"]),
    ("Councillor Paul Hale disagreed", [("changed", "Paul", "Peter")],
     ["name changed: \u201cPeter\u201d \u2192 \u201cPaul\u201d"]),
    ("The cost has doubled and nobody has explained why", [("dropped", "", "since March")], []),
    ("He said the cost had doubled since March",  # "He" names no one: no name changed
     [("changed", "He said", "Hale disagreed"), ("changed", "had", "has")], []),
], ids=["word changed", "hedge removed", "negation added", "number", "name", "words dropped",
        "reported speech names no one"])
def test_the_diff_and_what_it_does_to_the_meaning(quote: str, changes: list[tuple[str, str, str]],
                                                   meaning: list[str]) -> None:
    aligned = align(quote, TEXT, 100)
    assert aligned is not None
    assert [(c.kind, c.quote, c.article) for c in aligned.changes] == changes
    for c in aligned.changes:  # the article's side, exactly where it stands (the text starts at offset 100)
        assert TEXT[c.article_start - 100:c.article_end - 100] == c.article
    assert meaning_changes(aligned.changes) == meaning
