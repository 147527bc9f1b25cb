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
from playwright.sync_api import expect
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
    expect(root.locator(".csec-narrative")).to_be_visible()
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
    expect(feedback.locator("h4")).to_contain_text("Well done.")
    expect(root.locator(".csec-debrief")).to_be_visible()
    expect(root.locator(".csec-answer")).to_be_visible()
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
    expect(feedback).to_contain_text("Not quite")  # two classifications left unanswered
    expect(root.locator(".csec-debrief")).to_be_visible()
    link = feedback.locator(".csec-cites a").first
    href = link.get_attribute("href")
    assert href.startswith("../reference/sources.html#source-"), href
    link.click()
    anchor = href.split("#", 1)[1]
    page.wait_for_url(f"**/book/reference/sources.html#{anchor}")  # not a load state: this page is loaded already
    expect(page.locator(f"[id='{anchor}']")).to_have_count(1)


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
    expect(statuses).to_have_count(2)
    expect(statuses.first).to_contain_text("You checked your answers")
    progress = page.locator("[data-csec-progress]")
    total = len(module_scenarios(corpus, "csec-101"))
    expect(progress).to_contain_text(f"2 of {total}")
    expect(progress).to_contain_text(" of 10")
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
    expect(page.locator("[data-csec-progress]")).to_contain_text(f"2 of {total}")


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
    expect(feedback).to_contain_text("Enter the youth's age")  # no age given: no answer, never a presumed one
    root.get_by_label("Age in years").fill("15")
    want = assess(corpus, {"age": 15, strong.id: True}).at_risk
    expect(feedback).to_contain_text(f"At risk: {'yes' if want else 'no'}")
    root.get_by_label(strong.la_text).uncheck()
    root.get_by_label(other.la_text).check()
    want = assess(corpus, {"age": 15, other.id: True}).at_risk
    expect(feedback).to_contain_text(f"At risk: {'yes' if want else 'no'}")
    context.close()


def test_without_the_interpreter_the_checklist_shows_the_rule_only(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/csec-rules.js*", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                               body="/* withheld by the test */"))
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-checklist]")
    expect(root).to_contain_text("The rule:")
    expect(root.locator("input[type=checkbox]")).to_have_count(0)
    context.close()


# --- the player grades as the Python grader does ------------------------------------------------------------------

def _pick_sets(key, deadline_keys: list[str]) -> dict[str, dict]:
    """Picks on one vignette, as (indicators, red flags, classification, {action: deadline key or None}): all right,
    all wrong, partly right, and nothing chosen at all."""
    offered = set(key.red_flags_offered)
    items = {t: key.topic(t) for t in ("indicator", "red_flag", "classification", "action")}
    items["red_flag"] = [i for i in items["red_flag"] if i.key in offered]

    def ticked(topic, want):
        return [i.key for i in items[topic] if want(i)]

    right = {"indicators": ticked("indicator", lambda i: i.expected),
             "red_flags": ticked("red_flag", lambda i: i.expected),
             "classification": {i.key: i.expected for i in items["classification"]},
             "actions": {i.key: i.deadline.key if i.deadline else None for i in items["action"] if i.expected}}
    wrong = {"indicators": ticked("indicator", lambda i: not i.expected),
             "red_flags": ticked("red_flag", lambda i: not i.expected),
             "classification": {i.key: not i.expected for i in items["classification"]},
             "actions": {i.key: None for i in items["action"] if not i.expected}}
    # Partly right, every way at once: every other present item missed and one absent item ticked; the three
    # classifications right, wrong and unanswered in turn; the required actions ticked with the right deadline, a
    # wrong one or none in turn, every third untimed one left unticked; and one action ticked that is not required.
    def some(topic):
        present = [i.key for i in items[topic] if i.expected][::2]
        return present + [i.key for i in items[topic] if not i.expected][:1]

    turns = [lambda i: i.expected, lambda i: not i.expected, lambda i: None]
    partly = {"indicators": some("indicator"), "red_flags": some("red_flag"),
              "classification": {i.key: turns[n % 3](i) for n, i in enumerate(items["classification"])},
              "actions": {}}
    timed = [i for i in items["action"] if i.expected and i.deadline]
    for n, i in enumerate(timed):
        partly["actions"][i.key] = [i.deadline.key, next(k for k in deadline_keys if k != i.deadline.key), None][n % 3]
    untimed = [i for i in items["action"] if i.expected and not i.deadline]
    partly["actions"].update({i.key: None for n, i in enumerate(untimed) if n % 3 != 2})
    partly["actions"].update({i.key: None for i in [i for i in items["action"] if not i.expected][:1]})
    nothing = {"indicators": [], "red_flags": [], "classification": {}, "actions": {}}
    return {"all right": right, "all wrong": wrong, "partly right": partly, "nothing chosen": nothing}


