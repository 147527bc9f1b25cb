"""Question banks: enough questions per module, well-formed choices with feedback and citations, and the threshold
and deadline questions generated from the rules so they change when the policy data does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from csec.training.corpus import checked, loaded
from csec.core.errors import ContentErrors
from csec.engine.rules import placeholders
from csec_cli import copy_layers

REPO = Path(__file__).resolve().parent.parent
# The statewide banks and the county layers' banks (a county's questions on its own duties).
BANKS = [REPO / "content" / "questions", *sorted((REPO / "counties").glob("*/content/questions"))]
MODULES = ("csec-101", "csec-102", "labor-trafficking")


def _hand_written():
    out = []
    for file in sorted(f for bank in BANKS for f in bank.glob("*.yaml")):
        out.extend(q for q in yaml.safe_load(file.read_text()).get("questions", []) if "amends" not in q)
    return out


def test_at_least_80_hand_written_questions_across_the_modules():
    questions = _hand_written()
    assert len(questions) >= 80
    for module in MODULES:
        assert sum(q["module"] == module for q in questions) >= 25, module


def test_every_question_is_well_formed(corpus):
    assert len(corpus.questions) >= len(_hand_written())
    for q in corpus.questions.values():
        correct = sum(c.correct for c in q.choices)
        if q.kind in ("single", "true_false"):
            assert correct == 1, q.id
        if q.kind == "true_false":
            assert [c.text for c in q.choices] == ["True", "False"], q.id
        assert all(c.feedback.strip() for c in q.choices), q.id
        assert q.cites, q.id
        for cite in q.cites:
            source, _, section = cite.partition("#")
            assert source in corpus.sources, (q.id, cite)
            assert not section or section in {s.id for s in corpus.sources[source].sections}, (q.id, cite)


def test_no_question_calls_a_youth_a_prostitute():
    for q in _hand_written():
        assert "prostitut" not in q["stem"].lower(), q["id"]
        for choice in q["choices"]:
            if "prostitut" in (choice["text"] + choice["feedback"]).lower():
                # Only a wrong choice may quote the term, and its feedback must say not to use it.
                assert not choice["correct"] and "do not refer" in choice["feedback"].lower(), q["id"]


def _generated(corpus):
    return {q.id: q for q in corpus.questions.values() if q.generated_from}


def _answer(question) -> str:
    return next(c.text for c in question.choices if c.correct)


def test_generated_questions_cover_every_deadline_and_threshold(corpus):
    generated = _generated(corpus)
    for rule in corpus.rules.values():
        for key in ("within_hours", "within_days", "every_days"):
            if getattr(rule, key) is not None:
                qid = f"gen-{rule.id}-{key}"
                assert qid in generated, qid
                assert _answer(generated[qid]).split()[0] == str(getattr(rule, key))
    for group in ("strong", "other"):
        question = generated[f"gen-at_risk-at_least-{group}"]
        assert _answer(question) == str(placeholders(corpus, corpus.rules["at_risk"])[f"at_least:{group}"])
        assert question.module == "csec-101" and question.generated_from == "at_risk"


def test_generated_distractors_are_distinct_positive_and_never_the_answer(corpus):
    for q in _generated(corpus).values():
        numbers = [int(c.text.split()[0]) for c in q.choices]
        assert len(set(numbers)) == len(numbers) >= 3, q.id
        assert all(n > 0 for n in numbers), q.id
        assert sum(c.correct for c in q.choices) == 1, q.id
        assert q.status == "approved" and q.cites == list(corpus.rules[q.generated_from].cites), q.id


def test_editing_the_rules_changes_the_generated_questions(repo_root, tmp_path):
    copy_layers(tmp_path)
    rules = tmp_path / "content" / "policy" / "rules.yaml"
    text = rules.read_text()
    old_report = "    within_hours: 24\n    cites: [acl-16-85#v, pc-11166#j-2]"
    old_ncic = "    within_hours: 24\n    cites: [acl-16-85#vi, pc-11166#j-3, 42-usc-5780]"
    old_other = "{count: {indicator_group: other}, at_least: 2}"
    assert old_report in text and old_ncic in text and old_other in text
    # A deadline edit: the content still validates (vignettes do not encode hours) and the questions follow it.
    # The quoted letter keeps its 24 hours: each rule records on what authority it departs from its quote.
    departs = "within_hours: 12\n    departs: {because: A later letter., cites: [acl-16-85]}"
    text = text.replace(old_report, old_report.replace("within_hours: 24", departs)).replace(
        old_ncic, old_ncic.replace("within_hours: 24", departs))
    rules.write_text(text)
    # The training written against those rules is re-confirmed with one command (csec/checks/written_against.py).
    confirmed = subprocess.run([str(Path(__file__).resolve().parent.parent / ".venv/bin/csec"), "confirm", "--all",
                                "--root", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert confirmed.returncode == 0, confirmed.stderr
    generated = _generated(checked(tmp_path))
    for qid in ("gen-report_to_law_enforcement-within_hours", "gen-report_missing_to_law_enforcement_for_ncic-within_hours"):
        question = generated[qid]
        assert _answer(question) == "12 hours", qid
        assert all("12 hours" in c.feedback for c in question.choices), qid  # feedback is rendered from the rule
    assert _answer(generated["gen-report_missing_to_ncmec-within_hours"]) == "24 hours"  # other rules untouched
    # A threshold edit: the vignettes that relied on the old threshold are flagged by validation, naming the file...
    rules.write_text(text.replace(old_other, old_other.replace("2}", "3}")))
    with pytest.raises(ContentErrors) as stale:
        checked(tmp_path)
    assert "content/scenarios/dev-two-other-indicators.yaml" in str(stale.value)
    # ...while the generated questions follow the new policy data.
    generated = _generated(loaded(tmp_path))
    assert _answer(generated["gen-at_risk-at_least-other"]) == "3"
