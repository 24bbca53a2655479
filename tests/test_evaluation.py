"""Evaluation metrics on hand-made cases with known values, the set loader, and the runner's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import Engine, RagError
from rag.eval_runner import run_eval
from rag.eval_sets import EvalItem, parse_set
from rag.evaluation import (
    by_kind,
    confidently_wrong,
    locate,
    retrieval_scores,
    score_answer,
    summarize,
    token_f1,
)
from rag.evaluation import citation_scores as cite_scores
from rag.reporting import compare_runs, write_run
from tests.conftest import REPO

TEXTS = {"a.txt": "Alpha beta gamma. Delta epsilon zeta. Eta theta iota.", "b.txt": "Kappa lambda mu."}


def test_token_f1_known_values() -> None:
    assert token_f1("The BBC.", "BBC") == 1.0  # articles and punctuation do not count
    assert token_f1("He is 47 years old", "47 years") == pytest.approx(2 * 0.4 * 1.0 / 1.4)  # P=2/5, R=1
    assert token_f1("Qom", "Najaf") == 0.0
    assert token_f1("", "anything") == 0.0


def test_locate_and_retrieval_recall_and_mrr() -> None:
    gold = [locate("Delta epsilon", TEXTS), locate("Kappa", TEXTS)]
    assert gold == [[("a.txt", 18, 31)], [("b.txt", 0, 5)]]
    passages = [
        {"rank": 1, "source": "a.txt", "start": 0, "end": 17},  # holds neither
        {"rank": 2, "source": "a.txt", "start": 18, "end": 37},  # holds "Delta epsilon"
        {"rank": 3, "source": "b.txt", "start": 6, "end": 16},  # b.txt but not the quote
    ]
    recall, rr = retrieval_scores(passages, gold)
    assert recall == 0.5 and rr == 0.5
    assert retrieval_scores(passages[:1], gold) == (0.0, 0.0)


class KeywordJudge:
    """A judge with known verdicts: supports when every word of the claim is in the quote."""

    name = "keywords"

    def supports(self, quote: str, claim: str) -> bool:
        return set(claim.lower().split()) <= set(quote.lower().split())


def test_citation_recall_and_precision_known_values() -> None:
    citations = [{"id": 1, "quote": "alpha beta gamma"}, {"id": 2, "quote": "delta"}]
    sentences = [
        {"text": "alpha beta", "citations": [1, 2]},  # supported by 1, not by 2
        {"text": "omega", "citations": [2]},  # not supported
        {"text": "gamma", "citations": []},  # no citation: counts against recall
    ]
    recall, precision = cite_scores(sentences, citations, KeywordJudge())
    assert recall == pytest.approx(1 / 3)
    assert precision == pytest.approx(1 / 3)  # one of three (quote, sentence) pairs supports
    assert cite_scores([], [], KeywordJudge()) == (None, None)


def test_summary_aggregates_known_rows() -> None:
    base = {"failed": False, "usage": {}, "timings_ms": {"retrieve_ms": 10.0, "total_ms": 100.0},
            "citations": [{"id": 1}], "backend": "extractive"}
    rows = [
        {**base, "id": "1", "answerable": True, "reference_answer": "x", "refused": False, "correct": True,
         "recall_at_k": 1.0, "mrr": 1.0, "token_f1": 1.0, "similarity": 1.0, "citation_recall": 1.0,
         "citation_precision": 1.0, "evidence_hit": True, "verbatim": True},
        {**base, "id": "2", "answerable": True, "reference_answer": "y", "refused": True, "correct": False,
         "recall_at_k": 0.0, "mrr": 0.0, "token_f1": 0.0, "similarity": 0.0, "citation_recall": None,
         "citation_precision": None, "evidence_hit": None, "verbatim": True, "citations": []},
        {**base, "id": "3", "answerable": False, "reference_answer": None, "refused": True, "correct": True,
         "recall_at_k": None, "mrr": None, "token_f1": None, "similarity": None, "citation_recall": None,
         "citation_precision": None, "evidence_hit": None, "verbatim": True, "citations": []},
    ]
    s = summarize(rows)
    assert s["correct"] == 0.5 and s["evidence_recall_at_k"] == 0.5 and s["mrr"] == 0.5
    assert s["false_refusal_rate"] == 0.5 and s["refusal_rate_unanswerable"] == 1.0
    assert s["citation_recall"] == 1.0 and s["evidence_hit"] == 1.0 and s["verbatim"] == 1.0
    assert s["retrieve_p50_ms"] == 10.0 and s["total_p95_ms"] == 100.0
    assert s["confidently_wrong"] == 0.0 and s["answered"] == pytest.approx(1 / 3)


def test_confidently_wrong_counts_verified_wrong_answers_only() -> None:
    """Shown as verified and wrong: an unanswerable question answered, or an answerable one answered wrongly.
    Abstentions and refusals are never confidently wrong, whatever they say."""
    def row(kind: str, answerable: bool, outcome: str, correct: bool | None) -> dict[str, object]:
        return {"id": f"{kind}-{outcome}-{correct}", "kind": kind, "answerable": answerable, "outcome": outcome,
                "refused": outcome != "answered", "correct": correct, "failed": False}
    rows = [row("near", False, "answered", False), row("near", False, "abstained", True),
            row("near", False, "refused", True), row("look", True, "answered", True),
            row("look", True, "answered", False), row("look", True, "abstained", False)]
    assert [confidently_wrong(r) for r in rows] == [True, False, False, False, True, False]
    kinds = by_kind(rows)
    assert kinds["near"] == {"questions": 3, "answerable": 0, "answered": pytest.approx(1 / 3),
                             "abstained": pytest.approx(1 / 3), "refused": pytest.approx(1 / 3),
                             "correct": pytest.approx(2 / 3), "confidently_wrong": pytest.approx(1 / 3)}
    assert kinds["look"]["confidently_wrong"] == pytest.approx(1 / 3)
    assert kinds["look"]["correct"] == pytest.approx(1 / 3)
    assert confidently_wrong({"answerable": True, "refused": False, "correct": None}) is False  # no reference


def test_set_loader_names_bad_lines_and_keeps_the_rest() -> None:
    lines = [
        '{"id": "q1", "question": "How old is he?", "evidence": ["47"], "mood": "unknown keys are fine"}',
        "{not json",
        '{"id": "q3"}',
        "",
        '{"question": "No id here?", "answerable": false}',
        '{"id": "q1", "question": "Duplicate id"}',
    ]
    loaded = parse_set(lines)
    assert [i.id for i in loaded.items] == ["q1", "line-5"]
    assert loaded.items[1].answerable is False
    assert loaded.problems == ["line 2: not valid JSON (Expecting property name enclosed in double quotes)",
                               'line 3: missing "question"', "line 6: duplicate id 'q1'"]


def test_evaluation_sets_in_the_repo_are_valid(article_text: str) -> None:
    folder = Path(__file__).resolve().parent.parent / "evals"
    full = parse_set((folder / "article_qa.jsonl").read_text("utf-8").splitlines())
    dev = parse_set((folder / "article_qa_dev.jsonl").read_text("utf-8").splitlines())
    held = parse_set((folder / "article_qa_heldout.jsonl").read_text("utf-8").splitlines())
    assert not full.problems and len(full.items) >= 60
    assert sum(not i.answerable for i in full.items) >= 12
    assert {i.id for i in dev.items} | {i.id for i in held.items} == {i.id for i in full.items}
    assert not {i.id for i in dev.items} & {i.id for i in held.items}
    assert len(held.items) >= len(full.items) // 4
    for item in full.items:
        if item.answerable:
            assert item.reference_answer and item.evidence, item.id
            for quote in item.evidence:
                assert quote in article_text, (item.id, quote)


@pytest.mark.parametrize(("name", "kinds"), [
    ("hard_qa", {"unanswerable-near": 60, "attribution": 25, "lookalike": 30}),
    ("python_license", {"unanswerable-near": 15, "lookalike": 8}),
    ("paraphrase_qa", {"paraphrase": 30, "paraphrase-who": 10, "unanswerable-near": 20}),
])
def test_hard_sets_hold_a_third_back_and_quote_their_articles(name: str, kinds: dict[str, int]) -> None:
    """The verified-answers sets: enough questions of each kind, every third of each kind held back, and
    every evidence quote verbatim in one of the corpus articles."""
    folder = REPO / "evals"
    full, dev, held = (parse_set((folder / f"{name}{suffix}.jsonl").read_text("utf-8").splitlines())
                       for suffix in ("", "_dev", "_heldout"))
    assert not full.problems and len(full.items) >= 40
    for kind, least in kinds.items():
        assert sum(i.kind == kind for i in full.items) >= least, kind
    assert {i.id for i in dev.items} | {i.id for i in held.items} == {i.id for i in full.items}
    assert not {i.id for i in dev.items} & {i.id for i in held.items}
    for kind in {i.kind for i in full.items}:
        assert sum(i.kind == kind for i in held.items) == sum(i.kind == kind for i in full.items) // 3
    texts = [p.read_text("utf-8") for p in (REPO / "corpus").glob("*.txt")]
    for item in full.items:
        assert not item.answerable or item.reference_answer, item.id
        for quote in item.evidence:
            assert any(quote in t for t in texts), (item.id, quote)


def test_runner_records_failures_and_writes_a_report(engine: Engine, tmp_path: Path) -> None:
    items = [EvalItem("ok", "Where was al-Khazali born?", True, "In Sadr City.",
                      ("Al-Khazali was born in Sadr City",)),
             EvalItem("empty", "   ", True, "nothing"),
             EvalItem("off", "What is the capital of France?", False)]
    rows = run_eval(engine, items, "extractive", 5, KeywordJudge())
    assert [r["id"] for r in rows] == ["ok", "empty", "off"]
    assert rows[0]["recall_at_k"] == 1.0 and rows[0]["evidence_hit"] and rows[0]["verbatim"]
    assert rows[1]["failed"] and "question is empty" in rows[1]["error"]
    assert rows[2]["refused"] and rows[2]["correct"]
    summary = write_run(tmp_path / "run", rows, {"set": "inline", "backend": "extractive", "k": 5,
                                                 "judge": "keywords"})
    assert summary["failed"] == 1
    out = tmp_path / "run"
    assert {p.name for p in out.iterdir()} >= {"results.jsonl", "summary.json", "report.md", "metrics.png",
                                                "latency.png"}
    lines = (out / "results.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["ok", "empty", "off"]
    report = (out / "report.md").read_text("utf-8")
    assert "Evidence recall@k" in report and "**Failed:**" in report and "![metrics.png](metrics.png)" in report


def test_compare_reports_deltas_and_flips(engine: Engine, tmp_path: Path) -> None:
    items = [EvalItem("born", "Where was al-Khazali born?", True, "In Sadr City.", ("born in Sadr City",))]
    rows = run_eval(engine, items, "extractive", 5, KeywordJudge())
    write_run(tmp_path / "a", rows, {"set": "x", "backend": "extractive", "k": 5, "judge": "keywords"})
    flipped = [{**rows[0], "correct": not rows[0]["correct"]}]
    write_run(tmp_path / "b", flipped, {"set": "x", "backend": "extractive", "k": 3, "judge": "keywords"})
    text = compare_runs(tmp_path / "a", tmp_path / "b")
    assert "| Correct |" in text and "Questions that flipped (1)" in text and "**born** correct" in text
    with pytest.raises(RagError, match="not an evaluation run folder"):
        compare_runs(tmp_path / "a", tmp_path / "missing")


def test_compare_of_runs_over_different_questions_counts_the_shared_ones_only(engine: Engine, tmp_path: Path
                                                                               ) -> None:
    """Two runs over different question sets: said first, and every figure is over the questions both asked."""
    items = [EvalItem("born", "Where was al-Khazali born?", True, "In Sadr City.", ("born in Sadr City",)),
             EvalItem("age", "How old is al-Khazali?", True, "47", ("he is 47 years old now",))]
    rows = run_eval(engine, items, "extractive", 5, KeywordJudge())
    write_run(tmp_path / "a", rows[:1], {"set": "x", "backend": "extractive", "k": 5, "judge": "keywords"})
    write_run(tmp_path / "b", rows, {"set": "y", "backend": "extractive", "k": 5, "judge": "keywords"})
    text = compare_runs(tmp_path / "a", tmp_path / "b")
    assert text.splitlines()[2].startswith("**The runs asked different questions** (1 and 2; 1 in both)")
    assert "Questions in only one run: age" in text and "every figure below is over the 1 questions" in text


def test_compare_says_when_two_runs_were_made_on_different_machines(engine: Engine, tmp_path: Path) -> None:
    """A local model's drafts depend on the CPU: a comparison of runs from two machines says so; one machine, or
    runs that do not record theirs, no warning."""
    from rag.runtime import machine

    items = [EvalItem("born", "Where was al-Khazali born?", True, "In Sadr City.", ("born in Sadr City",))]
    rows = run_eval(engine, items, "extractive", 5, KeywordJudge())
    here, there, old = machine(), "Other CPU, 64 cores, avx2", None
    for name, where in (("here", here), ("again", here), ("there", there), ("old", old)):
        meta = {"set": "x", "backend": "extractive", "k": 5, "judge": "keywords"}
        write_run(tmp_path / name, rows, meta | ({"machine": where} if where else {}))
    assert "cores" in here and here in (tmp_path / "here" / "report.md").read_text("utf-8")
    assert "not made on one machine" not in compare_runs(tmp_path / "here", tmp_path / "again")
    warned = compare_runs(tmp_path / "here", tmp_path / "there")
    assert f"(A: {here}; B: {there})" in warned and "compare runs made on one machine" in warned
    assert "B: not recorded" in compare_runs(tmp_path / "here", tmp_path / "old")


def test_correctness_rule_agrees_with_the_reader() -> None:
    """The calibration: the rule vs a person's reading of 58 local-model answers (must stay ≥ 85 %)."""
    from rag.evaluation import is_correct

    path = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "local_answers_read.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert len(rows) >= 50
    agree = sum((not r["refused"] and is_correct(r["answer"], r["reference_answer"], r["similarity"]))
                == r["reader_says_correct"] for r in rows)
    assert agree / len(rows) >= 0.85


