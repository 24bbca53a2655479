"""Questions written by reading the article, in our own words, with verbatim evidence and answer keys.

`evidence` is a verbatim substring of the article that answers the question; `expect` lists groups of
alternatives, and a correct answer contains one alternative from every group (case-insensitive).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    question: str
    evidence: str
    expect: tuple[tuple[str, ...], ...]


ANSWERABLE = [
    Question("How old is Qais al-Khazali?", "he is 47 years old now", (("47",),)),
    Question("In which part of the city was al-Khazali born?", "Al-Khazali was born in Sadr City",
             (("Sadr City",),)),
    Question("Which broadcaster did he give the interview to?", "had an engaging interview with BBC",
             (("BBC",),)),
    Question("How many minutes did the conversation last?", "Throughout the 24 minutes of the interview",
             (("24",),)),
    Question("What title does he put before Muqtada Sadr's name?", "he uses “Saeed” in front of Muqtada",
             (("Saeed",),)),
    Question("How many times did he refer to Sadr as his brother?", "calls him brother three times",
             (("three", "3"),)),
    Question("Which organisation is al-Khazali the leader of?", "leader of Asaib Ahl al-Haq (AAH)",
             (("Asaib Ahl al-Haq", "AAH"),)),
    Question("Where did he study?", "He was a student at Mohammed Sadr School", (("Mohammed Sadr School",),)),
    Question("Which armed group did he help lead before he split from Muqtada Sadr?",
             "one of the leaders of the Mehdi corps", (("Mehdi",),)),
    Question("In which city does Ayatollah Kazimi al-Haeri reside?", "who is also from Iraq but lives in Qom",
             (("Qom",),)),
    Question("Which former Iranian official gave him religious authorization?",
             "authorization from Muhammad Shahroudi", (("Shahroudi",),)),
    Question("What are the two points of dispute between him and Sadr?",
             "two main discords with Sadr: Maliki and Hashed Al-Shabi weaponry", (("Maliki",), ("weapon",))),
    Question("At whose home was the weapons question discussed with Sadr?",
             "in the meeting of Hadi al-Amiri’s house", (("Amiri",),)),
    Question("What does he think of Sadrist members appearing in military uniforms?",
             "he feels unhappy about it and says it is wrong", (("wrong", "unhappy", "harm"),)),
    Question("Which course of action does he consider the best one if his side is left out?",
             "we either perform boycott, which is the most preferable option", (("boycott",),)),
    Question("Why is he spending his time in Baghdad instead of Najaf?",
             "because the situation is sensitive, I stay in Baghdad to control any instability",
             (("sensitive", "instability"),)),
    Question("Until which conflict did Iran provide help and money?",
             "We thank Iran for the help and funds since 2003 until the ISIS battle", (("ISIS",),)),
    Question("What changed after Qassem Sulaimani was killed?",
             "the administration of the Iran organs that has a connection with the Iraq dossier has "
             "significantly changed", (("administration", "organs"),)),
    Question("Which attacks reduced the appetite for revenge?",
             "the attack of Ain al-Asad and Harir was held which lessened the interest in revenge",
             (("Ain al-Asad", "Harir"),)),
    Question("Is the resistance's decision connected to the Vienna talks?",
             "has no relation even with Vienna negotiations", (("no relation", "not related", "no", "not"),)),
    Question("Since which year has he been known as a resistance leader?",
             "Since 2020, he is known as one of the leaders", (("2020",),)),
    Question("Which veteran politicians is he put on the same level as?",
             "the old politicians such as al-Maliki and al-Amiri", (("Maliki",), ("Amiri",))),
    Question("Which Iranian leader does he say is determined to help the resistance?",
             "Ali Khamenei, is insistent to help (Muqawama)", (("Khamenei",),)),
    Question("According to the author, how big is Iran's role this time?",
             "This time Iran plays a smaller role", (("smaller",),)),
    Question("What does the author say al-Khazali blames the Iranian organs for?",
             "he convicts the organs (responsible for Iraq dossier) for lessening the military supports",
             (("support",),)),
]

UNANSWERABLE = [
    "What is the capital of France?",
    "Who won the 2018 football World Cup?",
    "How many children does al-Khazali have?",
    "What is al-Khazali's position on Turkey?",
    "How many seats did Asaib Ahl al-Haq win in the election?",
    "Write me a poem about the sea.",
]


def is_correct(answer: str, question: Question) -> bool:
    text = answer.lower()
    return all(any(alt.lower() in text for alt in group) for group in question.expect)
