"""Who says what: the voices read at ingest from the real article and the Python history text, and the
speaker a question asks about."""

from __future__ import annotations

import pytest

from rag.speakers import AUTHOR, asked_speaker, asks_about_author, attribute, same_speaker, voice_of
from tests.conftest import ARTICLE, REPO

LICENSE = REPO / "corpus" / "python-history-and-license.txt"


def voice_at(text: str, phrase: str) -> tuple[str, str]:
    start = text.index(phrase)
    voice = voice_of(attribute(text), start, start + len(phrase))
    return voice.speaker, voice.how


@pytest.mark.parametrize(("phrase", "speaker", "how"), [
    ("I will analyze al-Khazali words", AUTHOR, "author"),
    ("Al-Khazali was born in Sadr City", AUTHOR, "author"),  # narration about him is the author's
    ("he has received (Sharia) authorization from Muhammad Shahroudi", "Qais al-Khazali", "reported"),  # He claims
    ("People do not want that. This has more harm than advantage", "Qais al-Khazali", "quoted"),  # “…” he states
    ("This soft talking is a message to lessen conflicts", AUTHOR, "author"),
    ("because Sadr has the same opinion", "Qais al-Khazali", "reported"),  # …, he says.
    ("this matter has been discussed with Sadr", "Qais al-Khazali", "reported"),  # According to his speech
    ("Muqtada Sadr has got all the power", "Qais al-Khazali", "quoted"),  # he uses statements like “…”
    ("the commander of Quds Force ordered them", "the reporter", "reported"),  # the reporter asks if …
    ("our decisions in Iraq is not related to Iran", "Qais al-Khazali", "quoted"),
    ("It seems like he is seeking an agreement with Sadr", AUTHOR, "author"),
    ("and we also have our own interest", "Qais al-Khazali", "reported"),  # …, he says at the end.
])
def test_article_voices(phrase: str, speaker: str, how: str) -> None:
    assert voice_at(ARTICLE.read_text("utf-8"), phrase) == (speaker, how)


@pytest.mark.parametrize(("phrase", "speaker", "how"), [
    ("1.6.1 is not GPL-compatible", "Richard Stallman", "reported"),  # According to Richard Stallman, …
    ("Python was created in the early 1990s", AUTHOR, "author"),
    ('("PSF"), and the Individual', AUTHOR, "author"),  # a quoted term is nobody's statement
    ('PSF is making Python available to Licensee on an "AS IS"', AUTHOR, "author"),
])
def test_license_voices(phrase: str, speaker: str, how: str) -> None:
    assert voice_at(LICENSE.read_text("utf-8"), phrase) == (speaker, how)


@pytest.mark.parametrize(("text", "speaker"), [
    ("Iran has its interests and we have ours, he says at the end.", "Anna Berg"),  # speech, then where
    ("The vote will fail, he said in the interview.", "Anna Berg"),  # a pronoun's "said in" is still speech
    ("Everyone ignored the payment stated in the agreement.", AUTHOR),  # a participle: "the payment" says nothing
])
def test_a_reporting_cue_followed_by_a_place_or_time(text: str, speaker: str) -> None:
    text = f"Anna Berg says the council met. {text}"
    voice = voice_of(attribute(text), text.index(text.split(". ", 1)[1][:12]), len(text))
    assert voice.speaker == speaker


@pytest.mark.parametrize(("text", "phrase", "speaker"), [
    # verbs of praise and blame say what they say of their object in an "as" phrase
    ("The minister hailed the deal as a breakthrough.", "the deal as a breakthrough", "The minister"),
    ("Unions condemned the plan as reckless.", "the plan as reckless", "Unions"),
    ("Paula Radcliffe described her decision as impulsive.", "her decision as impulsive", "Paula Radcliffe"),
    # a subject described by its example speaks as that example (the shape of a shared news article's sentence)
    ("Others, such as the aggressively middle of the road, Coalition of Non-governmental Organizations, have "
     "lauded the move as an important step forward.", "the move as an important step",
     "Coalition of Non-governmental Organizations"),
    ("Groups such as Amnesty International condemned the plan as reckless.", "the plan as reckless",
     "Amnesty International"),
    # no "as" phrase: an act, not something said; a passive names nobody
    ("The crowd hailed a taxi outside the hall.", "a taxi outside", AUTHOR),
    ("He was hailed as a hero by the fans.", "as a hero", AUTHOR),
])
def test_praise_and_blame_as_something_are_the_subjects_words(text: str, phrase: str, speaker: str) -> None:
    start = text.index(phrase)
    assert voice_of(attribute(text), start, start + len(phrase)).speaker == speaker


@pytest.mark.parametrize(("question", "speaker"), [
    ("What does the author conclude al-Khazali is seeking?", AUTHOR),
    ("According to the author, why is he important?", AUTHOR),
    ("What did Muqtada Sadr reply to al-Khazali?", "Muqtada Sadr"),
    ("According to the PSF, why is 1.6.1 not GPL-compatible?", "the PSF"),
    ("What did the BBC reporter say about Sadr?", "the BBC reporter"),
    ("According to the article, who leads AAH?", None),  # the article is everyone's words, not one speaker
    ("Where does the author live?", None),  # about the author as a person, not their statement
    ("How old is al-Khazali?", None),
    ("What did Richey Edwards' sister Rachel say to him?", "Rachel"),  # the name in apposition, as quotes name her
    ("What did his sister Rachel say?", "Rachel"),
    ("What did Stallman's lawyer tell the PSF?", "Stallman's lawyer"),  # no name given: the description
])
def test_asked_speaker(question: str, speaker: str | None) -> None:
    assert asked_speaker(question) == speaker


def test_asks_about_author_and_same_speaker() -> None:
    assert asks_about_author("Where does the author live?") and asks_about_author("How old is the author?")
    assert not asks_about_author("What does the author conclude?")
    assert same_speaker("Qais al-Khasali", "al-Khazali") and same_speaker("the reporter", "the BBC reporter")
    assert not same_speaker("Muqtada Sadr", "Muhammad Sadr") and not same_speaker("CNRI's lawyer", "Stallman's lawyer")
    assert not same_speaker(AUTHOR, "Qais al-Khazali")
