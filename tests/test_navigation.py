"""The site's reading order keeps trainees out of the answer keys: no trainee page's "Next" leads to a trainer's
guide, the guides sit in their own "For trainers" part after the trainee modules, and the home page's Trainers card
links each guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.build

MODULES = ("csec-101", "csec-102", "labor-trafficking")  # the module ids of DESIGN.md
GUIDES = [f"{m}-trainer-guide.html" for m in MODULES]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _next(site: Path, rel: str) -> str:
    soup = _soup(site / rel)
    link = soup.find("link", rel="next")
    footer = soup.select_one("footer.prev-next-footer a.right-next")
    assert link is not None and footer is not None, f"{rel} has no next page"
    assert link["href"] == footer["href"]
    return link["href"]


@pytest.mark.parametrize("module", MODULES + ("self-paced",))
def test_next_from_a_trainee_page_is_never_a_trainer_guide(built_site, module):
    target = _next(built_site, f"book/modules/{module}.html")
    assert "trainer-guide" not in target, f"{module}: Next leads to {target}"


def test_trainer_guides_are_in_their_own_part_after_the_modules(built_site):
    nav = _soup(built_site / "book/index.html").select_one("nav.bd-docs-nav")
    captions = [p.get_text(strip=True) for p in nav.select("p.caption")]
    assert "For trainers" in captions and "Training" in captions
    assert captions.index("For trainers") > captions.index("Training")
    parts = {p.get_text(strip=True): p.find_next_sibling("ul") for p in nav.select("p.caption")}
    trainee = [a["href"] for a in parts["Training"].select("a[href]")]
    trainer = [a["href"] for a in parts["For trainers"].select("a[href]")]
    assert not [h for h in trainee if "trainer-guide" in h], trainee
    for guide in GUIDES:
        assert any(h.endswith(guide) for h in trainer), f"{guide} is not under For trainers: {trainer}"
    for module in MODULES:
        assert any(h.endswith(f"modules/{module}.html") for h in trainee), module


def test_home_page_trainers_card_links_every_trainer_guide(built_site):
    soup = _soup(built_site / "book/index.html")
    cards = [c for c in soup.select("article .sd-card")
             if c.select_one(".sd-card-title") and c.select_one(".sd-card-title").get_text(strip=True) == "Trainers"]
    assert len(cards) == 1
    links = [a["href"] for a in cards[0].select("a[href]")]
    for guide in GUIDES:
        assert any(h.endswith(guide) for h in links), f"the Trainers card does not link {guide}: {links}"
    for page in (built_site / "book/modules" / g for g in GUIDES):
        assert page.is_file()
