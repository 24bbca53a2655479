"""Who-said-what, candidate by candidate: what the engine could offer, and what the model's checks say of each.

    .venv/bin/python evals/src/who_candidates.py speakers SET.jsonl OUT.jsonl  # "Who says X?" questions
    .venv/bin/python evals/src/who_candidates.py words SET.jsonl OUT.jsonl     # "What did X say …?" questions

(The news set needs its store: `RAG_CORPUS_DIR=../shared/texts RAG_DATA_DIR=.rag/news`.) Over the same retrieval as
`rag ask`, with the local model:
- `speakers`: every question whose claim `attribution.claim_of` reads; every speaker candidate (up to 8, no support
  line), each judged as the engine judges a composed answer — the rules, the model's P(yes) that the span states the
  claim, the confidence — as one JSON line per question. What `speaker_answers(below_line=True)` rests on.
- `words`: every question `attribution.words_answers` serves; the asked speaker's sentences (up to 6, most relevant
  first), each with the route's own check (P(yes) that the words answer the question), and a listwise choice: the
  model shown all of them, numbered, asked which answers (a grammar holds its reply to a digit; 0 = none), read as
  the probability of each number. A candidate is labelled right when its span overlaps an evidence quote's place.
Measured 2026-12-07 on the dev splits: `evals/reports/who-said/README.md`.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from rag.answer import Draft
from rag.attribution import claim_of, speaker_answers, words_answers
from rag.chain import Engine
from rag.evaluation import locate, overlaps
from rag.settings import Settings
from rag.spans import SourceSpan
from rag.verifier import answers_probability

CANDIDATES = {"speakers": 8, "words": 6}
_CHOICE = "Which sentence answers the question? Reply with its number, or 0 if none does."


def _right(span: SourceSpan, question: dict[str, Any], texts: dict[str, str]) -> bool:
    """Whether a candidate's span overlaps where an evidence quote of an answerable question stands (`rag eval`'s own
    evidence hit: `evaluation.locate`, `evaluation.overlaps`)."""
    if not question.get("answerable", True):
        return False
    gold = [locate(quote, texts) for quote in question.get("evidence") or []]
    return overlaps({"source": span.source, "start": span.start, "end": span.end}, gold)


def speakers(engine: Engine, question: dict[str, Any]) -> dict[str, Any] | None:
    asked = question["question"]
    if claim_of(asked) is None:
        return None
    passages, (context, _) = _prepared(engine, asked)
    rows = []
    for text, spans, supports, claim in itertools.islice(
            speaker_answers(engine.scorer, asked, passages, 0.0, below_line=True), CANDIDATES["speakers"]):
        draft = Draft(text, "local", cites=(spans, supports), claim=claim)
        (sentence, *_) = engine.checker.conclude(asked, draft, passages, context, relevant=True).sentences
        rows.append({"text": text, "support": supports[-1], "status": sentence.status, "reasons": sentence.reasons,
                     "confidence": sentence.confidence, "p_yes": sentence.signals.get("llm_yes"),
                     "named": claim is not None})
    return {"rows": rows}


def words(engine: Engine, question: dict[str, Any]) -> dict[str, Any] | None:
    asked = question["question"]
    passages, _ = _prepared(engine, asked)
    found = list(itertools.islice(words_answers(engine.scorer, asked, passages), CANDIDATES["words"]))
    if not found:
        return None
    model = engine.chat_model("local")
    prompts = engine.settings.prompts
    texts = engine.source_texts()
    rows = [{"text": text, "quote": spans[-1].reads, "right": _right(spans[-1], question, texts),
             "p_yes": answers_probability(model, asked, [spans[-1].reads], prompts)}
            for text, spans, _, _ in found]
    listing = "\n".join(f"{i}. {row['quote']}" for i, row in enumerate(rows, 1))
    messages = [SystemMessage(prompts.answer),
                HumanMessage(f"Sentences:\n{listing}\n\nQuestion: {asked}\n\n{_CHOICE}")]
    picked: dict[int, float] = {}
    for token, p in model.first_token_probabilities(messages, grammar=f"root ::= [0-{len(rows)}]").items():
        if token.strip().isdigit():
            picked[int(token.strip())] = picked.get(int(token.strip()), 0.0) + p
    total = sum(picked.values()) or 1.0
    for i, row in enumerate(rows, 1):
        row["p_pick"] = picked.get(i, 0.0) / total
    return {"p_none": picked.get(0, 0.0) / total, "rows": rows}


def _prepared(engine: Engine, asked: str) -> tuple[Any, Any]:
    state = engine._prepare.invoke({"question": asked, "k": engine.settings.k, "source": None})
    return state["passages"], state["context"]


def main(kind: str, questions: Path, out: Path) -> None:
    engine = Engine(Settings.from_env())
    measure = {"speakers": speakers, "words": words}[kind]
    with out.open("a", encoding="utf-8") as sink:
        for line in questions.read_text(encoding="utf-8").splitlines():
            question = json.loads(line) if line.strip() else {}
            if "question" not in question:
                continue
            found = measure(engine, question)
            if found is not None:
                record = {"id": question["id"], "question": question["question"],
                          "answerable": question.get("answerable", True),
                          "reference": question.get("reference_answer"), **found}
                sink.write(json.dumps(record) + "\n")
                print(question["id"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
