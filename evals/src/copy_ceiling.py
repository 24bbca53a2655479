"""How often the local model, held by a grammar to copy a verbatim run of words of its context
(`rag/copying.py`), copies a right answer — against its free greedy draft, on the dev splits only.

    .venv/bin/python evals/src/copy_ceiling.py [--limit N] [--numbered] [--max-tokens N] [--verbose] [--out FILE.md]

For every answerable dev question with a reference (the article, hard and Python sets over `corpus/`, the news
set over `../shared/texts`): the same retrieval and context as `rag ask`, the answer prompt, and the reply held
to a copy. A copy is right by the report's rule (`rag.evaluation.is_correct`, the copied words against the
reference). The free draft's outcome comes from the committed local dev report of the same question
(`evals/reports/local-SET-dev/results.jsonl`): answered right, or withheld with a right draft, or wrong.
Nothing is shown to anyone: this measures the room a copied candidate leaves before it is wired in.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag import Engine, Settings  # noqa: E402
from rag.copying import Copy, copy_answer  # noqa: E402
from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.evaluation import is_correct  # noqa: E402
from rag.generation import format_context  # noqa: E402
from rag.retrieval import Passage  # noqa: E402
from rag.spans import SourceSpan  # noqa: E402

SETS = {"corpus": ["article_qa_dev", "hard_qa_dev", "python_license_dev"], "../shared/texts": ["news_qa_dev"]}
REPORT = {"article_qa_dev": "article", "hard_qa_dev": "hard", "python_license_dev": "python", "news_qa_dev": "news"}


def dev_questions(embedder: MiniLMEmbedder) -> Iterator[tuple[Engine, dict[str, Any], dict[str, Any] | None]]:
    """Every dev question of the sets (its `set` added), with an engine over its corpus (local backend) and the
    committed local dev report's row for it (None when the report lacks it)."""
    for corpus, sets in SETS.items():
        data = ROOT / ".rag" / ("copy-" + Path(corpus).name)
        engine = Engine(Settings(root=ROOT, corpus_dir=Path(corpus), data_dir=data, backend="local"), embedder)
        engine.ingest()
        for name in sets:
            report = ROOT / "evals" / "reports" / f"local-{REPORT[name]}-dev" / "results.jsonl"
            rows = {json.loads(x)["id"]: json.loads(x) for x in report.read_text("utf-8").splitlines()}
            for line in (ROOT / "evals" / f"{name}.jsonl").read_text("utf-8").splitlines():
                item = {**json.loads(line), "set": name}
                yield engine, item, rows.get(item["id"])


def copy_for(engine: Engine, question: str, max_tokens: int, numbered: bool
             ) -> tuple[Copy | None, list[Passage], list[SourceSpan]]:
    """The local model's copy for `question` over the same passages and context as `rag ask`."""
    state = engine._prepare.invoke({"question": question, "k": 5, "source": None})
    passages, context = state["passages"], state["context"][0]
    messages = engine.settings.prompts.copy_prompt().format_messages(context=format_context(context),
                                                                      question=question)
    return copy_answer(engine.chat_model("local"), messages, context, max_tokens, numbered), passages, context


def free_draft(row: dict[str, Any], embedder: MiniLMEmbedder) -> str:
    """What became of the free greedy draft: right (shown), right-withheld, or wrong."""
    if row["outcome"] == "answered":
        return "right" if row.get("correct") else "wrong"
    drafted = " ".join(str(s["text"]) for s in row["sentences"] if s.get("reasons"))
    reference = str(row.get("reference_answer") or "")
    if drafted and reference:
        v = embedder.embed_cached([drafted, reference])
        if is_correct(drafted, reference, float(v[0] @ v[1])):
            return "right-withheld"
    return "wrong"


def report(lines: list[str], out: Path | None) -> int:
    """Print a report's lines and, with `out`, write them there as Markdown."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    max_tokens = int(argv[argv.index("--max-tokens") + 1]) if "--max-tokens" in argv else 64
    numbered = "--numbered" in argv
    embedder = MiniLMEmbedder()
    table: Counter[tuple[str, bool]] = Counter()
    seconds: list[float] = []
    examples: list[str] = []
    seen: Counter[str] = Counter()
    for engine, item, row in dev_questions(embedder):
        if not (item.get("answerable", True) and item.get("reference_answer")):
            continue
        if limit is not None and seen[item["set"]] >= limit:
            continue
        seen[item["set"]] += 1
        question, reference = item["question"], item["reference_answer"]
        began = time.perf_counter()
        found, _, _ = copy_for(engine, question, max_tokens, numbered)
        seconds.append(time.perf_counter() - began)
        copied = found.span.text if found else ""
        v = embedder.embed_cached([copied or "-", reference])
        right = bool(copied) and is_correct(copied, reference, float(v[0] @ v[1]))
        draft = free_draft(row, embedder) if row is not None else "wrong"
        table[(draft, right)] += 1
        if "--verbose" in argv:
            print(f"{item['id']} [{draft}/{right}] {question} → {' '.join(copied.split())[:120]!r}"
                  f" | ref {reference[:60]!r} ({seconds[-1]:.1f} s)", flush=True)
        if draft != "right" and right:
            examples.append(f"- {item['id']}: {question} → “{' '.join(copied.split())[:140]}”"
                            f" (log-prob {found.logprob:.1f}; free draft {draft})" if found else "")
    lines = ["| free greedy draft | questions | copy right |", "|---|---|---|"]
    for draft in ("right", "right-withheld", "wrong"):
        n = table[(draft, True)] + table[(draft, False)]
        lines.append(f"| {draft} | {n} | {table[(draft, True)]} |")
    total = sum(table.values())
    lines += ["", f"{total} answerable dev questions; copy right on {sum(v for (d, r), v in table.items() if r)}; "
              f"copy seconds p50 {statistics.median(seconds):.2f}, max {max(seconds):.2f}.", "",
              "Copies right where the free draft was not shown right:", *examples]
    return report(lines, out)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
