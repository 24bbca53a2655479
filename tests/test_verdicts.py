"""A yes/no question's verdict read from a sentence by its parse (`rag/verdicts.py`), with spaCy's real pipeline.
The sentences are the shared news texts' (new yes/no dev set) or written to break the reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from rag.embedding import MiniLMEmbedder
from rag.prompts import DEFAULT
from rag.retrieval import Passage
from rag.spans import SourceSpan
from rag.verdicts import asked, asserts, denies, negation_apart, opposes, other_value, replaced_value, verdict_answers
from tests.conftest import engine_over

INK_BEFORE = "The ink is sprayed on a person's left thumb."


@pytest.mark.parametrize(("question", "sentence", "before", "denied"), [
    # the negation falls on what is asked, every asked word in the negated clause
    ("Does travel insurance normally cover cutting short a holiday?",
     "The Association of British insurers warned that travel insurance does not normally cover cutting short a "
     "holiday.", "", True),
    ("Does anyone know exactly how many Iraqis are out of work?",
     "Nobody knows exactly how many Iraqis are out of work, but it is clear that the situation is dire.", "", True),
    # the question's speaker stands outside the claim ("Does X believe …"); named in the sentence
    ("Does Norman Cook believe dance music is dead?",
     "DJ Norman Cook - aka Fatboy Slim - has said that dance music is not dead, but has admitted it is going "
     "through a lull.", "", True),
    ("Does Lewis Champion think Ford deserved credit for his plea?",
     "Amanda's uncle, Lewis Champion, told the BBC News website Ford did not deserve any credit for his plea.", "",
     True),
    ("Does Norman Cook believe dance music is dead?", "Dance music is not dead, one critic says.", "", False),
    # a pronoun subject for what the sentence before names, every word of it
    ("Is the ink visible under normal light?", "It dries and is not visible under normal light.", INK_BEFORE, True),
    ("Is the election ink visible under normal light?", "It dries and is not visible under normal light.",
     INK_BEFORE, False),
    ("Is the ink visible under normal light?", "It dries and is not visible under normal light.", "", False),
    # a negation elsewhere, a clause joined on, a condition, "not only": no denial
    ("Is the ink visible under UV light?", "It is not visible under normal light but glows under UV light.",
     "The ink is sprayed.", False),
    ("Was the man arrested?", "The man who did not pay was arrested.", "", False),
    ("Did he pay the fine?", "If he does not pay the fine, he will be arrested.", "", False),
    ("Did he win the race?", "He not only won the race but also set a record.", "", False),
    # the negation carried by the object, or by a clause the verb links to; a subject shared with the first verb
    ("Does this affair have anything to do with the troubles of David Blunkett?",
     "Sex and betrayal are all there in this affair, but it has nothing to do with the troubles of "
     "David Blunkett or Boris Johnson.", "", True),
    ("Do the trainers containing human bones have a link to Edwards?",
     "A pair of trainers containing human bones washed up on the banks of the River Severn have no link to "
     "Edwards, police say.", "", True),
    # a clause the negated verb governs is not denied (a review of the change found each of these read as "no")
    ("Did Cook say the dance scene was permanently over?",
     "But he stressed this did not mean the dance scene was permanently over.", "Cook spoke to the BBC.", False),
    ("Did the plan fail?", "He did not deny that the plan failed.", "", False),  # a denial denied: it failed
    ("Did Smith resign?", "Police have not confirmed that Smith resigned.", "", False),
    ("Did Smith resign?", "Smith did not hesitate to resign when the report came out.", "", False),
    ("Did the man pay the fine?", "The man never failed to pay the fine.", "", False),
    ("Did Anna Berg win the race?", "It is not clear whether Anna Berg won the race, officials said.", "", False),
    ("Did Smith resign?", "Nobody knows if Smith resigned.", "", False),
    # a negation on something the question did not ask, a limited one, a modal or a condition of its own
    ("Did Smith win the election?", "Smith did not win the election by a landslide.", "", False),
    ("Did the police arrest Tom Green?", "The police did not arrest Tom Green's brother, a spokesman said.", "",
     False),
    ("Did Smith win the election?", "Smith did not win the election in 2010, but won it in 2014.", "", False),
    ("Was the man arrested?", "The man was arrested, not the woman.", "", False),
    ("Is the ink visible under normal light?", "It is not always visible under normal light.", INK_BEFORE, False),
    ("Did Smith resign?", "Smith wouldn't have resigned if he had known.", "", False),
    ("Will the Brit Awards keep awarding a Best Dance Act prize?",  # "will" asked, "would" reported: the same
     "Last month the Brit Awards announced they would no longer be awarding a Best Dance Act prize.", "", True),
    ("Do virus writers produce programs to show off their prowess?",
     "No longer do virus writers produce programs to show off their technical prowess to rivals.", "", True),
    # another word for what is asked: not read as a denial (the model decides)
    ("Did Michael Howard give a figure for the reduction?", "He said he could not predict a figure.", "", False),
])
def test_a_no_is_read_where_the_negation_falls_on_what_is_asked(question: str, sentence: str, before: str,
                                                                denied: bool) -> None:
    assert denies(question, sentence, before) is denied


def test_a_pronoun_reads_as_the_person_the_reading_resolved_it_to() -> None:
    """"Interpol are alerted but do not track him down": the "him" is Edwards (a REFERS mark, by offset); a "she"
    resolved to someone else is not the question's subject, whatever the sentence before names."""
    assert not denies("Did Smith resign?", "She did not resign.", "Smith's wife, Jane, spoke on Monday.",
                      meant={0: "Jane Doe"})
    sentence = "Interpol are alerted but do not track him down."
    assert not denies("Did Interpol track Edwards down?", sentence)
    assert denies("Did Interpol track Edwards down?", sentence, meant={sentence.index("him"): "Richey Edwards"})
    assert not denies("Did Interpol track Manson down?", sentence, meant={sentence.index("him"): "Richey Edwards"})


