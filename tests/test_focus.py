"""Keyboard focus is visible on every kind of interactive element of the built site (links, buttons, the sidebar's
<summary> toggles, inputs, scrollable tables), in light and dark mode: a solid outline at least 2 px wide whose
colour has at least 3:1 contrast against the page background (WCAG 2.4.7 and 1.4.11)."""

from __future__ import annotations

import re

import pytest

from _browser import browser, serve  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.build]

# (page, what, selector): one of each kind of interactive element the site has.
ELEMENTS = [
    ("book/manual/acl-16-85-i.html", "link in the text", "article a.reference.internal"),
    ("book/manual/acl-16-85-i.html", "sidebar link", "nav.bd-docs-nav a.reference"),
    ("book/manual/acl-16-85-i.html", "sidebar summary", "nav.bd-docs-nav summary"),
    ("book/manual/acl-16-85-i.html", "search button", ".bd-sidebar-primary .search-button-field"),
    ("book/manual/acl-16-85-i.html", "menu button", ".bd-header-article .primary-toggle"),
    ("book/manual/acl-16-85-i.html", "colour-mode button", ".bd-header-article .theme-switch-button"),
    ("book/manual/acl-16-85-i.html", "page-contents link", "nav.page-toc a"),
    ("book/reference/red-flags.html", "filter button", ".csec-filter button"),
    ("book/modules/csec-101.html", "folded exercise", "[data-csec-checklist] summary"),
    ("book/modules/csec-101.html", "folded objectives", "details.csec-more summary"),
    ("book/modules/csec-101.html", "vignette chooser", ".csec-chooser select"),
    ("book/modules/csec-101.html", "quiz seed", "[data-csec-quiz] input"),
    ("book/modules/csec-101.html", "player button", "[data-csec-scenario] button"),
]


def _rgb(css: str) -> tuple[float, float, float]:
    m = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", css)
    assert m, f"not an rgb colour: {css}"
    return tuple(float(v) for v in m.groups())


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((118, 118, 118), (255, 255, 255)), 1) == 4.5  # #767676, the classic 4.5:1 grey


def _focus_ring(page, selector: str) -> dict:
    page.keyboard.press("Tab")  # keyboard modality, so programmatic focus matches :focus-visible as a Tab would
    element = page.locator(selector).first
    element.focus()
    return element.evaluate("""el => {
        const s = getComputedStyle(el);
        let bg = "rgba(0, 0, 0, 0)";
        for (const n of [document.body, document.documentElement]) {
            const c = getComputedStyle(n).backgroundColor;
            if (!/rgba\\(.*,\\s*0\\)$/.test(c)) { bg = c; break; }
        }
        return {focused: el === document.activeElement, visible: el.matches(":focus-visible"),
                style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, background: bg};
    }""")


@pytest.fixture(scope="module")
def server(built_site):
    with serve(built_site) as url:
        yield url


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_kind_of_control_shows_a_visible_focus_ring(browser, server, mode):
    # bypass_csp: Playwright polls wait_for_function with eval, which the site's policy refuses (tested elsewhere).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    page = context.new_page()
    weak: list[str] = []
    for rel, what, selector in ELEMENTS:
        page.goto(f"{server}/{rel}", wait_until="load")
        ring = _focus_ring(page, selector)
        assert ring["focused"] and ring["visible"], f"{what} on {rel} did not take keyboard focus: {ring}"
        ratio = contrast(_rgb(ring["color"]), _rgb(ring["background"]))
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
            weak.append(f"{what} on {rel}: outline {ring['style']} {ring['width']}px {ring['color']} "
                        f"on {ring['background']} ({ratio:.2f}:1)")
    # The search dialog's text input, opened the way a keyboard user does.
    page.goto(f"{server}/book/index.html", wait_until="load")
    page.keyboard.press("Control+k")
    page.wait_for_function("document.getElementById('pst-search-dialog').open")
    ring = _focus_ring(page, "#pst-search-dialog input[type='search']")
    ratio = contrast(_rgb(ring["color"]), _rgb(ring["background"]))
    if not ring["focused"] or ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
        weak.append(f"search input: {ring} ({ratio:.2f}:1)")
    context.close()
    assert weak == [], f"weak or missing focus rings ({mode} mode):\n" + "\n".join(weak)
