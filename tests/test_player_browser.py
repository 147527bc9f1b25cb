"""The in-page training player in a real Chromium (Debian's, via Playwright) on the built site served from 127.0.0.1
and opened from disk: a vignette done by keyboard alone and one by mouse, one vignette at a time with a chooser,
answers kept across a reload and a visit to another page, an honest score (a check needs an answer, the total never
moves, the best score is kept), a quiz that draws per trainee and shows no answer in its markup, results downloaded as
JSON and CSV, and every scenario and module carrying its public data attribute. Any request to another origin fails.
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from pathlib import Path

import pytest
from _browser import browser, guarded_page, read_data_file, server  # noqa: F401  (fixtures)

from csec.export import scorm
from csec.render.markup import inline, use
from csec.training.answer import MASTERY_SCORE, module_questions, module_scenarios, vignette_key

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


@pytest.fixture
def fresh(browser, server):
    """A page in a browser profile of its own (nothing stored yet), on a phone-sized screen."""
    with guarded_page(browser, server, viewport={"width": 390, "height": 844}) as (page, outside, errors):
        yield page
    assert outside == [] and errors == [], (outside[:5], errors[:5])


def _key(built_site: Path, root) -> dict:
    return read_data_file((built_site / "book" / "modules" / root.get_attribute("data-csec-key")).resolve())


def _shown(page):
    """The one vignette the chooser shows."""
    shown = page.locator("[data-csec-scenario]:visible")
    assert shown.count() == 1
    return shown


def _choose(page, k: int):
    page.locator(".csec-chooser select").select_option(index=k)
    return _shown(page)


def _decisions(key: dict) -> int:
    """How many decisions a vignette asks, from its answer key: each item to find, each Yes/No, each deadline of a
    required action."""
    found = sum(i["expected"] for t in ("indicator", "red_flag", "action") for i in key["items"][t])
    deadlines = sum(bool(i["expected"] and i.get("deadline")) for i in key["items"]["action"])
    return found + len(key["items"]["classification"]) + deadlines


def _answer(root, key: dict, tick: str = "right") -> None:
    """Fill a vignette's form: the right answers, or (TICK="all") every box and Yes everywhere."""
    root.locator("details.csec-answers").evaluate("d => d.open = true")
    right = {t: {i["key"] for i in key["items"][t] if i["expected"]} for t in ("indicator", "red_flag", "action")}
    for topic in ("indicator", "red_flag", "action"):
        for box in root.locator(f"input[type=checkbox][name$='-{topic}']").all():
            box.set_checked(tick == "all" or box.get_attribute("value") in right[topic])
    for k, fs in enumerate(root.locator("fieldset.csec-yesno").all()):
        yes = tick == "all" or key["items"]["classification"][k]["expected"]
        fs.get_by_label("Yes" if yes else "No").check()
    deadlines = {i["key"]: i["deadline"]["key"] for i in key["items"]["action"] if i["expected"] and i.get("deadline")}
    for row in root.locator(".csec-action").all():
        action = row.locator("input[type=checkbox]").get_attribute("value")
        if action in deadlines:
            row.locator("select").select_option(deadlines[action])


def _check(root) -> str:
    root.get_by_role("button", name="Check my answers").click()
    heading = root.locator(".csec-feedback h4")
    heading.wait_for()
    return heading.inner_text()


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


def test_no_answer_is_in_the_page_or_in_the_order_of_the_quiz_file(built_site, corpus):
    html = (built_site / "book" / "modules" / "csec-101.html").read_text(encoding="utf-8")
    assert '"correct"' not in html and '"expected"' not in html
    questions = read_data_file(built_site / "_csec" / "quizzes" / "csec-101.js")
    assert not any("correct" in json.dumps(q) for q in questions)
    # The bank lists most right answers first; the shipped file must not (nor an ordering question in its order).
    use(corpus)
    singles = [q for q in module_questions(corpus, "csec-101") if q.kind == "single"]
    first_right = sum(q.choices[0].correct for q in singles)
    assert first_right > len(singles) // 2, "the bank itself lists right answers first (what this test guards)"
    shipped = {q["id"]: q["choices"] for q in questions}
    shipped_first_right = sum(shipped[q.id][0] == inline(next(c.text for c in q.choices if c.correct))
                              for q in singles)
    assert shipped_first_right <= len(singles) // 2, (shipped_first_right, len(singles))
    for q in module_questions(corpus, "csec-101"):
        if q.kind == "ordering":
            assert shipped[q.id] != [inline(c.text) for c in q.choices], q.id


