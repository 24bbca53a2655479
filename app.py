"""Streamlit chat over the articles: streamed answers, each sentence marked with its quote citations.

A thin edge over the `rag` public API (no engine logic here). The full evidence UI — clickable citations,
source view with highlights, corpus and evaluation pages — builds on this.
"""

from __future__ import annotations

import html

import streamlit as st

from rag import BACKENDS, Answer, Engine, RagError, Settings


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    return Engine(Settings.from_env())


def render_answer(answer: Answer) -> None:
    if answer.notice:
        st.warning(answer.notice)
    if answer.refused:
        st.info(answer.answer)
        return
    lines = []
    for sentence in answer.sentences:
        marks = " ".join(f"[{i}]" for i in sentence.citations)
        text = html.escape(sentence.text)
        lines.append(f"{text} **{marks}**" if sentence.supported else f"~~{text}~~ *(unsupported)*")
    st.markdown(" ".join(lines))
    for c in answer.citations:
        with st.expander(f"[{c.id}] {c.title} — characters {c.start}–{c.end} · support {c.support:.2f}"):
            st.text(c.quote)


def main() -> None:
    st.set_page_config(page_title="Ask the article", page_icon="📰")
    st.title("Ask the article")
    engine = get_engine()
    with st.sidebar:
        backend = st.selectbox("Answer with", BACKENDS, index=BACKENDS.index(engine.settings.backend))
        k = st.slider("Passages to retrieve", 1, 10, engine.settings.k)
    history: list[tuple[str, Answer]] = st.session_state.setdefault("history", [])
    for question, answer in history:
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            render_answer(answer)
    question = st.chat_input("Ask a question about the article")
    if not question:
        return
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        try:
            result: list[Answer] = []

            def tokens() -> object:
                for event in engine.stream(question, backend=backend, k=k):
                    if isinstance(event, Answer):
                        result.append(event)
                    else:
                        yield event

            placeholder = st.empty()
            with placeholder.container():
                st.write_stream(tokens())
            placeholder.empty()
            render_answer(result[0])
            history.append((question, result[0]))
        except RagError as err:
            st.error(str(err))


main()
