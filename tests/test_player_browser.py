"""The in-page training player in a real Chromium (Debian's, via Playwright) on the built site served from 127.0.0.1:
a vignette done by keyboard alone and one by mouse, a quiz, progress kept across a reload, results downloaded as
JSON and CSV, and every scenario and module carrying its public data attribute. Any request to another origin fails.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _browser import browser, guarded_page, server  # noqa: F401  (fixtures)

from csec.training.answer import module_scenarios

MODULES = ("csec-101", "csec-102", "labor-trafficking")
pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture(scope="module")
def trainee(browser, server):
    """One browser profile for the whole module: progress made in one test is what the next ones find."""
    with guarded_page(browser, server, accept_downloads=True, viewport={"width": 1280, "height": 900}) as (
            page, outside, errors):
        yield page
    assert outside == [], f"requests to other origins: {outside[:10]}"
    assert errors == [], f"JavaScript errors: {errors[:10]}"


def _key(built_site: Path, page, root) -> dict:
    url = root.get_attribute("data-csec-key")
    return json.loads((built_site / "book" / "modules" / url).resolve().read_text(encoding="utf-8"))


def test_every_scenario_and_module_has_its_player_root(built_site, corpus):
    for module in MODULES:
        html = (built_site / "book" / "modules" / f"{module}.html").read_text(encoding="utf-8")
        assert f'data-csec-quiz="{module}"' in html
        for sid in module_scenarios(corpus, module):
            assert f'data-csec-scenario="{sid}"' in html, (module, sid)
        # The visible title is neutral: the real title (which names the answer) is only in the answer file.
        for sid in module_scenarios(corpus, module):
            assert f">{corpus.scenarios[sid].title}<" not in html
    assert "csec-player.js" not in (built_site / "book" / "reference" / "glossary.html").read_text(encoding="utf-8")


def test_a_vignette_by_keyboard_alone(built_site, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-scenario]").first
    key = _key(built_site, page, root)
    expected = {t: {i["key"]: i for i in items} for t, items in key["items"].items()}
    root.get_by_role("button", name="I understand: show the vignette").focus()
    page.keyboard.press("Enter")
    assert root.locator(".csec-narrative").is_visible()
    deadlines = root.locator("select").first.evaluate("s => Array.from(s.options).map(o => o.value)")
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            const act = e.closest('.csec-action'); const box = act && act.querySelector('input[type=checkbox]');
            return {tag: e.tagName, type: e.type || '', value: e.value || '', name: e.name || '',
                    text: e.textContent || '', action: box ? box.value : '',
                    legend: e.closest('fieldset') ? e.closest('fieldset').querySelector('legend').textContent : ''}; }""")
        if info["tag"] == "BUTTON" and "Check my answers" in info["text"]:
            break
        if info["type"] == "checkbox":
            topic = next(t for t in ("red_flag", "indicator", "action") if info["name"].endswith(t))
            item = expected[topic].get(info["value"])
            if item and item["expected"]:
                page.keyboard.press("Space")
        elif info["type"] == "radio":
            group = page.evaluate("""() => { const e = document.activeElement;
                const sets = Array.from(e.closest('[data-csec-scenario]').querySelectorAll('fieldset.csec-yesno'));
                return sets.indexOf(e.closest('fieldset')); }""")
            if key["items"]["classification"][group]["expected"]:
                page.keyboard.press("Space")  # the first radio is Yes
            else:
                page.keyboard.press("ArrowRight")  # moves to No and selects it
        elif info["tag"] == "SELECT":
            action = expected["action"].get(info["action"])
            if action and action.get("deadline"):
                for _ in range(deadlines.index(action["deadline"]["key"])):
                    page.keyboard.press("ArrowDown")
    else:
        pytest.fail("never reached the Check my answers button by Tab")
    page.keyboard.press("Enter")
    feedback = root.locator(".csec-feedback")
    feedback.get_by_text("decisions right").wait_for()
    assert "Well done." in feedback.inner_text(), feedback.inner_text()[:2000]
    assert root.locator(".csec-debrief").is_visible()
    assert root.locator(".csec-answer").is_visible()
    # Shift+Tab leaves the player backwards: no keyboard trap.
    root.get_by_role("button", name="Check my answers").focus()
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "SELECT", "LABEL")