def test_a_vignette_by_keyboard_alone(built_site, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = _shown(page)
    assert root.get_attribute("data-csec-scenario") == page.locator("[data-csec-scenario]").first.get_attribute(
        "data-csec-scenario")
    key = _key(built_site, root)
    expected = {t: {i["key"]: i for i in items} for t, items in key["items"].items()}
    root.get_by_role("button", name="I understand: show the vignette").focus()
    page.keyboard.press("Enter")
    assert root.locator(".csec-narrative").is_visible()
    deadlines = root.locator(".csec-action select").first.evaluate("s => Array.from(s.options).map(o => o.value)")
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            const act = e.closest('.csec-action'); const box = act && act.querySelector('input[type=checkbox]');
            return {tag: e.tagName, type: e.type || '', value: e.value || '', name: e.name || '',
                    text: e.textContent || '', action: box ? box.value : ''}; }""")
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
        elif info["tag"] == "SELECT" and info["action"]:
            action = expected["action"].get(info["action"])
            if action and action.get("deadline") and action["expected"]:
                for _ in range(deadlines.index(action["deadline"]["key"])):
                    page.keyboard.press("ArrowDown")
    else:
        pytest.fail("never reached the Check my answers button by Tab")
    page.keyboard.press("Enter")
    feedback = root.locator(".csec-feedback")
    feedback.get_by_text("decisions right").wait_for()
    n = _decisions(key)
    assert feedback.locator("h4").inner_text() == f"{n} of {n} decisions right. Well done."
    assert feedback.get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.tagName") == "H4"  # focus moves to the result
    assert root.locator(".csec-debrief").is_visible()
    assert root.locator(".csec-answer").is_visible()
    # Shift+Tab leaves the button backwards, to the folded answers: no keyboard trap.
    root.get_by_role("button", name="Check my answers").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Your answers")


def test_a_vignette_by_mouse_missed_is_not_wrong_and_citations_link(built_site, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = _choose(page, 1)
    key = _key(built_site, root)
    root.get_by_role("button", name="I understand: show the vignette").click()
    for fs in root.locator("fieldset.csec-yesno").all():
        fs.get_by_label("Yes").click()
    _check(root)
    feedback = root.locator(".csec-feedback")
    missed = feedback.locator("li.csec-missed")
    # Every right answer left unticked reads "Missed", never "Not quite".
    left_out = sum(i["expected"] for t in ("indicator", "red_flag", "action") for i in key["items"][t])
    assert missed.count() >= left_out > 0
    for item in missed.all():
        assert item.inner_text().startswith("Missed: "), item.inner_text()
    assert "Not quite" not in " ".join(i.inner_text() for i in missed.all())
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


def test_a_check_needs_an_answer_and_the_total_never_moves(built_site, fresh, server):
    page = fresh
    page.goto(f"{server}/book/modules/csec-101.html")
    root = _choose(page, 2)
    sid = root.get_attribute("data-csec-scenario")
    key = _key(built_site, root)
    n = _decisions(key)
    root.get_by_role("button", name="I understand: show the vignette").click()
    root.get_by_role("button", name="Check my answers").click()
    assert "Answer every Yes/No question" in root.locator(".csec-feedback").inner_text()
    assert root.locator(".csec-feedback h4").count() == 0
    stored = page.evaluate("JSON.parse(localStorage.getItem('csec-training') || '{}')")
    assert sid not in stored.get("vignettes", {}), "an empty check is not a completed vignette"
    _answer(root, key, "right")
    assert _check(root).startswith(f"{n} of {n} decisions right")
    _answer(root, key, "all")  # every box ticked: the total stays the vignette's own, the extras cost
    worse = _check(root)
    assert f" of {n} decisions right" in worse, worse
    assert not worse.startswith(f"{n} of"), "ticking everything cannot score full marks"
    page.reload()
    root = _shown(page)
    assert root.get_attribute("data-csec-scenario") == sid, "the open vignette is restored"
    assert f"best {n} of {n}" in root.locator(".csec-status-line").inner_text(), "a worse check never replaces the best"
    stored = page.evaluate("JSON.parse(localStorage.getItem('csec-training'))")["vignettes"][sid]
    assert (stored["score"], stored["total"]) == (n, n) and len(stored["history"]) == 2
    assert stored["history"][1]["total"] == n and stored["history"][1]["score"] < n


def test_answers_and_feedback_survive_a_reload_and_following_a_link(built_site, fresh, server):
    page = fresh
    page.goto(f"{server}/book/modules/csec-102.html")
    root = _choose(page, 1)
    sid = root.get_attribute("data-csec-scenario")
    root.get_by_role("button", name="I understand: show the vignette").click()
    first = root.locator("input[type=checkbox][name$='-indicator']").first
    first.check()
    root.locator("fieldset.csec-yesno").first.get_by_label("No").check()
    page.reload()
    root = _shown(page)
    assert root.get_attribute("data-csec-scenario") == sid
    assert root.locator(".csec-narrative").is_visible(), "the opened vignette stays open"
    assert root.locator("input[type=checkbox][name$='-indicator']").first.is_checked()
    assert root.locator("fieldset.csec-yesno").first.get_by_label("No").is_checked()
    for fs in root.locator("fieldset.csec-yesno").all()[1:]:
        fs.get_by_label("Yes").check()
    summary = _check(root)
    root.locator(".csec-feedback .csec-cites a").first.click()  # a link out of the feedback, and back
    page.wait_for_load_state()
    assert "csec-102" not in page.url
    page.go_back()
    root = _shown(page)
    assert root.get_attribute("data-csec-scenario") == sid
    root.locator(".csec-feedback h4").wait_for()
    assert root.locator(".csec-feedback h4").inner_text() == summary


# The page's words for each topic's decisions (a required action's deadline is listed with the actions), and for
# each verdict by the class of its line.
PAGE_TOPICS = {"indicator": "At-risk indicators", "red_flag": "Red flags", "classification": "Classification",
               "action": "Required actions", "deadline": "Required actions"}


def _picks(key, offered_flags: list[str], rng: random.Random) -> dict:
    """A trainee's answers on a vignette, some right, some wrong, some missed: of each topic's items that apply one
    is left out (when there are two or more, so some are found), one that does not apply is ticked, one Yes/No is
    answered the wrong way, and of the required timed actions ticked one gets the right deadline, one a wrong one and
    one none."""
    def some(items: list[str]) -> list[str]:
        expected = [i.key for i in items if i.expected]
        others = [i.key for i in items if not i.expected]
        chosen = rng.sample(expected, len(expected) - 1) if len(expected) > 1 else expected
        return chosen + rng.sample(others, min(1, len(others)))

    flags = [i for i in key.topic("red_flag") if i.key in offered_flags]
    classification = {i.key: i.expected for i in key.topic("classification")}
    flipped = rng.choice(sorted(classification))
    classification[flipped] = not classification[flipped]
    actions = {a: None for a in some(key.topic("action"))}
    options = [k for _, k in key.deadline_options]
    timed = [i for i in key.topic("action") if i.key in actions and i.expected and i.deadline is not None]
    for n, item in enumerate(timed):
        if n % 3 == 0:
            actions[item.key] = item.deadline.key
        elif n % 3 == 1:
            actions[item.key] = rng.choice([k for k in options if k != item.deadline.key])
    return {"marked_indicators": some(key.topic("indicator")), "marked_red_flags": some(flags),
            "classification": classification, "actions": actions}


def test_the_page_grades_a_vignette_as_the_python_grader_does(built_site, fresh, server, corpus):
    """Issue "tests cannot pass by accident": for each vignette of a module, the score, the total and each decision's
    verdict the page shows for a set of picks are what csec.training.feedback.grade_vignette gives for them."""
    from csec.training.feedback import grade_vignette

    page = fresh
    page.goto(f"{server}/book/modules/csec-101.html")
    verdicts = set()
    for k, sid in enumerate(module_scenarios(corpus, "csec-101")):
        root = _choose(page, k)
        assert root.get_attribute("data-csec-scenario") == sid
        key = vignette_key(corpus, sid)
        root.get_by_role("button", name="I understand: show the vignette").click()
        offered = root.locator(f"input[name='{sid}-red_flag']").evaluate_all("xs => xs.map(x => x.value)")
        picks = _picks(key, offered, random.Random(sid))
        # Every pick in one call, as a trainee's clicks (a click on the box or on the Yes/No label, a change of the
        # deadline menu), so the page's own handlers record them; each element must exist and be unset before.
        ticks = [(topic, value) for topic, marked in (("indicator", picks["marked_indicators"]),
                                                      ("red_flag", picks["marked_red_flags"]),
                                                      ("action", list(picks["actions"]))) for value in marked]
        answers = ["Yes" if picks["classification"][item.key] else "No" for item in key.topic("classification")]
        deadlines = [[action, deadline] for action, deadline in picks["actions"].items() if deadline]
        root.evaluate("""(root, [sid, ticks, answers, deadlines]) => {
            const one = (selector, scope = root) => {
                const found = scope.querySelectorAll(selector);
                if (found.length !== 1) throw new Error(`${found.length} elements for ${selector}`);
                return found[0];
            };
            for (const [topic, value] of ticks) {
                const box = one(`input[type=checkbox][name='${sid}-${topic}'][value='${value}']`);
                if (box.checked) throw new Error(`${value} was ticked before the trainee ticked it`);
                box.click();
            }
            root.querySelectorAll("fieldset.csec-yesno").forEach((fieldset, n) => {
                const label = [...fieldset.querySelectorAll("label")].filter(l => l.textContent.trim() === answers[n]);
                if (label.length !== 1) throw new Error(`no single ${answers[n]} in Yes/No ${n}`);
                label[0].click();
            });
            if (root.querySelectorAll("fieldset.csec-yesno").length !== answers.length) throw new Error("Yes/No count");
            for (const [action, deadline] of deadlines) {
                const select = one("select", one(`input[value='${action}']`).closest(".csec-action"));
                select.value = deadline;
                if (select.value !== deadline) throw new Error(`no deadline ${deadline} for ${action}`);
                select.dispatchEvent(new Event("input", {bubbles: true}));
                select.dispatchEvent(new Event("change", {bubbles: true}));
            }
        }""", [sid, ticks, answers, deadlines])
        shown = _check(root)
        lines = root.locator(".csec-feedback li").evaluate_all("""lis => lis.map(li => [li.className,
            li.querySelector('span').textContent.split(': ')[0]])""")
        want = grade_vignette(corpus, sid, **picks)
        assert shown == want.summary, (sid, picks)
        assert shown.startswith(f"{want.score} of {want.total} decisions right"), shown
        got = sorted((cls.removeprefix("csec-"), topic) for cls, topic in lines)
        assert got == sorted((d.verdict, PAGE_TOPICS[d.topic]) for d in want.decisions), (sid, picks)
        verdicts |= {d.verdict for d in want.decisions}
        assert want.total == _decisions(_key(built_site, root)), "the total is the vignette's own, whatever was ticked"
    assert verdicts == {"right", "missed", "wrong"}, "the picks tried every verdict"


def test_the_chooser_shows_one_vignette_at_a_time_with_its_state(fresh, server, corpus):
    page = fresh
    page.goto(f"{server}/book/modules/csec-101.html")
    options = page.locator(".csec-chooser select option")
    assert options.count() == len(module_scenarios(corpus, "csec-101"))
    assert all("(not started)" in o for o in options.all_inner_texts())
    root = _choose(page, 3)
    root.get_by_role("button", name="I understand: show the vignette").click()
    root.locator("input[type=checkbox]").first.check()
    assert "(started)" in options.nth(3).inner_text()
    assert page.locator("[data-csec-scenario]").count() == options.count()  # every root stays in the page


def _pick_an_answer(question) -> None:
    """Answer the quiz question on screen with something, right or not: each drop-down its next option in turn (a
    matching question), or else the first choice."""
    if question.locator("select").count():
        for i, s in enumerate(question.locator("select").all()):
            s.select_option(index=i + 1)
    else:
        question.locator("input").first.check()


def test_a_quiz_gives_feedback_a_pass_mark_and_a_score(server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-quiz='csec-101']")
    assert scorm.MASTERY_SCORE == MASTERY_SCORE  # one constant: the LMS package and the site pass alike
    assert f"Pass mark: {MASTERY_SCORE}%" in root.inner_text()
    root.get_by_role("button", name="Start the quiz").click()
    for k in range(10):
        question = root.locator(".csec-question")
        question.locator("legend").wait_for()
        root.get_by_role("button", name="Check answer").click()
        assert root.locator(".csec-feedback").inner_text() == "Choose an answer first."
        _pick_an_answer(question)
        root.get_by_role("button", name="Check answer").click()
        assert root.locator(".csec-feedback h4").inner_text()
        root.get_by_role("button", name="See my final score" if k == 9 else "Next question").click()
    final = root.locator(".csec-final").inner_text()
    assert final.startswith("Final score: ") and final.endswith(" of 10."), final
    score = int(final.split()[2])
    verdict = root.locator(".csec-verdict").inner_text()
    assert ("passed" in verdict and "not passed" not in verdict) == (score * 10 >= MASTERY_SCORE), verdict


# One quiz taken inside the page: a loop that sets the seed and starts the quiz (from the quiz's start or the last
# quiz's final score, both of which show the seed), picks the first option shown, presses
# Check answer and, once the page's own handler has written its verdict (a MutationObserver on the quiz, never a
# timer), presses Next. The page's handlers do the grading; only the round trips to Playwright are saved.
FIRST_OPTION_QUIZ = """async (root, seed) => {
  const until = (ready) => new Promise((resolve) => {
    if (ready()) { resolve(); return; }
    const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); resolve(); } });
    watch.observe(root, {childList: true, subtree: true, characterData: true});
  });
  const press = (...names) => Array.from(root.querySelectorAll("button")).find((b) => names.includes(b.textContent)).click();
  const stems = [];
  const field = root.querySelector("input.csec-seed");
  field.value = seed;
  field.dispatchEvent(new Event("input", {bubbles: true}));
  press("Start the quiz", "Start a new quiz");  // the first quiz, or the next one after a final score
  await until(() => root.querySelector(".csec-question legend"));
  const n = Number(/ of (\\d+)$/.exec(root.querySelector(".csec-question legend").textContent)[1]);
  for (let k = 0; k < n; k++) {
    const question = root.querySelector(".csec-question");
    stems.push(question.querySelector(".csec-stem").innerText);
    const selects = question.querySelectorAll("select");
    if (selects.length) {
      selects.forEach((s) => { s.selectedIndex = 1; s.dispatchEvent(new Event("change", {bubbles: true})); });
    } else {
      question.querySelector("input").click();
    }
    press("Check answer");
    await until(() => root.querySelector(".csec-feedback h4"));
    press(k === n - 1 ? "See my final score" : "Next question");
    if (k < n - 1) await until(() => root.querySelector(".csec-question legend") &&
                                     !root.querySelector(".csec-feedback h4"));
  }
  await until(() => root.querySelector(".csec-final"));
  return {final: root.querySelector(".csec-final").innerText, stems: stems, n: n};
}"""


def _first_option_quiz(page, seed: str) -> tuple[int, list[str]]:
    """Take one quiz with SEED, always picking the first option shown; (score, the stems in order)."""
    root = page.locator("[data-csec-quiz]")
    root.get_by_label("Quiz seed", exact=False).wait_for()
    done = root.evaluate(FIRST_OPTION_QUIZ, seed)
    assert done["n"] == 10 and len(set(done["stems"])) == 10, done["stems"]
    assert done["final"].startswith("Final score: ") and done["final"].endswith(" of 10."), done["final"]
    return int(done["final"].split()[2]), done["stems"]


def test_picking_the_first_option_everywhere_scores_near_chance(fresh, server, corpus):
    page = fresh
    page.goto(f"{server}/book/modules/csec-101.html")
    pool = module_questions(corpus, "csec-101")
    # The chance of the first option shown being the whole right answer, averaged over the bank.
    chance = statistics.mean(
        (1 / len(q.choices) if sum(c.correct for c in q.choices) == 1 else 0.0) if q.kind != "ordering" else 0.0
        for q in pool)
    scores = [_first_option_quiz(page, str(100000 + 7919 * k))[0] / 10 for k in range(16)]
    mean = statistics.mean(scores)
    assert abs(mean - chance) < 0.12, (mean, chance, scores)
    assert mean < 0.5, "the first option is the right one far more often than chance"


def _quiz_line(root) -> tuple[str, str, str]:
    """What the quiz shows of where the trainee is: the legend, the stem and the score line."""
    question = root.locator(".csec-question")
    question.locator("legend").wait_for()
    return (question.locator("legend").inner_text(), question.locator(".csec-stem").inner_text(),
            root.locator(".csec-score").inner_text())


def test_a_quiz_in_progress_survives_a_reload_and_following_a_link(fresh, server):
    page = fresh
    page.goto(f"{server}/book/modules/csec-101.html")
    root = page.locator("[data-csec-quiz='csec-101']")
    root.get_by_label("Quiz seed", exact=False).fill("271828")
    root.get_by_role("button", name="Start the quiz").click()
    rights = 0
    for k in range(2):
        question = root.locator(".csec-question")
        question.locator("legend").wait_for()
        _pick_an_answer(question)
        root.get_by_role("button", name="Check answer").click()
        heading = root.locator(".csec-feedback h4")
        heading.wait_for()
        rights += heading.inner_text() == "Correct."
        root.get_by_role("button", name="Next question").click()
    legend, stem, line = _quiz_line(root)
    assert legend == "Question 3 of 10"
    assert line == f"Question 3 of 10. Score so far: {rights} of 2.", line
    page.reload()
    root = page.locator("[data-csec-quiz='csec-101']")
    root.locator(".csec-question legend, .csec-nav button").first.wait_for()
    assert root.get_by_role("button", name="Start the quiz").count() == 0, "the quiz in progress, not a new one"
    assert _quiz_line(root) == (legend, stem, line), "the same question of the same draw, the score kept"
    # An answer picked but not checked yet, a link followed out of the page, and the Back button.
    question = root.locator(".csec-question")
    picked = question.locator("input, select").first
    if picked.evaluate("e => e.tagName") == "SELECT":
        picked.select_option(index=1)
    else:
        picked.check()
    page.locator("main a.right-next").click()  # the book's link to its next page
    page.wait_for_url(lambda url: "csec-101.html" not in url)
    page.go_back()
    page.wait_for_url("**/csec-101.html*")
    root = page.locator("[data-csec-quiz='csec-101']")
    assert _quiz_line(root) == (legend, stem, line)
    picked = root.locator(".csec-question").locator("input, select").first
    assert picked.evaluate("e => e.tagName === 'SELECT' ? e.selectedIndex === 1 : e.checked"), "the pick is kept"
    # Checked after coming back: scored once, on top of the kept score, and kept checked across another reload.
    root.get_by_role("button", name="Check answer").click()
    heading = root.locator(".csec-feedback h4")
    heading.wait_for()
    rights += heading.inner_text() == "Correct."
    checked_line = root.locator(".csec-score").inner_text()
    assert checked_line == f"Question 3 of 10. Score so far: {rights} of 3.", checked_line
    feedback = root.locator(".csec-feedback").inner_text()
    page.reload()
    root = page.locator("[data-csec-quiz='csec-101']")
    root.locator(".csec-feedback h4").wait_for()
    assert root.locator(".csec-score").inner_text() == checked_line
    assert root.locator(".csec-feedback").inner_text() == feedback
    assert root.locator(".csec-question input:enabled, .csec-question select:enabled").count() == 0
    root.get_by_role("button", name="Next question").click()
    assert _quiz_line(root)[0] == "Question 4 of 10"


def test_a_seed_gives_a_trainer_the_same_quiz_and_trainees_different_ones(browser, server):
    def first_question(seed: str | None) -> str:
        with guarded_page(browser, server) as (page, outside, errors):
            page.goto(f"{server}/book/modules/csec-101.html")
            root = page.locator("[data-csec-quiz]")
            if seed:
                root.get_by_label("Quiz seed", exact=False).fill(seed)
            shown = root.get_by_label("Quiz seed", exact=False).input_value()
            root.get_by_role("button", name="Start the quiz").click()
            root.locator(".csec-question legend").wait_for()
            assert outside == [] and errors == []
            return shown + "|" + root.locator(".csec-question").inner_text()

    assert first_question("424242") == first_question("424242")
    drawn = {first_question(None) for _ in range(3)}  # each profile picks its own seed, shown in the field
    assert len({d.split("|")[0] for d in drawn}) == 3
    assert len({d.split("|", 1)[1] for d in drawn}) > 1


def test_answer_files_load_only_when_an_answer_is_checked(built_site, fresh, server):
    page = fresh
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{server}/book/modules/csec-101.html")
    root = _shown(page)
    assert not [u for u in asked if "/_csec/" in u], "no answer or question file loads with the page"
    root.get_by_role("button", name="I understand: show the vignette").click()
    for fs in root.locator("fieldset.csec-yesno").all():
        fs.get_by_label("No").check()
    _check(root)
    assert [u for u in asked if "/_csec/keys/" in u] == [f"{server}/_csec/keys/{root.get_attribute('data-csec-scenario')}.js"]
    quiz = page.locator("[data-csec-quiz]")
    quiz.get_by_role("button", name="Start the quiz").click()
    quiz.locator(".csec-question legend").wait_for()
    assert not [u for u in asked if u.endswith("-key.js")], "the quiz's answers wait for the first check"
    quiz.locator(".csec-question input, .csec-question select").first.evaluate(
        "e => e.tagName === 'SELECT' ? (e.selectedIndex = 1) : (e.checked = true)")
    quiz.get_by_role("button", name="Check answer").click()
    quiz.locator(".csec-feedback h4").wait_for()
    assert [u for u in asked if u.endswith("-key.js")] == [f"{server}/_csec/quizzes/csec-101-key.js"]


def test_the_course_works_opened_from_disk(built_site, browser):
    """file://: no server, no fetch(); the vignettes and the quiz load their data as scripts."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_site / "book" / "modules" / "labor-trafficking.html").as_uri())
    root = _shown(page)
    key = _key(built_site, root)
    root.get_by_role("button", name="I understand: show the vignette").click()
    _answer(root, key, "right")
    n = _decisions(key)
    assert _check(root) == f"{n} of {n} decisions right. Well done."
    quiz = page.locator("[data-csec-quiz]")
    quiz.get_by_role("button", name="Start the quiz").click()
    quiz.locator(".csec-question label").first.click()
    quiz.get_by_role("button", name="Check answer").click()
    assert quiz.locator(".csec-feedback h4").inner_text()
    assert errors == []
    context.close()


