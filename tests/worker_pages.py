"""What a worker reads on the published site: the visible text of every page outside the policy-staff and trainer
sections, and the internal words that must not appear in it (the kit's own names, Python, ids of rules and items)."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

STAFF_OR_TRAINER = re.compile(r"^book/(staff/|rules-examples\.html$|modules/[^/]*trainer-guide\.html$|trainers/)")
PHRASES = ("the kit", "the engine", ">>>", "import ")


def worker_pages(site: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(site.glob("book/**/*.html")):
        rel = path.relative_to(site).as_posix()
        if STAFF_OR_TRAINER.match(rel):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for hidden in soup(["script", "style", "noscript", "template"]):
            hidden.decompose()
        main = soup.find("main") or soup.find(attrs={"role": "main"}) or soup
        pages[rel] = " ".join(main.get_text(" ").split())
    return pages


def internal_ids(corpus) -> set[str]:
    """Ids a worker must never read: every snake_case id (rules, facts, outputs) and every item id with a hyphen and
    a digit (section ids such as acl-16-85-v)."""
    ids = set()
    for kind, items in corpus.items.items():
        for item_id in items:
            if "_" in item_id or (kind not in ("sources", "modules") and "-" in item_id and re.search(r"\d", item_id)):
                ids.add(item_id)
    for fact in corpus.facts.values():
        ids.update(v for v in fact.values if "_" in v)
    return ids


def findings(pages: dict[str, str], ids: set[str]) -> list[str]:
    found = []
    id_pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True))
                            + r")(?![\w-])")
    for rel, text in pages.items():
        low = text.lower()
        for phrase in PHRASES:
            at = low.find(phrase)
            if at != -1:
                found.append(f"{rel}: {phrase!r} in ...{text[max(0, at - 60):at + 60]}...")
        for mt in id_pattern.finditer(text):
            found.append(f"{rel}: id {mt.group(1)!r} in ...{text[max(0, mt.start() - 60):mt.end() + 40]}...")
    return found
