"""Helpers several test modules share (fixtures live in conftest.py): the `rag` command as a subprocess, the
`RagError` a user sees, and the Streamlit app under `AppTest`."""

from __future__ import annotations

import html
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.servers import BIN, REPO
from rag import RagError

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.element_tree import Block

APP = str(REPO / "app.py")
# The answer the app shows (extractive backend, the article alone) to "Where was al-Khazali born?" and to "How
# old is Qais al-Khazali?" (one sentence of the article says both), and its quote, as a person reads them.
AGE_ANSWER = "Al-Khazali was born in Sadr City, and he is 47 years old now. [1]"
AGE_QUOTE = "“Al-Khazali was born in Sadr City, and he is 47 years old now.” — the author"


def rag(*args: str, data: Path, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the `rag` command as a user does, with its own data folder."""
    environment = {**os.environ, "RAG_DATA_DIR": str(data), **env}
    return subprocess.run([str(BIN / "rag"), *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=600)


@contextmanager
def user_error(pattern: str) -> Iterator[None]:
    """Expect a `RagError` whose message (without its hint) matches `pattern` from start to end."""
    with pytest.raises(RagError) as err:
        yield
    assert re.fullmatch(pattern, err.value.message), err.value.message


def start(page: str | None = None) -> AppTest:
    """The real app.py under AppTest, run once (and switched to `page`)."""
    from streamlit.testing.v1 import AppTest  # here, not at the top: the CLI and engine tests need no Streamlit

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def wait_until_ready(at: AppTest, seconds: float = 600) -> None:
    """Wait for the app's model warm-up thread itself (ingest, MiniLM, the chosen backend) to finish, with a
    deadline, then rerun once so the page drops its loading status."""
    from app_pages.shared import WARM_UP_THREAD

    deadline = time.monotonic() + seconds
    for thread in [t for t in threading.enumerate() if t.name == WARM_UP_THREAD]:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise AssertionError(f"models did not finish loading within {seconds:.0f} s")
    at.run()
    assert not at.status, "the loading status is still shown after the warm-up finished"


def read(block: Block) -> list[str]:
    """The text a person reads in the `st.html` paragraphs of a part of the page (the app shows all content,
    questions, answers and quotes, as inert HTML), in order: tags dropped, character references resolved."""
    return [html.unescape(re.sub(r"<[^>]*>", "", h.value)) for h in block.get("html")]  # type: ignore[attr-defined]
