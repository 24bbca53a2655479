"""The ten shared news articles (`../shared/texts/`, read from there, never copied) by a short key, and the split a
question set over them is written in, for the scripts that write those sets."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TEXTS = REPO.parent / "shared" / "texts"
ARTICLES = {"fat": "dance-music-not-dead-says-fatboy.txt", "dis": "disaster-claims-less-than-10bn.txt",
            "how": "howard-unveils-tory-asylum-plans.txt", "ink": "ink-helps-drive-democracy-in-asia.txt",
            "irq": "iraqi-voters-turn-to-economic-issues.txt", "mps": "mps-murder-sentence-concern.txt",
            "par": "parliament-s-record-of-scandal.txt", "rad": "radcliffe-tackles-marathon-tasks.txt",
            "ric": "rich-pickings-for-hi-tech-thieves.txt", "man": "ten-year-tragedy-of-missing-manic.txt"}


def texts() -> dict[str, str]:
    """Each article's text by its key."""
    return {key: (TEXTS / name).read_text("utf-8") for key, name in ARTICLES.items()}


def write_split(rows: list[dict[str, Any]], name: str, seed: int = 20261207) -> set[str]:
    """Writes `evals/NAME_dev.jsonl` and `evals/NAME_heldout.jsonl`: a third of `rows` held back, drawn at random
    with a fixed seed, the rest for tuning, each in the given order. Returns the held-back ids."""
    random.seed(seed)
    held = {row["id"] for row in random.sample(rows, len(rows) // 3)}
    for split, keep in (("dev", False), ("heldout", True)):
        lines = [json.dumps(row) + "\n" for row in rows if (row["id"] in held) is keep]
        (REPO / "evals" / f"{name}_{split}.jsonl").write_text("".join(lines))
    return held
