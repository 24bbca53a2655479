"""Fit the answer policy's confidence weights (`rag/policy.py`) on evaluation runs of the dev splits.

    .venv/bin/python evals/src/calibrate.py RUN_DIR [RUN_DIR ...] [--extractive] [--write rag/policy_weights.json]

Each run folder is a `rag eval --out` folder. For every question whose drafted first sentence passed the
hard rules (so its signals were all computed), the label is whether that draft is right: an answerable
question answered correctly by the report's rule, against an unanswerable one (any answer is wrong) or a
wrong answer. A logistic regression (L2, plain gradient descent: no extra dependency) over the signals
gives the weights; the table after them shows, for each threshold, how many right drafts would be kept and
how many wrong ones would be shown as verified. Only dev runs may be used: held-back splits are for the
final report. Prints the weights, then the same fit leave one article out: for each article (a set's `article`
key, else the source of a question's best passage), weights and threshold fitted on the other articles' drafts
and the figures on its own, so every figure is on an article the weights never saw. `--write FILE` writes the
weights into the policy's data file (`rag/policy_weights.json`, read by `rag/fitted.py`) with the date, the runs
and those figures; the threshold (the lowest at which wrong drafts shown stay ≤ 1 % of the questions) is moved
onto `verified_at` through the bias, so both backends share one confidence line.

Signals tried on the 96 dev drafts that passed the rules (2026-12-02) and not added, by right drafts kept at
≤ 2 / ≤ 4 wrong ones shown in 5-fold cross-validation (5 shuffles), against 44.4 / 48.6 with the five signals:
whether the draft's quote is the extractive answer's first excerpt (37.8 / 45.4; it is for 84 % of right and
66 % of wrong drafts); coverage that also counts a question word whose MiniLM embedding is close to a quote
word (cut 0.5: 39.2 / 44.0, 0.6: 45.2 / 48.4, 0.7: 43.6 / 46.0). Rules tried and not added, on the verified
dev drafts: every question word the answer repeats must be in the quote (would withdraw 20 right, 2 wrong);
negation and "maybe" parity between answer and quote for every answer (2 right, 1 wrong: kept for who-says
questions only, `policy.states_as_asked`).
Later that day the model's check became "does the text answer this question?" (`rag/verifier.py`) and
relevance left the model's signals (5-fold CV over 119 dev drafts with the paraphrase dev split: 53.6 / 61.6
right drafts kept at 0 / 2 wrong shown without it, 50.8 / 59.0 with it); coverage by MiniLM word similarity
(48.6–51.0 / 56.6–58.6) or by MiniLM token vectors, BERTScore-style (51.4–51.6 / 60.6–61.2), did not help either.
Refitted when the check took the answer prompt's system message (118 dev drafts of the runs then current, the
check's P(yes) recomputed with the new prompt): 59.4 / 63.4 right drafts kept at 0 / 2 wrong shown against
57.0 / 62.8; fitted bias -1.86, moved to -2.32 (the ≤ 1-wrong point on those drafts: 64 right kept, 0 wrong).
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.eval_sets import load_set  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402

LLM_SIGNALS = ("llm_yes", "gen_min", "support", "coverage")
EXTRACTIVE_SIGNALS = ("support", "coverage", "relevance")


def article_of(row: dict[str, object], item: dict[str, object]) -> str:
    """Which article a question is about: the set's own `article` key, else the source of its best passage."""
    if isinstance(item.get("article"), str):
        return str(item["article"])
    passages = row.get("passages") or []
    return Path(str(passages[0]["source"])).name if passages else "?"  # type: ignore[index]


