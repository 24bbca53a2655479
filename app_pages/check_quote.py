"""The "Check a quote" page: paste a quote (and, if you like, who it is said to be from) and see whether the
articles say it — verbatim, altered, in other words or not at all — with the passage highlighted, the words that
differ marked, and who says it there."""

from __future__ import annotations

import streamlit as st

from app_pages.shared import article_texts, get_engine, get_warm_up, show_check
from rag import RagError

ALL = "All articles"


def check_quote_page() -> None:
    engine = get_engine()
    warm = get_warm_up(engine.settings.backend)  # a first run reads the corpus folder before anything is checked
    st.title("Check a quote")
    st.caption("Did the article really say it? Paste the words as they were quoted elsewhere.")
    try:
        sources = [a.source for a in engine.listing()]
    except RagError as err:
        st.error(str(err))
        return
    with st.form("check-quote"):
        quote = st.text_area("Quote", placeholder="“Iran gives us our orders”", max_chars=None)
        speaker = st.text_input("Said by (optional)", placeholder="a person's name, or “the author”")
        source = st.selectbox("In", [ALL, *sources])
        sent = st.form_submit_button("Check", type="primary")
    if not sent:
        return
    if not warm.ingested.is_set():
        with st.spinner("Reading the articles for the first time…"):
            warm.ingested.wait()
    try:
        with st.spinner("Checking…"):
            check = engine.check_quote(quote, speaker=speaker or None, source=None if source == ALL else source)
    except RagError as err:
        st.error(str(err))
        return
    show_check(check, article_texts(engine))


check_quote_page()
