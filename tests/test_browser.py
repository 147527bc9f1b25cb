"""The built site in a real Chromium (Debian's, via Playwright): every page loads from a plain static server with
zero requests to any other origin, and the pages that need JavaScript actually run it; every page carries a
Content-Security-Policy that allows only the site's own files, and nothing breaks it, served or opened from disk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from _browser import CSP_SPY, browser, server, site_pages  # noqa: F401 (browser and server are fixtures)

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


def _site_under_csp(browser, base: str, pages: list[str]) -> tuple[list[str], list[str]]:
    """Load PAGES under BASE, and work the search, the theme, the acknowledgement form and the player on the way;
    (CSP violations, JavaScript errors)."""
    context = browser.new_context()
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    violations: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))

    def collect() -> None:
        violations.extend(f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations || []"))

    for rel in pages:
        page.goto(f"{base}/{rel}", wait_until="load")
        collect()
    page.goto(f"{base}/search.html?q=trafficking", wait_until="load")
    page.locator("#search-results ul.search li").first.wait_for()  # the search index loads and runs
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
    return violations, errors


def test_no_page_breaks_its_policy_over_http(built_site, server, browser):
    violations, errors = _site_under_csp(browser, server, site_pages(built_site))
    assert violations == [], "\n".join(violations[:20])
    assert errors == [], "\n".join(errors[:20])


def test_no_page_breaks_its_policy_from_disk(built_site, browser):
    violations, errors = _site_under_csp(browser, built_site.as_uri(), site_pages(built_site))
    assert violations == [], "\n".join(violations[:20])
    assert errors == [], "\n".join(errors[:20])
