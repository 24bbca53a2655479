"""The Streamlit app driven by `streamlit.testing.v1.AppTest` with the real engine (extractive backend
for speed; the local model is covered by the engine tests)."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import WARM_UP_THREAD
from tests.conftest import ARTICLE, REPO

pytestmark = pytest.mark.slow  # subprocesses, AppTest runs or a 31-article library
APP = str(REPO / "app.py")


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private project root: a copy of the corpus and evals, its own data folder."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(ARTICLE, tmp_path / "corpus" / ARTICLE.name)
    shutil.copytree(REPO / "evals", tmp_path / "evals", ignore=shutil.ignore_patterns("reports"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_BACKEND", "extractive")
    import streamlit as st

    st.cache_resource.clear()  # each test gets an engine for its own folder
    return tmp_path


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def wait_until_ready(at: AppTest, seconds: float = 600) -> None:
    """Wait for the app's model warm-up thread itself (ingest, MiniLM, the chosen backend) to finish, with a
    deadline, then rerun once so the page drops its loading status."""
    deadline = time.monotonic() + seconds
    for thread in [t for t in threading.enumerate() if t.name == WARM_UP_THREAD]:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise AssertionError(f"models did not finish loading within {seconds:.0f} s")
    at.run()
    assert not at.status, "the loading status is still shown after the warm-up finished"


def test_chat_answers_with_citations_and_follow_up(app_env: Path) -> None:
    at = start()
    assert at.title[0].value == "Ask the article"
    wait_until_ready(at)
    at.chat_input[0].set_value("Where was al-Khazali born?").run()
    assert not at.exception
    answer_md = [m.value for m in at.markdown if "Sadr City" in m.value]
    assert answer_md and "\\[1\\]" in answer_md[0]
    cite_buttons = [b for b in at.button if b.label.startswith("[1] ")]
    assert cite_buttons and "characters" in cite_buttons[0].label
    assert any("Al\\-Khazali was born in Sadr City" in c.value for c in at.caption)
    # A follow-up is rewritten from the history and says what it searched for.
    at.chat_input[0].set_value("and what did he say about Iran?").run()
    assert not at.exception
    assert any(c.value.startswith("searched for:") and "al\\-Khazali" in c.value for c in at.caption)
    assert len(at.chat_message) == 4
    # Thumbs feedback is appended to the data folder.
    at.session_state["feedback-0"] = 1
    at.run()


def test_refusal_and_escaping(app_env: Path) -> None:
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("<script>alert(1)</script> What is the capital of France?").run()
    assert not at.exception
    assert any(i.value.startswith("The article does not say") for i in at.info)
    user = [m.value for m in at.markdown if "script" in m.value]
    assert user and all("\\<script\\>" in v for v in user)


def page_script(name: str) -> None:
    """Run one page function of app.py as a script (AppTest cannot switch function pages)."""
    import os
    import sys

    sys.path.insert(0, os.environ["RAG_APP_DIR"])
    import app

    getattr(app, name)()


def start_page(name: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("RAG_APP_DIR", str(REPO))
    at = AppTest.from_function(page_script, args=(name,), default_timeout=180)
    at.run()
    return at


def test_citation_click_opens_the_source_with_the_quote_in_focus(app_env: Path) -> None:
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("Where was al-Khazali born?").run()
    [button] = [b for b in at.button if b.label.startswith("[1] ")]
    button.click().run()
    assert not at.exception
    [frame] = at.get("iframe")
    page = frame.proto.srcdoc
    assert '<mark class="focus" id="focus"' in page
    assert "Al-Khazali was born in Sadr City, and he is 47 years old now.</mark>" in page
    assert "scrollIntoView" in page


def test_corpus_page_lists_uploads_and_deletes(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start_page("corpus_page", monkeypatch)
    assert at.title[0].value == "Articles"
    # Nothing ingested in this fresh data folder yet: re-ingest fills it.
    [reingest] = [b for b in at.button if b.label == "Re-ingest the corpus folder"]
    reingest.click().run()
    assert any("chunks added" in s.value for s in at.success)
    at.run()
    table = at.dataframe[0].value
    assert list(table["article"]) == ["corpus/qais-al-khazali-interview-iran.txt"]
    assert int(table["chunks"][0]) > 10
    [delete] = [b for b in at.button if b.label == "Delete article"]
    delete.click().run()
    assert any("Deleted corpus/qais-al-khazali-interview-iran.txt" in s.value for s in at.success)
    assert not (app_env / "corpus" / ARTICLE.name).exists()


def test_engine_upload_checks(app_env: Path, engine: object) -> None:
    from rag import Engine, RagError, Settings

    eng = Engine(Settings(root=app_env, data_dir=app_env / "data2"))
    with pytest.raises(RagError, match="not valid UTF-8"):
        eng.add_article("latin.txt", "café".encode("latin-1"))
    with pytest.raises(RagError, match=r"not a \.txt or \.md"):
        eng.add_article("evil.exe", b"MZ")
    report = eng.add_article("../../etc/notes.md", b"# Notes\n\nRivers flow to the sea. The sea is big.")
    assert report.added >= 1 and (app_env / "corpus" / "notes.md").exists()
    assert not (app_env.parent / "etc").exists()
    with pytest.raises(RagError, match="already in the corpus"):
        eng.add_article("notes.md", b"# Notes\n\nRivers flow to the sea. The sea is big.")


def test_evaluation_page_runs_a_set_and_shows_results(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = app_env / "evals" / "tiny.jsonl"
    rows = [{"id": "t1", "question": "How old is Qais al-Khazali?", "reference_answer": "He is 47 years old.",
             "evidence": ["he is 47 years old now"]},
            {"id": "t2", "question": "What is the capital of France?", "answerable": False}]
    small.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    at = start_page("eval_page", monkeypatch)
    assert at.title[0].value == "Evaluation"
    at.selectbox[0].select(small)
    at.button[0].click().run()  # the form's Run button
    assert not at.exception
    assert any(m.label == "Correct" and m.value == "1.00" for m in at.metric)
    assert any(m.label == "Confidently wrong" and m.value == "0.00" for m in at.metric)
    table = at.dataframe[0].value
    assert len(table) == 2 and list(table["outcome"]) == ["answered", "refused"]
    assert list((app_env / "data").glob("eval-runs/*/report.md"))


def test_feedback_is_appended_as_json_lines(tmp_path: Path) -> None:
    from rag import append_feedback

    for value in ("up", "down"):
        append_feedback(tmp_path, {"question": "q", "feedback": value})
    lines = (tmp_path / "feedback.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["feedback"] for line in lines] == ["up", "down"]


def test_questions_can_be_limited_to_one_article(app_env: Path) -> None:
    (app_env / "corpus" / "rivers.md").write_text("# Rivers\n\nThe Tigris flows through Baghdad. "
                                                  "The Euphrates is the longest river of Western Asia.\n", "utf-8")
    at = start()
    wait_until_ready(at)
    scope = next(s for s in at.selectbox if s.label == "Ask about")
    assert "corpus/rivers.md" in scope.options and "All articles" in scope.options
    scope.select("corpus/rivers.md").run()
    at.chat_input[0].set_value("Which river flows through Baghdad?").run()
    assert not at.exception
    labels = [b.label for b in at.button if b.label.startswith("[1] ")]
    assert labels and labels[0].startswith("[1] Rivers")
    assert any("Tigris" in m.value for m in [*at.markdown, *at.caption])  # as an answer, or a closest passage


@pytest.mark.llm
def test_chat_shows_the_three_outcomes_with_the_local_model(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the local model: a verified answer (quote markers, the quote's speaker), an abstention (the
    withdrawn draft struck out with its reason, then the closest passages) and a refusal."""
    monkeypatch.setenv("RAG_BACKEND", "local")
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("How old is Qais al-Khazali?").run()
    assert not at.exception
    assert any("47" in m.value and "**\\[1\\]**" in m.value for m in at.markdown)
    assert any(c.value.endswith("— the author") for c in at.caption)
    at.chat_input[0].set_value("How old is Muqtada Sadr?").run()
    assert not at.exception
    assert any(i.value == "The article doesn't state this directly; the closest passages are:" for i in at.info)
    assert any(c.value.startswith("Drafted, then withdrawn: ~~") and "not Muqtada Sadr" in c.value
               for c in at.caption)
    at.chat_input[0].set_value("What is the capital of France?").run()
    assert not at.exception
    assert any(i.value.startswith("The article does not say") for i in at.info)
    assert len(at.chat_message) == 6
