"""The published site is a function of its inputs: `csec build` through the real CLI on a small test book (the good
fixture's statewide content, the fixture county's layer, a few pages) rebuilds whenever an input changed (a county
file, the county chosen), keeps nothing an earlier build made that the current inputs do not (a withheld page, another
county's page, a removed image), and a kill at any instant, the swap included, leaves the last good site in place."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

from csec_cli import CSEC, REPO
from small_book import COUNTY, FIXTURES
from small_book import small_book as _book

OVERLAY = Path("counties") / COUNTY / "content" / "policy" / "overlay.yaml"
BUILD_TIMEOUT = 600


def _csec(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(CSEC), *args], capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=REPO,
                          env={**os.environ, **(env or {})})
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def _built(root: Path, *args: str) -> Path:
    done = _csec("build", *args, str(root))
    assert done.returncode == 0 and "site built with no warnings" in done.stdout, done.stdout + done.stderr
    return root / "_build" / "html"


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text, f"{file} does not say {old!r}"
    file.write_text(text.replace(old, new, 1))


INTAKE_TEXT = "keeps a log of every screening"  # the fixture county's own section, on its own page


def test_a_county_edit_rebuilds_and_a_broken_county_file_fails_with_one_line(tmp_path):
    root = _book(tmp_path)
    site = _built(root)
    assert INTAKE_TEXT in (site / "book/intake.html").read_text()

    # An input no page depends on (a comment in csec.yaml): a new build, from an empty folder, is still whole.
    (root / "csec.yaml").write_text((root / "csec.yaml").read_text() + "# reviewed\n")
    site = _built(root)
    assert all((site / name).is_file() for name in ("search.html", "genindex.html", "book/index.html",
                                                    "book/intake.html", "_static/csec.css"))

    # The county's section goes back to draft: the publish build must not show it any longer.
    overlay = root / OVERLAY
    _edit(overlay, "    cites: [fixture-acl#ii]\n    status: approved", "    cites: [fixture-acl#ii]\n    status: draft")
    site = _built(root)
    assert INTAKE_TEXT not in (site / "book/intake.html").read_text()
    published = (site / ".csec-build.json").read_text()

    # A syntax error in the county's file: one located line, exit 1, and the last good site stays as it was.
    overlay.write_text("sections: [\n")
    done = _csec("build", str(root))
    assert done.returncode == 1, done.stdout + done.stderr
    located = [line for line in done.stdout.splitlines() if line.startswith(f"{OVERLAY.as_posix()}:")]
    assert len(located) == 1 and located[0].split(":")[1].isdigit(), done.stdout + done.stderr
    assert "up to date" not in done.stdout
    assert (site / ".csec-build.json").read_text() == published


def test_switching_county_rebuilds_and_drops_the_other_countys_pages(tmp_path):
    root = _book(tmp_path)
    site = _built(root)
    assert (site / "book/intake.html").is_file()
    assert json.loads((site / ".csec-build.json").read_text())["county"] == COUNTY

    site = _built(root, "--county", "none")
    assert json.loads((site / ".csec-build.json").read_text())["county"] is None
    assert not (site / "book/intake.html").exists()  # the county's page is not reachable by its URL either
    pages = [page.read_text() for page in site.rglob("*.html")]
    assert not any("intake.html" in page or "csec-county-fixture" in page for page in pages)

    site = _built(root)
    assert (site / "book/intake.html").is_file() and INTAKE_TEXT in (site / "book/intake.html").read_text()


def test_a_page_withheld_later_and_a_removed_image_leave_the_site(tmp_path):
    root = _book(tmp_path)
    site = _built(root)
    assert (site / "book/flags.html").is_file() and list((site / "_images").glob("logo*.png"))

    # Every red flag back in review: the page that needs one leaves the build; the image leaves its page.
    flags = root / "content/policy/red_flags.yaml"
    head, tail = flags.read_text().split("exploitation_categories:")
    flags.write_text(head.replace("status: approved", "status: in_review") + "exploitation_categories:" + tail)
    _edit(root / "book/glossary.md", "\n![The fixture logo](logo.png)\n", "\n")
    (root / "book/logo.png").unlink()
    site = _built(root)
    assert not (site / "book/flags.html").exists()
    assert not (site / "_images").exists() or not list((site / "_images").glob("logo*"))
    assert (site / "book/glossary.html").is_file()


def _stamp(site: Path) -> dict:
    return json.loads((site / ".csec-build.json").read_text())


def test_a_kill_during_the_swap_keeps_the_last_good_site_and_a_failed_build_never_removes_it(tmp_path):
    root = _book(tmp_path)
    build_dir = root / "_build"
    site = _built(root)
    good = _stamp(site)

    # Killed between the renames of the swap (after the new site is complete): the link still names the old site.
    _edit(root / "book/intake.md", "# Intake in Fixture County", "# Intake in Fixture County, revised")
    killed = _csec("build", str(root), env={"CSEC_TEST_KILL_IN_SWAP": "1"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert _stamp(site) == good and (site / "index.html").is_file()

    # An older kit's site, a real folder, being swapped: killed when it is set aside, before the new one is in place.
    current = site.resolve()
    site.unlink()
    os.rename(current, site)
    killed = _csec("build", str(root), env={"CSEC_TEST_KILL_IN_SWAP": "1"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert not site.exists() and list(build_dir.glob(".html.old-*")), "the kill came too late to test anything"

    # The next build fails (a broken content file): the last good site is put back, never removed.
    (root / OVERLAY).write_text("sections: [\n")
    done = _csec("build", str(root))
    assert done.returncode == 1, done.stdout + done.stderr
    assert _stamp(site) == good and (site / "index.html").is_file()
    assert not list(build_dir.glob(".staging-*"))

    # A good build then replaces it, and removes every older site.
    shutil.copy(FIXTURES / "county" / OVERLAY, root / OVERLAY)
    site = _built(root)
    assert "Intake in Fixture County, revised" in (site / "book/intake.html").read_text()
    assert [p.name for p in build_dir.iterdir() if p.name.startswith(("site-", ".html"))] == [site.resolve().name]


def test_a_county_id_is_a_name_under_counties_never_a_path(tmp_path):
    root = _book(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(root / "counties" / COUNTY, elsewhere)
    (tmp_path / "x.yaml").write_text("county: fixture\n")
    for county in (os.path.relpath(elsewhere, root / "counties"), str(tmp_path), "Fixture"):
        for command in ("validate", "build"):
            done = _csec(command, "--county", county, str(root))
            assert done.returncode == 1, (county, done.stdout + done.stderr)
            lines = [line for line in done.stdout.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("counties:1:1: "), (county, done.stdout)
            assert f"county {county!r} is not a county id" in lines[0] and f"(known: {COUNTY}, or none)" in lines[0]
        assert not (root / "_build" / "html").exists()


SEARCH_INDEX = "searchindex.js"


def _search_index(data: bytes) -> dict:
    text = data.decode()
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_an_incremental_build_is_byte_for_byte_a_clean_build(tmp_path):
    """What an incremental build reuses (the environment, the pages, the notebook outputs) changes nothing: after an
    edit, its site equals the one a build from nothing makes of the same inputs, file for file."""
    root = _book(tmp_path)
    _built(root)
    _edit(root / OVERLAY, "keeps a log of every screening", "keeps a log of each screening")
    incremental = _files(_built(root))
    shutil.rmtree(root / "_build")
    clean = _files(_built(root))
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name] and name != SEARCH_INDEX] == []
    # Sphinx updates the search index it reuses in place: the same entries, its words in another order.
    assert _search_index(incremental[SEARCH_INDEX]) == _search_index(clean[SEARCH_INDEX])
    assert "keeps a log of each screening" in clean["book/intake.html"].decode()
