"""A synthetic corpus for benchmarks: N articles of recombined sentences (not real articles).

Sentences come from the seed article in corpus/ and from the English text that ships with Python itself
(`pydoc_data.topics`, the reference manual's help topics, ~65k words), so the vocabulary is wider than one
article's. A seeded RNG draws each article's sentences, groups them into paragraphs under a title, and stops
near `words` words: the same N and seed always give the same bytes. Used by `make bench` for the 1,000-article
and 50k-chunk figures; the text is meaningless as prose and is documented as synthetic wherever it is used.

    python -m harness.synthetic N OUT_DIR [--words 1500] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.sentences import split_sentences  # noqa: E402


def sentence_pool(root: Path = ROOT, with_corpus: bool = True) -> list[str]:
    """Prose sentences (5–60 words, one line each) from corpus/*.txt (unless not `with_corpus`) and Python's
    help topics."""
    from pydoc_data.topics import topics

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))] if with_corpus else []
    texts += [t for t in topics.values() if isinstance(t, str)]
    pool: list[str] = []
    for text in texts:
        for span in split_sentences(text):
            sentence = " ".join(text[span.start:span.end].split())
            if 5 <= len(sentence.split()) <= 60 and sentence[0].isalpha():
                pool.append(sentence)
    return sorted(set(pool))


def article(rng: random.Random, pool: list[str], number: int, words: int) -> str:
    """One synthetic article: a title line, then paragraphs of 3–6 drawn sentences, about `words` long."""
    title = " ".join(rng.choice(pool).split()[:6]).rstrip(",.;:")
    lines = [f"Synthetic article {number}: {title}", ""]
    count = 0
    while count < words:
        paragraph = [rng.choice(pool) for _ in range(rng.randint(3, 6))]
        count += sum(len(s.split()) for s in paragraph)
        lines += [" ".join(paragraph), ""]
    return "\n".join(lines)


def generate(n: int, out: Path, words: int = 1500, seed: int = 7, with_corpus: bool = True) -> list[Path]:
    """Write `n` articles to `out/synthetic-NNNNN.txt` (existing files are overwritten) and return them."""
    pool = sentence_pool(with_corpus=with_corpus)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, n + 1):
        path = out / f"synthetic-{number:05d}.txt"
        path.write_text(article(rng, pool, number, words), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.n, args.out, args.words, args.seed)
    total = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{len(paths)} synthetic articles, {total:,} words, in {args.out}")


if __name__ == "__main__":
    main()
