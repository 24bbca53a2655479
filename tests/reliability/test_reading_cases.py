"""Reliability: the shapes of sentence that broke the regex readings on unseen news articles, as made-up cases
(the unseen articles stay unseen). Each answer is checked by the answer policy as if a model had drafted it
(`Engine.check`, no model needed): a rule must withdraw it for the stated reason, or let it through."""

from __future__ import annotations

import pytest

from rag import Engine
from rag.embedding import MiniLMEmbedder
from tests.conftest import REPO, engine_over

READING = pytest.mark.reliability("reading")
ARTICLE = (
    "Harbour town elects its first woman mayor\n\n"
    "Maria Okafor, the new mayor of Eastbay, was first elected to the council in 1994. But in 1998, she won "
    "Eastfield, a new seat on the coast. Her mother, a schoolteacher from Leeds, moved to Eastbay in 1970.\n\n"
    "The treasurer, Dan Pike, said the harbour budget would double next year. The plan drew a sharp remark by "
    "the minister's former adviser, Ms Lane, who said the plan was \"dead on arrival\".\n\n"
    "Okafor and her husband had a daughter, Lily, in 2010. The couple live near the old lighthouse.\n")


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    return engine_over(tmp_path_factory.mktemp("reading-cases"), {"harbour.txt": ARTICLE}, embedder,
                       backend="extractive")


def reasons(engine: Engine, question: str, answer: str) -> list[str]:
    checked = engine.check(question, answer, backend="extractive")
    return [r for s in checked.sentences for r in s.reasons if not r.startswith("confidence")]


@READING
def test_a_relative_clause_speaker_is_read(harbour: Engine) -> None:
    """"…, Ms Lane, who said the plan was "dead on arrival"" → the quote is Ms Lane's, not the author's: "Ms Lane
    said …" passes every rule and its quote is shown as hers."""
    question, answer = "Who said the plan was dead on arrival?", "Ms Lane said the plan was dead on arrival."
    assert reasons(harbour, question, answer) == []
    quoted = [c for chunk in harbour.retriever.snapshot().chunks for c in chunk.voices if c.how == "quoted"]
    assert [(ARTICLE[v.start:v.end], v.speaker) for v in quoted] == [('"dead on arrival"', "Lane")]


@READING
def test_what_someone_said_about_another_topic_is_no_answer(harbour: Engine) -> None:
    """"What did the treasurer say about housing?" → the treasurer's words about the harbour budget are withdrawn:
    the question's topic is not the quote's."""
    found = reasons(harbour, "What did the treasurer say about housing?",
                    "The treasurer said the harbour budget would double next year.")
    assert any("asks about housing" in r for r in found), found


@READING
def test_a_description_is_not_a_name(harbour: Engine) -> None:
    """"What was the name of Maria Okafor's mother?" → "a schoolteacher from Leeds" is withdrawn: a name was asked,
    the article gives only a description."""
    found = reasons(harbour, "What was the name of Maria Okafor's mother?",
                    "Her mother was a schoolteacher from Leeds.")
    assert any("asks for a name" in r for r in found), found


@READING
def test_a_pronoun_subject_after_an_opening_phrase_is_bound(harbour: Engine) -> None:
    """"But in 1998, she won Eastfield" is about Maria Okafor (read at ingest) → "In 1998 she won Eastfield." passes
    every rule for "When did Maria Okafor win Eastfield?"."""
    assert reasons(harbour, "When did Maria Okafor win Eastfield?", "In 1998 she won Eastfield.") == []


@READING
def test_a_name_given_is_not_the_question_s_own(harbour: Engine) -> None:
    """"What is the name of the daughter they had in 2010?" → "Their daughter born in 2010 is named Lily." passes
    every rule (the name is the article's, not the question's)."""
    assert reasons(harbour, "What is the name of the daughter Okafor and her husband had in 2010?",
                   "The daughter they had in 2010 is named Lily.") == []


