"""Checking a quote (`Engine.check_quote`, `rag check-quote`): verbatim, altered, paraphrase or not found, who
says it, whether that is who the reader named, and one clear message for a quote that cannot be checked. Real
components: the real article and the shared cases, MiniLM, Chroma; no model (a paraphrase is judged by support)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import Engine, QuoteCheck, RagError
from rag.embedding import MiniLMEmbedder
from rag.quote_check import quoted_claim
from tests.conftest import ARTICLE, REPO, engine_over
from tests.helpers import rag, user_error

CASES = REPO.parent / "shared" / "cases"
ARTICLE_SOURCE = f"corpus/{ARTICLE.name}"


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    articles = {ARTICLE.name: ARTICLE.read_text(encoding="utf-8"),
                "quotes.txt": (CASES / "quotes.txt").read_text(encoding="utf-8")}
    return engine_over(tmp_path_factory.mktemp("quote-check"), articles, embedder, backend="extractive")


def check(engine: Engine, text: str, speaker: str | None = None) -> QuoteCheck:
    result = engine.check_quote(text, speaker=speaker, backend="extractive")
    if result.source is not None:  # offsets index the article as stored
        stored = (engine.settings.root / result.source).read_text(encoding="utf-8")
        assert stored[result.start:result.end] == result.text
        for change in result.diff:
            assert stored[change.article_start:change.article_end] == change.article
    for near in result.closest:
        stored = (engine.settings.root / near["source"]).read_text(encoding="utf-8")
        assert stored[near["start"]:near["end"]] == near["text"]
    return result


@pytest.mark.parametrize(("quote", "speaker", "said_by", "matches"), [
    ('"We cannot afford to wait."', "Anna Lindqvist", "Anna Lindqvist", True),
    ("\u201cwe cannot afford to wait\u201d", "Peter Hale", "Anna Lindqvist", False),  # right words, wrong speaker
    ("Al-Khazali was born in Sadr City", "al-Khazali", "the author", False),  # the author's words, not his
    ("our decisions in Iraq is not related to Iran", "Qais al-Khazali", "Qais al-Khazali", True),
])
def test_verbatim_with_who_says_it(checker: Engine, quote: str, speaker: str, said_by: str, matches: bool) -> None:
    result = check(checker, quote, speaker)
    assert result.verdict == "verbatim" and result.speaker == said_by and result.speaker_matches is matches
    if not matches:
        assert f"not {speaker}'s" in result.message


def test_the_most_common_misquote_is_named(checker: Engine) -> None:
    result = check(checker, "Al-Khazali was born in Sadr City, and he is 47 years old now.", "al-Khazali")
    assert result.message.endswith("They are the author's words, not al-Khazali's.")


@pytest.mark.parametrize(("quote", "meaning"), [
    ("Al-Khazali was born in Sadr City, and he is 57 years old now.", "number changed"),
    ("our decisions in Iraq is related to Iran", "negation dropped"),
    ("The cost has doubled since June, and nobody has explained why", "name changed"),
    ("Sarah Kim said the project will take three years", None),  # "would" → "will": no flip called out
])
def test_altered_with_the_change_that_flips_meaning(checker: Engine, quote: str, meaning: str | None) -> None:
    result = check(checker, quote)
    assert result.verdict == "altered" and result.diff, result.to_dict()
    if meaning:
        assert any(m.startswith(meaning) for m in result.meaning_changes), result.meaning_changes


@pytest.mark.parametrize(("quote", "verdict", "said_by"), [
    # reported speech rewords the quote (many words of its own, no negation, number or name changed)
    ("Anna Lindqvist said the plan would bring 400 jobs to the town", "paraphrase", "Anna Lindqvist"),
    ("Hale said that nobody had explained why the cost had doubled since March", "paraphrase", "Peter Hale"),
    ("This plan will bring 400 jobs to our town", "altered", "Anna Lindqvist"),  # one word of its own
    ("Anna Lindqvist said the plan would not bring 400 jobs to the town", "altered", "Anna Lindqvist"),  # a negation
])
def test_a_quote_reworded_is_a_paraphrase_and_one_altered_is_not(checker: Engine, quote: str, verdict: str,
                                                                said_by: str) -> None:
    result = check(checker, quote)
    assert (result.verdict, result.speaker) == (verdict, said_by), result.to_dict()


ANNA = [("What did Anna Lindqvist say about the plan?", "Anna Lindqvist said the plan will bring 400 jobs.")]
HALE = [("Who disagreed with the plan?", "Councillor Peter Hale disagreed with the plan.")]


@pytest.mark.parametrize(("question", "history", "claimed"), [
    ('Did al-Khazali say "Iran gives us our orders"?', [], ("Iran gives us our orders", "al-Khazali")),
    ('Did she say "We cannot afford to wait"?', ANNA, ("We cannot afford to wait", "Anna Lindqvist")),
    ("Is it true that he said \u201cwe cannot afford to wait\u201d?", HALE,
     ("we cannot afford to wait", "Peter Hale")),  # the conversation says who "he" is
    ('Did he say "We cannot afford to wait"?', [], ("We cannot afford to wait", None)),  # no one to stand for
    ('Who said "We cannot afford to wait"?', ANNA, None),  # a question, not a claim to check
])
def test_a_chat_question_carrying_a_quotation_and_whom_it_names(question: str, history: list[tuple[str, str]],
                                                                 claimed: tuple[str, str | None] | None) -> None:
    assert quoted_claim(question, history) == claimed


def test_an_invented_quote_is_not_found_and_shows_the_closest(checker: Engine) -> None:
    result = check(checker, "Iran gives us our orders and we follow them", "al-Khazali")
    assert result.verdict == "not_found" and result.source is None and result.speaker_matches is None
    assert len(result.closest) == 3


@pytest.mark.parametrize(("text", "message"), [
    ("", r"The quote is empty\."),
    ('  " "  ', r"The quote is empty\."),
    ("word " * 20_000, r"The quote is 100,000 characters long; the limit is 2,000\."),
    ("Iran", r"A quote of one word cannot be checked: any article may use the word\."),
    ("إيران تعطينا أوامرنا", r"The quote is written in Arabic script, but the articles are in Latin script\."),
], ids=["empty", "quotation marks only", "100 KB", "one word", "another script"])
def test_a_quote_that_cannot_be_checked_says_why(checker: Engine, text: str, message: str) -> None:
    with user_error(message):
        checker.check_quote(text, backend="extractive")


def test_a_source_that_is_not_ingested_is_an_error(checker: Engine) -> None:
    with pytest.raises(RagError, match=r"corpus/nowhere\.txt is not an ingested article"):
        checker.check_quote("We cannot afford to wait", source="corpus/nowhere.txt", backend="extractive")
    only = checker.check_quote("We cannot afford to wait", source="corpus/quotes.txt", backend="extractive")
    assert only.verdict == "verbatim" and only.source == "corpus/quotes.txt"


@pytest.mark.slow  # runs the `rag` command in a subprocess
def test_check_quote_json_matches_the_contract(data_dir: Path) -> None:
    done = rag("check-quote", "Al-Khazali was born in Sadr City, and he is 57 years old now.", "--speaker",
               "al-Khazali", "--backend", "extractive", "--json", data=data_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out.keys() >= {"verdict", "span", "speaker", "speaker_matches", "diff", "meaning_changes", "closest"}
    assert out["verdict"] == "altered" and out["speaker"] == "the author" and out["speaker_matches"] is False
    assert out["span"]["source"] == ARTICLE_SOURCE
    text = (REPO / ARTICLE_SOURCE).read_text(encoding="utf-8")
    assert text[out["span"]["start"]:out["span"]["end"]] == out["span"]["text"]
    assert [(d["kind"], d["quote"], d["article"]) for d in out["diff"]] == [("changed", "57", "47")]
    empty = rag("check-quote", "", data=data_dir)
    assert empty.returncode == 2 and empty.stderr.startswith("error: The quote is empty.")
    assert "Traceback" not in empty.stderr


def test_a_quote_check_set_is_scored_by_kind_with_its_confusion_table(checker: Engine, tmp_path: Path) -> None:
    """`rag eval` of a quote-check set: verdicts by kind, the confusion table, speakers, meaning changes called out;
    a line without a quote or with an unknown verdict is named and skipped, the rest runs."""
    from rag.quote_eval import is_quote_set, run_quote_eval_to

    cases = [
        {"id": "v", "kind": "whole", "quote": "We cannot afford to wait.", "verdict": "verbatim",
         "said_by": "Anna Lindqvist", "source": "quotes.txt"},
        {"id": "m", "kind": "misattributed", "quote": "We cannot afford to wait.", "speaker": "Peter Hale",
         "verdict": "verbatim", "speaker_matches": False},
        {"id": "n", "kind": "number", "quote": "Sarah Kim said the project would take five years.",
         "verdict": "altered", "meaning": "number"},
        {"id": "i", "kind": "invented", "quote": "The harbour will be closed to fishing boats forever.",
         "verdict": "not_found", "extra": "ignored"},
    ]
    path = tmp_path / "quotes.jsonl"
    path.write_text("\n".join([*(json.dumps(c) for c in cases), '{"id": "x", "quote": ""}',
                               '{"id": "y", "quote": "a b c", "verdict": "maybe"}']) + "\n", encoding="utf-8")
    assert is_quote_set(path) and not is_quote_set(REPO / "evals" / "article_qa_dev.jsonl")
    summary, problems = run_quote_eval_to(checker, path, tmp_path / "run")
    assert problems == ["line 5: no quote", "line 6: verdict must be one of verbatim, altered, paraphrase, not_found"]
    assert summary["verdict_accuracy"] == {"right": 4, "of": 4, "share": 1.0}
    assert summary["false_verbatim"] == 0 and summary["misattribution_caught"]["right"] == 1
    assert summary["speaker_accuracy"]["right"] == 1 and summary["meaning_changes_called"]["right"] == 1
    assert summary["confusion"] == {"altered→altered": 1, "not_found→not_found": 1, "verbatim→verbatim": 2}
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| verbatim | 2 | 0 | 0 | 0 | 0 |" in report and "| number | 1 | 1 |" in report
    assert (tmp_path / "run" / "confusion.png").stat().st_size > 0
    assert len((tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 4
