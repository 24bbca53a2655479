"""The `rag` command: ingest articles and ask questions from a terminal.

A thin edge over the public API: parse arguments, build `Settings` from the environment, call the engine,
print. Answers stream token by token; `--json` prints the one-object contract instead. A `RagError` (or
bad usage) becomes one line on stderr and exit code 2 — never a traceback for something a user typed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from rag import BACKENDS, Answer, AnswerSentence, Engine, RagError, Settings
from rag.answer import clean_question
from rag.policy import UNCONFIRMED

EXIT_USER_ERROR = 2


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


class RagCommand(click.Group):
    """Turns user-facing errors into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RagError as err:
            fail(str(err))
        except click.exceptions.UsageError as err:
            fail(err.format_message())
        except KeyboardInterrupt:
            fail("interrupted")


def make_engine(**overrides: Any) -> Engine:
    settings = Settings.from_env()
    changes = {k: v for k, v in overrides.items() if v is not None}
    return Engine(settings.with_(**changes) if changes else settings)


@click.group(cls=RagCommand, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Ask questions about articles and get answers proven by verbatim quotes."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def ingest(paths: tuple[Path, ...]) -> None:
    """Chunk, embed and store articles (default: the corpus/ folder)."""
    engine = make_engine()
    bars: list[Any] = []

    def progress(done: int, total: int) -> None:
        if total and not bars:  # only once there is something to embed
            bars.append(click.progressbar(length=total, label="Embedding chunks", file=sys.stderr))
            bars[0].__enter__()
        if bars:
            bars[0].update(done - bars[0].pos)

    try:
        report = engine.ingest(list(paths) or None, progress=progress)
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    removed = f", {len(report.removed_sources)} file(s) removed" if report.removed_sources else ""
    click.echo(f"Ingested {report.documents} article(s): {report.added} chunk(s) added, {report.deleted} "
               f"deleted, {report.unchanged} unchanged{removed} ({report.seconds:.1f} s). "
               f"Store: {engine.store.location}")
    for why in report.refused:
        click.secho(f"refused: {why}", fg="yellow", err=True)


def _print_quotes(answer: Answer) -> None:
    for c in answer.citations:
        strength = "a closest passage" if answer.outcome == "abstained" else f"support {c.support:.2f}"
        click.echo(f"[{c.id}] {c.source}, characters {c.start}–{c.end} ({strength}) — {c.speaker_label}")
        click.echo(f"    “{' '.join(c.quote.split())}”")


def _print_answer(answer: Answer) -> None:
    """After the streamed draft: each sentence verified (with its quote markers) or withdrawn (with why), then
    the quotes with their places and speakers; an abstention shows the closest passages instead."""
    click.echo("\n")
    if answer.outcome == "abstained":
        click.secho(answer.answer, bold=True)
        for sentence in [*answer.unconfirmed, *answer.refuted]:  # the ones that may be right first
            click.echo(_unverified_line(sentence))
        click.echo()
        _print_quotes(answer)
        return
    click.secho("Checked against the article:", bold=True)
    for sentence in answer.sentences:
        if sentence.verified:
            marks = "".join(f"[{i}]" for i in sentence.citations)
            click.echo(f"  {sentence.text} {marks} (confidence {sentence.confidence:.2f})")
        else:
            click.echo(_unverified_line(sentence))
    click.echo()
    _print_quotes(answer)


def _unverified_line(sentence: AnswerSentence) -> str:
    """A drafted sentence the policy did not stand behind: "[not confirmed]" when only its confidence fell short
    (it may be right), "[withdrawn]" when a rule found against it; with why."""
    label, colour = ("[not confirmed]", "yellow") if sentence.status == UNCONFIRMED else ("[withdrawn]", "red")
    return f"  {click.style(label, fg=colour)} {sentence.text} ({'; '.join(sentence.reasons) or 'not verified'})"


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the stable contract).")
@click.option("--backend", type=click.Choice(BACKENDS), help="Answer generator (default: local).")
@click.option("--k", type=click.IntRange(1, 50), help="Passages to retrieve (default: 5).")
@click.option("--source", help="Only search this article (its path, e.g. corpus/article.txt).")
def ask(question: str, as_json: bool, backend: str | None, k: int | None, source: str | None) -> None:
    """Answer QUESTION from the ingested articles, citing quotes."""
    clean_question(question)  # a question that cannot be asked is reported before anything is ingested
    engine = make_engine(backend=backend, k=k)
    if engine.ensure_ingested():
        click.echo("Nothing was ingested yet; ingested corpus/ first.", err=True)
    answer: Answer | None = None
    for event in engine.stream(question, source=source):
        if isinstance(event, Answer):
            answer = event
        elif not as_json:
            click.echo(event, nl=False)
    assert answer is not None
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if answer.notice:
        click.secho(f"\nnote: {answer.notice}", fg="yellow", err=True)
    if answer.outcome == "refused":
        click.echo(("\n" if answer.backend != "extractive" else "") + answer.answer)
    else:
        _print_answer(answer)


@main.command("check-quote")
@click.argument("text")
@click.option("--speaker", help="Who the quote is said to be from (\"the author\" or a person's name).")
@click.option("--source", help="Only search this article (its path, e.g. corpus/article.txt).")
@click.option("--backend", type=click.Choice(BACKENDS),
              help="The model that judges a paraphrase (default: local; extractive: no model).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the stable contract).")
