"""Writes `evals/yes_no_more_{dev,heldout}.jsonl`: 45 more yes/no questions over the ten shared news articles
(`../shared/texts/`), written on 2026-12-08 from the articles alone, blind: before any of them was asked, and
without looking at any run or report. Three groups, each spread over all ten articles (4 or 5 questions each):

- 20 the article answers "yes", in shapes that are hard to parse: the evidence names the subject shorter than the
  question or by a pronoun whose referent is in the sentence before ("The company has paid out ...", "He
  anticipated ..."), the question paraphrases the article's verb ("renowned" -> "considered", "aka" -> "also known
  as"), active and passive are swapped, the claim is a named person's ("Does Maeve Sherlock warn ...?"), or a
  number or date is stated exactly;
- 13 the article answers "no" without a negation word in the evidence: another number, place or time than the
  question's ("third-largest" for "fifth-largest", Serbia for Afghanistan), the opposite word (cheaper, down,
  growing, few), said by another person than the question names, or only planned ("may need to re-legislate");
- 12 near-topic questions the article does not answer, one detail changed to something the article never mentions
  ("Has *AXA* said what its exposure to the tsunami would be?").

Every evidence quote is checked verbatim against its article, and every unanswerable question's odd word is checked
absent from its article (case-insensitive). A third is held back, drawn at random with a fixed seed. A "yes" is
graded on the yes alone: the words its writer added are kept as `detail` (changed after the first asking of dev,
where two right answers were graded wrong for them; the rows and split are otherwise as written).

    cd evals/src && python yes_no_more_set.py
"""

from __future__ import annotations

from news_articles import ARTICLES, texts, write_split

