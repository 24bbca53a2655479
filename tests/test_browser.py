"""What a person sees: the real app (`streamlit run`) in headless Chromium from Debian, driven by Playwright.

Asks a question, waits for the answer with its citation, clicks the citation and checks that the source
view shows the quote highlighted and in focus. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, REPO, free_port, stop, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
pytestmark = pytest.mark.server

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: .ci/run installs it with apt-get")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    (root / "corpus").mkdir()
    shutil.copy(ARTICLE, root / "corpus" / ARTICLE.name)
    port = free_port()
    env = {**os.environ, "RAG_DATA_DIR": str(root / "data"), "RAG_BACKEND": "extractive"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def test_ask_then_open_the_cited_quote(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(app_url)
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_visible(timeout=60_000)
        box.fill("Where was al-Khazali born?")
        box.press("Enter")
        citation = page.get_by_role("button", name="[1]").first
        expect(citation).to_be_visible(timeout=120_000)
        expect(page.get_by_text("Sadr City").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)
        citation.click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        frame = dialog.frame_locator("iframe").first
        focus = frame.locator("mark#focus")
        expect(focus).to_have_text("Al-Khazali was born in Sadr City, and he is 47 years old now.", timeout=30_000)
        assert "focus" in (focus.get_attribute("class") or "")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "chat-citation.png"))
        browser.close()
