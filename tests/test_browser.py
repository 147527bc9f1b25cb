"""The built site in a real Chromium (Debian's, via Playwright): every page loads from a plain static server with
zero requests to any other origin, and the pages that need JavaScript actually run it; every page carries a
Content-Security-Policy that allows only the site's own files, and nothing breaks it, served or opened from disk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from _browser import CSP_SPY, browser, server, site_pages  # noqa: F401 (browser and server are fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.build]




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


CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_every_page_carries_a_content_security_policy_of_its_own_files(built_site):
    for rel in [*site_pages(built_site), "index.html"]:
        html = (built_site / rel).read_text(encoding="utf-8")
        policies = CSP.findall(html)
        assert len(policies) == 1, rel
        # Before anything it governs: only the charset comes first in <head>.
        head = html[:html.index(policies[0])]
        assert "<script" not in head and "<link" not in head and "<style" not in head, rel
        directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
        for name in ("default-src", "script-src", "style-src", "img-src", "connect-src", "font-src"):
            sources = directives[name].split()
            assert sources[0] == "'self'", (rel, name)
            # Nothing from another origin, nothing inline unless named by its hash.
            assert all(s in ("'self'", "'unsafe-hashes'", "data:") or s.startswith("'sha256-") for s in sources), \
                (rel, name, sources)
        assert "data:" not in directives["script-src"] and directives["object-src"] == "'none'"


class Sweep:
    """What loading every page (and working the search, the theme, the acknowledgement form and the player) did:
    requests to another origin, failed requests, pages that did not load, JavaScript errors, CSP violations."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.not_ok: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []

    def problems(self) -> dict[str, list[str]]:
        return {name: found[:20] for name, found in vars(self).items() if found}


def _sweep(browser, base: str, pages: list[str]) -> Sweep:
    """Load PAGES under BASE one after another in one context, then work the interactive parts; one pass serves
    every check of a page in the browser (each page costs a load, so the checks share it)."""
    seen = Sweep()
    own = (base, "data:", "blob:", "about:")
    context = browser.new_context()
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(own) else seen.outside.append(f"{page.url} -> {r.url}"))
    # A request still running when the next page opens is aborted and lands here too: a page must not leave work
    # behind that its reader would lose by following a link.
    page.on("requestfailed", lambda r: seen.failed.append(f"{page.url} -> {r.url}: {r.failure}"))
    page.on("pageerror", lambda e: seen.errors.append(f"{page.url}: {e}"))

    def collect() -> None:
        seen.violations.extend(f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations || []"))

    for rel in pages:
        response = page.goto(f"{base}/{rel}", wait_until="load")
        if base.startswith("http") and not (response is not None and response.ok):
            seen.not_ok.append(rel)
        collect()
    page.goto(f"{base}/search.html?q=trafficking", wait_until="load")
    page.locator("#search-results ul.search li").first.wait_for()  # the search index loads and runs
    # Until the search has fetched every result page for its summary: leaving sooner would abort those fetches.
    page.locator("#search-results").get_by_text("Search finished").wait_for()
    collect()
    page.goto(f"{base}/book/index.html", wait_until="load")
    mode = page.evaluate("document.documentElement.dataset.mode")
    page.locator(".theme-switch-button").first.click()
    page.wait_for_function(f"document.documentElement.dataset.mode !== {mode!r}")
    page.locator("form.csec-ack input[name=name]").fill("Dana Example")
    page.locator("form.csec-ack button, form.csec-ack input[type=submit]").first.click()
    page.locator(".csec-ack-status").get_by_text("Recorded").wait_for()
    collect()
    page.goto(f"{base}/book/modules/csec-101.html", wait_until="load")
    root = page.locator("[data-csec-scenario]:visible")
    root.get_by_role("button", name="I understand: show the vignette").click()
    for fs in root.locator("fieldset.csec-yesno").all():
        fs.get_by_label("Yes").check()
    root.get_by_role("button", name="Check my answers").click()
    root.locator(".csec-feedback h4").wait_for()
    quiz = page.locator("[data-csec-quiz]")
    quiz.get_by_role("button", name="Start the quiz").click()
    quiz.locator(".csec-question input, .csec-question select").first.wait_for()
    page.locator("[data-csec-checklist] summary").click()
    page.locator("[data-csec-checklist] input[type=checkbox]").first.check()
    collect()
    context.close()
    return seen


def test_every_page_loads_over_http_with_nothing_from_another_origin_and_nothing_breaking_its_policy(
        built_site, server, browser):
    pages = site_pages(built_site)
    assert len(pages) >= 10
    assert _sweep(browser, server, pages).problems() == {}


def test_every_page_works_opened_from_disk_with_nothing_from_another_origin(built_site, browser):
    assert _sweep(browser, built_site.as_uri(), site_pages(built_site)).problems() == {}
