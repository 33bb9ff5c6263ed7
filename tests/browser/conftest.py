"""Browser tests: Playwright driving Debian's chromium, headless. Never a browser download.

Outside CI a missing chromium is reported in the summary (the browser tests are not run);
in CI (CI=true) it is a failure."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_MISSING = not os.path.exists(CHROMIUM)
_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_not_run: list[str] = []


def pytest_collection_modifyitems(config, items):
    if not _MISSING or _IN_CI:
        return
    keep, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("browser") else keep).append(item)
    _not_run.extend(item.nodeid for item in deselected)
    items[:] = keep
    config.hook.pytest_deselected(items=deselected)


def pytest_terminal_summary(terminalreporter):
    if _not_run:
        terminalreporter.section("browser tests NOT RUN", sep="!")
        terminalreporter.write_line(
            f"chromium not found at {CHROMIUM}: {len(_not_run)} browser tests were not run. "
            "Install it with: apt-get install chromium"
        )


@pytest.fixture(scope="session")
def browser():
    if _MISSING:
        pytest.fail(f"chromium not found at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations[:3]}"
