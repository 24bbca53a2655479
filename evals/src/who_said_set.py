"""Writes `evals/who_said_{dev,heldout}.jsonl`: 44 who-said-what questions over the ten shared news articles
(`../shared/texts/`), written on 2026-12-07 by reading the articles, before any was asked, after the news set's
27 attribution questions left who-said-what at 0.80 (dev 24/27, held back 8/13).

Shapes: "Who said/estimated/called …?" (the answer is a speaker, some named only by a role: "a spokesman for
…", "a fan"), "What did X say/warn/tell … about …?", "According to X, …?", and ten near-topic questions that pin
words on someone who never said them (a real speaker of the article asked about a topic they do not speak of:
`answerable` false). Every evidence quote is checked verbatim against its article. A third is held back, drawn
at random with a fixed seed (14 of 44); the held-back file is asked only with the final engine.

    python evals/src/who_said_set.py
"""
from news_articles import ARTICLES as A
from news_articles import texts, write_split

Q = [
    ("fat", "Who told The Ticket programme he kept reading about the demise of dance music while making his album?",
     "Norman Cook (Fatboy Slim).",
     ["Every week when I was making the album, I was reading articles about the demise of dance music"]),
    ("fat", "What did Norman Cook say he had to be given before the Rio show?",
     "Valium.",
     ["they had to give me Valium before Rio"]),
    ("fat", "According to Zoe Ball, why was the track My Masochistic Baby Went And Left Me hilarious?",
     "Because his masochistic baby did leave him.",
     ["yeah, it's hilarious, because your masochistic baby did leave you"]),
    ("fat", "What did Zoe Ball say about the photographers waiting outside their home?", None, None),
    ("fat", "How did Cook describe the paparazzi gathering at the end of his road?",
     "Like prisoners rattling the bars with their mugs.",
     ["It's almost like prisoners rattling the bars with their mugs"]),
    ("dis", "Which insurance analyst said US insurers are likely to have only minimal to no exposure?",
     "Paul Newsome of AG Edwards & Co.",
     ["US insurers are likely to have only minimal to no exposure. It's more likely the Bermuda-based reinsurance "
      "[companies] might have some exposure,\" said Paul Newsome"]),
    ("dis", "Who estimated that tsunami-related damage claims would be in the low double-digit millions of euros?",
     "A spokeswoman for Hanover Re.",
     ["A spokeswoman for Hanover Re, Europe's fifth-largest reinsurance firm, estimated tsunami-related damage "
      "claims would be in the low double-digit millions of euros"]),
    ("dis", "What did Lloyds of London tell the Financial Times about its exposure?",
     "It expected it to be limited to holiday resorts, personal accident, travel insurance and marine risks.",
     ["Lloyds of London told the Financial Times it expected its exposure to be limited to \"holiday resorts, "
      "personal accident, travel insurance and marine risks\""]),
    ("dis", "What did the Association of British Insurers warn about travel insurance?",
     "That it does not normally cover cutting short a holiday.",
     ["The Association of British insurers warned that travel insurance does not normally cover cutting short a "
      "holiday"]),
    ("dis", "What did Munich Re say about the number of tourists killed in Thailand?", None, None),
    ("how", "Who said that cutting front-line immigration staff at the borders would make the problem worse?",
     "Tony Blair.",
     ["\"By cutting the number of front-line immigration staff at our borders, they will actually make the problem "
      "worse,\" said Mr Blair"]),
    ("how", "Who called a system that could turn away genuine refugees absolutely disgusting?",
     "Liberal Democrat chairman Matthew Taylor.",
     ["But he said it was \"absolutely disgusting\" to propose a system which could turn away genuine refugees"]),
    ("how", "What did Michael Howard call the suggestion that campaigners could use his words to hint the policy "
     "was about colour or culture?",
     "Disgraceful.",
     ["Mr Howard called that suggestion \"disgraceful\""]),
    ("how", "According to Michael Howard, how many people settle in the UK every year?",
     "Nearly 160,000.",
     ["Mr Howard said nearly 160,000 people were settling in the UK every year"]),
    ("how", "Who said the Tory plans would contravene EU asylum policy?",
     "A spokesman for EU Justice and Home Affairs Commissioner Franco Frattini.",
     ["a spokesman for European Justice and Home Affairs Commissioner Franco Frattini said the plans would "
      "contravene EU asylum policy"]),
    ("how", "What did Tony Blair say about withdrawing from the 1951 United Nations Convention on refugees?",
     None, None),
    ("ink", "What have local newspapers claimed about the election ink?",
     "That it is harmful, radioactive, or that the ultraviolet readers may cause health problems.",
     ["Local newspapers have carried stories that the ink is harmful, radioactive or even that the ultraviolet "
      "readers may cause health problems"]),
    ("ink", "What did the US government say about the risks of the ultraviolet readers?", None, None),
    ("irq", "Who says the economy has become the second-most dominant issue for many Iraqi political parties?",
     "Bristol University political scientist Anne Alexander.",
     ["The economy has become the second-most dominant issue for many political parties ahead of Sunday's election, "
      "according to Bristol University political scientist Anne Alexander"]),
    ("irq", "According to the Brookings Institution, what is Iraq's unemployment rate?",
     "Between 30 and 40%.",
     ["we estimate it to be between 30-40%"]),
    ("irq", "What does Radwan Hadi say about how fast Iraq's private sector will evolve?",
     "Incredibly fast.",
     ["I think the private sector will evolve incredibly fast"]),
    ("irq", "Who said the involvement of foreign firms is seen as a selling off of Iraq's assets?",
     "Anne Alexander.",
     ["It is seen as a selling off of Iraq's assets and bringing in multinationals at the expense of Iraqi "
      "businesses and Iraqi workers,\" she says"]),
    ("irq", "What do opinion polls suggest Iraqis still want, according to Ms Alexander?",
     "The state to take a leading role in providing job creation, social security and healthcare.",
     ["people still want the state to take a leading role in providing these things"]),
    ("irq", "What did Radwan Hadi say about Halliburton's military contracts?", None, None),
    ("mps", "Who said drugs or alcohol were sometimes used as an excuse?",
     "Committee chairman John Denham.",
     ["Committee chairman John Denham said drugs of alcohol were sometimes used as an excuse"]),
    ("mps", "What did Lewis Champion say about taking years off a murder sentence?",
     "Nothing at all is worth taking five years off a murder sentence.",
     ["Nothing at all is worth taking five years off a murder sentence"]),
    ("mps", "Who defended the sentencing proposals, saying Parliament had sent a clear signal that murder should be "
     "treated differently?",
     "A spokesman for the Home Office.",
     ["But a spokesman for the Home Office defended the proposals"]),
    ("mps", "According to Mark Oaten, what is the danger of a prescriptive approach?",
     "Whilst every murder is awful, it is also different.",
     ["The danger of having a prescriptive approach is that whilst every murder is awful, it is also different"]),
    ("mps", "What did Lord Woolf say in reply to the committee's report?", None, None),
    ("par", "Who remarked that all human life is here, while walking past shelves of vellum?",
     "David Prior.",
     ["As Mr Prior remarks as we walk by shelf after shelf of vellum (parchment made from goat's skin): \"All human "
      "life is here.\""]),
    ("par", "What does David Prior say the online catalogue does for research?",
     "It opens up new possibilities for research.",
     ["David Prior, assistant clerk of the archives, says the catalogue opens up new possibilities for research"]),
    ("par", "What did David Prior say about the death warrant for Charles I?", None, None),
    ("rad", "Who said Paula Radcliffe must draw on her past achievements to conquer a potential crisis of confidence?",
     "Sports psychologist Hugh Richards.",
     ["Sports psychologist Hugh Richards says the 30-year-old must draw on her past achievements to conquer a "
      "potential crisis of confidence"]),
    ("rad", "Who said she thinks the setbacks will probably make Paula?",
     "Liz Yelling.",
     ["And Yelling says: \"I think this will probably make Paula.\""]),
    ("rad", "According to Hugh Richards, what was the primary factor that tripped Radcliffe up in Athens?",
     "The heat stress.",
     ["The heat stress was the primary factor that tripped her up in Athens"]),
    ("rad", "What did Liz Yelling say about how long runners usually rest after a major marathon?",
     "A full month off.",
     ["It's suggested after a major marathon you take a full month off and start building up again"]),
    ("rad", "What did Paula Radcliffe say about the heat in Athens?", None, None),
    ("ric", "Who said \"It's about outright criminality now\"?",
     "Pete Simpson of Clearswift.",
     ["\"It's about outright criminality now,\" said Mr Simpson"]),
    ("ric", "According to Paul King of Cisco, why is e-mail the least likely way to attack?",
     "Because most people have anti-virus and firewalls now.",
     ["In many ways the least likely way to do it is e-mail because most of us have got anti-virus and firewalls now"]),
    ("ric", "Who said that the main motivation now is money?",
     "Gary Stowell.",
     ["\"The main motivation now is money,\" said Gary Stowell, spokesman for St Bernard software"]),
    ("ric", "What did Mr King say criminals do?",
     "They do not do clever; they just do what works.",
     ["\"If you think of criminals they do not do clever,\" said Mr King, \"they just do what works.\""]),
    ("ric", "What did Pete Simpson say about spyware that erases rival programs?", None, None),
    ("man", "Who said she saw Richey Edwards in Goa?",
     "A fan.",
     ["A fan says she saw Edwards in the hippy resort of Goa, India"]),
    ("man", "What did James Dean Bradfield say about Richey Edwards' last interview?", None, None),
]


def main() -> None:
    article_texts = texts()
    rows, counter = [], {}
    for art, q, ref, ev in Q:
        for e in ev or []:
            assert e in article_texts[art], (art, e)
        counter[art] = counter.get(art, 0) + 1
        row = {"id": f"ws-{art}-{counter[art]:02d}", "article": A[art], "question": q, "answerable": ref is not None,
               "kind": "attribution"}
        if ref:
            row["reference_answer"], row["evidence"] = ref, ev
        rows.append(row)
    held = write_split(rows, "who_said")
    print(len(rows), len(held), sum(r["answerable"] for r in rows))


if __name__ == "__main__":
    main()