def examples(folders: list[Path], signals: tuple[str, ...]
             ) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, tuple[bool, int]], dict[str, str]]:
    """The drafts' signals and labels, per question (id → answerable, row of its draft or -1) and the article each
    question is about."""
    embedder = MiniLMEmbedder()
    xs, ys, ids = [], [], []
    questions: dict[str, tuple[bool, int]] = {}
    articles: dict[str, str] = {}
    for folder in folders:
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        raw = {r["id"]: r for r in (json.loads(x) for x in (ROOT / summary["set"]).read_text("utf-8").splitlines()
                                     if x.strip())}
        references = {i.id: i.reference_answer for i in load_set(ROOT / summary["set"]).items}  # as now written
        for line in (folder / "results.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            row["reference_answer"] = references.get(row["id"], row.get("reference_answer"))
            questions[row["id"]] = (row["answerable"], -1)
            articles[row["id"]] = article_of(row, raw.get(row["id"], {}))
            drafted = [s for s in row.get("sentences", []) if s.get("signals")]
            if not drafted or any(k not in drafted[0]["signals"] for k in signals):
                continue
            if drafted[0].get("reasons") and not drafted[0]["reasons"][0].startswith("confidence"):
                continue  # a hard rule withdrew it: the confidence never decided
            text = " ".join(s["text"] for s in drafted)
            right = False
            if row["answerable"] and row.get("reference_answer"):
                vectors = embedder.embed_cached([text, row["reference_answer"]])
                right = is_correct(text, row["reference_answer"], float(vectors[0] @ vectors[1]))
            elif row["answerable"]:
                continue  # no reference: cannot tell right from wrong
            questions[row["id"]] = (row["answerable"], len(ys))
            xs.append([drafted[0]["signals"][k] for k in signals])
            ys.append(1.0 if right else 0.0)
            ids.append(row["id"])
    return np.array(xs), np.array(ys), ids, questions, articles


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 20000, rate: float = 1.0
        ) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= rate * (x.T @ (p - y) / len(y) + l2 * w)
        b -= rate * float(np.mean(p - y))
    return w, b


def threshold_for(p: np.ndarray, y: np.ndarray, questions: int, rate: float = 0.01) -> float:
    """The lowest threshold at which the wrong drafts shown stay at most `rate` of all questions."""
    for hundredths in range(30, 96):  # whole hundredths: no floating-point drift in the grid
        t = hundredths / 100
        if int(((p >= t) & (y == 0)).sum()) <= rate * questions:
            return t
    return 0.95


def clopper_pearson_upper(wrong: int, n: int, alpha: float = 0.05) -> float:
    """The one-sided (1 - alpha) Clopper–Pearson upper bound on a rate seen as `wrong` of `n`: the rate p at which
    seeing `wrong` or fewer has probability alpha (bisection on the binomial CDF, no SciPy)."""
    if wrong >= n:
        return 1.0

    def cdf(p: float) -> float:
        return sum(math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                            + i * math.log(p) + (n - i) * math.log1p(-p)) for i in range(wrong + 1))

    low, high = 0.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if cdf(mid) > alpha else (low, mid)
    return high


def held_out_threshold(p: np.ndarray, y: np.ndarray, questions: int, bound: float = 0.02) -> float:
    """The lowest threshold on held-out scores (each draft scored by weights that never saw its article) at which
    the Clopper–Pearson upper bound on wrong drafts shown, over all questions, stays at most `bound`."""
    for hundredths in range(30, 96):
        t = hundredths / 100
        if clopper_pearson_upper(int(((p >= t) & (y == 0)).sum()), questions) <= bound:
            return t
    return 0.95


def held_out_scores(x: np.ndarray, y: np.ndarray, ids: list[str], articles: dict[str, str]) -> np.ndarray:
    """Each draft's confidence from weights fitted on the other articles' drafts."""
    p = np.zeros(len(y))
    for article in sorted({articles[i] for i in ids}):
        held = np.array([articles[i] == article for i in ids], dtype=bool)
        w, b = fit(x[~held], y[~held]) if (~held).any() else (np.zeros(x.shape[1]), 0.0)
        p[held] = 1.0 / (1.0 + np.exp(-(x[held] @ w + b)))
    return p


def leave_one_article_out(x: np.ndarray, y: np.ndarray, ids: list[str], questions: dict[str, tuple[bool, int]],
                          articles: dict[str, str]) -> list[dict[str, object]]:
    """For each article: weights and threshold fitted on the other articles' drafts, figures on its own."""
    rows = []
    for article in sorted(set(articles.values())):
        held = np.array([articles[i] == article for i in ids], dtype=bool)
        asked = [q for q in questions if articles[q] == article]
        if not asked:
            continue
        w, b = fit(x[~held], y[~held]) if (~held).any() else (np.zeros(x.shape[1]), 0.0)
        trained = sum(1 for q in questions if articles[q] != article)
        t = threshold_for(1.0 / (1.0 + np.exp(-(x[~held] @ w + b))), y[~held], trained)
        p = 1.0 / (1.0 + np.exp(-(x[held] @ w + b))) if held.any() else np.array([])
        kept = int(((p >= t) & (y[held] == 1)).sum())
        shown = int(((p >= t) & (y[held] == 0)).sum())
        answerable = sum(1 for q in asked if questions[q][0])
        rows.append({"article": article, "questions": len(asked), "answerable": answerable, "drafts": int(held.sum()),
                     "threshold": t, "right_kept": kept, "wrong_shown": shown})
    return rows


