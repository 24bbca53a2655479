"""What every page of the app shares: one engine per server, the background warm-up, the conversation and the
articles' texts per session. Imports only the public `rag` API."""

from __future__ import annotations

import threading

import streamlit as st

from rag import VERDICT_LABELS, Engine, QuoteCheck, RagError, Settings, Turn, inert_html, quote_diff_html

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


SHOW_VERDICT = {"verbatim": st.success, "altered": st.warning, "paraphrase": st.info, "not_found": st.error}


def show_check(check: QuoteCheck, texts: dict[str, str]) -> None:
    """A quote check as people read it (the "Check a quote" page, and a chat question about a quotation): the
    verdict, what it means, the passage with the words that differ marked, who says it, and the closest passages
    when nothing matched."""
    SHOW_VERDICT[check.verdict](f"**{VERDICT_LABELS[check.verdict]}**")
    st.html(inert_html(check.message))
    if check.source is not None and check.source in texts:
        who = "the author" if check.how == "author" else f"{check.speaker} ({check.how})"
        st.caption(f"{check.source}, characters {check.start}–{check.end} · said by {who}")
        st.html(quote_diff_html(check, texts[check.source]))
    for near in check.closest:
        st.caption(f"{near['source']}, characters {near['start']}–{near['end']} · {near['speaker']}")
        st.html(inert_html(" ".join(near["text"].split()), muted=True))
