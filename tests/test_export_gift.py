"""`csec export gift`: one file per module that Moodle's own GIFT reader (ported in _moodle_gift) reads back to the
corpus's approved questions, categories, weights and feedback, including every character GIFT reserves."""

from __future__ import annotations

import pytest

from _exports import (
    MODULES, SPECIAL_TOPIC, approved, choice_words, close_to_moodle_grade, export, export_ok, html_words,
                      special_root, words)
from _moodle_gift import readquestions, repchar
from csec.training.corpus import checked


def _read(folder, module):
    """{question id: (category in force, parsed question)} for one exported module file."""
    out, category = {}, None
    for q in readquestions((folder / f"{module}.gift").read_text(encoding="utf-8")):
        if q["qtype"] == "category":
            category = q["category"]
        else:
            assert q["name"] not in out, f"{q['name']} exported twice"
            out[q["name"]] = (category, q)
    return out


def _check(corpus, question, category, got):
    qid = question.id
    assert got["idnumber"] == qid
    assert got["format"] == "html", qid
    assert html_words(got["questiontext"]) == words(corpus, question.stem), qid
    # One category per module (a random quiz draws from the whole module), the topic as the question's tag.
    assert category == question.module, qid
    assert got["tags"] == ([" ".join(question.topic.split())] if question.topic else []), qid
    choices = question.choices
    if question.kind == "true_false":
        assert got["qtype"] == "truefalse", qid
        true = next(c for c in choices if c.text == "True")
        false = next(c for c in choices if c.text == "False")
        assert got["correctanswer"] is true.correct, qid
        assert html_words(got["feedbacktrue"]) == words(corpus, true.feedback), qid
        assert html_words(got["feedbackfalse"]) == words(corpus, false.feedback), qid
    elif question.kind == "ordering":
        assert got["qtype"] == "match", qid
        assert [(html_words(s["text"]), s["answer"]) for s in got["subquestions"]] == [
            (choice_words(corpus, c.text), f"Step {i}") for i, c in enumerate(choices, 1)], qid
        for c in choices:
            assert words(corpus, c.feedback) in html_words(got["generalfeedback"]), qid
    else:
        assert got["qtype"] == "multichoice", qid
        assert got["single"] is (question.kind == "single"), qid
        answers = got["answers"]
        assert [html_words(a["text"]) for a in answers] == [choice_words(corpus, c.text) for c in choices], qid
        assert [html_words(a["feedback"]) for a in answers] == [words(corpus, c.feedback) for c in choices], qid
        assert [a["fraction"] > 0 for a in answers] == [c.correct for c in choices], qid
        assert all(close_to_moodle_grade(a["fraction"]) for a in answers), qid
        assert abs(sum(a["fraction"] for a in answers if a["fraction"] > 0) - 1) < 0.0001, qid
        if question.kind == "multiple" and not all(c.correct for c in choices):
            assert abs(sum(a["fraction"] for a in answers if a["fraction"] < 0) + 1) < 0.0001, qid


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_ok(tmp_path_factory, "gift")


def test_one_file_per_module_and_a_note_on_ordering(exported):
    out, result = exported
    assert sorted(p.name for p in out.glob("*.gift")) == sorted(f"{m}.gift" for m in MODULES)
    assert "ordering questions are exported as Moodle matching questions" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("module", MODULES)
def test_moodles_reader_gives_back_every_approved_question(exported, corpus, module):
    out, _ = exported
    got = _read(out, module)
    expected = approved(corpus, module)
    assert sorted(got) == sorted(q.id for q in expected)
    for question in expected:
        _check(corpus, question, *got[question.id])


def test_policy_numbers_and_roles_are_resolved(exported, corpus):
    from csec.engine.numbers import ROLE, resolve

    out, _ = exported
    assert all("{csec-" not in (out / f"{m}.gift").read_text(encoding="utf-8") for m in MODULES)
    seen = 0
    for module in MODULES:
        got = _read(out, module)
        for q in approved(corpus, module):
            parsed = got[q.id][1]
            shown = html_words(" ".join([parsed["questiontext"], parsed.get("generalfeedback", ""),
                                         parsed.get("feedbacktrue", ""), parsed.get("feedbackfalse", ""),
                                         *(a["text"] + " " + a["feedback"] for a in parsed.get("answers", []))]))
            for text in [q.stem, *(c.text for c in q.choices), *(c.feedback for c in q.choices)]:
                for mt in ROLE.finditer(text):
                    seen += 1
                    assert resolve(corpus, mt.group(1), mt.group(2)) in shown, (q.id, mt.group(0))
    assert seen > 0, "no question names a policy number by its rule any more; this test checks nothing"


def test_every_reserved_character_survives_moodles_reader(tmp_path):
    root = special_root(tmp_path)
    corpus = checked(root)
    out = tmp_path / "out"
    result = export("gift", out, root)
    assert result.returncode == 0, result.stderr
    got = _read(out, "csec-101")
    assert "zz-special-draft" not in got  # only approved questions are exported
    special = [q for q in approved(corpus, "csec-101") if q.id.startswith("zz-special")]
    assert {q.kind for q in special} == {"single", "multiple", "true_false", "ordering"}
    for question in special:
        assert question.topic == SPECIAL_TOPIC
        _check(corpus, question, *got[question.id])
    # A citation role reads as the citation's label, as on the site.
    assert corpus.cite_label("acl-16-85#i-at-risk") in html_words(got["zz-special-single"][1]["answers"][2]["feedback"])
    # The reader keeps a literal backslash before 'n' only when the writer escaped the backslash.
    assert "C:\\new\\table" in html_words(got["zz-special-single"][1]["questiontext"])


def test_fields_are_escaped_as_moodles_own_writer_escapes_them(tmp_path):
    # Some escapes are invisible to the reader (a ':' after the name reads the same either way), so each special
    # question's fields are also compared with what Moodle's writer, repchar(), makes of the text read back.
    root = special_root(tmp_path)
    out = tmp_path / "out"
    assert export("gift", out, root).returncode == 0
    text = (out / "csec-101.gift").read_text(encoding="utf-8")
    got = _read(out, "csec-101")
    single = got["zz-special-single"][1]
    assert f"::zz-special-single::[html]{repchar(single['questiontext'])} {{" in text
    for answer, mark in zip(single["answers"], "=~~"):
        assert f"\t{mark}{repchar(answer['text'])}#{repchar(answer['feedback'])}\n" in text
    multiple = got["zz-special-multiple"][1]
    for answer in multiple["answers"]:
        weight = f"{answer['fraction'] * 100:.5f}".rstrip("0").rstrip(".")
        assert f"\t~%{weight}%{repchar(answer['text'])}#{repchar(answer['feedback'])}\n" in text
    true_false = got["zz-special-true-false"][1]
    assert f"\tFALSE#{repchar(true_false['feedbacktrue'])}#{repchar(true_false['feedbackfalse'])}\n" in text
