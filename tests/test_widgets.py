"""Headless tests of the training widgets, in ipywidgets' own style: build a widget, set `.value` on its controls,
`click()` its buttons, and check the feedback text, the score and the progress JSON.

They run on the repository's own training content, so the rules, indicators and citations are the real ones.
"""

from __future__ import annotations

import json
from html import escape

import ipywidgets as ipw
import pytest

from csec.training.corpus import checked
from csec.training.feedback import correct_answer, deadline_key, deadline_options, grade_question, present_indicators
from csec.engine.rules import assess, placeholders

from _training import MODULES, training_root


@pytest.fixture(scope="session")
def tcorpus(corpus, repo_root, tmp_path_factory):
    """The corpus the widget tests run on: the repository's, or the fixture training content on the real policy."""
    root = training_root(corpus, repo_root, tmp_path_factory.mktemp("training-root"))
    return corpus if root == repo_root else checked(root)


@pytest.fixture(autouse=True)
def progress_dir(tmp_path, monkeypatch):
    folder = tmp_path / "progress"
    monkeypatch.setenv("CSEC_PROGRESS_DIR", str(folder))
    return folder


def _shown(text: str, html: str) -> bool:
    """Whether TEXT appears in HTML as the widgets render it (escaped, inline markup converted)."""
    from widgets.markup import inline

    return escape(text) in html or inline(text) in html


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _scenarios(corpus):
    return sorted(s.id for s in corpus.scenarios.values() if s.status == "approved")


# --- the indicator checklist ----------------------------------------------------------------------------------

def test_checklist_flips_at_exactly_the_thresholds_in_the_rules_data(tcorpus):
    from widgets import IndicatorChecklist

    thresholds = placeholders(tcorpus, tcorpus.rules["at_risk"])
    groups = {g: [i.id for i in tcorpus.indicators.values() if i.group == g] for g in tcorpus.indicator_groups}
    tested = 0
    for group, members in groups.items():
        needed = thresholds.get(f"at_least:{group}")
        if needed is None:
            continue
        assert needed <= len(members), f"group {group} can never reach its threshold"
        checklist = IndicatorChecklist(corpus=tcorpus)
        assert isinstance(checklist, ipw.Widget)
        for indicator in members[:needed]:
            checklist.checkboxes[indicator].value = True
        assert checklist.at_risk is None and "not decided" in checklist.result_html.value  # no age: no answer
        checklist.reset()
        checklist.age.value = 15
        assert checklist.at_risk is False
        assert "At risk: no" in checklist.result_html.value
        for k, indicator in enumerate(members[:needed], start=1):
            checklist.checkboxes[indicator].value = True
            if k < needed:
                assert checklist.at_risk is False, f"{k} of {group} ticked, {needed} needed"
                assert "At risk: no" in checklist.result_html.value
        assert checklist.at_risk is True, f"{needed} of {group} ticked"
        html = checklist.result_html.value
        assert "At risk: yes" in html
        assert f"at least {needed} needed" in html
        for cite in tcorpus.rules["at_risk"].cites:
            assert _shown(tcorpus.cite_label(cite), html)
        # The widget says what the engine says.
        assert checklist.at_risk == assess(tcorpus, {**checklist.person, **{i: True for i in checklist.ticked}}).at_risk
        checklist.reset_button.click()
        assert checklist.ticked == [] and checklist.at_risk is False
        tested += 1
    assert tested == len([k for k in thresholds if k.startswith("at_least:") and not k.split(":")[1].isdigit()])
    assert tested >= 2


def test_checklist_below_threshold_in_every_group_is_not_at_risk(tcorpus):
    from widgets import IndicatorChecklist

    thresholds = placeholders(tcorpus, tcorpus.rules["at_risk"])
    checklist = IndicatorChecklist(corpus=tcorpus)
    checklist.receiving.value = True  # a youth receiving child welfare services: the definition applies at any age
    for group in tcorpus.indicator_groups:
        needed = thresholds.get(f"at_least:{group}")
        members = [i.id for i in tcorpus.indicators.values() if i.group == group]
        for indicator in members[:(needed or 1) - 1]:
            checklist.checkboxes[indicator].value = True
    assert checklist.at_risk is False


