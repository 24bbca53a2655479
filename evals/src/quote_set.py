"""Build the quote-check evaluation set (`evals/quote_check.jsonl`, split into _dev and _heldout by `split.py`).

Real quotes are sentences of the articles (the al-Khazali interview, the Python licence text, the ten BBC texts
in `../shared/texts/`), chosen at random with a fixed seed among sentences of 8–40 words: whole, truncated to
their middle, and with their quotation marks and dashes restyled — all `verbatim`. Altered ones change one thing
each: a negation added or dropped, a number changed, a name swapped for another name of the same article, a
hedge made certain ("might" → "will"), or three words dropped from the middle — all `altered`, with the change
that flips meaning named (`meaning`) where there is one. Misattributed ones are a whole sentence said to be
another person's of the same article (`verbatim`, `speaker_matches` false). Who says each sentence (`said_by`)
was read by the engine and then checked by hand, line by line; the hand-written paraphrases and invented quotes
are in `evals/src/quote_set_written.jsonl`.

The committed set was built with the reading of 2026-12-06 afternoon (reading-5): a newer reading credits some
sentences to other speakers, and a rebuild then picks another sentence for a misattribution case (with reading-6,
rich-pickings' "Not least, said Paul King, …"), so the committed files are the set; a case added by hand is added
to them as written here (the late-evening cases: close paraphrases and two-change alterations).

    .venv/bin/python evals/src/quote_set.py && .venv/bin/python evals/src/split.py evals/quote_check.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rag.reading import read  # noqa: E402
from rag.sentences import is_prose, split_sentences  # noqa: E402
from rag.speakers import AUTHOR, attribute, voice_of  # noqa: E402

ARTICLES = [REPO / "corpus" / "qais-al-khazali-interview-iran.txt",
            REPO / "corpus" / "python-history-and-license.txt",
            *sorted((REPO.parent / "shared" / "texts").glob("*.txt"))]
AUX = re.compile(r"\b(is|was|are|were|will|can|has|have|had|would|could|should|does|did|do)\b")
NOT = re.compile(r"\s+not\b|n't\b")
HEDGE = re.compile(r"\b(might|may|could|likely to)\b")
NUMBER = re.compile(r"\b\d[\d,.]*\b")


def name_of(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else f"../shared/texts/{path.name}"


def candidates(text: str) -> list[tuple[str, str]]:
    """(sentence, who says it) for sentences of 8–40 words on one line, said by one voice."""
    reading = read(text)
    voices = attribute(text, reading)
    found = []
    for span in split_sentences(text):
        sentence = text[span.start:span.end]
        words = sentence.split()
        if not 8 <= len(words) <= 40 or "\n" in sentence or not sentence[:1].isalpha() or not is_prose(sentence):
            continue
        found.append((sentence, voice_of(voices, span.start, span.end).speaker))
    return found


def people(text: str) -> list[str]:
    names = {m.value for m in read(text).marks if m.kind == "PERSON" and " " in m.value}
    return sorted(n for n in names if "." not in n and not any(w.isupper() and len(w) > 1 for w in n.split()))


def altered(sentence: str, rng: random.Random, names: list[str]) -> list[tuple[str, str, str | None]]:
    """(kind, altered quote, the meaning change it makes) for each alteration the sentence allows."""
    out: list[tuple[str, str, str | None]] = []
    if m := NOT.search(sentence):
        out.append(("negation", sentence[:m.start()] + sentence[m.end():], "negation"))
    elif m := AUX.search(sentence):
        out.append(("negation", f"{sentence[:m.end()]} not{sentence[m.end():]}", "negation"))
    if m := NUMBER.search(sentence):
        digits = m.group(0).rstrip(".,")
        if digits.replace(",", "").isdigit():
            changed = str(int(digits.replace(",", "")) * 2 + 3)
            out.append(("number", sentence[:m.start()] + changed + sentence[m.start() + len(digits):], "number"))
    if (m := HEDGE.search(sentence)) and m.group(1) != "likely to":
        out.append(("hedge", sentence[:m.start()] + "will" + sentence[m.end():], "hedge"))
    present = [n for n in names if n in sentence]
    others = [n for n in names if n not in sentence and n.split()[-1] not in sentence]
    if present and others:
        out.append(("name", sentence.replace(present[0], rng.choice(others)), "name"))
    words = sentence.split()
    if len(words) >= 12:
        at = len(words) // 2 - 1
        out.append(("dropped", " ".join(words[:at] + words[at + 3:]), None))
    return out


def restyle(sentence: str) -> str:
    """Other quotation marks and dashes, and the whole in curly quotes."""
    text = sentence.replace("“", '"').replace("”", '"').replace("’", "'").replace(" - ", " – ")
    return f"“{text.rstrip('.')}”"


# What the hand check of who says each sentence found (the engine read otherwise), and the speakers swapped in
# for a misattribution where the first other name was no person or was one of the speakers.
CHECKED = {"qc-rich-picking-00": {"said_by": "Paul King"},
           "qc-python-histo-03": {"speaker": "Guido van Rossum"},
           "qc-radcliffe-ta-08": {"speaker": "Paula Radcliffe"}}


def build() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        source = name_of(path)
        rng = random.Random(path.name)
        found = candidates(text)
        rng.shuffle(found)
        names = people(text)
        short = path.stem[:12]
        (whole, said_by), (cut, _), (styled, _) = found[0], found[1], found[2]
        cases.append({"kind": "whole", "quote": whole, "verdict": "verbatim", "said_by": said_by})
        words = cut.split()
        cases.append({"kind": "truncated", "quote": " ".join(words[2:-2]), "verdict": "verbatim"})
        cases.append({"kind": "marks", "quote": restyle(styled), "verdict": "verbatim"})
        kinds_done: set[str] = set()
        for sentence, _ in found[3:]:
            for kind, quote, meaning in altered(sentence, rng, names):
                if kind in kinds_done:
                    continue
                kinds_done.add(kind)
                cases.append({"kind": kind, "quote": quote, "verdict": "altered", "meaning": meaning})
        others = [(s, who) for s, who in found if who != AUTHOR] + [(s, who) for s, who in found if who == AUTHOR]
        sentence, who = others[0]
        wrong = next((n for n in names if n != who and who.split()[-1] not in n), None)
        if wrong:
            cases.append({"kind": "misattributed", "quote": sentence, "speaker": wrong, "verdict": "verbatim",
                          "said_by": who, "speaker_matches": False})
        for case in cases:
            case.setdefault("source", source)
        for n, case in enumerate(c for c in cases if "id" not in c):
            case["id"] = f"qc-{short}-{n:02d}"
    for case in cases:
        case.update(CHECKED.get(str(case["id"]), {}))
    written = REPO / "evals" / "src" / "quote_set_written.jsonl"
    cases += [json.loads(line) for line in written.read_text("utf-8").splitlines() if line.strip()]
    return cases


if __name__ == "__main__":
    built = build()
    (REPO / "evals" / "quote_check.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in built), "utf-8")
    kinds = sorted({str(c["kind"]) for c in built})
    print(f"{len(built)} cases", {k: sum(c["kind"] == k for c in built) for k in kinds})
