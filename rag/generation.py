"""Answer text from the selected context: LangChain chat models (local GGUF, OpenAI-compatible) or none.

The prompt (`rag/prompts.py`) starts with a fixed system message so llama.cpp's prompt cache reuses it across
questions; only the few context sentences and the question are new each time. The extractive backend writes no new
words: its answer is the best-supported context sentences, verbatim. `describe_failure` turns a model that
failed mid-answer into one sentence for the fallback notice. Does not retrieve, cite or refuse;
`rag/chain.py` composes those around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.citations import SupportScorer
from rag.errors import RagError
from rag.injection import strip_control_tokens
from rag.model_files import model_path
from rag.prompts import DEFAULT, Prompts
from rag.settings import Settings
from rag.spans import SourceSpan

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

def verify(model: BaseChatModel, quote: str, claim: str, prompts: Prompts = DEFAULT) -> bool:
    """Ask the model whether `quote` supports `claim` (a one-word yes/no; stricter than answering)."""
    reply = model.invoke([("system", prompts.judge), ("human", f"Quote: {' '.join(quote.split())}\nClaim: {claim}")])
    return str(reply.content).strip().lower().startswith("yes")


def format_context(spans: list[SourceSpan]) -> str:
    """Numbered excerpts, one per line, newlines inside a sentence flattened."""
    return "\n".join(f"[{i}] {' '.join(strip_control_tokens(s.reads).split())}" for i, s in enumerate(spans, start=1))


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model for `settings.backend` ('local' or 'openai'); cheap, loads on first call."""
    if settings.backend == "local":
        from rag.local_llm import ChatLocalGGUF

        return ChatLocalGGUF(model_path=model_path(settings.model_dir), n_ctx=settings.n_ctx,
                             n_threads=settings.n_threads, max_tokens=settings.max_answer_tokens)
    if settings.backend == "openai":
        if not settings.openai_base_url and not settings.openai_api_key:
            raise RagError("The openai backend needs an endpoint.",
                           hint="set RAG_OPENAI_BASE_URL (and RAG_OPENAI_API_KEY if it needs one)")
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        key = SecretStr(settings.openai_api_key or "none")
        return ChatOpenAI(base_url=settings.openai_base_url, api_key=key,
                          model=settings.openai_model, temperature=0.0,
                          max_completion_tokens=settings.max_answer_tokens,
                          timeout=settings.request_timeout_s, max_retries=1, stream_usage=True)
    raise RagError(f"The {settings.backend} backend does not use a chat model.")


def extractive_answer(scorer: SupportScorer, question: str, context: list[SourceSpan],
                      margin: float = 0.03) -> list[SourceSpan]:
    """The context excerpt that best answers the question, plus a runner-up that is nearly as good.

    The excerpts are the answer: each becomes one answer sentence citing itself, verbatim.
    """
    if not context:
        return []
    scores = scorer.relevance(question, context)
    order = sorted(range(len(context)), key=lambda i: -scores[i])
    chosen = [order[0]]
    if len(order) > 1 and scores[order[1]] >= scores[order[0]] - margin:
        chosen.append(order[1])
    return [context[i] for i in sorted(chosen, key=lambda i: (context[i].source, context[i].start))]


def closest_excerpts(scorer: SupportScorer, question: str, context: list[SourceSpan], n: int = 3
                     ) -> list[SourceSpan]:
    """The `n` context excerpts nearest the question, in reading order: what an abstention shows."""
    if not context:
        return []
    scores = scorer.relevance(question, context)
    best = sorted(range(len(context)), key=lambda i: -scores[i])[:n]
    return [context[i] for i in sorted(best, key=lambda i: (context[i].source, context[i].start))]


class EmptyReply(Exception):
    """A remote endpoint answered without a single token (a broken proxy, a wrong URL path)."""


def describe_failure(err: Exception, backend: str) -> str:
    """One sentence a person can act on, for a model that failed mid-answer."""
    if isinstance(err, RagError):
        return str(err).rstrip(".") + "."
    kind = type(err).__name__
    if "Timeout" in kind:  # openai's APITimeoutError, langchain-openai's OpenAITimeoutError
        return f"The {backend} endpoint did not answer in time."
    if isinstance(err, EmptyReply):
        return f"The {backend} endpoint sent an empty reply."
    if "ConnectionError" in kind:
        return f"The {backend} endpoint could not be reached."
    if kind in ("JSONDecodeError", "ValidationError", "APIResponseValidationError", "ValueError", "KeyError",
                "TypeError", "AttributeError"):
        return f"The {backend} endpoint sent a reply that is not a chat completion ({kind})."
    return f"The {backend} backend failed ({kind}: {str(err)[:160]})."


def is_unreachable(err: RagError) -> bool:
    return "connect" in str(err).lower() or "timed out" in str(err).lower()
