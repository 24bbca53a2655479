"""Shared fixtures: the real article, the real MiniLM model, real Chroma (embedded and `chroma run`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Engine, Settings
from rag.embedding import MiniLMEmbedder

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "corpus" / "qais-al-khazali-interview-iran.txt"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    model = MiniLMEmbedder()
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1, for the whole session."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="session", params=["embedded", "server"])
def store_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_settings(tmp: Path, chroma_url: str | None = None, **changes: object) -> Settings:
    collection = f"t{os.getpid()}-{tmp.name}"[-60:].strip("-_.") or "tests"
    settings = Settings(root=REPO, data_dir=tmp / "data", chroma_url=chroma_url, collection=collection)
    return settings.with_(**changes) if changes else settings


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    """An engine over the real corpus, ingested into an embedded Chroma."""
    eng = Engine(make_settings(tmp_path_factory.mktemp("engine")), embedder=embedder)
    eng.ingest()
    return eng


@pytest.fixture(scope="session")
def server_engine(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder,
                  chroma_server: str) -> Engine:
    """The same engine against the `chroma run` server."""
    eng = Engine(make_settings(tmp_path_factory.mktemp("srv"), chroma_server), embedder=embedder)
    eng.ingest()
    return eng


@pytest.fixture(scope="session")
def llm_server() -> Iterator[str]:
    """The local model served as an OpenAI-compatible API by `rag serve-model` on 127.0.0.1."""
    port = free_port()
    proc = subprocess.Popen([str(BIN / "rag"), "serve-model", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", 300, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private corpus folder holding a copy of the article, for tests that edit files."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder
