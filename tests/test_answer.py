"""Headless tests of the answer model (csec/training/answer.py) and that csec.training.feedback grades from it as before."""

from __future__ import annotations

import json
import random

import pytest

from csec.training import answer, feedback
from csec.training.answer import judge_item, module_questions, module_scenarios, question_key, vignette_key
from csec.engine.rules import assess, ordered


def _approved(corpus):
    return [s for m in corpus.modules for s in module_scenarios(corpus, m)]


def test_the_key_is_the_engines_answer(corpus):
    for sid in _approved(corpus):
        key = vignette_key(corpus, sid)
        result = assess(corpus, corpus.scenarios[sid].facts)
        assert {i.key for i in key.topic("action") if i.expected} == {a["id"] for a in result.actions}
        assert {i.key: i.expected for i in key.topic("classification")} == {
            "at_risk": result.at_risk, "sex_trafficking": result.sex_trafficking,
            "labor_trafficking": result.labor_trafficking}
        assert {i.key for i in key.topic("red_flag") if i.expected} == set(corpus.scenarios[sid].red_flags_present)
        for item in key.topic("action"):
            assert (item.deadline is not None) == (item.expected and feedback.deadline_key(
                corpus.rules[item.key]) is not None)
        json.dumps(key.as_dict())  # plain data all the way down


def test_neutral_titles_never_give_the_answer(corpus):
    for m in corpus.modules:
        for k, sid in enumerate(module_scenarios(corpus, m), 1):
            s = corpus.scenarios[sid]
            title = vignette_key(corpus, sid).neutral_title
            assert title.startswith(f"Vignette {k}: ")
            assert title != s.title and s.summary not in title and ":" not in title.split(": ", 1)[1]


def test_judge_item_covers_each_way_of_being_right_or_wrong():
    item = answer.ItemKey("indicator", "x", "X", True, "R", "M", "W")
    assert judge_item(item, True) == (True, "R") and judge_item(item, False) == (False, "M")
    other = answer.ItemKey("indicator", "y", "Y", False, "R", "M", "W")
    assert judge_item(other, True) == (False, "W") and judge_item(other, False) is None
    yes_no = answer.ItemKey("classification", "at_risk", "At risk?", False, "R", "M", "W")
    assert judge_item(yes_no, None) == (False, "M") and judge_item(yes_no, False) == (True, "R")
    assert judge_item(yes_no, True) == (False, "W")
    d = answer.DeadlineKey("k", "Deadline", "right", "missing", "not {chosen}")
    assert answer.judge_deadline(d, "k") == (True, "right")
    assert answer.judge_deadline(d, None) == (False, "missing")
    assert answer.judge_deadline(d, "j", "soon") == (False, "not soon")


def test_question_keys_hold_the_right_choices_and_every_feedback(corpus):
    for m in corpus.modules:
        for q in module_questions(corpus, m):
            key = question_key(q, corpus)
            assert key.correct == [i for i, c in enumerate(q.choices) if c.correct]
            assert [c.when_chosen for c in key.choices] == [c.feedback for c in q.choices]
            assert all(c.label for c in key.citations)


def test_a_perfect_vignette_scores_full_marks_from_the_key(corpus):
    for sid in _approved(corpus):
        key = vignette_key(corpus, sid)
        fb = feedback.grade_vignette(
            corpus, sid, [i.key for i in key.topic("indicator") if i.expected],
            [i.key for i in key.topic("red_flag") if i.expected],
            {i.key: i.expected for i in key.topic("classification")},
            {i.key: (i.deadline.key if i.deadline else None) for i in key.topic("action") if i.expected})
        assert fb.all_correct, (sid, [d.as_dict() for d in fb.decisions if not d.correct])


def test_random_answers_are_graded_consistently_with_the_key(corpus):
    rng = random.Random(7)
    actions = [r.id for r in ordered(corpus, "action")]
    for sid in _approved(corpus)[:10]:
        key = vignette_key(corpus, sid)
        for _ in range(20):
            marked = rng.sample(list(corpus.indicators), rng.randint(0, 3))
            chosen = rng.sample(actions, rng.randint(0, 5))
            asked = {"at_risk": rng.choice([True, False, None])}
            fb = feedback.grade_vignette(corpus, sid, marked, [], asked, chosen)
            for d in fb.decisions:
                if d.topic == "indicator" and d.key:
                    item = next(i for i in key.topic("indicator") if i.key == d.key)
                    assert (d.correct, d.explanation) == judge_item(item, d.key in marked)
            # Scored as the page's player scores (README "Scores"): out of the vignette's own decisions (each item
            # that applies, each Yes/No, each required deadline), whatever was ticked; a pick that does not apply
            # costs one; never below zero. Counted here from the marks and the key, not from the decisions.
            expected = {t: {i.key for i in key.topic(t) if i.expected} for t in ("indicator", "action")}
            flags = sum(i.expected for i in key.topic("red_flag") if i.key in key.red_flags_offered)
            deadlines = sum(i.expected and i.deadline is not None for i in key.topic("action"))
            assert fb.total == len(expected["indicator"]) + flags + len(expected["action"]) + 3 + deadlines
            found = len(expected["indicator"] & set(marked)) + len(expected["action"] & set(chosen))
            right_yes_no = sum(asked.get(i.key) is not None and asked.get(i.key) == i.expected
                               for i in key.topic("classification"))
            extra = len(set(marked) - expected["indicator"]) + len(set(chosen) - expected["action"])
            assert fb.score == max(0, found + right_yes_no - extra), (sid, marked, chosen, asked)


