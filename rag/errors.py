"""The one error type users see.

Every failure a person can cause or fix (bad question, missing corpus, unreadable file, model that cannot
load, server down) is raised as `RagError` with a message written for that person. Only the edges
(`rag/cli.py`, `app.py`) turn it into an exit code or an on-screen error; nothing here prints.
"""

from __future__ import annotations


class RagError(Exception):
    """A problem explained in one sentence a user can act on."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message
