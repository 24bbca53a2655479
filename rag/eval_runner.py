"""Running an evaluation set through the engine: judges, the loop, and the run folder.

The thin runner around the pure metrics of `rag/evaluation.py`: it asks every question, records a question
that fails (with its error) and goes on, scores each answer, and hands rows and summary to
`rag/reporting.py`. The two citation judges live here because they need the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag.chain import Engine
from rag.errors import RagError
from rag.eval_sets import EvalItem, load_set
from rag.evaluation import Judge, evidence_unfound, score_answer
from rag.runtime import machine
from rag.settings import Backend, Settings


class SupportJudge:
    """The engine's own support score as judge: cheap, but it is the aligner's measure, so not independent."""

    name = "support-score"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def supports(self, quote: str, claim: str) -> bool:
        from rag.spans import SourceSpan

        span = SourceSpan("", "", 0, len(quote), quote)
        score = self.engine.scorer.scores(claim, [span])[0]
        return bool(score >= self.engine.settings.support_threshold)


class LLMJudge:
    """The local LLM asked, per quote, whether it supports the claim (yes/no): an independent check."""

    name = "local-llm"

    def __init__(self, engine: Engine) -> None:
        self.model = engine.chat_model("local")
        self.prompts = engine.settings.prompts

    def supports(self, quote: str, claim: str) -> bool:
        from rag.generation import verify

        return verify(self.model, quote, claim, self.prompts)



def run_eval(engine: Engine, items: list[EvalItem], backend: Backend, k: int, judge: Judge,
             progress: Callable[[int, int, EvalItem], object] | None = None) -> list[dict[str, Any]]:
    """Ask every question; a question that fails is recorded with its error and the run goes on."""
    texts = {s: t for s, t in engine.source_texts().items()}
    rows = []
    for index, item in enumerate(items, start=1):
        began = time.perf_counter()
        try:
            answer = engine.ask(item.question, backend=backend, k=k)
            rows.append(score_answer(item, answer, texts, engine.similarity, judge))
        except Exception as err:  # one bad question must not end the run
            rows.append({"id": item.id, "question": item.question, "answerable": item.answerable,
                         "reference_answer": item.reference_answer, "evidence": list(item.evidence),
                         "failed": True, "error": f"{type(err).__name__}: {err}", "refused": False,
                         "correct": False, "citations": [], "sentences": [], "passages": [],
                         "answer": "", "backend": backend,
                         "timings_ms": {"total_ms": (time.perf_counter() - began) * 1000}})
        if progress:
            progress(index, len(items), item)
    return rows


def make_judge(engine: Engine, choice: str) -> Judge:
    """'llm' (the local model), 'support' (the engine's own score) or 'auto' (LLM when it loads)."""
    if choice in ("llm", "auto"):
        try:
            return LLMJudge(engine)
        except RagError:
            if choice == "llm":
                raise
    return SupportJudge(engine)


def run_eval_to(engine: Engine, path: Path, out: Path, *, judge: str = "auto", limit: int | None = None,
                progress: Callable[[int, int, str], object] | None = None
                ) -> tuple[dict[str, Any], list[str]]:
    """Load a set, run it, write the run folder; returns (summary, messages about the set's lines: each line
    skipped, each value read otherwise than written, each evidence quote found in no article)."""
    from rag.reporting import write_run

    loaded = load_set(path)
    items = loaded.items[:limit] if limit else loaded.items
    notes = [f"{p} (skipped)" for p in loaded.problems] + loaded.warnings + evidence_unfound(items,
                                                                                             engine.source_texts())
    chosen = make_judge(engine, judge)
    began = time.perf_counter()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    rows = run_eval(engine, items, engine.settings.backend, engine.settings.k, chosen,
                    (lambda i, n, item: progress(i, n, item.id)) if progress else None)
    meta = {"set": str(path), "backend": engine.settings.backend, "k": engine.settings.k,
            "judge": chosen.name, "started": started, "seconds": time.perf_counter() - began,
            "set_problems": notes, "machine": machine()}
    return write_run(out, rows, meta), notes


# -- where sets and runs live (the app asks here rather than knowing the folders) -----------------------------
def eval_sets(settings: Settings) -> list[Path]:
    """The evaluation sets that ship with the project (`evals/*.jsonl`)."""
    return sorted((settings.root / "evals").glob("*.jsonl"))


def eval_runs(settings: Settings) -> list[Path]:
    """Every run folder, newest first: the committed reports (`evals/reports/`) and the runs made here."""
    roots = [settings.root / "evals" / "reports", settings.data_path / "eval-runs"]
    found = [p.parent for root in roots if root.is_dir() for p in root.glob("*/summary.json")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def new_run_folder(settings: Settings, set_path: Path, backend: str) -> Path:
    """Where a run made now of `set_path` with `backend` is written."""
    return settings.data_path / "eval-runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{set_path.stem}-{backend}"
