"""The shipped content read two ways, through the real CLI: `csec build --county none` publishes the statewide
baseline alone (ACL 16-85, ACL 20-105 and statute), with none of Los Angeles County's pages, duties or terms; the
default build (csec.yaml: los-angeles) adds the county's procedures, marked as the county's, and its answers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from _browser import read_data_file
from conftest import scratch_copy
from csec.core.pages import COUNTY_KEY, front_matter
from csec_cli import CSEC, REPO

pytestmark = pytest.mark.build

LA = REPO / "counties" / "los-angeles" / "content"
# The names of the county's own hotline, court and unit, as a page shows them (the LA layer's glossary terms).
LA_TERMS = [d["term"] for d in yaml.safe_load((LA / "policy/glossary.yaml").read_text())["definitions"]]


def _county_pages() -> list[str]:
    """The book pages that say `csec_county: los-angeles`, as built .html paths."""
    return [page.relative_to(REPO).with_suffix(".html").as_posix() for page in sorted((REPO / "book").rglob("*.md"))
            if front_matter(page).get(COUNTY_KEY) == "los-angeles"]


@pytest.fixture(scope="module")
def statewide_site(tmp_path_factory, repo_root) -> Path:
    repo = scratch_copy(repo_root, tmp_path_factory.mktemp("statewide") / "repo")
    done = subprocess.run([str(CSEC), "build", "--county", "none", str(repo)], capture_output=True, text=True,
                          timeout=900, cwd=REPO)
    assert done.returncode == 0 and "built with no warnings" in done.stdout + done.stderr, done.stdout + done.stderr
    return repo / "_build" / "html"


def _text(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ")
            for p in site.rglob("*.html")}


def test_the_statewide_site_has_none_of_the_countys_pages_duties_or_terms(statewide_site, built_site):
    pages = _county_pages()
    assert len(pages) >= 5
    for page in pages:
        assert (built_site / page).is_file() or page.endswith("investigative-questions.html"), page  # withheld: review
        assert not (statewide_site / page).exists(), page
    county_rules = [r["title"] for r in yaml.safe_load((LA / "policy/rules.yaml").read_text())["rules"] if "id" in r]
    texts = _text(statewide_site)
    assert len(texts) >= 30
    # The records for policy staff may quote a county's guide (an author's note, a release summary); the pages that
    # teach or direct a worker may not.
    for path, text in texts.items():
        if path.startswith("book/staff/") or path == "book/reference/changes.html":
            continue
        for name in [*LA_TERMS, *county_rules, "Child Protection Hotline", "Los Angeles County procedures"]:
            assert name not in text, f"{path} names {name!r}"
    assert not any("csec-county" in p.read_text() for p in statewide_site.rglob("*.html"))  # no county badge
    index = texts["book/index.html"]
    assert "This site shows the statewide policy alone" in index
    # The vignettes keep their statewide answers: no county duty in any answer key.
    county_ids = {r["id"] for r in yaml.safe_load((LA / "policy/rules.yaml").read_text())["rules"] if "id" in r}
    keys = sorted((statewide_site / "_csec" / "keys").glob("*.js"))
    assert keys
    for key in keys:
        actions = {item["key"] for item in read_data_file(key)["items"].get("action", [])}
        assert not actions & county_ids, key.name


def test_the_county_site_adds_its_procedures_marked_as_its_own(built_site):
    index = BeautifulSoup((built_site / "book/index.html").read_text(), "html.parser")
    captions = [c.get_text(strip=True) for c in index.select("nav .caption-text")]
    assert "Los Angeles County procedures" in captions
    linked = {a["href"] for a in index.select("article ul a")}
    assert "manual/la-procedures.html" in linked and "manual/la-guide.html" in linked
    # A vignette the county amends: its key has the county's duties, its debrief says what the county adds.
    amended = sorted(p.stem for p in (LA / "scenarios").glob("*.yaml"))
    assert amended
    county_ids = {r["id"] for r in yaml.safe_load((LA / "policy/rules.yaml").read_text())["rules"] if "id" in r}
    with_duties = 0
    for sid in amended:
        key = read_data_file(built_site / "_csec" / "keys" / f"{sid}.js")
        expected = {i["key"] for i in key["items"].get("action", []) if i["expected"]}
        with_duties += bool(expected & county_ids)
    assert with_duties >= len(amended) // 2
    module = yaml.safe_load((REPO / "content/scenarios" / f"{amended[0]}.yaml").read_text())["module"]
    page = (built_site / f"book/modules/{module}.html").read_text()
    assert "Los Angeles County procedures." in BeautifulSoup(page, "html.parser").get_text(" ")
