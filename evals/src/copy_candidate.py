"""The copied answer as a second candidate behind the answer policy, simulated on the dev splits only: what would
it add, right and wrong, where the free draft was withheld?

    .venv/bin/python evals/src/copy_candidate.py [--out FILE.md]

For every dev question (answerable or not) of the article, hard, Python and news sets that the committed local
dev report abstained on (the free draft was drafted and not verified; a refused question never gets this far),
the local model's numbered copy of at most 32 tokens (`rag/copying.py`), then the answer policy on the copied span
as an extractive draft (its rules and the no-model weights: the copy is the article's own words). A copy the policy
verifies would be shown: right or wrong by the report's rule (any shown answer to an unanswerable question is
wrong). Nothing is wired into answers; this is the measurement that decides whether to.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "evals" / "src"))

from copy_ceiling import copy_for, dev_questions, report  # noqa: E402

from rag.answer import Draft  # noqa: E402
from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    embedder = MiniLMEmbedder()
    counts: Counter[str] = Counter()
    shown: list[str] = []
    for engine, item, row in dev_questions(embedder):
        if row is None or row["outcome"] != "abstained":
            continue
        answerable = item.get("answerable", True)
        counts["abstained, answerable" if answerable else "abstained, unanswerable"] += 1
        question = item["question"]
        found, passages, context = copy_for(engine, question, 32, numbered=True)
        if found is None:
            continue
        draft = Draft(found.span.text, "extractive", excerpts=[found.span])
        if engine.checker.conclude(question, draft, passages, context, relevant=True).outcome != "answered":
            continue
        text = " ".join(found.span.text.split())
        reference = item.get("reference_answer")
        if not answerable:
            right = False
        elif isinstance(reference, str):
            v = embedder.embed_cached([text, reference])
            right = is_correct(text, reference, float(v[0] @ v[1]))
        else:
            continue
        counts["copy shown, right" if right else "copy shown, wrong"] += 1
        shown.append(f"- {item['id']} ({'right' if right else 'WRONG'}): {question} → “{text[:140]}”")
        print(shown[-1], flush=True)
    lines = ["| | questions |", "|---|---|", *(f"| {k} | {v} |" for k, v in sorted(counts.items())), "",
             "Copies the policy would show:", *shown]
    return report(lines, out)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
