"""The model's own check that a quote answers the question, read as a probability instead of a yes or a no.

Zero-shot "is this supported? yes/no" from a 1–3B model is near chance when read by its argmax; the
probability it puts on "yes" against "no" is a usable signal once calibrated (`rag/policy.py` combines
it with signals that need no model). The prompt shows only the cited quote (the tight context keeps a
small model from inventing; `Evidence.read_for` adds the sentence before it when the quote lacks a name the
question asks about) and the question, and asks whether the text answers it: the answer itself is bound to
the quote by the policy's rules and scores, so the model judges only what those cannot — whether the quote
speaks to what the question asks, in whatever words. Works with the local GGUF model
(llama.cpp's top log-probabilities) and with OpenAI-compatible endpoints that return `logprobs`; with
anything else it returns None and the policy decides without it. Does not decide anything itself.

Tried and dropped (2026-12-02, dev splits, 96 drafts that passed the rules): asking the model to answer the
question again from the cited quotes alone (or NONE) and scoring how much of that answer the draft holds.
Added to the fitted signals it kept, in 5-fold cross-validation, 28–48 of 66 right drafts at 0–2 wrong ones
shown against 34–38 without it, and no more at 3–6 wrong; it costs a second generation (~1 s) per sentence.
Prompt variants (2026-12-02, the 92 dev drafts that passed the rules): a system prompt with one worked example
of a text that mentions but does not state the answer raised P(yes)'s own AUC from 0.75 to 0.79, and "based
only on the text, is this the right answer" to 0.78, but in 5-fold cross-validation the combined decision kept
the same right drafts (44–45 at 0 wrong shown, 53–54 at 2) as the prompt then used; a claim-only prompt (no question)
did worse (AUC 0.72).
Asking whether the text answers the question, without the answer (2026-12-02, 119 dev drafts that passed the
rules, now with 20 of the paraphrased questions of `evals/paraphrase_qa_dev.jsonl`): AUC 0.82 against 0.74 for
"does the text state this answer" (0.79 with a system prompt that allows other words, 0.77 with "perhaps in other
words"); in 5-fold cross-validation the combined decision kept 50.8 / 59.0 right drafts at 0 / 2 wrong shown
against 43.8 / 54.2 (53.6 / 61.6 with relevance dropped from the signals, as now). Kept. Without the answer, a
quote that says "the bridge" or "he" loses what it refers to ("Who designed the Lake Varn bridge?" against "The
engineer Mira Okafor designed the bridge.": P(yes) 0.46), so when the quotes lack a name the question asks about
the check also reads the sentence before them (`Evidence.read_for`; 0.97 there). Measured on the 118 dev drafts of
the final runs: AUC 0.81 against 0.83 for the quote alone (0.79 with the sentence before always), and in 5-fold
cross-validation 53.0 / 61.6 right drafts kept at 0 / 2 wrong shown against 54.0 / 62.2 — within the noise.
The check's own system message ("You check answers against a text. Reply with one word: yes or no.") gave way to
the answer prompt's, with the one-word instruction after the question (2026-12-02, the same 118 drafts): AUC 0.83
against 0.81, 5-fold cross-validation 59.4 / 63.4 right drafts kept at 0 / 2 wrong shown against 57.0 / 62.8, and
the next question's answer finds its system message still in llama.cpp's prompt cache (`check_messages`). The
instruction as a first line of the user message instead: AUC 0.80; the excerpts numbered as in the answer
prompt: 0.82. Asked instead as the next turn of the answer's own conversation (its prompt and answer are still in
the cache; 123 dev drafts of the runs after that change): "Does this text [the quote] answer the question?" AUC
0.69, "Do the excerpts state that answer?" 0.65, "… answer the question as asked?" 0.76, against 0.83; in 5-fold
cross-validation 44–46 right drafts kept at 0 wrong shown against 57; and only 0.43–0.66 s a check against 0.64:
the model vouches for its own answer. Not kept.
"""

from __future__ import annotations

import math
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from rag.injection import strip_control_tokens
from rag.prompts import DEFAULT, Prompts

# The P(yes) under which the model's check says "no": where a quote check's paraphrase is turned down, and a
# composed who-says answer is no surer than that P(yes) (`rag/policy.py`). On the quote-check dev cases
# (2026-12-06) invented quotes reached 0.41 at most, paraphrases 0.80 and more but one.
CONFIRMED_AT = 0.5
_YES = {"yes", "y"}
_NO = {"no", "n"}


def check_messages(question: str, quotes: list[str], prompts: Prompts = DEFAULT,
                   ending: str | None = None) -> list[BaseMessage]:
    """The check's prompt, ending with `ending` (default `prompts.check`). Its system message is the answer
    prompt's own: llama.cpp keeps one prompt's KV state, so a check with a system message of its own made the next
    question's answer read the answer prompt's system message again (66 tokens, ~0.5 s before its first token)."""
    text = " ".join(" ".join(strip_control_tokens(q).split()) for q in quotes)
    asked = f"Text: {text}\n\nQuestion: {question}\n\n{prompts.check if ending is None else ending}"
    return [SystemMessage(prompts.answer), HumanMessage(asked)]


def yes_share(probabilities: dict[str, float]) -> float | None:
    """P(yes) / (P(yes) + P(no)) over the first token's alternatives ("Yes", " yes", "NO", …)."""
    yes = sum(p for token, p in probabilities.items() if token.strip().lower() in _YES)
    no = sum(p for token, p in probabilities.items() if token.strip().lower() in _NO)
    return yes / (yes + no) if yes + no > 0 else None


def first_token_probabilities(model: Any, messages: list[BaseMessage]) -> dict[str, float] | None:
    """The first reply token's likely alternatives with their probabilities, or None if the model can't say."""
    if hasattr(model, "first_token_probabilities"):
        return dict(model.first_token_probabilities(messages))
    if type(model).__name__ == "ChatOpenAI":
        reply = model.bind(logprobs=True, top_logprobs=10, max_completion_tokens=1).invoke(messages)
        content = (reply.response_metadata.get("logprobs") or {}).get("content") or []
        if content:
            return {alt["token"]: math.exp(alt["logprob"]) for alt in content[0].get("top_logprobs", [])}
    return None


def verdict_probability(model: Any, question: str, quotes: list[str], prompts: Prompts = DEFAULT) -> float | None:
    """The model's own answer to a yes/no `question` over the quotes, as P(yes) (None: unknown): not whether the
    quotes answer it, which they do either way (`rag/verdicts.py`)."""
    probabilities = first_token_probabilities(model, check_messages(question, quotes, prompts, prompts.verdict))
    return yes_share(probabilities) if probabilities else None


def answers_probability(model: Any, question: str, quotes: list[str], prompts: Prompts = DEFAULT) -> float | None:
    """The model's probability that the quotes answer `question` (None: unknown)."""
    probabilities = first_token_probabilities(model, check_messages(question, quotes, prompts))
    return yes_share(probabilities) if probabilities else None
