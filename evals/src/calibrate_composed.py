"""Fit the confidence weights for answers the engine composes itself (`rag/attribution.py`: "Who says X?" answered
with the speaker of the span that states X, "Who did X?" with the person its "he" stands for), on the dev splits.

    .venv/bin/python evals/src/calibrate_composed.py [--write rag/policy_weights.json]

No model writes these answers, so no eval run holds them when they were not shown: this script composes them
itself for every dev question of every set (the article and Python sets over `corpus/`, the news set over
`../shared/texts`), judges each by the answer policy's hard rules, and labels it right (an answerable question
answered correctly by the report's rule) or wrong. A logistic fit over the signals the policy has for them (the
span's support of the claim, the quote's coverage of the question, its relevance) gives the weights; then the
same fit leave one article out, as `calibrate.py` does, and the threshold (wrong composed answers shown ≤ 1 % of
the questions) moved onto `verified_at` through the bias. Only dev splits are read.

Measured 2026-12-06 and not used: 18 dev questions get a composed answer, 12 pass every rule (11 right, 1 wrong);
weights fitted on them (bias -1.22, support 1.69, coverage 2.36, relevance 1.29) kept 11 / showed 1 leave one
article out, and on the held-back hard set showed a wrong composed answer as verified (hq-a39, "Qais al-Khazali
says that the Kurds and Sunnis are the reasons for Sadr's victory", 0.90). Too few composed answers to fit on:
they keep the extractive weights (`rag/fitted.py` falls back to them) until the dev sets hold many more.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals" / "src"))

from calibrate import fit, leave_one_article_out, threshold_for  # noqa: E402

from rag import Engine, Settings  # noqa: E402
from rag.answer import Draft  # noqa: E402
from rag.attribution import composed_answer  # noqa: E402
from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402

SIGNALS = ("support", "coverage", "relevance")
SETS = {"corpus": ["article_qa_dev", "hard_qa_dev", "python_license_dev", "paraphrase_qa_dev"],
        "../shared/texts": ["news_qa_dev"]}


def composed_rows(embedder: MiniLMEmbedder) -> list[dict[str, object]]:
    """Every dev question the engine composes an answer for, with its signals, rule reasons and label."""
    rows = []
    for corpus, sets in SETS.items():
        data = ROOT / ".rag" / ("calibrate-" + Path(corpus).name)
        engine = Engine(Settings(root=ROOT, corpus_dir=Path(corpus), data_dir=data, backend="extractive"), embedder)
        engine.ingest()
        for name in sets:
            for line in (ROOT / "evals" / f"{name}.jsonl").read_text("utf-8").splitlines():
                item = json.loads(line)
                question = item["question"]
                passages = engine.retrieve(question)
                found = composed_answer(engine.scorer, question, passages, engine.settings.support_threshold,
                                        engine.checker.main_person)
                if not found:
                    continue
                context, _ = engine._context_step({"question": question, "passages": passages})
                draft = Draft(found[0], "extractive", cites=(found[1], found[2]))
                verdict = engine.checker.conclude(question, draft, passages, context, relevant=True)
                sentence = verdict.sentences[0] if verdict.sentences else None
                right = False
                if item.get("answerable", True) and isinstance(item.get("reference_answer"), str):
                    vectors = embedder.embed_cached([found[0], item["reference_answer"]])
                    right = is_correct(found[0], item["reference_answer"], float(vectors[0] @ vectors[1]))
                rules = [r for r in (sentence.reasons if sentence else []) if not r.startswith("confidence")]
                rows.append({"id": item["id"], "article": item.get("article") or Path(found[1][0].source).name,
                             "answerable": bool(item.get("answerable", True)), "answer": found[0], "right": right,
                             "rules": rules, "signals": dict(sentence.signals) if sentence else {}})
    return rows


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--write") + 1]) if "--write" in argv else None
    embedder = MiniLMEmbedder()
    rows = composed_rows(embedder)
    passed = [r for r in rows if not r["rules"] and all(k in r["signals"] for k in SIGNALS)]  # type: ignore[operator]
    print(f"{len(rows)} composed answers; {len(passed)} pass every rule "
          f"({sum(bool(r['right']) for r in passed)} right, {sum(not r['right'] for r in passed)} wrong)")
    for r in rows:
        mark = "right" if r["right"] else "WRONG"
        print(f"  {r['id']:10} {mark:5} {r['rules'][:1] or ''} {str(r['answer'])[:90]}")
    x = np.array([[float(r["signals"][k]) for k in SIGNALS] for r in passed])  # type: ignore[index]
    y = np.array([1.0 if r["right"] else 0.0 for r in passed])
    ids = [str(r["id"]) for r in passed]
    questions = {str(r["id"]): (bool(r["answerable"]), i) for i, r in enumerate(passed)}
    articles = {str(r["id"]): str(r["article"]) for r in passed}
    w, b = fit(x, y)
    weights = {"bias": round(b, 2), **{k: round(float(v), 2) for k, v in zip(SIGNALS, w, strict=True)}}
    threshold = threshold_for(1.0 / (1.0 + np.exp(-(x @ w + b))), y, len(questions))
    print("weights:", json.dumps(weights), "threshold", threshold)
    loao = leave_one_article_out(x, y, ids, questions, articles)
    for row in loao:
        print(" | ".join(str(v) for v in row.values()))
    total = {k: sum(int(r[k]) for r in loao) for k in ("questions", "answerable", "right_kept", "wrong_shown")}
    print("pooled:", total)
    if out is not None:
        data = json.loads(out.read_text("utf-8"))
        logit = lambda q: float(np.log(q / (1 - q)))  # noqa: E731
        moved = dict(weights, bias=round(weights["bias"] + logit(data["verified_at"]) - logit(threshold), 2))
        data["composed"] = moved
        data["date"] = date.today().isoformat()
        data.setdefault("data_by_backend", {})["composed"] = [f"{c}: {', '.join(s)}" for c, s in SETS.items()]
        data.setdefault("figures", {})["composed"] = {"fitted threshold (moved onto verified_at)": threshold,
                                                      "leave one article out": loao, "pooled": total}
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {out}: composed weights {moved}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
