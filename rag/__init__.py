"""Grounded question answering over articles: every answer sentence cites a verbatim quote.

The public API for the edges (`rag/cli.py`, `app.py`): build `Settings`, make an `Engine`, then
`ingest`, `retrieve`, `ask` or `stream`. Anything a user can get wrong surfaces as `RagError`.
"""

import os

# torch (MiniLM) and llama.cpp share one OpenMP runtime, so once torch has run a multi-threaded encode the
# process holds more OpenMP threads than the two cores, and libgomp then lets idle threads spin only 100
# times before sleeping: llama.cpp's per-token wake-ups fell from 39 to 26 tokens/s. ACTIVE raises that to
# 1,000 spins (39 tokens/s again, ingest speed unchanged); the spin count bounds it when not oversubscribed,
# so idle threads still sleep within milliseconds. Read once, when the runtime loads: set before any import.
os.environ.setdefault("OMP_WAIT_POLICY", "ACTIVE")
os.environ.setdefault("GOMP_SPINCOUNT", "1000000")

from rag.answer import Answer
from rag.chain import Engine
from rag.citations import AnswerSentence, Citation
from rag.errors import RagError
from rag.eval_runner import run_eval_to
from rag.library import MAX_UPLOAD_BYTES, append_feedback
from rag.policy import ABSTAIN, REFUSAL
from rag.presentation import (
    Highlight,
    Turn,
    answer_html,
    answer_markdown,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
    withdrawn_html,
    withdrawn_markdown,
)
from rag.reporting import compare_runs, load_run
from rag.retrieval import Passage
from rag.settings import BACKENDS, Backend, Settings
from rag.store import SyncReport

__all__ = [
    "ABSTAIN",
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
    "answer_html",
    "answer_markdown",
    "append_feedback",
    "compare_runs",
    "conversation_json",
    "conversation_markdown",
    "escape_markdown",
    "highlight_html",
    "inert_html",
    "load_run",
    "run_eval_to",
    "withdrawn_html",
    "withdrawn_markdown",
]
