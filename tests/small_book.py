"""A small test book to build through the real `csec build`: the good fixture's statewide content, the fixture
county's layer with csec.yaml choosing it, and a few pages (a county page, a page that needs an approved red flag, a
page of the in-review question set that only a preview builds, a page showing an image)."""

from __future__ import annotations

import shutil
from pathlib import Path

from csec_cli import REPO

FIXTURES = REPO / "tests" / "fixtures"
COUNTY = "fixture"
# A 1x1 transparent PNG: an image a page shows, copied into the site's _images/.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
                    "0000050001e226059b0000000049454e44ae426082")


def small_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(FIXTURES / "good" / "content", root / "content")
    shutil.copytree(FIXTURES / "county", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("bad"))
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "node_modules").symlink_to(REPO / "node_modules")  # the vendor files the site serves
    pages = {"flags": "---\ncsec_needs: red_flags\n---\n\n# Red flags\n\n```{csec-red-flags}\n```\n",
             "questions": "---\ncsec_needs: question_sets\n---\n\n# Questions\n\n```{csec-questions}\n```\n"}
    for name, text in pages.items():
        (root / "book" / f"{name}.md").write_text(text)
    (root / "book" / "logo.png").write_bytes(PNG)
    glossary = root / "book" / "glossary.md"
    glossary.write_text(glossary.read_text() + "\n![The fixture logo](logo.png)\n")
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text() + "".join(f"  - file: book/{name}\n" for name in pages))
    return root
