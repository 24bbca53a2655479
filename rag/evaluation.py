"""Per-question metrics and the run summary (pure functions, tested on hand-made cases).

What each metric means, and which way is better, is written once, in `rag/metrics.py`. Sets are read by
`rag/eval_sets.py`, run by `rag/eval_runner.py`; reports and plots are `rag/reporting.py`'s.
"""

from __future__ import annotations

import re
import statistics
import string
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from rag.answer import Answer
from rag.eval_sets import EvalItem
from rag.policy import UNCONFIRMED

# Calibrated against a reading of 58 local-model answers (evals/calibration/): 90 % agreement.
RECALL_CORRECT = 0.6
F1_CORRECT = 0.6
SIM_CORRECT = 0.85
STAGES = ("retrieve_ms", "first_token_ms", "generate_ms", "cite_ms", "total_ms")


# -- pure metrics -----------------------------------------------------------------------------------
def normalize_tokens(text: str) -> list[str]:
    """SQuAD normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower().replace("’", "'")
    text = "".join(" " if ch in string.punctuation or ch in "“”‘" else ch for ch in text)
    return [t for t in text.split() if t not in {"a", "an", "the"}]


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = normalize_tokens(prediction), normalize_tokens(reference)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or not common:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def answer_recall(prediction: str, reference: str) -> float:
    """Share of the reference's content words (no stop words) that appear in the prediction, compared by their
    Snowball stems ("part" for "parts"), a stem of 4+ letters also meeting one it begins ("Kurd" / "Kurdish");
    a reference of stop words only ("The author.") is matched by its own words."""
    from rag.lexical import meets, stem
    from rag.lexicon import STOP_WORDS

    words = normalize_tokens(reference)
    wanted = [t for t in words if t not in STOP_WORDS or t in {"no", "not"}] or words
    have = {stem(t) for t in normalize_tokens(prediction)}
    return sum(meets(stem(t), have) for t in wanted) / len(wanted) if wanted else 0.0


def contradicts(prediction: str, reference: str) -> bool:
    """A yes/no answer whose polarity is the opposite of the reference's."""
    first = [normalize_tokens(t)[:1] for t in (prediction, reference)]
    return {tuple(first[0]), tuple(first[1])} == {("yes",), ("no",)}


def is_correct(prediction: str, reference: str, similarity: float) -> bool:
    if contradicts(prediction, reference):
        return False
    return (answer_recall(prediction, reference) >= RECALL_CORRECT or token_f1(prediction, reference) >= F1_CORRECT
            or similarity >= SIM_CORRECT)


Span = tuple[str, int, int]


def locate(quote: str, texts: dict[str, str]) -> list[Span]:
    """Every place (source, start, end) where a gold quote occurs verbatim."""
    found = []
    for source, text in texts.items():
        for match in re.finditer(re.escape(quote), text):
            found.append((source, match.start(), match.end()))
    return found


def evidence_unfound(items: Iterable[EvalItem], texts: dict[str, str]) -> list[str]:
    """A message for each evidence quote that is in no article's text (`locate` finds it nowhere), naming its line:
    its question's retrieval cannot be scored against it."""
    return [f"line {item.line}: evidence \"{quote[:60]}{'…' if len(quote) > 60 else ''}\" ({item.id}) is in no "
            f"ingested article" for item in items for quote in item.evidence if not locate(quote, texts)]


def retrieval_scores(passages: list[dict[str, Any]], gold: list[list[Span]]) -> tuple[float, float]:
    """(evidence recall@k, reciprocal rank) of the passages for the gold quotes' places."""
    if not gold:
        return 0.0, 0.0

    def inside(p: dict[str, Any], spans: list[Span]) -> bool:
        return any(s == p["source"] and p["start"] <= a and b <= p["end"] for s, a, b in spans)

    recall = sum(any(inside(p, spans) for p in passages) for spans in gold) / len(gold)
    ranks = [p["rank"] for p in passages if any(inside(p, spans) for spans in gold)]
    return recall, (1.0 / min(ranks) if ranks else 0.0)


