"""The answer policy's rules, table by table: each rule on the cases it must catch and on the look-alikes it
must let through (an answerable question refused costs a second; a rule that fires on right answers
would make the engine abstain on everything). No model: these are the checks that need none."""

from __future__ import annotations

import pytest

from rag import claims, policy
from rag.fitted import fitted
from rag.prompts import DEFAULT
from rag.spans import SourceSpan
from rag.speakers import AUTHOR, Voice

AGE = "Al-Khazali was born in Sadr City, and he is 47 years old now."
SCHOOL = "He was a student at Mohammed Sadr School and was one of the leaders of the Mehdi corps."
QOM = "who is also from Iraq but lives in Qom"
POWER = "“Muqtada Sadr has got all the power”"
SOFT = "This soft talking is a message to lessen conflicts rather than enlarging them."
STALLMAN = "According to Richard Stallman, 1.6.1 is not GPL-compatible, because its license has a choice of law clause."


def span(text: str, speaker: str = AUTHOR, how: str = "author") -> SourceSpan:
    return SourceSpan("corpus/a.txt", "A", 0, len(text), text, voices=(Voice(0, len(text), speaker, how),))


@pytest.mark.parametrize(("question", "sentence", "passes"), [
    ("Where was al-Khazali born?", "Al-Khazali was born in Sadr City.", True),
    ("Is he 47?", "Yes.", True),  # yes/no answers may add nothing but the verdict
    ("Where was al-Khazali born?", "Al-Khazali was born.", False),
    ("Who points out that Iran asked them to wait?", "The author points out that Iran asked them to wait.", True),
    ("Who says the author is wrong?", "The author says the author is wrong.", False),  # the author was asked about
    ("What is the name of the BBC journalist who interviewed him?",
     "The BBC journalist who interviewed Qais al-Khazali is BBC.", False),  # the name asked for is the question's
    ("What is the name of al-Khazali's son?", "The name of al-Khazali's son is Qais al-Khazali.", False),
    ("What is the name of al-Khazali's son?", "His son is called Ali.", True),
    ("What title does he place before Muqtada Sadr's name?", "He places Saeed in front of Sadr's name.", True),
])
def test_adds_something(question: str, sentence: str, passes: bool) -> None:
    assert policy.adds_something(question, sentence).passed is passes


@pytest.mark.parametrize(("question", "sentence", "quote", "passes", "reason"), [
    ("In what year was al-Khazali born?", "Al-Khazali was born in Sadr City in 1963.", AGE, False, "1963"),
    ("Which university did al-Khazali study at?", "He studied at Sadr City University.", AGE, False, "University"),
    ("How old is Qais al-Khazali?", "He is 47 years old.", AGE, True, ""),
    ("How many times does he call Sadr brother?", "He calls him brother three times.",
     "calls him brother three times", True, ""),  # number words count as what they say
    ("What did he say about Sadr?", "He said Muqtada Sadr has got all the power.", POWER, True, ""),
    ("Who gave him authorization?", "Iranian officials gave it.", "one of the previous Iran officials", True, ""),
])
def test_facts_in_quote(question: str, sentence: str, quote: str, passes: bool, reason: str) -> None:
    check = policy.facts_in_quote(question, sentence, [quote])
    assert check.passed is passes and reason in check.reason


@pytest.mark.parametrize(("speakers", "passes"), [
    (["Qais al-Khazali"], True),  # who says the quote is part of the evidence
    ([AUTHOR], False),
    (["Richard Stallman"], False),
])
def test_facts_in_quote_counts_who_says_the_quote(speakers: list[str], passes: bool) -> None:
    check = policy.facts_in_quote("Who thanks Iran for its help?", "Qais al-Khazali thanks Iran for its help.",
                                  ["We thank Iran for the help and funds since 2003"], speakers)
    assert check.passed is passes


REVENGE = "What has been done as revenge for Qassim Sulaimani and Abu Mehdi al-Muhandis was not big"
FULL_POWER = ("Maybe one of the reasons that they underestimated Sadr at the beginning was that they though Iran "
              "would support them with full power")


@pytest.mark.parametrize(("question", "quote", "passes"), [
    ("Who says the revenge for Sulaimani was not big?", REVENGE, True),
    ("Who says the revenge for Sulaimani was big?", REVENGE, False),  # the quote says the opposite
    ("Who says that their decisions in Iraq are related to Iran?", "“our decisions in Iraq is not related to Iran”",
     False),
    ("Who claims that Iran supported them with full power?", FULL_POWER, False),  # only a maybe
    ("Who thanks Iran for its help and funds?", "We thank Iran for the help and funds since 2003", True),
    ("What does al-Khazali say about the revenge?", "It was big.", True),  # not a who-says question
])
def test_states_as_asked(question: str, quote: str, passes: bool) -> None:
    assert policy.states_as_asked(question, [quote]).passed is passes


