"""What every page of the app shares: one engine per server, the background warm-up, the conversation and the
articles' texts per session. Imports only the public `rag` API."""

from __future__ import annotations

import threading

import streamlit as st

from rag import Engine, RagError, Settings, Turn

WARM_UP_THREAD = "rag-warm-up"  # tests wait on this thread, not on a count of reruns
INTERRUPTED = "Interrupted before the answer was finished (a new question was sent)."


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    return Engine(Settings.from_env())


class WarmUp:
    """Loads the models in a background thread so the chat box is usable at once."""

    def __init__(self, engine: Engine, backend: str) -> None:
        self.ingested = threading.Event()  # the corpus is in the store: a question may be answered
        self.done = threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, args=(engine, backend), name=WARM_UP_THREAD, daemon=True)
        self.thread.start()

    def _run(self, engine: Engine, backend: str) -> None:
        try:
            try:
                engine.ensure_ingested()
            finally:
                self.ingested.set()
            engine.warm_up(backend)  # type: ignore[arg-type]
        except RagError as err:
            self.error = str(err)
        finally:
            self.done.set()


@st.cache_resource(show_spinner=False)
def get_warm_up(backend: str) -> WarmUp:
    return WarmUp(get_engine(), backend)


def turns() -> list[Turn]:
    return st.session_state.setdefault("turns", [])  # type: ignore[no-any-return]


def article_texts(engine: Engine) -> dict[str, str]:
    texts = st.session_state.get("article_texts")
    if texts is None:
        texts = engine.source_texts()
        st.session_state["article_texts"] = texts
    return texts


def forget_article_texts() -> None:
    """Articles changed: read them again on next use."""
    st.session_state.pop("article_texts", None)
