"""Reliability: a crash loses nothing. `kill -9` in the middle of `rag ingest`, then ingest again → exactly
the chunks of a clean ingest; reports, uploads and the chat's unfinished turns survive failures."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.synthetic import generate
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
    return {c.id for d in load_corpus([root / "corpus"], root) for c in chunk_document(d, Settings())}


def stored_ids(engine: Engine) -> tuple[set[str], int]:
    ids = set().union(*engine.store.stored_state().ids().values())
    return ids, engine.store.count()


# `rag ingest`'s own call (Engine.ingest, as rag/cli.py makes it), in a process of its own, with the store's write
# of one batch of chunks to Chroma wrapped: after the first of several batches is written it says so on stdout and
# waits, so the kill always lands after some chunks are stored and before the rest, on any machine. (The progress
# callback cannot say it: it reports chunks embedded, and the embedding runs before the writes.)
INGEST_THEN_WAIT = """
import sys
from rag import Engine, Settings
from rag.store import WRITE_BATCH, ChunkStore

written = ChunkStore._add

def add(self, chunks, ahead):
    written(self, chunks, ahead)
    print(f"stored {len(chunks)}", flush=True)
    if len(chunks) == WRITE_BATCH:  # a full batch: the rest comes in the next ones
        sys.stdin.read()  # wait here for the kill

ChunkStore._add = add
Engine(Settings.from_env()).ingest()
print("finished", flush=True)
"""


def read_line(proc: subprocess.Popen[str], seconds: float) -> str:
    """The next line `proc` prints, waiting at most `seconds` for it."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], seconds)
    if not ready:
        raise AssertionError(f"nothing printed within {seconds:.0f} s")
    return proc.stdout.readline().strip()


@CRASH
@pytest.mark.slow
def test_kill_9_during_ingest_then_ingest_again(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """`kill -9` of an ingest right after its first batch of chunks reached Chroma, then `rag ingest` again
    → the store holds exactly the clean ingest's chunk ids, no duplicates, and answers."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(ARTICLE, tmp_path / "corpus" / ARTICLE.name)
    generate(24, tmp_path / "corpus", words=1500, with_corpus=False)
    expected = clean_ids(tmp_path)
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "ingest.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", INGEST_THEN_WAIT], cwd=tmp_path, env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
    try:
        line = read_line(proc, 600)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # kill -9, as a crash would
        proc.communicate()
    # a first batch that is all of it would mean the corpus fits in one batch: nothing left to interrupt.
    assert re.fullmatch(r"stored \d+", line), (line, log.read_text()[-2000:])
    assert int(line.split()[1]) < len(expected), "the corpus fits in one batch: make it bigger"
    assert proc.returncode == -signal.SIGKILL
    done = int(line.split()[1])

    engine = Engine(Settings(root=tmp_path, data_dir=tmp_path / "data"), embedder=embedder)  # as the CLI
    partial, count = stored_ids(engine)
    engine.store.close()  # as the CLI's process ends
    assert len(partial) == count == done and partial < expected, "the first batch is stored, the rest is not"
    again = subprocess.run([str(BIN / "rag"), "ingest"], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    engine = Engine(Settings(root=tmp_path, data_dir=tmp_path / "data"), embedder=embedder)  # as the CLI
    ids, count = stored_ids(engine)
    assert ids == expected and count == len(expected)
    answer = engine.ask("How old is Qais al-Khazali?", backend="extractive")
    assert answer.answer == "Al-Khazali was born in Sadr City, and he is 47 years old now."


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
