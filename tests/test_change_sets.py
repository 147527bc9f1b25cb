"""Change sets through the real CLI (README "Changing published policy"): the NCMEC report shortened from 24 to 12
hours goes from proposal through review to the published rules on its effective date and into the base files,
touching no other item's status; the quoted ACL 16-85 §VI text keeps the letter's 24 hours throughout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from csec_cli import content_copy

CSEC = Path(sys.executable).with_name("csec")
CHANGE = "ncmec-12-hours"
# ACL 16-85 §VI, step B, as the letter words it: the quote the rule rests on.
QUOTE = "B. Report the missing/abducted child/youth immediately or within 24 hours to the NCMEC."
MISSING_AT_RISK = {"age": 15, "missing": True, "receiving_child_welfare_services": True,
                   "controlled_or_groomed": True}


def csec(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    result = subprocess.run([str(CSEC), *args], input=stdin, capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def ncmec_hours(root: Path, *when: str, env: dict | None = None) -> tuple[int, str]:
    out = csec("assess", "-", "--json", "--root", str(root), *when, stdin=json.dumps({"facts": MISSING_AT_RISK}),
               env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    return next(a["within_hours"] for a in data["actions"] if a["id"] == "report_missing_to_ncmec"), data["rules_as_of"]


def statuses(root: Path) -> dict[str, str]:
    """Every item's status in the base files, by file and id."""
    found = {}
    for path in sorted((root / "content").rglob("*.yaml")) + sorted((root / "counties").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = [data] if isinstance(data, dict) and "id" in data else [
            e for value in (data or {}).values() if isinstance(value, list) for e in value if isinstance(e, dict)]
        for entry in entries:
            if "status" in entry:
                found[f"{path.relative_to(root)}#{entry.get('id', entry.get('amends'))}"] = entry["status"]
    return found


def propose(root: Path, effective: str = "2027-01-01") -> Path:
    made = csec("change", "new", CHANGE, "--root", str(root), "--title", "Report a missing youth to NCMEC sooner",
                "--summary", "The county reports a missing youth to NCMEC sooner than the letter requires.",
                "--kind", "major", "--effective", effective, "--amend", "rules/report_missing_to_ncmec")
    assert made.returncode == 0, made.stderr
    amendment = root / "changes" / CHANGE / "content" / "policy" / "rules.yaml"
    assert f"changes/{CHANGE}/content/policy/rules.yaml" in made.stdout
    return amendment


def test_the_ncmec_change_from_proposal_to_fold(tmp_path):
    root = content_copy(tmp_path)
    before = statuses(root)
    amendment = propose(root)
    # The policy staff's one edit: the new number. Validate then holds it to the quote it rests on.
    amendment.write_text(amendment.read_text(encoding="utf-8") + "    within_hours: 12\n", encoding="utf-8")
    refused = csec("validate", str(root))
    assert refused.returncode == 1
    assert refused.stdout.startswith(f"changes/{CHANGE}/content/policy/rules.yaml:"), refused.stdout
    assert "departs from the quote it rests on, which says 24" in refused.stdout
    amendment.write_text(amendment.read_text(encoding="utf-8") + (
        "    departs:\n      because: The county reports sooner than ACL 16-85 §VI requires.\n"
        "      cites: [acl-16-85#vi]\n"), encoding="utf-8")
    assert csec("validate", str(root)).returncode == 0
    # Under review and approved: published only from its effective date.
    assert csec("change", "review", CHANGE, "--root", str(root), "--reviewer", "Policy Lead", "--decision",
                "requested", "--date", "2026-12-01").returncode == 0
    assert ncmec_hours(root) == (24, "published")
    assert ncmec_hours(root, "--preview") == (12, "preview")
    approved = csec("change", "review", CHANGE, "--root", str(root), "--reviewer", "Policy Lead", "--decision",
                    "approve", "--date", "2026-12-02")
    assert approved.returncode == 0 and "approved" in approved.stdout
    assert ncmec_hours(root, "--as-of", "2026-12-31") == (24, "2026-12-31")
    assert ncmec_hours(root, "--as-of", "2027-01-01") == (12, "2027-01-01")
    # Without --as-of, the day is $SOURCE_DATE_EPOCH's (UTC) when it is set, as for `csec build`.
    assert ncmec_hours(root, env={"SOURCE_DATE_EPOCH": str(_epoch("2027-01-01") - 1)}) == (24, "published")
    assert ncmec_hours(root, env={"SOURCE_DATE_EPOCH": str(_epoch("2027-01-01"))}) == (12, "published")
    assert statuses(root) == before, "a change set changes no item's status"
    early = csec("change", "fold", CHANGE, "--root", str(root), "--date", "2026-12-31")
    assert early.returncode == 1 and "takes effect on 2027-01-01" in early.stderr
    folded = csec("change", "fold", CHANGE, "--root", str(root), "--date", "2027-01-02")
    assert folded.returncode == 0, folded.stderr
    assert not (root / "changes" / CHANGE).exists()
    rules = yaml.safe_load((root / "content" / "policy" / "rules.yaml").read_text(encoding="utf-8"))["rules"]
    ncmec = next(r for r in rules if r["id"] == "report_missing_to_ncmec")
    assert ncmec["within_hours"] == 12 and ncmec["departs"]["cites"] == ["acl-16-85#vi"]
    assert ncmec["status"] == "approved"
    assert QUOTE in " ".join((root / "content" / "policy" / "acl-16-85.yaml").read_text(encoding="utf-8").split())
    releases = yaml.safe_load((root / "content" / "releases.yaml").read_text(encoding="utf-8"))["releases"]
    record = next(r for r in releases if r["id"] == CHANGE)
    values = {v["field"]: (v["old"], v["new"]) for v in record["changes"][0]["values"]}
    assert values["within_hours"] == (24, 12)
    assert record["changes"][0]["class"] == "substantive"  # major: staff acknowledge it again
    assert csec("validate", str(root)).returncode == 0, "the folded content (records re-confirmed) is sound"
    assert ncmec_hours(root) == (12, "published")
    assert statuses(root) == {**before, f"content/releases.yaml#{CHANGE}": "approved"}


def test_an_item_in_a_change_set_carries_no_status_of_its_own(tmp_path):
    root = content_copy(tmp_path)
    amendment = propose(root)
    amendment.write_text(amendment.read_text(encoding="utf-8") + "    within_hours: 24\n    status: approved\n",
                         encoding="utf-8")
    out = csec("validate", str(root))
    assert out.returncode == 1
    assert f"changes/{CHANGE}/content/policy/rules.yaml:" in out.stdout
    assert "status: not allowed here; an item in a change set takes its status and reviews from the change set" \
        in out.stdout


def test_a_stale_departure_is_refused(tmp_path):
    # The rule says what its quote says (24): a recorded departure would mislead the reader.
    root = content_copy(tmp_path)
    amendment = propose(root)
    amendment.write_text(amendment.read_text(encoding="utf-8") + (
        "    departs:\n      because: No reason.\n      cites: [acl-16-85#vi]\n"), encoding="utf-8")
    out = csec("validate", str(root))
    assert out.returncode == 1 and "departs: the rule's within_hours (24) is what its quote says" in out.stdout


def test_a_change_set_cannot_be_folded_before_it_is_approved(tmp_path):
    root = content_copy(tmp_path)
    amendment = propose(root, effective="2026-01-01")
    amendment.write_text(amendment.read_text(encoding="utf-8") + "    title: Report the missing youth to NCMEC now\n",
                         encoding="utf-8")
    out = csec("change", "fold", CHANGE, "--root", str(root))
    assert out.returncode == 1 and "is draft; only an approved change set is folded" in out.stderr
    assert (root / "changes" / CHANGE).is_dir()


def test_review_lists_an_open_change_set_with_what_it_affects_and_who_must_review(tmp_path):
    root = content_copy(tmp_path)
    amendment = propose(root)
    amendment.write_text(amendment.read_text(encoding="utf-8") + (
        "    within_hours: 12\n    departs:\n      because: The county reports sooner.\n"
        "      cites: [acl-16-85#vi]\n"), encoding="utf-8")
    assert csec("change", "review", CHANGE, "--root", str(root), "--reviewer", "Dana (policy lead)", "--decision",
                "requested", "--date", "2026-12-01").returncode == 0
    listed = csec("review", str(root), "--json")
    assert listed.returncode == 0, listed.stderr
    entry = next(e for e in json.loads(listed.stdout) if e["kind"] == "change_sets")
    assert (entry["id"], entry["reviewer"], entry["status"]) == (CHANGE, "Dana (policy lead)", "in_review")
    # The rule, and the vignettes whose answer key carries the NCMEC deadline (a youth missing from care).
    assert "rules/report_missing_to_ncmec" in entry["affects"]
    assert "answer of scenarios/nia-missing-at-risk" in entry["affects"]
    text = csec("review", str(root)).stdout
    assert f"changes/{CHANGE}/change.yaml:1: Report a missing youth to NCMEC sooner (in review" in text


def test_the_history_page_lists_every_release_with_its_recorded_values(tmp_path, site_repo):
    import shutil

    from bs4 import BeautifulSoup

    # A copy of the repository with the run's publish build: the build after the fold reads every page again (Sphinx
    # does not reuse an environment from another folder) but reuses the notebooks' outputs.
    root = tmp_path / "repo"
    shutil.copytree(site_repo, root, symlinks=True)
    # In force since December 3, 2026: after the kit's releases of November 22 and December 1.
    amendment = propose(root, effective="2026-12-03")
    amendment.write_text(amendment.read_text(encoding="utf-8") + (
        "    within_hours: 12\n    departs:\n      because: The county reports sooner.\n"
        "      cites: [acl-16-85#vi]\n"), encoding="utf-8")
    for decision, day in (("requested", "2026-12-01"), ("approve", "2026-12-02")):
        assert csec("change", "review", CHANGE, "--root", str(root), "--reviewer", "Dana Reviewer", "--decision",
                    decision, "--comments", "ZZREVIEWCOMMENT", "--date", day).returncode == 0
    assert csec("change", "fold", CHANGE, "--root", str(root)).returncode == 0
    built = subprocess.run([str(CSEC), "build", str(root)], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr[-3000:]
    page = (root / "_build" / "html" / "book" / "reference" / "changes.html").read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    releases = yaml.safe_load((root / "content" / "releases.yaml").read_text(encoding="utf-8"))["releases"]
    dated = sorted((r for r in releases if r["status"] == "approved" and r.get("effective")),
                   key=lambda r: str(r["effective"]), reverse=True)
    assert [r["id"] for r in dated][:3] == [CHANGE, "2026-12", "2026-11"]
    # Newest first, every release listed with its date.
    positions = [text.index(r["title"]) for r in dated]
    assert positions == sorted(positions)
    assert "effective December 3, 2026" in text and "effective November 22, 2026" in text
    assert "within_hours: 24 → 12" in text  # the record's own values, not today's rule
    assert "Dana Reviewer" not in text and "ZZREVIEWCOMMENT" not in text  # review records stay off the site


# --- the preview's redlines and the build's date, on the small test book -------------------------------------------

GROOMING = "grooming"  # a glossary definition of the good fixture, shown on the small book's glossary page


def _grooming_text(root: Path) -> str:
    definitions = yaml.safe_load((root / "content" / "policy" / "glossary.yaml").read_text(encoding="utf-8"))
    return next(d["text"] for d in definitions["definitions"] if d["id"] == GROOMING)


def _grooming_change(root: Path, status: str, effective: str) -> tuple[str, str]:
    """A change set in ROOT rewording one word of the grooming definition: (the word it removes, the one it adds)."""
    old_word, new_word = "builds", "gains"
    text = _grooming_text(root)
    assert f" {old_word} " in text and new_word not in text, text
    folder = root / "changes" / "grooming-wording"
    (folder / "content" / "policy").mkdir(parents=True)
    review = ("  - {reviewer: ZZREVIEWER, date: 2026-11-30, decision: approve, comments: ZZREVIEWCOMMENT}\n"
              if status == "approved" else
              "  - {reviewer: ZZREVIEWER, date: 2026-11-30, decision: requested, comments: ZZREVIEWCOMMENT}\n")
    (folder / "change.yaml").write_text(
        f"title: Clearer grooming wording\nsummary: Says how an exploiter wins a youth's trust.\nkind: minor\n"
        f"effective: {effective}\nstatus: {status}\nreviews:\n{review}", encoding="utf-8")
    (folder / "content" / "policy" / "glossary.yaml").write_text(yaml.safe_dump(
        {"definitions": [{"amends": GROOMING, "text": text.replace(f" {old_word} ", f" {new_word} ", 1)}]},
        width=1000), encoding="utf-8")
    return old_word, new_word


def _build_small(root: Path, *args: str, env: dict | None = None) -> str:
    import os

    done = subprocess.run([str(CSEC), "build", *args, str(root)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done.stdout


def _snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    import hashlib

    return {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).digest(), p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def _pages(site: Path) -> list[Path]:
    """Every page of SITE a reader sees (not the theme's macro files, not the root's redirect to the home page)."""
    return [p for p in sorted(site.rglob("*.html")) if not p.relative_to(site).parts[0].startswith("_")
            and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")]


def _definition(page: Path, term: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    dt = next(d for d in soup.select("dl.glossary dt") if term in d.get_text())
    return dt.find_next_sibling("dd")


def test_the_preview_redlines_an_open_change_set_in_its_own_folder(tmp_path):
    from bs4 import BeautifulSoup
    from small_book import small_book

    root = small_book(tmp_path)
    old_word, new_word = _grooming_change(root, "in_review", "2026-01-01")
    published_out = _build_small(root)
    html = root / "_build" / "html"
    assert f"publish site built with no warnings: {html / 'index.html'}" in published_out
    before, target = _snapshot(html), (root / "_build" / "html").resolve()

    preview_out = _build_small(root, "--preview")
    preview = root / "_build" / "preview"
    assert f"preview site built with no warnings: {preview / 'index.html'}" in preview_out
    # The published site is untouched: the same folder, every file the same bytes and times.
    assert html.resolve() == target and _snapshot(html) == before
    assert preview.is_symlink() and preview.resolve() != target

    # On the page of the amended definition: the published word struck, the proposed one inserted.
    definition = _definition(preview / "book" / "glossary.html", "Grooming")
    assert f"<del>{old_word}</del><ins>{new_word}</ins>" in str(definition), definition
    box = definition.select_one(".csec-proposed")
    assert box is not None and "Clearer grooming wording" in box.get_text()
    assert box.select("[style]") == [] and not box.find("script")  # styled by csec.css, under the strict CSP
    # A banner on every page of the preview, and none of the review's metadata.
    for page in _pages(preview):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        banner = soup.select("aside.csec-preview-banner")
        assert len(banner) == 1 and "not the published policy" in banner[0].get_text(), page
        assert banner[0].get("style") is None
    # The published site shows neither, nor the proposed words, nor who reviewed what.
    assert _pages(html)
    for page in _pages(html):
        text = page.read_text(encoding="utf-8")
        assert "csec-preview-banner" not in text and "csec-proposed" not in text, page
        assert "<del>" not in text and "<ins>" not in text, page
        assert "ZZREVIEWER" not in text and "ZZREVIEWCOMMENT" not in text, page
    published = " ".join(_definition(html / "book" / "glossary.html", "Grooming").get_text().split())
    assert " ".join(_grooming_text(root).split()) in published and new_word not in published


def _epoch(day: str) -> int:
    import datetime as dt

    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp())


def test_a_build_publishes_an_approved_change_set_on_its_effective_date_from_source_date_epoch(tmp_path):
    from small_book import small_book

    root = small_book(tmp_path)
    effective = "2031-03-15"  # far from any real day the test runs on: only $SOURCE_DATE_EPOCH decides
    old_word, new_word = _grooming_change(root, "approved", effective)
    glossary = root / "_build" / "html" / "book" / "glossary.html"

    # The last second of the day before (UTC): not yet in force.
    out = _build_small(root, env={"SOURCE_DATE_EPOCH": str(_epoch(effective) - 1)})
    assert "publish site built with no warnings" in out
    text = " ".join(_definition(glossary, "Grooming").get_text().split())
    assert f" {old_word} " in text and new_word not in text

    # The same site on its effective day: in force, so the site is rebuilt (no file changed) and shows it.
    out = _build_small(root, env={"SOURCE_DATE_EPOCH": str(_epoch(effective))})
    assert "publish site built with no warnings" in out and "up to date" not in out
    text = " ".join(_definition(glossary, "Grooming").get_text().split())
    assert f" {new_word} " in text and old_word not in text
    assert "up to date" in _build_small(root, env={"SOURCE_DATE_EPOCH": str(_epoch(effective))})


def test_a_malformed_source_date_epoch_is_one_line_and_builds_nothing(tmp_path):
    import os

    from small_book import small_book

    root = small_book(tmp_path)

    done = subprocess.run([str(CSEC), "build", str(root)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "next tuesday"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SOURCE_DATE_EPOCH" in lines[0] and "next tuesday" in lines[0], done.stderr
    assert not (root / "_build" / "html").exists()