def test_a_vignette_by_mouse_with_linked_citations(built_site, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-scenario]").nth(1)
    root.get_by_role("button", name="I understand: show the vignette").click()
    root.locator(".csec-step").first.locator("label").first.click()  # one indicator, right or wrong
    root.locator("fieldset.csec-yesno").first.get_by_label("Yes").click()
    root.get_by_role("button", name="Check my answers").click()
    feedback = root.locator(".csec-feedback")
    feedback.get_by_text("decisions right").wait_for()
    assert "Not quite" in feedback.inner_text()  # two classifications left unanswered
    assert root.locator(".csec-debrief").is_visible()
    # The vignette's given facts that decided its answer, from the key (csec.training.answer.what_would_change).
    change = root.locator(".csec-what-would-change")
    change.wait_for()
    assert "What would change this answer" in change.inner_text() and "had it been" in change.inner_text()
    link = feedback.locator(".csec-cites a").first
    href = link.get_attribute("href")
    assert href.startswith("../reference/sources.html#source-"), href
    link.click()
    page.wait_for_load_state()
    anchor = href.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1


def test_a_quiz_gives_feedback_and_a_score(server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-quiz='csec-101']")
    for k in range(10):
        question = root.locator(".csec-question")
        if question.locator("select").count():
            for i, s in enumerate(question.locator("select").all()):
                s.select_index(i + 1)
        else:
            question.locator("label").first.click()
        root.get_by_role("button", name="Check answer").click()
        assert root.locator(".csec-feedback h4").inner_text()
        root.get_by_role("button", name="See my final score" if k == 9 else "Next question").click()
    final = root.locator(".csec-final").inner_text()
    assert final.startswith("Final score: ") and final.endswith(" of 10."), final


def test_progress_survives_a_reload_and_downloads_as_json_and_csv(corpus, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    page.reload()
    statuses = page.locator("[data-csec-scenario] .csec-status-line:visible")
    assert statuses.count() == 2
    assert "You checked your answers" in statuses.first.inner_text()
    progress = page.locator("[data-csec-progress]")
    total = len(module_scenarios(corpus, "csec-101"))
    assert f"2 of {total}" in progress.inner_text()
    assert " of 10" in progress.inner_text()
    progress.get_by_label("Your name", exact=False).fill("Trainee One")
    progress.get_by_label("Your name", exact=False).press("Tab")
    with page.expect_download() as info:
        progress.get_by_role("button", name="Download my results (JSON)").click()
    results = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert results["trainee"] == "Trainee One" and results["format"] == "csec-training-results"
    first_two = module_scenarios(corpus, "csec-101")[:2]
    assert sorted(results["vignettes"]) == sorted(first_two)
    assert results["quizzes"]["csec-101"]["best"]["total"] == 10
    with page.expect_download() as info:
        progress.get_by_role("button", name="Download my results (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["item"] for r in rows if r["kind"] == "vignette"} == set(first_two)
    assert any(r["kind"] == "quiz_best" and r["module"] == "csec-101" and r["total"] == "10" for r in rows)
    # The self-paced page reads the same progress.
    page.goto(f"{server}/book/modules/self-paced.html")
    assert f"2 of {total}" in page.locator("[data-csec-progress]").inner_text()


def test_the_checklist_answers_with_the_rules_interpreter_as_the_engine_does(browser, server, corpus):
    from csec.engine.rules import assess

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/book/modules/csec-101.html")
    assert page.evaluate("typeof window.csec.assess") == "function"
    root = page.locator("[data-csec-checklist]")
    feedback = root.locator(".csec-feedback")
    strong = next(i for i in corpus.indicators.values() if i.group == "strong")
    other = next(i for i in corpus.indicators.values() if i.group == "other")
    root.get_by_label(strong.la_text).check()
    assert "Enter the youth's age" in feedback.inner_text()  # no age given: no answer, never a presumed one
    root.get_by_label("Age in years").fill("15")
    want = assess(corpus, {"age": 15, strong.id: True}).at_risk
    assert f"At risk: {'yes' if want else 'no'}" in feedback.inner_text()
    root.get_by_label(strong.la_text).uncheck()
    root.get_by_label(other.la_text).check()
    want = assess(corpus, {"age": 15, other.id: True}).at_risk
    assert f"At risk: {'yes' if want else 'no'}" in feedback.inner_text()
    context.close()


def test_without_the_interpreter_the_checklist_shows_the_rule_only(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/csec-rules.js*", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                               body="/* withheld by the test */"))
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-checklist]")
    assert "The rule:" in root.inner_text()
    assert root.locator("input[type=checkbox]").count() == 0
    context.close()