def overlaps(citation: dict[str, Any], gold: list[list[Span]]) -> bool:
    return any(s == citation["source"] and a < citation["end"] and citation["start"] < b
               for spans in gold for s, a, b in spans)


class Judge(Protocol):
    """Decides whether a quote supports a claim (the NLI step of ALCE-style citation metrics)."""

    name: str

    def supports(self, quote: str, claim: str) -> bool: ...


def citation_scores(sentences: list[dict[str, Any]], citations: list[dict[str, Any]], judge: Judge
                    ) -> tuple[float | None, float | None]:
    """(citation recall, citation precision) of one answer; None when there is nothing to score."""
    by_id = {c["id"]: c for c in citations}
    verdicts: dict[tuple[int, str], bool] = {}
    supported_sentences = 0
    for sentence in sentences:
        ok = False
        for cid in sentence["citations"]:
            key = (cid, sentence["text"])
            if key not in verdicts:
                verdicts[key] = judge.supports(by_id[cid]["quote"], sentence["text"])
            ok = ok or verdicts[key]
        supported_sentences += ok
    recall = supported_sentences / len(sentences) if sentences else None
    precision = sum(verdicts.values()) / len(verdicts) if verdicts else None
    return recall, precision


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else None


# -- the run ----------------------------------------------------------------------------------------
def score_answer(item: EvalItem, answer: Answer, texts: dict[str, str], similarity: Callable[[str, str], float],
                 judge: Judge) -> dict[str, Any]:
    """One result row: the `ask` JSON fields plus this question's metrics."""
    row: dict[str, Any] = {"id": item.id, **answer.to_dict(), "answerable": item.answerable,
                           "reference_answer": item.reference_answer, "evidence": list(item.evidence),
                           "kind": item.kind}
    gold = [locate(q, texts) for q in item.evidence]
    row["evidence_found"] = all(gold) if gold else None
    row["recall_at_k"], row["mrr"] = retrieval_scores(row["passages"], gold) if gold else (None, None)
    row["verbatim"] = all(texts.get(c["source"], "")[c["start"] : c["end"]] == c["quote"]
                          for c in row["citations"])
    answered = [] if answer.refused else [s for s in row["sentences"] if s.get("verified", s["supported"])]
    row["citation_recall"], row["citation_precision"] = (
        citation_scores(answered, row["citations"], judge) if answered else (None, None))
    row["evidence_hit"] = (any(overlaps(c, gold) for c in row["citations"])
                           if item.answerable and gold and not answer.refused else None)
    if item.answerable and item.reference_answer:
        refused = answer.refused
        row["token_f1"] = token_f1(answer.answer, item.reference_answer) if not refused else 0.0
        row["answer_recall"] = answer_recall(answer.answer, item.reference_answer) if not refused else 0.0
        row["similarity"] = similarity(answer.answer, item.reference_answer) if not refused else 0.0
        row["correct"] = not refused and is_correct(answer.answer, item.reference_answer, row["similarity"])
    else:
        row["token_f1"] = row["similarity"] = row["answer_recall"] = None
        row["correct"] = answer.refused if not item.answerable else None
    row["confidently_wrong"] = confidently_wrong(row)
    row["unconfirmed_correct"] = unconfirmed_correct(item, row, similarity)
    return row


def unconfirmed_correct(item: EvalItem, row: dict[str, Any], similarity: Callable[[str, str], float]
                        ) -> bool | None:
    """For an abstention that shows a draft as not confirmed (it only fell short of the confidence line):
    whether that draft is right by the same rule as an answer (False on an unanswerable question); None
    otherwise, or when there is no reference to judge it by."""
    drafted = [s["text"] for s in row["sentences"] if s.get("status") == UNCONFIRMED]
    if row.get("outcome") != "abstained" or not drafted:
        return None
    if not item.answerable:
        return False
    if not item.reference_answer:
        return None
    text = " ".join(drafted)
    return is_correct(text, item.reference_answer, similarity(text, item.reference_answer))


