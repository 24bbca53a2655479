"""Starting and stopping the real servers tests and benchmarks use (`chroma run`, `streamlit run`), on
127.0.0.1 only, and the headless Chromium that drives the app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent  # the venv's scripts (rag, chroma, streamlit)
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def started(proc: subprocess.Popen[bytes], health_url: str, seconds: float) -> subprocess.Popen[bytes]:
    """`proc` once `health_url` answers; stopped (and the error raised) if it does not."""
    try:
        wait_for(health_url, seconds, proc)
    except Exception:
        stop(proc)
        raise
    return proc


def start_chroma(path: Path, port: int, seconds: float = 60) -> subprocess.Popen[bytes]:
    """`chroma run` over the store folder `path`, answering its heartbeat before this returns."""
    proc = subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return started(proc, f"http://127.0.0.1:{port}/api/v2/heartbeat", seconds)


CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")  # Debian's; Playwright's download is blocked


def start_app(root: Path, port: int, env: dict[str, str], seconds: float = 120) -> subprocess.Popen[bytes]:
    """`streamlit run app.py` headless on 127.0.0.1 with `root` as its working folder."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=root, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return started(proc, f"http://127.0.0.1:{port}/_stcore/health", seconds)


def launch_chromium(pw: Any) -> Any:
    """Headless Chromium for Playwright, quiet: no sandbox (containers), GPU, QUIC or background traffic."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"])
