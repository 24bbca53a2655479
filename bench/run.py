"""`make bench`: speed, memory and answer quality on this machine, written to bench/results.json and .md.

Every figure comes from this one run (medians of RUNS repeats after a warm-up; the 1,000-article ingest,
minutes long, runs once as RUNS + 2 batches of articles and its figures are medians over the batches):
- ingest vs raw `SentenceTransformer.encode` of the same chunks (the limit for ingest), at 1 article and at
  1,000 synthetic articles (harness/synthetic.py);
- retrieval latency (question embedding included: the cache is cleared before each query) at 1 article and
  at >= 50k chunks, embedded Chroma and a `chroma run` server on 127.0.0.1 over the same store folder. The
  50k-chunk store is built once and kept in .rag/bench/ (its ingest is not a measured figure);
- answers over the engine-check questions (evals/engine_check.jsonl): extractive, local, and the plain
  LangChain tutorial chain (bench/baseline.py) with the same model and questions;
- the local model's prompt and generation speed, and the time an answer needs at those speeds;
- the peak RSS of the app (`streamlit run`, one question asked in headless Chromium) with the local model;
- a quote check (verbatim, and altered: a number changed) at 1 article and at the >= 50k-chunk store.

    python bench/run.py   (BENCH_ARTICLES, BENCH_CHUNKS, BENCH_QUESTIONS, BENCH_BASELINE_QUESTIONS shrink it for a
    quick look; BENCH_OUT=NAME writes bench/NAME.json and .md instead of results.*)
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.baseline import BaselineChain  # noqa: E402
from harness.questions import ANSWERABLE, UNANSWERABLE, is_correct  # noqa: E402
from harness.servers import CHROMIUM, free_port, launch_chromium, start_app, start_chroma, stop  # noqa: E402
from harness.synthetic import generate  # noqa: E402
from rag import Engine, Settings  # noqa: E402
from rag.chunking import chunk_document  # noqa: E402
from rag.corpus import load_corpus  # noqa: E402
from rag.embedding import MiniLMEmbedder  # noqa: E402
from rag.runtime import machine  # noqa: E402

RUNS = 3
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))
CHUNKS = int(os.environ.get("BENCH_CHUNKS", "50000"))
BASELINE_QUESTIONS = int(os.environ.get("BENCH_BASELINE_QUESTIONS", "12"))
QUESTIONS = ANSWERABLE[: int(os.environ.get("BENCH_QUESTIONS", str(len(ANSWERABLE))))]
ARTICLE = ROOT / "corpus" / "qais-al-khazali-interview-iran.txt"
CACHE = ROOT / ".rag" / "bench"
WORDS = 1500  # per synthetic article


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- ingest ----------------------------------------------------------------------------------------
def chunk_texts(root: Path) -> list[str]:
    return [c.text for d in load_corpus([root / "corpus"], root) for c in chunk_document(d, Settings())]


def encode_rate(embedder: MiniLMEmbedder, texts: list[str]) -> float:
    """Chunks per second of raw `SentenceTransformer.encode` (same batch size and normalisation as ingest)."""
    model = embedder._load()
    began = time.perf_counter()
    model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True, convert_to_numpy=True,
                 show_progress_bar=False)
    return len(texts) / (time.perf_counter() - began)


def ingest_rate(root: Path, data_dir: Path, embedder: MiniLMEmbedder) -> tuple[float, int]:
    """Chunks per second of `Engine.ingest` (read, chunk, embed, write to Chroma) into an empty store."""
    engine = Engine(Settings(root=root, data_dir=data_dir), embedder=embedder)
    forget_parses()
    began = time.perf_counter()
    report = engine.ingest()
    return report.added / (time.perf_counter() - began), report.added


def ingest_figures(root: Path, embedder: MiniLMEmbedder, runs: int, keep: Path | None = None) -> dict[str, float]:
    """Medians of `runs` ingests of the whole corpus into an empty store, each after a raw encode of its chunks."""
    texts = chunk_texts(root)
    encode, ingest = [], []
    for run in range(runs):
        encode.append(encode_rate(embedder, texts))
        with tempfile.TemporaryDirectory() as tmp:
            target = keep if keep is not None and run == runs - 1 else Path(tmp)
            rate, added = ingest_rate(root, target, embedder)
            ingest.append(rate)
    return ingest_summary(encode, ingest, added)


def sliced_ingest_figures(root: Path, embedder: MiniLMEmbedder, slices: int, keep: Path | None = None
                          ) -> dict[str, float]:
    """A big corpus (minutes per pass) ingested once, as `slices` batches of articles added to one growing
    store; each batch is a run of its own (a raw encode of its new chunks, then an incremental ingest that
    also re-reads and skips the articles already stored), and the figures are medians over the batches."""
    files = sorted((root / "corpus").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "stage"
        (stage / "corpus").mkdir(parents=True)
        engine = Engine(Settings(root=stage, data_dir=keep or Path(tmp) / "data"), embedder=embedder)
        encode, ingest, added = [], [], 0
        for run in range(slices):
            batch = files[run * len(files) // slices:(run + 1) * len(files) // slices]
            for path in batch:
                shutil.copyfile(path, stage / "corpus" / path.name)
            fresh = {f"corpus/{path.name}" for path in batch}
            texts = [c.text for d in load_corpus([stage / "corpus"], stage) if d.source in fresh
                     for c in chunk_document(d, engine.settings)]
            encode.append(encode_rate(embedder, texts))
            forget_parses()
            began = time.perf_counter()
            report = engine.ingest()
            ingest.append(report.added / (time.perf_counter() - began))
            added += report.added
    return ingest_summary(encode, ingest, added)


def forget_parses() -> None:
    """Drop the parses `chunk_texts` made, so the ingest that is timed parses every article itself."""
    from rag import reading

    reading._read.cache_clear()


def ingest_summary(encode: list[float], ingest: list[float], chunks: int) -> dict[str, float]:
    """Medians of the runs' chunks/s, raw encode and ingest, and their ratio."""
    enc, ing = statistics.median(encode), statistics.median(ingest)
    return {"chunks": chunks, "encode": enc, "ingest": ing, "ratio": ing / enc, "runs": len(ingest)}


