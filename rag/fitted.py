"""The numbers fitted to data, read from the file the fitting script writes: the answer policy's confidence
weights (with the model's check, and without a model) and the confidence a sentence needs to be shown as verified.

`evals/src/calibrate.py --write` fits them on the dev splits and writes `rag/policy_weights.json` with the date,
the runs and question sets they were fitted on, and what they keep and cost there (leave one article out). The
code never holds a fitted number of its own; it reads them here, once per process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rag.errors import RagError

FILE = "policy_weights.json"


@dataclass(frozen=True)
class Fitted:
    """The fitted weights and threshold, and where they came from."""

    llm: dict[str, float]  # logistic weights over the model's check and the scores (`policy.confidence`)
    extractive: dict[str, float]  # the same without a model
    composed: dict[str, float]  # for a sentence the engine composed (who says X, who did X): no model wrote it
    composed_llm: dict[str, float]  # the same with the model's check that the quote states the claim ({}: unfitted)
    verified_at: float  # the calibrated confidence a sentence needs to be shown as verified
    yes_no: dict[str, float]  # the model's P(yes) a "yes" needs, and at which it overrules a "no" (`policy`)
    date: str
    data: tuple[str, ...]  # the runs they were fitted on
    figures: dict[str, Any]  # what they keep and cost, as calibrate.py measured it


@functools.cache
def fitted() -> Fitted:
    """The fitted numbers (read once)."""
    try:
        raw = json.loads(resources.files("rag").joinpath(FILE).read_text("utf-8"))
        extractive = {k: float(v) for k, v in raw["extractive"].items()}
        return Fitted({k: float(v) for k, v in raw["llm"].items()}, extractive,
                      {k: float(v) for k, v in raw.get("composed", extractive).items()},
                      {k: float(v) for k, v in raw.get("composed_llm", {}).items()}, float(raw["verified_at"]),
                      {k: float(v) for k, v in raw.get("yes_no", {}).items() if not k.endswith("note")},
                      str(raw.get("date", "")), tuple(raw.get("data", ())), dict(raw.get("figures", {})))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise RagError(f"The answer policy's fitted weights (rag/{FILE}) cannot be read: {err}.",
                       hint="reinstall, or refit them with evals/src/calibrate.py --write") from err