@pytest.mark.parametrize(("question", "sentence", "quote", "passes"), [
    ("In what year was al-Khazali born?", "He was born in Sadr City.", AGE, False),
    ("In what year was al-Khazali born?", "He was born in 1974.", "He was born in 1974.", True),
    ("On what date was the interview broadcast?", "It was broadcast in the past few days.",
     "In the past few days, he had an interview", False),
    ("When did he start leading the resistance?", "Since 2020.", "Since 2020, he is known as a leader", True),
    ("How many seats did AAH win?", "It won seats in 2021.", "It won seats in 2021.", False),  # a year is no count
    ("How many minutes did the interview last?", "24 minutes.", "the 24 minutes of the interview", True),
    ("Where was he born?", "In Sadr City.", AGE, True),  # no checkable type: the rule says nothing
    ("Why did al-Khazali break away from Muqtada Sadr?", "Because he chose a different path.",
     "he got unlinked from Muqtada Sadr and chose a different path of his own", False),  # no reason given
    ("Why is he staying in Baghdad now?", "The situation is sensitive.",
     "now, because the situation is sensitive, I stay in Baghdad", True),
    ("Why was the PSF formed?", "To own Python-related Intellectual Property.",  # a purpose is a reason
     "the PSF was formed, a non-profit organization created specifically to own Python-related Intellectual "
     "Property", True),
    ("Why was the PSF formed?", "It was formed in 2001.", "In 2001, the PSF was formed", False),
    # a reason given after a dash, with no reason word: the answer's reason is the words after it
    ("Why are there no Commons papers older than 1834?", "Because they were wiped out by the fire of 1834.",
     "Records for the Commons only date back to 1834 - anything earlier was wiped out by the fire of 1834.", True),
    # the answer's reason words are in the quote, but joined by "and", not given as a reason
    ("Why did al-Khazali break away from Muqtada Sadr?", "He broke away because he chose a different path of his own.",
     "he got unlinked from Muqtada Sadr and chose a different path of his own", False),
    ("Why did the government back down?", "Because the plan was seen as a sell-off.",  # the next sentence's reason
     "\"It is seen as a sell-off,\" she says. Consequently, the government has been forced to back down.", True),
])
def test_answers_type(question: str, sentence: str, quote: str, passes: bool) -> None:
    assert policy.answers_type(question, sentence, [quote]).passed is passes


@pytest.mark.parametrize(("question", "sentence", "passes"), [
    ("Who claims to have received Sharia authorization from Muhammad Shahroudi?",
     "He claims to have received Sharia authorization from Muhammad Shahroudi.", False),  # "he" is no one
    ("Who states that Iran has the right to give advice?", "They state that Iran has the right to advise.", False),
    ("Who claims to have received Sharia authorization?", "Al-Khazali claims to have received it.", True),
    ("Who claims to have received Sharia authorization?", "He, al-Khazali, claims so.", True),  # a new name
    ("Who says the analysis was wrong?", "He is the author of the article.", True),  # "the author" is someone
    ("Who does he say wants to stir up conflict?", "He says outsider parties do.", True),  # who is the object
    ("Whose house hosted the meeting?", "His house did.", True),  # not a who-question: no rule here
    ("Where was he born?", "He was born in Sadr City.", True),
    ("According to the author, who might know Muqtada Sadr best?",  # "Therefore, he" is still no one
     "Therefore, he might be one of those people who know Muqtada Sadr the best.", False),
    ("According to the author, who might know Muqtada Sadr best?", "Therefore, al-Khazali might.", True),
    ("According to the author, who might know Muqtada Sadr best?",  # the question's frame names no one either
     "According to the author, he might be one of those people who know Muqtada Sadr the best.", False),
    ("Who continued the work on Python?", "In 1995, he continued the work on Python.", False),
    ("Who continued the work on Python?", "In 1995, Guido continued the work on Python.", True),
    # a frame about the article names no one either
    ("Who was born in Lagos?", "The article states that she was born in Lagos in 1979.", False),
    ("Who was born in Lagos?", "The article states that Maria Okafor was born in Lagos.", True),
])
def test_names_someone(question: str, sentence: str, passes: bool) -> None:
    assert policy.names_someone(question, sentence).passed is passes


