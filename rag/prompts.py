"""Every prompt the engine sends a model, in one place, overridable through `Settings.prompts`.

The answer prompt tells the model one phrase to say when the excerpts do not answer (`CANNOT_ANSWER`: "say that
the article does not say"), and `says_cannot_answer` recognises exactly that phrase (it may go on: "The article
does not say how old he is."), rather than a pattern guessing the model's own wording. Told instead to "reply
exactly: The article does not say.", the local model declined 32 of 93 dev questions of the Python and paraphrase
sets (15 of them answerable) against 8 (2) with this wording (2026-12-06): so the wording stays, and the phrase
is what it already asks for. A reply that declines in other words ("The author does not provide …") is caught
by the policy as a statement about the article, not of it (`policy.declined`).

The model's check of a quote reuses the answer prompt's system message (llama.cpp keeps one prompt's state: a
check with a system message of its own made the next answer re-read the answer prompt's, `rag/verifier.py`).
Changing a prompt changes what the fitted weights were fitted on (`rag/policy_weights.json`): refit with
`evals/src/calibrate.py`.

`RAG_PROMPTS=FILE.json` (an object with any of `answer`, `condense`, `check`, `verdict`, `judge`,
`cannot_answer`, `copy`) overrides them at the edges (`Settings.from_env`). Does not call a model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from rag.errors import RagError

CANNOT_ANSWER = "The article does not say"

# What the engine says in its own words, in the language of the question (`lexical.language_of`), by the English
# text: a question asked in French is told in French that the article does not say.
TRANSLATIONS: dict[str, dict[str, str]] = {
    "fr": {
        "The article does not say: none of its passages answers this question.":
            "L'article ne le dit pas : aucun de ses passages ne répond à cette question.",
        "Could not confirm an answer from the article; the closest passages are:":
            "Impossible de confirmer une réponse à partir de l'article ; voici les passages les plus proches :",
        "The articles disagree: {title} gives {value}.": "Les articles divergent : {title} donne {value}.",
        "What “{words}” means, the sentence before says: “{quote}”":
            "Ce que désigne « {words} », la phrase précédente le dit : « {quote} »",
    },
}
# The line an answer adds after a sentence that gives "these things" without saying what they are (`verification`).
REFERENT = "What “{words}” means, the sentence before says: “{quote}”"


def said_in(text: str, language: str) -> str:
    """`text` (one of the engine's own messages, in English) in `language`, or as it is when not translated."""
    return TRANSLATIONS.get(language, {}).get(text, text)


def every_wording(text: str) -> set[str]:
    """`text` and its translations."""
    return {text, *(t[text] for t in TRANSLATIONS.values() if text in t)}


@dataclass(frozen=True)
class Prompts:
    """The prompts' texts. `answer` and `condense` are system messages; `check` ends the model's check of a quote
    (after "Text: …  Question: …"); `judge` is the evaluation judge's system message."""

    answer: str = (
        "You answer questions about an article using only the numbered excerpts from it. "
        "Answer in one or two short sentences, reusing the excerpts' own words. "
        "Add nothing the excerpts do not say. "
        "If the excerpts do not contain the answer, say that the article does not say."
    )
    condense: str = (
        "Rewrite the user's last question so it can be understood without the conversation: replace "
        "pronouns with the people or things they refer to. Keep the meaning. Reply with the question only."
    )
    check: str = "Does the text answer this question? Reply with one word: yes or no."
    # Ends the model's own answer to a yes/no question over the quote that answers it (`rag/verdicts.py`).
    verdict: str = "Answer with one word: yes or no."
    judge: str = "You check citations. Reply with one word, yes or no: does the quote state or clearly imply the claim?"
    cannot_answer: str = CANNOT_ANSWER
    # Appended to the answer prompt's question when the reply is held to a copy of the excerpts' words
    # (`rag/copying.py`): the answer prompt stays its prefix, so llama.cpp's cache still holds it.
    copy: str = "Answer with the fewest words copied from one excerpt that answer the question."
    # The question the model's check answers for a claim the engine did not draw from a question: a quote a reader
    # checks (`rag/quote_check.py`), the claim of a who-says answer the engine composed (`rag/attribution.py`).
    claim: str = "Is it true that {claim}?"

    def answer_prompt(self) -> ChatPromptTemplate:
        return ChatPromptTemplate.from_messages([("system", self.answer),
                                                 ("human", "Excerpts:\n{context}\n\nQuestion: {question}")])

    def copy_prompt(self) -> ChatPromptTemplate:
        return ChatPromptTemplate.from_messages([
            ("system", self.answer), ("human", "Excerpts:\n{context}\n\nQuestion: {question}\n\n" + self.copy)])

    def condense_prompt(self) -> ChatPromptTemplate:
        return ChatPromptTemplate.from_messages([("system", self.condense),
                                                 ("human", "Conversation:\n{history}\n\nLast question: {question}")])

    def claim_question(self, claim: str) -> str:
        """The question whose answer "yes" says a quote states `claim`."""
        return self.claim.replace("{claim}", claim)

    def says_cannot_answer(self, text: str) -> bool:
        """Whether a model's reply opens with the fixed phrase (case and punctuation aside)."""
        return _words(text)[:len(_words(self.cannot_answer))] == _words(self.cannot_answer) != []

    @classmethod
    def from_file(cls, path: Path) -> Prompts:
        """Prompts with the texts a JSON file gives replaced (an object of field names to strings)."""
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise RagError(f"The prompts file {path} cannot be read ({err}).") from None
        names = {f.name for f in fields(cls)}
        if not isinstance(raw, dict) or not all(k in names and isinstance(v, str) and v.strip()
                                                for k, v in raw.items()):
            raise RagError(f"The prompts file {path} must be a JSON object of texts for: {', '.join(sorted(names))}.")
        return replace(cls(), **raw)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


DEFAULT = Prompts()
