"""`csec handouts --out DIR` through the real command on a scratch copy: one PDF per handout, each with its headings,
citations, the release and page numbers on one footer line on every page; trainee worksheets with every vignette,
boxes to tick and room to write, and no answers; an at-risk checklist with a box per indicator; the red-flags chart
with its source said once; the trainer's guides with narratives, debriefs, discussion prompts drawn from the sources'
engagement guidance and a suggested set of vignettes per agenda slot, and no code; the interview guide left out while
its questions are in review."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from csec_cli import CSEC

pytestmark = [pytest.mark.browser, pytest.mark.build]

REFERENCE = {"red-flags-chart.pdf": ["Red flags"], "at-risk-checklist.pdf": ["At-risk indicators"],
             "reporting-deadlines.pdf": ["Reporting deadlines"]}
# What a trainee presses on the page; none of it is printed.
CONTROLS = ("Check my answers", "I understand: show the vignette", "Start a new quiz", "Download my results")


def _run(repo: Path, out: Path, **env) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), "handouts", "--out", str(out)], cwd=repo, capture_output=True, text=True,
                            timeout=900, env={**os.environ, **env})
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def handouts(site_repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts") / "out"
    result = _run(site_repo, out)
    assert result.returncode == 0, result.stderr
    return out, result


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())  # NFKC: a ligature "ﬁ" reads as "fi"


@functools.cache
def _extracted(pdf: Path) -> tuple[str, ...]:
    """Each page's text as pypdf extracts it, read once per PDF (the PDFs are written once per run and never
    changed; extracting is the slow part of these tests)."""
    from pypdf import PdfReader

    return tuple(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _pages(pdf: Path) -> list[str]:
    return [_words(text) for text in _extracted(pdf)]


def _body(pdf: Path) -> str:
    """The text of every page without its footer (the last line), so prose that runs on to the next page reads on."""
    return " ".join(_words(text.rstrip().rpartition("\n")[0]) for text in _extracted(pdf))


def _edition_words(corpus) -> str:
    """The edition every footer must name, worked out here from the content (not with the code under test)."""
    releases = [r for r in corpus.items.get("releases", {}).values()]
    if releases:
        data = [r if isinstance(r, dict) else r.model_dump(mode="json") for r in releases]
        newest = max((d for d in data if d.get("status", "approved") == "approved"), key=lambda d: str(d["effective"]))
        return str(newest.get("title") or newest["id"])
    newest = max(i.effective for items in corpus.items.values() for i in items.values()
                 if getattr(i, "status", "approved") == "approved" and getattr(i, "effective", None))
    return f"effective {newest.strftime('%B')} {newest.day}, {newest.year}"


def _plain_runs(text: str) -> list[str]:
    """Stretches of MyST prose with no markup, quotes or apostrophes (the PDF shows them typeset), longest first."""
    return sorted((_words(m) for m in re.findall(r"[A-Za-z0-9 ,.;\n]{50,}", text)), key=len, reverse=True)


def _modules(corpus) -> list[str]:
    return [m.id for m in corpus.modules.values() if m.status == "approved"]


def test_one_pdf_per_handout_listed_on_stdout(handouts, corpus):
    out, result = handouts
    expected = [*REFERENCE, *(f"{m}-{kind}.pdf" for m in _modules(corpus) for kind in ("worksheet", "trainer-guide"))]
    assert result.stdout.splitlines() == [str(out / name) for name in expected]
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(expected)
    assert not list(out.parent.glob(".out.*")), "the temporary folder was left behind"


def test_the_interview_guide_is_left_out_while_its_questions_are_in_review(handouts, corpus):
    out, result = handouts
    sets = corpus.items["question_sets"].values()
    assert sets and all(s.status != "approved" for s in sets), "precondition: the question sets are in review"
    assert not (out / "interview-question-guide.pdf").exists()
    notes = [line for line in result.stderr.splitlines() if "interview question guide" in line]
    assert len(notes) == 1 and "in review" in notes[0], result.stderr


@pytest.mark.parametrize("name", [*REFERENCE, "csec-101-worksheet.pdf", "csec-101-trainer-guide.pdf",
                                  "labor-trafficking-worksheet.pdf", "labor-trafficking-trainer-guide.pdf"])
def test_every_page_has_the_edition_and_its_number_on_one_footer_line(handouts, corpus, name):
    pages = _extracted(handouts[0] / name)
    edition = _edition_words(corpus)
    for n, text in enumerate(pages, 1):
        footer = _words(text.rstrip().splitlines()[-1])
        # The page number and the edition share the last line: nothing wraps ("Page 4 of" / "20").
        assert footer.endswith(f"Page {n} of {len(pages)}"), f"{name} page {n}: {footer!r}"
        assert edition in footer, f"{name} page {n} does not name the edition ({edition}) on its footer: {footer!r}"


@pytest.mark.parametrize("name", REFERENCE)
def test_reference_handouts_have_their_heading_and_citations(handouts, name):
    text = _body(handouts[0] / name)
    for heading in REFERENCE[name]:
        assert heading in text
    assert "ACL 16-85" in text or "LA DCFS policy guide" in text
    assert "Search the manual" not in text and "Use the buttons" not in text  # no site chrome, no controls


def test_the_red_flags_chart_says_its_source_once_as_a_note(handouts, corpus):
    text = _body(handouts[0] / "red-flags-chart.pdf")
    approved = [f for f in corpus.red_flags.values() if f.status == "approved"]
    assert _words(approved[0].text) in text and _words(approved[-1].text) in text
    distinct = {tuple(f.cites) for f in approved}
    # One note per distinct set of citations, never one per row.
    assert 1 <= text.count("LA DCFS policy guide") <= len(distinct) + 1 < len(approved), text.count("LA DCFS")
    assert "Source notes" in text


def test_the_at_risk_checklist_has_a_box_to_tick_per_indicator(handouts, corpus):
    text = _body(handouts[0] / "at-risk-checklist.pdf")
    approved = [i for i in corpus.indicators.values() if i.status == "approved"]
    assert text.count("\u2610") == len(approved)
    for indicator in approved:
        assert f"\u2610 {indicator.letter}." in text, indicator.id


@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_worksheets_have_every_vignette_room_to_answer_and_no_answers(handouts, corpus, module):
    text = _body(handouts[0] / f"{module}-worksheet.pdf")
    vignettes = [corpus.scenarios[s] for s in corpus.modules[module].scenarios
                 if corpus.scenarios[s].status == "approved"]
    indicators = [i for i in corpus.indicators.values() if i.status == "approved"]
    for s in vignettes:
        assert _plain_runs(s.narrative)[0] in text, f"{s.id}: narrative not printed"
        # The summary and the debrief give the answer away: they are in the trainer's guide only.
        assert _words(s.summary) not in text, f"{s.id}: the summary is printed"
        assert _plain_runs(s.debrief)[0] not in text, f"{s.id}: the debrief is printed"
    assert "Content warning" in text
    assert "Debrief" not in text and "Answer key" not in text and "Required:" not in text
    # A box per indicator per vignette at least (and more for red flags, yes or no, actions), lines for deadlines.
    assert text.count("\u2610") > len(vignettes) * len(indicators)
    assert text.count("by when") >= len(vignettes)
    assert text.count("Which at-risk indicators are present?") == len(vignettes)
    for control in CONTROLS:
        assert control not in text, f"{module}: the worksheet prints the control {control!r}"


@pytest.mark.parametrize("module", ["csec-101", "labor-trafficking"])
def test_trainer_guide_pdfs_carry_narratives_debriefs_and_answer_keys(handouts, corpus, module):
    text = _body(handouts[0] / f"{module}-trainer-guide.pdf")
    for heading in ("Agenda", "Vignettes with their answer keys", "Answer key: quiz questions", "Read aloud",
                    "Discussion", "Suggested:"):
        assert heading in text, heading
    s = corpus.scenarios[corpus.modules[module].scenarios[0]]
    assert _plain_runs(s.narrative)[0] in text
    assert _plain_runs(s.debrief)[0] in text
    assert "Required actions and their deadlines" in text and "Question 1" in text
    assert "ACL 16-85" in text or "LA DCFS policy guide" in text
    assert not re.search(r"\bgen-[a-z]", text), "a question id is printed"


def test_a_missing_chromium_is_one_line_and_exit_2(site_repo, tmp_path):
    result = _run(site_repo, tmp_path / "out", CSEC_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Chromium" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_someone_else_wrote_is_left_alone(handouts, site_repo, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = _run(site_repo, out)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()[-1:]) == 1
    assert "not empty" in result.stderr.splitlines()[-1]
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_page_reaching_outside_127_0_0_1_fails_the_print(tmp_path):
    from csec.releases.edition import Edition
    from csec.site.handouts import Handout, HandoutError, print_pdfs

    (tmp_path / "site" / "book").mkdir(parents=True)
    (tmp_path / "site" / "book" / "p.html").write_text(
        '<!doctype html><title>p</title><p>Hello</p><img src="http://192.0.2.1/tracker.png" alt="">', encoding="utf-8")
    (tmp_path / "out").mkdir()
    with pytest.raises(HandoutError, match=r"192\.0\.2\.1.*outside 127\.0\.0\.1"):
        print_pdfs(tmp_path / "site", [Handout("p.pdf", "book/p", "P")], Edition(None, None), tmp_path / "out")
    assert not (tmp_path / "out" / "p.pdf").exists()


def test_the_print_stylesheet_opens_every_toggle(tmp_path):
    import shutil

    from csec.releases.edition import Edition
    from csec.site.handouts import Handout, print_pdfs

    site = tmp_path / "site"
    (site / "book").mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "csec" / "sphinx" / "static" / "csec.css", site / "csec.css")
    (site / "book" / "p.html").write_text(
        '<!doctype html><title>p</title><link rel="stylesheet" href="../csec.css">'
        "<details><summary>Show the answer</summary><p>The answer behind the toggle</p></details>", encoding="utf-8")
    print_pdfs(site, [Handout("p.pdf", "book/p", "P")], Edition(None, None), tmp_path)
    assert "The answer behind the toggle" in _body(tmp_path / "p.pdf")


# --- the trainer's guide pages themselves --------------------------------------------------------------------

def _guide(built_site: Path, module: str):
    from bs4 import BeautifulSoup

    page = built_site / "book" / "modules" / f"{module}-trainer-guide.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")


def _section(article, heading: str):
    return next(s for s in article.select("section") if s.find(["h2"], recursive=False)
                and heading in s.find("h2", recursive=False).get_text())


@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_trainer_guides_carry_warning_narrative_answer_and_debrief_per_vignette(built_site, corpus, module):
    article = _guide(built_site, module)
    keys = article.select("section.csec-vignette-key")
    vignettes = [corpus.scenarios[s] for s in corpus.modules[module].scenarios
                 if corpus.scenarios[s].status == "approved"]
    assert len(keys) == len(vignettes)
    for section, s in zip(keys, vignettes):
        text = _words(section.get_text(" "))
        order = [text.find(w) for w in ("Content warning", _plain_runs(s.narrative)[0], "Answer key",
                                        "Required actions and their deadlines", _plain_runs(s.debrief)[0])]
        assert -1 not in order and order == sorted(order), f"{s.id}: {order}"
        links = [a["href"] for a in section.select("a.csec-cite")]
        assert links and all(h.startswith("../reference/sources.html#source-") for h in links), links


@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_the_quiz_key_names_questions_plainly(built_site, corpus, module):
    key = _words(_section(_guide(built_site, module), "Answer key: quiz questions").get_text(" "))
    assert "Question 1" in key
    ids = [q.id for q in corpus.questions.values() if q.module == module and q.status == "approved"]
    assert ids and not [i for i in ids if i in key], "a question id is shown"
    assert not re.search(r"\bgen-[a-z]", key)


@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_the_agenda_names_no_python_objects(built_site, module):
    agenda = _words(_section(_guide(built_site, module), "Agenda").get_text(" "))
    assert "min" in agenda
    assert not re.findall(r"\b[A-Z][a-z]+[A-Z]\w*|\b[a-z]+_[a-z_]+\b|\(\)", agenda), agenda



@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_each_vignette_has_discussion_prompts_from_the_engagement_guidance(built_site, corpus, module):
    article = _guide(built_site, module)
    keys = article.select("section.csec-vignette-key")
    ids = [s for s in corpus.modules[module].scenarios if corpus.scenarios[s].status == "approved"]
    prompts = corpus.modules[module].discussion
    assert len(keys) == len(ids)
    for section, sid in zip(keys, ids):
        mine = [p for p in prompts if sid in p.scenarios]
        assert mine, f"{sid}: no discussion prompt in the content"
        part = next((s for s in section.select("section") if _words(s.find(["h2", "h3", "h4", "h5"]).get_text())
                     .startswith("Discussion")), None)
        assert part is not None, f"{sid}: no Discussion part"
        items = part.select("ol > li")
        assert len(items) == len(mine), sid
        for li, prompt in zip(items, mine):
            assert _plain_runs(prompt.text)[0] in _words(li.get_text(" ")), sid
            links = [a["href"] for a in li.select("a.csec-cite")]
            # Every prompt cites the paragraph of guidance it comes from, linked to the sources page.
            assert [h.rpartition("#source-")[2] for h in links] == [c.replace("#", "--") for c in prompt.cites], sid


@pytest.mark.parametrize("module", ["csec-101", "csec-102", "labor-trafficking"])
def test_each_vignette_slot_suggests_a_set_that_fits_it(built_site, corpus, module):
    article = _guide(built_site, module)
    rows = article.select("table.csec-agenda tbody tr")
    agenda = corpus.modules[module].agenda
    ids = [s for s in corpus.modules[module].scenarios if corpus.scenarios[s].status == "approved"]
    assert len(rows) == len(agenda)
    slots = [(row, item) for row, item in zip(rows, agenda) if item.vignette_minutes]
    assert slots, f"{module}: no agenda slot runs vignettes"
    for row, item in slots:
        suggestion = row.select_one(".csec-slot-plan")
        assert suggestion is not None, item.title
        said = _words(suggestion.get_text(" ")).split("If time allows")[0]
        numbers = [int(n) for n in re.findall(r"\b(\d+)\b", said.split("(")[0])]
        assert numbers and len(numbers) * item.vignette_minutes <= item.minutes, (item.title, numbers)
        assert len(set(numbers)) == len(numbers) and all(1 <= n <= len(ids) for n in numbers)
        chosen = {ids[n - 1] for n in numbers}
        for sid in chosen:  # a contrast pair runs together or not at all
            partner = corpus.scenarios[sid].contrast_with
            assert partner not in ids or partner in chosen, (sid, partner)


def test_no_page_shows_code(built_site):
    from bs4 import BeautifulSoup

    shown = []
    for page in sorted(built_site.rglob("*.html")):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if article is not None and article.select(".cell_input, div[class*='highlight-python'], "
                                                  "div[class*='highlight-ipython']"):
            shown.append(page.relative_to(built_site).as_posix())
    assert shown == [], shown
