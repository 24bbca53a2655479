"""Tables and lists read as statements: a row means what its header says of it.

A table row ("| Laptops | 42 | Room 12 |") or a list item ("- 20 chairs for the library") is no sentence, so it
would never be quoted, and read alone it says little. At ingest each becomes a `ROW` mark over the row's exact
span, whose value is the row as a statement: its cells named by their columns ("Item: Laptops; Quantity: 42;
Room: Room 12"), a list item after the line that introduces the list ("Things the school still needs: 20 chairs
for the library"). What is quoted stays the row itself (offsets into the file as stored); what the models read
and score is the statement (`SourceSpan.reads`).

Two table shapes are read: Markdown pipe tables (a header row, then a `|---|` rule) and plain-text tables of
aligned columns (a header of one or more lines, columns two or more spaces apart, as in the Python licence's
release table). A table row's first cell is what the row is about (`KEY`): "Is 2.0 GPL-compatible?" is not
answered by the row of 2.0.1. A list is read only when a line ending in ":" introduces it. Does not parse prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.reading import Mark

ROW = "ROW"  # a table row or list item, and what it states
KEY = "KEY"  # a table row, and its first cell: what the row is about ("Laptops", "1.6")
TABLE = "TABLE"  # a table row or list item, and the offset where its table (or list) starts: rows of one table share it
_PIPE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*$")
_PIPE_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+(?:[ \t]*:?-{2,}:?[ \t]*)?[ \t]*$")
_CELL_GAP = re.compile(r"\S(?: ?\S)*")  # a cell of an aligned table: words one space apart
_ALIGNED = re.compile(r"\S {2,}\S")
_ITEM = re.compile(r"[ \t]*(?:[-*•+]|\d{1,3}[.)])[ \t]+(?=\S)")
_MAX_ROWS = 60  # rows after a header; a longer run of aligned lines is a layout, not a table


def _lines(text: str) -> list[tuple[int, int]]:
    """Every line's `[start, end)`, without its line break."""
    found, at = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        found.append((at, at + len(body)))
        at += len(line)
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def statement(names: list[str], cells: list[str]) -> str:
    """A row as a statement: each non-empty cell named by its column ("Quantity: 42")."""
    parts = [f"{name}: {cell}" if name else cell for name, cell in zip(names, cells, strict=False) if cell]
    return "; ".join(parts)


def _pipe_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _pipe_tables(text: str, lines: list[tuple[int, int]]) -> Iterator[Mark]:
    i = 0
    while i + 1 < len(lines):
        head, rule = (text[a:b] for a, b in lines[i:i + 2])
        if not (_PIPE_ROW.match(head) and _PIPE_RULE.match(rule)):
            i += 1
            continue
        names = _pipe_cells(head)
        i += 2
        while i < len(lines) and _PIPE_ROW.match(text[lines[i][0]:lines[i][1]]):
            a, b = _trimmed(text, *lines[i])
            cells = _pipe_cells(text[a:b])
            if said := statement(names, cells):
                yield Mark(a, b, ROW, said)
                if cells[0]:
                    yield Mark(a, b, KEY, cells[0])
            i += 1