def test_a_reference_of_stop_words_only_is_matched_by_its_own_words() -> None:
    from rag.evaluation import answer_recall, is_correct

    assert answer_recall("The author says it is still too soon to say.", "The author.") == 1.0
    assert is_correct("The author points out that Iran asked them to wait.", "The author.", 0.2)
    assert not is_correct("Qais al-Khazali points out that Iran asked them to wait.", "The author.", 0.2)


def test_answer_recall_meets_a_word_by_its_stem_or_a_longer_form_of_it() -> None:
    from rag.evaluation import answer_recall

    assert answer_recall("The parts about Iran.", "The part about Iran.") == 1.0
    assert answer_recall("The Kurdish and Sunni communities.", "Kurd and Sunni.") == 1.0
    assert answer_recall("The Kurdish and Shia parties.", "Kurd and Sunni.") == 0.5
    assert answer_recall("He is in Iraq.", "Iran.") == 0.0  # short stems must match whole


def test_yes_no_contradiction_is_never_correct() -> None:
    from rag.evaluation import is_correct

    assert not is_correct("Yes, he disagrees with Sadr.", "No; Sadr has the same opinion.", 0.9)
    assert is_correct("No, he agrees with Sadr on that.", "No; Sadr has the same opinion.", 0.5)


def test_the_readme_lists_the_metrics_of_the_one_table() -> None:
    """README, report and app read one metric table (rag/metrics.py): the README's list is exactly its text, and
    every metric a summary reports has a row (nothing defined twice or left out)."""
    from harness.servers import REPO
    from rag.metrics import METRICS, definitions_markdown

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- metrics: written from rag/metrics.py; a test checks it -->\n")[1]
    assert listed.split("\n<!-- /metrics -->")[0] == definitions_markdown()
    assert len({m.key for m in METRICS}) == len(METRICS) and len({m.label for m in METRICS}) == len(METRICS)
    summary = summarize([])
    assert {m.key for m in METRICS} <= set(summary) | {"answered", "abstained", "refused"}


