"""The `openai` backend against a real OpenAI-compatible server on 127.0.0.1 (llama.cpp serving the local
model through `rag serve-model`), not a mock; and a clear fallback when the endpoint is down."""

from __future__ import annotations

import pytest

from harness.servers import free_port
from rag import Engine, RagError

pytestmark = [pytest.mark.llm, pytest.mark.server]


def test_openai_backend_answers_with_citations(engine: Engine, llm_server: str, article_text: str) -> None:
    remote = Engine(engine.settings.with_(backend="openai", openai_base_url=llm_server, openai_model="local"),
                    embedder=engine.embedder)
    tokens = []
    answer = None
    for event in remote.stream("Where was al-Khazali born?"):
        if isinstance(event, str):
            tokens.append(event)
        else:
            answer = event
    assert answer is not None and answer.backend == "openai" and answer.notice is None
    assert len(tokens) >= 2, "tokens stream from the server"
    assert "Sadr City" in answer.answer and not answer.refused
    assert answer.usage.get("prompt_tokens", 0) > 0
    assert answer.citations and all(article_text[c.start : c.end] == c.quote for c in answer.citations)


def test_openai_backend_down_falls_back_with_a_notice(engine: Engine) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens here
    remote = Engine(engine.settings.with_(backend="openai", openai_base_url=url, request_timeout_s=5.0),
                    embedder=engine.embedder)
    answer = remote.ask("How old is al-Khazali?")
    assert answer.backend == "extractive"
    assert answer.notice and "openai" in answer.notice and "extractively" in answer.notice
    assert "47" in answer.answer


def test_openai_backend_without_endpoint_is_a_user_error(engine: Engine) -> None:
    remote = Engine(engine.settings.with_(backend="openai"), embedder=engine.embedder)
    with pytest.raises(RagError, match="needs an endpoint"):
        remote.ask("How old is al-Khazali?")
