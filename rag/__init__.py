"""Grounded question answering over articles: every answer sentence cites a verbatim quote.

The public API for the edges (`rag/cli.py`, `app.py`): build `Settings`, make an `Engine`, then
`ingest`, `retrieve`, `ask` or `stream`. Anything a user can get wrong surfaces as `RagError`.
"""

from rag.chain import REFUSAL, Answer, Engine
from rag.citations import AnswerSentence, Citation
from rag.errors import RagError
from rag.eval_runner import run_eval_to
from rag.library import MAX_UPLOAD_BYTES, append_feedback
from rag.presentation import (
    Highlight,
    Turn,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
)
from rag.reporting import compare_runs, load_run
from rag.retrieval import Passage
from rag.settings import BACKENDS, Backend, Settings
from rag.store import SyncReport

__all__ = [
    "BACKENDS",
    "MAX_UPLOAD_BYTES",
    "REFUSAL",
    "Answer",
    "AnswerSentence",
    "Backend",
    "Citation",
    "Engine",
    "Highlight",
    "Passage",
    "RagError",
    "Settings",
    "SyncReport",
    "Turn",
    "answer_markdown",
    "append_feedback",
    "compare_runs",
    "conversation_json",
    "conversation_markdown",
    "escape_markdown",
    "highlight_html",
    "load_run",
    "run_eval_to",
]
