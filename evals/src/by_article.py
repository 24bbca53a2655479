"""Report evaluation runs article by article, and list every right draft a hard rule withdrew.

    .venv/bin/python evals/src/by_article.py RUN_DIR [RUN_DIR ...] [--out FILE.md]

For each article (a set's `article` key, else the source of a question's best passage): questions, answerable
ones answered right, confidently wrong (shown as verified and wrong), near-topic unanswerable ones refused or
abstained, who-said-what questions right; then, pooled, the drafts a hard rule withdrew although they were
right by the report's correctness rule (each a rule's false positive) and the drafts the confidence line
withheld although right. The runs are `rag eval --out` folders; nothing is re-asked.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals" / "src"))

from calibrate import article_of  # noqa: E402

from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402


def draft_of(row: dict[str, object]) -> tuple[str, list[str]]:
    """The drafted sentences (verified or withdrawn) and the first hard-rule reason that withdrew one."""
    sentences = [s for s in row.get("sentences", []) if isinstance(s, dict)]  # type: ignore[union-attr]
    drafted = [s for s in sentences if s.get("signals") or s.get("reasons") or s.get("verified")]
    # A sentence "unconfirmed" fell short only of a confidence line (a yes's "the model's yes 0.92 is below …" too)
    reasons = [r for s in drafted if s.get("status") != "unconfirmed" for r in s.get("reasons", [])
               if not r.startswith("confidence")]
    return " ".join(str(s["text"]) for s in drafted), reasons


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    folders = [Path(a) for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--out")]
    embedder = MiniLMEmbedder()
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rule_fp: list[str] = []
    held_right: list[str] = []
    for folder in folders:
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        items = {r["id"]: r for r in (json.loads(x) for x in (ROOT / summary["set"]).read_text("utf-8").splitlines()
                                       if x.strip())}
        for line in (folder / "results.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            item = items.get(row["id"], {})
            t = table[article_of(row, item)]
            kind = str(item.get("kind", ""))
            answered, correct = row["outcome"] == "answered", bool(row.get("correct"))
            t["questions"] += 1
            t["confidently wrong"] += int(answered and not correct)
            if not row["answerable"]:
                t["unanswerable"] += 1
                t["unanswerable withheld"] += int(not answered)
            else:
                t["answerable"] += 1
                t["answerable right"] += int(answered and correct)
            if kind.startswith("attribution"):
                t["who-said"] += 1
                t["who-said right"] += int(correct)
            text, reasons = draft_of(row)
            reference = item.get("reference_answer")
            if row["answerable"] and not (answered and correct) and text and isinstance(reference, str):
                vectors = embedder.embed_cached([text, reference])
                if is_correct(text, reference, float(vectors[0] @ vectors[1])):
                    (rule_fp if reasons else held_right).append(
                        f"{row['id']}: “{text[:110]}” — {reasons[0] if reasons else 'below the confidence line'}")
    columns = ["questions", "answerable", "answerable right", "confidently wrong", "unanswerable",
               "unanswerable withheld", "who-said", "who-said right"]
    lines = ["| article | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    pooled: dict[str, int] = defaultdict(int)
    for article in sorted(table):
        lines.append(f"| {article} | " + " | ".join(str(table[article][c]) for c in columns) + " |")
        for c in columns:
            pooled[c] += table[article][c]
    lines.append("| **pooled** | " + " | ".join(str(pooled[c]) for c in columns) + " |")
    answerable = max(pooled["answerable"], 1)
    lines += ["", f"Right drafts a hard rule withdrew: {len(rule_fp)} of {pooled['answerable']} answerable "
                  f"({len(rule_fp) / answerable:.1%})", *[f"- {x}" for x in rule_fp],
              "", f"Right drafts below the confidence line: {len(held_right)}", *[f"- {x}" for x in held_right]]
    text = "\n".join(lines) + "\n"
    print(text)
    if out is not None:
        out.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
