"""Grounded question answering over articles: every answer sentence cites a verbatim quote.

The public API for the edges (`rag/cli.py`, `app.py`): build `Settings`, make an `Engine`, then
`ingest`, `retrieve`, `ask` or `stream`. Anything a user can get wrong surfaces as `RagError`.
"""

from rag.chain import REFUSAL, Answer, Engine
from rag.citations import AnswerSentence, Citation
from rag.errors import RagError
from rag.retrieval import Passage
from rag.settings import BACKENDS, Backend, Settings
from rag.store import SyncReport

__all__ = [
    "BACKENDS",
    "REFUSAL",
    "Answer",
    "AnswerSentence",
    "Backend",
    "Citation",
    "Engine",
    "Passage",
    "RagError",
    "Settings",
    "SyncReport",
]
