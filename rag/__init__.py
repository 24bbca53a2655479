"""Grounded question answering over articles: every answer sentence cites a verbatim quote.

The public API for the edges (`rag/cli.py`, `app.py`): build `Settings`, make an `Engine`, then
`ingest`, `retrieve`, `ask`, `stream` or `check_quote`. Anything a user can get wrong surfaces as `RagError`.
Importing it sets nothing: runtime settings are applied where a model loads (`rag/runtime.py`).
"""

from rag.answer import Answer
from rag.articles import ArticleInfo
from rag.chain import Engine
from rag.citations import AnswerSentence, Citation
from rag.errors import RagError
from rag.eval_runner import eval_runs, eval_sets, new_run_folder, run_eval_to
from rag.library import MAX_UPLOAD_BYTES, append_feedback
from rag.metrics import METRICS, Metric
from rag.policy import ABSTAIN, REFUSAL
from rag.presentation import (
    REFUTED_LEAD,
    UNCONFIRMED_LEAD,
    VERDICT_LABELS,
    Highlight,
    Turn,
    answer_html,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
    quote_diff_html,
    unconfirmed_html,
    unconfirmed_markdown,
    withdrawn_html,
    withdrawn_markdown,
)
from rag.quote_check import QuoteCheck
from rag.reporting import compare_runs, load_run
from rag.retrieval import Passage
from rag.settings import BACKENDS, Backend, Settings
from rag.store import SyncReport

__all__ = [
    "ABSTAIN",
    "BACKENDS",
    "MAX_UPLOAD_BYTES",
    "METRICS",
    "REFUSAL",
    "REFUTED_LEAD",
    "UNCONFIRMED_LEAD",
    "VERDICT_LABELS",
    "Answer",
    "AnswerSentence",
    "ArticleInfo",
    "Backend",
    "Citation",
    "Engine",
    "Highlight",
    "Metric",
    "Passage",
    "QuoteCheck",
    "RagError",
    "Settings",
    "SyncReport",
    "Turn",
    "answer_html",
    "answer_markdown",
    "append_feedback",
    "compare_runs",
    "conversation_json",
    "conversation_markdown",
    "escape_markdown",
    "eval_runs",
    "eval_sets",
    "highlight_html",
    "inert_html",
    "load_run",
    "new_run_folder",
    "quote_diff_html",
    "run_eval_to",
    "unconfirmed_html",
    "unconfirmed_markdown",
    "withdrawn_html",
    "withdrawn_markdown",
]
