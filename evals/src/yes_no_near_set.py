"""Writes `evals/yes_no_near_{dev,heldout}.jsonl`: 33 more yes/no questions over the ten shared news articles
(`../shared/texts/`), written on 2026-12-07 by reading the articles' sentences that hold a negation, before any
was asked and before the yes/no reading (`rag/verdicts.py`) was tried on them: 16 the article answers "no" by a
negation in other shapes than the first yes/no set's ("no longer", "not yet", "have no link", "nothing to do
with"), 3 it answers "yes" beside a tempting negation, and 14 near-topic questions it does not answer, each one
word away from a sentence that denies or states something ("Does *home* insurance normally cover cutting short a
holiday?", "Is the skeleton found by the River *Thames* Edwards?"). Every evidence quote is checked verbatim, and
every unanswerable question's odd word is checked absent from its article. A third is held back, drawn at random
with a fixed seed.

    python evals/src/yes_no_near_set.py
"""

from __future__ import annotations

from news_articles import ARTICLES, texts, write_split

# (article, question, reference answer, evidence quotes) — answered by the article
ANSWERED = [
    ("fat", "Did Cook say the dance scene was permanently over?", "No.",
     ["he stressed this did not mean the dance scene was permanently over"]),
    ("fat", "Will the Brit Awards keep awarding a Best Dance Act prize?", "No.",
     ["they would no longer be awarding a Best Dance Act prize"]),
    ("fat", "Has Cook admitted that dance music is going through a fallow patch?", "Yes.",
     ["has admitted it is currently going through a \"fallow patch\""]),
    ("dis", "Did Allianz know what its exposure would be?", "No, not yet.",
     ["said it did not know yet what its exposure would be"]),
    ("dis", "Could Zurich Financial assess the cost of the disaster yet?", "No.",
     ["Zurich Financial said they could not yet assess the cost of the disaster"]),
    ("dis", "Is the impact on US insurance companies expected to be heavy?", "No.",
     ["The impact on US insurance companies is not expected to be heavy"]),
    ("dis", "Do Indonesia, Sri Lanka and the Maldives usually buy insurance for these kinds of disasters?", "No.",
     ["do not usually buy insurance for these kinds of disasters"]),
    ("ink", "Is the technology behind the election ink complicated?", "No, not that complicated.",
     ["The actual technology behind the ink is not that complicated"]),
    ("ink", "Will a voter who refuses to be inked receive the ballot?", "No.",
     ["any voter who refuses to be inked will not receive the ballot"]),
    ("ink", "Is the use of ink a panacea for election ills?", "No.",
     ["The use of ink and readers by itself is not a panacea for election ills"]),
    ("ink", "Does ultraviolet light cause the ink to glow?", "Yes.",
     ["causes the ink to glow"]),
    ("mps", "Does the MPs' report say murder sentences should be reduced automatically because of a guilty plea?",
     "No.", ["Murder sentences should not be reduced automatically simply because of a guilty plea"]),
    ("par", "Does this affair have anything to do with the troubles of David Blunkett?", "No.",
     ["it has nothing to do with the recent troubles of David Blunkett or Boris Johnson"]),
    ("man", "Did Interpol track Edwards down?", "No.",
     ["Interpol are alerted but do not track him down"]),
    ("man", "Is the skeleton found by the River Severn Edwards?", "No.",
     ["A skeleton found by the River Severn is not Edwards"]),
    ("man", "Do the trainers containing human bones have a link to Edwards?", "No.",
     ["have no link to Edwards"]),
    ("man", "Did Edwards become a critical part of the band?", "Yes.",
     ["Edwards became a critical part of the band"]),
    ("man", "Was Edwards always plugged in at concerts?", "No.",
     ["in many concerts, he was not actually plugged in"]),
    ("rad", "Is the New York course the kind of fast course that tends to suit Radcliffe?", "No.",
     ["It is also not the kind of fast course that tends to suit Radcliffe better"]),
]

# (article, question, the word the article does not have) — near-topic, not answered by the article
UNANSWERED = [
    ("dis", "Does home insurance normally cover cutting short a holiday?", "home insurance"),
    ("dis", "Is the impact on Japanese insurance companies expected to be heavy?", "Japanese"),
    ("dis", "Could Munich Re assess the cost of the earthquake in Japan?", "Japan"),
    ("irq", "Does anyone know exactly how many Iraqis are employed by Bechtel?", "employed by"),
    ("man", "Is the skeleton found by the River Thames Edwards?", "Thames"),
    ("man", "Did the FBI track Edwards down?", "FBI"),
    ("mps", "Should manslaughter sentences be reduced automatically because of a guilty plea?", "manslaughter"),
    ("ink", "Will a voter who refuses to be inked be fined?", "fined"),
    ("ink", "Is the election ink harmful to children?", "children"),
    ("fat", "Will the Brit Awards stop awarding a Best Rock Act prize?", "Rock Act"),
    ("how", "Does Michael Howard come from a Jewish family?", "Jewish"),
    ("par", "Does this affair have anything to do with Tony Blair?", "Tony"),
    ("ric", "Are viruses written by teenagers getting rarer?", "teenage"),
    ("rad", "Has Paula Radcliffe raced the Boston course before?", "Boston"),
]


def main() -> None:
    by_key = texts()
    rows = []
    for n, (key, question, reference, evidence) in enumerate(ANSWERED, 1):
        for quote in evidence:
            assert quote in by_key[key], (key, quote)
        kind = "yes" if reference.startswith("Yes") else "no"
        rows.append({"id": f"yq-{key}-{n:02d}", "question": question, "answerable": True,
                     "reference_answer": reference, "evidence": evidence, "article": ARTICLES[key], "kind": kind})
    for n, (key, question, absent) in enumerate(UNANSWERED, 1):
        assert absent.lower() not in by_key[key].lower(), (key, absent)
        rows.append({"id": f"yu-{key}-{n:02d}", "question": question, "answerable": False,
                     "article": ARTICLES[key], "kind": "unanswerable-near", "lookalike": absent})
    held = write_split(rows, "yes_no_near")
    print(f"{len(rows)} questions, {len(held)} held back")


if __name__ == "__main__":
    main()