def test_progress_survives_a_reload_and_downloads_as_json_and_csv(corpus, server, trainee):
    page = trainee
    page.goto(f"{server}/book/modules/csec-101.html")
    page.reload()
    progress = page.locator("[data-csec-progress]")
    total = len(module_scenarios(corpus, "csec-101"))
    line = progress.locator("summary").inner_text()
    assert f"2 of {total} vignettes checked" in line and "best quiz" in line and " of 10 (" in line, line
    progress.locator("summary").click()
    progress.get_by_label("Your name", exact=False).fill("Trainee One")
    progress.get_by_label("Your name", exact=False).press("Tab")
    with page.expect_download() as info:
        progress.get_by_role("button", name="Download my results (JSON)").click()
    results = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert results["trainee"] == "Trainee One" and results["format"] == "csec-training-results"
    first_two = module_scenarios(corpus, "csec-101")[:2]
    assert sorted(results["vignettes"]) == sorted(first_two)
    assert results["quizzes"]["csec-101"]["best"]["total"] == 10
    assert len(results["quizzes"]["csec-101"]["history"]) == 1
    with page.expect_download() as info:
        progress.get_by_role("button", name="Download my results (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["item"] for r in rows if r["kind"] == "vignette"} == set(first_two)
    assert any(r["kind"] == "quiz_best" and r["module"] == "csec-101" and r["total"] == "10" for r in rows)
    # The self-paced page reads the same progress.
    page.goto(f"{server}/book/modules/self-paced.html")
    assert f"2 of {len(module_scenarios(corpus, 'csec-101'))}" in page.locator("[data-csec-progress]").inner_text()


def test_the_checklist_answers_with_the_rules_interpreter_as_the_engine_does(browser, server, corpus):
    from csec.engine.rules import assess

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/book/modules/csec-101.html")
    assert page.evaluate("typeof window.csec.assess") == "function"
    root = page.locator("[data-csec-checklist]")
    root.get_by_text("Open the at-risk checklist").click()
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
    root.get_by_text("Open the at-risk checklist").click()
    assert "The rule:" in root.inner_text()
    assert root.locator("input[type=checkbox]").count() == 0
    context.close()