def test_a_draft_shown_as_not_confirmed_is_scored_too() -> None:
    """An abstention that shows its draft as not confirmed: the draft is judged by the answer rule, so a report
    says how many right answers were withheld and how many wrong drafts were shown (as not confirmed)."""
    from rag import ABSTAIN, Answer, AnswerSentence

    def abstained(text: str, status: str) -> Answer:
        draft = AnswerSentence(text, status=status, reasons=["confidence 0.63 is below 0.70"])
        return Answer("q", ABSTAIN, True, [], [draft], [], "local", {}, outcome="abstained")

    def same(a: str, b: str) -> float:
        return 1.0 if a == b else 0.0

    right = EvalItem("r", "How long was the interview?", True, "24 minutes")
    off = EvalItem("u", "How old is Sadr?", False)
    class NoJudge:  # an abstention has no verified sentence, so no quote is judged
        name = "none"

        def supports(self, quote: str, claim: str) -> bool:
            raise AssertionError("not asked")

    judge = NoJudge()
    rows = [score_answer(right, abstained("The interview lasted 24 minutes.", "unconfirmed"), {}, same, judge),
            score_answer(right, abstained("It lasted a few days.", "unconfirmed"), {}, same, judge),
            score_answer(right, abstained("The interview lasted 24 minutes.", "refuted"), {}, same, judge),
            score_answer(off, abstained("Sadr is 47.", "unconfirmed"), {}, same, judge)]
    assert [r["unconfirmed_correct"] for r in rows] == [True, False, None, False]
    summary = summarize(rows)
    assert summary["unconfirmed_right"] == 1 / 3 and summary["unconfirmed_wrong"] == 2 / 4
