"""Answers copied from the text (`rag/copying.py`): the grammar allows only runs of the excerpts' own words, and a
copy is found again at its exact offsets; with the real local model, the copy is verbatim on every context shape."""

from __future__ import annotations

import pytest

from rag import Engine
from rag.copying import copy_answer, copy_grammar, locate
from rag.generation import format_context
from rag.spans import SourceSpan

TEXT = ('Intro line.\nHe said: “We  will\nwin by 3–1,” the coach \\ manager said "loudly".\n'
        "Zoë Ruiz, 29, scored twice in São Paulo.\n")


def span(text: str, start: int, end: int) -> SourceSpan:
    return SourceSpan("corpus/a.txt", "A", start, end, text[start:end])


def sentences() -> list[SourceSpan]:
    first = TEXT.index("He said")
    second = TEXT.index("Zoë")
    return [span(TEXT, first, second - 1), span(TEXT, second, len(TEXT) - 1)]


def test_the_grammar_allows_every_run_of_words_and_escapes_them() -> None:
    grammar = copy_grammar(sentences())
    root = grammar.splitlines()[0]
    assert root.startswith("root ::= e0-0 | e0-1") and root.count("|") == 13 + 8 - 1  # one start per word
    assert 'e0-0 ::= "He" (" " e0-1)?' in grammar
    assert r'e0-6 ::= "3–1,”" (" " e0-7)?' in grammar  # Unicode as it is
    assert r'"\\"' in grammar and r'"\"loudly\"."' in grammar  # a backslash and quotes escaped
    assert 'e1-7 ::= "Paulo."\n' in grammar  # the last word ends its run
    with pytest.raises(ValueError):
        copy_grammar([span(TEXT, 0, 0)])


def test_a_copy_is_found_again_at_its_exact_offsets() -> None:
    spans = sentences()
    found = locate("“We will win by 3–1,”", spans)  # one space where the file has two and a newline
    assert found is not None and TEXT[found.start:found.end] == found.text == "“We  will\nwin by 3–1,”"
    assert locate("Zoë Ruiz, 29,", spans) is not None
    assert locate("We win", spans) is None  # not a run of consecutive words
    assert locate("", spans) is None
    numbered = locate("[2] Zoë Ruiz,", spans)  # a numbered copy: the number is not part of it
    assert numbered is not None and numbered.text == "Zoë Ruiz,"
    cut = locate("scored twice in São Pau", spans)  # a reply cut inside a word: the partial word is dropped
    assert cut is not None and cut.text == "scored twice in São"


def test_a_numbered_grammar_names_the_excerpt_first() -> None:
    grammar = copy_grammar(sentences(), numbered=True)
    assert grammar.splitlines()[0] == 'root ::= "[1] " x0 | "[2] " x1'
    assert "x1 ::= e1-0 | e1-1 | e1-2" in grammar


@pytest.mark.llm
@pytest.mark.parametrize("question", [
    "What score did he predict?", "How old is Zoë Ruiz?", "Where did Zoë Ruiz score?",
])
def test_the_local_model_copies_verbatim(engine: Engine, question: str) -> None:
    """With a 60-word sentence, quotes, numbers and Unicode in the context, whatever the model copies is a run of
    the excerpts' words, found at offsets that index the text exactly."""
    long = ("The committee, which met in Geneva for three days in March and heard from more than forty witnesses "
            "including farmers, engineers, teachers and the mayors of eleven towns along the river, concluded "
            "that the new dam would flood about 1,200 homes, displace some 4,500 people and cost at least "
            "€2.3bn, far more than the €900m first promised by the regional government in 2019.")
    text = TEXT + long
    spans = [*sentences(), span(text, len(TEXT), len(text))]
    model = engine.chat_model("local")
    messages = engine.settings.prompts.copy_prompt().format_messages(context=format_context(spans),
                                                                     question=question)
    found = copy_answer(model, messages, spans)
    assert found is not None and found.span.text and found.logprob <= 0
    assert text[found.span.start:found.span.end] == found.span.text
