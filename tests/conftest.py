"""Shared fixtures: the real article, the real MiniLM model, real Chroma (embedded and `chroma run`), the data
folder the `rag` command tests share, and a private project folder for the app. Every fixture more than one
test module uses lives here; helpers they share are in tests/helpers.py."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.servers import BIN, REPO, free_port, start_chroma, stop, wait_for
from rag import Engine, Settings
from rag.embedding import MiniLMEmbedder
from tests.helpers import rag

pytest_plugins = ["tests.reliability_report"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--reliability-report", default=None, metavar="PATH",
                     help="write the reliability suite's report (cases, outcomes, data lost) to PATH")

ARTICLE = REPO / "corpus" / "qais-al-khazali-interview-iran.txt"


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
    """A real `chroma run` server on 127.0.0.1: the one `.ci/run` started (RAG_TEST_CHROMA_URL), or our own."""
    started = os.environ.get("RAG_TEST_CHROMA_URL", "").strip()
    if started:
        yield started.rstrip("/")
        return
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="session", params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_settings(tmp: Path, chroma_url: str | None = None, **changes: object) -> Settings:
    collection = f"t{os.getpid()}-{tmp.name}"[-60:].strip("-_.") or "tests"
    settings = Settings(root=REPO, data_dir=tmp / "data", chroma_url=chroma_url, collection=collection)
    return settings.with_(**changes) if changes else settings


def engine_over(root: Path, articles: dict[str, str], embedder: MiniLMEmbedder, **changes: object) -> Engine:
    """An engine over a corpus of its own (file name → text) under `root`, ingested."""
    (root / "corpus").mkdir()
    for name, text in articles.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    engine = Engine(make_settings(root).with_(root=root, **changes), embedder=embedder)
    engine.ingest()
    return engine


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


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder `rag ingest` filled with the repository's corpus, for the tests of the `rag` command
    (they read it; none changes the corpus or the store)."""
    data = tmp_path_factory.mktemp("cli-data")
    done = rag("ingest", data=data)
    assert done.returncode == 0, done.stderr
    assert "chunk(s) added" in done.stdout
    return data


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private project root for the app: a copy of the article and of evals/, its own data folder, the
    extractive backend, and a fresh engine (Streamlit's resource cache cleared)."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(ARTICLE, tmp_path / "corpus" / ARTICLE.name)
    shutil.copytree(REPO / "evals", tmp_path / "evals", ignore=shutil.ignore_patterns("reports"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_BACKEND", "extractive")
    import streamlit as st

    st.cache_resource.clear()  # each test gets an engine for its own folder
    return tmp_path
