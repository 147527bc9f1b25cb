"""The site's "What changed" page ({csec-changes}) and the trainer's guides' "What to update in this module" lists
({csec-module-updates}), read from the strict publish build and checked against content/releases.yaml."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from _versions import REPO


def _current() -> dict:
    releases = yaml.safe_load((REPO / "content/releases.yaml").read_text(encoding="utf-8"))["releases"]
    dated = [r for r in releases if r["status"] == "approved" and r.get("effective")]
    return max(dated, key=lambda r: r["effective"])


def _text(page: str) -> str:
    """The page's words, with MyST's typographic quotes read as plain ones (the YAML has plain quotes)."""
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def _words(summary: str) -> str:
    return " ".join(summary.split()[:8])


def test_what_changed_page_lists_the_current_release(built_site):
    page = (built_site / "book/reference/changes.html").read_text(encoding="utf-8")
    text = _text(page)
    release = _current()
    assert f"Release: {_words(release['title'])}" in text
    date = release["effective"]
    assert f"effective {date.strftime('%B')} {date.day}, {date.year}" in text
    for change in release["changes"]:
        assert _words(change["summary"]) in text, change["summary"]
    assert page.count('class="csec-change-class csec-change-substantive"') == sum(
        c["class"] == "substantive" for c in release["changes"])
    # Items link to where they are shown: rules to the rules page, vignettes to their module page's vignette.
    assert re.search(r'href="[a-z-]+\.html#rule-at-risk"', page), "no link to the at-risk rule"
    # Vignettes link to their trainer's guide (the answer key); the module pages each change shows on are listed.
    assert re.search(r'href="../modules/csec-101-trainer-guide.html">Dev: couch surfing', page)
    assert 'href="../modules/labor-trafficking.html"' in page
    # The scratch copy the site tests build has no git history, so the page says why it shows no redline.
    assert "Not shown for this release" in text and "no git history" in text


def test_the_page_is_in_the_reference_navigation(built_site):
    index = (built_site / "book/reference/rules.html").read_text(encoding="utf-8")
    assert 'href="changes.html"' in index


def test_each_trainer_guide_lists_what_to_update(built_site):
    release = _current()
    modules = yaml.safe_load((REPO / "content/questions/modules.yaml").read_text(encoding="utf-8"))["modules"]
    for module in modules:
        page = (built_site / f"book/modules/{module['id']}-trainer-guide.html").read_text(encoding="utf-8")
        text = _text(page)
        assert "What to update in this module" in text
        assert 'class="csec-module-updates' in page, module["id"]
        assert f"Release: {_words(release['title'])}" in text
    guide = _text((built_site / "book/modules/csec-101-trainer-guide.html").read_text(encoding="utf-8"))
    # The at-risk change (age scopes) touches CSEC 101's at-risk vignette.
    scopes = next(c for c in release["changes"] if {"kind": "rules", "id": "at_risk"} in c["items"])
    assert _words(scopes["summary"]) in guide
    dev = yaml.safe_load((REPO / "content/scenarios/dev-two-other-indicators.yaml").read_text())["title"]
    start = guide.index("What to update in this module# The current release")  # the section, not the page's toc
    updates = guide[start:guide.index("Vignettes with their answer keys", start)]
    assert "Vignettes:" in updates and dev in updates


def test_a_guide_is_read_again_exactly_when_what_it_lists_would_change(tmp_path):
    """A trainer's guide lists what the current release changes in its module, found across all of the content; it
    keeps a digest of that list rather than depending on every file (csec.sphinx.changes), so the build's outdated
    check must name the guide after an edit that changes the list, and only then."""
    from types import SimpleNamespace

    from csec.core.site_view import approved_only
    from csec.sphinx.changes import SHOWN, on_env_get_outdated, updates_digest
    from csec.training.corpus import checked
    from csec_cli import content_copy

    root = content_copy(tmp_path)
    corpus = approved_only(checked(root))
    guides = {f"book/modules/{module}-trainer-guide": module for module in corpus.modules}
    assert len(guides) >= 3

    def outdated() -> list[str]:
        # A fresh environment as a new build unpickles it: the digests the guides recorded, the content as it is now.
        env = SimpleNamespace(config=SimpleNamespace(csec_root=str(root), csec_preview=False), srcdir=str(root))
        setattr(env, SHOWN, {doc: {module: updates_digest(corpus, module)} for doc, module in guides.items()})
        return on_env_get_outdated(None, env, set(), set(), set())

    assert outdated() == []
    glossary = root / "content" / "policy" / "glossary.yaml"
    # The first definition written on one line: its text gets one more word.
    edited, n = re.subn(r"^(    text: (?![>|\"']).*\S)$", r"\1 Edited.", glossary.read_text(encoding="utf-8"), count=1,
                        flags=re.M)
    assert n == 1
    glossary.write_text(edited, encoding="utf-8")
    assert outdated() == [], "a definition no change of the release names changed what a guide lists"
    releases = root / "content" / "releases.yaml"
    text = releases.read_text(encoding="utf-8")
    # The current release's title (every guide names the release), then one of its changes' summaries instead.
    for old in ('title: "Rules review: force per form', "Force, fraud or coercion is recorded for each form"):
        assert text.count(old) == 1
        releases.write_text(text.replace(old, old + " (edited)"), encoding="utf-8")
        assert outdated() == sorted(guides), old
