"""`Settings.from_env`: every `RAG_*` variable lands in its field, blank values keep the defaults, and a value
that cannot be used is a `RagError` naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import RagError, Settings

EVERY_VARIABLE = {
    "RAG_CORPUS_DIR": "articles",
    "RAG_DATA_DIR": "/var/lib/rag",
    "RAG_MODEL_DIR": "models",
    "RAG_CHROMA_URL": "http://127.0.0.1:8123",
    "RAG_CHROMA_TOKEN": "tok-123",
    "RAG_COLLECTION": "news",
    "RAG_BACKEND": "openai",
    "RAG_OPENAI_BASE_URL": "http://127.0.0.1:9000/v1",
    "RAG_OPENAI_API_KEY": "sk-test",
    "RAG_OPENAI_MODEL": "qwen",
    "RAG_K": "7",
    "RAG_THREADS": "3",
    "RAG_TIMEOUT_S": "2.5",
    "RAG_VERIFIED_AT": "0.55",
}
NUMBERS = ["RAG_K", "RAG_THREADS", "RAG_TIMEOUT_S", "RAG_VERIFIED_AT"]


def test_every_variable_sets_its_field(tmp_path: Path) -> None:
    settings = Settings.from_env(EVERY_VARIABLE, root=tmp_path)
    assert settings == Settings(
        root=tmp_path, corpus_dir=Path("articles"), data_dir=Path("/var/lib/rag"), model_dir=Path("models"),
        chroma_url="http://127.0.0.1:8123", chroma_token="tok-123", collection="news", backend="openai",
        openai_base_url="http://127.0.0.1:9000/v1", openai_api_key="sk-test", openai_model="qwen", k=7,
        n_threads=3, request_timeout_s=2.5, verified_at=0.55)
    assert isinstance(settings.k, int) and isinstance(settings.n_threads, int)
    assert isinstance(settings.request_timeout_s, float) and isinstance(settings.verified_at, float)
    assert settings.corpus_path == tmp_path / "articles" and settings.data_path == Path("/var/lib/rag")


def test_no_variables_give_the_defaults(tmp_path: Path) -> None:
    assert Settings.from_env({}, root=tmp_path) == Settings(root=tmp_path)


def test_blank_values_are_ignored(tmp_path: Path) -> None:
    blank = {name: value for name, value in zip(EVERY_VARIABLE, ["", " ", "\t", " \n "] * 4, strict=False)}
    assert len(blank) == len(EVERY_VARIABLE)
    assert Settings.from_env(blank, root=tmp_path) == Settings(root=tmp_path)


def test_values_are_stripped(tmp_path: Path) -> None:
    settings = Settings.from_env({"RAG_BACKEND": "  extractive\n", "RAG_K": " 3 ", "RAG_COLLECTION": " c "},
                                 root=tmp_path)
    assert (settings.backend, settings.k, settings.collection) == ("extractive", 3, "c")


def test_unrelated_variables_are_not_read(tmp_path: Path) -> None:
    env = {"K": "9", "rag_k": "9", "RAG_KK": "9", "BACKEND": "openai", "RAG_SUPPORT_THRESHOLD": "x"}
    assert Settings.from_env(env, root=tmp_path) == Settings(root=tmp_path)


@pytest.mark.parametrize("variable", NUMBERS)
@pytest.mark.parametrize("value", ["many", "1e", "7 7"])
def test_a_bad_number_is_a_user_error(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(RagError) as caught:
        Settings.from_env({variable: value}, root=tmp_path)
    assert caught.value.message == f"{variable}={value!r} is not a number."


def test_a_fraction_where_a_whole_number_is_needed_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(RagError) as caught:
        Settings.from_env({"RAG_K": "2.5"}, root=tmp_path)
    assert caught.value.message == "RAG_K='2.5' is not a number."


@pytest.mark.parametrize(("env", "message"), [
    ({"RAG_BACKEND": "gpt9"}, "Unknown backend 'gpt9'."),
    ({"RAG_K": "0"}, "k must be between 1 and 50, not 0."),
    ({"RAG_K": "51"}, "k must be between 1 and 50, not 51."),
    ({"RAG_VERIFIED_AT": "1.5"}, "verified_at must be between 0 and 1, not 1.5."),
])
def test_a_value_out_of_range_is_a_user_error(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(RagError) as caught:
        Settings.from_env(env, root=tmp_path)
    assert caught.value.message == message


def test_without_a_mapping_the_process_environment_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in EVERY_VARIABLE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAG_K", "9")
    monkeypatch.setenv("RAG_COLLECTION", "from-environ")
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env()
    assert (settings.k, settings.collection, settings.root) == (9, "from-environ", tmp_path)


def test_prompts_are_overridden_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "prompts.json").write_text('{"cannot_answer": "Not in the article."}', encoding="utf-8")
    settings = Settings.from_env({"RAG_PROMPTS": "prompts.json"}, root=tmp_path)
    assert settings.prompts.cannot_answer == "Not in the article."
    assert settings.prompts.says_cannot_answer("Not in the article: it names no one.")
    assert settings.prompts.answer == Settings().prompts.answer  # the others keep their text


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot be read"),
    ("[1, 2]", "must be a JSON object of texts for"),
    ('{"answer": ""}', "must be a JSON object of texts for"),
    ('{"tone": "friendly"}', "must be a JSON object of texts for"),
])
def test_a_bad_prompts_file_is_a_user_error(tmp_path: Path, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / "prompts.json").write_text(content, encoding="utf-8")
    with pytest.raises(RagError) as caught:
        Settings.from_env({"RAG_PROMPTS": "prompts.json"}, root=tmp_path)
    assert message in caught.value.message