def check_quote(text: str, speaker: str | None, source: str | None, backend: str | None, as_json: bool) -> None:
    """Check whether the articles say TEXT: verbatim, altered, in other words or not at all, and who says it."""
    engine = make_engine(backend=backend)
    if engine.ensure_ingested():
        click.echo("Nothing was ingested yet; ingested corpus/ first.", err=True)
    result = engine.check_quote(text, speaker=speaker, source=source)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    colour = {"verbatim": "green", "altered": "yellow", "paraphrase": "cyan", "not_found": "red"}[result.verdict]
    click.secho(result.verdict.replace("_", " ").upper(), fg=colour, bold=True)
    click.echo(result.message)
    if result.text is not None:
        click.echo(f"    “{' '.join(result.text.split())}”")
    for near in result.closest:
        click.echo(f"  {near['source']}, characters {near['start']}–{near['end']} ({near['speaker']}): "
                   f"“{' '.join(near['text'].split())}”")


@main.command("eval")
@click.argument("eval_set", required=False, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Folder for results, summary, report, plots.")
@click.option("--backend", type=click.Choice(BACKENDS), help="Answer generator (default: local).")
@click.option("--k", type=click.IntRange(1, 50), help="Passages to retrieve (default: 5).")
@click.option("--limit", type=click.IntRange(1), help="Only the first N questions.")
@click.option("--judge", type=click.Choice(["auto", "llm", "support"]), default="auto", show_default=True,
              help="Who decides whether a quote supports a sentence: the local LLM or the support score.")
@click.option("--compare", nargs=2, type=click.Path(path_type=Path), metavar="RUN_A RUN_B",
              help="Compare two run folders instead of running a set.")
def eval_command(eval_set: Path | None, out: Path | None, backend: str | None, k: int | None,
                 limit: int | None, judge: str, compare: tuple[Path, Path] | None) -> None:
    """Run an evaluation set (JSONL) and write a report; or compare two runs."""
    from rag.eval_runner import run_eval_to

    if compare:
        from rag.reporting import atomic_write, compare_runs

        text = compare_runs(*compare)
        atomic_write(compare[1] / f"compare-vs-{compare[0].name or 'A'}.md", text)
        click.echo(text)
        return
    if eval_set is None or out is None:
        raise click.UsageError("give an evaluation set and --out DIR (or --compare RUN_A RUN_B)")
    from rag.quote_eval import is_quote_set

    if is_quote_set(eval_set):
        _quote_eval(eval_set, out, backend, limit)
        return
    from rag.eval_sets import load_set

    load_set(eval_set)  # an unusable set is reported before anything is ingested or loaded
    engine = _ingested_engine(backend=backend, k=k)
    with _progress("Evaluating") as progress:
        summary, problems = run_eval_to(engine, eval_set, out, judge=judge, limit=limit, progress=progress)
    for problem in problems:
        click.echo(f"warning: {eval_set}: {problem}", err=True)
    click.echo(f"{summary['questions']} questions, {summary['failed']} failed · correct {summary['correct']} · "
               f"evidence recall@{summary['k']} {summary['evidence_recall_at_k']} · "
               f"refused (unanswerable) {summary['refusal_rate_unanswerable']}")
    click.echo(f"Report: {out / 'report.md'}")


def _ingested_engine(**overrides: Any) -> Engine:
    engine = make_engine(**overrides)
    if engine.ensure_ingested():
        click.echo("Nothing was ingested yet; ingested corpus/ first.", err=True)
    return engine


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr, and the callback that moves it (done, total, the item's id)."""
    with click.progressbar(length=1, label=label, file=sys.stderr, item_show_func=lambda item: item or "") as bar:
        def progress(done: int, total: int, item_id: str) -> None:
            bar.length = total
            bar.current_item = item_id
            bar.update(done - bar.pos)
        yield progress


def _quote_eval(eval_set: Path, out: Path, backend: str | None, limit: int | None) -> None:
    """A quote-check set (`rag/quote_eval.py`): every quote checked, verdicts and speakers scored."""
    from rag.quote_eval import load_cases, run_quote_eval_to

    load_cases(eval_set)  # an unusable set is reported before anything is ingested or loaded
    engine = _ingested_engine(backend=backend)
    with _progress("Checking quotes") as progress:
        summary, problems = run_quote_eval_to(engine, eval_set, out, limit=limit, progress=progress)
    for problem in problems:
        click.echo(f"warning: {eval_set}: {problem} (skipped)", err=True)
    acc = summary["verdict_accuracy"]
    click.echo(f"{summary['cases']} quotes · verdict right {acc['right']} of {acc['of']} · false verbatim "
               f"{summary['false_verbatim']} · speaker right {summary['speaker_accuracy']['share']} · "
               f"meaning changes called {summary['meaning_changes_called']['share']}")
    click.echo(f"Report: {out / 'report.md'}")


@main.command("serve-model")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
def serve_model(host: str, port: int) -> None:
    """Serve the local model as an OpenAI-compatible API (for the openai backend or other tools)."""
    import time

    from rag.local_llm import load_server
    from rag.model_files import model_path

    settings = Settings.from_env()
    server = load_server(model_path(settings.model_dir), settings.n_ctx, settings.n_threads, port=port,
                         host=host)
    click.echo(f"Serving {settings.model_dir.name} at {server.listening_address}/v1 — Ctrl+C stops.")
    while True:
        time.sleep(3600)


if __name__ == "__main__":  # pragma: no cover
    main()