@pytest.fixture(scope="module")
def pronouns(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    """The shared case of two people of different genders and sentences that open with "she" or "he"."""
    text = (REPO.parent / "shared" / "cases" / "pronouns.txt").read_text(encoding="utf-8")
    return engine_over(tmp_path_factory.mktemp("pronouns"), {"pronouns.txt": text}, embedder, backend="extractive")


@READING
def test_what_is_said_of_he_is_not_proof_of_her(pronouns: Engine) -> None:
    """"How long had Maria Okafor been mayor?" → "Maria Okafor had been mayor for twelve years." (verified before,
    citing "He had been mayor for twelve years.", where "he" is Tomas Berg) is withdrawn for that reason; the same
    answer of Tomas Berg is not."""
    found = reasons(pronouns, "How long had Maria Okafor been mayor?", "Maria Okafor had been mayor for twelve years.")
    assert "the quote says this of Tomas Berg, not of Maria Okafor" in found, found
    assert reasons(pronouns, "How long had Tomas Berg been mayor?", "Tomas Berg had been mayor for twelve years.") == []


@READING
def test_a_who_answer_framed_by_the_article_still_names_no_one(pronouns: Engine) -> None:
    """"Who was born in Lagos?" → "The article states that she was born in Lagos in 1979." (verified before) is
    withdrawn: it names no one; "Maria Okafor was born in Lagos in 1979." passes, citing "She was born in Lagos"."""
    found = reasons(pronouns, "Who was born in Lagos?", "The article states that she was born in Lagos in 1979.")
    assert found == ["the question asks who; the answer names no one, only a pronoun"], found
    named = pronouns.check("Who was born in Lagos?", "Maria Okafor was born in Lagos in 1979.", backend="extractive")
    assert named.outcome == "answered" and named.citations[0].quote == "She was born in Lagos in 1979."


@READING
@pytest.mark.parametrize(("answer", "refuted"), [
    # the opposite of what is asked, stated, is the "no" (before: withdrawn, "the answer says no, the quote says so")
    ("No, Maria Okafor won the election.", []),
    ("No, Maria Okafor defeated Tomas Berg.", []),
    # a "yes" its quote says the opposite of stays withdrawn
    ("Yes, Maria Okafor lost the election.", ["the answer says yes, the quote says the opposite"]),
])
def test_a_no_that_the_quote_proves_by_the_opposite(pronouns: Engine, answer: str, refuted: list[str]) -> None:
    """"Did Maria Okafor lose the election?" — "Maria Okafor won the mayoral election …"."""
    assert reasons(pronouns, "Did Maria Okafor lose the election?", answer) == refuted


@READING
def test_a_sentence_that_opens_with_a_pronoun_is_its_own_quote(pronouns: Engine) -> None:
    """"She promised to build a new bridge over the river." (before: "supported by no quote", though word for word
    the article) quotes itself and passes every rule, in its own words and with the name its "she" stands for."""
    for answer in ("She promised to build a new bridge over the river.",
                   "Maria Okafor promised to build a new bridge over the river."):
        checked = pronouns.check("What did Maria Okafor promise?", answer, backend="extractive")
        assert reasons(pronouns, "What did Maria Okafor promise?", answer) == []
        assert checked.sentences[0].supported
        assert pronouns.check("What did Maria Okafor promise?", answer, backend="extractive").sentences[0].citations \
            or checked.outcome == "abstained"  # an abstention shows the quote among the closest passages
        assert "She promised to build a new bridge over the river." in [c.quote for c in checked.citations]


@READING
def test_who_said_the_bridge_would_cost_too_much(pronouns: Engine) -> None:
    """"Who said the bridge would cost too much?" → "He said …" is Tomas Berg's (before: "The author said …",
    verified): his name passes every rule, quoting it; the author withdrawn."""
    question = "Who said the bridge would cost too much?"
    named = pronouns.check(question, "Tomas Berg said the bridge would cost too much.", backend="extractive")
    assert reasons(pronouns, question, "Tomas Berg said the bridge would cost too much.") == []
    assert named.citations[0].quote == "He said the bridge would cost too much."
    assert named.citations[0].speaker == "Tomas Berg"
    assert reasons(pronouns, question, "The author said the bridge would cost too much.")


@READING
def test_a_follow_up_about_him_is_not_rewritten_to_her(pronouns: Engine) -> None:
    """"How long had he been mayor?" after a question about the election (before: rewritten to "… Maria Okafor …",
    the only name in the history, a woman): the search never names her, and nothing is verified about her."""
    history = [("Who won the mayoral election in Lindenfeld?",
                "Maria Okafor won the mayoral election in Lindenfeld last Sunday.")]
    answer = pronouns.ask("How long had he been mayor?", backend="extractive", history=history)
    assert "Okafor" not in answer.searched_for and "Maria" not in answer.searched_for
    assert not any("Okafor" in s.text for s in answer.sentences if s.verified)


@READING
def test_who_has_lived_there_all_his_life(pronouns: Engine) -> None:
    """"Who has lived in Lindenfeld all his life?" → an answer that names no one ("The article states that he …",
    withdrawn before too) stays withdrawn; "Tomas Berg has …" passes every rule, quoting "He, by contrast, …"."""
    question = "Who has lived in Lindenfeld all his life?"
    assert reasons(pronouns, question, "The article states that he has lived in Lindenfeld all his life.")
    assert reasons(pronouns, question, "Tomas Berg has lived in Lindenfeld all his life.") == []


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Engine:
    """The shared case of many quoted and reported speakers."""
    text = (REPO.parent / "shared" / "cases" / "quotes.txt").read_text(encoding="utf-8")
    return engine_over(tmp_path_factory.mktemp("quotes"), {"quotes.txt": text}, embedder, backend="extractive")


@READING
@pytest.mark.parametrize(("question", "answer", "speaker"), [
    # the second sentence of a quotation, cited with its speaker (before: "says the opposite", from the quote
    # beside it)
    ('Who said "We cannot afford to wait"?', 'Anna Lindqvist said "We cannot afford to wait."', "Anna Lindqvist"),
    # a role the article gives the speaker (before: "said by James Moreau, not by the fisherman")
    ("What did the fisherman say?", "The fisherman, James Moreau, said the dredging will destroy the oyster beds.",
     "James Moreau"),
    # "…," he said after "Councillor Peter Hale disagreed." (before: "said by Anna Lindqvist, not by Peter Hale")
    ("What did Peter Hale say about the cost?", "Peter Hale said the cost has doubled since March.", "Peter Hale"),
    # the quote's own subject (before: "The author says …", verified)
    ("Who says the project will take three years?", "Sarah Kim says the project will take three years.",
     "Sarah Kim"),
    # two people who said it together (before: "The author said …", verified)
    ("Who said they would accept the result of a referendum?",
     "Anna Lindqvist and Peter Hale said they would accept the result of a referendum.",
     "Anna Lindqvist and Peter Hale"),
])
def test_who_says_what_in_the_council_story(council: Engine, question: str, answer: str, speaker: str) -> None:
    checked = council.check(question, answer, backend="extractive")
    assert reasons(council, question, answer) == []
    assert checked.citations and checked.citations[0].speaker == speaker, checked.citations


@READING
@pytest.mark.parametrize(("question", "answer", "refuted"), [
    # a quote that states another value is the "no" (before: withdrawn, "the answer says no, the quote says so")
    ("Is al-Khazali 57 years old?", "No, al-Khazali is 47 years old.", []),
    ("Was al-Khazali born in Najaf?", "No, al-Khazali was born in Sadr City.", []),
    # the quote states the value asked: the "no" is wrong, and stays withdrawn
    ("Was al-Khazali born in Sadr City?", "No, al-Khazali was born in Najaf.",
     ["not in the quote: Najaf", "the answer says no, the quote says so"]),
])
def test_a_no_that_the_quote_proves_by_another_value(engine: Engine, question: str, answer: str,
                                                     refuted: list[str]) -> None:
    assert reasons(engine, question, answer) == refuted


@READING
@pytest.mark.parametrize(("question", "speaker"), [
    ("Who said they would accept the result of a referendum?", "Anna Lindqvist and Peter Hale"),
    ("Who said the project would take three years?", "Sarah Kim"),
])
def test_the_who_said_answer_names_everyone_who_said_it(council: Engine, question: str, speaker: str) -> None:
    """Asked with no model at all (the answer composed from the speaker marks): both speakers of "Lindqvist and
    Hale both said …", not the first alone and not the author."""
    answer = council.ask(question, backend="extractive")
    assert answer.outcome == "answered" and answer.answer.startswith(f"{speaker} said"), answer.answer


@READING
def test_a_title_he_uses_is_not_who_said_it(engine: Engine) -> None:
    """"Who called Sadr brother three times?" → "Saeed called Muqtada Sadr brother three times." (verified before,
    0.84: "Saeed" is the title al-Khazali uses) is withdrawn; "Qais al-Khazali called …" passes every rule."""
    question = "Who called Sadr brother three times?"
    assert reasons(engine, question, "Saeed called Muqtada Sadr brother three times.")
    assert reasons(engine, question, "Qais al-Khazali called Muqtada Sadr brother three times.") == []


@READING
def test_what_the_reporter_only_asks_is_not_stated(engine: Engine) -> None:
    """"Who ordered them to accept the election's results?" → "The commander of Quds Force ordered them …"
    (verified before, 0.91) is withdrawn: the article only reports the reporter asking if it is true; asked what
    the reporter asked, the same words pass."""
    found = reasons(engine, "Who ordered them to accept the election's results?",
                    "The commander of Quds Force ordered them to accept the election's results.")
    assert found == ["the quote only asks whether it is so; it does not say it"], found
    asked = "The reporter asked if the commander of Quds Force ordered them to accept the election's results."
    assert reasons(engine, "What did the reporter ask about the Quds Force commander?", asked) == []
