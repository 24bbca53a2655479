"""Importing `rag` sets nothing; the runtime settings arrive when a model loads (rag/runtime.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from harness.servers import REPO
from rag.runtime import OFFLINE_HUB, OPENMP

pytestmark = pytest.mark.slow  # each test starts a fresh Python process
SHOW = "import json, os; print(json.dumps({k: os.environ.get(k) for k in %r}))"


def environment_after(code: str) -> dict[str, str | None]:
    names = [*OPENMP, *OFFLINE_HUB]
    clean = {k: v for k, v in os.environ.items() if k not in names}
    done = subprocess.run([sys.executable, "-c", f"{code}\n{SHOW % names}"], cwd=REPO, env=clean,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_import_rag_changes_no_environment_variable() -> None:
    assert environment_after("import rag, rag.cli") == {k: None for k in [*OPENMP, *OFFLINE_HUB]}


def test_loading_the_embedder_applies_openmp_and_offline_settings_first() -> None:
    seen = environment_after("from rag.embedding import MiniLMEmbedder\nMiniLMEmbedder().warm_up()")
    assert seen == {**OPENMP, **OFFLINE_HUB}


def test_a_value_set_by_the_person_wins() -> None:
    code = ("import os\nos.environ['OMP_WAIT_POLICY'] = 'PASSIVE'\n"
            "from rag.runtime import prepare_openmp\nprepare_openmp()")
    assert environment_after(code)["OMP_WAIT_POLICY"] == "PASSIVE"


def test_one_thread_waits_for_a_torch_import_another_thread_has_begun() -> None:
    # An ingest's parse thread imports spaCy, which imports torch; the embedding beside it must not find the
    # module half made (it did: "partially initialized module 'torch' has no attribute 'get_num_threads'").
    code = ("import sys, threading, time\nfrom rag.runtime import one_thread\n"
            "threading.Thread(target=lambda: __import__('spacy'), daemon=True).start()\n"
            "until = time.monotonic() + 60\n"
            "while 'torch' not in sys.modules and time.monotonic() < until:\n    time.sleep(0.001)\n"
            "assert 'torch' in sys.modules, 'spaCy no longer imports torch'\n"
            "with one_thread():\n    import torch\n    assert torch.get_num_threads() == 1")
    environment_after(code)
