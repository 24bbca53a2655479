"""Every evaluation metric in one table: its key in `summary.json`, its name, what it means and which way is
better. The report (`rag/reporting.py`), the app's Evaluation page and the README's metric list all read it
(a test keeps the README in step). Computing the metrics is `rag/evaluation.py`'s job, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.evaluation import F1_CORRECT, RECALL_CORRECT, SIM_CORRECT


@dataclass(frozen=True)
class Metric:
    key: str  # in summary.json
    label: str
    definition: str
    better: str  # "higher", "lower", or "" for a share with no better direction (the outcome shares)
    tile: bool = False  # one of the app's headline figures for a run


METRICS = (
    Metric("confidently_wrong", "Confidently wrong", "share of all questions shown as a verified answer and wrong "
           "(an unanswerable question answered, or an answerable one answered incorrectly by the rule below). The "
           "number the answer policy exists to keep near zero.", "lower", tile=True),
    Metric("correct", "Correct", f"not refused, no yes/no contradiction of the reference, and (answer recall ≥ "
           f"{RECALL_CORRECT} or token F1 ≥ {F1_CORRECT} or similarity ≥ {SIM_CORRECT}); for unanswerable "
           "questions, correct means refused. Thresholds calibrated by reading 58 answers (evals/calibration/): "
           "the rule agrees with the reader on 90 %.", "higher", tile=True),
    Metric("refusal_rate_unanswerable", "Refused (unanswerable)", "share of unanswerable questions given no "
           "claim: refused (\"The article does not say\") or abstained (\"Could not confirm an answer\", with the "
           "closest passages).", "higher", tile=True),
    Metric("false_refusal_rate", "False refusals (answerable)", "share of answerable questions given no claim "
           "(refused or abstained).", "lower", tile=True),
    Metric("unconfirmed_right", "Right but not confirmed", "share of answerable questions abstained on with a "
           "draft shown as not confirmed (every rule passed, the confidence fell short) that is right by the rule "
           "above: right answers the engine withheld.", "lower"),
    Metric("unconfirmed_wrong", "Wrong and not confirmed", "share of all questions abstained on with a draft "
           "shown as not confirmed that is wrong (or on an unanswerable question): shown as written, marked not "
           "confirmed, never as proven.", "lower"),
    Metric("evidence_recall_at_k", "Evidence recall@k", "share of a question's gold quotes lying wholly inside "
           "one retrieved passage.", "higher", tile=True),
    Metric("mrr", "MRR", "1 / rank of the first passage that contains a gold quote (0 when none does).", "higher"),
    Metric("token_f1", "Token F1", "SQuAD-style token overlap of answer and reference (lower-cased, no "
           "punctuation or articles).", "higher"),
    Metric("answer_recall", "Answer recall", "share of the reference's content words that the answer contains.",
           "higher"),
    Metric("similarity", "Similarity", "cosine of the MiniLM embeddings of answer and reference.", "higher"),
    Metric("citation_recall", "Citation recall", "answer sentences supported by their cited quotes (per the "
           "judge) / answer sentences.", "higher"),
    Metric("citation_precision", "Citation precision", "cited quotes that support their sentence (per the judge) "
           "/ cited quotes.", "higher", tile=True),
    Metric("evidence_hit", "Evidence hit", "some cited quote overlaps a gold evidence quote.", "higher",
           tile=True),
    Metric("verbatim", "Quotes verbatim", "answers whose every quote equals the source text at its offsets (must "
           "be 100 %).", "higher"),
    Metric("answered", "Outcome: answered", "share of questions answered with at least one verified sentence.",
           ""),
    Metric("abstained", "Outcome: abstained", "share of questions where nothing could be verified and the "
           "closest passages were shown instead of a claim.", ""),
    Metric("refused", "Outcome: refused", "share of questions answered \"The article does not say\".", ""),
)
LATENCY = ("Latency", "per stage (retrieve, first token, generate, cite, total), p50 and p95 over the questions "
           "that did not fail; prompt tokens per LLM answer.")


def definitions_markdown() -> str:
    """The metric list as Markdown bullets, as the report and the README print it."""
    lines = []
    for m in METRICS:
        direction = f" *({m.better} is better)*" if m.better else ""
        lines.append(f"- **{m.label}**: {m.definition}{direction}")
    lines.append(f"- **{LATENCY[0]}**: {LATENCY[1]} *(lower is better)*")
    return "\n".join(lines)
