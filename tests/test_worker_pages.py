"""The published pages for workers speak as the agency's manual: outside the policy-staff and trainer sections no
page shows "the kit", "the engine", Python, or an internal id of a rule, fact value or item; the unapproved
investigative questions page is left out of the publish build and its navigation; author notes live on the open
policy questions page."""

from __future__ import annotations

from worker_pages import findings, internal_ids, worker_pages


def test_worker_pages_show_no_internal_words(built_site, corpus):
    pages = worker_pages(built_site)
    assert "book/manual/acl-16-85-v.html" in pages and "book/reference/rules.html" in pages
    found = findings(pages, internal_ids(corpus))
    assert found == [], "\n".join(found[:30])


def test_the_scanner_catches_what_it_looks_for(tmp_path, corpus):
    page = tmp_path / "book" / "manual" / "x.html"
    page.parent.mkdir(parents=True)
    page.write_text("<main><p>Rule report_to_law_enforcement, as the kit says. >>> import os</p></main>",
                    encoding="utf-8")
    found = findings(worker_pages(tmp_path), internal_ids(corpus))
    assert len(found) == 4, found


def test_unapproved_page_is_not_published_nor_linked(built_site):
    assert not (built_site / "book/reference/investigative-questions.html").exists()
    for path in built_site.glob("book/**/*.html"):
        assert "investigative-questions.html" not in path.read_text(encoding="utf-8"), path


def test_author_notes_are_on_the_open_questions_page_only(built_site, corpus):
    staff = (built_site / "book/staff/open-questions.html").read_text(encoding="utf-8")
    assert staff.count('class="csec-open-question"') >= 50
    for path in built_site.glob("book/**/*.html"):
        if "staff/" not in path.as_posix():
            assert "csec-author-note" not in path.read_text(encoding="utf-8"), path
