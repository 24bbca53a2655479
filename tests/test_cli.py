"""The `rag` command as a user runs it: a real subprocess, the real store, the `--json` contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rag.policy import ABSTAIN
from tests.conftest import REPO
from tests.helpers import rag

pytestmark = pytest.mark.slow  # subprocesses, AppTest runs or a 31-article library
CONTRACT = {"question", "answer", "refused", "outcome", "citations", "sentences", "passages", "backend", "timings_ms"}


def test_ingest_twice_adds_nothing(data_dir: Path) -> None:
    again = rag("ingest", data=data_dir)
    assert again.returncode == 0
    assert "0 chunk(s) added, 0 deleted" in again.stdout


def test_ask_json_matches_the_contract(data_dir: Path) -> None:
    done = rag("ask", "How old is Qais al-Khazali?", "--json", "--backend", "extractive",
               "--k", "4", data=data_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out.keys() >= CONTRACT
    assert out["question"] == "How old is Qais al-Khazali?"
    assert isinstance(out["answer"], str) and "47" in out["answer"]
    assert out["refused"] is False and out["outcome"] == "answered" and out["backend"] == "extractive"
    assert isinstance(out["timings_ms"], dict) and out["timings_ms"]["total_ms"] > 0
    assert len(out["passages"]) == 4
    for c in out["citations"]:
        assert set(c) == {"id", "source", "quote", "start", "end", "support", "speaker", "voice"}
        assert (REPO / c["source"]).read_bytes().decode("utf-8")[c["start"] : c["end"]] == c["quote"]
        assert (c["speaker"], c["voice"]) == ("the author", "author")  # the interview is reported by the author
    for p in out["passages"]:
        assert set(p) == {"rank", "source", "start", "end", "score", "text"}
        with open(REPO / p["source"], encoding="utf-8") as f:  # the contract's own check
            assert f.read()[p["start"] : p["end"]] == p["text"]
    ids = {c["id"] for c in out["citations"]}
    for s in out["sentences"]:
        assert set(s) == {"text", "citations", "supported", "verified", "status", "confidence", "reasons", "signals"}
        assert s["status"] == "verified"
        assert set(s["citations"]) <= ids and s["supported"] == bool(s["citations"])
        assert s["verified"] is True and 0.5 <= s["confidence"] <= 1 and s["reasons"] == []


def test_ask_json_abstention(data_dir: Path) -> None:
    """A quote that does not answer: the closest passages (real quotes, with speaker) and no claim."""
    done = rag("ask", "What is the name of al-Khazali's father?", "--json", "--backend", "extractive", data=data_dir)
    out = json.loads(done.stdout)
    assert out["outcome"] == "abstained" and out["refused"] is True
    assert out["answer"] == ABSTAIN  # the engine could not confirm an answer: not "the article does not say"
    assert out["citations"] and all(c["speaker"] for c in out["citations"])
    # Each drafted sentence says what became of it: refuted by a rule, or only short of the confidence line.
    for s in out["sentences"]:
        only_confidence = all(r.startswith("confidence ") for r in s["reasons"])
        assert s["status"] == ("unconfirmed" if only_confidence else "refuted")
    assert out["draft_status"] in ("unconfirmed", "refuted")
    for c in out["citations"]:
        assert (REPO / c["source"]).read_bytes().decode("utf-8")[c["start"] : c["end"]] == c["quote"]
    assert all(s["verified"] is False and s["citations"] == [] and s["reasons"] for s in out["sentences"])


def test_ask_json_refusal(data_dir: Path) -> None:
    done = rag("ask", "What is the capital of France?", "--json", data=data_dir)
    out = json.loads(done.stdout)
    assert out["refused"] is True and out["outcome"] == "refused" and out["citations"] == []
    assert out["answer"].startswith("The article does not say")


def test_ask_prints_answer_and_quotes_for_people(data_dir: Path) -> None:
    done = rag("ask", "How old is Qais al-Khazali?", "--backend", "extractive", data=data_dir)
    assert done.returncode == 0
    assert "[1] corpus/qais-al-khazali-interview-iran.txt, characters" in done.stdout
    assert "47 years old" in done.stdout


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_empty_question_is_one_line_and_exit_2(data_dir: Path, question: str) -> None:
    done = rag("ask", question, data=data_dir)
    assert done.returncode == 2
    expected = "error: The question is empty. (type a question about the article)"
    assert done.stderr.strip().splitlines() == [expected]
    assert "Traceback" not in done.stderr


def test_missing_corpus_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = rag("ingest", data=tmp_path / "data", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "corpus" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 au lait".encode("latin-1"))
    done = rag("ingest", str(bad), data=tmp_path / "data", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "error: latin1.txt is not valid UTF-8 (bad byte at position 3). (save it as UTF-8 and ingest again)")


def test_bad_option_is_one_line_and_exit_2(data_dir: Path) -> None:
    done = rag("ask", "Where was he born?", "--backend", "gpt9", data=data_dir)
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.llm
@pytest.mark.server
def test_ask_through_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    """`rag ingest` and `rag ask --json` with the default (local) model against a `chroma run` server."""
    env = {"RAG_CHROMA_URL": chroma_server, "RAG_COLLECTION": f"cli-{os.getpid()}"}
    done = rag("ingest", data=tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "chroma").exists()  # the server holds the store, not the data folder
    done = rag("ask", "How old is Qais al-Khazali?", "--json", data=tmp_path, **env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["backend"] == "local" and not out["refused"] and "47" in out["answer"]
    assert out["citations"] and all(
        (REPO / c["source"]).read_bytes().decode("utf-8")[c["start"] : c["end"]] == c["quote"]
        for c in out["citations"])


@pytest.mark.llm
@pytest.mark.parametrize(("question", "outcome"), [
    ("How old is Qais al-Khazali?", "answered"),
    ("How old is Muqtada Sadr?", "abstained"),  # the draft says 47: that is al-Khazali's age
    ("What is the capital of France?", "refused"),
])
def test_ask_json_outcomes_with_the_local_model(data_dir: Path, question: str, outcome: str) -> None:
    """The three outcomes as `rag ask --json` prints them, with the default (local) model."""
    done = rag("ask", question, "--json", data=data_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["backend"] == "local" and out["outcome"] == outcome and out["refused"] is (outcome != "answered")
    verified = [s for s in out["sentences"] if s["verified"]]
    if outcome == "answered":
        assert "47" in out["answer"] and verified and all(s["confidence"] >= 0.7 and s["citations"] for s in verified)
    else:
        assert not verified
    if outcome == "abstained":
        assert out["citations"] and any("not Muqtada Sadr" in r for s in out["sentences"] for r in s["reasons"])
    for c in out["citations"]:
        assert (REPO / c["source"]).read_bytes().decode("utf-8")[c["start"] : c["end"]] == c["quote"]
        assert c["speaker"] and c["voice"] in ("author", "quoted", "reported")


def test_ask_prints_withdrawn_sentences_for_people(data_dir: Path) -> None:
    """The terminal shows an abstention as withdrawn, with why, then the closest passages and who says them."""
    done = rag("ask", "What is the name of al-Khazali's father?", "--backend", "extractive", data=data_dir)
    assert done.returncode == 0
    assert ABSTAIN in done.stdout and "doesn't state" not in done.stdout
    assert ("[withdrawn]" in done.stdout or "[not confirmed]" in done.stdout) and "— the author" in done.stdout


def test_ask_shows_an_unconfirmed_draft_as_unconfirmed(data_dir: Path) -> None:
    """A draft every rule passed but whose confidence fell short may be right: the terminal shows it as not
    confirmed (never as withdrawn), and its own quote — the sentence most likely to hold the answer — first."""
    done = rag("ask", "In which district was al-Khazali born?", "--backend", "extractive", data=data_dir)
    assert done.returncode == 0
    assert ABSTAIN in done.stdout and "[not confirmed] Al-Khazali was born in Sadr City" in done.stdout
    assert "[withdrawn]" not in done.stdout
    first_quote = done.stdout.split("[1] ", 1)[1].splitlines()[1]
    assert "Al-Khazali was born in Sadr City" in first_quote
    out = json.loads(rag("ask", "In which district was al-Khazali born?", "--json", "--backend", "extractive",
                         data=data_dir).stdout)
    assert out["outcome"] == "abstained" and out["draft_status"] == "unconfirmed"
    assert out["citations"][0]["quote"].startswith("Al-Khazali was born in Sadr City")
