"""Read-and-understood records: `csec acknowledgements` turns a folder of records into a roster CSV and refuses
malformed ones with one line each; in a real Chromium the site's form stores a record, offers it as a download,
and the downloaded file is accepted by the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csec_cli import REPO, run_csec

STUBS = Path(__file__).resolve().parent / "stubs"


def _acks(*args: str) -> subprocess.CompletedProcess:
    return run_csec("acknowledgements", *args)


def _record(**over) -> dict:
    return {"release": "2026-01", "name": "Dana Example", "acknowledged_at": "2026-01-20T16:04:05.123Z",
            "page_version": "abc123def456", **over}


def test_good_records_make_a_roster(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(_record()), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(_record(name="Ali  Sample", release="2025-07")), encoding="utf-8")
    out = tmp_path / "roster.csv"
    result = _acks(str(tmp_path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [
        {"name": "Ali Sample", "release": "2025-07", "acknowledged_at": "2026-01-20T16:04:05.123Z", "file": "b.json"},
        {"name": "Dana Example", "release": "2026-01", "acknowledged_at": "2026-01-20T16:04:05.123Z", "file": "a.json"}]
    only = _acks(str(tmp_path), "--release", "2026-01")
    assert only.returncode == 0 and only.stdout.splitlines() == [
        "name,release,acknowledged_at,file", "Dana Example,2026-01,2026-01-20T16:04:05.123Z,a.json"]


@pytest.mark.parametrize("name, body, message", [
    ("not-json.json", "{oops", "not JSON: "),
    ("list.json", "[]", "a record is a JSON object"),
    ("missing.json", json.dumps({"release": "2026-01", "name": "X"}), "missing acknowledged_at, page_version"),
    ("extra.json", json.dumps(_record(extra=1)), "unknown extra"),
    ("empty-name.json", json.dumps(_record(name="  ")), "name must be non-empty text"),
    ("bad-time.json", json.dumps(_record(acknowledged_at="yesterday")), "acknowledged_at is not an ISO 8601"),
    ("no-zone.json", json.dumps(_record(acknowledged_at="2026-01-20T16:04:05")), "has no time zone"),
])
def test_each_malformed_record_is_refused_with_one_line(tmp_path, name, body, message):
    (tmp_path / "good.json").write_text(json.dumps(_record()), encoding="utf-8")
    (tmp_path / name).write_text(body, encoding="utf-8")
    result = _acks(str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / name}: ") and message in lines[0], lines
    assert "Dana Example" in result.stdout  # the good record is still listed


@pytest.mark.browser
def test_the_form_records_a_download_the_cli_accepts(tmp_path):
    from _browser import CHROMIUM, launch, outside_requests, serve

    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(STUBS / "release_site_conf.py", site / "conf.py")
    (site / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   changes\n\n.. csec-acknowledge::\n"
                                    "   :changes: changes\n", encoding="utf-8")
    (site / "changes.rst").write_text("What changed\n============\n\nThe changes.\n", encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(site), str(site / "_out")],
                           capture_output=True, text=True, timeout=120, env={**os.environ, "CSEC_TEST_ROOT": str(REPO)})
    assert build.returncode == 0, build.stdout + build.stderr
    assert CHROMIUM.exists(), "Debian's chromium is required: apt-get install chromium"
    from playwright.sync_api import expect, sync_playwright

    records = tmp_path / "records"
    records.mkdir()

    def acknowledge(page, name: str) -> str:
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Your name").press("Enter")  # the keyboard submits the form too
        page.wait_for_function("() => !document.querySelector('.csec-ack-download').hidden")
        with page.expect_download() as info:
            page.get_by_role("link", name="Download your record (JSON)").click()
        info.value.save_as(records / info.value.suggested_filename)
        return info.value.suggested_filename

    with serve(site / "_out") as origin, sync_playwright() as p:
        browser = launch(p)  # refuses anything outside this machine; outside_requests records any attempt
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        outside = outside_requests(page, origin)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{origin}/index.html")
        form = page.locator("form.csec-ack")
        # The release by the name and date a reader knows (the stub's effective date is 2026-01-15), not its
        # working title, with a link to what changed.
        assert form.locator("legend").inner_text() == "Read and understood: the January 2026 release"
        assert "In effect from January 15, 2026." in form.inner_text()
        assert "January 2026 update" not in form.inner_text() and "2026-01-15" not in form.inner_text()
        assert form.get_by_role("link", name="Read what changed").get_attribute("href") == "changes.html"
        # Styled as a form: a boxed card and a filled button, not the browser's bare controls.
        look = page.evaluate("""() => {
            const s = (q) => getComputedStyle(document.querySelector(q));
            return {border: s('form.csec-ack fieldset').borderTopWidth, button: s('.csec-ack-button').backgroundColor,
                    input: s('form.csec-ack input').backgroundColor};
        }""")
        assert look["border"] == "2px" and look["button"] not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"), look
        # The script is a file, never inline (every page carries a CSP that forbids inline scripts).
        assert page.locator("script:not([src]):has-text('csec-ack')").count() == 0
        assert page.locator("script[src*='csec-ack.js']").count() == 1
        first = acknowledge(page, "Dana Example")
        status = page.locator(".csec-ack-status")
        assert status.get_attribute("aria-live") == "polite"
        expect(status).to_contain_text("Dana Example read and understood the January 2026 release on ")
        said = status.inner_text()
        assert not re.search(r"\d{4}-\d\d-\d\dT", said), said  # the time in words, not an ISO timestamp
        stored = json.loads(page.evaluate("localStorage.getItem('csec-ack:2026-01')"))
        assert stored["name"] == "Dana Example" and stored["release"] == "2026-01"
        month = page.evaluate("(iso) => new Date(iso).toLocaleString('en-US', {month: 'long'})",
                              stored["acknowledged_at"])
        assert f" on {month} " in said
        page.reload()  # the stored record is offered again on the next visit
        expect(page.locator(".csec-ack-status")).to_contain_text("Recorded earlier: Dana Example")
        # A second person on the same computer: a second file, not an overwrite of the first.
        second = acknowledge(page, "Ali  Sample")
        browser.close()
    assert outside == [] and errors == [], (outside, errors)
    assert (first, second) == ("acknowledgement-2026-01-dana-example.json", "acknowledgement-2026-01-ali-sample.json")
    assert sorted(f.name for f in records.iterdir()) == sorted([first, second])
    result = _acks(str(records), "--release", "2026-01")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["name"], r["release"], r["file"]) for r in rows] == [
        ("Ali Sample", "2026-01", second), ("Dana Example", "2026-01", first)]
    assert rows[1]["acknowledged_at"] == stored["acknowledged_at"]
