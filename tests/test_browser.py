"""The built site in a real Chromium (Debian's, via Playwright): every page loads from a plain static server with
zero requests to any other origin, and the pages that need JavaScript actually run it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from _browser import browser, server, site_pages  # noqa: F401 (browser and server are fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.build]




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
        # Until the network is idle: the player fetches its quiz beside the page, and leaving earlier would abort it.
        response = page.goto(f"{server}/{rel}", wait_until="networkidle")
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
    # Wait for the glossary itself: the manual page is already loaded, so waiting for a load state could return
    # before the navigation starts.
    page.wait_for_url(f"**/book/reference/glossary.html#{target}")
    expect(page.locator(f"[id='{target}']")).to_have_count(1)
    page.close()


def test_player_pages_define_window_csec_assess(built_site, server, browser, corpus):
    """A module page answers through `window.csec.assess` as `csec assess --json` does and refuses bad facts with
    the same words; a page that hosts no player loads neither script."""
    import json

    from csec.engine.rules import FactsError, assess
    from csec.sphinx.rules_script import DATA_FILE, data_script

    # The published data is the content model's approved rules; this content has no unapproved ones.
    assert (built_site / "_static" / DATA_FILE).read_text(encoding="utf-8") == data_script(corpus, publish=True)
    page = browser.new_page()
    page.goto(f"{server}/book/modules/csec-101.html")
    cases = [dict(s.facts) for s in corpus.scenarios.values()] + [{}, {"controlled_or_groomed": True}]
    for facts in cases:
        want = json.loads(json.dumps(assess(corpus, facts).as_dict()))
        assert page.evaluate("facts => window.csec.assess(facts)", facts) == want, facts
    with pytest.raises(FactsError) as refused:
        assess(corpus, {"age": 200})
    message = page.evaluate("() => { try { window.csec.assess({age: 200}); } catch (e) { return e.message; } }")
    assert message == str(refused.value)
    page.goto(f"{server}/book/index.html")
    assert page.evaluate("() => typeof (window.csec && window.csec.assess)") == "undefined"
    page.close()