# -- retrieval -------------------------------------------------------------------------------------
def retrieval_latency(engine: Engine, source: str | None = None) -> tuple[float, float]:
    """p50, p95 in ms over RUNS rounds of the engine-check questions, each embedding its question."""
    for q in ANSWERABLE[:3]:
        engine.retrieve(q.question, source=source)
    latencies = []
    for _ in range(RUNS):
        for q in ANSWERABLE:
            engine.embedder.clear_cache()
            began = time.perf_counter()
            engine.retrieve(q.question, source=source)
            latencies.append((time.perf_counter() - began) * 1000)
    return statistics.median(latencies), pct(latencies, 0.95)


def release_embedded_store() -> None:
    """Let go of an embedded Chroma so a server can open the same folder."""
    from chromadb.api.shared_system_client import SharedSystemClient

    gc.collect()
    SharedSystemClient.clear_system_cache()


def server_latency(settings: Settings, embedder: MiniLMEmbedder, source: str | None = None
                   ) -> tuple[float, float]:
    """The same store folder served by `chroma run` on 127.0.0.1, queried over HTTP."""
    port = free_port()
    proc = start_chroma(settings.data_path / "chroma", port, seconds=300)
    try:
        engine = Engine(settings.with_(chroma_url=f"http://127.0.0.1:{port}"), embedder=embedder)
        engine.retriever.warm_up()
        return retrieval_latency(engine, source)
    finally:
        stop(proc)


def scale_settings(chunks_per_article: float) -> Settings:
    """Where the >= CHUNKS store over synthetic articles lives (built once, kept in .rag/bench/)."""
    articles = max(ARTICLES, math.ceil(CHUNKS / chunks_per_article * 1.02))
    root = CACHE / f"scale-{articles}x{WORDS}"
    return Settings(root=root, data_dir=root / "data")