def _cells(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """An aligned line's cells: runs of words one space apart, with their column (offset in the line)."""
    return [(m.start(), m.group(0)) for m in _CELL_GAP.finditer(text[start:end])]


def _column_of(at: int, starts: list[int]) -> int:
    """The column a cell starting at `at` belongs to: the last one starting at or before it (one space slack)."""
    return max((i for i, s in enumerate(starts) if s <= at + 1), default=0)


def _aligned_tables(text: str, lines: list[tuple[int, int]]) -> Iterator[Mark]:
    """Tables of columns two or more spaces apart: a header (every line before a blank one, or the first line),
    then rows; a header cell continued on the next line ("GPL-" / "compatible?") is joined."""
    i = 0
    while i < len(lines):
        block: list[tuple[int, int]] = []
        while i < len(lines) and (_ALIGNED.search(text[lines[i][0]:lines[i][1]]) or (
                block and not text[lines[i][0]:lines[i][1]].strip() and len(block) <= 3 and i + 1 < len(lines)
                and _ALIGNED.search(text[lines[i + 1][0]:lines[i + 1][1]]))):
            block.append(lines[i])
            i += 1
        i += 1
        blank = next((n for n, (a, b) in enumerate(block) if not text[a:b].strip()), None)
        header, rows = (block[:blank], block[blank + 1:]) if blank else (block[:1], block[1:])
        if len(rows) < 2 or len(rows) > _MAX_ROWS:
            continue
        first = _cells(text, *header[0])
        starts = [at for at, _ in first]
        if len(starts) < 2:
            continue
        names = [name for _, name in first]
        if not all(_fits(_cells(text, a, b), starts) for a, b in header[1:] + rows):
            continue  # prose with two spaces after its full stops, not columns
        for a, b in header[1:]:
            for at, words in _cells(text, a, b):
                col = _column_of(at, starts)
                names[col] = f"{names[col]}{'' if names[col].endswith('-') else ' '}{words}"
        for a, b in rows:
            cells = [""] * len(starts)
            for at, words in _cells(text, a, b):
                col = _column_of(at, starts)
                cells[col] = f"{cells[col]} {words}".strip()
            lo, hi = _trimmed(text, a, b)
            if said := statement(names, cells):
                yield Mark(lo, hi, ROW, said)
                if cells[0]:
                    yield Mark(lo, hi, KEY, cells[0])


def _fits(cells: list[tuple[int, str]], starts: list[int]) -> bool:
    """Whether every cell of a line starts under a header column (one space slack)."""
    return all(any(abs(at - s) <= 1 for s in starts) for at, _ in cells)


def _lists(text: str, lines: list[tuple[int, int]]) -> Iterator[Mark]:
    """Items of a list a line ending in ":" introduces (blank lines between them allowed)."""
    intro: str | None = None
    for a, b in lines:
        line = text[a:b]
        if not line.strip():
            continue
        if item := _ITEM.match(line):
            if intro:
                lo, hi = _trimmed(text, a + item.end(), b)
                yield Mark(*_trimmed(text, a, b), ROW, f"{intro} {text[lo:hi]}")
            continue
        intro = line.strip() if line.rstrip().endswith(":") else None


def rows(text: str) -> list[Mark]:
    """Every table row and introduced list item of `text` as a `ROW` mark (what it states) and a `TABLE` mark
    (where its table starts), in reading order."""
    lines = _lines(text)
    found: dict[tuple[int, int], list[Mark]] = {}
    for m in [*_lists(text, lines), *_aligned_tables(text, lines), *_pipe_tables(text, lines)]:
        here = found.setdefault((m.start, m.end), [])
        if m.kind == ROW:
            here.clear()  # a pipe table read as one last: its reading of the line wins
        here.append(m)
    marks: list[Mark] = []
    first, last = 0, 0
    for n, (start, end) in enumerate(sorted(found)):
        if n == 0 or text[last:start].strip():
            first = start  # anything but white space between two rows: a new table
        marks += [*found[(start, end)], Mark(start, end, TABLE, str(first))]
        last = end
    return marks


def names_key(key: str, text: str) -> bool:
    """Whether `text` names a row's first cell: as a whole ("2.0" is not in "2.0.1"), any case, a singular for a
    plural ("laptop", "Laptops")."""
    forms = {key, key[:-1]} if key.lower().endswith("s") and len(key) > 3 else {key}
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?!\w|\.\w)", text, re.IGNORECASE) for form in forms)


def cells_of(row: str) -> list[str]:
    """A table row's cells, read from its text (a pipe row's or an aligned one's)."""
    return [c for c in re.split(r"\s*\|\s*|\s{2,}", row.strip()) if c]


def row_at(marks: tuple[Mark, ...] | list[Mark], start: int, end: int) -> Mark | None:
    """The row mark that is exactly `[start, end)`, if the span is a table row or list item."""
    return next((m for m in marks if m.kind == ROW and m.start == start and m.end == end), None)


def stated(text: str, offset: int, marks: tuple[Mark, ...] | list[Mark]) -> str:
    """`text` (which starts at document offset `offset`) with each row mark inside it replaced by its statement."""
    parts, at = [], 0
    for m in sorted((m for m in marks if m.kind == ROW), key=lambda m: m.start):
        a, b = m.start - offset, m.end - offset
        if a >= at and b <= len(text):
            parts += [text[at:a], m.value]
            at = b
    return "".join(parts) + text[at:] if parts else text
