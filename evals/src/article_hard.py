"""The hard question set about the al-Khazali article (issue: verified answers), written by reading it.

Run this file to (re)write evals/hard_qa*.jsonl: every evidence quote is checked to occur verbatim in the
article. `split.py` then holds back every third question of each kind.
"""
# ruff: noqa: E501
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "qais-al-khazali-interview-iran.txt"

# (question, tempting look-alike in the text)
NEAR = [
    ("What is the name of al-Khazali's father?", "Al-Khazali was born in Sadr City"),
    ("Which university did al-Khazali study at?", "He was a student at Mohammed Sadr School"),
    ("In what year was al-Khazali born?", "he is 47 years old now"),
    ("How old is Muqtada Sadr?", "he is 47 years old now"),
    ("Where was Muqtada Sadr born?", "Al-Khazali was born in Sadr City"),
    ("In which city was Ayatollah Kazimi al-Haeri born?", "who is also from Iraq but lives in Qom"),
    ("How many members does Asaib Ahl al-Haq have?", "calls him brother three times"),
    ("In what year was Asaib Ahl al-Haq founded?", "Since 2020, he is known as one of the leaders"),
    ("Who founded the Mehdi corps?", "was one of the leaders of the Mehdi corps"),
    ("Which BBC presenter conducted the interview?", "had an engaging interview with BBC"),
    ("How long did the meeting at Hadi al-Amiri's house last?", "Throughout the 24 minutes of the interview"),
    ("When did the meeting at Hadi al-Amiri's house take place?", "in the meeting of Hadi al-Amiri’s house"),
    ("How many American troops are stationed in Iraq?", "staying the American troops in Iraq"),
    ("By what date must the American troops leave Iraq?", "the withdrawal of American troops in Iraq"),
    ("Who killed Qassem Sulaimani?", "after the assassination of Qassem Sulaimani"),
    ("On what date was Qassem Sulaimani assassinated?", "after the assassination of Qassem Sulaimani"),
    ("How many people died in the attack on Ain al-Asad?", "the attack of Ain al-Asad and Harir was held"),
    ("Which country carried out the attack on Ain al-Asad and Harir?", "the attack of Ain al-Asad and Harir was held"),
    ("What is the name of the commander of the Quds Force?", "the commander of Quds Force ordered them"),
    ("How many drones do the Muqawama groups have?", "weaponry especially drones"),
    ("What is the name of al-Khazali's wife?", "Al-Khazali was born in Sadr City"),
    ("How many seats did the Sadrist Movement win in parliament?", "enrollment of Sadrist Movement members"),
    ("What percentage of Iraqis support al-Khazali?", "he is 47 years old now"),
    ("What does al-Khazali think about Saudi Arabia?", "Iran has its own political acts"),
    ("What did al-Khazali say about Israel?", "lessen the conflicts with America"),
    ("Which Iranian official did al-Khazali meet in Tehran?", "Muhammad Shahroudi (one of the previous Iranian high officials)"),
    ("When did al-Khazali move to Baghdad?", "now, because the situation is sensitive, I stay in Baghdad"),
    ("How many years did al-Khazali study at Mohammed Sadr School?", "He was a student at Mohammed Sadr School"),
    ("What subject did al-Khazali study at Mohammed Sadr School?", "He was a student at Mohammed Sadr School"),
    ("Why was Kazimi unsuccessful as prime minister?", "because Kazimi was unsuccessful"),
    ("Why did al-Khazali break away from Muqtada Sadr?", "he got unlinked from Muqtada Sadr and chose a different path"),
    ("In what year did al-Khazali split from Muqtada Sadr?", "Since 2020"),
    ("What is the name of the Iranian organ that handles the Iraq dossier?", "the Iran organs that has a connection with the Iraq dossier"),
    ("Who heads the Iranian office responsible for the Iraq dossier?", "the organs (responsible for Iraq dossier)"),
    ("What did Ali Khamenei say about al-Khazali?", "Ali Khamenei, is insistent to help"),
    ("What did the commander of the Quds Force tell the BBC?", "the commander of Quds Force ordered them"),
    ("On what date was the interview broadcast?", "In the past few days"),
    ("On which BBC programme was the interview aired?", "had an engaging interview with BBC"),
    ("In what language was the interview conducted?", "had an engaging interview with BBC"),
    ("How long has al-Khazali lived in Najaf?", "I stay in Najaf mostly"),
    ("In which city is Hadi al-Amiri's house?", "in the meeting of Hadi al-Amiri’s house"),
    ("Which party does Hadi al-Amiri lead?", "old politicians such as al-Maliki and al-Amiri"),
    ("Which political party does al-Maliki belong to?", "old politicians such as al-Maliki and al-Amiri"),
    ("How many times did al-Khazali mention Maliki in the interview?", "calls him brother three times"),
    ("How many minutes of the interview were about Iran?", "Throughout the 24 minutes of the interview"),
    ("Who attacked Kazimi's house?", "after the attack on Kazimi’s house"),
    ("In which province is Harir located?", "the attack of Ain al-Asad and Harir"),
    ("How many people were killed together with Qassem Sulaimani?", "revenge for Qassim Sulaimani and Abu Mehdi al-Muhandis"),
    ("What position did Abu Mehdi al-Muhandis hold?", "revenge for Qassim Sulaimani and Abu Mehdi al-Muhandis"),
    ("What is the population of Sadr City?", "Al-Khazali was born in Sadr City"),
    ("In what year did the battle against ISIS end?", "since 2003 until the ISIS battle"),
    ("How much did Iran spend on the battle against ISIS?", "We thank Iran for the help and funds since 2003"),
    ("What is the author's name?", "I will analyze al-Khazali words"),
    ("Which newspaper published this analysis?", "had an engaging interview with BBC"),
    ("When did the author write this analysis?", "In the past few days"),
    ("Which ministry does Asaib Ahl al-Haq control?", "he has his role in politics activities of Iraq"),
    ("Whom does al-Khazali want as the next prime minister?", "If our brother, Sadr, directs Kazimi as the PM again"),
    ("How did Iran react to Halbusi's election?", "it is their choice to congrats Halbusi’s election or not"),
    ("How did the Kurdish parties react to the election results?", "Kurd and Sunni are two reasons of Shia domestic disagreements"),
    ("Who leads the Sunni parties in Iraq?", "pressure on Kurds and Sunni"),
    ("How many votes did Asaib Ahl al-Haq receive in the election?", "accept the election’s results"),
    ("What weapons did the Quds Force send to the Muqawama?", "lessening the military supports for (Muqawama)"),
    ("What is the name of al-Khazali's son?", "Al-Khazali was born in Sadr City"),
    ("Which prize did al-Khazali win?", "one of the most famous characters"),
    ("How many times did al-Khazali meet Ali Khamenei?", "says three times while the interview"),
    # 2026-12-02: one side of a relation the article does not state (written before they were asked)
    ("Where did Muqtada Sadr study?", "He was a student at Mohammed Sadr School"),
    ("Who founded the Mehdi corps?", "was one of the leaders of the Mehdi corps"),
    ("In which year did al-Khazali leave the Mehdi corps?", "Since 2020, he is known as one of the leaders"),
    ("Who appointed Kazimi as prime minister?", "If our brother, Sadr, directs Kazimi as the PM again"),
    ("Where was Ayatollah Kazimi al-Haeri educated?", "who is also from Iraq but lives in Qom"),
]

# (question, answerable, reference answer or None, evidence, speaker of the asked statement)
ATTRIBUTION = [
    ("Who says that people do not want the Sadrists in military outfits?", True, "Al-Khazali.", ["“People do not want that. This has more harm than advantage” he states"], "al-Khazali"),
    ("According to the author, what is al-Khazali's soft talk about Sadr meant to do?", True, "To lessen conflicts.", ["This soft talking is a message to lessen conflicts rather than enlarging them"], "the author"),
    ("Who thinks the interview has useful information about government formation and Iran?", True, "The author.", ["I think the interview has useful information about those two matters"], "the author"),
    ("What does the author conclude al-Khazali is seeking?", True, "An agreement with Sadr.", ["It seems like he is seeking an agreement with Sadr"], "the author"),
    ("Who claims to have received Sharia authorization from Muhammad Shahroudi?", True, "Al-Khazali.", ["He claims that besides Muhammad Sadr, he has received (Sharia) authorization from Muhammad Shahroudi"], "al-Khazali"),
    ("According to the author, what does al-Khazali's authorization from al-Haeri show?", True, "His close connection with Iran.", ["which shows another level of his close connection with Iran"], "the author"),
    ("What did the reporter ask al-Khazali about the commander of the Quds Force?", True, "Whether the Quds Force commander ordered them to accept the election results.", ["the commander of Quds Force ordered them to accept the election’s results and lessen the conflicts with America"], "the reporter"),
    ("How did al-Khazali answer the reporter's question about the Quds Force order?", True, "That their decisions in Iraq are not related to Iran.", ["“our decisions in Iraq is not related to Iran”"], "al-Khazali"),
    ("Who says that a wrong analysis was done?", True, "Al-Khazali.", ["He states “A wrong analysis was done in fact”"], "al-Khazali"),
    ("According to al-Khazali, who wants to set up conflict between the Shia parties?", True, "Outsider parties.", ["there are some outsider parties who want to set conflict up between different Shia parties"], "al-Khazali"),
    ("What does al-Khazali say Muqtada Sadr has got?", True, "All the power.", ["“Muqtada Sadr has got all the power”"], "al-Khazali"),
    ("According to al-Khazali, what is Sadr's opinion on the American troops staying in Iraq?", True, "Sadr has the same opinion.", ["because Sadr has the same opinion, he says"], "al-Khazali"),
    ("Who points out that Iran asking them to wait contradicts the claim that their decisions are made in Iraq?", True, "The author.", ["this does not fit the statement in which he states that their decisions are made from Iraq"], "the author"),
    ("According to the author, what were they wrong about?", True, "That Iran would support them with full power.", ["they though Iran would support them with full power, but Iran did not do it, and they were wrong"], "the author"),
    ("Whom does the author say al-Khazali blames for the smaller military support?", True, "The organs responsible for the Iraq dossier.", ["he convicts the organs (responsible for Iraq dossier) for lessening the military supports"], "the author"),
    ("According to al-Khazali, who is insistent on helping the Muqawama?", True, "Ali Khamenei.", ["Ali Khamenei, is insistent to help (Muqawama)"], "al-Khazali"),
    ("What does the author say it is still too soon to say?", True, "That Khasali can ignore Iran's orders.", ["it is still soon to say Khasali can ignore Iran’s orders"], "the author"),
    ("Who says the Shia alliance is more important than the other matters?", True, "Al-Khazali.", ["“at the end of the day, the Shia alliance is more important for us than the other matters”"], "al-Khazali"),
    ("According to al-Khazali, what are the two reasons for Shia domestic disagreements?", True, "Kurd and Sunni.", ["“Kurd and Sunni are two reasons of Shia domestic disagreements"], "al-Khazali"),
    ("Who thanks Iran for its help and funds?", True, "Al-Khazali.", ["We thank Iran for the help and funds since 2003 until the ISIS battle"], "al-Khazali"),
    ("What does the author say al-Khazali predicts for the next government?", True, "Failure and conflict.", ["He also shows prediction of next government’s failure and conflict"], "the author"),
    ("According to the author, who might be one of the people who know Muqtada Sadr best?", True, "Al-Khazali.", ["he might be one of those people who know Muqtada Sadr the best"], "the author"),
    ("What does the author think Iran is more interested in this time?", True, "Keeping things balanced.", ["the republic is more into keeping things balanced rather than unbalanced"], "the author"),
    # wrong speaker: the statement exists, but not by the person asked about
    ("What did Muqtada Sadr reply to al-Khazali?", False, None, [], "nobody: Sadr is not quoted"),
    ("What did the reporter say about where Iraq's decisions are made?", False, None, [], "al-Khazali, not the reporter"),
    ("Who does the author say is the best-known leader of the Mehdi corps?", False, None, [], "not stated"),
    ("What does Ali Khamenei say about the Muqawama?", False, None, [], "al-Khazali, about Khamenei"),
    ("According to Muqtada Sadr, what are his two main disputes with al-Khazali?", False, None, [], "al-Khazali, not Sadr"),
    ("What did Hadi al-Amiri say at the meeting in his house?", False, None, [], "not stated"),
    ("Which option does the author consider the most preferable?", False, None, [], "al-Khazali, not the author"),
    ("What does the author say Iran thanked al-Khazali for?", False, None, [], "al-Khazali thanks Iran, not the reverse"),
    ("Where does the author stay most of the time?", False, None, [], "al-Khazali stays in Najaf"),
    ("How old is the author?", False, None, [], "al-Khazali is 47"),
    ("Where does the author live?", False, None, [], "al-Haeri lives in Qom"),
    ("What did the BBC reporter say about Muqtada Sadr's power?", False, None, [], "al-Khazali said it"),
    # who says X (added 2026-12-02 with the who-says answers; every third, held back, was not tried while building)
    ("Who says the political process will not progress naturally if Sadr directs the PM?", True, "Al-Khazali.", ["“if he does that, the political process will not progress naturally”"], "al-Khazali"),
    ("Who says that what was done as revenge for Sulaimani was not big?", True, "Al-Khazali.", ["What has been done as revenge for Qassim Sulaimani and Abu Mehdi al-Muhandis was not big"], "al-Khazali"),
    ("Who says that the revenge for Sulaimani was big?", False, None, [], "al-Khazali says it was not big"),
    ("Who says that the Kurds and Sunnis are the reasons for Sadr's victory?", False, None, [], "not stated"),
    ("Who says it is still too soon to say Khasali can ignore Iran's orders?", True, "The author.", ["it is still soon to say Khasali can ignore Iran’s orders"], "the author"),
    ("Who says that their decisions in Iraq are related to Iran?", False, None, [], "al-Khazali says they are not"),
    ("Who states that he stays in Najaf mostly?", True, "Al-Khazali.", ["“I stay in Najaf mostly, but now, because the situation is sensitive, I stay in Baghdad to control any instability”"], "al-Khazali"),
    ("Who states that Iran has the right to give advice?", True, "Al-Khazali.", ["so they have the right to give advice"], "al-Khazali"),
    ("Who claims that Iran supported them with full power?", False, None, [], "only what they thought; Iran did not"),
    ("Who says that Iran ordered them to boycott the election?", False, None, [], "not stated"),
]

