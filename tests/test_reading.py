"""The parse-based readings (`rag/reading.py`, `rag/speakers.py`, `rag/claims.py`), sentence shape by sentence
shape, with spaCy's real English pipeline: who says a quote, whom a pronoun stands for, a sentence's subject, the
names an article gives one person, and what a question asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import claims, policy, reading
from rag.citations import SupportScorer
from rag.embedding import MiniLMEmbedder
from rag.reading import ALIAS, REFERS, SUBJECT, read, same_person
from rag.sentences import split_sentences
from rag.spans import SourceSpan
from rag.speakers import AUTHOR, answer_speaker, asked_speaker, attribute, same_speaker, voice_of
from tests.conftest import REPO, engine_over

PRONOUNS = (REPO.parent / "shared" / "cases" / "pronouns.txt")
QUOTES = (REPO.parent / "shared" / "cases" / "quotes.txt")


def speaker_of(text: str, phrase: str) -> tuple[str, str]:
    start = text.index(phrase)
    voice = voice_of(attribute(text), start, start + len(phrase))
    return voice.speaker, voice.how


@pytest.mark.parametrize(("text", "phrase", "speaker", "how"), [
    # a relative clause: the words are the person's the clause hangs on, not the author's
    ("The plan drew a remark by the minister's former adviser, Ms Lane, who said the plan was \"dead on arrival\".",
     "dead on arrival", "Ms Lane", "quoted"),
    # an apposition after an inverted verb
    ("\"We cannot afford to wait,\" said Anna Lindqvist, the council leader.", "We cannot afford", "Anna Lindqvist",
     "quoted"),
    # an inverted cue after a short opening reports what it sits in
    ("Not least, said Paul King, a security consultant at Cisco, because the defences are so common.", "Not least",
     "Paul King", "reported"),
    # a role, then the name beside it
    ("\"I have never seen the town this divided,\" said the mayor, Robert Osei.", "never seen the town",
     "Robert Osei", "quoted"),
    # "X told a news conference that …"
    ("The finance minister, Jo Bell, told a news conference that the budget would rise next year.",
     "the budget would rise", "Jo Bell", "reported"),
    # "according to X, …"
    ("According to James Moreau, a local fisherman, the dredging will destroy the oyster beds.",
     "the dredging will destroy", "James Moreau", "reported"),
    # a verb that only describes a noun reports nothing
    ("Everyone ignored the payment stated in the agreement.", "Everyone ignored", AUTHOR, "author"),
    # a title line names no speaker, however it parses
    ("Dance music not dead says Fatboy\n\nThe DJ spoke to the BBC on Monday.", "Dance music not dead", AUTHOR,
     "author"),
    # a quotation that runs over two sentences, attributed after the second
    ("Peter Hale spoke last. \"The cost has doubled since March. Nobody has explained why,\" he said.",
     "The cost has doubled", "Peter Hale", "quoted"),
    # a quotation that goes on into the next paragraph, opened again with a new mark
    ("\"This plan will bring jobs,\" said Anna Lindqvist.\n\n\"It is the best offer the town has had in years.\"",
     "the best offer the town", "Anna Lindqvist", "quoted"),
    # the subject of the speech verb, not someone named nearby
    ("His critics call him stubborn. Yet Tom Reyes once joked that there are two kinds of mayor in this town.",
     "two kinds of mayor", "Tom Reyes", "reported"),
    # "he said" after a quotation: the person who spoke last, as the reader takes it
    ("Councillor Peter Hale disagreed. \"The cost has doubled, and nobody has explained why,\" he said.",
     "The cost has doubled", "Peter Hale", "quoted"),
    # a quotation inside a quotation, with its own cue: the inner words are the inner speaker's
    ("\"I asked Zoe Ball about the song,\" Cook recalled. \"She said, 'yeah, it is hilarious, because it came true'.\"",
     "it is hilarious", "Zoe Ball", "quoted"),
    # "too soon to say" reports nothing, whoever spoke last
    ("\"We will win,\" said Tom Reyes. It is still too soon to say whether the plan will work.", "too soon to say",
     AUTHOR, "author"),
    # something said, put out by its subject: stories, a statement
    ("Local newspapers have carried stories that the ink is harmful to the skin.", "the ink is harmful",
     "Local newspapers", "reported"),
    ("The health ministry issued a statement saying the water was safe to drink.", "the water was safe",
     "The health ministry", "reported"),
    # "As X remarks …:" frames what follows; "As she said goodbye" (an object of its own) reports nothing; a
    # trailing "as some people claim" after a negation reports the opposite, so it is left to the quote's speaker
    ("Tom Reid runs the archive. As Mr Reid remarks as we walk past the shelves: \"All of history is here.\"",
     "All of history", "Tom Reid", "quoted"),
    ("Anna Berg chairs the council. As Ms Berg said last week, the budget will rise next year.",
     "the budget will rise", "Anna Berg", "reported"),
    ("Anna Berg left the hall. As she said goodbye, the lights went out.", "the lights went out", AUTHOR, "author"),
    ("Mr Hale said: \"It's not a tax, as some people claim, to charge for parking.\"", "It's not a tax",
     "Mr Hale", "quoted"),
    # a name the tagger cuts before its lower-case noun is the whole name ("… of Scottish" was the speaker)
    ("Shops are worried. The Federation of Scottish retailers warned that rents would rise again next year.",
     "rents would rise", "The Federation of Scottish retailers", "reported"),
    # "He said" right after a sentence whose subject is a person described, not named: that person's words
    ("Councillor Peter Hale backed the plan. But a spokesman for the county council opposed it. He said: "
     "\"The road will cost too much.\"", "The road will cost", "a spokesman for the county council", "quoted"),
])
def test_who_says_it(text: str, phrase: str, speaker: str, how: str) -> None:
    said_by, said_how = speaker_of(text, phrase)
    assert same_speaker(said_by, speaker) and said_how == how, (said_by, said_how)


def test_the_shared_case_of_many_speakers() -> None:
    text = QUOTES.read_text("utf-8")
    assert speaker_of(text, "We cannot afford to wait") == ("Anna Lindqvist", "quoted")
    assert speaker_of(text, "nobody has explained why") == ("Peter Hale", "quoted")
    assert speaker_of(text, "the dredging will destroy") == ("James Moreau", "reported")
    assert speaker_of(text, "it will take at least five")[0] == "Peter Hale"  # "Hale claims …": the fullest name


def marks_at(text: str, phrase: str, kind: str) -> list[str]:
    start = text.index(phrase)
    return [m.value for m in read(text).marks if m.kind == kind and start <= m.start < start + len(phrase)]


def test_pronouns_resolve_to_the_person_who_agrees() -> None:
    text = PRONOUNS.read_text("utf-8")
    assert marks_at(text, "She defeated the incumbent", REFERS) == ["Maria Okafor"]
    assert marks_at(text, "He, by contrast", REFERS) == ["Tomas Berg"]  # the subject before is a "she"
    assert marks_at(text, "He said the bridge", REFERS) == ["Tomas Berg"]
    assert marks_at(text, "She will take office", SUBJECT) == ["Maria Okafor"]
    assert marks_at(text, "His party lost", REFERS) == ["Tomas Berg"]


def test_a_pronoun_subject_after_an_opening_phrase() -> None:
    text = "Maria Okafor entered politics late. But in 1998, she won Eastfield, a new seat in the north."
    assert marks_at(text, "But in 1998, she won", SUBJECT) == ["Maria Okafor"]


def test_a_pronoun_that_belongs_to_a_common_noun_stands_for_no_one() -> None:
    text = "Norman Cook played for hours. One man died, and a woman fell to her death during the party."
    assert marks_at(text, "fell to her death", REFERS) == []


def test_a_pronoun_in_someone_s_quoted_words_is_not_them() -> None:
    text = ('Anna Berg finished fourth in the race. "Athletes need to stay focused," explains coach Tom Reid. '
            '"She must not get caught up in someone else\'s agenda." Reid also points out the weather was bad. '
            '"The heat was the main factor that tripped her up in Athens," he said.')
    assert marks_at(text, "She must not", REFERS) == ["Anna Berg"]  # Reid's words: not Reid
    assert marks_at(text, "tripped her up", REFERS) == ["Anna Berg"]
    # a sentence-initial surname the tagger reads as a plural noun is still the coach
    assert marks_at(text, "Reid also points out", SUBJECT) == ["Tom Reid"]
    assert marks_at(text, "he said", REFERS) == ["Tom Reid"]  # Reid never became a "she"


def test_a_pronoun_a_speaker_s_clause_holds_teaches_nothing_of_the_speaker() -> None:
    text = ("Anna Berg ran badly in Athens. Coach Tom Reid says she must rest. "
            "Reid also points out that the course was hard. \"It was too hot,\" he said.")
    assert marks_at(text, "he said", REFERS) == ["Tom Reid"]  # "Reid says she …" did not make Reid a woman


def test_a_pronoun_that_belongs_to_a_description_stands_for_no_one() -> None:
    text = "Anna Berg ran. Coach Tom Reid says the 30-year-old must draw on her past achievements."
    assert marks_at(text, "her past", REFERS) == []


@pytest.mark.parametrize(("text", "phrase", "meant"), [
    # the subject before is a person described, not named: "he" is them, not the last man named
    ("Councillor Peter Hale backed the plan. But a spokesman for the county council opposed it. He said: "
     "\"The road will cost too much.\"", "He said", "a spokesman for the county council"),
    # the same sentence: "she" is the fan who says it
    ("Tom Reid left the band in 1999. A fan says she saw him in Lisbon.", "she saw", "A fan"),
    # a "she" skips a man described ("a spokesman") and reaches the woman named before
    ("Anna Berg ran badly. A spokesman for the club declined to comment. She said she would race again.",
     "She said", "Anna Berg"),
    # a thing described is nobody: "he" goes back to the person named
    ("Tom Reid wrote the report. The committee rejected it. He said he was disappointed.", "He said", "Tom Reid"),
    # a person described is only the next sentence's "he", not one further on
    ("Tom Reid wrote the report. A clerk filed it. The report was long. He said it took a year.", "He said",
     "Tom Reid"),
])
def test_a_pronoun_may_stand_for_a_person_described_not_named(text: str, phrase: str, meant: str) -> None:
    assert marks_at(text, phrase, REFERS) == [meant]


def test_two_names_of_one_person() -> None:
    text = "DJ Norman Cook - aka Fatboy Slim - has said that dance music is not dead."
    assert sorted(marks_at(text, "Norman Cook - aka Fatboy Slim", ALIAS)) == ["Fatboy Slim", "Norman Cook"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Cook", "Norman Cook", True), ("Mr Howard", "Michael Howard", True), ("al-Khazali", "Qais al-Khasali", True),
    ("Muqtada Sadr", "Muhammad Sadr", False), ("Anna Lindqvist", "Peter Hale", False),
])
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


@pytest.mark.parametrize(("question", "speaker"), [
    ("What did Muqtada Sadr reply to al-Khazali?", "Muqtada Sadr"),  # the parser calls "reply" a noun here
    ("Which oil consultant said Iraq's economy is making the rich richer?", None),  # asks who: names no one
    ("What did Liberal Democrat spokesman Mark Oaten warn the committee about?", "Mark Oaten"),
    ("Who says that Iran asked them to wait?", None),  # the speaker asked about is the answer, not Iran
])
def test_the_speaker_a_question_asks_about(question: str, speaker: str | None) -> None:
    assert asked_speaker(question) == speaker


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Muqtada Sadr replied that the talks were over.", "Muqtada Sadr"),
    ("The author concludes that he wants an agreement.", AUTHOR),
    ("Many people concluded that he had taken his own life.", None),  # described, not named: nothing to check
    ("Polling staff can tell whether someone has voted.", None),  # "can tell" is not speech
    # "…, saying …": the participle's words are the subject's
    ("Peter Hale defended the plan, saying the road would pay for itself.", "Peter Hale"),
    ("Saying nothing, Peter Hale left the room.", None),  # a participle before the verb reports no words
])
def test_the_speaker_an_answer_names(sentence: str, speaker: str | None) -> None:
    assert answer_speaker(sentence) == speaker


@pytest.mark.parametrize(("question", "topic"), [
    ("What did the treasurer say about housing?", "housing"),
    ("What did Mark Oaten warn the committee about murder sentencing?", "murder sentencing"),
    ("How old is the treasurer?", None),
])
def test_the_topic_a_question_asks_someone_about(question: str, topic: str | None) -> None:
    assert claims.topic_of(question) == topic


@pytest.mark.parametrize(("question", "asks"), [
    ("What was the name of the coach's mother?", True),
    ("What is the band called?", True),
    ("Where was the coach's mother born?", False),
    ("Which band was he named after?", True),
    # the question word does the calling: it asks who called something so, not what it is called
    ("Who called the council's plan reckless?", False),
    ("Which minister called the proposal absolutely disgraceful?", False),
])
def test_a_question_that_asks_for_a_name(question: str, asks: bool) -> None:
    assert claims.asks_for_name(question) is asks


def test_the_question_s_main_predicate_not_a_clause_inside_it() -> None:
    assert "finished" not in claims.predicate_words(
        "Which category have the Brits scrapped, prompting talk that dance music is finished?")
    assert "born" in claims.predicate_words("In which city was Ayatollah Kazimi al-Haeri born?")


def quoted(text: str) -> SourceSpan:
    """The whole text as a quote, with the marks read from it at ingest."""
    return SourceSpan("corpus/a.txt", "A", 0, len(text), text, marks=read(text).marks)


@pytest.mark.parametrize(("question", "answer", "quote", "passes"), [
    ("How old is Liz Yelling?", "Liz Yelling is 30 years old.",  # "the 30-year-old" is Radcliffe, not Yelling
     "Radcliffe's best friend Liz Yelling revealed the 30-year-old is already aware of the risks.", False),
    ("How old is Paula Radcliffe?", "Paula Radcliffe is 30.", "Paula Radcliffe, 30, will run in New York.", True),
    ("How old is Radcliffe?", "Radcliffe is 30.", "The 30-year-old Radcliffe will run in New York on Sunday.", True),
    ("How old is Al-Khazali?", "Al-Khazali is 47 years old.",  # the "he" read at ingest as al-Khazali
     "Al-Khazali was born in Sadr City, and he is 47 years old now.", True),
    ("How old is Muqtada Sadr?", "Muqtada Sadr is 47.", "Al-Khazali was born in Sadr City, and he is 47 years old now.",
     False),
    ("How old was Ann Lee when she died?", "Ann Lee was 15.",  # a number said of her killer, not of her
     "In May Ann Lee's killer, Tom Ray, admitted her murder and was jailed for at least 15 years.", False),
    ("How old is Tom Ray?", "Tom Ray is 44.", "Ann Lee's killer, Tom Ray, 44, admitted her murder.", True),
    ("How old was Amanda Champion when she was murdered by James Ford?", "Amanda Champion was 15.",  # tagged ORG
     "In July Amanda Champion's killer, James Ford, pleaded guilty and was jailed for at least 15 years.", False),
    # "its exposure": a possessive never read at ingest may be the company asked about
    ("How much does Munich Re expect to pay?", "Munich Re expects to pay less than 100m euros.",
     "Munich Re, the largest reinsurer, said that its exposure is less than 100m euros.", True),
])
def test_a_number_is_bound_to_whom_the_question_asks_about(question: str, answer: str, quote: str,
                                                          passes: bool) -> None:
    assert policy.number_bound(question, answer, [quoted(quote)]).passed is passes


MAYORS = ("Maria Okafor won the mayoral election in Lindenfeld last Sunday. She defeated the incumbent, Tomas Berg, "
          "by about 3,000 votes. She was born in Lagos in 1979. He, by contrast, has lived in the town all his life. "
          "He had been mayor for twelve years.")


def sentence_spans(text: str) -> list[SourceSpan]:
    """Each sentence of a text as a quote, with the marks read from the whole text at ingest."""
    marks = read(text).marks
    spans = []
    for sentence in split_sentences(text):
        mine = tuple(m for m in marks if sentence.start <= m.start < sentence.end)
        spans.append(SourceSpan("corpus/a.txt", "A", sentence.start, sentence.end, text[sentence.start:sentence.end],
                                marks=mine))
    return spans


@pytest.mark.parametrize(("answer", "cited", "passes"), [
    # "He" is Tomas Berg: what the quote says is said of him, though another quote names her
    ("Maria Okafor had been mayor for twelve years.", [0, 4], False),
    ("Tomas Berg had been mayor for twelve years.", [4], True),
    ("Maria Okafor was born in Lagos in 1979.", [0, 2], True),  # "She" is Maria Okafor
    ("Maria Okafor defeated Tomas Berg.", [1], True),
])
def test_what_a_quote_says_of_he_or_she_binds_the_answer_s_subject(answer: str, cited: list[int],
                                                                   passes: bool) -> None:
    spans = sentence_spans(MAYORS)
    assert policy.subject_bound(answer, [spans[i] for i in cited]).passed is passes


def test_a_pronoun_sentence_supports_an_answer_that_names_whom_it_means(embedder: MiniLMEmbedder) -> None:
    """"She defeated the incumbent, Tomas Berg" holds "Maria Okafor" (read at ingest): it is the best support for
    "Maria Okafor defeated Tomas Berg", above the sentence that names her but says something else."""
    spans = sentence_spans(MAYORS)
    scores = SupportScorer(embedder).scores("Maria Okafor defeated Tomas Berg.", spans, "Who defeated Tomas Berg?")
    assert int(scores.argmax()) == 1


def test_a_description_is_the_article_s_main_person() -> None:
    """"The 30-year-old" in a story about Radcliffe is Radcliffe: her age is stated, Yelling's is not."""
    quote = quoted("Radcliffe's best friend Liz Yelling revealed the 30-year-old is already aware of the risks.")
    asked = "How old is Paula Radcliffe?"
    assert policy.number_bound(asked, "Paula Radcliffe is 30.", [quote], most_named="Paula Radcliffe").passed
    assert not policy.number_bound("How old is Liz Yelling?", "Liz Yelling is 30.", [quote],
                                   most_named="Paula Radcliffe").passed


