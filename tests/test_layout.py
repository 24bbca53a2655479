"""Tables and lists read as statements (`rag/layout.py`): exact row offsets, header names, row keys, tables told
apart, and prose never read as a table."""

from __future__ import annotations

import pytest

from rag.chunking import chunk_document, window_reads
from rag.corpus import Document
from rag.layout import KEY, ROW, TABLE, rows, stated
from rag.settings import Settings
from tests.conftest import REPO

PIPE = ("# Supplies\n\nThe school counted its supplies.\n\n| Item | Quantity | Room |\n|------|---:|------|\n"
        "| Laptops | 42 | Room 12 |\n| Microscopes | 15 | Lab B |\n\nThings the school still needs:\n\n"
        "- 20 chairs\n- 3 whiteboards\n")


def by_kind(text: str, kind: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.value) for m in rows(text) if m.kind == kind]


def test_a_pipe_table_row_states_its_cells_by_column() -> None:
    assert by_kind(PIPE, ROW)[:2] == [("| Laptops | 42 | Room 12 |", "Item: Laptops; Quantity: 42; Room: Room 12"),
                                      ("| Microscopes | 15 | Lab B |", "Item: Microscopes; Quantity: 15; Room: Lab B")]
    assert by_kind(PIPE, KEY) == [("| Laptops | 42 | Room 12 |", "Laptops"),
                                  ("| Microscopes | 15 | Lab B |", "Microscopes")]


def test_a_list_item_states_the_line_that_introduces_it_and_has_no_key() -> None:
    assert by_kind(PIPE, ROW)[2:] == [("- 20 chairs", "Things the school still needs: 20 chairs"),
                                      ("- 3 whiteboards", "Things the school still needs: 3 whiteboards")]


def test_rows_of_one_table_share_it_and_the_list_is_another() -> None:
    tables = [value for _, value in by_kind(PIPE, TABLE)]
    assert tables[0] == tables[1] != tables[2] == tables[3]


def test_the_python_licence_table_of_aligned_columns() -> None:
    """The header's second line continues its cells ("Derived" "from", "GPL-" "compatible? (1)"); an empty cell
    is left out; the row's first cell is what it is about."""
    text = (REPO / "corpus" / "python-history-and-license.txt").read_text(encoding="utf-8")
    found = by_kind(text, ROW)
    assert len(found) == 11
    assert found[0] == ("0.9.0 thru 1.2              1991-1995   CWI         yes",
                        "Release: 0.9.0 thru 1.2; Year: 1991-1995; Owner: CWI; GPL-compatible? (1): yes")
    assert found[2][1] == "Release: 1.6; Derived from: 1.5.2; Year: 2000; Owner: CNRI; GPL-compatible? (1): no"
    assert [key for _, key in by_kind(text, KEY)][2:6] == ["1.6", "2.0", "1.6.1", "2.1"]


@pytest.mark.parametrize("text", [
    "All Python releases are Open Source (see the site for\nthe definition).  Historically, most, but not all,\n"
    "releases have also been compatible.  The table below summarizes\nthe various releases.  It is short.\n",
    "- 20 chairs\n- 3 whiteboards\n",  # a list nothing introduces
    "Name  Age\n",  # a header alone
], ids=["prose with two spaces after full stops", "a list without its introduction", "a header without rows"])
def test_what_is_not_a_table_or_an_introduced_list(text: str) -> None:
    assert rows(text) == []


def test_a_text_as_retrieval_reads_it() -> None:
    """A chunk's rows are replaced by their statements for the indexes; the rest of the text is kept."""
    marks = rows(PIPE)
    start = PIPE.index("| Laptops")
    end = PIPE.index("| Microscopes") - 1
    assert stated(PIPE[start:end], start, marks) == "Item: Laptops; Quantity: 42; Room: Room 12"
    assert stated("No rows here.", 0, marks) == "No rows here."


@pytest.mark.parametrize("name", ["inventory.md", "quotes.txt", "python-history-and-license.txt"])
def test_what_a_window_indexes_is_known_before_the_parse(name: str) -> None:
    """Ingest embeds `window_reads` while the parse runs: they must be the chunks' own `reads`, table rows and all."""
    path = REPO / "corpus" / name if name.startswith("python") else REPO.parent / "shared" / "cases" / name
    doc = Document(f"corpus/{name}", name, path.read_text(encoding="utf-8"), "")
    settings = Settings()
    assert window_reads(doc, settings) == [c.reads for c in chunk_document(doc, settings)]
