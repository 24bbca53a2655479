"""Do more candidates tell right drafts from wrong ones? Agreement signals measured on the policy's own dev drafts.

    .venv/bin/python evals/src/agreement.py collect [--k 4]      # the copies and k samples, cached in runs/agreement/
    .venv/bin/python evals/src/agreement.py fit [--out FILE.md]  # the signals, leave one article out

The drafts are the calibration data of `rag/policy_weights.json` (`data`): every dev question whose drafted first
sentence passed the hard rules, labelled right or wrong as `evals/src/calibrate.py` labels it. For each, `collect`
asks the local model, over the same retrieval and context as `rag ask`:
- the **copy**: the reply held by a grammar to a verbatim run of words of the context (`rag/copying.py`,
  numbered excerpts, 32 tokens);
- **k samples** of the free answer (temperature 0.7, seeds 1..k), the prompt cached by llama.cpp so only the reply
  is computed. The pinned xllamacpp server answers one completion per request (`n` must be 1), so samples are
  sequential requests.
`fit` adds each agreement signal to the policy's four (`calibrate.LLM_SIGNALS`) and reports, as `calibrate.py`
does, the right drafts kept and wrong drafts shown leave one article out, and the right drafts kept at 0, 1, 2 and
4 wrong drafts shown in 5-fold cross-validation (5 shuffles). Signals, over the words an answer adds to its question
(`rag.lexical.tokenize`, stemmed):
- `copy_agree`: the share of the draft's added words that the copy holds;
- `copy_within`: the share of the copy's added words that the draft holds;
- `sample_f1`: the mean token F1 between the draft's added words and each sample's;
- `sample_same`: the share of samples whose added words are the draft's.
It also counts how often a sample is right where the greedy draft was wrong (the room candidates leave).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals" / "src"))

import calibrate  # noqa: E402
from copy_ceiling import copy_for, report  # noqa: E402

from rag import Engine, Settings  # noqa: E402
from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402
from rag.generation import format_context  # noqa: E402
from rag.lexical import tokenize  # noqa: E402
from rag.local_llm import _payload, load_server  # noqa: E402

CACHE = ROOT / "runs" / "agreement" / "candidates.jsonl"


def calibration_runs() -> list[Path]:
    data = json.loads((ROOT / "rag" / "policy_weights.json").read_text("utf-8"))
    return [ROOT / d for d in data["data_by_backend"]["llm"]]


def drafts() -> tuple[np.ndarray, np.ndarray, list[str], dict[str, tuple[bool, int]], dict[str, str],
                      dict[str, dict[str, Any]]]:
    """The calibration drafts (as `calibrate.examples` reads them) and each question's row of its run."""
    runs = calibration_runs()
    x, y, ids, questions, articles = calibrate.examples(runs, calibrate.LLM_SIGNALS)
    rows: dict[str, dict[str, Any]] = {}
    for run in runs:
        for line in (run / "results.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = {**row, "corpus": "../shared/texts" if "news" in run.name else "corpus"}
    return x, y, ids, questions, articles, rows


def collect(k: int) -> None:
    _, _, ids, _, _, rows = drafts()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    done = {json.loads(x)["id"] for x in CACHE.read_text("utf-8").splitlines()} if CACHE.exists() else set()
    embedder = MiniLMEmbedder()
    with CACHE.open("a", encoding="utf-8") as out:
        for corpus in ("corpus", "../shared/texts"):
            settings = Settings(root=ROOT, corpus_dir=Path(corpus), backend="local",
                                data_dir=ROOT / ".rag" / ("copy-" + Path(corpus).name))
            engine = Engine(settings, embedder)
            engine.ingest()
            model = engine.chat_model("local")
            server = load_server(model.model_path, model.n_ctx, model.n_threads)
            for qid in ids:
                row = rows[qid]
                if row["corpus"] != corpus or qid in done:
                    continue
                question = row["question"]
                began = time.perf_counter()
                found, _, context = copy_for(engine, question, 32, numbered=True)
                copied = time.perf_counter() - began
                messages = settings.prompts.answer_prompt().format_messages(context=format_context(context),
                                                                            question=question)
                samples, began = [], time.perf_counter()
                for seed in range(1, k + 1):
                    body = _payload(messages, None, model.max_tokens, stream=False)
                    body.update(temperature=0.7, seed=seed)
                    samples.append(server.handle_chat_completions(body)["choices"][0]["message"]["content"])
                out.write(json.dumps({
                    "id": qid, "question": question, "reference": row.get("reference_answer"),
                    "draft": " ".join(s["text"] for s in row["sentences"] if s.get("signals")),
                    "copy": found.span.text if found else "", "copy_seconds": round(copied, 2),
                    "samples": samples, "sample_seconds": round(time.perf_counter() - began, 2)}) + "\n")
                out.flush()


def _added(text: str, question: str) -> set[str]:
    return set(tokenize(text)) - set(tokenize(question))


def _f1(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return float(a == b)
    common = len(a & b)
    return 0.0 if common == 0 else 2 * common / (len(a) + len(b))


def signals(c: dict[str, Any], k: int | None = None) -> dict[str, float]:
    """The agreement signals of one draft, over its first `k` samples (all when None)."""
    draft, copy = _added(c["draft"], c["question"]), _added(c["copy"], c["question"])
    samples = [_added(s, c["question"]) for s in c["samples"][:k]]
    return {
        "copy_agree": len(draft & copy) / len(draft) if draft else 1.0,
        "copy_within": len(copy & draft) / len(copy) if copy else 0.0,
        "sample_f1": float(np.mean([_f1(draft, s) for s in samples])) if samples else 0.0,
        "sample_same": float(np.mean([s == draft for s in samples])) if samples else 0.0,
    }


def kept_at(x: np.ndarray, y: np.ndarray, wrong_allowed: tuple[int, ...] = (0, 1, 2, 4), shuffles: int = 5
            ) -> dict[int, float]:
    """Right drafts kept at each number of wrong drafts shown, in 5-fold cross-validation (mean over shuffles)."""
    kept: dict[int, list[int]] = {k: [] for k in wrong_allowed}
    rng = np.random.default_rng(0)
    for _ in range(shuffles):
        order, p = rng.permutation(len(y)), np.zeros(len(y))
        for fold in np.array_split(order, 5):
            train = np.setdiff1d(order, fold)
            w, b = calibrate.fit(x[train], y[train])
            p[fold] = 1.0 / (1.0 + np.exp(-(x[fold] @ w + b)))
        ranked = y[np.argsort(-p)]
        for k in wrong_allowed:
            wrong_seen = np.cumsum(ranked == 0)
            kept[k].append(int(((ranked == 1) & (wrong_seen <= k)).sum()))
    return {k: float(np.mean(v)) for k, v in kept.items()}


def fit(out: Path | None) -> int:
    x, y, ids, questions, articles, _ = drafts()
    cached = {c["id"]: c for c in (json.loads(s) for s in CACHE.read_text("utf-8").splitlines())}
    have = np.array([i in cached for i in ids])
    x, y, ids = x[have], y[have], [i for i in ids if i in cached]
    questions = {q: (a, -1) for q, (a, _) in questions.items()}
    questions.update({i: (questions[i][0], n) for n, i in enumerate(ids)})
    extra = {name: np.array([signals(cached[i])[name] for i in ids]) for name in signals(cached[ids[0]])}
    k = len(cached[ids[0]]["samples"])
    for used in range(1, k):  # fewer samples: what half the cost keeps
        extra[f"sample_f1 (k = {used})"] = np.array([signals(cached[i], used)["sample_f1"] for i in ids])
    lines = [f"{len(ids)} dev drafts that passed the hard rules ({int(y.sum())} right, {int(len(y) - y.sum())} wrong), "
             f"{len(questions)} questions.", "",
             "| signal | mean on right drafts | on wrong | LOAO right kept | LOAO wrong shown | "
             "CV right kept at 0 / 1 / 2 / 4 wrong |", "|---|---|---|---|---|---|"]
    for name in ("", *extra):
        columns = [x] + ([extra[name][:, None]] if name else [])
        features = np.hstack(columns)
        rows = calibrate.leave_one_article_out(features, y, ids, questions, articles)
        cv = kept_at(features, y)
        means = f"{extra[name][y == 1].mean():.2f} | {extra[name][y == 0].mean():.2f}" if name else "— | —"
        lines.append(f"| {'the four signals' if not name else '+ ' + name} | {means} | "
                     f"{sum(int(r['right_kept']) for r in rows)} | {sum(int(r['wrong_shown']) for r in rows)} | "
                     + " / ".join(f"{v:.1f}" for v in cv.values()) + " |")
    embedder = MiniLMEmbedder()
    rescued, wrong_greedy, seconds = 0, 0, []
    for i, label in zip(ids, y, strict=True):
        c = cached[i]
        seconds.append((c["copy_seconds"], c["sample_seconds"]))
        if label == 1 or not c.get("reference"):
            continue
        wrong_greedy += 1
        for s in c["samples"]:
            v = embedder.embed_cached([s, c["reference"]])
            if is_correct(s, c["reference"], float(v[0] @ v[1])):
                rescued += 1
                break
    copy_s, sample_s = np.array(seconds).T
    lines += ["", f"Wrong greedy drafts of answerable questions with a right sample among the k: {rescued} of "
              f"{wrong_greedy}.", f"Seconds per question: copy p50 {np.median(copy_s):.2f} (p95 "
              f"{np.percentile(copy_s, 95):.2f}); k samples p50 {np.median(sample_s):.2f} (p95 "
              f"{np.percentile(sample_s, 95):.2f})."]
    return report(lines, out)


def main(argv: list[str]) -> int:
    if argv[:1] == ["collect"]:
        collect(int(argv[argv.index("--k") + 1]) if "--k" in argv else 4)
        return 0
    if argv[:1] == ["fit"]:
        return fit(Path(argv[argv.index("--out") + 1]) if "--out" in argv else None)
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
