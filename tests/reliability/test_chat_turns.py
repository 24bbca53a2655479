"""Reliability: the chat loses no question. A question that fails, or that a new question interrupts while
its answer streams, stays in the history (with what was streamed) and can be asked again (AppTest, real
app; the engine's stream is made to fail at the moment under test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from app_pages.shared import INTERRUPTED
from rag import Engine, RagError
from tests.helpers import AGE_ANSWER, AGE_QUOTE, read, start, wait_until_ready

KEPT = pytest.mark.reliability("questions", data=True)
pytestmark = pytest.mark.slow  # AppTest runs of the real app


@KEPT
def test_failed_question_is_kept_and_can_be_asked_again(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store fails while answering → the question stays in the chat with the error; "Ask again" (once the
    store is back) answers it in its place."""
    at = start()
    wait_until_ready(at)
    real = Engine.stream

    def broken(self: Engine, *args: object, **kwargs: object) -> Iterator[object]:
        raise RagError("Lost the connection to the Chroma server at http://127.0.0.1:9.")
        yield  # pragma: no cover

    monkeypatch.setattr(Engine, "stream", broken)
    at.chat_input[0].set_value("Where was al-Khazali born?").run()
    assert not at.exception
    assert read(at.chat_message[0]) == ["Where was al-Khazali born?"]
    assert [w.value for w in at.warning] == ["Lost the connection to the Chroma server at http://127.0.0.1:9."]
    monkeypatch.setattr(Engine, "stream", real)
    next(b for b in at.button if b.label == "Ask again").click().run()
    assert not at.exception
    assert len(at.chat_message) == 2 and not at.warning
    assert read(at.chat_message[1]) == [AGE_ANSWER, AGE_QUOTE]


@KEPT
def test_interrupted_answer_is_kept(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new question interrupts a streaming answer (Streamlit stops the run) → the first question stays with
    its unfinished text and an "Interrupted" note; the second is answered after it."""
    at = start()
    wait_until_ready(at)
    real = Engine.stream

    def interrupted(self: Engine, *args: object, **kwargs: object) -> Iterator[object]:
        yield "Al-Khazali was "
        raise StopException()

    monkeypatch.setattr(Engine, "stream", interrupted)
    at.chat_input[0].set_value("Where was al-Khazali born?").run()
    monkeypatch.setattr(Engine, "stream", real)
    at.chat_input[0].set_value("How old is Qais al-Khazali?").run()
    assert not at.exception
    assert len(at.chat_message) == 4
    assert read(at.chat_message[0]) == ["Where was al-Khazali born?"]
    assert [w.value for w in at.chat_message[1].warning] == [INTERRUPTED]
    assert read(at.chat_message[1]) == ["Unfinished answer: Al-Khazali was "]
    assert read(at.chat_message[3]) == [AGE_ANSWER, AGE_QUOTE]