# (question, reference answer, evidence): answerable, and each resembles one of the unanswerable questions
LOOKALIKE = [
    ("In what city does Ayatollah Kazimi al-Haeri live?", "In Qom.", ["lives in Qom"]),
    ("Where was al-Khazali born?", "In Sadr City.", ["Al-Khazali was born in Sadr City"]),
    ("Which school did al-Khazali attend?", "Mohammed Sadr School.", ["He was a student at Mohammed Sadr School"]),
    ("How many years old is al-Khazali?", "He is 47 years old.", ["he is 47 years old now"]),
    ("What did al-Khazali say about Muqtada Sadr's power?", "That Muqtada Sadr has got all the power.", ["“Muqtada Sadr has got all the power”"]),
    ("Since which year has al-Khazali been known as a resistance leader?", "Since 2020.", ["Since 2020, he is known as one of the leaders of (Muqawama)"]),
    ("How many minutes did the interview last?", "24 minutes.", ["Throughout the 24 minutes of the interview"]),
    ("Which organization does Qais al-Khazali lead?", "Asaib Ahl al-Haq (AAH).", ["leader of Asaib Ahl al-Haq (AAH)"]),
    ("Who interviewed al-Khazali?", "The BBC.", ["had an engaging interview with BBC"]),
    ("In whose house was the matter discussed with Sadr?", "In Hadi al-Amiri's house.", ["in the meeting of Hadi al-Amiri’s house"]),
    ("Which former Iranian high official gave al-Khazali Sharia authorization?", "Muhammad Shahroudi.", ["Muhammad Shahroudi (one of the previous Iranian high officials)"]),
    ("Which politicians is al-Khazali considered equal to?", "Old politicians such as al-Maliki and al-Amiri.", ["equally considered as the old politicians such as al-Maliki and al-Amiri"]),
    ("What word does al-Khazali put in front of Sadr's name?", "Saeed.", ["he uses “Saeed” in front of Muqtada Sadr’s name"]),
    ("What does al-Khazali hope about Sadr's veto on Maliki?", "That “our brother Sadr” solves that problem.", ["I hope “our brother Sadr” solves that problem"]),
    ("Where does al-Khazali mostly stay?", "In Najaf.", ["I stay in Najaf mostly"]),
    ("Why is al-Khazali staying in Baghdad at the moment?", "Because the situation is sensitive.", ["because the situation is sensitive, I stay in Baghdad to control any instability"]),
    ("Since when has Iran given them help and funds?", "Since 2003.", ["We thank Iran for the help and funds since 2003 until the ISIS battle"]),
    ("How long after the revenge request was the attack on Ain al-Asad and Harir?", "After a week.", ["after a week, the attack of Ain al-Asad and Harir was held"]),
    ("How does al-Khazali rate the revenge taken for Sulaimani?", "It was not big.", ["What has been done as revenge for Qassim Sulaimani and Abu Mehdi al-Muhandis was not big"]),
    ("Which negotiations does al-Khazali say their decision is unrelated to?", "The Vienna negotiations.", ["has no relation even with Vienna negotiations"]),
    ("How big a role does Iran play this time, in the author's view?", "A smaller role.", ["This time Iran plays a smaller role"]),
    ("Which weapons does the author single out?", "Drones.", ["ability of their groups in weaponry especially drones"]),
    ("What does al-Khazali warn will happen if Sadr directs the PM?", "The political process will not progress naturally.", ["“if he does that, the political process will not progress naturally”"]),
    ("What does al-Khazali say about Kazimi's record as PM?", "Kazimi was unsuccessful.", ["because Kazimi was unsuccessful"]),
    ("What choice does al-Khazali say the Muqawama faces about its weapons?", "Give up the weapons or keep doing what they have been doing.", ["either (Muqawama) gives up the weapons"]),
    ("What do the highest Shia religious authority and the Shia house not let happen?", "Conflicts.", ["Shia house do not let conflicts to happen"]),
    ("What might the Kurds and Sunnis do, according to al-Khazali?", "They might get separated.", ["they (Kurd and sunni) might also get separated"]),
    ("Who does al-Khazali call the president of Iran?", "Ali Khamenei.", ["the president of Iran, Ali Khamenei"]),
    ("After Sulaimani's assassination, what happened to their ties with the Shia political parties?", "They have not changed.", ["our connections with the Shia political parties have not changed"]),
    ("Who, according to the reporter's question, ordered them to accept the election results?", "The commander of the Quds Force.", ["the commander of Quds Force ordered them to accept the election’s results"]),
    ("Which two places were attacked a week later?", "Ain al-Asad and Harir.", ["the attack of Ain al-Asad and Harir was held"]),
    ("What is al-Khazali's age?", "47.", ["he is 47 years old now"]),
    ("Where is Ayatollah Kazimi al-Haeri from?", "From Iraq.", ["who is also from Iraq but lives in Qom"]),
    ("What did al-Khazali feel about the Sadrist members' military outfits?", "He was unhappy; he said it was wrong.", ["he feels unhappy about it and says it is wrong"]),
    ("Since 2020, al-Khazali has been known as a leader of which groups?", "The Muqawama (resistance) groups.", ["Since 2020, he is known as one of the leaders of (Muqawama), (resistance) groups."]),
    ("Who leads Asaib Ahl al-Haq?", "Qais al-Khazali.", ["Qais al-Khazali, leader of Asaib Ahl al-Haq (AAH)"]),
    ("Which movement's members does al-Khazali object to seeing in military outfits?", "The Sadrist Movement's.", ["enrollment of Sadrist Movement members with military outfits"]),
    ("Which two groups does al-Khazali say might get separated?", "Kurd and Sunni.", ["Kurd and Sunni are two reasons of Shia domestic disagreements, and they (Kurd and sunni) might also get separated"]),
]


