"""Shared fixtures, and the guard that QGIS tests really ran.

Under ``GUNMANE_REQUIRE_QGIS=1`` (set by ``make test`` and so by CI) the run fails
when a test marked ``qgis`` was skipped, or when no ``qgis`` test passed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_layers"

_qgis_outcomes: dict[str, str] = {}


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


def pytest_runtest_logreport(report):
    if "qgis" in report.keywords:
        if report.when == "call" or report.outcome == "skipped" or report.failed:
            previous = _qgis_outcomes.get(report.nodeid)
            if previous in ("failed", "skipped"):
                return
            _qgis_outcomes[report.nodeid] = report.outcome


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("GUNMANE_REQUIRE_QGIS") != "1":
        return
    skipped = [k for k, v in _qgis_outcomes.items() if v == "skipped"]
    passed = [k for k, v in _qgis_outcomes.items() if v == "passed"]
    if skipped or not passed:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("GUNMANE_REQUIRE_QGIS") != "1":
        return
    skipped = [k for k, v in _qgis_outcomes.items() if v == "skipped"]
    passed = [k for k, v in _qgis_outcomes.items() if v == "passed"]
    terminalreporter.write_line(
        f"QGIS tests: {len(passed)} passed, {len(skipped)} skipped "
        f"(GUNMANE_REQUIRE_QGIS=1: skipping is a failure)")
    for nodeid in skipped:
        terminalreporter.write_line(f"  SKIPPED QGIS TEST (counts as failure): {nodeid}")
    if not passed:
        terminalreporter.write_line("  no QGIS test passed: failing the run")