INK_PASSAGE = ("The Kyrgyz Republic is using invisible ink in the country's elections. " + INK_BEFORE +
               " It dries and is not visible under normal light.")


@pytest.mark.parametrize(("question", "sentence", "before", "context", "denied"), [
    # the subject written shorter: its other words in the passage, none that say it is another one
    ("Is the election ink visible under normal light?", "It dries and is not visible under normal light.",
     INK_BEFORE, INK_PASSAGE, True),  # yes/no dev yn-ink-01
    ("Is the election ink visible under normal light?", "It dries and is not visible under normal light.",
     INK_BEFORE, "", False),
    ("Is the election ink visible under normal light?", "It dries and is not visible under normal light.",
     "The printer ink is sprayed on a page.", INK_PASSAGE, False),
    ("Is the red car fast?", "It is not fast.", "The blue car was built in 1990.", "The red car and the blue car.",
     False),
    ("Did Paula Radcliffe win the race?", "Radcliffe did not win the race.", "",
     "Paula Radcliffe ran. Radcliffe did not win the race.", True),
    ("Did Paula Radcliffe win the race?", "Radcliffe did not win the race.", "", "Radcliffe did not win the race.",
     False),  # the whole name as asked, nowhere around
    ("Did Paula Radcliffe win the race?", "Jane Radcliffe did not win the race.", "",
     "Paula Radcliffe and Jane Radcliffe ran. Jane Radcliffe did not win the race.", False),
    ("Did Tom Green win the race?", "Green did not win the race.", "", "Paula Radcliffe ran with Green.", False),
    # a phrase hung on by a comma adds nothing denied, at any depth; a manner without one does
    ("Is the New York course the kind of fast course that tends to suit Radcliffe?",
     "It is also not the kind of fast course that tends to suit Radcliffe better, with the undulating finish "
     "through the park testing the legs' final reserves.",
     "The course from Staten Island to Central Park is renowned as one of the toughest in the world.",
     "Radcliffe runs in New York in November. The course from Staten Island to Central Park is renowned.", True),
    ("Did he win the race?", "He did not win the race, with his rivals saying he cheated.", "", "", True),
    ("Did he win the race?", "He did not win the race by cheating.", "", "", False),
])
def test_a_no_reads_the_subject_written_shorter_and_leaves_hung_on_phrases_aside(
        question: str, sentence: str, before: str, context: str, denied: bool) -> None:
    assert denies(question, sentence, before, context=context) is denied