@pytest.mark.parametrize(("question", "sentence", "quote", "passes"), [
    ("Did the meeting produce a result?", "Yes, the meeting produced a result.",
     "this matter has been discussed with Sadr, but it has no outcome yet", False),
    ("Did the meeting produce a result?", "No, it has no outcome yet.",
     "this matter has been discussed with Sadr, but it has no outcome yet", True),
    ("Do I have to make my changes open source?", "Yes, you must make them open source.",
     "let you distribute a modified version without making your changes open source", False),
    ("Does he think an agreement is still possible?", "Yes.", "there is the possibility of the agreement", True),
    ("Does he think an agreement is still possible?", "No.", "there is the possibility of the agreement", False),
    ("Where was he born?", "No idea where, but Sadr City is named.", AGE, True),  # not a yes/no question
    ("Can al-Khazali ignore Iran's orders?", "Yes, he can ignore them.",
     "it is still soon to say Khasali can ignore Iran’s orders", False),  # hedged: only maybe
    ("If I distribute a modified Python, do I have to make my changes open source?",  # a yes/no after a condition
     "Yes, if you distribute a modified Python, you must make your changes open source.",
     "let you distribute a modified version without making your changes open source", False),
    ("If US federal law doesn't apply, which state's law governs?", "No state's law.",
     "by the law of the Commonwealth of Virginia", True),  # not a yes/no question: no verdict to check
])
def test_verdict_matches_quote(question: str, sentence: str, quote: str, passes: bool) -> None:
    assert policy.verdict_matches_quote(question, sentence, [quote]).passed is passes


@pytest.mark.parametrize(("question", "sentence", "quote", "passes"), [
    ("What did Muqtada Sadr reply to al-Khazali?", "Sadr replied that he has all the power.",
     span(POWER, "Qais al-Khazali", "quoted"), False),
    ("What does al-Khazali say Muqtada Sadr has got?", "All the power.",
     span(POWER, "Qais al-Khazali", "quoted"), True),
    ("What does the author conclude?", "That he seeks an agreement.", span(SOFT), True),
    ("Which option does the author consider the most preferable?", "A boycott.",
     span("we either perform boycott, which is the most preferable option", "Qais al-Khazali", "quoted"), False),
    ("Who holds that 1.6.1 is not GPL-compatible?", "Richard Stallman.",
     span(STALLMAN, "Richard Stallman", "reported"), True),
    ("Who holds that 1.6.1 is not GPL-compatible?", "The PSF holds it.", span(STALLMAN, "Richard Stallman", "reported"),
     False),
    ("According to the PSF, why is 1.6.1 not GPL-compatible?", "Because of a choice of law clause.",
     span(STALLMAN, "Richard Stallman", "reported"), False),
    ("Who thanks Iran for its help?", "Qais al-Khazali thanks Iran for its help.",
     span("We thank Iran for the help", "Qais al-Khazali", "quoted"), True),  # Iran is asked about, not a speaker
    ("Who thanks Iran for its help?", "The author thanks Iran for its help.",
     span("We thank Iran for the help", "Qais al-Khazali", "quoted"), False),
    ("Who points out that Iran asked them to wait?", "The author points out that Iran asked them to wait.",
     span("They asked us to stop at first until Iran responds"), True),
])
def test_speaker_matches(question: str, sentence: str, quote: SourceSpan, passes: bool) -> None:
    assert policy.speaker_matches(question, sentence, [quote]).passed is passes


@pytest.mark.parametrize(("question", "quote", "passes"), [
    ("Where does the author live?", span(QOM, "Qais al-Khazali", "reported"), False),
    ("How old is the author?", span(AGE), False),  # the author's sentence, but about al-Khazali
    ("What does the author set out to analyze?", span("I will analyze al-Khazali words"), True),
    ("Where does the author stay?", span("I stay in Najaf mostly"), True),
])
def test_about_the_author(question: str, quote: SourceSpan, passes: bool) -> None:
    assert policy.about_the_author(question, [quote]).passed is passes


PASSAGE = f"{AGE} {SCHOOL} Therefore, he might be one of those people who know Muqtada Sadr the best."
CONFLICT = "It is clearly seen that he wants to control the conflicts with Sadr."


@pytest.mark.parametrize(("question", "sentences", "passage", "passes"), [
    ("How old is Muqtada Sadr?", [AGE], PASSAGE, False),  # the sentence is about Al-Khazali; Sadr City ≠ Sadr
    ("Where was Muqtada Sadr born?", ["I will analyze al-Khazali words.", AGE], PASSAGE, False),
    ("How old is Qais al-Khazali?", [AGE], PASSAGE, True),  # "Al-Khazali" is Qais al-Khazali
    ("Which school did al-Khazali attend?", [AGE, SCHOOL], PASSAGE, True),  # "He …", named the sentence before
    ("According to the author, what is al-Khazali's soft talk about Sadr meant to do?", [SOFT],
     f"{CONFLICT} {SOFT}", True),  # no name of its own: the passage (and who speaks in it) say who
    ("What position did Abu Mehdi al-Muhandis hold?", [AGE, SCHOOL], PASSAGE, False),
    ("Which official did al-Khazali meet in Tehran?", [SCHOOL], PASSAGE, False),
    ("Where did Guido work in 1995?", ["In 1995, Guido continued his work at CNRI."], "", True),
    ("Where did Tim Peters work in 1995?", ["In 1995, Guido continued his work at CNRI."], "", False),
    ("Where did van Rossum work in 1995?", ["In 1995, Guido continued his work at CNRI."],
     "Python was created by Guido van Rossum. In 1995, Guido continued his work at CNRI.", True),
    ("Where did van Rossum work in 1995?", ["In 1995, Guido continued his work at CNRI."],
     "Python was created by Guido Smith. In 1995, Guido continued his work at CNRI.", False),  # another Guido
    ("If US federal law doesn't apply, which law governs?", ["U.S. federal law does not apply here."], "", True),
    # what a "which" asks for is the answer, not a name the quote must hold (dev pp-019)
    ("Which URL hosts the logo graphics?", ["http://www.pythonlabs.com/logos.html may be used as permitted."], "",
     True),
    ("Which Iraqi-born ayatollah lives in Qom?", ["Ayatollah Kazimi al-Haeri, who is from Iraq, lives in Qom."], "",
     True),  # a nationality joined to an adjective describes the one asked for
    ("Which Iraqi-born ayatollah lives in Qom?", ["Ayatollah Kazimi al-Haeri lives in Najaf."], "", False),  # Qom
])
def test_entities_bound(question: str, sentences: list[str], passage: str, passes: bool) -> None:
    speakers = ["Qais al-Khazali"] if passage else []  # the passage's "he states" / "he says"
    assert policy.entities_bound(question, sentences, passage, passage_speakers=speakers).passed is passes


