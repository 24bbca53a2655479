"""The evaluation page: run a question set with chosen settings, look at a run's figures, plots and
questions, and compare two runs."""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from app_pages.shared import article_texts, get_engine
from rag import (
    BACKENDS,
    METRICS,
    Engine,
    Highlight,
    RagError,
    compare_runs,
    eval_runs,
    eval_sets,
    highlight_html,
    inert_html,
    load_run,
    new_run_folder,
    run_eval_to,
)


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
    sets = eval_sets(engine.settings)
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
        out = new_run_folder(engine.settings, chosen, backend)
        bar = st.progress(0.0, text="Starting…")
        run_engine = Engine(engine.settings.with_(backend=backend, k=int(k)), embedder=engine.embedder)
        try:
            run_engine.ensure_ingested()
            _, notes = run_eval_to(run_engine, chosen, out, judge=judge, limit=int(limit) or None,
                                   progress=lambda i, n, item: bar.progress(i / n, text=f"{i}/{n} · {item}"))
            st.session_state["eval-run"] = str(out)
            for note in notes:  # lines skipped or read otherwise than written, evidence found in no article
                st.warning(f"{chosen.name}: {note}")
        except RagError as err:
            st.error(str(err))
    runs = eval_runs(engine.settings)
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


eval_page()
