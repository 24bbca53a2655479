"""Does an answer depend on the questions asked before it in the same process?

llama.cpp's prompt cache reuses the key-value state of the longest prefix a prompt shares with the one before,
and a cached prefix and a recomputed one are not bit-identical (its server README: `cache_prompt` "can cause
nondeterministic results"). So a greedy draft, or a yes/no probability, may differ with what was asked before.
This asks the same questions in one process in the given order, or reversed, and writes per question its outcome,
answer and each sentence's confidence; `compare` reads two such files.

    RAG_CORPUS_DIR=../shared/texts RAG_DATA_DIR=.rag/news \\
        .venv/bin/python evals/src/run_order.py ask SET.jsonl[,SET2.jsonl] forward|reverse OUT.jsonl
    .venv/bin/python evals/src/run_order.py compare A.jsonl B.jsonl

Measured 2026-12-07: `evals/reports/session12/README.md`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from rag.answer import Answer
from rag.chain import Engine
from rag.settings import Settings


def ask(sets: str, direction: str, out: Path) -> None:
    questions = [json.loads(line) for name in sets.split(",")
                 for line in Path(name).read_text("utf-8").splitlines() if line.strip()]
    questions = [q for q in questions if "question" in q]
    if direction == "reverse":
        questions.reverse()
    engine = Engine(Settings.from_env().with_(backend="local"))
    with out.open("w", encoding="utf-8") as sink:
        for question in questions:
            began = time.perf_counter()
            answer = None
            for event in engine.stream(question["question"]):
                if isinstance(event, Answer):
                    answer = event
            assert answer is not None
            shown = answer.to_dict()
            sink.write(json.dumps({"id": question["id"], "outcome": shown["outcome"], "answer": shown["answer"],
                                   "confidence": [s.get("confidence") for s in shown["sentences"]],
                                   "draft_status": shown.get("draft_status"),
                                   "s": round(time.perf_counter() - began, 1)}) + "\n")
            sink.flush()


def compare(a: Path, b: Path) -> dict[str, Any]:
    first = {row["id"]: row for row in map(json.loads, a.read_text("utf-8").splitlines())}
    second = {row["id"]: row for row in map(json.loads, b.read_text("utf-8").splitlines())}
    both = [k for k in first if k in second]
    deltas = [abs(x - y) for k in both if len(first[k]["confidence"]) == len(second[k]["confidence"])
              for x, y in zip(first[k]["confidence"], second[k]["confidence"], strict=True)
              if x is not None and y is not None]
    return {
        "questions": len(both),
        "outcome_differs": [k for k in both if first[k]["outcome"] != second[k]["outcome"]],
        "answer_differs": [k for k in both if first[k]["answer"] != second[k]["answer"]],
        "confidence_differs": sum(first[k]["confidence"] != second[k]["confidence"] for k in both),
        "largest_confidence_change": round(max(deltas, default=0.0), 3),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["ask"] and len(sys.argv) == 5:
        ask(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        print(json.dumps(compare(Path(sys.argv[2]), Path(sys.argv[3])), indent=2))
    else:
        sys.exit(__doc__)