GUIDO = "In 1995, Guido continued his work at CNRI."


@pytest.mark.parametrize(("question", "article_names", "passes"), [
    ("Where did van Rossum work in 1995?", ("Guido van Rossum", "Python Software Foundation"), True),
    ("Where did van Rossum work in 1995?", (), False),  # nothing says who this Guido is
    ("Where did van Rossum work in 1995?", ("Guido van Rossum", "Guido Smith"), False),  # two Guidos: neither
])
def test_a_first_name_meets_the_articles_whole_name_when_it_holds_only_one(
        question: str, article_names: tuple[str, ...], passes: bool) -> None:
    passage = f"Zope Corporation was a sponsoring member of the PSF. {GUIDO}"  # the whole name is in another chunk
    assert policy.entities_bound(question, [GUIDO], passage, article_names=article_names).passed is passes


@pytest.mark.parametrize(("question", "quote", "passes"), [
    ("In which city was Ayatollah Kazimi al-Haeri born?", QOM, False),  # lives there: no birthplace
    ("In which city does Ayatollah Kazimi al-Haeri live?", QOM, True),
    ("In which city does Ayatollah Kazimi al-Haeri reside?", QOM, True),  # another word for the same relation
    ("Where was Ayatollah Kazimi al-Haeri educated?", QOM, False),
    ("Where was al-Khazali born?", AGE, True),
    ("Which BBC presenter conducted the interview?", "Al-Khazali had an engaging interview with BBC.", False),
    ("Who heads the office for the Iraq dossier?", "Kazimi al-Haeri, who is also from Iraq but lives in Qom", False),
    ("Who leads Asaib Ahl al-Haq?", "Qais al-Khazali, leader of Asaib Ahl al-Haq (AAH)", True),  # leads ~ leader
    ("When was the Python Software Foundation founded?", "In 2001, the Python Software Foundation was formed.",
     True),
    ("Who founded Zope Corporation?", "The PythonLabs team moved to Digital Creations, which became Zope.", False),
    ("How did Iran react to Halbusi's election?", "It is their choice to congrats Halbusi's election or not.", False),
    ("How did he respond to the question?", "“Our decisions in Iraq are not related to Iran”, he says.", True),
    ("In what year did the ISIS battle end?", "They helped us since 2003 until the ISIS battle.", False),
    ("When did the talks end?", "The talks ended in 2021.", True),
    ("What does he want?", "He wants to control the conflicts.", True),  # no relation asked: nothing to check
    ("Where can the license be found?", "The license is in the LICENSE file.", True),  # "found" as in "find"
])
def test_relation_stated(question: str, quote: str, passes: bool) -> None:
    check = policy.relation_stated(question, [quote])
    assert check.passed is passes, check.reason
    assert passes or "the quote does not state what the question asks" in check.reason


def test_asked_type_reads_the_question() -> None:
    assert [claims.asked_type(q) for q in ("In what year was he born?", "What date was it?", "When did it end?",
                                           "How many seats?", "How old is he?", "Who is he?")] == \
        ["year", "date", "time", "quantity", "quantity", None]
    assert claims.asked_type("Why did he leave?") == "reason" and claims.asked_type("In which month?") == "month"


