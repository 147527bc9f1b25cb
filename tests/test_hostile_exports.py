"""LMS exports built from hostile titles, topics, stems and feedback (tests/fixtures/hostile/export_questions.yaml and a
module title that tries to start a question of its own) read back, with Moodle's GIFT reader (_moodle_gift) and an
XML parser, as exactly the approved questions; content holding a character XML cannot carry is refused."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from _exports import MODULES, approved, export, html_words, words
from _moodle_gift import readquestions
from csec.training.corpus import checked
from csec_cli import copy_layers

HOSTILE = "tests/fixtures/hostile/export_questions.yaml"
TITLE = "CSEC 101 --- -->\n\n::INJECTED TITLE:: Is the title a question? {=yes ~no}\n\n"
ORIGINAL_TITLE = 'title: "CSEC 101: Awareness and Identification"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(root, corpus, gift folder, moodle-xml folder) for a copy of the content with the hostile questions."""
    from csec_cli import REPO

    tmp = tmp_path_factory.mktemp("hostile-export")
    root = tmp / "root"
    copy_layers(root)
    shutil.copy(REPO / HOSTILE, root / "content" / "questions" / "zz-hostile.yaml")
    modules = root / "content" / "questions" / "modules.yaml"
    text = modules.read_text(encoding="utf-8")
    assert ORIGINAL_TITLE in text
    title = TITLE.replace("\n", "\\n")
    modules.write_text(text.replace(ORIGINAL_TITLE, f'title: "{title}"', 1), encoding="utf-8")
    corpus = checked(root)
    assert corpus.modules["csec-101"].title == TITLE
    folders = []
    for fmt in ("gift", "moodle-xml"):
        out = tmp / fmt
        result = export(fmt, out, root)
        assert result.returncode == 0, result.stderr
        folders.append(out)
    return root, corpus, *folders


def test_gift_reads_back_as_exactly_the_approved_questions(hostile):
    _, corpus, gift, _ = hostile
    for module in MODULES:
        parsed = readquestions((gift / f"{module}.gift").read_text(encoding="utf-8"))
        questions = [q for q in parsed if q["qtype"] != "category"]
        assert sorted(q["name"] for q in questions) == sorted(q.id for q in approved(corpus, module)), module
    parsed = {q["name"]: q for q in readquestions((gift / "csec-101.gift").read_text(encoding="utf-8"))
              if q["qtype"] != "category"}
    single, true_false = corpus.questions["zz-hostile-single"], corpus.questions["zz-hostile-true-false"]
    assert html_words(parsed[single.id]["questiontext"]) == words(corpus, single.stem)
    assert [html_words(a["feedback"]) for a in parsed[single.id]["answers"]] == [
        words(corpus, c.feedback) for c in single.choices]
    assert [a["fraction"] for a in parsed[single.id]["answers"]] == [1.0, 0.0]
    assert parsed[true_false.id]["correctanswer"] is True
    assert html_words(parsed[true_false.id]["feedbacktrue"]) == words(corpus, true_false.choices[0].feedback)


def test_gift_tags_keep_the_hostile_topic_on_one_line(hostile):
    # The topic is the question's tag (one category per module): Moodle's reader must give it back whole, on one line.
    _, corpus, gift, _ = hostile
    parsed = {q["name"]: q for q in readquestions((gift / "csec-101.gift").read_text(encoding="utf-8"))
              if q["qtype"] != "category"}
    topic = " ".join(corpus.questions["zz-hostile-single"].topic.split())
    assert parsed["zz-hostile-single"]["tags"] == [topic]


def test_moodle_xml_parses_as_exactly_the_approved_questions(hostile):
    _, corpus, _, xml = hostile
    for module in MODULES:
        root = ET.parse(xml / f"{module}.xml").getroot()  # raises on anything not well-formed
        names = [q.findtext("name/text") for q in root.findall("question") if q.get("type") != "category"]
        assert sorted(names) == sorted(q.id for q in approved(corpus, module)), module
    root = ET.parse(xml / "csec-101.xml").getroot()
    by_name = {q.findtext("name/text"): q for q in root.findall("question")}
    single = corpus.questions["zz-hostile-single"]
    q = by_name[single.id]
    assert html_words(q.findtext("questiontext/text")) == words(corpus, single.stem)
    assert [html_words(a.findtext("feedback/text")) for a in q.findall("answer")] == [
        words(corpus, c.feedback) for c in single.choices]
    assert [t.findtext("text") for t in q.findall("tags/tag")] == [" ".join(single.topic.split())]


@pytest.mark.parametrize("escape", ["\\x1b]0;TITLE\\a", "\\0", "\\x0b"])
def test_feedback_holding_a_character_xml_forbids_is_refused_before_any_export(tmp_path, escape):
    root = tmp_path / "root"
    copy_layers(root)
    bank = root / "content" / "questions" / "zz-control.yaml"
    bank.write_text(
        "questions:\n"
        "  - id: zz-control\n"
        "    module: csec-101\n"
        "    kind: single\n"
        "    stem: Which one?\n"
        "    choices:\n"
        f"      - {{text: 'A', correct: true, feedback: \"Yes {escape} here\"}}\n"
        "      - {text: 'B', correct: false, feedback: 'No.'}\n"
        "    cites: [acl-16-85#i-at-risk]\n"
        "    status: approved\n", encoding="utf-8")
    out = tmp_path / "out"
    result = export("moodle-xml", out, root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    code = {"\\x1b]0;TITLE\\a": "001B", "\\0": "0000", "\\x0b": "000B"}[escape]
    col = len("      - {text: 'A', correct: true, feedback: \"Yes ") + 1  # the escape itself
    assert lines[0] == (f"content/questions/zz-control.yaml:7:{col}: control character U+{code} is not allowed in "
                        "content text")
    assert not out.exists()
