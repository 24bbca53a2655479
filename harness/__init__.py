"""What the tests and the benchmark both use, so that neither imports the other: starting `chroma run`,
`streamlit run` and Debian's Chromium (`servers.py`), the engine-check questions (`questions.py`) and the
synthetic corpus for scale figures (`synthetic.py`). Not part of the product (`rag/` never imports it)."""