@pytest.mark.parametrize(("question", "sentence", "opposed"), [
    ("Are viruses written to make headlines by infecting millions becoming more common?",  # yes/no dev yn-ric-01
     "Viruses written to make headlines by infecting millions are getting rarer.", True),
    ("Did Maria Okafor lose the election?", "Maria Okafor won the election.", True),
    ("Is the ink visible under normal light?", "The ink is invisible under normal light.", True),
    # negated, planned, another subject, a lesser degree, a word more or another place: no "no"
    ("Are viruses written to make headlines by infecting millions becoming more common?",
     "Viruses written to make headlines by infecting millions are not getting rarer.", False),
    ("Are viruses written to make headlines by infecting millions becoming more common?",
     "Viruses written to make headlines by infecting millions may get rarer.", False),
    ("Are viruses written to make headlines by infecting millions becoming more common?",
     "Viruses written to steal money are getting rarer.", False),
    ("Are such viruses becoming less common?", "Such viruses are getting rarer.", False),
    ("Did Maria Okafor lose the election?", "John Smith won the election.", False),
    ("Did Maria Okafor lose the election?", "Maria Okafor won the mayoral election.", False),
    ("Is the ink visible under normal light?", "The ink is invisible under UV light.", False),
    ("Is the ink visible under normal light?", "Is the ink invisible under normal light?", False),
])
def test_a_no_is_read_where_the_opposite_is_said_of_the_same_subject(question: str, sentence: str,
                                                                      opposed: bool) -> None:
    assert opposes(question, sentence) is opposed


@pytest.mark.parametrize("question", ["Isn't the ink visible under normal light?",
                                      "Does he not believe dance music is dead?", "Who won the race?"])
def test_no_claim_is_read_from_a_negative_question_or_one_that_is_not_yes_no(question: str) -> None:
    assert asked(question) is None


@pytest.mark.parametrize(("question", "quote", "stated"), [
    ("Did Edwards' parents sign a death certificate on the seventh anniversary of his disappearance?",
     "On the seventh anniversary of his disappearance, police offer Edwards' parents the opportunity to sign a "
     "death certificate.", False),
    ("Did they sign the certificate?", "They refused to sign the certificate.", False),
    ("Was Jane Campbell the first woman ever to divorce her husband?",
     "Among the records is the story of Jane Campbell, the first woman ever to divorce her husband.", True),
    ("Did James Ford plead guilty to Amanda Champion's murder?",
     "In July this year Amanda Champion's killer, James Ford, pleaded guilty to her murder.", True),
    ("Did the board approve the plan?", "The plan was discussed at length.", True),  # no asked verb: not for the parse
    ("Did Smith resign?", "Smith will resign next week.", False),
    ("Did Smith resign?", "Smith said he would resign.", False),
    ("Will Smith resign?", "Smith will resign next week.", True),
    # a contracted modal is the modal; a condition the question asks with is what is asked (new yes/no dev
    # ym-rad-25 and ym-how-09, right "yes" answers withdrawn as "only offered or planned")
    ("Did Smith resign?", "He’ll resign.", False),
    ("Does Liz Yelling believe Radcliffe will come out of the setbacks a better athlete?",
     "\"I think it will drive her on and she'll come out of it a better athlete.\"", True),
    ("Does Maeve Sherlock warn that lives could be put at risk if refugees are turned away once quotas are filled?",
     "Lives could be put at risk if refugees were turned away once the quotas were filled, she warned.", True),
    ("Did Smith resign?", "Smith would resign if asked.", False),
])
def test_a_yes_needs_the_asked_verb_stated_as_done(question: str, quote: str, stated: bool) -> None:
    assert asserts(question, quote) is stated


