"""The Streamlit app driven by `streamlit.testing.v1.AppTest` with the real engine (extractive backend
for speed; the local model is covered by the engine tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag import ABSTAIN, REFUSAL, UNCONFIRMED_LEAD, Settings
from rag.chunking import chunk_document
from rag.corpus import load_document
from tests.conftest import ARTICLE
from tests.helpers import AGE_ANSWER, AGE_QUOTE, read, start, wait_until_ready

pytestmark = pytest.mark.slow  # subprocesses, AppTest runs or a 31-article library


BORN = "Where was al-Khazali born?"
# A button label is Markdown: the title's "-" comes escaped.
BORN_BUTTON = "[1] Qais al\\-Khasali’s interview; Iran is not the same as before · characters 481–542 · support 1.00"


def test_chat_answers_with_citations_follow_up_and_feedback(app_env: Path) -> None:
    at = start()
    assert at.title[0].value == "Ask the article"
    wait_until_ready(at)
    at.chat_input[0].set_value(BORN).run()
    assert not at.exception
    [question, answer] = at.chat_message
    assert read(question) == [BORN]
    assert read(answer) == [AGE_ANSWER, AGE_QUOTE]
    assert [b.label for b in answer.button] == [BORN_BUTTON]
    # A follow-up is rewritten from the history and says what it searched for.
    at.chat_input[0].set_value("and what did he say about Iran?").run()
    assert not at.exception
    assert len(at.chat_message) == 4
    assert read(at.chat_message[3])[0] == "searched for: and what did he say about Iran? (al-Khazali)"
    # Thumbs on the first answer, then changed: each choice is appended to the data folder's feedback.jsonl.
    first = at.session_state["turns"][0]
    at.feedback[0].set_value(1).run()
    at.feedback[0].set_value(0).run()
    assert not at.exception and first.feedback == "down"
    records = [json.loads(line) for line in (app_env / "data" / "feedback.jsonl").read_text("utf-8").splitlines()]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", r.pop("time")) for r in records)
    same = {"question": BORN, "searched_for": BORN, "answer": first.answer.answer, "backend": "extractive",
            "citations": [c.to_dict() for c in first.answer.citations]}
    assert records == [{**same, "feedback": "up"}, {**same, "feedback": "down"}]
    assert same["citations"]


def test_refusal_and_escaping(app_env: Path) -> None:
    at = start()
    wait_until_ready(at)
    question = "<script>alert(1)</script> What is the capital of France?"
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    assert [i.value for i in at.info] == [REFUSAL]
    # The question is shown as written, as text: its markup escaped, never run.
    assert [h.value for h in at.chat_message[0].get("html")] == [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; What is the capital of France?</p>"]
    assert read(at.chat_message[0]) == [question]
    assert read(at.chat_message[1]) == [] and [b.label for b in at.chat_message[1].button] == []  # no quote


def start_page(page: str) -> AppTest:
    """The real app, opened (which ingests the corpus folder and loads the models), then switched to one of its
    pages (`app_pages/<page>.py`), as a person clicks there."""
    at = start()
    wait_until_ready(at)
    at.switch_page(f"app_pages/{page}.py").run()
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


RIVERS = b"# Rivers\n\nThe Tigris flows through Baghdad. The Euphrates is the longest river of Western Asia.\n"


def chunk_count(root: Path, name: str) -> int:
    return len(chunk_document(load_document(root / "corpus" / name, root), Settings()))


def listed(at: AppTest) -> dict[str, int]:
    """The corpus page's table: article → chunks."""
    table = at.dataframe[0].value
    return {str(a): int(n) for a, n in zip(table["article"], table["chunks"], strict=True)}


