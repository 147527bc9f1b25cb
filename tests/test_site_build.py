"""The manual site: a strict Jupyter Book build of this repository (publish and preview), checked for its pages,
the HTML each csec directive renders (regression fixtures), zero requests to other origins, visible citations,
publish/preview status filtering, and a failed build leaving the previous site in place.

Regenerate the HTML fixtures after an intended change with `CSEC_UPDATE_FIXTURES=1`, then read the diff.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Comment, Tag

pytestmark = pytest.mark.build

FIXTURES = Path(__file__).parent / "fixtures" / "html"
UPDATE = os.environ.get("CSEC_UPDATE_FIXTURES") == "1"

PAGES = [
    "index.html",
    "book/index.html",
    # the manual
    "book/manual/acl-16-85.html",
    *(f"book/manual/acl-16-85-{n}.html" for n in ("i", "ii", "iii", "iv", "v", "vi")),
    "book/manual/faq.html",
    "book/manual/la-guide.html",
    "book/manual/la-procedures.html",
    "book/manual/disposition.html",
    "book/manual/services.html",
    "book/manual/immigrant-children.html",
    "book/manual/acl-20-105.html",
    "book/manual/context.html",
    # reference
    "book/reference/deadlines.html",
    "book/reference/glossary.html",
    "book/reference/indicators.html",
    "book/reference/red-flags.html",
    "book/reference/exploitation.html",
    "book/reference/cwscms.html",
    "book/reference/rules.html",
    "book/reference/sources.html",
    # training module skeletons
    "book/modules/csec-101.html",
    "book/modules/csec-102.html",
    "book/modules/labor-trafficking.html",
    # for policy staff
    "book/staff/open-questions.html",
    "book/rules-examples.html",
]


@functools.lru_cache(maxsize=None)
def _parsed(path: Path, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def soup_of(path: Path) -> BeautifulSoup:
    """The parsed page, shared between tests (callers that change the tree must copy it first)."""
    return _parsed(path, path.stat().st_mtime_ns)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def term_text(dt: Tag) -> str:
    """A glossary term's text without its "#" permalink."""
    return "".join(t for t in dt.find_all(string=True) if not t.find_parent("a", class_="headerlink")).strip()


# --- pages -----------------------------------------------------------------------------------------------------

def test_every_page_is_built(built_site, preview_site):
    missing = [p for p in PAGES if not (built_site / p).is_file()]
    assert missing == []
    # Left out of the publish build while no question set is approved (csec_needs); always in the preview.
    assert (preview_site / "book/reference/investigative-questions.html").is_file()


def test_module_pages_carry_their_module_ids(repo_root):
    for module in ("csec-101", "csec-102", "labor-trafficking"):
        text = (repo_root / "book" / "modules" / f"{module}.md").read_text(encoding="utf-8")
        assert f"csec_module: {module}" in text


def test_landing_page_has_a_path_for_each_audience(built_site):
    article = soup_of(built_site / "book/index.html").find("article")
    text = article.get_text(" ", strip=True)
    for audience in ("Trainers", "New hires", "Policy staff"):
        assert audience in text
    links = {a["href"] for a in article.find_all("a", href=True)}
    assert any("modules/csec-101" in href for href in links)
    assert any("deadlines" in href for href in links)
    assert any("sources" in href for href in links)


# --- rendered HTML of each directive, against reviewed fixtures ----------------------------------------------------

_VOLATILE_QUERY = re.compile(r"\?(?:v|digest)=[0-9a-zA-Z]+")