# (article, shape, question, reference answer, evidence quotes) — answered by the article
ANSWERED = [
    ("fat", "speaker-claim", "Does Cook say he is always nervous before the big shows?",
     "Yes, \"really really nervous before the big ones\".",
     ["\"I'm always really really nervous before the big ones"]),
    ("fat", "pronoun-subject", "Has Cook promised more beach parties in more places around the world?", "Yes.",
     ["He promised more such parties in more locations around the world"]),
    ("fat", "other-number", "Had it been five years since Cook's previous album, Halfway Between The Gutter And The "
     "Stars?", "No, four years.",
     ["in the four years since his last album, Halfway Between The Gutter And The Stars"]),
    ("fat", "opposite", "Have Fatboy Slim's album sales in the UK gone up?", "No, they are down.",
     ["his album sales in the UK are down"]),
    ("dis", "short-subject", "Did Hanover Re pay out about 300 million euros for damage caused by four major "
     "hurricanes in the US?", "Yes.",
     ["A spokeswoman for Hanover Re, Europe's fifth-largest reinsurance firm",
      "The company has paid out about 300 million euros (£281m; $400m) to cover damage caused recently by four "
      "major hurricanes in the US."]),
    ("dis", "pronoun-subject", "Did Serge Troeber expect Swiss Re's total claims to be lower than those from the "
     "hurricanes?", "Yes.",
     ["said Serge Troeber, deputy head of Swiss Re's natural disasters department",
      "He anticipated that his own company's total claims would be less then those from the hurricanes"]),
    ("dis", "other-number", "Is Hanover Re Europe's third-largest reinsurance firm?", "No, Europe's fifth-largest.",
     ["Hanover Re, Europe's fifth-largest reinsurance firm"]),
    ("dis", "opposite", "Are rebuilding costs in the affected region likely to be more expensive than in developed "
     "countries?", "No, cheaper.",
     ["Rebuilding costs are likely to be cheaper than in developed countries"]),
    ("how", "speaker-claim", "Does Maeve Sherlock warn that lives could be put at risk if refugees are turned away "
     "once quotas are filled?", "Yes.",
     ["Refugee Council Chief Executive Maeve Sherlock called the plans",
      "Lives could be put at risk if refugees were turned away once the quotas were filled, she warned."]),
    ("how", "pronoun-subject", "Does Michael Howard say only two in ten asylum seekers have their claims accepted "
     "under the current system?", "Yes, only two out of 10.",
     ["He said that only two out of 10 asylum seekers had their claims accepted"]),
    ("how", "planned", "Has Labour already set out its plans for tackling immigration abuse?",
     "No, Tony Blair said Labour would set them out in the next few weeks.",
     ["Tony Blair said Labour would set out workable plans for tackling immigration abuse in the next few weeks"]),
    ("ink", "passive", "Was the law requiring the use of ink at the elections pushed through by President Askar "
     "Akaev?", "Yes.",
     ["the Kyrgyz President, Askar Akaev, pushed through the law requiring the use of ink"]),
    ("ink", "synonym-verb", "Did the German Embassy help pay for transparent ballot boxes?",
     "Yes, with the Soros Foundation and the Kyrgyz government.",
     ["the German Embassy, the Soros Foundation and the Kyrgyz government have all contributed to purchase "
      "transparent ballot boxes"]),
    ("ink", "other-place", "Did the elections in Serbia show that improper use of indelible visible ink can cause "
     "additional problems?", "No, the elections in Afghanistan showed that.",
     ["as the elections in Afghanistan showed, improper use of this type of ink can cause additional problems"]),
    ("irq", "exact-number", "Did Blackwatch Petroleum Services go into Iraq in 2003?", "Yes.",
     ["Blackwatch Petroleum Services, which entered Iraq in 2003"]),
    ("irq", "synonym-number", "Did Radwan Hadi leave Iraq about thirty years ago?", "Yes, three decades ago.",
     ["insists Mr Hadi, an Iraqi who left the country three decades ago"]),
    ("irq", "opposite", "Is the divide between Iraq's haves and have-nots narrowing?", "No, it is growing.",
     ["the growing divide between haves and have-nots is angering voters"]),
    ("mps", "passive", "Were the rules allowing reduced sentences for murderers who plead guilty introduced by David "
     "Blunkett?", "Yes, as Home Secretary.",
     ["MPs criticised Home Secretary David Blunkett last year for introducing last-minute rules allowing reduced "
      "sentences for murderers who pleaded guilty."]),
    ("mps", "speaker-claim", "Does David Davis think potential reductions in murder sentences undermine the "
     "government's claim to be tough on crime?", "Yes.",
     ["Shadow home secretary David Davis echoed criticisms",
      "completely undermines the government's claim to be tough on crime,\" he said"]),
    ("mps", "other-speaker", "Did David Davis warn that binding judges too much might look like political "
     "interference?", "No, Liberal Democrat spokesman Mark Oaten warned that.",
     ["But Liberal Democrat spokesman Mark Oaten warned the MPs' committee that binding judges too much might look "
      "like political interference."]),
    ("mps", "planned", "Has the government re-legislated to remove ambiguity over how murderers should be sentenced?",
     "No, the committee says it may need to.",
     ["the government may need to re-legislate to \"remove ambiguity\" over how murderers should be sentenced"]),
    ("par", "exact-number", "Was Handel made a British citizen by act of Parliament in 1727?", "Yes.",
     ["details of foreign nationals made British citizens by act of Parliament, including composer George Frideric "
      "Handel in 1727"]),
    ("par", "passive", "Was the online catalogue of the parliamentary archives produced by five years of work?",
     "Yes.", ["But now five years of work has produced an online catalogue."]),
    ("par", "other-number", "Was the act establishing 5 November as a thanksgiving day passed in 1605?",
     "No, in 1606, the year after the Gunpowder Plot.",
     ["There is also the 1606 act establishing 5 November as a thanksgiving day - the year after the Gunpowder "
      "Plot."]),
    ("rad", "speaker-claim", "Does Liz Yelling believe Radcliffe will come out of the setbacks a better athlete?",
     "Yes.",
     ["And Yelling says: \"I think this will probably make Paula.\"",
      "\"I think it will drive her on and she'll come out of it a better athlete.\""]),
    ("rad", "synonym-verb", "Is the New York City Marathon course considered one of the toughest in the world?",
     "Yes.", ["The course from Staten Island to Central Park is renowned as one of the toughest in the world."]),
    ("rad", "other-speaker", "Did Hugh Richards say Radcliffe thought 'they can't think any worse of me now'?",
     "No, Liz Yelling said that.",
     ["\"She just thought, 'well, they can't think any worse of me now,'\" Yelling told BBC Sport."]),
    ("ric", "pronoun-subject", "Does spyware let criminals hijack web browsing sessions?", "Yes.",
     ["So-called spyware was proving very popular with criminals because it allowed them to take over machines for "
      "their own ends, to steal key data from users or to hijack web browsing sessions"]),
    ("ric", "synonym", "Is former virus writer Marek Strihavka also known as Benny?", "Yes.",
     ["Former virus writer Marek Strihavka, aka Benny from the 29A virus writing group"]),
    ("ric", "opposite", "Are most of the malicious programs written by hi-tech thieves cleverly written?",
     "No, few are; many are pragmatic and use tried and tested techniques.",
     ["Few of the malicious programs written by hi-tech thieves are cleverly written"]),
    ("man", "passive", "Was the last known picture of Edwards printed by The Big Issue?", "Yes.",
     ["The Big Issue magazine, which supports homelessness charities, prints the last known picture of Edwards"]),
    ("man", "pronoun-subject", "Do the remaining band members still pay a quarter of the band's royalties into an "
     "account in Edwards' name?", "Yes.",
     ["The remaining Manic Street Preachers members continue to pay a quarter of the band's royalties into an "
      "account held in his name."]),
    ("man", "other-time", "Did Edwards walk out of the Embassy Hotel late at night?", "No, in the early morning.",
     ["Edwards walks out of the Embassy Hotel in London in the early morning"]),
]

