"""Process settings the native runtimes read once, when they load: applied just before a model is loaded; torch kept
to one thread while other work runs beside it (`one_thread`); and the machine they run on, as an evaluation run
records it (`machine`).

Nothing here runs at import: `import rag` changes no environment variable. `prepare_openmp` is called by the
embedder and the local model right before they import torch or llama.cpp (whichever loads the OpenMP runtime
first reads the settings), `prepare_offline_hub` before sentence-transformers is imported.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# torch (MiniLM) and llama.cpp share one OpenMP runtime, so once torch has run a multi-threaded encode the
# process holds more OpenMP threads than the cores, and libgomp then lets idle threads spin only briefly
# before sleeping: llama.cpp's per-token wake-ups lost about a third of its generation speed. ACTIVE with a
# bounded spin count gives it back (measure with `make bench`: local tokens/s), and idle threads still sleep
# within milliseconds. A value already set by the person running the process wins.
OPENMP = {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "1000000"}
# The vector instructions llama.cpp's and torch's kernels choose between on x86: the sums they compute differ in
# their last bits from one set to another, and a greedy draft can follow another token from there.
VECTOR_FLAGS = ("avx2", "fma", "f16c", "avx_vnni", "avx512f", "avx512_vnni", "avx512_bf16")
# The embedding model ships inside a pip package: never ask the model hub, and keep its loader quiet.
OFFLINE_HUB = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
               "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}


def prepare_openmp() -> None:
    for name, value in OPENMP.items():
        os.environ.setdefault(name, value)


def prepare_offline_hub() -> None:
    for name, value in OFFLINE_HUB.items():
        os.environ.setdefault(name, value)


@contextmanager
def one_thread() -> Iterator[None]:
    """torch on one thread inside the block (back to what it was after), so that work on another thread (the
    parse of the articles an ingest embeds) has the other core: two busy torch threads and the parse on two cores
    wait on each other at every layer, torch's threads spinning (`OPENMP`) while the parse holds a core. A no-op
    before torch is loaded. Once another thread has begun to import torch (spaCy's import does, in the parse
    thread of an ingest) it waits for that import to finish rather than find the module half made."""
    if sys.modules.get("torch") is None:  # not loaded (or blocked: a None entry)
        yield
        return
    import torch  # loaded already, or being loaded by another thread: this waits for it

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def machine() -> str:
    """The machine, as one line: CPU model, cores, the vector instructions its kernels can use. A local model's
    greedy draft depends on that arithmetic: the same engine and questions run on two machines here flipped two of
    94 news answers (a different draft; a confidence 0.70 → 0.69), so `rag eval --compare` says when two runs were
    made on different machines."""
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip() or model
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:  # not Linux: the processor's name alone
        pass
    vector = " ".join(f for f in VECTOR_FLAGS if f in flags)
    return f"{model}, {os.cpu_count()} cores" + (f", {vector}" if vector else "")
