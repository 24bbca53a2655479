"""`make bench`: speed, memory and accuracy of the engine on this machine, written to bench/results.*.

Every figure comes from this one run: ingest into a fresh store, retrieval latency after warm-up (query
embedding cache cleared before each query, so each search embeds its question), then full answers with the
extractive and local backends over the engine-check questions (evals/engine_check.jsonl). Medians of the
measured runs; nothing is timed in tests.
"""

from __future__ import annotations

import json
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag import Engine, Settings  # noqa: E402
from tests.questions import ANSWERABLE, UNANSWERABLE, is_correct  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def answer_run(engine: Engine, backend: str, text: str) -> dict[str, Any]:
    total, first, prompt, retrieved, correct, cited, verbatim, quotes = [], [], [], 0, 0, 0, 0, 0
    for q in ANSWERABLE:
        start = text.index(q.evidence)
        end = start + len(q.evidence)
        answer = engine.ask(q.question, backend=backend)  # type: ignore[arg-type]
        retrieved += any(p.start <= start and end <= p.end for p in answer.passages)
        ok = is_correct(answer.answer, q) and not answer.refused
        correct += ok
        cited += ok and any(c.start < end and start < c.end for c in answer.citations)
        quotes += len(answer.citations)
        verbatim += sum(text[c.start : c.end] == c.quote for c in answer.citations)
        total.append(answer.timings_ms["total_ms"] / 1000)
        if "first_token_ms" in answer.timings_ms:
            first.append(answer.timings_ms["first_token_ms"] / 1000)
        if answer.usage:
            prompt.append(answer.usage["prompt_tokens"])
    refused = sum(engine.ask(u, backend=backend).refused for u in UNANSWERABLE)  # type: ignore[arg-type]
    n = len(ANSWERABLE)
    out: dict[str, Any] = {
        "questions": n, "retrieval_at_5": retrieved / n, "correct": correct / n,
        "correct_with_citation_on_evidence": cited / n, "quotes_verbatim": verbatim / max(quotes, 1),
        "unanswerable_refused": refused / len(UNANSWERABLE),
        "answer_p50_s": statistics.median(total), "answer_p95_s": pct(total, 0.95),
    }
    if first:
        out["first_token_p50_s"] = statistics.median(first)
    if prompt:
        out["prompt_tokens_p50"] = statistics.median(prompt)
    return out


def main() -> None:
    text = (ROOT / "corpus" / "qais-al-khazali-interview-iran.txt").read_bytes().decode("utf-8")
    results: dict[str, Any] = {"machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
                                          f"python {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Settings(root=ROOT, data_dir=Path(tmp)))
        began = time.perf_counter()
        engine.embedder.warm_up()
        results["embedder_load_s"] = time.perf_counter() - began
        began = time.perf_counter()
        report = engine.ingest()
        results["ingest_1_article_s"] = time.perf_counter() - began
        results["ingest_chunks"] = report.added

        engine.retriever.warm_up()
        for q in ANSWERABLE[:3]:
            engine.retrieve(q.question)
        latencies = []
        for _ in range(3):
            for q in ANSWERABLE:
                engine.embedder.clear_cache()
                began = time.perf_counter()
                engine.retrieve(q.question)
                latencies.append((time.perf_counter() - began) * 1000)
        results["retrieval_p50_ms"] = statistics.median(latencies)
        results["retrieval_p95_ms"] = pct(latencies, 0.95)

        results["extractive"] = answer_run(engine, "extractive", text)
        began = time.perf_counter()
        engine.warm_up("local")
        results["local_model_load_s"] = time.perf_counter() - began
        engine.ask(ANSWERABLE[0].question, backend="local")  # warm the prompt cache once
        results["local"] = answer_run(engine, "local", text)
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = ROOT / "bench"
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(render(results))
    print(render(results))


def render(r: dict[str, Any]) -> str:
    lines = ["# Benchmark results", "", f"Machine: {r['machine']}", "",
             "| measure | value |", "|---|---|"]
    for key in ("embedder_load_s", "ingest_1_article_s", "ingest_chunks", "retrieval_p50_ms",
                "retrieval_p95_ms", "local_model_load_s", "peak_rss_mb"):
        lines.append(f"| {key} | {r[key]:.2f} |" if isinstance(r[key], float) else f"| {key} | {r[key]} |")
    for backend in ("extractive", "local"):
        for key, value in r[backend].items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines.append(f"| {backend}.{key} | {shown} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