def main(argv: list[str]) -> int:
    extractive = "--extractive" in argv
    signals = EXTRACTIVE_SIGNALS if extractive else LLM_SIGNALS
    out = Path(argv[argv.index("--write") + 1]) if "--write" in argv else None
    folders = [Path(a) for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--write")]
    x, y, ids, questions, articles = examples(folders, signals)
    print(f"{len(y)} drafts that passed the rules: {int(y.sum())} right, {int(len(y) - y.sum())} wrong")
    w, b = fit(x, y)
    weights = {"bias": round(b, 2), **{k: round(float(v), 2) for k, v in zip(signals, w, strict=True)}}
    print("weights:", json.dumps(weights))
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    answerable = sum(a for a, _ in questions.values())
    print(f"over all {len(questions)} questions ({answerable} answerable), if the rules and this threshold decide:")
    print("threshold | right drafts kept | wrong drafts shown | confidently wrong | answerable answered")
    for t in (0.5, 0.55, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.75, 0.8):
        kept = int(((p >= t) & (y == 1)).sum())
        shown = int(((p >= t) & (y == 0)).sum())
        answered = sum(1 for a, i in questions.values() if a and i >= 0 and p[i] >= t)
        print(f"{t:.2f} | {kept}/{int(y.sum())} | {shown}/{int(len(y) - y.sum())} | "
              f"{shown / len(questions):.3f} | {answered / max(answerable, 1):.2f}")
    wrong = sorted(((float(q), i) for q, i, label in zip(p, ids, y, strict=True) if label == 0), reverse=True)
    print("wrong drafts with the highest confidence:", ", ".join(f"{i} {q:.2f}" for q, i in wrong[:10]))
    loao = leave_one_article_out(x, y, ids, questions, articles)
    print("\nleave one article out (weights and threshold fitted on the other articles):")
    print("article | questions | answerable | drafts | threshold | right kept | wrong shown")
    for row in loao:
        print(" | ".join(str(v) for v in row.values()))
    total = {k: sum(int(r[k]) for r in loao) for k in ("questions", "answerable", "right_kept", "wrong_shown")}
    print(f"pooled: {total}")
    held = held_out_scores(x, y, ids, articles)
    line = held_out_threshold(held, y, len(questions))
    shown = int(((held >= line) & (y == 0)).sum())
    print(f"held-out threshold (Clopper–Pearson 95 % upper bound on wrong shown ≤ 2 % of {len(questions)} questions): "
          f"{line} — {int(((held >= line) & (y == 1)).sum())} right kept, {shown} wrong shown, bound "
          f"{clopper_pearson_upper(shown, len(questions)):.4f}; on all dev drafts (≤ 1 % wrong): "
          f"{threshold_for(p, y, len(questions))}")
    if out is not None:
        at_line = {"right_kept": int(((held >= line) & (y == 1)).sum()), "wrong_shown": shown,
                   "upper_bound": round(clopper_pearson_upper(shown, len(questions)), 4)}
        write(out, folders, weights, line, extractive, loao, total, at_line)
    return 0


def write(out: Path, folders: list[Path], weights: dict[str, float], threshold: float, extractive: bool,
          loao: list[dict[str, object]], total: dict[str, int], at_line: dict[str, float],
          verified_at: float = 0.7) -> None:
    """Write the weights into the policy's data file, the bias moved so that `threshold` falls on `verified_at`
    (the one confidence line both backends share)."""
    def logit(q: float) -> float:
        return float(np.log(q / (1 - q)))

    data = json.loads(out.read_text("utf-8"))
    moved = dict(weights, bias=round(weights["bias"] + logit(verified_at) - logit(threshold), 2))
    key = "extractive" if extractive else "llm"
    data.update({key: moved, "verified_at": verified_at, "date": date.today().isoformat(),
                 "by": "evals/src/calibrate.py"})
    data.setdefault("data_by_backend", {})[key] = [str(f) for f in folders]
    data["data"] = sorted({d for v in data["data_by_backend"].values() for d in v})
    data.setdefault("figures", {})[key] = {
        "fitted threshold (moved onto verified_at)": threshold,
        "threshold rule": "the lowest on held-out scores (weights fitted without the draft's article) at which the "
                          "one-sided 95 % Clopper–Pearson upper bound on wrong drafts shown is ≤ 2 % of the questions",
        "leave one article out": loao, "pooled": total, "held-out scores at the line": at_line}
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {out}: {key} weights {moved} (threshold {threshold} → {verified_at})")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
