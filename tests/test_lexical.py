"""Keyword matching: the Snowball stemmer, the tokenizer, and Okapi BM25 scores against the formula worked by hand
and recomputed over the real article."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from rag.chunking import chunk_document
from rag.corpus import load_document
from rag.lexical import BM25Index, meets, stem, stems, tokenize
from rag.settings import Settings
from tests.conftest import ARTICLE, REPO


@pytest.mark.parametrize(("word", "stemmed"), [
    ("negotiations", "negoti"),  # Snowball English (Porter2) stems, as PyStemmer gives them
    ("negotiation", "negoti"),
    ("studies", "studi"),
    ("classes", "class"),
    ("class", "class"),  # a double s is not a plural
    ("kindness", "kind"),
    ("quickly", "quick"),
    ("fighting", "fight"),
    ("attacked", "attack"),
    ("churches", "church"),
    ("status", "status"),  # -us is not a plural
    ("underestimated", "underestim"),
    ("underestimate", "underestim"),
    ("gas", "gas"),
    ("sings", "sing"),
    ("dying", "die"),
    ("2003", "2003"),  # numbers pass through
])
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed



def test_stems_keep_every_word_and_tokenize_only_the_content_words() -> None:
    text = "He said the founder’s school ended until 2003."
    assert stems(text) == ["he", "said", "the", "founder", "school", "end", "until", "2003"]
    assert tokenize(text) == [w for w in stems(text) if w in {"founder", "school", "end", "2003"}]


@pytest.mark.parametrize(("stemmed", "others", "found"), [
    ("lead", {"leader"}, True),  # 4+ letters: one begins the other
    ("kurd", {"kurdish", "sunni"}, True),
    ("iran", {"iraq"}, False),
    ("he", {"head"}, False),  # short stems must match whole
    ("he", {"he"}, True),
    ("born", set(), False),
])
def test_a_stem_meets_a_longer_form_of_itself(stemmed: str, others: set[str], found: bool) -> None:
    assert meets(stemmed, others) is found

def test_inflected_forms_meet() -> None:
    for forms in (("negotiation", "negotiations"), ("attack", "attacks", "attacked"),
                  ("balance", "balanced"), ("study", "studies"),
                  ("university", "universities"), ("die", "dying", "died")):
        assert len({stem(w) for w in forms}) == 1, forms


def test_tokenize_normalises_and_drops_stop_words() -> None:
    assert tokenize("What did he say about Al-Khazali’s negotiations with Iran's leaders?") == \
        ["al", "khazali", "negoti", "iran", "leader"]
    assert tokenize("snake_case 2003, 47-year-old") == ["snake", "case", "2003", "47", "year", "old"]
    assert tokenize("The article says it. According to him!") == []


# Three documents worked by hand: lengths 2, 3, 1 (average 2), k1 = 1.2, b = 0.75.
DOCS = [["a", "b"], ["a", "c", "c"], ["d"]]


def test_bm25_matches_the_formula_worked_by_hand() -> None:
    index = BM25Index(DOCS)
    assert index.idf("a") == pytest.approx(math.log(1 + 1.5 / 2.5))  # in 2 of 3 documents
    assert index.idf("c") == pytest.approx(math.log(1 + 2.5 / 1.5))
    assert index.idf("zzz") == pytest.approx(math.log(1 + 3.5 / 0.5))  # in none
    norm = [1.2 * (0.25 + 0.75 * n / 2) for n in (2, 3, 1)]  # k1 · (1 − b + b · length / average)
    a0 = math.log(1.6) * 1 * 2.2 / (1 + norm[0])
    a1 = math.log(1.6) * 1 * 2.2 / (1 + norm[1])
    c1 = math.log(1 + 2.5 / 1.5) * 2 * 2.2 / (2 + norm[1])
    assert index.scores(["a"]).tolist() == pytest.approx([a0, a1, 0.0], rel=1e-5)
    assert index.scores(["c"]).tolist() == pytest.approx([0.0, c1, 0.0], rel=1e-5)
    assert index.scores(["a", "c"]).tolist() == pytest.approx([a0, a1 + c1, 0.0], rel=1e-5)
    # A repeated term counts once.
    assert index.scores(["a", "a", "c"]).tolist() == pytest.approx([a0, a1 + c1, 0.0], rel=1e-5)
    assert index.scores(["zzz"]).tolist() == pytest.approx([0.0, 0.0, 0.0])


def test_bm25_top_ranks_positive_scores_best_first() -> None:
    index = BM25Index(DOCS)
    scores = index.scores(["a", "c"])
    assert index.top(["a", "c"], 5) == [(1, pytest.approx(scores[1])), (0, pytest.approx(scores[0]))]
    assert [i for i, _ in index.top(["a", "c"], 1)] == [1]
    assert [i for i, _ in index.top(["a", "c"], 5, among=np.array([0, 2]))] == [0]  # only those documents
    assert index.top(["a"], 0) == [] and index.top(["a"], 3, among=np.zeros(0, dtype=np.int64)) == []
    assert index.top(["zzz"], 3) == []  # nothing matches: no zero-score documents


def test_bm25_over_the_article_agrees_with_a_plain_recomputation() -> None:
    chunks = chunk_document(load_document(ARTICLE, REPO), Settings())
    docs = [tokenize(c.text) for c in chunks]
    index = BM25Index(docs)
    average = sum(len(d) for d in docs) / len(docs)
    for question in ("How old is Qais al-Khazali?", "Ain al-Asad Harir attacks", "negotiation with Sadr"):
        terms = set(tokenize(question))
        expected = []
        for doc in docs:
            tf = Counter(doc)
            total = 0.0
            for term in terms:
                df = sum(term in d for d in docs)
                if tf[term]:
                    idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                    total += idf * tf[term] * 2.2 / (tf[term] + 1.2 * (0.25 + 0.75 * len(doc) / average))
            expected.append(total)
        assert index.scores(tokenize(question)).tolist() == pytest.approx(expected, rel=1e-5), question
        best = max(range(len(docs)), key=lambda i: expected[i])
        assert index.top(tokenize(question), 1)[0][0] == best, question


def test_stemming_lets_a_singular_query_find_a_plural() -> None:
    index = BM25Index([tokenize("The negotiations with Sadr failed."), tokenize("Rivers flow to the sea.")])
    assert [i for i, _ in index.top(tokenize("negotiation"), 2)] == [0]
    assert [i for i, _ in index.top(tokenize("river"), 2)] == [1]
