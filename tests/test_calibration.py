"""The fitting behind the answer policy's numbers (`evals/src/calibrate.py`) and the file it writes, which the
engine reads (`rag/fitted.py`): a logistic fit, the threshold rule, the leave-one-article-out folds."""

from __future__ import annotations

import sys

import numpy as np

from rag.fitted import fitted
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "evals" / "src"))

import calibrate


def test_the_fit_ranks_the_signal_that_separates_right_from_wrong() -> None:
    x = np.array([[0.9, 0.5], [0.8, 0.4], [0.85, 0.6], [0.2, 0.5], [0.1, 0.4], [0.3, 0.6]])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    w, _ = calibrate.fit(x, y)
    assert w[0] > 1.0 and abs(w[1]) < abs(w[0])


def test_the_threshold_is_the_lowest_that_keeps_wrong_ones_shown_under_the_rate() -> None:
    p = np.array([0.95, 0.9, 0.8, 0.7, 0.6])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    assert calibrate.threshold_for(p, y, questions=50, rate=0.01) == 0.91  # none allowed: above the 0.9 wrong one
    assert calibrate.threshold_for(p, y, questions=100, rate=0.01) == 0.71  # one allowed: the 0.9 one shows
    assert calibrate.threshold_for(p, y, questions=200, rate=0.01) == 0.3  # two allowed: both show


def test_the_clopper_pearson_bound_matches_known_values() -> None:
    assert abs(calibrate.clopper_pearson_upper(0, 344) - 0.0087) < 1e-3  # the "rule of three": 3 / n
    assert abs(calibrate.clopper_pearson_upper(2, 344) - 0.0182) < 1e-3
    assert calibrate.clopper_pearson_upper(1, 10) > 0.35  # one in ten bounds little


def test_the_held_out_threshold_keeps_the_bound_on_wrong_ones_shown_under_two_percent() -> None:
    p = np.array([0.95, 0.9, 0.8, 0.7, 0.6])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    assert calibrate.held_out_threshold(p, y, questions=100) == 0.95  # 0 of 100 still bounds at 3 %: the top line
    assert calibrate.held_out_threshold(p, y, questions=200) == 0.91  # 0 of 200 bounds at 1.5 %, 1 at 2.4 %
    assert calibrate.held_out_threshold(p, y, questions=400) == 0.3  # two of 400 bound at 1.6 %: both may show


def test_leave_one_article_out_reports_each_article_on_weights_that_never_saw_it() -> None:
    rng = np.random.default_rng(0)
    ids = [f"q{i}" for i in range(40)]
    x = rng.random((40, 2))
    y = (x[:, 0] > 0.5).astype(float)
    questions = {q: (True, i) for i, q in enumerate(ids)}
    articles = {q: ("a.txt" if i < 20 else "b.txt") for i, q in enumerate(ids)}
    rows = calibrate.leave_one_article_out(x, y, ids, questions, articles)
    assert [r["article"] for r in rows] == ["a.txt", "b.txt"]
    assert all(r["questions"] == 20 and r["drafts"] == 20 for r in rows)
    assert sum(int(r["right_kept"]) for r in rows) > 0


def test_the_engine_reads_the_fitted_numbers_from_their_file() -> None:
    numbers = fitted()
    assert 0 < numbers.verified_at < 1 and numbers.date
    assert {"bias", "llm_yes", "support", "coverage"} <= set(numbers.llm)
    assert {"bias", "coverage"} <= set(numbers.extractive)
    assert numbers.composed == numbers.extractive  # too few composed dev answers to fit weights of their own
    # ... but with the model's check of the claim they have (with the quote-check dev cases: the same judgement)
    assert {"bias", "support", "llm_yes"} == set(numbers.composed_llm)
    assert numbers.figures["composed_llm"]["leave one article out"]
    assert numbers.figures["llm"]["leave one article out"]  # what they keep and cost, article by article
