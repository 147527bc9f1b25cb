"""axe-core over every page of the built site in Chromium, theme included: no serious or critical violation, in the
publish and the preview build, at desktop width, on a phone and in dark mode.

axe-core comes from node_modules (package.json devDependencies); it is injected into each page by the test and
never served by the site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _browser import browser, serve, site_pages  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.build]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# Pages with the most theme and kit markup: navigation, tables, filter buttons, details, cards.
REPRESENTATIVE = ["book/index.html", "book/manual/acl-16-85-v.html", "book/reference/red-flags.html",
                  "book/reference/deadlines.html", "book/modules/csec-101.html"]


def _axe(page) -> dict:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return {passes: r.passes.length, violations: r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(" "))}))};
    }""")


def _audit(browser, site: Path, pages: list[str], width: int, dark: bool = False) -> list[str]:
    """One line per blocking violation: rule id, page, impact, what it is, and the first few offending elements."""
    assert AXE.is_file(), "axe-core is missing: run `bash scripts/setup.sh` (npm ci)"
    problems: list[str] = []
    with serve(site) as base:
        # axe is added to each page as an inline script: the audit's own context lets it past the page's policy.
        # Reduced motion: the theme then has no colour transitions (Bootstrap's .btn fades its colours over 0.15 s
        # when the theme switches to dark), so axe reads each colour as it settles, never one mid-fade.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                      reduced_motion="reduce")
        # Offline like the intranet: the `browser` fixture's Chromium refuses anything outside this machine.
        if dark:
            context.add_init_script("localStorage.setItem('mode', 'dark')")
        page = context.new_page()
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="load")
            if dark:
                assert page.evaluate("document.documentElement.dataset.theme") == "dark", rel
            result = _axe(page)
            assert result["passes"] > 20, f"{rel}: axe checked almost nothing; did it run on the page?"
            for v in result["violations"]:
                if v["impact"] in BLOCKING:
                    targets = "; ".join(v["targets"][:5]) + (" ..." if len(v["targets"]) > 5 else "")
                    problems.append(f"{v['id']} on {rel} ({v['impact']}, {len(v['targets'])} elements): "
                                    f"{v['help']} -> {targets}")
        context.close()
    return problems


@pytest.fixture(params=["publish", "preview"])
def site(request) -> Path:
    return request.getfixturevalue("built_site" if request.param == "publish" else "preview_site")


def test_every_page_has_no_serious_axe_violation_at_desktop_width(site, browser):
    pages = site_pages(site)
    assert len(pages) >= 30
    problems = _audit(browser, site, pages, width=1280)
    assert problems == [], "axe-core, serious or critical:\n" + "\n".join(problems)


def test_representative_pages_have_no_serious_axe_violation_on_a_phone(built_site, browser):
    problems = _audit(browser, built_site, REPRESENTATIVE, width=390)
    assert problems == [], "axe-core at 390 px, serious or critical:\n" + "\n".join(problems)


def test_representative_pages_have_no_serious_axe_violation_in_dark_mode(built_site, browser):
    # Colour contrast is checked against the dark palette too (the theme switcher offers it on every page).
    problems = _audit(browser, built_site, REPRESENTATIVE, width=1280, dark=True)
    assert problems == [], "axe-core in dark mode, serious or critical:\n" + "\n".join(problems)


def test_the_audit_reports_what_the_theme_used_to_get_wrong(built_site, browser):
    # The harness itself can fail: put back the theme's unnamed chevron <summary> and low-contrast text, and
    # axe must report both as blocking.
    with serve(built_site) as base:
        page = browser.new_page(bypass_csp=True)
        page.goto(f"{base}/book/index.html", wait_until="load")
        page.evaluate("""() => {
            const s = document.querySelector("nav.bd-docs-nav summary");
            s.removeAttribute("aria-label");
            const p = document.createElement("p");
            p.textContent = "Faint text";
            p.style.color = "#bbbbbb";
            p.style.background = "#ffffff";
            document.querySelector("article").appendChild(p);
        }""")
        found = {v["id"] for v in _axe(page)["violations"] if v["impact"] in BLOCKING}
        page.close()
    assert {"summary-name", "color-contrast"} <= found