def test_confidence_is_monotone_in_each_signal_and_judge_skips_the_probe_when_a_rule_fails() -> None:
    low = {"llm_yes": 0.3, "gen_min": 0.3, "support": 0.6, "coverage": 0.5, "relevance": 0.5}
    for key in low:
        assert policy.confidence({**low, key: 0.95}, fitted().llm) >= policy.confidence(low, fitted().llm)
    called: list[int] = []

    def probe() -> float:
        called.append(1)
        return 0.99

    evidence = claims.Evidence([span(AGE)], [AGE], PASSAGE)
    failed = policy.judge("In what year was al-Khazali born?", "He was born in 1963.", evidence,
                          {"support": 0.9, "coverage": 1.0, "relevance": 0.9}, probe, 0.7)
    assert failed.failed and failed.confidence == 0.0 and not called
    passed = policy.judge("How old is Qais al-Khazali?", "He is 47 years old.", evidence,
                          {"support": 0.9, "coverage": 1.0, "relevance": 0.9}, probe, 0.7)
    assert called and passed.signals["llm_yes"] == 0.99


@pytest.mark.parametrize(("verified", "relevant", "declined", "expected"), [
    ([True], True, False, "answered"),
    ([True, False], True, False, "answered"),  # the second sentence is withdrawn, the first stands
    ([False, True], True, False, "answered"),
    ([False], True, False, "abstained"),
    ([], False, False, "refused"),
    ([], True, True, "refused"),
])
def test_outcome(verified: list[bool], relevant: bool, declined: bool, expected: str) -> None:
    assert policy.outcome(verified, relevant, declined) == expected


def test_declined_reads_the_first_sentence_only() -> None:
    says = DEFAULT.says_cannot_answer
    assert policy.declined(["The article does not say how many children he has."], says)
    assert policy.declined([], says)
    assert not policy.declined(["He is 47.", "The article does not say when he was born."], says)
    assert policy.declined(["The author does not provide any information about his ability to ignore Iran."], says)
    assert policy.declined(["The excerpts do not mention his age."], says)
    assert not policy.declined(["The author does not believe Iran controls them."], says)  # the author's view


def test_a_sentence_right_after_someone_speaks_may_still_be_theirs() -> None:
    option = span("However, the option that has to be chosen is either (Muqawama) gives up the weapons")
    question = "What choice does al-Khazali say the Muqawama faces about its weapons?"
    assert policy.speaker_matches(question, "Give up the weapons.", [option], before=["Qais al-Khazali"]).passed
    assert not policy.speaker_matches(question, "Give up the weapons.", [option]).passed
    quoted = span(POWER, "Qais al-Khazali", "quoted")  # attributed to someone: the sentence before cannot change it
    assert not policy.speaker_matches("What did the reporter say?", "All the power.", [quoted], ["the reporter"]).passed


def test_relevant_context_gate() -> None:
    assert policy.relevant_context(0.5, True, 0.2).passed
    assert not policy.relevant_context(0.1, True, 0.2).passed  # off-topic: refused before any generation
    assert not policy.relevant_context(0.9, False, 0.2).passed  # nothing quotable retrieved


@pytest.mark.parametrize(("speaker", "role", "text", "described"), [
    ("James Moreau", "the fisherman", "According to James Moreau, a local fisherman, the dredging will …", True),
    ("James Moreau", "the fisherman", "Local fisherman James Moreau says the dredging will …", True),
    ("James Moreau", "the mayor", "According to James Moreau, a local fisherman, the dredging will …", False),
    ("James Moreau", "Peter Hale", "According to James Moreau, a local fisherman, …", False),  # a name, not a role
])
def test_a_speaker_described_by_the_role_a_question_names(speaker: str, role: str, text: str,
                                                           described: bool) -> None:
    assert policy.described_as(speaker, role, text) is described


def test_the_quote_that_states_the_claim_decides_whether_it_is_stated_as_asked() -> None:
    """A second quote cited beside the one that states the claim says something else, not its negation."""
    question = 'Who said "We cannot afford to wait"?'
    assert policy.states_as_asked(question, ['"This plan will bring jobs,"', '"We cannot afford to wait."']).passed
    assert not policy.states_as_asked("Who says the revenge was big?", ["what was done was not big"]).passed


@pytest.mark.parametrize(("question", "answer", "quote", "passes"), [
    # a quote that states another value is the "no" (before: "the answer says no, the quote says so")
    ("Is al-Khazali 57 years old?", "No, al-Khazali is 47 years old.", "he is 47 years old now", True),
    ("Was al-Khazali born in Najaf?", "No, he was born in Sadr City.", "Al-Khazali was born in Sadr City", True),
    # the value the question asks about is the quote's: "no" is wrong
    ("Is al-Khazali 47 years old?", "No, al-Khazali is 57 years old.", "he is 47 years old now", False),
    ("Was al-Khazali born in Sadr City?", "No, he was born in Najaf.", "Al-Khazali was born in Sadr City", False),
    # no other value given: still needs a quote that negates
    ("Did the meeting produce a result?", "No, it did not.", "the meeting went on for hours", False),
])
def test_a_no_is_proven_by_a_quote_that_states_another_value(question: str, answer: str, quote: str,
                                                             passes: bool) -> None:
    assert policy.verdict_matches_quote(question, answer, [quote]).passed is passes
    denied = policy.denied_by(question, answer, [quote])
    assert bool(denied) is (passes and "Najaf" in question)


