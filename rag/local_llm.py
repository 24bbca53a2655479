"""The default LLM: a GGUF model run in-process by llama.cpp (xllamacpp), as a LangChain chat model.

`ChatLocalGGUF` is a real `BaseChatModel`, so it composes in LCEL chains like any other chat model and
streams tokens. The llama.cpp server object is created on first use and shared per process (one model in
memory however many chains use it); llama.cpp queues concurrent requests on its slots, so threads may
share it. Its prompt cache reuses the KV state of the longest common prefix, which is why prompts should
start with a stable system message. Does not build prompts or choose passages.

Tried and not kept (2026-12-04): llama.cpp's self-speculative n-gram decoding (`speculative.types` =
ngram_simple, lookup 3 tokens, draft 10), since answers copy their excerpts: outputs and log-probabilities
identical and 31 of 60 drafted tokens accepted, but 4.1–4.8 tokens/s against 6.0–7.4 without on a 2-core AMD
CPU without AVX-512, where checking a drafted batch costs nearly as much as writing it.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

from rag.errors import RagError
from rag.runtime import prepare_openmp

_servers: dict[tuple[str, int, int, int, str], Any] = {}
_servers_lock = threading.Lock()
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def load_server(model: Path, n_ctx: int = 2048, n_threads: int = 2, port: int = 0,
                host: str = "127.0.0.1") -> Any:
    """The shared llama.cpp server for this model file (loaded once per process).

    With `port`, it also serves an OpenAI-compatible HTTP API on host:port.
    """
    key = (str(model), n_ctx, n_threads, port, host)
    with _servers_lock:
        if key not in _servers:
            prepare_openmp()  # before llama.cpp loads the OpenMP runtime (if torch has not already)
            try:
                import xllamacpp as xlc
            except ImportError as err:
                raise RagError("The llama.cpp runtime (xllamacpp) is not installed.",
                               hint="run `make install`") from err
            params = xlc.CommonParams()
            params.model.path = str(model)
            params.n_ctx = n_ctx
            params.n_parallel = 1
            params.cpuparams.n_threads = n_threads
            params.cpuparams_batch.n_threads = n_threads
            params.warmup = False
            params.verbosity = -1
            params.cache_prompt = True
            # No host-RAM prompt cache (llama.cpp's default keeps up to 8 GiB of old prompts' KV states,
            # growing with each distinct question): the slot's own cache already reuses the system prefix.
            params.cache_ram_mib = 0
            # Read the weights into memory instead of mapping the file: the CPU backend repacks most of them
            # anyway, and a mapping would keep both copies resident (`make bench`, peak RSS).
            params.load_mode = xlc.llama_load_mode.LLAMA_LOAD_MODE_NONE
            params.port = port
            params.hostnames = [host]
            params.endpoint_metrics = False
            try:
                _servers[key] = xlc.Server(params)
            except Exception as err:
                raise RagError(f"The local model could not be loaded from {model}.",
                               hint=str(err)[:200]) from err
        return _servers[key]


def _payload(messages: list[BaseMessage], stop: list[str] | None, max_tokens: int, stream: bool
             ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "stream": stream,
        "cache_prompt": True,
    }
    if stop:
        body["stop"] = stop
    if stream:
        body["stream_options"] = {"include_usage": True}
        body["logprobs"] = True  # each token's log-probability: how sure the model was of what it wrote
    return body


def _usage(usage: dict[str, Any]) -> UsageMetadata:
    prompt, completion = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
    return UsageMetadata(input_tokens=prompt, output_tokens=completion, total_tokens=prompt + completion)


def _error_of(reply: dict[str, Any]) -> str | None:
    if "error" in reply:
        err = reply["error"]
        return str(err.get("message", err) if isinstance(err, dict) else err)
    if reply.get("code", 200) != 200 and "message" in reply:
        return str(reply["message"])
    return None


class ChatLocalGGUF(BaseChatModel):
    """LangChain chat model over an in-process llama.cpp server."""

    model_path: Path
    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 96

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return "local-gguf"

    def warm_up(self) -> None:
        load_server(self.model_path, self.n_ctx, self.n_threads)

    def first_token_probabilities(self, messages: list[BaseMessage], top: int = 20, grammar: str | None = None
                                  ) -> dict[str, float]:
        """The probability of each likely first token of the reply (llama.cpp's top log-probabilities), so a
        one-word verdict can be read as a probability instead of an argmax. With a GBNF `grammar` the model
        can only choose among the grammar's options."""
        server = load_server(self.model_path, self.n_ctx, self.n_threads)
        body = _payload(messages, None, 1, stream=False)
        body.update(logprobs=True, top_logprobs=top, n_probs=top)
        if grammar:
            body["grammar"] = grammar
        reply = server.handle_chat_completions(body)
        problem = _error_of(reply)
        if problem:
            raise RagError(f"The local model failed: {problem}")
        content = ((reply["choices"][0].get("logprobs") or {}).get("content") or [{}])[0]
        return {alt["token"]: math.exp(alt["logprob"]) for alt in content.get("top_logprobs", [])}

    def complete_with_grammar(self, messages: list[BaseMessage], grammar: str, max_tokens: int = 64
                              ) -> tuple[str, float]:
        """The reply held to a GBNF `grammar` (greedy), and the sum of its tokens' log-probabilities."""
        server = load_server(self.model_path, self.n_ctx, self.n_threads)
        body = _payload(messages, None, max_tokens, stream=False)
        body.update(logprobs=True, grammar=grammar)
        reply = server.handle_chat_completions(body)
        problem = _error_of(reply)
        if problem:
            raise RagError(f"The local model failed: {problem}")
        choice = reply["choices"][0]
        tokens = (choice.get("logprobs") or {}).get("content") or []
        return str(choice["message"].get("content") or ""), float(sum(t["logprob"] for t in tokens))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        server = load_server(self.model_path, self.n_ctx, self.n_threads)
        reply = server.handle_chat_completions(_payload(messages, stop, self.max_tokens, stream=False))
        problem = _error_of(reply)
        if problem:
            raise RagError(f"The local model failed: {problem}")
        message = reply["choices"][0]["message"]
        usage = reply.get("usage", {})
        ai = AIMessage(content=message.get("content") or "", usage_metadata=_usage(usage),
                       response_metadata={"timings": reply.get("timings", {}), "usage": usage})
        return ChatResult(generations=[ChatGeneration(message=ai)], llm_output={"usage": usage})

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
                ) -> Iterator[ChatGenerationChunk]:
        server = load_server(self.model_path, self.n_ctx, self.n_threads)
        events: queue.Queue[dict[str, Any] | BaseException | None] = queue.Queue()
        cancelled = threading.Event()

        def on_event(event: dict[str, Any]) -> bool:
            events.put(event)
            return cancelled.is_set()  # True asks llama.cpp to stop generating

        def run() -> None:
            try:
                server.handle_chat_completions(_payload(messages, stop, self.max_tokens, True), on_event)
            except BaseException as err:  # handed to the consuming thread
                events.put(err)
            finally:
                events.put(None)

        worker = threading.Thread(target=run, name="local-llm", daemon=True)
        worker.start()
        try:
            while (event := events.get()) is not None:
                if isinstance(event, BaseException):
                    raise RagError(f"The local model failed: {event}") from event
                problem = _error_of(event)
                if problem:
                    raise RagError(f"The local model failed: {problem}")
                for choice in event.get("choices") or []:
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        if run_manager:
                            run_manager.on_llm_new_token(text)
                        logprobs = [t["logprob"] for t in (choice.get("logprobs") or {}).get("content") or []]
                        yield ChatGenerationChunk(message=AIMessageChunk(
                            content=text, response_metadata={"logprobs": [sum(logprobs)]} if logprobs else {}))
                if event.get("usage"):
                    meta = {"timings": event.get("timings", {}), "usage": event["usage"]}
                    yield ChatGenerationChunk(message=AIMessageChunk(
                        content="", response_metadata=meta, usage_metadata=_usage(event["usage"])))
        finally:
            cancelled.set()
            worker.join(timeout=30)