# (article, question, the word the article does not have) — near-topic, not answered by the article
UNANSWERED = [
    ("fat", "Is Fatboy Slim planning a party at Wembley Stadium?", "Wembley"),
    ("dis", "Has AXA said what its exposure to the tsunami would be?", "AXA"),
    ("how", "Has Amnesty International criticised the Tory asylum plans?", "Amnesty"),
    ("ink", "Has invisible election ink been used in Brazil?", "Brazil"),
    ("ink", "Have local newspapers claimed the election ink causes cancer?", "cancer"),
    ("irq", "Has HSBC bought a stake in an Iraqi bank?", "HSBC"),
    ("mps", "Does the committee want tougher sentences for crimes committed with a knife?", "knife"),
    ("par", "Do the parliamentary archives hold the private papers of Winston Churchill?", "Churchill"),
    ("par", "Will the archives' Gunpowder Plot exhibition be held at the British Museum?", "British Museum"),
    ("rad", "Is Nike one of Paula Radcliffe's sponsors?", "Nike"),
    ("ric", "Was former virus writer Marek Strihavka arrested by police?", "arrested"),
    ("man", "Did Richey Edwards name-check Ernest Hemingway?", "Hemingway"),
]


def main() -> None:
    by_key = texts()
    rows = []
    for n, (key, shape, question, reference, evidence) in enumerate(ANSWERED, 1):
        assert 1 <= len(evidence) <= 2, (key, question)
        for quote in evidence:
            assert quote in by_key[key], (key, quote)
        kind = "yes" if reference.startswith("Yes") else "no"
        assert kind == "yes" or reference.startswith("No, "), (key, reference)
        # A "yes" is graded on the yes: what the writer added ("Yes, as Home Secretary.") is kept apart as `detail`,
        # as the question does not ask it (first asking, 2026-12-08: ym-ink-13 and ym-mps-18 were right answers
        # graded wrong for the words the reference added).
        graded = "Yes." if kind == "yes" else reference
        detail = {"detail": reference} if graded != reference else {}
        rows.append({"id": f"ym-{key}-{n:02d}", "question": question, "answerable": True,
                     "reference_answer": graded, "evidence": evidence, "article": ARTICLES[key], "kind": kind,
                     "shape": shape, **detail})
    for n, (key, question, absent) in enumerate(UNANSWERED, 1):
        assert absent.lower() not in by_key[key].lower(), (key, absent)
        rows.append({"id": f"ymu-{key}-{n:02d}", "question": question, "answerable": False,
                     "article": ARTICLES[key], "kind": "unanswerable-near", "lookalike": absent})
    held = write_split(rows, "yes_no_more")
    print(f"{len(rows)} questions, {len(held)} held back")


if __name__ == "__main__":
    main()
