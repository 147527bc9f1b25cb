"""Debian's Chromium driven by Playwright, and a static server on 127.0.0.1 for a built site: what `csec handouts`
prints with and the browser tests load pages with."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path
from typing import Iterator

# `playwright install` cannot download browsers here (DESIGN.md, "Toolchain decisions"); CSEC_CHROMIUM points
# elsewhere (the tests use it to check the message when the browser is missing).
CHROMIUM = Path(os.environ.get("CSEC_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"]
# Offline: every request not to this machine goes to a proxy that is not there, so the browser itself refuses it
# (loopback is never proxied). Intercepting each request through Playwright instead costs about a third of a second
# of CPU per page; a listener on the "request" event still sees (and records) each attempt.
OFFLINE = "--proxy-server=http://127.0.0.1:9"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # a served page is not news; errors surface where the page is used
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A static server for FOLDER on a free port of 127.0.0.1; yields its base URL."""
    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def launch(playwright):
    """Debian's Chromium, headless, with the kit's flags (no background requests to Google's servers), refusing any
    request outside this machine."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*FLAGS, OFFLINE])


def outside_requests(target, *own: str) -> list[str]:
    """A list that fills with the URL of every request TARGET (a Playwright page or browser context) makes anywhere
    but OWN (URL prefixes; data:, blob: and about: URLs never leave the browser). With launch()'s flags the browser
    refuses each one outside this machine; the list says that it was tried."""
    found: list[str] = []
    allowed = (*own, "data:", "blob:", "about:")
    target.on("request", lambda request: None if request.url.startswith(allowed) else found.append(request.url))
    return found
