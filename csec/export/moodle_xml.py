"""Moodle XML question files, one per module (`<module>.xml`), in the elements Moodle's XML format reads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from csec.core.inert import XML_FORBIDDEN
from csec.export.errors import ExportError, Format
from csec.export.moodle_grades import (
    ordering_feedback,
    step_label,
    true_is_correct,
    weights,
)
from csec.export.questions import PENALTY, LmsModule, LmsQuestion, category_path, tags

# The tree is built with ElementTree, which escapes every text and attribute value itself: no string formatting
# ever puts content between tags. Each module is a category and each topic a tag; text is HTML, escaped as text
# (Moodle's reader takes entities and CDATA alike).


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    """<TAG ATTRS><text>VALUE</text></TAG> under PARENT."""
    element = _sub(parent, tag, **attrs)
    _sub(element, "text", value)
    return element


def _common(quiz: ET.Element, q: LmsQuestion, kind: str, general_feedback: str = "") -> ET.Element:
    question = _sub(quiz, "question", type=kind)
    _text(question, "name", q.id)
    _text(question, "questiontext", q.stem, format="html")
    _text(question, "generalfeedback", general_feedback, format="html")
    for tag, value in (("defaultgrade", "1"), ("penalty", PENALTY), ("hidden", "0"), ("idnumber", q.id)):
        _sub(question, tag, value)
    if tags(q):
        listed = _sub(question, "tags")
        for name in tags(q):
            _text(listed, "tag", name)
    return question


def question(quiz: ET.Element, q: LmsQuestion) -> None:
    if q.kind == "ordering":
        element = _common(quiz, q, "matching", ordering_feedback(q))
        _sub(element, "shuffleanswers", "true")
        for i, c in enumerate(q.choices, 1):
            sub = _text(element, "subquestion", c.html, format="html")
            _text(sub, "answer", step_label(i))
    elif q.kind == "true_false":
        truth = true_is_correct(q)
        element = _common(quiz, q, "truefalse")
        for choice in q.choices:
            says_true = choice.html.strip().lower() == "true"
            answer = _text(element, "answer", "true" if says_true else "false",
                           fraction=str(100 if says_true == truth else 0), format="moodle_auto_format")
            _text(answer, "feedback", choice.feedback, format="html")
    else:
        element = _common(quiz, q, "multichoice")
        _sub(element, "single", "true" if q.kind == "single" else "false")
        _sub(element, "shuffleanswers", "true")
        _sub(element, "answernumbering", "abc")
        for c, w in zip(q.choices, weights(q)):
            answer = _text(element, "answer", c.html, fraction=w, format="html")
            _text(answer, "feedback", c.feedback, format="html")


def _comment(title: str) -> ET.Element:
    # A comment may not hold '--' or end in '-' (XML 1.0 production [15]); the title is one line in it.
    title = re.sub(r"-(?=-)", "- ", " ".join(title.split()))
    return ET.Comment(f" {title}: approved questions exported by csec export moodle-xml. Do not edit; re-export. ")


def module_tree(module: LmsModule) -> ET.ElementTree:
    quiz = ET.Element("quiz")
    category = _sub(quiz, "question", type="category")
    _text(category, "category", category_path(module.id))
    for q in module.questions:
        question(quiz, q)
    quiz.insert(0, _comment(module.title))
    ET.indent(quiz)
    return ET.ElementTree(quiz)


def module_file(module: LmsModule) -> str:
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(module_tree(module).getroot(), encoding="unicode")
    # ElementTree writes any character it is given; one XML 1.0 forbids would make the file unreadable, so it is
    # refused here as well as by `csec validate` (which names the content line).
    found = XML_FORBIDDEN.search(text)
    if found:
        raise ExportError(f"module {module.id!r}: control character U+{ord(found.group()):04X} cannot be written "
                          "to XML; run csec validate")
    return text + "\n"


def write_module(module: LmsModule, target: Path) -> None:
    target.write_text(module_file(module), encoding="utf-8")


FORMAT = Format("moodle-xml", ".xml", "Moodle XML", write_module)
