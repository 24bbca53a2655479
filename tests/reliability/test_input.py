"""Reliability: whatever people type, upload or feed as an evaluation set gets one clear outcome.

Questions go through the real engine (extractive backend: no LLM needed to check the gatekeeping) and the
real `rag` CLI; uploads through `Engine.add_article` / `save_article`; evaluation sets through `rag eval`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag import Engine, RagError
from rag.embedding import MiniLMEmbedder
from rag.eval_sets import load_set, parse_set
from rag.library import MAX_UPLOAD_BYTES, save_article
from tests.conftest import ARTICLE, make_settings
from tests.helpers import rag, user_error

QUESTIONS = pytest.mark.reliability("questions")
FILES = pytest.mark.reliability("files", data=True)
EVAL_SETS = pytest.mark.reliability("eval sets")


# -- questions --------------------------------------------------------------------------------------------
@QUESTIONS
@pytest.mark.parametrize("question", ["", "   \n\t  "], ids=["empty", "whitespace"])
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_empty_question_is_a_clear_error(engine: Engine, data_dir: Path, question: str) -> None:
    """An empty or blank question → "The question is empty." (engine and CLI exit 2, no traceback)."""
    with user_error(r"The question is empty\."):
        engine.ask(question, backend="extractive")
    done = rag("ask", question, "--backend", "extractive", data=data_dir)
    assert done.returncode == 2
    assert done.stderr.startswith("error: The question is empty.") and "Traceback" not in done.stderr


@QUESTIONS
def test_100kb_question_is_refused_with_the_limit(engine: Engine) -> None:
    """A 100 KB question → "The question is 100,000 characters long; the limit is 2,000." (nothing searched)."""
    with user_error(r"The question is 100,000 characters long; the limit is 2,000\."):
        engine.ask("why?" * 25_000, backend="extractive")


@QUESTIONS
def test_control_characters_are_removed(engine: Engine, article_text: str) -> None:
    """Control characters (NUL, ESC, BEL) in a question are dropped; the question is answered (47 years)."""
    answer = engine.ask("How old\x00 is\x1b Qais\x07 al-Khazali?", backend="extractive")
    assert answer.question == "How old is Qais al-Khazali?"
    assert not answer.refused and "47" in answer.answer
    assert all(article_text[c.start : c.end] == c.quote for c in answer.citations)


@QUESTIONS
def test_emoji_in_a_question(engine: Engine) -> None:
    """Emoji around a question do not disturb it: answered, 47 years, and the JSON output keeps the emoji."""
    answer = engine.ask("🤔 How old is Qais al-Khazali? 🙏", backend="extractive")
    assert not answer.refused and "47" in answer.answer
    assert json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))["question"].startswith("🤔")


@QUESTIONS
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_arabic_question(engine: Engine, data_dir: Path) -> None:
    """A question in Arabic script about the English article → "The question is written in Arabic script, but
    the articles are in Latin script." (hint: ask in the language of the articles), not an off-topic answer;
    the CLI says the same and exits 2. A Latin question with an Arabic word in it is answered."""
    with user_error(r"The question is written in Arabic script, but the articles are in Latin script\."):
        engine.ask("كم عمر قيس الخزعلي؟", backend="extractive")
    done = rag("ask", "كم عمر قيس الخزعلي؟", "--backend", "extractive", "--json", data=data_dir)
    assert done.returncode == 2 and "written in Arabic script" in done.stderr and "Traceback" not in done.stderr
    mixed = engine.ask("How old is Qais al-Khazali (قيس الخزعلي)?", backend="extractive")
    # Searched and quoted (as the answer, or among the closest passages).
    assert "Al-Khazali was born in Sadr City, and he is 47 years old now." in [c.quote for c in mixed.citations]


@QUESTIONS
@pytest.mark.parametrize("question", ["?!...", "🤔🤔", "— ; :"], ids=["punctuation", "only-emoji", "dashes"])
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_question_without_words(engine: Engine, data_dir: Path, question: str) -> None:
    """Only punctuation or emoji → "The question has no words to search for." (CLI: exit 2, one line)."""
    with user_error(r"The question has no words to search for\."):
        engine.ask(question, backend="extractive")
    done = rag("ask", question, "--backend", "extractive", data=data_dir)
    assert done.returncode == 2 and done.stderr.count("\n") <= 2 and "Traceback" not in done.stderr


# -- files ------------------------------------------------------------------------------------------------
@pytest.fixture
def library(corpus_copy: Path, embedder: MiniLMEmbedder) -> Engine:
    """An engine over a private copy of the corpus (the `corpus_copy` folder), ingested."""
    root = corpus_copy.parent
    engine = Engine(make_settings(root).with_(root=root), embedder=embedder)
    engine.ingest()
    return engine


def snapshot(engine: Engine) -> tuple[dict[str, bytes], int]:
    folder = engine.settings.corpus_path
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}, engine.store.count()


@FILES
@pytest.mark.parametrize(("data", "message"), [
    (b"caf\xe9 au lait\n", r"notes\.txt is not valid UTF-8 \(bad byte at position 3\)\."),
    (b"", r"notes\.txt is empty\."),
    (b" \n\t\n", r"notes\.txt is empty\."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"notes\.txt looks like a binary file, not text\."),
], ids=["not-utf8", "empty", "blank", "binary"])
def test_bad_upload_is_refused_and_nothing_changes(library: Engine, data: bytes, message: str) -> None:
    """A non-UTF-8, empty, blank or binary upload → its exact message; corpus files and chunks unchanged."""
    before = snapshot(library)
    with user_error(message):
        library.add_article("notes.txt", data)
    assert snapshot(library) == before


@FILES
def test_50mb_upload_is_refused_before_reading(library: Engine) -> None:
    """A 50 MB upload → "big.txt is 52.4 MB; uploads are limited to 5 MB."; nothing written or ingested."""
    before = snapshot(library)
    with user_error(r"big\.txt is 52\.4 MB; uploads are limited to 5 MB\."):
        library.add_article("big.txt", b"a" * (50 * 1024 * 1024))
    assert snapshot(library) == before and MAX_UPLOAD_BYTES == 5 * 1024 * 1024


@FILES
@pytest.mark.parametrize(("name", "saved"), [
    ("../../etc/evil.txt", "evil.txt"),
    ("..\\..\\windows\\evil.md", "evil.md"),
    ("my article (v2) ✓.TXT", "my-article-v2.txt"),
    (".hidden.txt", "hidden.txt"),
    ("...txt", "article.txt"),
], ids=["dotdot", "backslashes", "odd-characters", "hidden", "only-dots"])
def test_upload_names_stay_inside_the_corpus(library: Engine, tmp_path: Path, name: str, saved: str) -> None:
    """`../` and odd characters in an upload's name → a plain safe name inside corpus/; nothing outside."""
    outside = sorted(p.name for p in tmp_path.iterdir())
    report = library.add_article(name, b"A short note about the Vienna talks.\n")
    assert (library.settings.corpus_path / saved).read_bytes() == b"A short note about the Vienna talks.\n"
    assert report.added >= 1 and f"corpus/{saved}" in library.store.sources()
    assert sorted(p.name for p in tmp_path.iterdir()) == outside