def normalize(fragment: Tag | list[Tag]) -> str:
    """Stable text of an HTML fragment: comments dropped, attributes sorted, cache-busting queries and runs of
    whitespace removed, one element per line (BeautifulSoup's prettify)."""
    parts = fragment if isinstance(fragment, list) else [fragment]
    soup = BeautifulSoup("".join(str(p) for p in parts), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        attrs = {}
        for key in sorted(tag.attrs):
            value = tag.attrs[key]
            if isinstance(value, list):
                value = " ".join(value)
            if key in ("href", "src"):
                value = _VOLATILE_QUERY.sub("", value)
            attrs[key] = value
        tag.attrs = attrs
    for text in soup.find_all(string=True):
        squeezed = re.sub(r"\s+", " ", str(text))
        if squeezed != str(text):
            text.replace_with(squeezed)
    return soup.prettify()


def _one(site: Path, page: str, selector: str) -> Tag:
    found = soup_of(site / page).select(selector)
    assert len(found) >= 1, f"{page}: nothing matches {selector!r}"
    return copy.copy(found[0])


def _glossary_entry(site: Path, term: str) -> list[Tag]:
    """The <dt>s of one definition (its term and aliases) and its <dd>."""
    dl = _one(site, "book/reference/glossary.html", "dl.csec-glossary")
    first = next(dt for dt in dl.find_all("dt", recursive=False) if term_text(dt) == term)
    entry: list[Tag] = [first]
    for sibling in first.find_next_siblings(["dt", "dd"]):
        entry.append(sibling)
        if sibling.name == "dd":
            break
    return entry


def _red_flags_head(site: Path, rows: int = 3) -> Tag:
    """The chart's first rows and the numbered source notes under it."""
    table = _one(site, "book/reference/red-flags.html", "table.csec-red-flags")
    for tr in table.select("tbody > tr")[rows:]:
        tr.decompose()
    note = _one(site, "book/reference/red-flags.html", "article ol.csec-red-flag-notes")
    holder = BeautifulSoup("<div></div>", "html.parser").div
    holder.append(table)
    holder.append(note)
    return holder


FRAGMENTS = {
    # fixture name: (site fixture, how to pick the fragment)
    "section-acl-16-85-v": ("built_site", lambda s: _one(s, "book/manual/acl-16-85-v.html", "section#acl-16-85-v")),
    "sections-context-child": ("built_site",
                               lambda s: _one(s, "book/manual/context.html", "section#context-upe-language")),
    "glossary-entry-cse": ("built_site", lambda s: _glossary_entry(s, "Commercial sexual exploitation (CSE)")),
    "indicators-strong": ("built_site", lambda s: _one(s, "book/reference/indicators.html", "section#indicators-strong")),
    "red-flags-head": ("built_site", _red_flags_head),
    "questions-preview": ("preview_site", lambda s: _one(s, "book/reference/investigative-questions.html",
                                                         "section#questions-investigative-areas")),
    "cwscms-special-project-code": ("built_site", lambda s: _one(s, "book/reference/cwscms.html",
                                                                 "section#cwscms-special-project-code")),
    "exploitation-cse": ("built_site", lambda s: _one(s, "book/reference/exploitation.html", "section#exploitation-cse")),
    "sources-acl-16-85-faq": ("built_site", lambda s: _one(s, "book/reference/sources.html", "div#source-acl-16-85-faq")),
    "rule-at-risk": ("built_site", lambda s: _one(s, "book/reference/indicators.html", "div#rule-at-risk")),
    "deadlines-table": ("built_site", lambda s: _one(s, "book/reference/deadlines.html", "table.csec-deadlines")),
    "cite-role": ("built_site", lambda s: _one(s, "book/reference/deadlines.html", "article p:has(> a.csec-cite)")),
}


@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_directive_html_matches_its_fixture(name, request):
    site_fixture, pick = FRAGMENTS[name]
    actual = normalize(pick(request.getfixturevalue(site_fixture)))
    path = FIXTURES / f"{name}.html"
    if UPDATE or not path.exists():
        FIXTURES.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote the missing fixture {path}; review it, then run again")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            str(path), "built", n=2))
        pytest.fail(f"{name} renders differently from its fixture (CSEC_UPDATE_FIXTURES=1 to accept):\n{diff}")


def test_fixtures_show_policy_text_and_citations():
    """The reviewed fixtures themselves: each fragment has one, and each shows policy words from the content and
    linked citations (an item is never shown without its source)."""
    missing = [name for name in FRAGMENTS if not (FIXTURES / f"{name}.html").is_file()]
    assert missing == [], f"fragments with no reviewed fixture in {FIXTURES}: {missing}"
    stray = sorted({p.stem for p in FIXTURES.glob("*.html")} - set(FRAGMENTS))
    assert stray == [], f"fixtures no fragment checks any more: {stray}"
    for name in FRAGMENTS:
        soup = BeautifulSoup((FIXTURES / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        text = soup.get_text(" ", strip=True)
        assert len(text) > 40, name
        assert soup.select("a.csec-cite"), f"{name}: no linked citation"


# --- offline: nothing from another origin ----------------------------------------------------------------------

_OUTSIDE = re.compile(r"^\s*(?:(?:https?|ftp|wss?):|//)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)|@import\s+(?:url\()?\s*['\"]([^'\"]+)['\"]", re.I)
_URL_ATTRS = ("src", "href", "data", "poster", "srcset", "xlink:href", "action", "background", "codebase")


def _css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(3) for m in _CSS_URL.finditer(css)]


def outside_references(page: Path) -> list[str]:
    """Everything in a page that would make the browser fetch from another origin (plain <a href> links aside)."""
    soup = soup_of(page)
    found: list[str] = []
    for tag in soup.find_all(True):
        if tag.name in ("a", "area"):
            continue
        for attr in _URL_ATTRS:
            value = tag.get(attr)
            if not value:
                continue
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value]
            found += [f"<{tag.name} {attr}={u}>" for u in urls if _OUTSIDE.match(u)]
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            target = tag.get("content", "").partition("url=")[2]
            if _OUTSIDE.match(target):
                found.append(f"<meta refresh {target}>")
        if tag.get("style"):
            found += [f"style url({u})" for u in _css_urls(tag["style"]) if _OUTSIDE.match(u)]
    for style in soup.find_all("style"):
        found += [f"<style> url({u})" for u in _css_urls(style.get_text()) if _OUTSIDE.match(u)]
    return found


def test_offline_scanner_catches_outside_references(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.x/f.css">'
        '<style>@font-face { src: url("https://fonts.gstatic.com/a.woff2") }</style></head><body>'
        '<a href="https://example.org/">fine: a plain link</a><img src="http://x/y.png">'
        '<iframe src="https://x/"></iframe><video><source src="https://x/v.mp4"></video>'
        '<object data="https://x/o"></object><div style="background: url(//x/b.png)"></div>'
        '<img src="_static/ok.png"></body></html>', encoding="utf-8")
    assert len(outside_references(page)) == 8


def test_the_builds_own_page_scanner_finds_what_this_test_finds():
    """csec.sphinx.offline reads every page at the end of the build; it flags the same loads as the scanner above
    (plain links are navigation, not requests)."""
    from csec.sphinx.offline import outside_urls

    page = ('<html><head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.x/f.css">'
            '<style>@font-face { src: url("https://fonts.gstatic.com/a.woff2") }</style></head><body>'
            '<a href="https://example.org/">a plain link</a><img src="http://x/y.png" srcset="a.png 1x, https://q/b.png 2x">'
            '<iframe src="https://x/"></iframe><video><source src="https://x/v.mp4"></video>'
            '<object data="https://x/o"></object><div style="background: url(//x/b.png)"></div>'
            '<img src="_static/ok.png"><a href="../index.html">home</a></body></html>')
    found = [url for _, url in outside_urls(page)]
    assert sorted(found) == sorted(["https://cdn.example/x.js", "//fonts.x/f.css", "https://fonts.gstatic.com/a.woff2",
                                    "http://x/y.png", "https://q/b.png", "https://x/",
                                    "https://x/v.mp4", "https://x/o", "//x/b.png"])


def test_a_page_that_loads_from_another_origin_fails_the_build(built_small_book):
    result = _failed_build_after_adding(built_small_book, '\n<img alt="x" src="https://evil.example/pixel.png">\n')
    assert "book/glossary.html" in result.stderr and "https://evil.example/pixel.png" in result.stderr, \
        result.stderr[-3000:]
    assert "another origin" in result.stderr


@pytest.mark.parametrize("site_fixture", ["built_site", "preview_site"])
def test_no_page_loads_anything_from_another_origin(site_fixture, request):
    site = request.getfixturevalue(site_fixture)
    pages = html_files(site)
    assert len(pages) >= len(PAGES)
    problems = {p.relative_to(site).as_posix(): refs for p in pages if (refs := outside_references(p))}
    assert problems == {}
    for css in (site / "_static").rglob("*.css"):
        refs = [u for u in _css_urls(css.read_text(encoding="utf-8", errors="replace")) if _OUTSIDE.match(u)]
        assert refs == [], f"{css.relative_to(site)} loads {refs}"


def test_widget_scripts_are_local_and_copied_only_where_a_page_loads_them(built_site, repo_root):
    """myst-nb points pages with widget state at this site's copies (tests/test_site_widgets_offline.py builds such
    a page and runs it offline); the manual's own pages have none (their exercises are the page player), so the
    7 MB of require.js and widget manager are not in the published site at all."""
    import yaml

    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    widget_js = config["sphinx"]["config"]["nb_ipywidgets_js"]
    assert widget_js and not any(_OUTSIDE.match(url) for url in widget_js)
    for url, attrs in widget_js.items():
        assert url.startswith("vendor/"), url
        assert not any(_OUTSIDE.match(str(v)) for v in (attrs or {}).values())
    pages = [p for p in built_site.rglob("*.html") if "_static/vendor/html-manager" in p.read_text(encoding="utf-8")]
    assert pages == []
    assert not (built_site / "_static/vendor/html-manager").exists()
    assert not (built_site / "_static/vendor/requirejs").exists()
    assert not (built_site / "_static" / "require.js").exists(), "vendor files must not be auto-added to pages"


# --- citations are visible and link to the sources page ----------------------------------------------------------

def _resolves(site: Path, page: Path, href: str) -> bool:
    parts = urlsplit(href)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not target.is_file():
        return False
    return not parts.fragment or soup_of(target).find(id=unquote(parts.fragment)) is not None


def test_every_citation_links_to_its_anchor_on_the_sources_page(built_site):
    checked = 0
    for page in html_files(built_site):
        for a in soup_of(page).select("a.csec-cite"):
            href = a["href"] if "#" not in a["href"][:1] else page.name + a["href"]
            assert re.search(r"(^|/)sources\.html#source-", href), (page, a)
            assert _resolves(built_site, page, href), f"{page.relative_to(built_site)}: {href}"
            checked += 1
    assert checked > 100


def test_every_rendered_item_shows_its_citations(built_site):
    selectors = {
        "book/reference/glossary.html": "dl.csec-glossary > dd",
        "book/reference/indicators.html": "li.csec-indicator",
        "book/reference/red-flags.html": "table.csec-red-flags > tbody > tr",
        "book/reference/deadlines.html": "table.csec-deadlines > tbody > tr",
        "book/manual/acl-16-85-vi.html": "li.csec-step",
        "book/manual/la-procedures.html": "li.csec-step",
        "book/reference/rules.html": "div.csec-rule",
        "book/reference/cwscms.html": "dl.csec-cwscms > dd",
        "book/reference/exploitation.html": "section.csec-exploitation",
    }
    for page, selector in selectors.items():
        items = soup_of(built_site / page).select(selector)
        assert items, f"{page}: nothing matches {selector}"
        bare = [item.get_text(" ", strip=True)[:80] for item in items if not item.select("a.csec-cite")]
        assert bare == [], f"{page}: items without a linked citation"
    for page in built_site.rglob("book/manual/*.html"):
        for section in soup_of(page).select("section.csec-section"):
            assert section.select(":scope > p.csec-cites-line a.csec-cite"), (page.name, section.get("id"))


def test_deadlines_include_the_statewide_reporting_duties(built_site):
    table = _one(built_site, "book/reference/deadlines.html", "table.csec-deadlines")
    rows = [tr.get_text(" ", strip=True) for tr in table.select("tbody > tr")]
    when = [tr.select_one("td").get_text(" ", strip=True) for tr in table.select("tbody > tr")]
    # The words of ACL 16-85 §V, §I (Intake) and §VI, "immediately" kept where the letter says it.
    assert "Immediately, and in no case later than 24 hours" in when
    assert "Immediately or within 10 calendar days" in when and "Once every 30 days" in when
    assert "Within 24 hours" in when  # OTIP: "within 24-hours of a suspected case" (LA DCFS guide)
    assert any("NCMEC" in r for r in rows) and any("law enforcement" in r for r in rows)
    # One row per rule: the deadline's one home; the policy steps that name it are linked from that row.
    assert len(rows) == len({r for r in rows})


def test_sources_page_lists_every_authority_with_backlinks(built_site, corpus):
    soup = soup_of(built_site / "book/reference/sources.html")
    for source in corpus.sources.values():
        if source.status == "approved":
            assert soup.find(id=f"source-{source.id}") is not None, source.id
    backlinks = soup.select("a.csec-backlink")
    assert len(backlinks) > 50
    dead = [span.get_text(strip=True) for span in soup.select("span.csec-backlink")]
    assert not dead, f"{len(dead)} 'cited by' entries are text, not links: {dead[:5]}"
    for a in backlinks:
        assert _resolves(built_site, built_site / "book/reference/sources.html", a["href"]), a["href"]


def test_glossary_is_a_real_sphinx_glossary_with_aliases(built_site, corpus):
    soup = soup_of(built_site / "book/reference/glossary.html")
    terms = {term_text(dt) for dt in soup.select("dl.glossary > dt")}
    for d in corpus.definitions.values():
        if d.status == "approved":
            assert d.term in terms
            assert set(d.aliases) <= terms
    term_links = [a for p in html_files(built_site) for a in soup_of(p).select("a.reference.internal")
                  if "glossary.html#term-" in a.get("href", "")]
    assert len(term_links) > 10


# --- publish hides what is not approved; preview shows it, badged --------------------------------------------------

def _flat(text: str) -> str:
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return re.sub(r"\s+", " ", text).strip()


def _site_text(site: Path) -> str:
    return _flat(" ".join(soup_of(p).get_text(" ") for p in html_files(site)))


def _unpublished_texts(corpus) -> list[str]:
    """Distinctive plain texts of items that are not approved (absent from every approved item)."""
    from csec.core.corpus import prose_fields

    approved, candidates = [], []
    for kind, items in corpus.items.items():
        for item in items.values():
            strings = [s for _, s in prose_fields(item)]
            if getattr(item, "status", "approved") == "approved":
                approved += strings
            elif kind == "question_sets":
                candidates += [q.text for q in item.questions]
            else:
                candidates += [getattr(item, f) for f in ("text", "title", "term") if getattr(item, f, None)]
    blob = _flat(" ".join(approved))
    plain = [_flat(t) for t in candidates if not re.search(r"[*_`{}\[\]<>#|]", t) and len(t) > 15]
    return [t for t in dict.fromkeys(plain) if t not in blob]


def test_publish_build_shows_no_unapproved_item(built_site, corpus):
    texts = _unpublished_texts(corpus)
    assert texts, "expected some in-review content (the investigative questions) to test with"
    site = _site_text(built_site)
    leaked = [t for t in texts if t in site]
    assert leaked == []
    # A page with nothing approved to show is left out whole (csec_needs), not published as an empty notice.
    assert not (built_site / "book/reference/investigative-questions.html").exists()


def test_preview_build_shows_unapproved_items_with_a_badge(preview_site, corpus):
    texts = _unpublished_texts(corpus)
    site = _site_text(preview_site)
    missing = [t for t in texts if t not in site]
    assert missing == []
    badges = soup_of(preview_site / "book/reference/investigative-questions.html").select(".csec-status-in_review")
    assert badges and "in review" in badges[0].get_text()
    last = soup_of(preview_site / "book/reference/investigative-questions.html").select(".csec-last-review")
    assert last and last[0].get_text() == "last review: UPE (union), requested 2025-02-05, pending"


# --- a failed build leaves the previous site in place ----------------------------------------------------------

def _snapshot(html: Path) -> dict[str, str]:
    return {p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(html.rglob("*")) if p.is_file()}


@pytest.fixture
def built_small_book(tmp_path) -> Path:
    """The small test book, built once: a site to keep while a test breaks its inputs (code tests run on it, not
    on the real book, so a content edit never breaks them and they build in seconds)."""
    from small_book import small_book

    root = small_book(tmp_path)
    first = _csec_build(root)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
    return root


def _csec_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csec.cli", "build", str(root)], capture_output=True, text=True,
                          timeout=600)


