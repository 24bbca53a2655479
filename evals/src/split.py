"""Split an evaluation set into a tuning part and a held-back part: every third question of each `kind`
(in file order) is held back. Writes NAME_dev.jsonl and NAME_heldout.jsonl beside NAME.jsonl.

    python evals/src/split.py evals/hard_qa.jsonl evals/python_license.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def split(path: Path) -> tuple[int, int]:
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    seen: dict[str, int] = {}
    dev, held = [], []
    for line in lines:
        kind = str(json.loads(line).get("kind", ""))
        seen[kind] = seen.get(kind, 0) + 1
        (held if seen[kind] % 3 == 0 else dev).append(line)
    for suffix, chosen in (("_dev", dev), ("_heldout", held)):
        path.with_name(f"{path.stem}{suffix}.jsonl").write_text("".join(f"{x}\n" for x in chosen), "utf-8")
    return len(dev), len(held)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        dev, held = split(Path(name))
        print(f"{name}: dev {dev}, held back {held}")