def test_grade_question_still_grades_every_kind(corpus):
    for m in corpus.modules:
        for q in module_questions(corpus, m):
            right = feedback.correct_answer(q)
            picks = right if q.kind in ("multiple", "ordering") else right[0]
            assert feedback.grade_question(q, picks, corpus).all_correct
            assert feedback.grade_question(q, None, corpus).summary.startswith("No answer given")


def test_csec_never_imports_widgets():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "csec"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from widgets" not in text and "import widgets" not in text, path


def test_what_would_change_names_the_facts_that_decided_the_answer(corpus):
    """ACL 16-85 §I At Risk Definition, B: two of indicators D–H; with exactly two, either one absent changes the
    answer. 22 USC 7102(10): a commercial sex act without force is sex trafficking under 18 only."""
    dev = answer.what_would_change(corpus, {"age": 15, "receiving_child_welfare_services": True,
                                            "runaway_or_unstable_housing": True, "frequent_truancy": True})
    at_risk = corpus.rules["at_risk"].title
    for fact in ("runaway_or_unstable_housing", "frequent_truancy"):
        change = next(c for c in dev.decided_by if c.fact == fact)
        assert (change.value, change.instead) == ("yes", "no") and at_risk in change.changes
    assert dev.find_out == []
    kim = answer.what_would_change(corpus, {"age": 17, "commercial_sex_act": True})
    ages = [c for c in kim.decided_by if c.fact == "age"]
    assert ages and all(int(c.instead) >= 18 for c in ages)
    assert all(corpus.rules["sex_trafficking"].title in c.changes for c in ages)


def test_what_would_change_carries_find_out_in_words(corpus):
    """One other indicator known and a second unknown (ACL 16-85 §I, B): the second is what to find out, with the
    county's questions that ask about it."""
    change = answer.what_would_change(corpus, {"age": 15, "runaway_or_unstable_housing": True,
                                               "frequent_truancy": None})
    assert [f.fact for f in change.find_out] == ["frequent_truancy"]
    assert corpus.rules["at_risk"].title in change.find_out[0].could_change
    if corpus.county == "los-angeles":
        assert "Does your child have unusual attendance or is truant during school?" in change.find_out[0].questions


def test_explanations_are_sentences_not_the_engines_condition(corpus):
    for sid in _approved(corpus):
        key = vignette_key(corpus, sid)
        because = {r.rule: r.because for r in key.assessment.reasons}
        for item in key.topic("classification") + key.topic("action"):
            for text in {item.right, item.missed, item.wrong}:
                # The engine's trace ("Commercial sex act: yes; Under the age of majority: yes") never shows.
                assert because[item.key] not in text, (sid, item.key, text)
                assert ": yes" not in text and ": no" not in text and "; 1 of the" not in text, (sid, text)
                assert text[:1].isupper() and text.rstrip().endswith((".", ")")), (sid, text)
        for item in key.topic("classification"):
            verdict = "yes" if item.expected else "no"
            assert item.right.startswith(f"The answer is {verdict}. "), item.right
        # A right answer the trainee missed is explained, never called wrong.
        for item in key.topic("indicator") + key.topic("red_flag") + key.topic("action"):
            assert not item.missed.lower().startswith(("not quite", "wrong", "missed")), item.missed


def test_a_missed_quiz_answer_reads_as_missed_not_wrong(corpus):
    for q in module_questions(corpus, "csec-101"):
        if q.kind in ("single", "multiple", "true_false"):
            for c in question_key(q, corpus).choices:
                if c.correct:
                    assert c.when_missed.startswith("You did not choose it, but it is a right answer."), c.when_missed


def test_generated_stems_ask_one_grammatical_question(corpus):
    from csec.training.quizgen import generated_questions

    deadlines = [q for q in generated_questions(corpus) if q.topic == "deadlines"]
    assert deadlines
    for q in deadlines:
        rule = corpus.rules[q.generated_from]
        assert q.stem.count("?") == 1 and q.stem.endswith("?"), q.stem
        assert ":" not in q.stem and "must this happen" not in q.stem, q.stem
        # The duty is the question's verb: "... must staff report the missing youth to NCMEC?"
        assert f" must staff {rule.title[:1].lower()}{rule.title[1:]}?" in q.stem or " apart must staff " in q.stem, \
            q.stem
        assert q.stem[:1].isupper()


def test_the_site_and_the_lms_pass_at_the_same_mark():
    from csec.export import scorm
    from csec.export.questions import LmsModule

    assert scorm.MASTERY_SCORE is answer.MASTERY_SCORE
    module = LmsModule(id="m", title="M", summary="", questions=())
    assert f"<adlcp:masteryscore>{answer.MASTERY_SCORE}</adlcp:masteryscore>" in scorm.manifest(module, [])
