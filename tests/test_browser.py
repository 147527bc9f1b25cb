"""The built site in a real Chromium (Debian's, via Playwright): every page loads from a plain static server with
zero requests to any other origin, and the pages that need JavaScript actually run it."""

from __future__ import annotations

import pytest

from _browser import browser, serve, site_pages  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture(scope="module")
def server(built_site):
    with serve(built_site) as url:
        yield url


def test_every_page_loads_with_no_outside_request(built_site, server, browser):
    outside: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:", "about:"))
            else outside.append(f"{page.url} -> {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"{page.url} -> {r.url}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    pages = site_pages(built_site)
    assert len(pages) >= 10
    for rel in pages:
        response = page.goto(f"{server}/{rel}", wait_until="load")
        assert response is not None and response.ok, rel
    context.close()
    assert outside == [], "requests to other origins:\n" + "\n".join(outside[:20])
    assert failed == [], "failed requests:\n" + "\n".join(failed[:20])
    assert errors == [], "JavaScript errors:\n" + "\n".join(errors[:20])


def test_root_redirects_to_the_landing_page(built_site, server, browser):
    page = browser.new_page()
    page.goto(f"{server}/index.html")
    page.wait_for_url(f"{server}/book/index.html")
    assert "trainer" in page.content().lower()
    page.close()


def test_glossary_term_links_resolve_in_the_browser(built_site, server, browser, corpus):
    page = browser.new_page()
    page.goto(f"{server}/book/reference/glossary.html")
    terms = page.locator("dl.glossary dt")
    assert terms.count() >= len(corpus.definitions)
    # Follow a {term} link from a manual page and land on the glossary entry it names.
    page.goto(f"{server}/book/manual/acl-16-85-i.html")
    link = page.locator("a.reference.internal[href*='glossary.html#term-']").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#{target}")
    assert page.locator(f"[id='{target}']").count() == 1
    page.close()