def test_of_two_quotes_the_one_that_states_it_must_be_the_named_speakers() -> None:
    """One quote gives the name, the other the words: "…," said Jay Gelb. / "It's more likely …," said Paul
    Newsome. An answer that puts Newsome's words in Gelb's mouth cites both and names a speaker of one of them,
    but the words are the other's."""
    gelb = span('the Maldive Islands and Malaysia," said Prudential Equity Group insurance analyst Jay Gelb.',
                "Jay Gelb", "reported")
    newsome = span('It\'s more likely the Bermuda-based reinsurance [companies] might have some exposure," said Paul '
                   "Newsome, an insurance analyst at AG Edwards & Co.", "Paul Newsome", "reported")
    question = "What did Prudential analyst Jay Gelb say about Bermuda-based reinsurers' exposure?"
    wrong = "Jay Gelb said it's more likely the Bermuda-based reinsurance companies might have some exposure."
    check = policy.speaker_matches(question, wrong, [newsome, gelb])
    assert not check.passed and "said by Paul Newsome, not by Jay Gelb" in check.reason
    right = "Paul Newsome said it's more likely the Bermuda-based reinsurance companies might have some exposure."
    assert policy.speaker_matches("What did Paul Newsome say about Bermuda-based reinsurers?", right,
                                  [newsome, gelb]).passed


def test_words_reported_with_saying_are_the_subjects() -> None:
    """"X defended the plan, saying …" names X as the one who said it: the quote that states it must be X's (a
    made-up pair of the shape that put a spokesman's words in the committee chairman's mouth)."""
    chair = span("Mr Hale believes the council should reconsider its plans to reflect the town's wish for a bypass.",
                 "Peter Hale", "reported")
    spokesman = span("He said: \"The council sent a clear signal that it expects the bypass to be built first.\"",
                     "a spokesman for the county council", "quoted")
    question = "Who defended the plans, saying the council had sent a clear signal that the bypass comes first?"
    wrong = "Mr Hale defended the plans, saying the council had sent a clear signal that the bypass comes first."
    check = policy.speaker_matches(question, wrong, [chair, spokesman])
    assert not check.passed and "a spokesman for the county council" in check.reason
    right = ("A spokesman for the county council defended the plans, saying the council had sent a clear signal "
             "that the bypass comes first.")
    assert policy.speaker_matches(question, right, [chair, spokesman]).passed


@pytest.mark.parametrize(("question", "quote", "passes"), [
    ("What did Stallman's lawyer tell the PSF?",  # he told CNRI's lawyer: no answer to what he told the PSF
     "According to CNRI, however, Stallman's lawyer has told CNRI's lawyer that 1.6.1 is \"not incompatible\".", False),
    ("What did Mark Oaten warn the MPs' committee about?",
     "But Liberal Democrat spokesman Mark Oaten warned the MPs' committee that binding judges might look bad.", True),
    ("What did Mark Oaten say about judges?", "Binding judges might look like political interference.", True),
    # the verb of a clause that describes someone is not what the question asks
    ("What is the name of the woman who told Anne Alexander about medicines?", "One Iraqi woman spoke of it.", True),
])
def test_what_was_said_to_someone_is_answered_only_by_a_quote_that_names_them(question: str, quote: str,
                                                                             passes: bool) -> None:
    assert policy.addressee_bound(question, [quote]).passed is passes


@pytest.mark.parametrize(("p_yes", "verified"), [(0.37, False), (0.65, True), (0.95, True)])
def test_a_composed_answer_is_no_surer_than_the_model_that_its_quote_states_the_claim(p_yes: float,
                                                                                      verified: bool) -> None:
    """A high support must not outvote the model's "no" (held-back hq-a39: support 0.64, P(yes) 0.37 gave 0.73);
    over the model's yes/no line (0.5) the fitted weights decide."""
    said = '"The vote was fair and the count was honest," said Anna Berg.'
    evidence = claims.Evidence([span(said, "Anna Berg", "quoted")], [said], said)
    verdict = policy.judge("Who says that the vote was fair?", "Anna Berg says that the vote was fair.",
                           evidence, {"support": 0.95}, lambda: p_yes, 0.7, kind="composed")
    assert not [c for c in verdict.failed if c.name != "confident"]  # every rule passes: only the confidence decides
    assert (verdict.confidence <= p_yes or p_yes >= 0.5) and (not verdict.failed) is verified