def synthetic_corpus(corpus: Path, articles: int) -> None:
    """Write the first `articles` synthetic articles to `corpus` unless exactly that many are there already
    (they are deterministic, so a folder of the right size holds the same texts)."""
    if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != articles:
        shutil.rmtree(corpus, ignore_errors=True)
        generate(articles, corpus, words=WORDS)


def build_scale_store(settings: Settings, embedder: MiniLMEmbedder) -> int:
    """Fill the scale store up to all its articles (only what is missing is embedded) and count its chunks.

    Its articles are written to its corpus folder even when the measured ingest already stored enough chunks
    (a reduced run): the engine drops, before quoting, every stored article whose file is gone."""
    engine = Engine(settings, embedder=embedder)
    articles = int(settings.root.name.split("-")[1].split("x")[0])
    synthetic_corpus(settings.root / "corpus", articles)
    if engine.store.count() < CHUNKS:
        log(f"building the {articles}-article store for the scale figures (once; kept in {settings.root})")
        engine.ingest()
    return engine.store.count()


# -- answers ---------------------------------------------------------------------------------------
def answer_run(engine: Engine, backend: str, text: str, questions: list[Any]) -> dict[str, Any]:
    total, first, prompt, completion, oks, cited = [], [], [], [], [], 0
    stages: dict[str, list[float]] = {}
    for q in questions:
        start = text.index(q.evidence)
        answer = engine.ask(q.question, backend=backend)  # type: ignore[arg-type]
        ok = is_correct(answer.answer, q) and not answer.refused
        oks.append(ok)
        cited += ok and any(c.start < start + len(q.evidence) and start < c.end for c in answer.citations)
        total.append(answer.timings_ms["total_ms"] / 1000)
        for stage, ms in answer.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
        if "first_token_ms" in answer.timings_ms:
            first.append(answer.timings_ms["first_token_ms"] / 1000)
        if answer.usage:
            prompt.append(answer.usage["prompt_tokens"])
            completion.append(answer.usage["completion_tokens"])
    out: dict[str, Any] = {"questions": len(questions), "correct": sum(oks) / len(questions), "all_ok": oks,
                           "correct_with_citation_on_evidence": cited / len(questions),
                           "p50_s": statistics.median(total), "p95_s": pct(total, 0.95), "all_s": total,
                           "stages_p50_ms": {k: statistics.median(v) for k, v in stages.items()}}
    if first:
        out["first_token_p50_s"] = statistics.median(first)
    if prompt:
        out["prompt_tokens_p50"] = statistics.median(prompt)
        out["completion_tokens_p50"] = statistics.median(completion)
    return out


def llama_server(engine: Engine) -> Any:
    """The llama.cpp server behind the engine's local chat model (the same loaded instance)."""
    from rag.local_llm import load_server

    model = engine.chat_model("local")
    return load_server(model.model_path, model.n_ctx, model.n_threads)


def model_speed(engine: Engine) -> dict[str, float]:
    """Prompt and generation tokens per second of the local model, from llama.cpp's own timings."""
    server = llama_server(engine)
    sample = ARTICLE.read_text(encoding="utf-8")[:1400]
    prompt_speed, gen_speed = [], []
    for run in range(RUNS):
        reply = server.handle_chat_completions({
            "messages": [{"role": "user", "content": f"({run}) Summarise this text:\n{sample}"}],
            "max_tokens": 64, "temperature": 0.0, "cache_prompt": False, "ignore_eos": True})
        timings = reply["timings"]
        prompt_speed.append(timings["prompt_per_second"])
        gen_speed.append(timings["predicted_per_second"])
    return {"prompt_tokens_per_s": statistics.median(prompt_speed),
            "generation_tokens_per_s": statistics.median(gen_speed)}


