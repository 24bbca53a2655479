"""Managing the articles a person adds or removes through the app: checked, safely named, atomic.

An upload is checked before anything is written (size, UTF-8, not binary, not empty), named with a safe
file name inside the corpus folder, and written through a temporary file so a crash leaves either the old
state or the new one. Deleting removes the file and its chunks. Does not chunk or embed (see `Engine`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path

from rag.corpus import SUFFIXES, absolute, decode
from rag.errors import RagError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no odd characters, a known suffix."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SUFFIXES:
        raise RagError(f"{filename!r} is not a .txt or .md file.")
    stem = _UNSAFE.sub("-", stem).strip("-._")[:80] or "article"
    return f"{stem}.{suffix.lower()}"


def save_article(corpus_dir: Path, filename: str, data: bytes, *, replace: bool = False) -> Path:
    """Check an uploaded article and write it into the corpus folder; returns its path."""
    name = safe_name(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise RagError(f"{name} is {len(data) / 1e6:.1f} MB; uploads are limited to "
                       f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB.")
    text = decode(data, name)
    if not text.strip():
        raise RagError(f"{name} is empty.")
    target = corpus_dir / name
    if target.exists() and not replace:
        if target.read_bytes() == data:
            raise RagError(f"{name} is already in the corpus (same content).")
        raise RagError(f"An article named {name} already exists.", hint="rename the file or delete the old one")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=corpus_dir, prefix=f".{name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an article is an ordinary file
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def remove_article(corpus_dir: Path, path: Path) -> None:
    """Delete an article file (a link itself, never what it points to), refusing anything outside the corpus
    folder."""
    place = absolute(path)
    if absolute(corpus_dir) not in place.parents:
        raise RagError(f"{path} is not inside the corpus folder; not deleting it.")
    place.unlink(missing_ok=True)


_feedback_lock = threading.Lock()


def append_feedback(data_dir: Path, record: dict[str, object]) -> Path:
    """Append one feedback record as a JSON line; a single write under a lock, flushed to disk."""
    path = data_dir / "feedback.jsonl"
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    with _feedback_lock:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    return path
