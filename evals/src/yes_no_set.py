"""Writes `evals/yes_no_{dev,heldout}.jsonl`: 24 yes/no questions over the ten shared news articles
(`../shared/texts/`), written on 2026-12-07 by reading the articles, before any was asked: half answered "yes" by
the article, half "no" — the article states the opposite ("Did the Rio crowd number 250,000?" — 360,000; "Did
Allianz say the waves would significantly hit its business?" — it said they were unlikely to), so that a repair of
the small model's reflex "Yes" can be measured on both sides. Every evidence quote is checked verbatim against its
article. A third is held back, drawn at random with a fixed seed.

    python evals/src/yes_no_set.py
"""

from __future__ import annotations

from news_articles import ARTICLES, texts, write_split

# (article, question, reference answer, evidence quotes)
QUESTIONS = [
    ("fat", "Does Norman Cook believe dance music is dead?", "No.",
     ["I personally don't believe it's either dead or going to die"]),
    ("fat", "Did the crowd at Fatboy Slim's Rio event number 250,000?", "No, it was 360,000.",
     ["a later one in Rio achieved a crowd of 360,000"]),
    ("fat", "Is Paul McCartney a neighbour of Norman Cook?", "Yes.",
     ["where Paul McCartney is a neighbour"]),
    ("dis", "Did Allianz say the tidal waves would have a significant impact on its business?", "No.",
     ["it said the tidal waves were unlikely to have a \"significant\" impact on its business"]),
    ("dis", "Is Munich Re the world's largest reinsurance company?", "Yes.",
     ["Munich Re, the world's largest reinsurance company"]),
    ("dis", "Does travel insurance normally cover cutting short a holiday?", "No.",
     ["travel insurance does not normally cover cutting short a holiday"]),
    ("how", "Did Michael Howard give a figure for the reduction in immigration his plans would achieve?", "No.",
     ["although he could not predict a figure"]),
    ("how", "Does Michael Howard come from an immigrant family?", "Yes.",
     ["coming from an immigrant family himself"]),
    ("ink", "Is the election ink visible under normal light?", "No.",
     ["It dries and is not visible under normal light"]),
    ("ink", "Did the US government agree to fund the expenses of using the ink?", "Yes.",
     ["The US government agreed to fund all expenses associated with this decision"]),
    ("ink", "Is the ink easy to wash off?", "No, it is difficult to wash off.",
     ["difficult to wash off"]),
    ("irq", "Does anyone know exactly how many Iraqis are out of work?", "No.",
     ["Nobody knows exactly how many Iraqis are out of work"]),
    ("irq", "Have Iraq's oil revenues exceeded $22bn since June 2003?", "Yes.",
     ["oil revenues which have exceeded $22bn since June 2003"]),
    ("mps", "Did James Ford plead guilty to Amanda Champion's murder?", "Yes.",
     ["Amanda Champion's killer, James Ford, pleaded guilty to her murder"]),
    ("mps", "Does Lewis Champion think Ford deserved credit for his plea?", "No.",
     ["Ford did not deserve any credit for his plea"]),
    ("par", "Can the records of the Commons be traced back before 1834?", "No.",
     ["Records for the Commons only date back to 1834"]),
    ("par", "Was Jane Campbell the first woman ever to divorce her husband?", "Yes.",
     ["Jane Campbell, the first woman ever to divorce her husband"]),
    ("rad", "Has Paula Radcliffe raced the New York course before?", "No.",
     ["Radcliffe has never raced there before"]),
    ("rad", "Did Radcliffe fail to finish the Athens Olympic marathon?", "Yes.",
     ["where she failed to finish the marathon"]),
    ("ric", "Are viruses written to make headlines by infecting millions becoming more common?", "No, rarer.",
     ["Viruses written to make headlines by infecting millions are getting rarer"]),
    ("ric", "Does Pete Simpson head the threat laboratory at Clearswift?", "Yes.",
     ["Pete Simpson, head of the threat laboratory at security firm Clearswift"]),
    ("man", "Did Richey Edwards feature in the original line-up of the Manic Street Preachers?", "No.",
     ["Edwards did not feature in the original line-up of the band"]),
    ("man", "Did Edwards' parents sign a death certificate on the seventh anniversary of his disappearance?",
     "No, they refused.", ["They refuse."]),
    ("man", "Did A Design For Life reach number two in the UK singles chart?", "Yes.",
     ["A Design For Life reaches number two in the UK singles chart"]),
]


def main() -> None:
    article_texts = texts()
    rows, counter = [], {}
    for article, question, reference, evidence in QUESTIONS:
        for quote in evidence:
            assert quote in article_texts[article], (article, quote)
        counter[article] = counter.get(article, 0) + 1
        rows.append({"id": f"yn-{article}-{counter[article]:02d}", "article": ARTICLES[article], "question": question,
                     "answerable": True, "kind": "yes" if reference.startswith("Yes") else "no",
                     "reference_answer": reference, "evidence": evidence})
    held = write_split(rows, "yes_no")
    print(len(rows), "questions,", len(held), "held back")


if __name__ == "__main__":
    main()
