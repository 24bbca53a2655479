"""Evaluating quote checks: a set of quotes with the verdict each should get, run through `Engine.check_quote`.

A quote-check set is JSONL, one case a line: `{"id", "quote", "verdict"}` (verbatim / altered / paraphrase /
not_found), with `kind` (whole, truncated, marks, negation, number, name, hedge, dropped, misattributed,
paraphrase, invented), `source` (the article it is from, matched by file name), `speaker` (who the reader says
said it), `said_by` (who does), `speaker_matches` and `meaning` (the change that flips meaning: negation, number,
name, hedge); unknown keys are ignored. `rag eval SET --out DIR` reads such a set by its first case (a `quote`,
no `question`) and writes `results.jsonl`, `summary.json`, `report.md` (verdict accuracy by kind, the confusion
table, speaker accuracy, meaning changes called out, latency) and `confusion.png`. Does not judge answers to
questions (`rag/eval_runner.py`).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag.chain import Engine
from rag.errors import RagError
from rag.eval_sets import json_rows
from rag.reporting import atomic_write
from rag.runtime import machine
from rag.speakers import AUTHOR, either_speaker

VERDICTS = ("verbatim", "altered", "paraphrase", "not_found")


def is_quote_set(path: Path) -> bool:
    """Whether a JSONL set holds quote checks (its first case has a `quote` and no `question`)."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                first = json.loads(line)
                return isinstance(first, dict) and "quote" in first and "question" not in first
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def load_cases(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The cases, and a note for each line skipped (not JSON, no quote, a verdict that is none of the four)."""
    cases: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, case in json_rows(path.read_text(encoding="utf-8").splitlines(), problems):
        if not str(case.get("quote") or "").strip():
            problems.append(f"line {number}: no quote")
            continue
        if case.get("verdict") not in VERDICTS:
            problems.append(f"line {number}: verdict must be one of {', '.join(VERDICTS)}")
            continue
        case.setdefault("id", f"line-{number}")
        cases.append(case)
    if not cases:
        raise RagError(f"{path} has no quote-check case.", hint='each line: {"id", "quote", "verdict", …}')
    return cases, problems


def _same_who(expected: str, read: str | None) -> bool:
    if read is None:
        return False
    if expected.lower() in ("the author", "author") or read == AUTHOR:
        return expected.lower() in ("the author", "author") and read == AUTHOR
    return either_speaker(expected, read)


def score_case(engine: Engine, case: dict[str, Any]) -> dict[str, Any]:
    """One case checked and scored."""
    began = time.perf_counter()
    try:
        check = engine.check_quote(str(case["quote"]), speaker=case.get("speaker"))
        got: dict[str, Any] = check.to_dict()
    except RagError as err:
        got = {"verdict": "error", "error": str(err), "speaker": None, "speaker_matches": None,
               "meaning_changes": [], "span": None}
    ms = (time.perf_counter() - began) * 1000
    row = {"id": case["id"], "kind": case.get("kind", ""), "expected": case["verdict"], **got, "ms": ms}
    row["verdict_right"] = got["verdict"] == case["verdict"]
    row["false_verbatim"] = got["verdict"] == "verbatim" and case["verdict"] != "verbatim"
    if case.get("source") and got.get("span"):
        row["source_right"] = Path(got["span"]["source"]).name == Path(str(case["source"])).name
    if case.get("said_by") and got["verdict"] in ("verbatim", "altered", "paraphrase"):
        row["speaker_right"] = _same_who(str(case["said_by"]), got.get("speaker"))
    if "speaker_matches" in case:
        row["speaker_matches_right"] = got.get("speaker_matches") == case["speaker_matches"]
    if case.get("meaning"):
        row["meaning_called"] = any(str(m).startswith(str(case["meaning"])) for m in got.get("meaning_changes", []))
    return row


def _share(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    scored = [bool(r[key]) for r in rows if key in r]
    return {"right": sum(scored), "of": len(scored), "share": round(sum(scored) / len(scored), 3) if scored else None}


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = sorted({str(r["kind"]) for r in rows})
    confusion = Counter((r["expected"], r["verdict"]) for r in rows)
    times = sorted(r["ms"] for r in rows)
    by_verdict = {v: sorted(r["ms"] for r in rows if r["verdict"] == v) for v in VERDICTS}
    return {
        "cases": len(rows),
        "verdict_accuracy": _share(rows, "verdict_right"),
        "by_kind": {k: _share([r for r in rows if r["kind"] == k], "verdict_right") for k in kinds},
        "false_verbatim": sum(bool(r["false_verbatim"]) for r in rows),
        "speaker_accuracy": _share(rows, "speaker_right"),
        "misattribution_caught": _share(rows, "speaker_matches_right"),
        "meaning_changes_called": _share(rows, "meaning_called"),
        "source_right": _share(rows, "source_right"),
        "confusion": {f"{a}→{b}": n for (a, b), n in sorted(confusion.items())},
        "ms_p50": times[len(times) // 2] if times else None,
        "ms_p95": times[min(len(times) - 1, int(len(times) * 0.95))] if times else None,
        "ms_p50_by_verdict": {v: t[len(t) // 2] for v, t in by_verdict.items() if t},
    }


def report(summary: dict[str, Any], rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    acc = summary["verdict_accuracy"]
    lines = [f"# Quote checks: {meta['set']}", "",
             f"{summary['cases']} cases · backend {meta['backend']} · {meta['started']} · {meta['seconds']:.0f} s", "",
             f"- verdict right: **{acc['right']} of {acc['of']}** ({acc['share']})",
             f"- a `verbatim` verdict for a quote that is not verbatim: **{summary['false_verbatim']}**",
             f"- speaker read right: {summary['speaker_accuracy']['right']} of {summary['speaker_accuracy']['of']}",
             f"- misattribution caught (speaker named ≠ speaker): {summary['misattribution_caught']['right']} of "
             f"{summary['misattribution_caught']['of']}",
             f"- meaning-changing alterations called out: {summary['meaning_changes_called']['right']} of "
             f"{summary['meaning_changes_called']['of']}",
             f"- span in the article the quote is from: {summary['source_right']['right']} of "
             f"{summary['source_right']['of']}",
             f"- time per check: p50 {summary['ms_p50']:.0f} ms, p95 {summary['ms_p95']:.0f} ms; p50 by verdict: "
             + ", ".join(f"{v} {t:.0f} ms" for v, t in summary["ms_p50_by_verdict"].items()), "",
             "## Verdict right, by kind", "", "| kind | right | of |", "|---|---|---|"]
    lines += [f"| {k} | {v['right']} | {v['of']} |" for k, v in summary["by_kind"].items()]
    lines += ["", "## Confusion (rows: expected; columns: verdict given)", "",
              "| expected \\ given | " + " | ".join(VERDICTS) + " | error |", "|---" * 6 + "|"]
    for expected in VERDICTS:
        counts = [sum(1 for r in rows if r["expected"] == expected and r["verdict"] == given)
                  for given in (*VERDICTS, "error")]
        lines.append(f"| {expected} | " + " | ".join(str(n) for n in counts) + " |")
    wrong = [r for r in rows if not r["verdict_right"]]
    if wrong:
        lines += ["", "## Verdicts not as expected", "", "| id | kind | expected | given | quote |",
                  "|---|---|---|---|---|"]
        lines += [f"| {r['id']} | {r['kind']} | {r['expected']} | {r['verdict']} | "
                  f"{str(r.get('quote', ''))[:90].replace('|', '/')} |" for r in wrong]
    return "\n".join(lines) + "\n"


def _plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    given = (*VERDICTS, "error")
    grid = [[sum(1 for r in rows if r["expected"] == e and r["verdict"] == g) for g in given] for e in VERDICTS]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(given)), given, rotation=30)
    ax.set_yticks(range(len(VERDICTS)), VERDICTS)
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center")
    ax.set_xlabel("verdict given")
    ax.set_ylabel("expected")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run_quote_eval_to(engine: Engine, path: Path, out: Path, limit: int | None = None,
                      progress: Callable[[int, int, str], object] | None = None
                      ) -> tuple[dict[str, Any], list[str]]:
    """Check every case of a quote-check set and write the run folder; returns (summary, notes on skipped lines)."""
    cases, problems = load_cases(path)
    cases = cases[:limit] if limit else cases
    began, started = time.perf_counter(), time.strftime("%Y-%m-%d %H:%M:%S")
    rows = []
    for index, case in enumerate(cases, start=1):
        rows.append(score_case(engine, case))
        if progress:
            progress(index, len(cases), str(case["id"]))
    meta = {"set": str(path), "backend": engine.settings.backend, "started": started,
            "seconds": time.perf_counter() - began, "set_problems": problems, "machine": machine()}
    summary = {**summarize(rows), **meta}
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "results.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    atomic_write(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2))
    atomic_write(out / "report.md", report(summary, rows, meta))
    _plot(rows, out / "confusion.png")
    return summary, problems