def test_corpus_page_ingests_uploads_and_deletes(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start_page("articles")
    assert at.title[0].value == "Articles"
    # Opening the app ingested the corpus folder; re-ingesting it changes nothing.
    article = chunk_count(app_env, ARTICLE.name)
    assert listed(at) == {f"corpus/{ARTICLE.name}": article}
    next(b for b in at.button if b.label == "Re-ingest the corpus folder").click().run()
    assert [s.value for s in at.success] == [f"0 chunks added, 0 deleted, {article} unchanged."]
    # An upload through the page's file uploader is saved into corpus/ and ingested.
    at.file_uploader[0].upload("rivers.md", RIVERS, "text/markdown").run()
    next(b for b in at.button if b.label == "Add and ingest").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    rivers = chunk_count(app_env, "rivers.md")
    assert [s.value for s in at.success] == [f"Added rivers.md: {rivers} chunks."]
    assert (app_env / "corpus" / "rivers.md").read_bytes() == RIVERS
    at.run()
    assert listed(at) == {f"corpus/{ARTICLE.name}": article, "corpus/rivers.md": rivers}
    # A file that is not UTF-8 is refused with the engine's message, and nothing is saved.
    at.file_uploader[0].upload("latin.txt", "café".encode("latin-1"), "text/plain").run()
    next(b for b in at.button if b.label == "Add and ingest").click().run()
    assert [e.value for e in at.error] == [
        "latin.txt is not valid UTF-8 (bad byte at position 3). (save it as UTF-8 and ingest again)"]
    assert sorted(p.name for p in (app_env / "corpus").iterdir()) == [ARTICLE.name, "rivers.md"]
    # Deleting an article removes its chunks and its file.
    next(s for s in at.selectbox if s.label == "Article to delete").select("corpus/rivers.md").run()
    next(b for b in at.button if b.label == "Delete article").click().run()
    assert [s.value for s in at.success] == [f"Deleted corpus/rivers.md ({rivers} chunks)."]
    assert listed(at) == {f"corpus/{ARTICLE.name}": article}
    assert sorted(p.name for p in (app_env / "corpus").iterdir()) == [ARTICLE.name]


def test_evaluation_page_runs_a_set_and_shows_results(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = app_env / "evals" / "tiny.jsonl"
    rows = [{"id": "t1", "question": "How old is Qais al-Khazali?", "reference_answer": "He is 47 years old.",
             "evidence": ["he is 47 years old now"]},
            {"id": "t2", "question": "What is the capital of France?", "answerable": False}]
    small.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    at = start_page("evaluation")
    assert at.title[0].value == "Evaluation"
    at.selectbox[0].select(small)
    at.button[0].click().run()  # the form's Run button
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Correct"], metrics["Confidently wrong"]) == ("1.00", "0.00")
    table = at.dataframe[0].value
    assert len(table) == 2 and list(table["outcome"]) == ["answered", "refused"]
    assert list((app_env / "data").glob("eval-runs/*/report.md"))


def test_questions_can_be_limited_to_one_article(app_env: Path) -> None:
    (app_env / "corpus" / "rivers.md").write_bytes(RIVERS)
    at = start()
    wait_until_ready(at)
    scope = next(s for s in at.selectbox if s.label == "Ask about")
    assert "corpus/rivers.md" in scope.options and "All articles" in scope.options
    scope.select("corpus/rivers.md").run()
    at.chat_input[0].set_value("Which river flows through Baghdad?").run()
    assert not at.exception
    # Extractive answers this with the closest passage (its confidence stays below the bar): from rivers.md.
    answer = at.chat_message[1]
    assert [i.value for i in answer.info] == [ABSTAIN]
    assert [b.label for b in answer.button] == ["[1] Rivers · characters 10–43 · a closest passage"]
    assert read(answer)[-1] == "“The Tigris flows through Baghdad.” — the author"
    # The draft only fell short of the confidence line: shown as not confirmed, as written, never struck out.
    assert any(t.startswith(UNCONFIRMED_LEAD + " The Tigris flows through Baghdad.") for t in read(answer))
    assert not any("<s>" in h.value for h in answer.get("html"))  # type: ignore[attr-defined]


@pytest.mark.llm
def test_chat_shows_the_three_outcomes_with_the_local_model(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the local model: a verified answer (quote markers, the quote's speaker), an abstention (the
    withdrawn draft struck out with its reason, then the closest passages) and a refusal."""
    monkeypatch.setenv("RAG_BACKEND", "local")
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("How old is Qais al-Khazali?").run()
    assert not at.exception
    answer, *quotes = read(at.chat_message[1])
    assert "47" in answer and "[1]" in answer  # the model's wording varies; the age and marker do not
    assert any("47 years old" in q for q in quotes) and all(q.endswith("” — the author") for q in quotes)
    at.chat_input[0].set_value("How old is Muqtada Sadr?").run()
    assert not at.exception
    assert [i.value for i in at.chat_message[3].info] == [ABSTAIN]
    withdrawn = read(at.chat_message[3])[0]
    assert withdrawn.startswith("Drafted, then withdrawn: ") and "not Muqtada Sadr" in withdrawn
    assert "<s>" in at.chat_message[3].get("html")[0].value  # type: ignore[attr-defined]
    at.chat_input[0].set_value("What is the capital of France?").run()
    assert not at.exception
    assert any(i.value.startswith("The article does not say") for i in at.info)
    assert len(at.chat_message) == 6


def test_a_who_says_answer_names_the_speaker_beside_the_quote(app_env: Path) -> None:
    """"Who thanks Iran …?" is answered from the speaker marks: the answer names him, and the quote says whose
    words it is."""
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("Who thanks Iran for its help and funds?").run()
    assert not at.exception
    answer, *quotes = read(at.chat_message[1])
    assert answer.startswith("Qais al-Khazali thanks Iran for its help and funds.") and "[1]" in answer
    assert len(quotes) == 1 and "We thank Iran" in quotes[0] and quotes[0].endswith("— Qais al-Khazali, reported")


def test_check_a_quote_page_shows_the_verdict_and_the_marked_passage(app_env: Path) -> None:
    """The "Check a quote" page: a number changed in the author's sentence, said to be al-Khazali's → "Altered",
    the passage with "47" struck out and "57" put in, and the misattribution named; bad input → one clear error."""
    at = start_page("check_quote")
    assert at.title[0].value == "Check a quote"
    at.text_area[0].set_value("Al-Khazali was born in Sadr City, and he is 57 years old now.")
    at.text_input[0].set_value("al-Khazali")
    at.button[0].click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["**Altered**"]
    text = read(at.main)
    assert text[0].endswith("They are the author's words, not al-Khazali's.")
    marked = next(h.value for h in at.main.get("html") if "<del" in h.value)  # type: ignore[attr-defined]
    assert ">47</del> <ins" in marked and ">57</ins>" in marked
    at.text_area[0].set_value("Iran")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["A quote of one word cannot be checked: any article may use the word. "
                                           "(give at least 2 words as they were quoted)"]


def test_a_chat_question_about_a_quotation_is_answered_by_a_quote_check(app_env: Path) -> None:
    """'Did al-Khazali say "…"?' in the chat is checked word for word and by speaker, not answered in the model's
    words: the author's sentence, verbatim, and not his."""
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value('Did al-Khazali say "Al-Khazali was born in Sadr City"?').run()
    assert not at.exception
    answer = at.chat_message[1]
    assert [s.value for s in answer.success] == ["**Verbatim**"]
    assert read(answer)[0].endswith("They are the author's words, not al-Khazali's.")
    turn = at.session_state["turns"][0]
    assert turn.answer is None and turn.check.verdict == "verbatim" and turn.check.speaker_matches is False


def test_a_he_in_a_quotation_question_is_whom_the_conversation_was_about(app_env: Path) -> None:
    """'Did he say "…"?' after a question about al-Khazali checks the quote against him."""
    at = start()
    wait_until_ready(at)
    at.chat_input[0].set_value("How old is Qais al-Khazali?").run()
    at.chat_input[0].set_value('Did he say "Al-Khazali was born in Sadr City"?').run()
    assert not at.exception
    check = at.session_state["turns"][1].check
    assert check.verdict == "verbatim" and check.asked_speaker == "Qais al-Khazali" and check.speaker_matches is False
    assert read(at.chat_message[3])[0].endswith("They are the author's words, not Qais al-Khazali's.")
