"""The articles page: what is ingested, adding an article, re-ingesting the corpus folder, deleting one."""

from __future__ import annotations

import streamlit as st

from app_pages.shared import forget_article_texts, get_engine
from rag import MAX_UPLOAD_BYTES, RagError, escape_markdown


def corpus_page() -> None:
    engine = get_engine()
    st.title("Articles")
    if flash := st.session_state.pop("flash", None):
        st.success(flash)
    try:
        listing = engine.listing()
    except RagError as err:
        st.error(str(err))
        return
    counts = {a.source: a.chunks for a in listing}
    if listing:
        st.dataframe([{"article": a.source, "title": a.title[:80], "chunks": a.chunks} for a in listing],
                     hide_index=True, width="stretch")
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


corpus_page()
