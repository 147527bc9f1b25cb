"""Shared by the browser tests: serve a built site from 127.0.0.1, and Debian's Chromium through Playwright."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from csec.site.chromium import CHROMIUM, Quiet, launch, outside_requests, serve


def site_pages(built_site: Path) -> list[str]:
    # The root index.html is Jupyter Book's instant redirect to book/index.html, which is visited itself.
    return sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                  if not p.relative_to(built_site).parts[0].startswith("_") and p != built_site / "index.html")


@pytest.fixture(scope="module")
def browser():
    # Fails (never skips) without Chromium: the test command installs it; a green run must have used it.
    assert CHROMIUM.exists(), "Debian's chromium is required: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(built_site):
    """The publish build served from 127.0.0.1 for one test module."""
    with serve(built_site) as url:
        yield url


@contextlib.contextmanager
def guarded_page(browser, origin: str, **context_args):
    """A page in a fresh context that should load only from ORIGIN (and data:/blob:/about:): every other request is
    recorded (and the `browser` fixture's Chromium refuses any outside this machine). Yields (page, outside, errors)
    so a test can assert on them, or on what the page did."""
    errors: list[str] = []
    context = browser.new_context(**context_args)
    outside = outside_requests(context, origin)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, outside, errors
    finally:
        context.close()


def read_data_file(path: Path):
    """The data a player data script (`(self.csecData = ...)["name"] = DATA;`) assigns, read as JSON."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("(self.csecData = self.csecData || {})[") and text.endswith(";\n"), path
    return json.loads(text[text.index("] = ") + 4:-2])


# Collects Content-Security-Policy violations from the first moment of every page (an init script runs before the
# page's own), where a test reads them with page.evaluate("window.__cspViolations").
CSP_SPY = ("document.addEventListener('securitypolicyviolation', e => (window.__cspViolations = "
           "window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));")
