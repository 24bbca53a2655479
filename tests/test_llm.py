"""The local GGUF model answers from the article, with quotes computed by the project and every sentence
checked by the answer policy (slow: real LLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.questions import ANSWERABLE, UNANSWERABLE, is_correct
from rag import ABSTAIN, Engine
from tests.conftest import engine_over, make_settings

pytestmark = pytest.mark.llm

# A spread of question kinds: numbers, names, places, a paraphrase, a two-part answer, a yes/no.
SAMPLE = [ANSWERABLE[i] for i in (0, 2, 9, 11, 15, 17, 19, 23)]


def test_local_model_answers_correctly_with_verbatim_citations(engine: Engine, article_text: str) -> None:
    results = []
    for q in SAMPLE:
        answer = engine.ask(q.question, backend="local")
        assert answer.backend == "local" and answer.notice is None
        assert answer.usage["prompt_tokens"] > 0 and "first_token_ms" in answer.timings_ms
        for c in answer.citations:
            assert article_text[c.start : c.end] == c.quote
        start = article_text.index(q.evidence)
        end = start + len(q.evidence)
        on_evidence = any(c.start < end and start < c.end for c in answer.citations)
        if answer.outcome == "answered":  # what is shown as verified must be right and cite the evidence
            assert is_correct(answer.answer, q) and on_evidence, (q.question, answer.answer)
        results.append((answer.outcome == "answered", q.question, answer.answer))
    answered = [r for r in results if r[0]]  # the rest abstain: ~half of answerable questions (README table)
    assert len(answered) >= 4, [r for r in results if not r[0]]


def test_local_model_makes_no_claim_the_article_does_not_make(engine: Engine) -> None:
    near_topic = [q for q in UNANSWERABLE if "al-Khazali" in q or "Asaib" in q]
    assert len(near_topic) >= 3
    for question in near_topic:
        answer = engine.ask(question, backend="local")
        assert answer.refused and answer.outcome in ("refused", "abstained"), (question, answer.answer)
        assert not any(s.verified for s in answer.sentences)
        if answer.outcome == "refused":
            assert answer.answer.startswith("The article does not say") and answer.citations == []


def test_streaming_yields_tokens_before_the_answer(engine: Engine) -> None:
    events = list(engine.stream("Where was al-Khazali born?", backend="local"))
    tokens = [e for e in events if isinstance(e, str)]
    assert len(tokens) >= 3
    final = events[-1]
    assert not isinstance(final, str)
    assert "".join(tokens).strip().startswith(final.answer[:10])


def test_unloadable_model_falls_back_to_extractive_with_a_notice(tmp_path: Path, engine: Engine) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    broken = Engine(make_settings(tmp_path, model_dir=blocker / "models"), embedder=engine.embedder)
    broken.ingest([Path("corpus")])
    answer = broken.ask("How old is al-Khazali?", backend="local")
    assert answer.backend == "extractive"
    assert answer.notice and "model cache" in answer.notice and "extractively" in answer.notice
    assert not answer.refused and "47" in answer.answer


def test_follow_up_is_rewritten_by_the_model_into_a_standalone_question(engine: Engine) -> None:
    history = [("What did al-Khazali say about Sadr?", "He calls Sadr his brother and wants to avoid conflict.")]
    rewritten = engine.standalone_question("and what did he say about Iran?", history, "local")
    assert "Khazali" in rewritten and "Iran" in rewritten and not rewritten.lower().startswith("and")
    assert engine.standalone_question("How old is Qais al-Khazali?", history, "local") == "How old is Qais al-Khazali?"
    answer = engine.ask("and what did he say about Iran?", backend="local", history=history)
    assert answer.searched_for == rewritten and answer.question == "and what did he say about Iran?"
    assert answer.outcome != "refused" and answer.citations


def test_a_yes_its_quote_contradicts_is_withdrawn(engine: Engine, article_text: str) -> None:
    """The model answers "Yes" by reflex; the quote says "it has no outcome yet": the verdict is withdrawn and
    the closest passages (which say so) are shown instead of a claim."""
    answer = engine.ask("Did the meeting at Hadi al-Amiri's house produce a result?", backend="local")
    assert answer.outcome == "abstained" and not answer.answer.lower().startswith("yes")
    assert [s.text.lower()[:3] for s in answer.withdrawn] == ["yes"]
    assert answer.withdrawn[0].reasons == ["the answer says yes, the quote says not"]
    assert any("no outcome yet" in c.quote for c in answer.citations)
    assert all(article_text[c.start : c.end] == c.quote for c in answer.citations)


# Each hard rule on a draft that breaks it (the drafts the real model wrote for these questions on the dev runs),
# checked by the real engine: retrieval, quotes, voices, the answer policy and the local model's own check.
RULES = [
    ("Which university did al-Khazali study at?", "Al-Khazali studied at Sadr City University.",
     "not in the quote: Sadr City University"),  # facts_in_quote
    ("On what date was the interview broadcast?", "The interview was broadcast on BBC.",
     "the question asks for a date"),  # answers_type
    ("Why did al-Khazali break away from Muqtada Sadr?",
     "Al-Khazali broke away from Muqtada Sadr because he chose a different path of his own.",
     "the question asks for a reason"),  # answers_type
    ("Did the meeting at Hadi al-Amiri's house produce a result?",
     "Yes, the meeting at Hadi al-Amiri's house produced a result.",
     "the answer says yes, the quote says not"),  # verdict_matches_quote
    ("How old is Muqtada Sadr?", "Muqtada Sadr is 47 years old.",
     "the quote is about Qais al-Khazali, not Muqtada Sadr"),  # entities_bound
    ("According to Muqtada Sadr, what are his two main disputes with al-Khazali?",
     "According to Muqtada Sadr, al-Khazali's two main disputes with him are the domestic disagreements between "
     "the Kurds and Sunnis, and the possibility of their separation.",
     "not by Muqtada Sadr"),  # speaker_matches
    ("Where does the author live?", "The author lives in Qom.", "not the author speaking of themselves"),
    ("Who says the revenge for Sulaimani was big?", "Qais al-Khazali says the revenge for Sulaimani was big.",
     "the quote says the opposite"),  # states_as_asked: "… was not big"
    ("According to the author, who might know Muqtada Sadr best?",
     "Therefore, he might be one of those people who know Muqtada Sadr the best.",
     "names no one"),  # names_someone
    ("Which BBC presenter conducted the interview?", "Qais al-Khazali conducted the interview with BBC.",
     "does not state what the question asks"),  # relation_stated: "had an interview with BBC"
    ("What is the name of al-Khazali's father?", "The name of al-Khazali's father is Sadr City.",
     "is below 0.70"),  # confident: passes every rule, but the calibrated confidence is too low
]


@pytest.mark.parametrize(("question", "draft", "reason"), RULES, ids=[r[2][:30] for r in RULES])
def test_each_rule_withdraws_a_wrong_draft(engine: Engine, question: str, draft: str, reason: str) -> None:
    answer = engine.check(question, draft, backend="local")
    assert answer.outcome == "abstained" and answer.answer == ABSTAIN, answer.answer
    assert answer.withdrawn and any(reason in r for s in answer.withdrawn for r in s.reasons), \
        [s.reasons for s in answer.withdrawn]
    assert answer.citations and not any(s.citations for s in answer.sentences)  # closest passages, no claim


def test_a_right_draft_is_verified(engine: Engine) -> None:
    answer = engine.check("Where was al-Khazali born?", "Al-Khazali was born in Sadr City.", backend="local")
    assert answer.outcome == "answered" and answer.sentences[0].verified and answer.citations


def test_model_drafts_that_break_the_rules_are_never_shown_as_proven(engine: Engine) -> None:
    """End to end, the model writing its own drafts: none of these is shown as a verified answer. The one
    exception is right: the "he" the names-no-one draft copies is named by the engine (`rag/attribution.py`),
    citing the sentence that names him and the one that says it."""
    for question, _, reason in RULES:
        answer = engine.ask(question, backend="local")
        if reason == "names no one":
            assert answer.answer.startswith("According to the author, Al-Khazali "), answer.answer
            quotes = [c.quote[:10] for c in answer.citations]
            assert answer.outcome == "answered" and quotes == ["Al-Khazali", "Therefore,"], quotes
            continue
        assert answer.outcome != "answered" and not any(s.verified for s in answer.sentences), answer.answer


def test_confidence_is_calibrated_and_decides_what_passes_the_rules(engine: Engine) -> None:
    """A draft that passes every rule is verified only when its calibrated confidence clears the bar; the
    signals it came from are reported with it."""
    answer = engine.ask("How old is Qais al-Khazali?", backend="local")
    [first, *_] = answer.sentences
    assert answer.outcome == "answered" and first.verified and first.confidence >= 0.7
    assert set(first.signals) >= {"llm_yes", "gen_min", "support", "coverage"}
    assert 0 < first.signals["llm_yes"] <= 1 and 0 < first.signals["gen_min"] <= 1


def test_a_who_says_question_is_answered_from_the_speaker_marks_not_by_the_model(engine: Engine) -> None:
    """"Who thanks Iran …?": the model drafts nothing (it would copy the quote's "We thank Iran …"); the answer
    names the quote's speaker and passes the same policy."""
    answer = engine.ask("Who thanks Iran for its help and funds?", backend="local")
    assert answer.outcome == "answered", [s.reasons for s in answer.sentences]
    assert answer.answer == "Qais al-Khazali thanks Iran for its help and funds."
    assert answer.citations[0].speaker == "Qais al-Khazali" and not answer.usage  # no prompt was read
    wrong = engine.ask("Who says that their decisions in Iraq are related to Iran?", backend="local")
    assert wrong.outcome != "answered"  # he says they are *not* related


def test_a_no_is_answered_with_the_sentence_that_denies_what_is_asked(tmp_path: Path, engine: Engine) -> None:
    """The small model answers "Yes" by reflex (new yes/no dev set: 11 of 11 questions whose answer is "no" were
    withheld or shown wrong); the sentence whose "not" falls on what is asked answers "No", with its exact quote.
    The same article's "yes" is shown only where the model is sure of it, for what the sentence states as done."""
    article = ("Election ink helps drive democracy in Asia.\n\nThe ink is sprayed on a person's left thumb. It dries "
               "and is not visible under normal light. However, ultraviolet light makes the ink glow. Voters whose "
               "thumbs glow are turned away from the polling station.\n")
    own = engine_over(tmp_path, {"ink.txt": article}, engine.embedder, backend="local")
    no = own.ask("Is the ink visible under normal light?")
    assert no.outcome == "answered" and no.answer.startswith("No"), [s.reasons for s in no.sentences]
    assert all(article[c.start : c.end] == c.quote for c in no.citations)
    assert any("not visible under normal light" in c.quote for c in no.citations)
    yes = own.ask("Is the ink sprayed on a person's left thumb?")
    assert yes.outcome != "answered" or yes.answer.startswith("Yes")
    offered = own.ask("Are voters whose thumbs glow allowed into the polling station?")
    assert offered.outcome != "answered" or offered.answer.startswith("No"), offered.answer