def test_an_unchanged_article_is_not_read_again(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Re-ingesting an unchanged corpus keeps the stored chunks as read at ingest (no second parse); an edited
    article is read again."""
    engine = engine_over(tmp_path, {"a.txt": "Maria Okafor won. She said the vote was fair.",
                                    "b.txt": "Tom Reyes lost. He said nothing."}, embedder)
    reading._read.cache_clear()
    report = engine.ingest()
    assert (report.added, report.unchanged, reading._read.cache_info().misses) == (0, 2, 0)
    (tmp_path / "corpus" / "b.txt").write_text("Tom Reyes lost. He said the count was wrong.", encoding="utf-8")
    report = engine.ingest()
    assert report.added == 1 and reading._read.cache_info().misses == 1  # b.txt only


@pytest.mark.parametrize(("question", "sentence", "given"), [
    ("What is the real name of the DJ known as Fatboy Slim?",  # "aka": each name given as the other
     "DJ Norman Cook - aka Fatboy Slim - has said that dance music is not dead.", ["Norman Cook"]),
    ("What is the real name of the DJ known as Fatboy Slim?", "The real name of Fatboy Slim is Norman Cook.",
     ["Norman Cook"]),
    ("What is the name of the coach's mother?", "His mother was a schoolteacher from Leeds.", []),
])
def test_a_name_is_given_as_the_thing_asked(question: str, sentence: str, given: list[str]) -> None:
    assert claims.names_new(question, sentence) == given
    assert policy.gives_a_name(question, sentence, [sentence]).passed is bool(given)


@pytest.mark.parametrize(("words", "quote", "asked"), [
    ("commander ordered accept results", "When the reporter asks if it is true that the commander ordered them to "
     "accept the results, he says no.", True),
    ("commander ordered accept results", "The reporter says the commander ordered them to accept the results.", False),
    ("bridge cost", "Will the bridge cost too much? Nobody knows.", True),  # a question in the text
    ("bridge cost", "She wondered whether the bridge would cost too much.", True),
])
def test_what_a_quote_only_asks(words: str, quote: str, asked: bool) -> None:
    assert claims.only_asked(claims.content_words(words), quote) is asked


@pytest.mark.parametrize(("name", "quote", "claim", "named"), [
    ("World Bank", "Early estimates from the World Bank put the cost at $5bn.", "estimates put cost 5bn", True),
    ("Qais al-Khasali", "These statements of Qais al-Khasali are new, but it is still soon to say he can ignore "
     "Iran's orders.", "still soon say ignore Iran orders", False),
])
def test_a_name_with_the_claim_or_in_another_clause(name: str, quote: str, claim: str, named: bool) -> None:
    """A name the quote holds is the claim's source only in the clause that holds the claim."""
    assert claims.named_with_claim(name, quote, claims.content_words(claim)) is named
