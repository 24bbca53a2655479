"""Reliability: a crash loses nothing. `kill -9` in the middle of `rag ingest`, then ingest again → exactly
the chunks of a clean ingest; reports, uploads and the chat's unfinished turns survive failures."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from bench.synthetic import generate
from rag import Engine, Settings
from rag.chunking import chunk_document
from rag.corpus import load_corpus
from rag.embedding import MiniLMEmbedder
from rag.library import save_article
from rag.presentation import Turn, conversation_json, conversation_markdown
from rag.reporting import atomic_write
from tests.conftest import ARTICLE, BIN

CRASH = pytest.mark.reliability("crash safety", data=True)


def clean_ids(root: Path) -> set[str]:
    """The chunk ids a clean ingest of root/corpus stores (ids are content hashes)."""
    return {c.id for d in load_corpus([root / "corpus"], root) for c in chunk_document(d)}


def committed_chunks(sqlite: Path) -> int:
    """Chunks Chroma has committed so far (read-only look at its SQLite file while ingest runs)."""
    if not sqlite.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{sqlite}?mode=ro", uri=True, timeout=0.2)) as db:
            return int(db.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or busy


def stored_ids(engine: Engine) -> tuple[set[str], int]:
    ids = set().union(*engine.store.ids_by_source().values())
    return ids, engine.store.count()


@CRASH
@pytest.mark.slow
def test_kill_9_during_ingest_then_ingest_again(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """`kill -9` of `rag ingest` right after its first batch of chunks reached Chroma, then `rag ingest` again
    → the store holds exactly the clean ingest's chunk ids, no duplicates, and answers."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(ARTICLE, tmp_path / "corpus" / ARTICLE.name)
    generate(40, tmp_path / "corpus", words=1500, with_corpus=False)
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([str(BIN / "rag"), "ingest"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    sqlite = tmp_path / "data" / "chroma" / "chroma.sqlite3"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if committed_chunks(sqlite):
            break  # the first batch is committed and the next one is being embedded: kill now
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: make the corpus bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    engine = Engine(Settings(root=tmp_path, data_dir=tmp_path / "data"), embedder=embedder)  # as the CLI
    partial, _ = stored_ids(engine)
    engine.store.close()  # as the CLI's process ends
    expected = clean_ids(tmp_path)
    assert partial and partial < expected, "the kill came mid-ingest: some chunks stored, not all"
    done = subprocess.run([str(BIN / "rag"), "ingest"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    engine = Engine(Settings(root=tmp_path, data_dir=tmp_path / "data"), embedder=embedder)  # as the CLI
    ids, count = stored_ids(engine)
    assert ids == expected and count == len(expected)
    assert "47" in engine.ask("How old is Qais al-Khazali?", backend="extractive").answer


@CRASH
def test_report_write_that_fails_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report write that fails at the last step (rename) → the previous report is intact and no temporary
    file is left behind."""
    path = tmp_path / "report.md"
    atomic_write(path, "old report\n")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, "new report " * 10_000)
    assert path.read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@CRASH
def test_upload_write_that_fails_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upload whose write fails → no article file and no temporary file in corpus/ (and an existing
    article is never half-overwritten)."""
    save_article(tmp_path, "kept.txt", b"The original text.\n")

    def crash(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_article(tmp_path, "new.txt", b"New text.\n")
    with pytest.raises(OSError):
        save_article(tmp_path, "kept.txt", b"Replacement.\n", replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]
    assert (tmp_path / "kept.txt").read_bytes() == b"The original text.\n"


@CRASH
def test_exports_keep_unfinished_turns(engine: Engine) -> None:
    """A conversation with a finished answer, a failed question and an interrupted one → the Markdown and
    JSON exports hold all three questions, the error and the unfinished text."""
    answer = engine.ask("How old is Qais al-Khazali?", backend="extractive")
    turns = [Turn(answer.question, answer, answer.question),
             Turn("What about <Turkey>?", None, "What about <Turkey>?", problem="Lost the connection."),
             Turn("Where was he born?", None, "Where was he born?", problem="Interrupted.", partial="He was bo")]
    exported = json.loads(conversation_json(turns))["turns"]
    assert [t["question"] for t in exported] == [t.question for t in turns]
    assert exported[0]["answer"] == answer.answer
    assert exported[1] == {"question": "What about <Turkey>?", "searched_for": "What about <Turkey>?",
                           "feedback": None, "answer": None, "problem": "Lost the connection.", "partial": ""}
    assert exported[2]["partial"] == "He was bo"
    markdown = conversation_markdown(turns)
    assert "_Not answered: Lost the connection\\._" in markdown and "He was bo" in markdown
    assert "What about \\<Turkey\\>?" in markdown
