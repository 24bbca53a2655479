"""Streamlit app: a chat whose every answer sentence points to a highlighted quote, plus quote-check, articles and
evaluation pages (one file each in `app_pages/`).

A thin edge over the `rag` public API: the pages keep per-session state (the conversation), lay out widgets
and turn `RagError` into on-screen messages. All content (articles, questions, answers) is shown as inert
HTML by the `rag.presentation` helpers: nothing from content is ever rendered as Markdown, HTML or script.
"""

from __future__ import annotations

import streamlit as st

from app_pages.shared import get_engine
from rag import RagError


def main() -> None:
    st.set_page_config(page_title="Ask the article", page_icon=":material/article:", layout="centered")
    try:
        get_engine()
    except RagError as err:  # e.g. RAG_BACKEND=gpt9: say what to fix instead of a traceback
        st.error(str(err))
        st.stop()
    st.navigation([
        st.Page("app_pages/chat.py", title="Chat", icon=":material/chat:", default=True),
        st.Page("app_pages/check_quote.py", title="Check a quote", icon=":material/format_quote:",
                url_path="check-quote"),
        st.Page("app_pages/articles.py", title="Articles", icon=":material/library_books:", url_path="articles"),
        st.Page("app_pages/evaluation.py", title="Evaluation", icon=":material/analytics:", url_path="evaluation"),
    ]).run()


if __name__ == "__main__":  # Streamlit runs this file as __main__
    main()
