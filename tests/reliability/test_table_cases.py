"""Reliability: tables and lists (`../shared/cases/inventory.md`, the Python licence's release table). A row is
a statement its header names the columns of: retrieval reads the table whole, the model reads each row as
"Item: Laptops; Quantity: 42; Room: Room 12", an answer quotes the row itself (exact offsets), and a row proves
nothing about another row's subject. Answers are checked by the answer policy as if a model had drafted them
(`Engine.check`, no model needed)."""

from __future__ import annotations

import pytest

from rag import Engine
from rag.context import select_context
from rag.embedding import MiniLMEmbedder
from tests.conftest import REPO

TABLES = pytest.mark.reliability("reading")
INVENTORY = (REPO.parent / "shared" / "cases" / "inventory.md").read_text(encoding="utf-8")
LICENCE = (REPO / "corpus" / "python-history-and-license.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    from tests.conftest import engine_over
    return engine_over(tmp_path_factory.mktemp("tables"), {"inventory.md": INVENTORY, "licence.txt": LICENCE},
                       embedder, backend="extractive")


def checked(engine: Engine, question: str, answer: str) -> tuple[list[str], list[str]]:
    """The rules' reasons against `answer` and the quotes it cites."""
    result = engine.check(question, answer, backend="extractive")
    reasons = [r for s in result.sentences for r in s.reasons if not r.startswith("confidence")]
    return reasons, [c.quote for c in result.citations]


@TABLES
@pytest.mark.parametrize(("question", "answer", "row"), [
    ("How many laptops does the school have?", "The school has 42 laptops.", "| Laptops | 42 | Room 12 |"),
    ("Where are the microscopes kept?", "The microscopes are kept in Lab B.", "| Microscopes | 15 | Lab B |"),
    ("In what year was Python 1.6 released?", "Python 1.6 was released in 2000.",
     "1.6             1.5.2       2000        CNRI        no"),
], ids=["laptops (42)", "microscopes (Lab B)", "Python 1.6 (2000)"])
def test_a_table_row_answers_and_is_quoted_itself(tables: Engine, question: str, answer: str, row: str) -> None:
    """The issue's "How many laptops does the school have?" (42) and "Where are the microscopes kept?" (Lab B),
    abstained before: every rule passes, and the quote is the row as it stands in the file."""
    reasons, quotes = checked(tables, question, answer)
    assert reasons == [] and quotes[0] == row


@TABLES
def test_a_list_answer_quotes_every_item(tables: Engine) -> None:
    """"What does the school still need?" → the three items of the list the line "Things the school still
    needs:" introduces, each quoted."""
    reasons, quotes = checked(tables, "What does the school still need?",
                              "The school still needs 20 chairs for the library, 3 whiteboards and a new printer.")
    assert reasons == []
    assert sorted(quotes) == ["- 20 chairs for the library", "- 3 whiteboards", "- a new printer for the office"]


@TABLES
def test_a_row_proves_nothing_about_another_rows_subject(tables: Engine) -> None:
    """"Is Python 2.0 GPL-compatible?" answered "Yes" (the local model's draft, from the row of 2.0.1) is withdrawn;
    the right "No" quotes the row of 2.0, and "No, Python 2.1 is not …" the row of 2.1, not a footnote that
    merely says "GPL-compatible"; a row quoted for a subject the sentence does not name is withdrawn."""
    reasons, _ = checked(tables, "Is Python 2.0 GPL-compatible?", "Yes, Python 2.0 is GPL-compatible.")
    assert reasons
    for release in ("2.0", "2.1"):
        reasons, quotes = checked(tables, f"Is Python {release} GPL-compatible?",
                                  f"No, Python {release} is not GPL-compatible.")
        assert reasons == [] and quotes == [next(line.strip() for line in LICENCE.splitlines()
                                                 if line.strip().startswith(f"{release}  "))], (reasons, quotes)
    reasons, _ = checked(tables, "Which item is kept in Room 3?", "The laptops are kept in Room 3.")
    assert reasons, "the row of the projectors (Room 3) is no proof about the laptops"


@TABLES
def test_the_table_is_retrieved_and_read_whole(tables: Engine) -> None:
    """"Which Python releases are not GPL-compatible?" (1.6, 2.0 and 2.1, refused before): one passage holds
    every row of the table, and the model reads all eleven, each with its columns named."""
    question = "Which Python releases are not GPL-compatible?"
    passages = tables.retrieve(question)
    first, last = LICENCE.index("0.9.0 thru 1.2"), LICENCE.index("2.2 and above")
    assert any(p.start <= first and last <= p.end for p in passages)
    assert all(LICENCE[p.start:p.end] == p.text for p in passages if p.source.endswith("licence.txt"))
    context, _ = select_context(tables.scorer, question, passages, tables.settings.context_sentences)
    rows = [s.reads for s in context if s.table is not None]
    assert len(rows) == 11
    assert "Release: 2.1; Derived from: 2.0+1.6.1; Year: 2001; Owner: PSF; GPL-compatible? (1): no" in rows
