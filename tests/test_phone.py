"""The built site on a 390 px phone screen in Chromium: the menu button opens the site navigation (by tap, click or
keyboard) and it closes again; wide tables scroll inside a labelled, focusable container, never the whole page."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from _browser import browser, serve  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHONE = {"width": 390, "height": 844}
# Pages with tables (the CWS/CMS page listed here once has none any more: it checked nothing).
WIDE_TABLE_PAGES = ["book/reference/deadlines.html", "book/reference/red-flags.html",
                    "book/modules/csec-101-trainer-guide.html"]


@pytest.fixture(scope="module")
def server(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


# The navigation is on screen: shown, and its left and right edges inside the phone's width. The drawer slides in and
# out (a CSS transition on its margin), so a test waits for this state; it never reads it mid-slide.
NAV_ON_SCREEN = """() => {
    const nav = document.querySelector("nav.bd-docs-nav");
    if (!nav || !nav.checkVisibility({visibilityProperty: true})) return false;
    const box = nav.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth && box.top < window.innerHeight;
}"""
DIALOG_OPEN = "document.getElementById('pst-primary-sidebar-modal').open"


def _nav_on_screen(page) -> bool:
    return page.evaluate(NAV_ON_SCREEN)


def _wait_for_nav(page, shown: bool) -> None:
    """Wait until the menu's dialog is open (or closed) and the navigation has slid fully on (or off) screen."""
    try:
        page.wait_for_function(DIALOG_OPEN if shown else f"!{DIALOG_OPEN}")
        page.wait_for_function(NAV_ON_SCREEN if shown else f"() => !({NAV_ON_SCREEN})()")
    except PlaywrightTimeout:
        raise AssertionError(f"the navigation never came {'on' if shown else 'off'} screen") from None


# The theme gives each table's scroll container a tab stop (tabindex 0 when it overflows, else -1) once the page has
# loaded, and the kit's theme fixes name it (role and aria-label): until then the containers are not ready to judge.
TABLE_STOPS_SET = """() => {
    const boxes = [...document.querySelectorAll("article .pst-scrollable-table-container")];
    return boxes.length > 0 && boxes.every(b => b.hasAttribute("tabindex") && b.hasAttribute("aria-label"));
}"""


def _goto_with_table_stops(page, url: str) -> None:
    page.goto(url, wait_until="load")
    assert page.locator("article table").count() > 0, f"{url} has no table to check"
    try:
        page.wait_for_function(TABLE_STOPS_SET)
    except PlaywrightTimeout:
        raise AssertionError(f"{url}: the table containers never got their tab stops and names") from None


def _menu_button(page):
    buttons = page.locator(".primary-toggle:visible")
    assert buttons.count() == 1, "exactly one visible menu button"
    return buttons.first


def test_menu_button_opens_the_navigation_and_its_links_work(phone, server):
    phone.goto(f"{server}/book/manual/acl-16-85-i.html")
    assert not _nav_on_screen(phone), "the navigation is off screen before the menu is opened"
    _menu_button(phone).click()
    _wait_for_nav(phone, shown=True)
    link = phone.locator("nav.bd-docs-nav a[href$='reference/glossary.html']")
    link.click()  # Playwright refuses to click what is covered or off screen
    phone.wait_for_url("**/book/reference/glossary.html")


def test_menu_opens_by_tap_and_closes_by_its_close_button(phone, server):
    phone.goto(f"{server}/book/index.html")
    button = _menu_button(phone)
    button.tap()
    _wait_for_nav(phone, shown=True)
    phone.get_by_role("button", name="Close navigation").tap()
    _wait_for_nav(phone, shown=False)


@pytest.mark.parametrize("key", ["Enter", " "])
def test_menu_works_from_the_keyboard(phone, server, key):
    phone.goto(f"{server}/book/reference/glossary.html")
    button = _menu_button(phone)
    button.focus()
    phone.keyboard.press(key)
    _wait_for_nav(phone, shown=True)
    phone.keyboard.press("Escape")
    _wait_for_nav(phone, shown=False)
    # Focus comes back to the menu button once the dialog's close handlers have run (one of them a task later).
    expect(button).to_be_focused()


@pytest.mark.parametrize("rel", WIDE_TABLE_PAGES)
def test_wide_tables_scroll_inside_their_container_not_the_page(phone, server, rel):
    _goto_with_table_stops(phone, f"{server}/{rel}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = phone.evaluate("""() => [...document.querySelectorAll("article table")].map(t => {
        const box = t.closest(".pst-scrollable-table-container");
        return box && {overflows: box.scrollWidth > box.clientWidth, tabIndex: box.tabIndex,
                       role: box.getAttribute("role"), label: box.getAttribute("aria-label") || ""};
    })""")
    assert None not in boxes, "every table sits in the theme's scroll container"
    for box in boxes:
        if box["overflows"]:
            assert box["tabIndex"] == 0 and box["role"] == "region" and len(box["label"]) > len("Table: "), box


@pytest.mark.parametrize("rel", ["book/reference/deadlines.html", "book/reference/red-flags.html"])
def test_the_widest_charts_really_scroll_and_take_keyboard_focus(phone, server, rel):
    # These two charts are wider than a phone: their container must scroll, and be reachable by keyboard.
    _goto_with_table_stops(phone, f"{server}/{rel}")
    box = phone.locator("article .pst-scrollable-table-container").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    box.focus()
    assert box.evaluate("b => b === document.activeElement")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("document.activeElement.scrollLeft > 0")