def _answer_in_page(page, root, sid: str, picks: dict) -> None:
    root.get_by_role("button", name="I understand: show the vignette").click()
    for topic, keys in (("indicator", picks["indicators"]), ("red_flag", picks["red_flags"])):
        for k in keys:
            root.locator(f"input[name='{sid}-{topic}'][value='{k}']").check()
    yes_no = root.locator("fieldset.csec-yesno")
    from csec.training.answer import CLASSIFICATIONS

    for n, rule in enumerate(CLASSIFICATIONS):
        chosen = picks["classification"].get(rule)
        if chosen is not None:
            yes_no.nth(n).locator(f"input[value='{'yes' if chosen else 'no'}']").check()
    for action, deadline in picks["actions"].items():
        row = root.locator(".csec-action").filter(has=page.locator(f"input[value='{action}']"))
        row.locator("input[type=checkbox]").check()
        if deadline is not None:
            row.locator("select").select_option(deadline)
    root.get_by_role("button", name="Check my answers").click()


def _text(html_or_myst: str) -> str:
    from bs4 import BeautifulSoup

    from csec.render.markup import inline

    return " ".join(BeautifulSoup(inline(html_or_myst), "html.parser").get_text(" ").split())


@pytest.mark.parametrize("module", MODULES)
def test_the_player_grades_every_pick_as_the_python_grader_does(browser, server, corpus, module):
    """For vignettes of each module and several sets of picks (all right, all wrong, partly right, nothing), the
    page's feedback says what csec.training.feedback.grade_vignette says: the same score line, and decision by
    decision the same topic, verdict, item and explanation."""
    from csec.render.markup import use
    from csec.training.answer import deadline_options, vignette_key
    from csec.training.feedback import TOPICS, grade_vignette

    use(corpus)
    heading = {**TOPICS, "deadline": TOPICS["action"]}  # the player lists a deadline under its action
    deadline_keys = [k for _, k in deadline_options(corpus)]
    scenarios = module_scenarios(corpus, module)
    assert scenarios, module

    def timed(sid):
        return sum(1 for i in vignette_key(corpus, sid).topic("action") if i.expected and i.deadline)

    # The module's first vignette, and the one with the most deadlines to choose.
    chosen = list(dict.fromkeys([scenarios[0], max(scenarios, key=timed)]))
    compared, deadlines = set(), set()
    with guarded_page(browser, server, viewport={"width": 1280, "height": 900}) as (page, outside, errors):
        for sid in chosen:
            key = vignette_key(corpus, sid)
            for name, picks in _pick_sets(key, deadline_keys).items():
                page.goto(f"{server}/book/modules/{module}.html")
                root = page.locator(f"[data-csec-scenario='{sid}']")
                _answer_in_page(page, root, sid, picks)
                summary = root.locator(".csec-feedback h4")
                expect(summary).to_contain_text("decisions right.")
                shown = root.locator(".csec-feedback").evaluate("""f => [...f.querySelectorAll("li")].map(li => ({
                    heading: li.closest("ul").previousElementSibling.textContent,
                    right: li.classList.contains("csec-right"),
                    label: li.querySelector(":scope > span").textContent,
                    why: li.querySelector(":scope > div").textContent}))""")
                graded = grade_vignette(corpus, sid, picks["indicators"], picks["red_flags"], picks["classification"],
                                        picks["actions"])
                where = f"{sid}, {name}"
                assert summary.inner_text() == graded.summary, where
                got = [(d["heading"], d["right"], " ".join(d["label"].split()), " ".join(d["why"].split()))
                       for d in shown]
                want = [(heading[d.topic], d.correct, _text(d.label), _text(d.explanation)) for d in graded.decisions]
                assert got == want, where
                compared.add((name, graded.all_correct, graded.score == 0))
                deadlines |= {"right" if d.correct else "none" if d.chosen is None else "wrong"
                              for d in graded.decisions if d.topic == "deadline"}
        assert outside == [] and errors == [], (outside, errors)
    # The pick sets really were right, wrong and in between.
    assert ("all right", True, False) in compared
    assert any(name == "all wrong" and not right for name, right, _ in compared)
    assert any(name == "partly right" and not right and not zero for name, right, zero in compared), compared
    assert deadlines == {"right", "wrong", "none"}, f"deadlines judged: {deadlines}"