@pytest.mark.parametrize(("question", "quote", "apart"), [
    ("Does Pete Simpson head the threat laboratory at Clearswift?",
     '"You cannot put them in to the neat little box that you used to," said Pete Simpson, head of the threat '
     "laboratory at security firm Clearswift.", True),
    ("Did the meeting produce a result?", "this matter has been discussed with Sadr, but it has no outcome yet",
     False),  # the asked words are not all there: the "no" may be about them
    ("Do I have to make my changes open source?",
     "let you distribute a modified version without making your changes open source", False),
    ("Is the ink harmful?", "The ink is harmful, officials did not say.", False),
    ("Has Cook admitted that dance music is going through a fallow patch?",  # the subject shared, not the verb
     "DJ Norman Cook has said that dance music is not dead, but has admitted it is currently going through a "
     "fallow patch.", True),
    ("Is dance music dead?", "DJ Norman Cook has said that dance music is not dead.", False),
    ("Did Smith resign?", "Smith resigned, a claim that is not true.", False),
])
def test_a_negation_apart_from_every_asked_word_says_nothing_of_the_claim(question: str, quote: str,
                                                                          apart: bool) -> None:
    assert negation_apart(question, quote) is apart


class _Relevance:
    """Relevance by shared words: the composition's order, not its reading, is what a scorer gives."""

    def relevance(self, question: str, spans: list[SourceSpan]) -> list[float]:
        asked_words = set(question.lower().split())
        return [len(asked_words & set(s.text.lower().split())) / len(asked_words) for s in spans]


def test_a_verdict_is_composed_from_the_sentence_that_denies_or_states_it() -> None:
    text = ("The ink is sprayed on a person's left thumb. It dries and is not visible under normal light. "
            "Officials scan each thumb with a lamp.")
    passages = [Passage(1, "corpus/ink.txt", "Ink", 0, len(text), 1.0, text, "c1", None, None)]
    found = list(verdict_answers(_Relevance(), "Is the ink visible under normal light?", passages))  # type: ignore[arg-type]
    assert found and found[0][0] == "No: \u201cIt dries and is not visible under normal light.\u201d"
    span = found[0][1][0]
    assert text[span.start:span.end] == "It dries and is not visible under normal light."
    said = list(verdict_answers(_Relevance(), "Is the ink sprayed on a person's left thumb?", passages))  # type: ignore[arg-type]
    assert said[0][0].startswith("Yes: \u201cThe ink is sprayed")
    assert not list(verdict_answers(_Relevance(), "Who sprays the ink?", passages))  # type: ignore[arg-type]


class _Reflex(FakeListChatModel):
    """A chat model that drafts a fixed answer and gives one P(yes) to whatever it is asked, keeping the questions."""

    p_yes: float = 0.5
    asked: list[str] = Field(default_factory=list)

    def first_token_probabilities(self, messages: list[BaseMessage]) -> dict[str, float]:
        self.asked.append(str(messages[-1].content))
        return {"yes": self.p_yes, "no": 1 - self.p_yes}


_INK = ("Election ink helps drive democracy in Asia.\n\nThe ink is sprayed on a person's left thumb. It dries and is "
        "not visible under normal light. However, ultraviolet light makes the ink glow. Voters whose thumbs glow are "
        "turned away from the polling station.\n")


@pytest.mark.parametrize(("question", "draft", "p_yes", "answer"), [
    ("Is the ink visible under normal light?", "Yes, the ink is visible under normal light.", 0.7,
     "No: \u201cIt dries and is not visible under normal light.\u201d"),
    ("Is the ink sprayed on a person's left thumb?", "No, it is not.", 0.98,
     "Yes: \u201cThe ink is sprayed on a person's left thumb.\u201d"),
    # a draft verified without a yes or a no: the verdict the sentence states is said
    ("Is the ink visible under normal light?", "It dries and is not visible under normal light.", 0.9,
     "No: \u201cIt dries and is not visible under normal light.\u201d"),
])
def test_a_reflex_verdict_the_quote_contradicts_gives_way_to_the_one_the_sentence_states(
        tmp_path: Path, embedder: MiniLMEmbedder, question: str, draft: str, p_yes: float, answer: str) -> None:
    """The model's draft says the opposite of its quote and is withdrawn; the verdict composed from the sentence is
    checked by the model's own answer to the question over that sentence, and shown with its exact quote."""
    engine = engine_over(tmp_path, {"ink.txt": _INK}, embedder, backend="local")
    model = _Reflex(responses=[draft], p_yes=p_yes)
    engine._models["local"] = model
    shown = engine.ask(question)
    assert shown.outcome == "answered" and shown.answer == answer, [s.reasons for s in shown.sentences]
    (citation,) = shown.citations
    assert _INK[citation.start:citation.end] == citation.quote and citation.quote in answer
    assert model.asked and model.asked[-1].endswith(f"Question: {question}\n\n{DEFAULT.verdict}")