@FILES
def test_duplicate_upload_is_refused_and_the_original_kept(library: Engine) -> None:
    """Uploading the article again → "… is already in the corpus (same content)."; a different file under the
    same name → "An article named … already exists."; the original bytes and chunks are untouched."""
    before = snapshot(library)
    with user_error(rf"{re.escape(ARTICLE.name)} is already in the corpus \(same content\)\."):
        library.add_article(ARTICLE.name, ARTICLE.read_bytes())
    with user_error(rf"An article named {ARTICLE.name} already exists\."):
        library.add_article(ARTICLE.name, b"Something else entirely.\n")
    assert snapshot(library) == before


@FILES
def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    """An upload that is not .txt or .md (e.g. a .pdf) → "'paper.pdf' is not a .txt or .md file."; no file."""
    with user_error(r"'paper\.pdf' is not a \.txt or \.md file\."):
        save_article(tmp_path, "paper.pdf", b"%PDF-1.7")
    assert list(tmp_path.iterdir()) == []


# -- evaluation sets --------------------------------------------------------------------------------------
GOOD = {"id": "q1", "question": "How old is Qais al-Khazali?", "reference_answer": "47",
        "evidence": ["he is 47 years old now"], "source_note": "an unknown key, ignored"}


@EVAL_SETS
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_malformed_lines_are_named_and_the_rest_runs(tmp_path: Path, data_dir: Path) -> None:
    """A set with a broken JSON line, a non-object line and a line without "question" → each named by its
    line number in summary.json and on stderr; the two good questions still run and are scored."""
    lines = [json.dumps(GOOD), "{not json", "[1, 2]", json.dumps({"id": "q4", "answer": "x"}),
             json.dumps({"id": "q5", "question": "Where was he born?", "answerable": True, "extra": [1]}),
             json.dumps({"id": "q6", "question": "What did the bridge cost?", "answerable": "no",
                         "evidence": "74 million euros"})]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = rag("eval", str(path), "--out", str(tmp_path / "run"), "--backend", "extractive", "--judge", "support",
               data=data_dir)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["questions"] == 3 and summary["failed"] == 0
    assert summary["set_problems"] == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes) (skipped)",
        "line 3: expected a JSON object (skipped)", 'line 4: missing "question" (skipped)',
        'line 6: "answerable" is "no", not true or false (read as false)',
        'line 6: "evidence" is one string, not a list of quotes (read as one quote)',
        'line 6: evidence "74 million euros" (q6) is in no ingested article']
    assert 'line 6: "answerable" is "no"' in done.stderr and "Traceback" not in done.stderr
    rows = [json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q5", "q6"]
    assert rows[2]["answerable"] is False and rows[2]["evidence"] == ["74 million euros"]


@EVAL_SETS
@pytest.mark.parametrize(("value", "read", "note"), [
    ("yes", True, 'line 1: "answerable" is "yes", not true or false (read as true)'),
    ("No", False, 'line 1: "answerable" is "No", not true or false (read as false)'),
    (0, False, 'line 1: "answerable" is 0, not true or false (read as false)'),
])
def test_answerable_written_as_a_word_is_read_and_named(value: object, read: bool, note: str) -> None:
    """"answerable": "yes" / "No" / 0 → read as the truth value it plainly means, and named by its line ("no" was
    read as true before: any non-empty string is)."""
    loaded = parse_set([json.dumps({"question": "Who is he?", "answerable": value})])
    assert loaded.items[0].answerable is read and loaded.warnings == [note] and loaded.problems == []


@EVAL_SETS
def test_answerable_that_means_nothing_skips_its_line() -> None:
    """"answerable": "maybe" → the line is skipped and named; the rest is read."""
    loaded = parse_set([json.dumps({"question": "Who is he?", "answerable": "maybe"}), json.dumps(GOOD)])
    assert loaded.problems == ['line 1: "answerable" is "maybe", not true or false'] and len(loaded.items) == 1


@QUESTIONS
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_a_source_that_is_not_ingested_is_an_error_naming_the_ingested_ones(engine: Engine, data_dir: Path) -> None:
    """`--source corpus/no-such-article.txt` → "corpus/no-such-article.txt is not an ingested article." with the
    ingested ones in the hint (exit 2), not an answer that the article does not say; "./corpus/…" is the same
    article as "corpus/…"."""
    source = f"corpus/{ARTICLE.name}"
    with user_error(r"corpus/no-such-article\.txt is not an ingested article\."):
        engine.ask("How old is he?", backend="extractive", source="corpus/no-such-article.txt")
    assert engine.ask("How old is he?", backend="extractive", source=f"./{source}").passages[0].source == source
    done = rag("ask", "How old is he?", "--backend", "extractive", "--source", "corpus/no-such-article.txt",
               data=data_dir)
    assert done.returncode == 2 and "corpus/no-such-article.txt is not an ingested article." in done.stderr
    assert source in done.stderr and "Traceback" not in done.stderr


@EVAL_SETS
def test_missing_optional_fields_default(tmp_path: Path) -> None:
    """A row with only "question" → an id from its line number, answerable, no reference or evidence."""
    loaded = parse_set(['{"question": "Who is he?"}'])
    assert loaded.problems == []
    item = loaded.items[0]
    assert (item.id, item.answerable, item.reference_answer, item.evidence) == ("line-1", True, None, ())


@EVAL_SETS
@pytest.mark.parametrize("content", ["", "\n\n", "{oops\n"], ids=["empty", "blank-lines", "only-bad"])
@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_empty_set_is_a_clear_error(tmp_path: Path, data_dir: Path, content: str) -> None:
    """An empty set (or one with no usable line) → "The evaluation set … has no usable questions"; CLI exit 2
    and no output folder."""
    path = tmp_path / "empty.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RagError, match="has no usable questions"):
        load_set(path)
    done = rag("eval", str(path), "--out", str(tmp_path / "run"), "--backend", "extractive", data=data_dir)
    assert done.returncode == 2 and "has no usable questions" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "run").exists()


@EVAL_SETS
def test_duplicate_ids_and_non_utf8_set(tmp_path: Path) -> None:
    """A repeated id → "line 2: duplicate id 'q1'" (first kept); a set that is not UTF-8 → a clear error."""
    loaded = parse_set([json.dumps(GOOD), json.dumps(GOOD)])
    assert [i.id for i in loaded.items] == ["q1"] and loaded.problems == ["line 2: duplicate id 'q1'"]
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"question": "caf\xe9?"}\n')
    with pytest.raises(RagError, match="cannot be read"):
        load_set(path)


@QUESTIONS
def test_a_question_that_names_its_own_subject_is_no_follow_up(engine: Engine) -> None:
    """"Who founded Asaib Ahl al-Haq and when did it start?" after another question → not read as a follow-up
    (its "it" is the group it names): searched for exactly as asked, not rewritten from the conversation."""
    question = "Who founded Asaib Ahl al-Haq and when did it start?"
    history = [("How old is Qais al-Khazali?", "Al-Khazali is 47 years old now.")]
    assert engine.standalone_question(question, history, backend="extractive") == question
    answer = engine.ask(question, backend="extractive", history=history)
    assert answer.searched_for == question
