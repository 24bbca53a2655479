"""The chat page: ask, watch the answer stream, and check each sentence's quote in the article.

Every answer sentence is shown with its quote buttons (each opens the article with the quote highlighted at
its offsets), or struck out with why it was withdrawn. Content is shown as inert HTML, never Markdown.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator

import streamlit as st

from app_pages.shared import (
    INTERRUPTED,
    article_texts,
    forget_article_texts,
    get_engine,
    get_warm_up,
    show_check,
    turns,
)
from rag import (
    BACKENDS,
    REFUTED_LEAD,
    UNCONFIRMED_LEAD,
    Answer,
    Engine,
    Highlight,
    RagError,
    Turn,
    answer_html,
    append_feedback,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
    unconfirmed_html,
    withdrawn_html,
)

ALL_ARTICLES = "All articles"
SOURCE_CSS = """
body { font-family: Georgia, serif; line-height: 1.6; color: #1f2328; margin: 0 1rem; white-space: pre-wrap; }
mark { background: #fff3b0; border-radius: 3px; padding: 0 1px; }
mark.focus { background: #ffb703; outline: 2px solid #fb8500; }
"""


def model_status(backend: str, poll: bool) -> None:
    """Nothing once the models are loaded (or a warning if they could not be); before, a status that polls
    until they are, or (`poll` False: a conversation is on screen) a still note: a fragment rerunning beside
    the chat's own reruns can drop a freshly drawn message, and the answer waits for the models anyway."""
    warm = get_warm_up(backend)
    if not warm.done.is_set():
        if poll:
            loading_status(backend)
        else:
            st.caption(f"Still preparing the {backend} models in the background; answers may be slower until then.")
    elif warm.error:
        st.warning(f"{warm.error} Answers will be extractive.")


@st.fragment(run_every=1.0)
def loading_status(backend: str) -> None:
    """Polls while the models load, then reruns the page once so no poller is left running (a fragment that
    keeps rerunning can race the chat's own reruns and drop freshly drawn messages)."""
    if get_warm_up(backend).done.is_set():
        st.rerun()
    with st.status(f"Loading the {backend} models… you can already type a question.", state="running"):
        st.write("The first answer waits for this.")


@st.dialog("Source", width="large")
def show_source(turn_index: int, citation_id: int) -> None:
    engine = get_engine()
    answer = turns()[turn_index].answer
    if answer is None:
        return
    focus = next(c for c in answer.citations if c.id == citation_id)
    text = article_texts(engine).get(focus.source)
    if text is not None and text[focus.start:focus.end] != focus.quote:
        forget_article_texts()  # maybe only this session's copy is old: read the file again
        text = article_texts(engine).get(focus.source)
    if text is None:
        st.error(f"{escape_markdown(focus.source)} is no longer in the corpus.")
        return
    if text[focus.start:focus.end] != focus.quote:
        st.error(f"{escape_markdown(focus.source)} was edited after this answer was given: the quote is no longer "
                 "at its place. Ask again to quote the article as it is now.")
        return
    st.html(f"<p><b>{html.escape(focus.title)}</b> — {html.escape(focus.source)}</p>")
    st.caption(f"Quote [{focus.id}], characters {focus.start}–{focus.end}, support {focus.support:.2f}. "
               "Every quote of this answer is highlighted; the selected one is in orange.")
    marks = [Highlight(c.start, c.end, f"[{c.id}] support {c.support:.2f}", focus=c.id == citation_id)
             for c in answer.citations if c.source == focus.source]
    body = highlight_html(text, marks)
    page = (f"<html><head><style>{SOURCE_CSS}</style></head><body>{body}<script>"
            "const f=document.getElementById('focus');if(f){f.scrollIntoView({block:'center'});}"
            "</script></body></html>")
    st.iframe(page, height=520)  # built only from escaped content and this fixed script


def save_feedback(turn_index: int) -> None:
    engine = get_engine()
    turn = turns()[turn_index]
    if turn.answer is None:
        return
    value = st.session_state.get(f"feedback-{turn_index}")
    turn.feedback = {0: "down", 1: "up"}.get(value) if value is not None else None
    try:
        append_feedback(engine.settings.data_path, {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"), "question": turn.question,
            "searched_for": turn.searched_for, "answer": turn.answer.answer, "feedback": turn.feedback,
            "backend": turn.answer.backend, "citations": [c.to_dict() for c in turn.answer.citations]})
    except OSError as err:
        st.toast(f"Could not save feedback: {err.strerror}")


def render_unanswered(turn_index: int, turn: Turn) -> None:
    """A question that has no answer (an error, or a new question interrupted it): kept, and askable again."""
    if turn.partial:
        st.html(inert_html(f"Unfinished answer: {turn.partial}", muted=True))
    st.warning(turn.problem or "Not answered.")
    st.button("Ask again", key=f"again-{turn_index}", on_click=ask_again, args=(turn_index,))


def ask_again(turn_index: int) -> None:
    """Take an unanswered turn out of the history and ask its question anew (it rejoins when asked)."""
    st.session_state["ask-again"] = turns().pop(turn_index).question


def render_answer(turn_index: int, turn: Turn, show_passages: bool) -> None:
    if turn.check is not None:
        show_check(turn.check, article_texts(get_engine()))
        return
    answer = turn.answer
    if answer is None:
        render_unanswered(turn_index, turn)
        return
    if turn.searched_for and turn.searched_for != turn.question:
        st.html(inert_html(f"searched for: {turn.searched_for}", muted=True))
    if answer.notice:
        st.warning(escape_markdown(answer.notice))
    if answer.outcome == "refused":
        st.info(answer.answer, icon="🔎")
    elif answer.outcome == "abstained":
        st.info(answer.answer, icon="🤔")
        if answer.unconfirmed:
            st.html(unconfirmed_html(answer, UNCONFIRMED_LEAD))
        if answer.refuted:
            st.html(withdrawn_html(answer, REFUTED_LEAD))
    else:
        st.html(answer_html(answer))
    for c in answer.citations:
        strength = "a closest passage" if answer.outcome == "abstained" else f"support {c.support:.2f}"
        label = f"[{c.id}] {escape_markdown(c.title[:60])} · characters {c.start}–{c.end} · {strength}"
        if st.button(label, key=f"cite-{turn_index}-{c.id}", help="Show this quote in the article"):
            show_source(turn_index, c.id)
        st.html(inert_html(f"“{' '.join(c.quote.split())}” — {c.speaker_label}", muted=True))
    if show_passages and answer.passages:
        with st.expander(f"Retrieved passages ({len(answer.passages)})"):
            for p in answer.passages:
                st.caption(f"#{p.rank} · {escape_markdown(p.source)} · {p.start}–{p.end} · score {p.score:.4f}")
                st.text(p.text)
    st.feedback("thumbs", key=f"feedback-{turn_index}", on_change=save_feedback, args=(turn_index,))


def chat_page() -> None:
    engine = get_engine()
    with st.sidebar:
        st.subheader("Settings")
        backend = st.selectbox("Answer with", BACKENDS, index=BACKENDS.index(engine.settings.backend),
                               help="local: the offline GGUF model · openai: RAG_OPENAI_BASE_URL · "
                                    "extractive: no LLM, quotes only")
        k = st.slider("Passages to retrieve (k)", 1, 10, engine.settings.k)
        show_passages = st.toggle("Show retrieved passages", value=False)
        sources = [ALL_ARTICLES, *(a.source for a in engine.listing())]
        scope = st.selectbox("Ask about", sources, help="All articles, or one of them")
        history = turns()
        if history:
            st.subheader("Conversation")
            st.download_button("Export as Markdown", conversation_markdown(history), "conversation.md",
                               "text/markdown")
            st.download_button("Export as JSON", conversation_json(history), "conversation.json",
                               "application/json")
            if st.button("Clear conversation"):
                history.clear()
                st.rerun()
    question = st.chat_input("Ask a question about the article") or st.session_state.pop("ask-again", None)
    st.title("Ask the article")
    model_status(backend, poll=not turns() and not question)
    for index, turn in enumerate(turns()):
        with st.chat_message("user"):
            st.html(inert_html(turn.question))
        with st.chat_message("assistant"):
            render_answer(index, turn, show_passages)
    if question:
        ask(engine, question, backend, k, None if scope == ALL_ARTICLES else scope)


def check_claim(engine: Engine, turn: Turn, quote: str, speaker: str | None, source: str | None) -> None:
    """Check the quotation a question asks about, word for word and by speaker, and keep it as the turn's answer."""
    turns().append(turn)
    try:
        with st.spinner("Checking the quote against the articles…"):
            turn.check = engine.check_quote(quote, speaker=speaker, source=source)
        turn.problem = None
    except RagError as err:
        turn.problem = str(err)
    st.rerun()


def ask(engine: Engine, question: str, backend: str, k: int, source: str | None) -> None:
    """Answer one question. The turn joins the history before streaming starts, so a question that fails,
    or that a new question interrupts, is kept (with what was streamed) and can be asked again."""
    history = [(t.searched_for, t.answer.answer) for t in turns()[-2:] if t.answer is not None]
    turn = Turn(question, None, question, problem=INTERRUPTED)
    if claimed := engine.quoted_claim(question, history):  # "Did al-Khazali say “…”?": a quote check answers it
        check_claim(engine, turn, *claimed, source)
        return
    turns().append(turn)
    with st.chat_message("user"):
        st.html(inert_html(question))
    with st.chat_message("assistant"):
        result: list[Answer] = []

        def tokens() -> Iterator[str]:
            for event in engine.stream(question, backend=backend, k=k, source=source,  # type: ignore[arg-type]
                                       history=history):
                if isinstance(event, Answer):
                    result.append(event)
                else:
                    turn.partial += event
                    yield event

        try:
            warm = get_warm_up(backend)
            if not warm.ingested.is_set():  # a first run still reading the corpus: answer once it is stored
                with st.spinner("Reading the articles for the first time…"):
                    warm.ingested.wait()
            with st.spinner("Searching the article…"):
                # Inert HTML as it streams, never Markdown: no article or model text may become markup, a link,
                # an image or a formula while the answer is still being written (nor after: see render_answer).
                shown = st.empty()
                for _ in tokens():
                    shown.html(inert_html(turn.partial))
                st.caption("Checking each sentence against the article…")
        except RagError as err:
            turn.problem = str(err)  # what was streamed before the failure stays too
            st.rerun()
    answer = result[0]
    turn.answer, turn.problem, turn.partial = answer, None, ""
    turn.searched_for = answer.searched_for or answer.question
    st.rerun()


chat_page()
