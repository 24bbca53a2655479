"""How many answerable questions the local model can answer at all: the ceiling any verifier works under.

    .venv/bin/python evals/src/draft_ceiling.py OUT.jsonl RUN_DIR [RUN_DIR ...]   (N=4 samples by default)

For every answerable question of the given `rag eval --out` folders (local backend, dev splits only), the
greedy draft that run stored (every sentence, verified or withdrawn) is judged by the report's correctness
rule (`rag.evaluation.is_correct`, the same MiniLM similarity); for each one that is not right, the engine
drafts N more at temperature 0.8 (top-p 0.95, a new seed each) over the same retrieval and context, with the
model's check switched off (it does not change the draft). A question counts toward the ceiling when any of
its drafts is right: what a perfect verifier choosing among N + 1 drafts could show. Results and the
summary: `evals/reports/draft-ceiling/`.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import rag.local_llm as local_llm  # noqa: E402
import rag.verification as verification  # noqa: E402
from rag import Engine, Settings  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402

N = int(os.environ.get("N", "4"))
_seeds = itertools.count(1)
_payload = local_llm._payload


def _sampled(*args: Any, **kwargs: Any) -> dict[str, Any]:
    body = _payload(*args, **kwargs)
    body.update(temperature=0.8, top_p=0.95, seed=next(_seeds))
    return body


def main(out: Path, folders: list[Path]) -> None:
    setattr(local_llm, "_payload", _sampled)  # noqa: B010 - every draft sampled
    setattr(verification, "answers_probability", lambda *a, **k: None)  # noqa: B010 - the check is not needed
    engine = Engine(Settings(root=ROOT))
    engine.warm_up("local")

    def right(prediction: str, reference: str) -> bool:
        return bool(prediction.strip()) and is_correct(prediction, reference, engine.similarity(prediction, reference))

    rows = []
    with out.open("w", encoding="utf-8") as sink:
        for folder in folders:
            for row in map(json.loads, (folder / "results.jsonl").read_text("utf-8").splitlines()):
                if not row["answerable"]:
                    continue
                greedy = " ".join(s["text"] for s in row["sentences"])
                ok = right(greedy, row["reference_answer"])
                drafts = [] if ok else [" ".join(s.text for s in engine.ask(row["question"], backend="local").sentences)
                                        for _ in range(N)]
                rows.append({"id": row["id"], "outcome": row["outcome"], "reference": row["reference_answer"],
                             "greedy": greedy, "greedy_right": ok, "drafts": drafts,
                             "sampled_right": [right(d, row["reference_answer"]) for d in drafts]})
                sink.write(json.dumps(rows[-1]) + "\n")
                sink.flush()
    greedy_right = sum(r["greedy_right"] for r in rows)
    any_right = sum(r["greedy_right"] or any(r["sampled_right"]) for r in rows)
    print(f"{len(rows)} answerable questions: greedy draft right {greedy_right} ({greedy_right / len(rows):.3f}); "
          f"any of greedy + {N} sampled right {any_right} ({any_right / len(rows):.3f})")


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(a) for a in sys.argv[2:]])
