"""Process settings the native runtimes read once, when they load: applied just before a model is loaded.

Nothing here runs at import: `import rag` changes no environment variable. `prepare_openmp` is called by the
embedder and the local model right before they import torch or llama.cpp (whichever loads the OpenMP runtime
first reads the settings), `prepare_offline_hub` before sentence-transformers is imported.
"""

from __future__ import annotations

import os

# torch (MiniLM) and llama.cpp share one OpenMP runtime, so once torch has run a multi-threaded encode the
# process holds more OpenMP threads than the cores, and libgomp then lets idle threads spin only briefly
# before sleeping: llama.cpp's per-token wake-ups lost about a third of its generation speed. ACTIVE with a
# bounded spin count gives it back (measure with `make bench`: local tokens/s), and idle threads still sleep
# within milliseconds. A value already set by the person running the process wins.
OPENMP = {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "1000000"}
# The embedding model ships inside a pip package: never ask the model hub, and keep its loader quiet.
OFFLINE_HUB = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
               "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}


def prepare_openmp() -> None:
    for name, value in OPENMP.items():
        os.environ.setdefault(name, value)


def prepare_offline_hub() -> None:
    for name, value in OFFLINE_HUB.items():
        os.environ.setdefault(name, value)