def rows() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (q, lookalike) in enumerate(NEAR, start=1):
        out.append({"id": f"hq-n{i:02d}", "question": q, "answerable": False, "kind": "unanswerable-near",
                    "lookalike": lookalike})
    for i, (q, ok, ref, evidence, speaker) in enumerate(ATTRIBUTION, start=1):
        row: dict[str, object] = {"id": f"hq-a{i:02d}", "question": q, "answerable": ok, "kind": "attribution",
                                  "speaker": speaker}
        if ok:
            row.update(reference_answer=ref, evidence=evidence)
        out.append(row)
    for i, (q, ref, evidence) in enumerate(LOOKALIKE, start=1):
        out.append({"id": f"hq-l{i:02d}", "question": q, "answerable": True, "kind": "lookalike",
                    "reference_answer": ref, "evidence": evidence})
    return out


def main() -> int:
    text = ARTICLE.read_text("utf-8")
    problems = [f"{r['id']}: {e!r} is not in the article" for r in rows() for e in r.get("evidence", [])  # type: ignore[attr-defined]
                if e not in text]
    problems += [f"{r['id']}: look-alike {r['lookalike']!r} is not in the article" for r in rows()
                 if "lookalike" in r and r["lookalike"] not in text]
    if problems:
        print("\n".join(problems))
        return 1
    every = rows()
    (ROOT / "evals" / "hard_qa.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in every),
                                                "utf-8")
    print("hard_qa.jsonl", len(every), "questions; split with evals/src/split.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