def cached_prefix_tokens(engine: Engine) -> int:
    """Tokens of the prompt that every question shares (the system message and the chat template's start)."""
    from rag.prompts import DEFAULT

    server = llama_server(engine)
    counts = []
    for context, question in (("[1] Some text.", "a?"), ("Other words.", "b?")):
        messages = DEFAULT.answer_prompt().format_messages(context=context, question=question)
        roles = {"system": "system", "human": "user"}
        reply = server.handle_chat_completions({
            "messages": [{"role": roles[m.type], "content": m.text} for m in messages], "max_tokens": 1,
            "temperature": 0.0, "cache_prompt": True})
        counts.append(reply["timings"]["cache_n"])
    return int(counts[-1])


def vm_hwm_mb(pid: int | str) -> float:
    """A process's peak resident memory (VmHWM). Not ru_maxrss: that survives exec, so a child started from
    this process would report this process's peak."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024


def app_peak_rss(data_dir: Path) -> tuple[float, str]:
    """Peak RSS (MB) of the app, from start until it has answered one question with the local model: a real
    `streamlit run` server driven by headless Chromium, or (no Chromium here) a process running app.py under
    Streamlit's AppTest. Returns the figure and how it was measured."""
    env = {"RAG_DATA_DIR": str(data_dir), "RAG_BACKEND": "local"}
    question = "How old is Qais al-Khazali?"
    if CHROMIUM.exists():
        from playwright.sync_api import expect, sync_playwright

        port = free_port()
        proc = start_app(ROOT, port, env, seconds=300)
        try:
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}")
                box = page.get_by_test_id("stChatInputTextArea")
                expect(box).to_be_visible(timeout=300_000)
                box.fill(question)
                box.press("Enter")
                expect(page.get_by_role("button", name="[1]").first).to_be_visible(timeout=300_000)
                browser.close()
            return vm_hwm_mb(proc.pid), "streamlit run, one question asked in Chromium"
        finally:
            stop(proc)
    script = ("import sys\n"
              "from streamlit.testing.v1 import AppTest\n"
              "at = AppTest.from_file('app.py', default_timeout=300).run()\n"
              f"at.chat_input[0].set_value({question!r}).run()\n"
              "assert not at.exception, at.exception\n"
              "from bench.run import vm_hwm_mb\n"
              "print(vm_hwm_mb('self'))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=900, check=True)
    return float(done.stdout.strip().splitlines()[-1]), "app.py under Streamlit's AppTest (no Chromium)"


def timed(label: str, fn: Callable[[], Any]) -> Any:
    log(f"{label} …")
    began = time.perf_counter()
    value = fn()
    log(f"{label}: {time.perf_counter() - began:.1f} s")
    return value


def retrieval_figures(r: dict[str, Any], one: Settings, scale: Settings, embedder: MiniLMEmbedder) -> str:
    """Retrieval latency at 1 article and at scale, embedded Chroma; returns the scale key."""
    engine = Engine(one, embedder=embedder)
    engine.retriever.warm_up()
    p50, p95 = timed("retrieval, 1 article, embedded", lambda: retrieval_latency(engine))
    r["retrieval_p50_ms"] = {"1_article_embedded": p50}
    r["retrieval_p95_ms"] = {"1_article_embedded": p95}

    scale_chunks = timed("scale store", lambda: build_scale_store(scale, embedder))
    scale_engine = Engine(scale, embedder=embedder)
    t = time.perf_counter()
    scale_engine.retriever.warm_up()
    r["snapshot_build_s_at_scale"] = time.perf_counter() - t
    r["scale_chunks"] = scale_chunks
    key_scale = f"{scale_chunks // 1000}k_chunks"
    p50, p95 = timed(f"retrieval, {key_scale}, embedded", lambda: retrieval_latency(scale_engine))
    r["retrieval_p50_ms"][f"{key_scale}_embedded"] = p50
    r["retrieval_p95_ms"][f"{key_scale}_embedded"] = p95
    one_source = "corpus/synthetic-00001.txt"
    p50, _ = timed("retrieval, one article filter, embedded",
                   lambda: retrieval_latency(scale_engine, one_source))
    r["retrieval_filtered_p50_ms"] = {f"{key_scale}_embedded": p50}
    r["quote_check_p50_ms"] = {}
    for key, eng in (("1_article", engine), (key_scale, scale_engine)):
        for verdict, quote in QUOTES.items():
            r["quote_check_p50_ms"][f"{verdict}_{key}"] = timed(
                f"quote check ({verdict}), {key}", lambda e=eng, q=quote: quote_check_latency(e, q))  # type: ignore[misc]
    return key_scale


# A verbatim quote of the article (other quotation marks), and one with a number changed: the two verdicts the
# engine gives without a model.
QUOTES = {"verbatim": "“Al-Khazali was born in Sadr City, and he is 47 years old now”",
          "altered": "Al-Khazali was born in Sadr City, and he is 57 years old now."}


def quote_check_latency(engine: Engine, quote: str) -> float:
    """Median ms of a quote check (no model), after one warm-up check."""
    engine.check_quote(quote, backend="extractive")
    times = []
    for _ in range(RUNS * 3):
        t = time.perf_counter()
        engine.check_quote(quote, backend="extractive")
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def server_retrieval_figures(r: dict[str, Any], one: Settings, scale: Settings, embedder: MiniLMEmbedder,
                             key_scale: str) -> None:
    """The same two store folders served by `chroma run` (after the embedded clients let go of them)."""
    for settings, key in ((one, "1_article"), (scale, key_scale)):
        p50, p95 = timed(f"retrieval, {key}, server", lambda s=settings: server_latency(s, embedder))  # type: ignore[misc]
        r["retrieval_p50_ms"][f"{key}_server"] = p50
        r["retrieval_p95_ms"][f"{key}_server"] = p95
    p50, _ = timed("retrieval, one article filter, server",
                   lambda: server_latency(scale, embedder, "corpus/synthetic-00001.txt"))
    r["retrieval_filtered_p50_ms"][f"{key_scale}_server"] = p50


def answer_figures(r: dict[str, Any], one: Settings, embedder: MiniLMEmbedder, text: str) -> None:
    """Extractive, local and baseline answers on the 1-article store; model speed and the answer-time limit."""
    engine = Engine(one, embedder=embedder)
    t = time.perf_counter()
    engine.warm_up("extractive")  # as the app does while its models load: the source sentences get embedded
    r["extractive_warm_up_s"] = time.perf_counter() - t
    extractive = timed("answers, extractive", lambda: answer_run(engine, "extractive", text, QUESTIONS))
    r["answer_extractive_p50_ms"] = extractive["p50_s"] * 1000
    r["extractive"] = {k: v for k, v in extractive.items() if k not in ("all_s", "all_ok")}
    t = time.perf_counter()
    engine.warm_up("local")
    r["local_model_load_s"] = time.perf_counter() - t
    engine.ask(ANSWERABLE[0].question, backend="local")  # the system prompt enters the prompt cache
    local = timed("answers, local", lambda: answer_run(engine, "local", text, QUESTIONS))
    r["local"] = {k: v for k, v in local.items() if k not in ("all_s", "all_ok")}
    r["local"]["unanswerable_refused"] = sum(engine.ask(u, backend="local").refused
                                             for u in UNANSWERABLE) / len(UNANSWERABLE)
    r["answer_local_p50_s"] = local["p50_s"]
    r["answer_local_p95_s"] = local["p95_s"]
    r["first_token_local_p50_s"] = local["first_token_p50_s"]
    r["prompt_tokens_p50"] = local["prompt_tokens_p50"]
    r["answer_tokens_p50"] = local["completion_tokens_p50"]
    r.update(timed("model speed", lambda: model_speed(engine)))
    r["answer_local_limit_s"] = (r["prompt_tokens_p50"] / r["prompt_tokens_per_s"]
                                 + r["answer_tokens_p50"] / r["generation_tokens_per_s"])
    # What the first token needs at best: the prompt's new tokens (the system prefix is cached) at prompt speed.
    r["cached_prefix_tokens"] = cached_prefix_tokens(engine)
    r["first_token_local_limit_s"] = (r["prompt_tokens_p50"] - r["cached_prefix_tokens"]) / r["prompt_tokens_per_s"]

    subset = QUESTIONS[:BASELINE_QUESTIONS]
    base = timed("baseline chain", lambda: baseline_run(engine, text, subset))
    r["baseline"] = base
    r["baseline_answer_local_p50_s"] = base["p50_s"]
    ours = statistics.median(local["all_s"][:BASELINE_QUESTIONS])
    r["answer_local_p50_s_on_baseline_questions"] = ours
    r["answer_vs_baseline_ratio"] = ours / base["p50_s"]
    r["correct_on_baseline_questions"] = {
        "ours": sum(local["all_ok"][:BASELINE_QUESTIONS]) / len(subset),
        "baseline": base["correct"]}


# -- the run ---------------------------------------------------------------------------------------
def llama_cpp_features() -> str:
    """The instruction sets the installed llama.cpp was built with (`make install` builds it for this CPU)."""
    import xllamacpp

    info = xllamacpp.get_system_info().replace("CPU :", "|")
    return " ".join(part.split("=")[0].strip() for part in info.split("|") if part.strip().endswith("= 1"))


def main() -> None:
    began = time.perf_counter()
    text = ARTICLE.read_bytes().decode("utf-8")
    r: dict[str, Any] = {
        "machine": f"{machine()}, python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"), "runs": RUNS,
        "corpus_note": "1 article = corpus/; scale figures use synthetic articles (harness/synthetic.py)",
        "llama_cpp_cpu_features": llama_cpp_features(),
    }
    embedder = MiniLMEmbedder()
    t = time.perf_counter()
    embedder.warm_up()
    r["embedder_load_s"] = time.perf_counter() - t
    encode_rate(embedder, chunk_texts(ROOT)[:8])  # warm-up

    with tempfile.TemporaryDirectory() as tmp:
        one_dir = Path(tmp) / "one"
        one = timed("ingest, 1 article", lambda: ingest_figures(ROOT, embedder, RUNS * 2, keep=one_dir))
        scale_root = CACHE / f"articles-{ARTICLES}x{WORDS}"
        synthetic_corpus(scale_root / "corpus", ARTICLES)
        scale = scale_settings(len(chunk_texts(scale_root)) / ARTICLES)
        # The measured 1,000-article ingest becomes the start of the scale store when that is empty (same file
        # names and texts, so the same chunk ids). A store already partly built is left alone: ingesting into it
        # would find the articles stored and time nothing.
        keep = scale.data_path if Engine(scale, embedder=embedder).store.count() == 0 else None
        many = timed(f"ingest, {ARTICLES} articles", lambda: sliced_ingest_figures(scale_root, embedder, RUNS + 2,
                                                                                    keep=keep))
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in (scale_root / "corpus").glob("*.txt"))
        key_many = f"{ARTICLES}_articles"
        r["ingest_chunks_per_s"] = {"1_article": one["ingest"], key_many: many["ingest"]}
        r["encode_chunks_per_s"] = {"1_article": one["encode"], key_many: many["encode"]}
        r["ingest_ratio_vs_encode"] = {"1_article": one["ratio"], key_many: many["ratio"]}
        r["ingest_chunks"] = {"1_article": one["chunks"], key_many: many["chunks"]}
        r["ingest_runs"] = {"1_article": one["runs"], key_many: many["runs"]}
        r["scale_corpus_words"] = words

        one_settings = Settings(root=ROOT, data_dir=one_dir)
        key_scale = retrieval_figures(r, one_settings, scale, embedder)
        release_embedded_store()
        server_retrieval_figures(r, one_settings, scale, embedder, key_scale)
        answer_figures(r, one_settings, embedder, text)
        release_embedded_store()
        r["peak_rss_mb"], r["peak_rss_of"] = timed("app peak RSS", lambda: app_peak_rss(Path(tmp) / "app"))
    r["targets"] = targets(r)
    r["bench_seconds"] = time.perf_counter() - began
    out, stem = ROOT / "bench", os.environ.get("BENCH_OUT", "results")  # a reduced run writes beside the full one
    (out / f"{stem}.json").write_text(json.dumps(r, indent=2) + "\n")
    (out / f"{stem}.md").write_text(render(r))
    print(render(r))


