"""Streamlit app: a chat whose every answer sentence points to a highlighted quote, plus corpus and
evaluation pages.

A thin edge over the `rag` public API: it keeps per-session state (the conversation), lays out widgets and
turns `RagError` into on-screen messages. All content (articles, questions, answers) is escaped by the
`rag.presentation` helpers before it is shown; nothing from content is ever rendered as HTML or script.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import streamlit as st

from rag import (
    BACKENDS,
    MAX_UPLOAD_BYTES,
    METRICS,
    Answer,
    Engine,
    Highlight,
    RagError,
    Settings,
    Turn,
    answer_html,
    append_feedback,
    compare_runs,
    conversation_json,
    conversation_markdown,
    escape_markdown,
    highlight_html,
    inert_html,
    load_run,
    run_eval_to,
    withdrawn_html,
)

ALL_ARTICLES = "All articles"
WARM_UP_THREAD = "rag-warm-up"  # tests wait on this thread, not on a count of reruns
SOURCE_CSS = """
body { font-family: Georgia, serif; line-height: 1.6; color: #1f2328; margin: 0 1rem; white-space: pre-wrap; }
mark { background: #fff3b0; border-radius: 3px; padding: 0 1px; }
mark.focus { background: #ffb703; outline: 2px solid #fb8500; }
"""


# -- shared, once per process -----------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    return Engine(Settings.from_env())


class WarmUp:
    """Loads the models in a background thread so the chat box is usable at once."""

    def __init__(self, engine: Engine, backend: str) -> None:
        self.done = threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, args=(engine, backend), name=WARM_UP_THREAD, daemon=True)
        self.thread.start()

    def _run(self, engine: Engine, backend: str) -> None:
        try:
            engine.ensure_ingested()
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


# -- chat -------------------------------------------------------------------------------------------------
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


def article_texts(engine: Engine) -> dict[str, str]:
    texts = st.session_state.get("article_texts")
    if texts is None:
        texts = engine.source_texts()
        st.session_state["article_texts"] = texts
    return texts


def forget_article_texts() -> None:
    """Articles changed: read them again on next use."""
    st.session_state.pop("article_texts", None)


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
        if answer.withdrawn:
            st.html(withdrawn_html(answer, "Drafted, then withdrawn:"))
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
        sources = [ALL_ARTICLES, *engine.store.sources()]
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


INTERRUPTED = "Interrupted before the answer was finished (a new question was sent)."


def ask(engine: Engine, question: str, backend: str, k: int, source: str | None) -> None:
    """Answer one question. The turn joins the history before streaming starts, so a question that fails,
    or that a new question interrupts, is kept (with what was streamed) and can be asked again."""
    history = [(t.searched_for, t.answer.answer) for t in turns()[-2:] if t.answer is not None]
    turn = Turn(question, None, question, problem=INTERRUPTED)
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


# -- corpus -----------------------------------------------------------------------------------------------
def corpus_page() -> None:
    engine = get_engine()
    st.title("Articles")
    if flash := st.session_state.pop("flash", None):
        st.success(flash)
    try:
        counts = engine.store.sources()
    except RagError as err:
        st.error(str(err))
        return
    texts = article_texts(engine)
    if counts:
        st.dataframe([{"article": s, "title": (texts.get(s, "").strip().splitlines() or [""])[0][:80],
                       "chunks": n} for s, n in counts.items()], hide_index=True, width="stretch")
    else:
        st.info("No articles ingested yet.")

    st.subheader("Add an article")
    upload = st.file_uploader("A .txt or .md file, UTF-8", type=["txt", "md"],
                              help=f"Up to {MAX_UPLOAD_BYTES // 1_000_000} MB")
    if upload is not None and st.button("Add and ingest", type="primary"):
        bar = st.progress(0.0, text="Embedding chunks…")
        try:
            report = engine.add_article(upload.name, upload.getvalue(),
                                        progress=lambda done, total: bar.progress(done / max(total, 1)))
            forget_article_texts()
            st.success(f"Added {upload.name}: {report.added} chunks.")
        except RagError as err:
            st.error(str(err))

    st.subheader("Maintenance")
    left, right = st.columns(2)
    with left:
        if st.button("Re-ingest the corpus folder"):
            bar = st.progress(0.0, text="Ingesting…")
            try:
                report = engine.ingest(progress=lambda done, total: bar.progress(done / max(total, 1)))
                forget_article_texts()
                st.success(f"{report.added} chunks added, {report.deleted} deleted, {report.unchanged} unchanged.")
                for why in report.refused:
                    st.warning(f"Refused: {escape_markdown(why)}")
            except RagError as err:
                st.error(str(err))
    with right:
        if counts:
            victim = st.selectbox("Article to delete", list(counts))
            if st.button("Delete article", type="secondary"):
                try:
                    removed = engine.delete_article(victim)
                    forget_article_texts()
                    st.session_state["flash"] = f"Deleted {victim} ({removed} chunks)."
                    st.rerun()
                except RagError as err:
                    st.error(str(err))


# -- evaluation -------------------------------------------------------------------------------------------
def run_folders(engine: Engine) -> list[Path]:
    roots = [engine.settings.root / "evals" / "reports", engine.settings.data_path / "eval-runs"]
    found = [p.parent for root in roots if root.is_dir() for p in root.glob("*/summary.json")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def show_run(engine: Engine, folder: Path) -> None:
    try:
        summary, rows = load_run(folder)
    except RagError as err:
        st.error(str(err))
        return
    st.caption(f"{summary.get('set')} · backend {summary.get('backend')} · k={summary.get('k')} · "
               f"judge {summary.get('judge')} · {summary.get('questions')} questions")
    tiles = [(m.label, m.key, m.definition) for m in METRICS if m.tile]
    tiles.append(("Answer p50 (s)", "total_p50_ms", "median time from question to verified answer"))
    for row_start in range(0, len(tiles), 4):
        for column, (label, key, meaning) in zip(st.columns(4), tiles[row_start:row_start + 4], strict=False):
            value = summary.get(key)
            shown = "–" if value is None else (f"{value / 1000:.2f}" if key.endswith("_ms") else f"{value:.2f}")
            column.metric(label, shown, help=meaning)
    for plot in ("metrics.png", "latency.png", "questions.png"):
        if (folder / plot).exists():
            st.image(str(folder / plot))
    table = [{"id": r["id"], "question": r["question"], "kind": r.get("kind"),
              "outcome": r.get("outcome") or ("refused" if r.get("refused") else "answered"),
              "correct": r.get("correct"), "confidently wrong": bool(r.get("confidently_wrong")),
              "F1": r.get("token_f1"), "failed": bool(r.get("failed"))} for r in rows.values()]
    st.dataframe(table, hide_index=True, width="stretch")
    chosen = st.selectbox("Look at one question", list(rows), format_func=lambda i: f"{i}: {rows[i]['question']}")
    row = rows[chosen]
    st.html(f"<p><b>Answer</b> ({html.escape(row.get('outcome') or '')}): {html.escape(row.get('answer', ''))}</p>")
    for sentence in row.get("sentences", []):
        if sentence.get("reasons"):
            why = "; ".join(sentence["reasons"])
            st.html(inert_html(f"Withdrawn: {sentence['text']} — {why}", muted=True))
    if row.get("error"):
        st.error(row["error"])
    texts = article_texts(engine)
    quotes, gold = st.columns(2)
    with quotes:
        st.markdown("**Cited quotes**")
        for c in row.get("citations", []):
            text = texts.get(c["source"], "")
            offset = max(0, c["start"] - 120)
            context = text[offset : c["end"] + 120]
            mark = Highlight(c["start"] - offset, c["end"] - offset, f"[{c['id']}]", True)
            st.html(f"<div style='white-space:pre-wrap'>…{highlight_html(context, [mark])}…</div>")
    with gold:
        st.markdown("**Gold evidence**")
        for quote in row.get("evidence", []):
            st.html(inert_html(f"“{quote}”", muted=True))
        if row.get("reference_answer"):
            st.html(inert_html(f"Reference: {row['reference_answer']}"))


def eval_page() -> None:
    engine = get_engine()
    st.title("Evaluation")
    sets = sorted((engine.settings.root / "evals").glob("*.jsonl"))
    with st.form("run-eval"):
        chosen = st.selectbox("Question set", sets, format_func=lambda p: p.name)
        backend = st.selectbox("Backend", BACKENDS, index=BACKENDS.index("extractive"))
        cols = st.columns(3)
        k = cols[0].number_input("k", 1, 20, engine.settings.k)
        limit = cols[1].number_input("Only the first N (0 = all)", 0, 1000, 0)
        judge = cols[2].selectbox("Citation judge", ["support", "llm"], help="llm: the local model checks "
                                  "every quote (slower, independent)")
        submitted = st.form_submit_button("Run", type="primary")
    if submitted and chosen is not None:
        out = engine.settings.data_path / "eval-runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{chosen.stem}-{backend}"
        bar = st.progress(0.0, text="Starting…")
        run_engine = Engine(engine.settings.with_(backend=backend, k=int(k)), embedder=engine.embedder)
        try:
            run_engine.ensure_ingested()
            run_eval_to(run_engine, chosen, out, judge=judge, limit=int(limit) or None,
                        progress=lambda i, n, item: bar.progress(i / n, text=f"{i}/{n} · {item}"))
            st.session_state["eval-run"] = str(out)
        except RagError as err:
            st.error(str(err))
    runs = run_folders(engine)
    if not runs:
        st.info("No runs yet.")
        return
    default = st.session_state.get("eval-run")
    names = [str(p) for p in runs]
    picked = st.selectbox("Run", names, index=names.index(default) if default in names else 0)
    show_run(engine, Path(picked))
    st.subheader("Compare two runs")
    a, b = st.columns(2)
    run_a = a.selectbox("Run A", names, index=min(1, len(names) - 1), key="cmp-a")
    run_b = b.selectbox("Run B", names, index=0, key="cmp-b")
    if st.button("Compare"):
        try:
            st.markdown(compare_runs(Path(run_a), Path(run_b)))
        except RagError as err:
            st.error(str(err))


def main() -> None:
    st.set_page_config(page_title="Ask the article", page_icon=":material/article:", layout="centered")
    try:
        get_engine()
    except RagError as err:  # e.g. RAG_BACKEND=gpt9: say what to fix instead of a traceback
        st.error(str(err))
        st.stop()
    pages: list[Any] = [st.Page(chat_page, title="Chat", icon=":material/chat:", default=True),
                        st.Page(corpus_page, title="Articles", icon=":material/library_books:", url_path="articles"),
                        st.Page(eval_page, title="Evaluation", icon=":material/analytics:", url_path="evaluation")]
    st.navigation(pages).run()


if __name__ == "__main__":  # Streamlit runs this file as __main__; tests import the page functions
    main()
