"""Moodle GIFT files, one per module (`<module>.gift`): a `$CATEGORY: <module>`, then each question tagged with its topic."""

from __future__ import annotations

from pathlib import Path

from csec.export.errors import Format
from csec.export.moodle_grades import (
    ordering_feedback,
    step_label,
    true_is_correct,
    weights,
)
from csec.export.questions import LmsModule, LmsQuestion, category_path, tags

# Escaping follows Moodle's own GIFT writer and reader (question/format/gift/format.php: repchar() on export,
# escapedchar_pre()/escapedchar_post() on import): a backslash is written as two, each of ~ = # { } : gets a backslash
# in front, and a line break is written as backslash-n. Text is HTML ("[html]" on the question text, which answers and
# feedback inherit), so & < > are entities already; a leading '[' or '%' becomes an entity too, because the reader
# would take it for a format name or an answer weight.
_RESERVED = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n",
             "\r": ""}
_LEADING = {"[": "&#91;", "%": "&#37;"}


def escape(text: str) -> str:
    """TEXT as one GIFT field that Moodle's reader gives back unchanged."""
    text = text.strip()
    if text[:1] in _LEADING:
        text = _LEADING[text[0]] + text[1:]
    return "".join(_RESERVED.get(ch, ch) for ch in text)


def category(path: str) -> str:
    # The reader applies escapedchar_pre() to a $CATEGORY line but never escapedchar_post(), so only a doubled
    # backslash comes back as itself; every other character is taken literally.
    return f"$CATEGORY: {path.replace(chr(92), chr(92) * 2)}"


def _tag(tag: str) -> str:
    # The reader takes a tag from a comment as [tag:...] up to the first ']' not escaped, and no control character.
    return f" [tag:{''.join(' ' if ord(ch) < 32 or ord(ch) == 127 else ch for ch in tag).replace(']', chr(92) + ']')}]"


def question(q: LmsQuestion) -> str:
    head = f"// [id:{q.id}]{''.join(_tag(t) for t in tags(q))}\n::{escape(q.id)}::[html]{escape(q.stem)} {{\n"
    if q.kind == "true_false":
        right = next(c for c in q.choices if c.correct)
        wrong = next(c for c in q.choices if not c.correct)
        # The reader's order is {ANSWER#feedback when wrong#feedback when right}.
        answer = "TRUE" if true_is_correct(q) else "FALSE"
        return f"{head}\t{answer}#{escape(wrong.feedback)}#{escape(right.feedback)}\n}}\n"
    if q.kind == "ordering":
        pairs = "".join(f"\t={escape(c.html)} -> {step_label(i)}\n" for i, c in enumerate(q.choices, 1))
        return f"{head}{pairs}\t####{escape(ordering_feedback(q))}\n}}\n"
    lines = []
    for choice, weight in zip(q.choices, weights(q)):
        mark = ("=" if choice.correct else "~") if q.kind == "single" else f"~%{weight}%"
        lines.append(f"\t{mark}{escape(choice.html)}#{escape(choice.feedback)}\n")
    return head + "".join(lines) + "}\n"


def module_file(module: LmsModule) -> str:
    # A comment is one line: a break in the title would end it, and a blank line start a question.
    title = " ".join(module.title.split())
    blocks = [f"// {title}: approved questions exported by `csec export gift`. Do not edit; re-export."]
    blocks.append(category(category_path(module.id)))
    blocks.extend(question(q) for q in module.questions)
    # Moodle splits questions at blank lines.
    return "\n\n".join(b.rstrip("\n") for b in blocks) + "\n"


def write_module(module: LmsModule, target: Path) -> None:
    target.write_text(module_file(module), encoding="utf-8")


FORMAT = Format("gift", ".gift", "Moodle GIFT", write_module)