@pytest.mark.parametrize(("p_yes", "confidence"), [(0.9, 0.9), (0.66, 0.66), (None, 0.0)])
def test_a_speakers_words_given_as_the_answer_are_as_sure_as_the_model_that_they_answer(
        p_yes: float | None, confidence: float) -> None:
    """No fitted weights: on the dev splits a wrong quote of the right speaker scored up to 0.76 on support,
    coverage and relevance (hq-a19), and the model's P(yes) that it answers the question up to 0.67; with no
    model (no probability) they are not shown as proven at all."""
    said = '"The vote was fair and the count was honest," said Anna Berg.'
    evidence = claims.Evidence([span(said, "Anna Berg", "quoted")], [said], said)
    verdict = policy.judge("What did Anna Berg say about the vote?", said, evidence,
                           {"support": 1.0, "coverage": 0.9, "relevance": 0.9}, lambda: p_yes, 0.7, kind="words")
    assert verdict.confidence == confidence and (not verdict.failed) is (confidence >= 0.7)


@pytest.mark.parametrize(("support", "p_yes", "verified"), [(0.21, 0.88, True), (0.31, 0.58, False),
                                                             (0.31, None, False), (0.6, 0.58, True)])
def test_a_composed_answer_below_the_support_line_is_no_surer_than_the_models_yes(
        support: float, p_yes: float | None, verified: bool) -> None:
    """Below the least support a quote needs to be cited (0.42 here), only the model's check of the claim vouches:
    dev nw-dis-10's right speaker (support 0.21, P(yes) 0.88) is shown, the Financial Times for the same claim
    (0.31, P(yes) 0.58, which the fitted weights put at 0.73) is not, nor anything without a model; above the
    line the fitted weights decide as before."""
    said = '"So many things are unclear, it is just too early to tell," said Anna Berg.'
    evidence = claims.Evidence([span(said, "Anna Berg", "quoted")], [said], said)
    verdict = policy.judge("Who said it was too soon to tell?", "Anna Berg said it was too soon to tell.", evidence,
                           {"support": support}, lambda: p_yes, 0.7, kind="composed", support_line=0.42)
    assert not [c for c in verdict.failed if c.name != "confident"]
    assert (not verdict.failed) is verified
    if support < 0.42:
        assert verdict.confidence <= (p_yes or 0.0)


INK = "It dries and is not visible under normal light."
THUMB = "The ink is sprayed on a person's left thumb."


@pytest.mark.parametrize(("sentence", "quote", "p_yes", "verified", "reason"), [
    # a yes is as sure as the model's own yes, and needs the fitted line (0.95): yn-ric-01's wrong yes had 0.79
    ("Yes, the ink is sprayed on a person's left thumb.", THUMB, 0.98, True, ""),
    ("Yes, the ink is sprayed on a person's left thumb.", THUMB, 0.79, False, "below the 0.95 a yes needs"),
    ("Yes, the ink is sprayed on a person's left thumb.", THUMB, None, False, "below the 0.95 a yes needs"),
    # a no the quote's parse denies: shown unless the model is sure of yes
    ("No: \u201cIt dries and is not visible under normal light.\u201d", INK, 0.76, True, ""),
    ("No: \u201cIt dries and is not visible under normal light.\u201d", INK, None, True, ""),
    ("No: \u201cIt dries and is not visible under normal light.\u201d", INK, 0.995, False, "reads the quote as yes"),
])
def test_a_yes_or_no_is_decided_by_the_models_own_answer_and_the_quotes_parse(
        sentence: str, quote: str, p_yes: float | None, verified: bool, reason: str) -> None:
    question = ("Is the ink sprayed on a person's left thumb?" if sentence.startswith("Yes")
                else "Is the ink visible under normal light?")
    evidence = claims.Evidence([span(quote)], [THUMB, quote] if quote == INK else [quote], f"{THUMB} {INK}")
    verdict = policy.judge(question, sentence, evidence, {"support": 1.0, "coverage": 0.8, "relevance": 0.8},
                           lambda: p_yes, 0.7, kind="composed")
    assert not [c for c in verdict.failed if c.name != "confident"]
    assert (not verdict.failed) is verified
    assert all(reason in r for r in [c.reason for c in verdict.failed])
    if sentence.startswith("Yes"):
        assert verdict.confidence == round(p_yes or 0.0, 2)


def test_a_no_the_quote_does_not_deny_by_its_words_needs_the_model_sure_of_it() -> None:
    """"could not predict a figure" for "give a figure": another word, no parse denial; only a model sure of "no"."""
    quote = "Michael Howard said the plans would help, although he could not predict a figure."
    evidence = claims.Evidence([span(quote)], [quote], quote)
    question, answer = "Did Michael Howard give a figure for the reduction?", "No, he could not predict a figure."
    for p_yes, verified in ((0.4, False), (0.03, True)):
        verdict = policy.judge(question, answer, evidence, {"support": 1.0, "coverage": 0.8, "relevance": 0.8},
                               lambda p=p_yes: p, 0.7)
        assert (not verdict.failed) is verified, verdict.failed


