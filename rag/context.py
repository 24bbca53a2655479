"""The context the model reads: the few sentences most relevant to the question, tight and in reading order.

Every token of context costs prompt time, and off-topic sentences invite off-topic answers, so only sentences
near the best score enter, and a long sentence enters as a window around its best clause. The best score is
also what the refusal gate reads (`policy.relevant_context`). Does not generate or cite.
"""

from __future__ import annotations

from rag.citations import SupportScorer
from rag.retrieval import Passage
from rag.spans import CLAUSE_TRAIL, LONG_SENTENCE, SourceSpan, candidate_spans, clause_cuts
from rag.speakers import AUTHOR, asked_speaker

# How much a sentence's likeness to the passages' centroid lowers its rank. On the dev splits' answerable
# questions with gold evidence (167, engine_check included, 2026-12-02) the gold sentence entered the three
# context sentences 143 times at 0 and 146 at 0.4 (5 gained, 2 lost); simulated first: 145–148 for 0.2–0.8.
GENERIC = 0.4
TABLE_CHARS = 1500  # of row statements: a table (or list) one of the best sentences is a row of enters whole


def _window(sentence: SourceSpan, clause: SourceSpan, width: int) -> SourceSpan:
    """Grow `clause` clause by clause (rightwards first: answers tend to follow the cue) up to `width`."""
    cuts = [sentence.start + c for c in clause_cuts(sentence.text, 0, len(sentence.text))]
    lo = max(i for i, c in enumerate(cuts) if c <= clause.start)
    hi = min(i for i, c in enumerate(cuts) if c >= clause.end)
    while hi + 1 < len(cuts) and cuts[hi + 1] - cuts[lo] <= width:
        hi += 1
    while lo > 0 and cuts[hi] - cuts[lo - 1] <= width:
        lo -= 1
    a, b = cuts[lo] - sentence.start, cuts[hi] - sentence.start
    text = sentence.text[a:b].rstrip(CLAUSE_TRAIL)
    return sentence.within(sentence.start + a, sentence.start + a + len(text))


def authors_own(span: SourceSpan) -> bool:
    """The span is the author's words alone: no one quoted or reported in any part of it (a span's voices are
    the ones overlapping it)."""
    return all(v.how == "author" for v in span.voices)


def select_context(scorer: SupportScorer, question: str, passages: list[Passage], max_spans: int,
                   max_chars: int = 600, spread: float = 0.25, window: int = LONG_SENTENCE,
                   generic: float = GENERIC, table_chars: int = TABLE_CHARS) -> tuple[list[SourceSpan], float]:
    """The few sentences most relevant to the question, in reading order, and the best relevance.

    Sentences are ranked by relevance less `generic` times their likeness to all the candidates' centroid
    (`SupportScorer.relevance`); the best plain relevance is returned. A long sentence is scored by its best
    clause and enters the context as a window of about `window` characters around that clause. Sentences far
    below the best (`spread`) are left out: every token of context costs prompt time, and off-topic sentences
    invite off-topic answers. A question about what the author says ("According to the author, …", "What does
    the author conclude …") reads only the author's own sentences, when the passages hold any: the model cannot
    give a quoted person's words as the author's. When one of the best sentences is a table row (or list item),
    the table enters whole, its rows' statements up to `table_chars`, beside the best other sentences.
    (Tried for a person asked about too, on the dev splits: a sentence that reports the reporter's question
    and al-Khazali's reply is both of theirs, and "What did the reporter say …" was answered with his reply.)
    """
    spans = candidate_spans(passages)
    if not spans:
        return [], 0.0
    best = float(max(scorer.relevance(question, spans)))  # the refusal gate reads the best of all, whoever speaks
    scores = scorer.relevance(question, spans, generic=generic)
    sentences: list[tuple[float, SourceSpan]] = []
    for i, span in enumerate(spans):
        if span.is_clause:
            continue
        inner = [j for j, c in enumerate(spans) if c.is_clause and c.source == span.source
                 and span.start <= c.start and c.end <= span.end]
        excerpt = span
        score = float(scores[i])
        if inner:
            top = max(inner, key=lambda j: scores[j])
            score = max(score, float(scores[top]))
            excerpt = _window(span, spans[top], window)
        sentences.append((score, excerpt))
    sentences.sort(key=lambda t: -t[0])
    if asked_speaker(question) == AUTHOR and any(authors_own(e) for _, e in sentences):
        sentences = [(score, e) for score, e in sentences if authors_own(e)]
    table = _table_among(sentences[:2 * max_spans], [e for _, e in sentences], table_chars)
    if table:  # the table is read whole, beside the best sentences that are not its rows
        sentences = [(score, e) for score, e in sentences if e not in table]
        max_spans -= 1
    chosen: list[SourceSpan] = []
    used = 0
    for score, excerpt in sentences:
        if len(chosen) >= max_spans or score < sentences[0][0] - spread:
            break
        if chosen and used + len(excerpt.text) > max_chars:
            continue
        chosen.append(excerpt)
        used += len(excerpt.text)
    chosen = sorted(chosen + table, key=lambda s: (s.source, s.start))
    return chosen, best


def _table_among(best: list[tuple[float, SourceSpan]], spans: list[SourceSpan], max_chars: int) -> list[SourceSpan]:
    """The rows of the table (or list) a row among the `best` sentences belongs to, in reading order, as many as
    `max_chars` of their statements allow: a question a table answers may need every row ("Which releases are
    not GPL-compatible?"), and one row alone hides what the others say."""
    table = next((e.table for _, e in best if e.table is not None), None)
    if table is None:
        return []
    rows = sorted((s for s in spans if s.table == table), key=lambda s: s.start)
    kept: list[SourceSpan] = []
    for row in rows:
        if sum(len(r.reads) for r in kept) + len(row.reads) > max_chars:
            break
        kept.append(row)
    return kept