def test_content_error_fails_the_build_and_keeps_the_previous_site(built_small_book):
    html = built_small_book / "_build" / "html"
    before = _snapshot(html)
    flags = built_small_book / "content" / "policy" / "red_flags.yaml"
    flags.write_text(flags.read_text(encoding="utf-8").replace("status: approved", "status: aproved", 1),
                     encoding="utf-8")
    result = _csec_build(built_small_book)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    assert re.match(r"^content/policy/red_flags\.yaml:\d+:\d+: .*aproved", lines[0]), lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert _snapshot(html) == before


def _failed_build_after_adding(root: Path, text: str) -> subprocess.CompletedProcess:
    """Append TEXT to the glossary page of the built small book ROOT and build: the build must fail and leave the
    previous site as it was."""
    html = root / "_build" / "html"
    before = _snapshot(html)
    page = root / "book" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")
    result = _csec_build(root)
    assert result.returncode == 1
    assert _snapshot(html) == before
    return result


def test_failed_strict_build_keeps_the_previous_site(built_small_book):
    result = _failed_build_after_adding(built_small_book, "\n```{csec-section} no-such-section\n```\n")
    assert "unknown section id 'no-such-section'" in result.stderr, result.stderr[-3000:]
    assert "previous site" in result.stderr
    assert not list((built_small_book / "_build").glob(".staging-*")), "the staging folder was left behind"


