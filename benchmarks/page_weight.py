"""Print the weight of each training page's own player code and data in the built site (`_build/html`, or the
folder given): the player script, the rules interpreter and its rules data (`window.csec.assess`), the JSON inline
in the page, and the per-vignette answer scripts it loads when a
trainee checks. Budget: a vignette page's own JavaScript + JSON at most 150 KB when a trainee opens it and checks one
vignette (the largest); the total if every vignette on the page is checked is printed too.

Then the height of each module page before starting, as Chromium lays it out on a phone (390 px wide) and a desktop
(1280 px), against a quarter of CSEC 101's height at 390 px measured for issue 21 (11,284 px).

    .venv/bin/python benchmarks/page_weight.py [HTML_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 150 * 1024
JSON = re.compile(r'<script type="application/json" data-csec-[\w-]+>(.*?)</script>', re.S)
SCRIPT = re.compile(r'<script[^>]+src="([^"]*csec-(?:player|rules|rules-data)\.js[^"]*)"')
KEY = re.compile(r'data-csec-key="([^"]+)"')
QUIZ = re.compile(r'data-csec-(?:questions|answers)="([^"]+)"')
PHONE_BEFORE = 11284  # px: CSEC 101 at 390 px wide before starting, before the phone-first page (issue 21)
PHONE_BUDGET = PHONE_BEFORE // 4
MODULES = ("csec-101", "csec-102", "labor-trafficking")


def heights(site: Path) -> dict[str, dict[int, int]]:
    """{module: {width: page height in px}} for each module page, opened fresh (nothing started) from disk."""
    from playwright.sync_api import sync_playwright

    from csec.site.chromium import launch

    out: dict[str, dict[int, int]] = {}
    with sync_playwright() as p:
        browser = launch(p)
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for module in MODULES:
                page.goto((site / "book" / "modules" / f"{module}.html").resolve().as_uri())
                page.wait_for_load_state("load")
                out.setdefault(module, {})[width] = page.evaluate("document.documentElement.scrollHeight")
            context.close()
        browser.close()
    return out


def weigh(page: Path) -> dict | None:
    html = page.read_text(encoding="utf-8")
    scripts = SCRIPT.findall(html)
    if not scripts:
        return None
    js = sum((page.parent / s.split("?")[0]).resolve().stat().st_size for s in scripts)
    inline = sum(len(body.encode()) for body in JSON.findall(html))
    keys = [(page.parent / k).resolve().stat().st_size for k in KEY.findall(html)]
    quiz = sum((page.parent / q).resolve().stat().st_size for q in QUIZ.findall(html))
    return {"js": js, "inline_json": inline, "largest_key": max(keys, default=0), "all_keys": sum(keys),
            "vignettes": len(keys), "quiz": quiz}


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else REPO / "_build" / "html"
    over = 0
    print(f"{'page':45} {'js':>8} {'json':>8} {'+1 key':>8} {'= load':>8} {'all keys':>9} {'quiz':>8}")
    for page in sorted(site.rglob("*.html")):
        w = weigh(page)
        if w is None:
            continue
        load = w["js"] + w["inline_json"] + w["largest_key"]
        over += load > BUDGET
        print(f"{page.relative_to(site).as_posix():45} {w['js']:8} {w['inline_json']:8} {w['largest_key']:8} "
              f"{load:8} {w['all_keys']:9} {w['quiz']:8}  ({w['vignettes']} vignettes)"
              f"{'  OVER BUDGET' if load > BUDGET else ''}")
    print(f"budget: {BUDGET} bytes of player JavaScript + JSON per page (loaded, plus one checked vignette); "
          "the quiz files load when a quiz starts and when its first answer is checked")
    print()
    print(f"{'module page before starting':45} {'390 px':>8} {'1280 px':>8}")
    for module, by_width in heights(site).items():
        over += by_width[390] > PHONE_BUDGET
        print(f"{module:45} {by_width[390]:8} {by_width[1280]:8}{'  OVER BUDGET' if by_width[390] > PHONE_BUDGET else ''}")
    print(f"budget: {PHONE_BUDGET} px at 390 px wide (a quarter of CSEC 101's {PHONE_BEFORE} px before issue 21)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
