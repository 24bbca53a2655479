"""Load articles from disk: decode, title, content hash.

The text is decoded from the file's bytes as UTF-8 and never altered afterwards (no newline translation,
no whitespace or Unicode normalisation), so every character offset the engine reports indexes the file
exactly as stored. Does not chunk, embed or store anything.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rag.errors import RagError

SUFFIXES = (".txt", ".md")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One article: where it lives, what it is called, and its exact text."""

    source: str  # path relative to the project root, as it appears in citations
    title: str
    text: str
    sha256: str  # of the file's bytes


def title_of(text: str, suffix: str = ".txt") -> str:
    """The first non-empty line, with Markdown heading marks removed for `.md`."""
    for line in text.splitlines():
        stripped = line.strip().lstrip("\ufeff")
        if stripped:
            if suffix == ".md":
                stripped = stripped.lstrip("#").strip() or stripped
            return stripped[:200]
    return "(untitled)"


def absolute(path: Path) -> Path:
    """`path` made absolute with `..` folded, links kept: a link is named by where it sits, not where it points."""
    return Path(os.path.abspath(path))


def source_name(path: Path, root: Path) -> str:
    """The citation name of a file: relative to `root` (the corpus folder's parent, `Settings.source_root`) when
    inside it, else absolute (POSIX slashes). Never depends on the working folder."""
    place = absolute(path)
    try:
        return place.relative_to(absolute(root)).as_posix()
    except ValueError:
        return place.as_posix()


def link_outside(path: Path, corpus: Path) -> str | None:
    """Why a file in the corpus folder is refused: it is a link (or sits under one) that leads out of the folder.
    None for every other file, including links between articles of the same folder."""
    place, folder = absolute(path), absolute(corpus)
    if folder not in place.parents:
        return None  # not in the corpus folder: named by its own place, nothing to refuse
    target = place.resolve()
    if folder.resolve() in target.parents:
        return None
    return (f"{source_name(place, folder.parent)} links to {target}, outside the corpus folder: not ingested "
            "(copy the file into the folder instead)")


def decode(data: bytes, name: str) -> str:
    """Strict UTF-8, with a message that says where decoding failed."""
    if b"\x00" in data:
        raise RagError(f"{name} looks like a binary file, not text.", hint="only UTF-8 .txt and .md are read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RagError(
            f"{name} is not valid UTF-8 (bad byte at position {err.start}).",
            hint="save it as UTF-8 and ingest again",
        ) from None


def load_document(path: Path, root: Path) -> Document:
    """Read one `.txt`/`.md` file exactly as stored."""
    name = source_name(path, root)
    if path.suffix.lower() not in SUFFIXES:
        raise RagError(f"{name}: only .txt and .md files can be ingested.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RagError(f"{name} is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise RagError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise RagError(f"{name} is a directory, not a file.") from None
    except PermissionError:
        raise RagError(f"{name} cannot be read (permission denied).") from None
    except OSError as err:
        raise RagError(f"{name} cannot be read: {err.strerror or err}.") from None
    text = decode(data, name)
    if not text.strip():
        raise RagError(f"{name} is empty.", hint="an article needs some text")
    return Document(
        source=name,
        title=title_of(text, path.suffix.lower()),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their `.txt`/`.md` files (sorted, recursive); keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
            )
        elif path.exists():
            found.append(path)
        else:
            raise RagError(f"{path} does not exist.", hint="give a file or a folder of .txt/.md articles")
    return found


def scan(paths: Iterable[Path], root: Path, corpus: Path | None = None) -> tuple[list[Document], list[str]]:
    """Load every article under `paths` (each once, however often it is named: `rag ingest corpus corpus/a.txt`),
    and say which files were refused: links from `corpus` to files outside it. A folder with no articles is an
    error a person can fix."""
    paths = list(paths)
    files = find_files(paths)
    verdicts = [(f, link_outside(f, corpus) if corpus is not None else None) for f in files]  # one resolve() each
    refused = [why for _, why in verdicts if why]
    kept = [f for f, why in verdicts if why is None]
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise RagError(f"No .txt or .md articles found in {where}.", hint="add an article and ingest again")
    documents = {d.source: d for d in (load_document(f, root) for f in kept)}
    return list(documents.values()), refused


def load_corpus(paths: Iterable[Path], root: Path) -> list[Document]:
    """Load every article under `paths` (see `scan`)."""
    return scan(paths, root)[0]