def confidently_wrong(row: dict[str, Any]) -> bool:
    """Shown as a verified answer, and wrong: an unanswerable question answered, or an answerable one
    answered incorrectly (an answerable question without a reference cannot be judged: not counted)."""
    if row.get("failed") or row.get("outcome", "refused" if row.get("refused") else "answered") != "answered":
        return False
    if not row["answerable"]:
        return True
    return row.get("correct") is False


def outcome_of(row: dict[str, Any]) -> str:
    return str(row.get("outcome") or ("refused" if row.get("refused") else "answered"))


def by_kind(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per `kind` of question: how many, the share of each outcome, correct, and confidently wrong."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get("kind") or ("answerable" if row["answerable"] else "unanswerable"), []).append(row)
    table = {}
    for kind, members in sorted(groups.items()):
        n = len(members)
        graded = [r for r in members if r.get("correct") is not None]
        table[kind] = {
            "questions": n, "answerable": sum(r["answerable"] for r in members),
            **{o: sum(outcome_of(r) == o for r in members) / n for o in ("answered", "abstained", "refused")},
            "correct": sum(bool(r["correct"]) for r in graded) / len(graded) if graded else None,
            "confidently_wrong": sum(confidently_wrong(r) for r in members) / n,
        }
    return table


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate metrics over result rows (failed rows count against correctness, not latency)."""
    ok = [r for r in rows if not r.get("failed")]
    answerable = [r for r in ok if r["answerable"]]
    unanswerable = [r for r in ok if not r["answerable"]]
    graded = [r for r in rows if r["answerable"] and r.get("reference_answer")]
    quotes = [r for r in ok if r["citations"]]
    summary: dict[str, Any] = {
        "questions": len(rows), "failed": len(rows) - len(ok),
        "answerable": sum(r["answerable"] for r in rows), "unanswerable": sum(not r["answerable"] for r in rows),
        "evidence_recall_at_k": mean(r["recall_at_k"] for r in answerable),
        "mrr": mean(r["mrr"] for r in answerable),
        "correct": (sum(bool(r.get("correct")) for r in graded) / len(graded)) if graded else None,
        "token_f1": mean(r["token_f1"] for r in graded if not r.get("failed")),
        "answer_recall": mean(r.get("answer_recall") for r in graded if not r.get("failed")),
        "similarity": mean(r["similarity"] for r in graded if not r.get("failed")),
        "citation_recall": mean(r["citation_recall"] for r in answerable),
        "citation_precision": mean(r["citation_precision"] for r in answerable),
        "evidence_hit": mean(float(r["evidence_hit"]) if r["evidence_hit"] is not None else None
                             for r in answerable),
        "verbatim": (sum(r["verbatim"] for r in quotes) / len(quotes)) if quotes else None,
        "refusal_rate_unanswerable": mean(float(r["refused"]) for r in unanswerable),
        "false_refusal_rate": mean(float(r["refused"]) for r in answerable),
        "confidently_wrong": (sum(confidently_wrong(r) for r in rows) / len(rows)) if rows else None,
        "unconfirmed_right": (sum(r.get("unconfirmed_correct") is True for r in graded) / len(graded))
        if graded else None,
        "unconfirmed_wrong": (sum(r.get("unconfirmed_correct") is False for r in rows) / len(rows)) if rows else None,
        "answered": mean(float(outcome_of(r) == "answered") for r in ok),
        "abstained": mean(float(outcome_of(r) == "abstained") for r in ok),
        "refused": mean(float(outcome_of(r) == "refused") for r in ok),
        "by_kind": by_kind(rows),
        "prompt_tokens_p50": (statistics.median(t) if (t := [r["usage"]["prompt_tokens"] for r in ok
                                                             if r.get("usage")]) else None),
        "backends": dict(Counter(r["backend"] for r in ok)),
    }
    for stage in STAGES:
        values = [r["timings_ms"][stage] for r in ok if stage in r.get("timings_ms", {})]
        if values:
            summary[f"{stage[:-3]}_p50_ms"] = statistics.median(values)
            summary[f"{stage[:-3]}_p95_ms"] = percentile(values, 0.95)
    return summary