def test_without_a_model_a_no_the_parse_reads_takes_the_place_of_a_bare_quote(tmp_path: Path,
                                                                               embedder: MiniLMEmbedder) -> None:
    """The extractive backend answers with quotes only; for a yes/no question the "no" its parse reads is said, and
    a "yes" (which stands on the model's own answer) is not."""
    engine = engine_over(tmp_path, {"ink.txt": _INK}, embedder, backend="extractive")
    shown = engine.ask("Is the ink visible under normal light?")
    assert shown.outcome == "answered"
    assert shown.answer == "No: \u201cIt dries and is not visible under normal light.\u201d"
    assert _INK[shown.citations[0].start:shown.citations[0].end] == shown.citations[0].quote
    said = engine.ask("Is the ink sprayed on a person's left thumb?")
    assert not said.answer.startswith("Yes")


@pytest.mark.parametrize(("question", "quote", "swap", "no"), [
    # new yes/no dev ym-ink-14: the model put 0.94 on "yes"
    ("Did the elections in Serbia show that improper use of indelible visible ink can cause additional problems?",
     "as the elections in Afghanistan showed, improper use of this type of ink can cause additional problems",
     ("Serbia", "Afghanistan"), False),  # "indelible visible" stands in the sentence before: no composed "no"
    ("Was the act establishing 5 November as a thanksgiving day passed in 1605?",
     "An act was passed in 1606, the year after the Gunpowder Plot, establishing 5 November as a day of "
     "thanksgiving.", ("1605", "1606"), True),
    ("Had it been five years since Cook's previous album?", "in the four years since his last album",
     ("five years", "the four years"), False),
    # the value there, another unit, a name written shorter, nothing of its kind: no other value
    ("Did Radwan Hadi leave Iraq about thirty years ago?", "an Iraqi who left the country three decades ago", None,
     False),
    ("Did Paula Radcliffe win in New York?", "Radcliffe won in New York.", None, False),
    ("Did Hanover Re pay out about 300 million euros?", "The company has paid out about 300 million euros.", None,
     False),
    ("Who won in New York?", "Radcliffe won in London.", None, False),
    # naming others denies nothing of the one asked: no composed "no" (near-topic dev ymu-ink-04, yu-par-12 were
    # shown as "no" when names counted); a bound or a guess is no exact amount
    ("Has invisible election ink been used in Brazil?",
     "The Kyrgyz Republic is using invisible ink and ultraviolet readers in the country's elections.",
     ("Brazil", "The Kyrgyz Republic"), False),
    ("Does this affair have anything to do with Tony Blair?",
     "This time it has nothing to do with the recent troubles of David Blunkett or Boris Johnson.",
     ("Tony Blair", "David Blunkett"), False),
    ("Did more than 100 people attend the rally?", "200 people attended the rally.", ("more than 100", "200"),
     False),
    ("Did 100 people attend the rally?", "200 people attended the rally.", ("100", "200"), True),
    # the speaker a question frames is not a value of its claim (held-back ym-fat-01, found after its one asking)
    ("Does Cook say he is always nervous before the big shows?",
     "\"I'm always really really nervous before the big ones - they had to give me Valium before Rio.", None, False),
])
def test_a_no_is_read_where_the_quote_gives_another_value(question: str, quote: str,
                                                          swap: tuple[str, str] | None, no: bool) -> None:
    assert replaced_value(question, quote) == swap
    assert other_value(question, quote) is no