def test_a_yes_for_what_was_only_offered_is_withdrawn() -> None:
    """New yes/no dev set, yn-man-02: the model put 0.95 on "yes" for a quote that only offers the signing."""
    quote = "Police offer Edwards' parents the opportunity to sign a death certificate."
    evidence = claims.Evidence([span(quote)], [quote], quote)
    verdict = policy.judge("Did Edwards' parents sign a death certificate?",
                           "Yes, Edwards' parents signed a death certificate.", evidence,
                           {"support": 1.0, "coverage": 1.0, "relevance": 0.9}, lambda: 0.99, 0.7)
    assert [c.name for c in verdict.failed] == ["stated_as_done"]


@pytest.mark.parametrize(("question", "answer", "pointed"), [
    # who-said dev ws-irq-05: shown as verified, what "these things" are is in the sentence before
    ("What do opinion polls suggest Iraqis still want, according to Ms Alexander?",
     "Opinion polls suggest that Iraqis still want the state to take a leading role in providing these things.",
     "these things"),
    ("What did the minister promise?", "The minister promised to fix these problems.", "these problems"),
    ("What do they want?", "They want those.", "those"),
    # said there: after a colon, by a relative clause or a phrase of its own; a time; the question's own; a subject
    ("What did the minister promise?", "The minister promised this: lower taxes.", None),
    ("Whom do they want?", "They want those who voted to leave.", None),
    ("What did the minister promise?", "The minister promised to fix these problems of housing.", None),
    ("When was he born?", "He was born in that year.", None),
    ("What did Michael Howard call that suggestion?", 'Mr Howard called that suggestion "disgraceful".', None),
    ("What did Cook say?", "He stressed this did not mean the dance scene was over.", None),
])
def test_an_answer_that_points_to_what_it_does_not_name_is_read(question: str, answer: str,
                                                                pointed: str | None) -> None:
    assert claims.unnamed_reference(question, answer) == pointed


def test_a_no_stands_on_the_opposite_said_of_the_same_subject() -> None:
    """Yes/no dev yn-ric-01: "are getting rarer" answers "Are … becoming more common?" no (`verdicts.opposes`); said
    of another subject it proves nothing, and without the parse's reading only a model sure of "no" shows it."""
    question = "Are viruses written to make headlines by infecting millions becoming more common?"
    for quote, verified in (("Viruses written to make headlines by infecting millions are getting rarer.", True),
                            ("Viruses written to steal money are getting rarer.", False)):
        evidence = claims.Evidence([span(quote)], [quote], quote)
        verdict = policy.judge(question, f"No: \u201c{quote}\u201d", evidence,
                               {"support": 1.0, "coverage": 0.8, "relevance": 0.8}, lambda: 0.6, 0.7, kind="composed")
        assert (not verdict.failed) is verified, verdict.failed


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Dr Vell", "Dr Mara Vell", True),  # a title is no first name (tests/test_referents.py's article)
    ("Mr Howard", "Michael Howard", True),
    ("Qais al-Khazali", "Al-Khazali", True),
    ("Muqtada Sadr", "Muhammad Sadr", False),
    ("Sadr City", "Muqtada Sadr", False),
])
def test_two_names_of_one_person(a: str, b: str, same: bool) -> None:
    assert claims.same_name(a, b) is same


def test_a_yes_whose_quote_gives_another_value_is_withdrawn() -> None:
    """New yes/no dev ym-ink-14: "Yes" to "… in Serbia …?" from a quote about Afghanistan, P(yes) 0.94."""
    question = ("Did the elections in Serbia show that improper use of indelible visible ink can cause additional "
                "problems?")
    quote = "as the elections in Afghanistan showed, improper use of this type of ink can cause additional problems"
    check = policy.verdict_matches_quote(question, "Yes, the elections in Serbia showed it.", [quote])
    assert not check.passed and "Afghanistan, not Serbia" in check.reason


def test_a_bare_quote_for_a_yes_or_no_question_is_withheld_without_a_model() -> None:
    """Extractive: a quote says neither yes nor no (yes/no dev, 7 of 16 such quotes were shown as verified and
    scored wrong); it is withheld, and a "no" the parse reads takes its place (`chain._verdicts`)."""
    quote = "Munich Re, the world's largest reinsurance company, said that its exposure is small."
    evidence = claims.Evidence([span(quote)], [quote], quote)
    signals = {"support": 1.0, "coverage": 0.9, "relevance": 0.9}
    withheld = policy.judge("Is Munich Re the world's largest reinsurance company?", quote, evidence, signals,
                            None, 0.7, kind="extractive")
    assert withheld.failed and policy.status_of(withheld) == policy.UNCONFIRMED
    assert "neither yes nor no" in withheld.failed[0].reason
    shown = policy.judge("Which is the world's largest reinsurance company?", quote, evidence, signals, None, 0.7,
                         kind="extractive")
    assert not [c for c in shown.failed if c.name != "confident"]
