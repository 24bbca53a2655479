"""Collects the reliability cases (tests marked `reliability`) and, with `--reliability-report PATH`, writes
the report `make reliability` produces: cases tried, passed, and data lost.

A case is `@pytest.mark.reliability("group", data=True)` when it checks that nothing was lost (files,
chunks, history, feedback); a data case that fails counts as data lost. The first docstring paragraph of
each test says the case and the outcome it asserts (parametrized variants are named after it).
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

GROUPS = ["questions", "reading", "files", "eval sets", "environment", "prompt injection", "rendering", "concurrency",
          "crash safety"]


@dataclass
class Case:
    group: str
    name: str
    expected: str
    data: bool
    outcome: str = "passed"
    seconds: float = 0.0
    detail: str = ""


_cases: dict[str, Case] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability(group, data=False): a case of the reliability suite")


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    marker = item.get_closest_marker("reliability")
    if marker is None:
        return
    doc = (getattr(item, "obj", None).__doc__ or item.name).strip().split("\n\n")[0]  # type: ignore[union-attr]
    callspec = getattr(item, "callspec", None)
    variant = f" — *{callspec.id}*" if callspec is not None else ""
    case = _cases.setdefault(item.nodeid, Case(marker.args[0] if marker.args else "other", item.name,
                                               " ".join(doc.split()) + variant,
                                               bool(marker.kwargs.get("data", False))))
    case.seconds += call.duration
    if call.excinfo is not None and case.outcome == "passed":
        skipped = call.excinfo.errisinstance(pytest.skip.Exception)
        case.outcome = "skipped" if skipped else "failed"
        case.detail = str(call.excinfo.value).strip().splitlines()[0][:200] if call.excinfo.value else ""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = session.config.getoption("--reliability-report")
    if not target or not _cases:
        return
    cases = list(_cases.values())
    passed = sum(c.outcome == "passed" for c in cases)
    failed = [c for c in cases if c.outcome == "failed"]
    lost = sum(c.data and c.outcome != "passed" for c in cases)
    lines = ["# Reliability report", "",
             f"`make reliability` on {time.strftime('%Y-%m-%d %H:%M')} ({platform.machine()}, "
             f"python {platform.python_version()}). Each case asserts one exact outcome; the suite's tests are in "
             "`tests/reliability/` and the browser cases in `tests/test_browser.py`.", "",
             "| cases tried | passed | failed | skipped | data lost |", "|---|---|---|---|---|",
             f"| {len(cases)} | {passed} | {len(failed)} | {sum(c.outcome == 'skipped' for c in cases)} | {lost} |",
             "", "“Data lost” counts the cases that check that nothing is lost (files, chunks, history, feedback, "
             "reports) and did not pass.", ""]
    order = {g: i for i, g in enumerate(GROUPS)}
    for group in sorted({c.group for c in cases}, key=lambda g: order.get(g, len(order))):
        lines += [f"## {group}", "", "| case and expected outcome | result | checks data | seconds |",
                  "|---|---|---|---|"]
        for c in (c for c in cases if c.group == group):
            result = c.outcome if c.outcome == "passed" else f"**{c.outcome}**: {c.detail}"
            lines.append(f"| {c.expected.replace('|', '/')} | {result.replace('|', '/')} | "
                         f"{'yes' if c.data else ''} | {c.seconds:.1f} |")
        lines.append("")
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
