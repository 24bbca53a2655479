"""Evaluation output: results.jsonl, summary.json, report.md with plots, and run-to-run comparison.

Pure formatting over the rows and summary that `rag/evaluation.py` produces; it never runs the engine.
Plots are PNGs drawn with matplotlib's file-only backend.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rag.errors import RagError
from rag.evaluation import F1_CORRECT, SIM_CORRECT, STAGES, summarize
from rag.metrics import METRICS, definitions_markdown

HEADLINE = [(m.key, m.label) for m in METRICS]


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; reports are ordinary files
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def write_run(out: Path, rows: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """Write results.jsonl, summary.json, plots and report.md into `out`; returns the summary."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RagError(f"Cannot create the output folder {out} ({err.strerror}).") from None
    summary = {**meta, **summarize(rows)}
    atomic_write(out / "results.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    atomic_write(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    plots = draw_plots(out, rows, summary)
    atomic_write(out / "report.md", render_report(rows, summary, plots))
    return summary


def draw_plots(out: Path, rows: list[dict[str, Any]], summary: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names: list[str] = []
    shown = [(label, summary[key]) for key, label in HEADLINE if summary.get(key) is not None]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.barh([label for label, _ in shown][::-1], [v for _, v in shown][::-1], color="#4c78a8")
    ax.set_xlim(0, 1)
    ax.set_title(f"Metrics — {summary.get('backend')} backend, k={summary.get('k')}")
    for i, (_, v) in enumerate(shown[::-1]):
        ax.text(min(v + 0.01, 0.92), i, f"{v:.2f}", va="center")
    fig.tight_layout()
    fig.savefig(out / "metrics.png", dpi=110)
    plt.close(fig)
    names.append("metrics.png")

    ok = [r for r in rows if not r.get("failed")]
    fig, ax = plt.subplots(figsize=(8, 4))
    for stage, color in zip(("retrieve_ms", "first_token_ms", "total_ms"), ("#72b7b2", "#f58518", "#4c78a8"),
                            strict=True):
        values = [r["timings_ms"][stage] / 1000 for r in ok if stage in r["timings_ms"]]
        if values:
            ax.hist(values, bins=20, alpha=0.6, label=stage.removesuffix("_ms"), color=color)
    ax.set_xlabel("seconds")
    ax.set_ylabel("questions")
    ax.set_title("Latency distribution")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)
    names.append("latency.png")

    graded = [r for r in ok if r.get("token_f1") is not None]
    if graded:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        colors = ["#54a24b" if r["correct"] else "#e45756" for r in graded]
        ax.scatter([r["token_f1"] for r in graded], [r["similarity"] for r in graded], c=colors, s=28)
        ax.axvline(F1_CORRECT, color="grey", lw=0.8, ls="--")
        ax.axhline(SIM_CORRECT, color="grey", lw=0.8, ls="--")
        for r in graded:
            if not r["correct"]:
                ax.annotate(r["id"], (r["token_f1"], r["similarity"]), fontsize=7)
        ax.set_xlabel("token F1 vs reference")
        ax.set_ylabel("embedding similarity vs reference")
        ax.set_title("Per question (green: correct, red: not)")
        fig.tight_layout()
        fig.savefig(out / "questions.png", dpi=110)
        plt.close(fig)
        names.append("questions.png")
    return names


def badness(row: dict[str, Any]) -> tuple[int, float]:
    """Sort key: failures first, then confidently wrong answers, then other wrong ones, then weakest support."""
    if row.get("failed"):
        return (0, 0.0)
    if row.get("confidently_wrong"):
        return (1, 0.0)
    wrong = row.get("correct") is False
    return (2 if wrong else 3, float(row.get("citation_recall") or 0) + float(row.get("token_f1") or 0))


def render_report(rows: list[dict[str, Any]], summary: dict[str, Any], plots: list[str], worst: int = 12
                  ) -> str:
    lines = [f"# Evaluation: {summary.get('set')}", "",
             f"Backend **{summary.get('backend')}**, k={summary.get('k')}, judge: {summary.get('judge')}, "
             f"{summary['questions']} questions ({summary['answerable']} answerable, "
             f"{summary['unanswerable']} unanswerable), {summary['failed']} failed. "
             f"Run at {summary.get('started')}, {summary.get('seconds', 0):.0f} s"
             + (f", on {summary['machine']}." if summary.get("machine") else "."), "",
             "| metric | value |", "|---|---|"]
    lines += [f"| {label} | {fmt(summary.get(key))} |" for key, label in HEADLINE]
    for stage in STAGES:
        name = stage[:-3]
        if f"{name}_p50_ms" in summary:
            lines.append(f"| Latency {name} p50 / p95 (ms) | {summary[f'{name}_p50_ms']:.0f} / "
                         f"{summary[f'{name}_p95_ms']:.0f} |")
    lines.append(f"| Prompt tokens p50 | {fmt(summary.get('prompt_tokens_p50'))} |")
    kinds = summary.get("by_kind") or {}
    if kinds:
        lines += ["", "## By kind of question", "",
                  "| kind | questions | answered | abstained | refused | correct | confidently wrong |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {kind} | {k['questions']} | {fmt(k['answered'])} | {fmt(k['abstained'])} | "
                  f"{fmt(k['refused'])} | {fmt(k['correct'])} | {fmt(k['confidently_wrong'])} |"
                  for kind, k in kinds.items()]
    lines += ["", *[f"![{p}]({p})" for p in plots], "", "## Definitions", "", definitions_markdown(),
              f"## The {worst} weakest answers", ""]
    for row in sorted(rows, key=badness)[:worst]:
        lines += [f"### {row['id']}: {row['question']}", ""]
        if row.get("failed"):
            lines += [f"**Failed:** `{row['error']}`", ""]
            continue
        verdict = "correct" if row.get("correct") else "not correct"
        lines.append(f"- **Answer** ({verdict}, {row.get('outcome') or ('refused' if row['refused'] else 'answered')}"
                     f"{', CONFIDENTLY WRONG' if row.get('confidently_wrong') else ''}): {row['answer']}")
        for s in row.get("sentences", []):
            if s.get("reasons"):
                lines.append(f"- Withdrawn: “{s['text']}” — {'; '.join(s['reasons'])}")
        if row.get("reference_answer"):
            lines.append(f"- **Reference:** {row['reference_answer']} (F1 {fmt(row.get('token_f1'))}, "
                         f"similarity {fmt(row.get('similarity'))})")
        for c in row["citations"]:
            lines.append(f"- Quote [{c['id']}] ({c['start']}–{c['end']}, support {c['support']:.2f}): "
                         f"“{' '.join(c['quote'].split())}”")
        for quote in row.get("evidence", []):
            lines.append(f"- Gold evidence: “{quote}”")
        lines.append("")
    return "\n".join(lines) + "\n"


def load_run(folder: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        rows = [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except (OSError, json.JSONDecodeError) as err:
        raise RagError(f"{folder} is not an evaluation run folder ({err}).",
                       hint="give two folders written by `rag eval --out`") from None
    return summary, {r["id"]: r for r in rows}


def _machines(sa: dict[str, Any], sb: dict[str, Any]) -> list[str]:
    """A warning when the two runs were made on different machines, or one does not say where (runs made before
    7 Dec 2026 do not): the local model's drafts depend on the CPU (`runtime.machine`), so a flip may be the
    machine's, not the settings'. Nothing when both name the same machine, or neither names one."""
    a, b = sa.get("machine"), sb.get("machine")
    if a == b:
        return []
    where = f"A: {a or 'not recorded'}; B: {b or 'not recorded'}"
    return [f"**The runs were not made on one machine** ({where}). With a local model a question may flip "
            "because the CPU's arithmetic differs, not the settings: compare runs made on one machine.", ""]


def compare_runs(a: Path, b: Path) -> str:
    """Markdown: metric deltas from run A to run B and the questions whose outcome flipped."""
    sa, ra = load_run(a)
    sb, rb = load_run(b)
    lines = [f"# Comparison: {a} → {b}", ""]
    shared = ra.keys() & rb.keys()
    if not shared:
        return "\n".join([*lines, f"The runs share no question ({len(ra)} and {len(rb)} asked): "
                                  "nothing to compare."]) + "\n"
    if ra.keys() != rb.keys():
        # Totals over different questions are not comparable: both sides are summed again over the shared ones.
        lines += [f"**The runs asked different questions** ({len(ra)} and {len(rb)}; {len(shared)} in both): "
                  f"every figure below is over the {len(shared)} questions both asked.", ""]
        sa = {**sa, **summarize([ra[q] for q in sorted(shared)])}
        sb = {**sb, **summarize([rb[q] for q in sorted(shared)])}
    lines += _machines(sa, sb)
    lines += [f"A: {sa.get('backend')} k={sa.get('k')} · B: {sb.get('backend')} k={sb.get('k')}", "",
              "| metric | A | B | change |", "|---|---|---|---|"]
    keys = [*HEADLINE, *[(f"{s[:-3]}_p50_ms", f"Latency {s[:-3]} p50 (ms)") for s in STAGES]]
    for key, label in keys:
        va, vb = sa.get(key), sb.get(key)
        if va is None and vb is None:
            continue
        delta = f"{vb - va:+.3f}" if isinstance(va, int | float) and isinstance(vb, int | float) else "–"
        lines.append(f"| {label} | {fmt(va)} | {fmt(vb)} | {delta} |")
    flips = []
    for qid in sorted(shared):
        x, y = ra[qid], rb[qid]
        for field, name in (("correct", "correct"), ("refused", "refused"), ("outcome", "outcome"),
                            ("confidently_wrong", "confidently wrong")):
            before, after = (v.get(field) if field == "outcome" else bool(v.get(field)) for v in (x, y))
            if field == "outcome" and (before is None or after is None):
                continue  # a run from before the answer policy has no outcomes
            if before != after:
                flips.append(f"- **{qid}** {name}: {before} → {after} — "
                             f"{x['question']}\n  - A: {x.get('answer', '')}\n  - B: {y.get('answer', '')}")
    only = sorted(ra.keys() ^ rb.keys())
    lines += ["", f"## Questions that flipped ({len(flips)})", "", *(flips or ["None."])]
    if only:
        lines += ["", f"Questions in only one run: {', '.join(only)}"]
    return "\n".join(lines) + "\n"