def baseline_run(engine: Engine, text: str, questions: list[Any]) -> dict[str, Any]:
    chain = BaselineChain(text, "corpus/" + ARTICLE.name, engine.embedder, engine.chat_model("local"))
    chain.ask(questions[0].question)  # warm-up, as for ours
    runs = [chain.ask(q.question) for q in questions]
    return {"questions": len(questions), "chunks": chain.chunks,
            "correct": sum(is_correct(run["answer"], q) for run, q in zip(runs, questions, strict=True))
            / len(questions),
            "p50_s": statistics.median(run["total_s"] for run in runs),
            "first_token_p50_s": statistics.median(run["first_token_s"] for run in runs)}


def targets(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    scale = next(k for k in r["retrieval_p50_ms"] if k.endswith("_embedded") and not k.startswith("1_"))
    server = scale.replace("_embedded", "_server")
    checks = [
        ("ingest ratio vs encode (lower of 1 and 1,000 articles)", min(r["ingest_ratio_vs_encode"].values()),
         ">=", 0.8),
        ("retrieval p50 ms, 1_article_embedded", r["retrieval_p50_ms"]["1_article_embedded"], "<=", 15),
        ("retrieval p50 ms, 1_article_server", r["retrieval_p50_ms"]["1_article_server"], "<=", 15),
        (f"retrieval p50 ms, {scale}", r["retrieval_p50_ms"][scale], "<=", 50),
        (f"retrieval p50 ms, {server}", r["retrieval_p50_ms"][server], "<=", 50),
        # With verification on (every sentence checked by the answer policy, one model check per sentence).
        ("local answer p50 s", r["answer_local_p50_s"], "<=", 2.5),
        ("local first token p50 s", r["first_token_local_p50_s"], "<=", 1.2),
        ("local answer / baseline chain", r["answer_vs_baseline_ratio"], "<=", 0.5),
        ("correct vs baseline (same questions)", r["correct_on_baseline_questions"]["ours"], ">=",
         r["correct_on_baseline_questions"]["baseline"]),
        ("peak RSS MB (app, local model)", r["peak_rss_mb"], "<=", 3072),
        *((f"quote check p50 ms, {key}", ms, "<=", 50 if key.endswith("1_article") else 300)
          for key, ms in r.get("quote_check_p50_ms", {}).items()),
    ]
    return {name: {"value": value, "target": f"{op} {limit}",
                   "met": value >= limit if op == ">=" else value <= limit} for name, value, op, limit in checks}


HEADER_KEYS = ("targets", "machine", "date", "runs", "corpus_note", "llama_cpp_cpu_features")  # shown above the table


def render(r: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return str(value)

    lines = ["# Benchmark results", "", f"Machine: {r['machine']} · {r['date']} · medians of {r['runs']} runs "
             f"after warm-up · whole bench {r['bench_seconds'] / 60:.1f} min", "",
             f"llama.cpp built with: {r['llama_cpp_cpu_features']}", "",
             f"Scale corpus: {r['ingest_chunks'][next(iter(k for k in r['ingest_chunks'] if k != '1_article'))]:,} "
             f"chunks from {r['scale_corpus_words']:,} words of synthetic articles; retrieval at scale over "
             f"{r['scale_chunks']:,} chunks (harness/synthetic.py).", "",
             "## Targets", "", "| target | value | wanted | met |", "|---|---|---|---|"]
    for name, t in r["targets"].items():
        lines.append(f"| {name} | {fmt(t['value'])} | {t['target']} | {'yes' if t['met'] else '**no**'} |")
    lines += ["", "## All figures", "", "| key | value |", "|---|---|"]
    def rows(prefix: str, value: Any) -> list[str]:
        if isinstance(value, dict):
            return [row for k, v in value.items() for row in rows(f"{prefix}.{k}" if prefix else k, v)]
        return [f"| {prefix} | {fmt(value)} |"]

    lines += rows("", {k: v for k, v in r.items() if k not in HEADER_KEYS})
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
