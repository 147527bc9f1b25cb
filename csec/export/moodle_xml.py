"""Moodle XML question files, one per module (`<module>.xml`), in the elements Moodle's XML format reads."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from csec.export.errors import Format
from csec.export.moodle_grades import (
    ordering_feedback,
    step_label,
    true_is_correct,
    weights,
)
from csec.export.questions import PENALTY, LmsModule, LmsQuestion, category_path, tags


# Each module is a category and each topic a tag; text is HTML, in CDATA when it holds markup, as Moodle's writer does.
def text(value: str) -> str:
    """A <text> element; CDATA when VALUE has markup, with any ']]>' split across two sections."""
    if any(ch in value for ch in "<>&"):
        return "<text><![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"
    return f"<text>{escape(value)}</text>"


def _html(tag: str, value: str) -> str:
    return f'<{tag} format="html">{text(value)}</{tag}>'


def _common(q: LmsQuestion, kind: str, general_feedback: str = "") -> list[str]:
    return [f'  <question type="{kind}">', f"    <name>{text(q.id)}</name>", f"    {_html('questiontext', q.stem)}",
            f"    {_html('generalfeedback', general_feedback)}", "    <defaultgrade>1</defaultgrade>",
            f"    <penalty>{PENALTY}</penalty>", "    <hidden>0</hidden>", f"    <idnumber>{escape(q.id)}</idnumber>",
            *([f"    <tags>{''.join(f'<tag>{text(t)}</tag>' for t in tags(q))}</tags>"] if tags(q) else [])]


def question(q: LmsQuestion) -> str:
    if q.kind == "ordering":
        lines = _common(q, "matching", ordering_feedback(q)) + ["    <shuffleanswers>true</shuffleanswers>"]
        lines += [f'    <subquestion format="html">{text(c.html)}<answer>{text(step_label(i))}</answer></subquestion>'
                  for i, c in enumerate(q.choices, 1)]
    elif q.kind == "true_false":
        truth = true_is_correct(q)
        lines = _common(q, "truefalse")
        for choice in q.choices:
            says_true = choice.html.strip().lower() == "true"
            lines.append(f'    <answer fraction="{100 if says_true == truth else 0}" format="moodle_auto_format">'
                         f'{text("true" if says_true else "false")}{_html("feedback", choice.feedback)}</answer>')
    else:
        lines = _common(q, "multichoice") + [
            f"    <single>{'true' if q.kind == 'single' else 'false'}</single>",
            "    <shuffleanswers>true</shuffleanswers>", "    <answernumbering>abc</answernumbering>"]
        lines += [f'    <answer fraction={quoteattr(w)} format="html">{text(c.html)}{_html("feedback", c.feedback)}'
                  f"</answer>" for c, w in zip(q.choices, weights(q))]
    return "\n".join(lines + ["  </question>"])


def _category(path: str) -> str:
    return f'  <question type="category">\n    <category>{text(path)}</category>\n  </question>'


def module_file(module: LmsModule) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f"<!-- {escape(module.title).replace('--', '- -')}: approved questions exported by csec export "
             f"moodle-xml. Do not edit; re-export. -->", "<quiz>"]
    parts.append(_category(category_path(module.id)))
    parts.extend(question(q) for q in module.questions)
    return "\n".join(parts + ["</quiz>"]) + "\n"


def write_module(module: LmsModule, target: Path) -> None:
    target.write_text(module_file(module), encoding="utf-8")


FORMAT = Format("moodle-xml", ".xml", "Moodle XML", write_module)