# --- the vignette player --------------------------------------------------------------------------------------

def _answer_right(player, corpus):
    s = player.scenario
    result = assess(corpus, s.facts)
    present = set(present_indicators(corpus, s))
    for ind, box in player.indicator_boxes.items():
        box.value = ind in present
    for flag, box in player.red_flag_boxes.items():
        box.value = flag in s.red_flags_present
    for key, toggle in player.classification.items():
        toggle.value = getattr(result, key)
    required = set(result.action_ids)
    for action, box in player.action_boxes.items():
        box.value = action in required
        if action in player.deadline_dropdowns and action in required:
            player.deadline_dropdowns[action].value = deadline_key(corpus.rules[action])
    return result


def test_vignette_shows_content_warning_before_the_narrative(tcorpus):
    from widgets import VignettePlayer

    sid = _scenarios(tcorpus)[0]
    player = VignettePlayer(sid, corpus=tcorpus)
    assert isinstance(player, ipw.Widget)
    assert "Content warning" in player.warning_html.value
    assert not player.revealed and player.body.layout.display == "none"
    player.acknowledge_button.click()
    assert player.revealed
    assert repr(player) == f"VignettePlayer({sid!r})"


@pytest.mark.parametrize("index", range(3))
def test_vignette_right_answers_are_all_right_with_citations_and_debrief(tcorpus, index, progress_dir):
    from widgets import VignettePlayer, completion_summary

    ids = _scenarios(tcorpus)
    assert len(ids) >= 3, "the training content needs at least three vignettes"
    # Spread over the corpus: the first, the middle and the last vignette.
    sid = ids[[0, len(ids) // 2, -1][index]]
    player = VignettePlayer(sid, corpus=tcorpus, trainee="trainee-one")
    player.acknowledge_button.click()
    result = _answer_right(player, tcorpus)
    player.check_button.click()
    fb = player.feedback
    assert fb is not None and fb.all_correct, [d for d in fb.decisions if not d.correct]
    html = player.feedback_html.value
    assert "Not quite" not in html
    assert f"{fb.total} of {fb.total} decisions right" in html
    for key in ("at_risk", "sex_trafficking", "labor_trafficking"):
        assert tcorpus.rules[key].title in html
        assert _shown(tcorpus.cite_label(tcorpus.rules[key].cites[0]), html)
    for action in result.actions:
        assert _shown(action["title"], html)
    assert "Debrief" in html
    assert "What would change this answer" in html
    saved = json.loads((progress_dir / "trainee-one.json").read_text())
    attempt = saved["vignettes"][sid]["attempts"][-1]
    assert attempt["score"] == attempt["total"] == fb.total and attempt["all_correct"] is True
    assert attempt["at"].endswith("+00:00")
    module = tcorpus.scenarios[sid].module
    summary = completion_summary("trainee-one", corpus=tcorpus)
    if module in summary["modules"]:
        assert sid in summary["modules"][module]["vignettes_completed"]
    assert sid in summary["vignettes_completed"]
    assert not list(progress_dir.glob("*.tmp"))


def test_vignette_wrong_answers_get_explained_feedback(tcorpus):
    from widgets import VignettePlayer

    # A vignette where the youth is at risk or a victim, so that "No" to everything is wrong somewhere.
    sid = next(s for s in _scenarios(tcorpus) if assess(tcorpus, tcorpus.scenarios[s].facts).actions)
    player = VignettePlayer(sid, corpus=tcorpus)
    player.acknowledge_button.click()
    result = assess(tcorpus, player.scenario.facts)
    for toggle in player.classification.values():
        toggle.value = False
    # Tick one action that is not required (if any) and nothing else.
    not_required = [a for a in player.action_boxes if a not in result.action_ids]
    if not_required:
        player.action_boxes[not_required[0]].value = True
    player.check_button.click()
    fb = player.feedback
    assert not fb.all_correct
    html = player.feedback_html.value
    assert "Not quite" in html
    wrong = {(d.topic, d.key) for d in fb.decisions if not d.correct}
    for key in ("at_risk", "sex_trafficking", "labor_trafficking"):
        assert (("classification", key) in wrong) == getattr(result, key)
    for action in result.action_ids:
        assert ("action", action) in wrong
        assert "The policy requires it here" in next(
            d.explanation for d in fb.decisions if d.key == action and d.topic == "action")
    if not_required:
        assert ("action", not_required[0]) in wrong
        assert "Not required in this vignette" in html
    missed_ind = set(present_indicators(tcorpus, player.scenario))
    for ind in missed_ind:
        assert ("indicator", ind) in wrong
    # Every wrong decision cites where the answer comes from (except "none of them" rows).
    for d in fb.decisions:
        if not d.correct and d.key:
            assert d.citations and all(c.label for c in d.citations)
            assert any(_shown(c.label, html) for c in d.citations)


def test_a_required_action_left_unticked_reads_as_missed_not_wrong(tcorpus):
    # Issue 21: a right answer the trainee left out is missed, not wrong; a wrong pick is still "Not quite".
    from bs4 import BeautifulSoup
    from widgets import VignettePlayer

    sid = next(s for s in _scenarios(tcorpus) if assess(tcorpus, tcorpus.scenarios[s].facts).actions)
    player = VignettePlayer(sid, corpus=tcorpus)
    player.acknowledge_button.click()
    result = assess(tcorpus, player.scenario.facts)
    for box in player.action_boxes.values():
        box.value = False
    player.check_button.click()
    soup = BeautifulSoup(player.feedback_html.value, "html.parser")
    missed = soup.select("div.csec-missed")
    required = {a["title"] for a in result.actions}
    assert missed and all(div.strong.get_text() == "Missed" for div in missed)
    assert {" ".join(div.get_text(" ").split()) for div in missed if any(t in div.get_text() for t in required)}
    assert not any("Not quite" in div.get_text() for div in missed)


def test_vignette_wrong_deadline_is_wrong(tcorpus):
    from widgets import VignettePlayer

    options = [key for _, key in deadline_options(tcorpus)]
    for sid in _scenarios(tcorpus):
        result = assess(tcorpus, tcorpus.scenarios[sid].facts)
        timed = [a for a in result.action_ids if deadline_key(tcorpus.rules[a])]
        if timed:
            break
    else:
        raise AssertionError("no vignette requires an action with a deadline")
    player = VignettePlayer(sid, corpus=tcorpus)
    _answer_right(player, tcorpus)
    action = timed[0]
    right = deadline_key(tcorpus.rules[action])
    wrong_key = next(k for k in options if k != right)
    player.deadline_dropdowns[action].value = wrong_key
    player.check_button.click()
    bad = [d for d in player.feedback.decisions if not d.correct]
    assert [(d.topic, d.key) for d in bad] == [("deadline", action)]
    assert bad[0].explanation.startswith("The deadline is ")
    assert player.feedback.score == player.feedback.total - 1


def test_vignette_unknown_scenario_is_a_clear_error(tcorpus):
    from widgets import VignettePlayer

    with pytest.raises(ValueError, match="unknown scenario 'no-such-vignette'"):
        VignettePlayer("no-such-vignette", corpus=tcorpus)


def test_module_vignettes_chooser(tcorpus):
    from widgets import ModuleVignettes

    for module in tcorpus.modules:
        chooser = ModuleVignettes(module, corpus=tcorpus)
        ids = [v for _, v in chooser.chooser.options]
        assert all(tcorpus.scenarios[i].module == module or i in tcorpus.modules[module].scenarios for i in ids)
        if len(ids) > 1:
            chooser.chooser.value = ids[1]
            assert chooser.player.scenario_id == ids[1]


# --- the quiz -------------------------------------------------------------------------------------------------

def _answer(quiz, right: bool):
    q = quiz.question
    correct = correct_answer(q)
    if q.kind in ("single", "true_false"):
        quiz.control.value = correct[0] if right else next(i for i in range(len(q.choices)) if i not in correct)
    elif q.kind == "multiple":
        if right:
            ticked = set(correct)
        else:  # the wrong ones; or, when every choice is right, all but one
            ticked = {i for i in range(len(q.choices)) if i not in correct} or set(correct[1:])
        for i, box in quiz.choice_boxes.items():
            box.value = i in ticked
    else:
        order = list(range(len(q.choices)))
        if not right:
            order = order[::-1]
        for dd, index in zip(quiz.position_dropdowns, order):
            dd.value = index


@pytest.mark.parametrize("module", MODULES)
def test_quiz_draws_n_approved_questions_from_the_module(tcorpus, module):
    from widgets import Quiz

    approved = {q.id for q in tcorpus.questions.values() if q.module == module and q.status == "approved"}
    n = min(2, len(approved))
    quiz = Quiz(module=module, n=n, seed=7, corpus=tcorpus)
    assert isinstance(quiz, ipw.Widget)
    drawn = [d.question.id for d in quiz.drawn]
    assert len(drawn) == n == len(set(drawn))
    assert set(drawn) <= approved
    again = Quiz(module=module, n=n, seed=7, corpus=tcorpus)
    assert [(d.question.id, d.order) for d in again.drawn] == [(d.question.id, d.order) for d in quiz.drawn]
    everything = Quiz(module=module, n=len(approved) + 5, seed=1, corpus=tcorpus)
    assert {d.question.id for d in everything.drawn} == approved


def test_quiz_scores_right_and_wrong_answers_and_saves_progress(tcorpus, progress_dir):
    from widgets import Quiz, completion_summary

    module = max(MODULES, key=lambda m: len([q for q in tcorpus.questions.values() if q.module == m
                                             and q.status == "approved"]))
    quiz = Quiz(module=module, n=2, seed=3, trainee="trainee-two", corpus=tcorpus)
    assert "Question 1 of 2" in quiz.score_html.value

    _answer(quiz, right=True)
    quiz.submit_button.click()
    assert quiz.feedback.score == 1 and quiz.score == 1
    assert "Correct." in quiz.feedback_html.value
    q0 = quiz.question
    right_feedback = [q0.choices[i].feedback for i in correct_answer(q0)]
    assert all(_shown(f, quiz.feedback_html.value) for f in right_feedback)
    assert _shown(tcorpus.cite_label(q0.cites[0]), quiz.feedback_html.value)
    assert "Score so far: 1 of 1" in quiz.score_html.value
    assert quiz.submit_button.disabled and not quiz.next_button.disabled
    quiz.submit_button.click()  # a second click on a checked question changes nothing
    assert quiz.score == 1 and quiz.answered == 1
    quiz.next_button.click()

    _answer(quiz, right=False)
    quiz.submit_button.click()
    assert quiz.feedback.score == 0 and quiz.score == 1
    assert "Not quite" in quiz.feedback_html.value
    assert "Score so far: 1 of 2" in quiz.score_html.value
    assert not (progress_dir / "trainee-two.json").exists()  # saved when the quiz is finished
    quiz.next_button.click()

    assert quiz.finished
    assert "Final score: 1 of 2" in quiz.feedback_html.value
    saved = json.loads((progress_dir / "trainee-two.json").read_text())
    attempt = saved["quizzes"][module][-1]
    assert (attempt["score"], attempt["total"]) == (1, 2)
    assert attempt["questions"] == [d.question.id for d in quiz.drawn]
    assert attempt["correct"] == [quiz.drawn[0].question.id]
    summary = completion_summary("trainee-two", corpus=tcorpus)
    assert summary["quiz_best_scores"][module]["score"] == 1
    assert summary["modules"][module]["quiz_best"]["total"] == 2
    assert summary["vignettes_completed"] == []
    assert summary["modules"][module]["complete"] is False

    # A better second attempt becomes the best score.
    quiz.restart_button.click()
    assert not quiz.finished and quiz.score == 0
    for _ in quiz.drawn:
        _answer(quiz, right=True)
        quiz.submit_button.click()
        quiz.next_button.click()
    assert quiz.finished and quiz.score == 2
    summary = completion_summary("trainee-two", corpus=tcorpus)
    assert summary["quiz_best_scores"][module]["score"] == 2
    assert len(json.loads((progress_dir / "trainee-two.json").read_text())["quizzes"][module]) == 2


@pytest.mark.parametrize("module", MODULES)
def test_quiz_all_right_scores_every_question(tcorpus, module):
    from widgets import Quiz

    quiz = Quiz(module=module, n=50, seed=11, corpus=tcorpus)
    kinds = set()
    for _ in quiz.drawn:
        kinds.add(quiz.question.kind)
        _answer(quiz, right=True)
        quiz.submit_button.click()
        assert quiz.feedback.all_correct, (quiz.question.id, quiz.feedback.summary)
        quiz.next_button.click()
    assert quiz.finished and quiz.score == len(quiz.drawn) > 0
    assert f"Final score: {quiz.score} of {quiz.score}" in quiz.feedback_html.value
    assert quiz.saved_to is None  # no trainee, nothing saved


def test_quiz_without_an_answer_asks_for_one(tcorpus):
    from widgets import Quiz

    quiz = Quiz(module=MODULES[0], n=1, seed=0, corpus=tcorpus)
    quiz.submit_button.click()
    assert "Choose an answer first" in quiz.feedback_html.value
    assert quiz.answered == 0 and not quiz.submit_button.disabled


def test_quiz_rejects_unknown_module_and_bad_n(tcorpus):
    from widgets import Quiz

    with pytest.raises(ValueError, match="unknown module"):
        Quiz(module="csec-999", n=3, corpus=tcorpus)
    with pytest.raises(ValueError, match="n must be"):
        Quiz(module=MODULES[0], n=0, corpus=tcorpus)


def test_grade_question_kinds(tcorpus):
    by_kind = {}
    for q in tcorpus.questions.values():
        by_kind.setdefault(q.kind, q)
    for kind, q in by_kind.items():
        right = correct_answer(q)
        if kind in ("single", "true_false"):
            assert grade_question(q, right[0], tcorpus).score == 1
            wrong = next(i for i in range(len(q.choices)) if i not in right)
            fb = grade_question(q, wrong, tcorpus)
            assert fb.score == 0 and fb.summary.startswith("Not quite")
            with pytest.raises(ValueError):
                grade_question(q, [0, 1], tcorpus)
        elif kind == "multiple":
            assert grade_question(q, right, tcorpus).score == 1
            assert grade_question(q, right[:-1] or [i for i in range(len(q.choices)) if i not in right],
                                  tcorpus).score == 0
        else:
            assert grade_question(q, right, tcorpus).score == 1
            assert grade_question(q, right[::-1], tcorpus).score == 0
        with pytest.raises(ValueError):
            grade_question(q, len(q.choices), tcorpus)
        assert grade_question(q, None, tcorpus).summary.startswith("No answer given")


# --- progress files -------------------------------------------------------------------------------------------

def test_progress_is_written_atomically_and_names_are_checked(tcorpus, progress_dir, monkeypatch):
    from widgets import progress

    progress.record_vignette("trainee-three", "x", "csec-101", 3, 4)
    path = progress_dir / "trainee-three.json"
    first = json.loads(path.read_text())
    assert first["trainee"] == "trainee-three" and first["version"] == progress.VERSION

    # A failure while writing leaves the previous file whole and no temporary file behind.
    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(progress.os, "replace", boom)
    with pytest.raises(OSError):
        progress.record_vignette("trainee-three", "y", "csec-101", 1, 1)
    assert json.loads(path.read_text()) == first
    assert sorted(p.name for p in progress_dir.iterdir() if not p.name.endswith(".lock")) == ["trainee-three.json"]

    for bad in ("../evil", ".hidden", "a/b", "", "x" * 65):
        with pytest.raises(ValueError):
            progress.progress_file(bad)


def test_progress_defaults_to_progress_folder_under_the_root(monkeypatch, repo_root):
    from widgets import progress

    monkeypatch.delenv("CSEC_PROGRESS_DIR")
    monkeypatch.setenv("CSEC_ROOT", str(repo_root))
    assert progress.progress_dir() == repo_root / "progress"
    assert "progress/" in (repo_root / ".gitignore").read_text().split()


def test_progress_summary_widget(tcorpus, progress_dir):
    from widgets import ProgressSummary

    view = ProgressSummary("trainee-four", corpus=tcorpus)
    assert view.output.value == ""  # nothing is read until asked
    view.button.click()
    assert "Progress of trainee-four" in view.output.value
    assert "not taken" in view.output.value


# --- accessibility and safety ---------------------------------------------------------------------------------

def test_every_control_is_labelled(tcorpus):
    from widgets import IndicatorChecklist, Quiz, VignettePlayer

    sid = _scenarios(tcorpus)[0]
    for widget in (IndicatorChecklist(corpus=tcorpus), VignettePlayer(sid, corpus=tcorpus),
                   Quiz(module=MODULES[0], n=1, corpus=tcorpus)):
        controls = [w for w in _walk(widget) if isinstance(w, (ipw.Button, ipw.Checkbox, ipw.Dropdown,
                                                              ipw.ToggleButtons, ipw.RadioButtons))]
        assert controls
        for w in controls:
            assert w.description.strip(), f"{type(w).__name__} without a description in {widget!r}"
            assert w.tooltip, f"{type(w).__name__} {w.description!r} without a tooltip"


def test_markup_escapes_html_and_keeps_only_safe_links():
    from widgets.markup import to_html

    out = to_html("Hi <script>alert(1)</script> **bold** {term}`CSEC` {term}`at risk <at risk of CSE>`\n\n"
                  "[ok](../manual/index.html) [away](https://example.org) [bad](javascript:alert(1))\n\n- one\n- two")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<strong>bold</strong>" in out
    assert "CSEC" in out and "at risk" in out and "{term}" not in out and "at risk of CSE" not in out
    # Same rule as the site's content: links stay on this site (DESIGN.md, "Content markup is a safe subset").
    assert '<a href="../manual/index.html"' in out
    assert "example.org" not in out and "away" in out
    assert "javascript:" not in out
    assert "<ul><li>one</li><li>two</li></ul>" in out


def test_static_pages_are_deterministic(tcorpus):
    from csec.sphinx import training_views as static
    static.use(tcorpus, None)

    for module in MODULES:
        for name in ("module_overview", "vignettes", "practice_questions", "agenda", "vignette_plan", "quiz_key"):
            first = getattr(static, name)(module, corpus=tcorpus).data
            assert first == getattr(static, name)(module, corpus=tcorpus).data
            assert "<script" not in first
    html = static.vignettes(MODULES[0], corpus=tcorpus).data
    assert html.count("<details") == 2 * len([s for s in _scenarios(tcorpus)
                                               if tcorpus.scenarios[s].module == MODULES[0]])
    assert "Content warning" in html