def _environment(root: Path):
    """The Sphinx environment the last publish build of ROOT pickled (csec.site.build keeps one per mode and county)."""
    import pickle

    from csec.load.counties import recorded
    from csec.site.build import ENVIRONMENTS

    with open(root / "_build" / ENVIRONMENTS / f"publish-{recorded(root)}" / "environment.pickle", "rb") as f:
        return pickle.load(f)


def _build_and_count_reads(root: Path) -> tuple[set[str], set[str]]:
    """Build ROOT; return (the documents Sphinx read during this build, every document of the site). Sphinx stamps
    each document it reads with the time of reading (`env.all_docs`, microseconds since the epoch); a document it
    reused from the last build keeps its old stamp."""
    import time

    started = time.time_ns() // 1_000
    result = _csec_build(root)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    env = _environment(root)
    return {doc for doc, read_at in env.all_docs.items() if read_at >= started}, set(env.found_docs)


def _content_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("content", "counties") for p in sorted((root / folder).rglob("*.yaml"))}


def test_incremental_rebuild_after_editing_one_yaml_file_rereads_only_the_pages_showing_it(tmp_path):
    """A first build of the small book reads every page. Then rename the county's section in its content file: the
    next build re-reads only the pages that depend on the edited file (as the first build recorded them), far fewer
    than all, and the page showing the section and the sources page's backlinks show the new title. (A code test,
    on the small book: benchmarks/build.py measures the same on the real book.)"""
    from small_book import small_book

    root = small_book(tmp_path)
    read, every = _build_and_count_reads(root)
    assert read == every, f"a first build reads every page; it skipped {sorted(every - read)}"
    depends = {doc: set(files) for doc, files in _environment(root).dependencies.items()}

    overlay = root / "counties" / "fixture" / "content" / "policy" / "overlay.yaml"
    old = "title: Fixture County intake screening"
    text = overlay.read_text(encoding="utf-8")
    assert old in text
    before = _content_bytes(root)
    overlay.write_text(text.replace(old, "title: Fixture County intake screening (renamed)", 1), encoding="utf-8")
    after = _content_bytes(root)
    edited = {name for name in after if after[name] != before.get(name)}
    assert edited == {"counties/fixture/content/policy/overlay.yaml"}, edited

    reread, every_after = _build_and_count_reads(root)
    assert every_after == every
    dependents = {doc for doc, files in depends.items() if files & edited}
    assert reread == dependents, (f"re-read but not depending on {sorted(edited)}: {sorted(reread - dependents)}; "
                                  f"depending but not re-read: {sorted(dependents - reread)}")
    # Independently of what the build recorded: the page showing the section is among them, pages that show
    # nothing of the county's sections are not, and far from every page was read again.
    assert "book/intake" in reread
    assert not reread & {"book/glossary", "book/flags", "book/questions"}
    assert reread < every, "every page was read again: the build was a full one"

    html = root / "_build" / "html"
    renamed = "Fixture County intake screening (renamed)"
    for page in ("book/intake.html", "book/sources.html"):
        assert renamed in BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser").get_text(), page
