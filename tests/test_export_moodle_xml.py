"""`csec export moodle-xml`: well-formed Moodle XML per module whose questions parse back to the corpus's approved
questions (stems, choices, correctness, feedback, categories), including the characters XML and GIFT reserve."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from _exports import (
    MODULES, approved, choice_words, close_to_moodle_grade, export, export_ok, html_words, special_root,
                      words)
from csec.training.corpus import checked


def _read(folder, module):
    """{question id: (category in force, <question> element)}; ET.parse fails on anything not well-formed."""
    root = ET.parse(folder / f"{module}.xml").getroot()
    assert root.tag == "quiz"
    out, category = {}, None
    for q in root.findall("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text")
        else:
            name = q.findtext("name/text")
            assert name not in out, f"{name} exported twice"
            out[name] = (category, q)
    return out


def _check(corpus, question, category, q):
    qid = question.id
    # One category per module (a random quiz draws from the whole module), the topic as the question's tag, and the
    # penalty Moodle's GIFT reader gives the same question (qformat_default::defaultquestion: 0.3333333).
    assert category == question.module, qid
    assert [t.findtext("text") for t in q.findall("tags/tag")] == (
        [" ".join(question.topic.split())] if question.topic else []), qid
    assert q.findtext("penalty") == "0.3333333", qid
    assert q.findtext("idnumber") == qid
    assert q.find("questiontext").get("format") == "html"
    assert html_words(q.findtext("questiontext/text")) == words(corpus, question.stem), qid
    choices = question.choices
    if question.kind == "ordering":
        assert q.get("type") == "matching", qid
        assert [(html_words(s.findtext("text")), s.findtext("answer/text")) for s in q.findall("subquestion")] == [
            (choice_words(corpus, c.text), f"Step {i}") for i, c in enumerate(choices, 1)], qid
        for c in choices:
            assert words(corpus, c.feedback) in html_words(q.findtext("generalfeedback/text")), qid
        return
    answers = q.findall("answer")
    fractions = [float(a.get("fraction")) / 100 for a in answers]
    assert [html_words(a.findtext("feedback/text")) for a in answers] == [words(corpus, c.feedback) for c in choices]
    assert [f > 0 for f in fractions] == [c.correct for c in choices], qid
    if question.kind == "true_false":
        assert q.get("type") == "truefalse", qid
        assert [a.findtext("text") for a in answers] == [c.text.lower() for c in choices], qid
        return
    assert q.get("type") == "multichoice", qid
    assert q.findtext("single") == ("true" if question.kind == "single" else "false"), qid
    assert [html_words(a.findtext("text")) for a in answers] == [choice_words(corpus, c.text) for c in choices], qid
    assert all(close_to_moodle_grade(f) for f in fractions), qid
    assert abs(sum(f for f in fractions if f > 0) - 1) < 0.0001, qid


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_ok(tmp_path_factory, "moodle-xml")[0]


def test_one_file_per_module(exported):
    assert sorted(p.name for p in exported.glob("*.xml")) == sorted(f"{m}.xml" for m in MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_approved_question_round_trips(exported, corpus, module):
    got = _read(exported, module)
    expected = approved(corpus, module)
    assert sorted(got) == sorted(q.id for q in expected)
    for question in expected:
        _check(corpus, question, *got[question.id])


def test_reserved_characters_round_trip(tmp_path):
    root = special_root(tmp_path)
    corpus = checked(root)
    result = export("moodle-xml", tmp_path / "out", root)
    assert result.returncode == 0, result.stderr
    got = _read(tmp_path / "out", "csec-101")
    assert "zz-special-draft" not in got
    special = [q for q in approved(corpus, "csec-101") if q.id.startswith("zz-special")]
    assert len(special) == 4
    for question in special:
        _check(corpus, question, *got[question.id])
    assert "]]>" in html_words(got["zz-special-single"][1].findtext("questiontext/text"))


def test_text_that_holds_a_cdata_end_marker_stays_well_formed():
    # Content HTML escapes '>', so ']]>' cannot reach the file from the corpus; the writer (ElementTree) escapes it.
    from csec.export.moodle_xml import module_file
    from csec.export.questions import LmsChoice, LmsModule, LmsQuestion

    value = "a ]]> b <i>c</i> & d"
    q = LmsQuestion("q", "single", None, value, (LmsChoice(value, True, value), LmsChoice("no", False, "")))
    root = ET.fromstring(module_file(LmsModule("m", "M", "", (q,))).encode("utf-8"))
    assert root.findtext("question[@type='multichoice']/questiontext/text") == value
    assert root.findtext("question[@type='multichoice']/answer/feedback/text") == value
