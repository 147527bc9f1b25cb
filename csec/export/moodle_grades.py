"""What the GIFT and Moodle XML writers share: the answer weights Moodle accepts, and ordering as matching."""

from __future__ import annotations

from fractions import Fraction

from csec.export.errors import ExportError
from csec.export.questions import LmsQuestion

# Moodle's import refuses an answer weight that is not one of its grade options (question_bank's fraction options:
# 1/q for q up to 10, p/q for q up to 6, tenths, 1/20, and their negatives; matched within 0.00001), so a multiple
# answer question with k correct choices gives each 100/k percent and each of its w wrong choices -100/w percent:
# all correct scores 100%, every choice ticked scores 0.
_OPTIONS = {Fraction(p, q) for q in range(1, 11) for p in range(0, q + 1) if q <= 6 or p == 1 or q == 10}
_OPTIONS |= {Fraction(1, 20)}


def percent(value: Fraction) -> str:
    """A weight as Moodle writes it: '100', '50', '33.33333', '-25'."""
    text = f"{float(value * 100):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def weights(q: LmsQuestion) -> list[str]:
    """Each choice's weight in percent, in choice order."""
    if q.kind != "multiple":
        return ["100" if c.correct else "0" for c in q.choices]
    right = sum(c.correct for c in q.choices)
    wrong = len(q.choices) - right
    out = []
    for c in q.choices:
        share = Fraction(1, right) if c.correct else -Fraction(1, wrong)
        if abs(share) not in _OPTIONS:
            raise ExportError(f"question {q.id}: Moodle has no grade of {percent(share)}% for one of "
                              f"{right if c.correct else wrong} {'right' if c.correct else 'wrong'} choices "
                              f"(at most 10 of each)")
        out.append(percent(share))
    return out


def step_label(position: int) -> str:
    """What an ordering question's step is matched to ('Step 1', ...): matching is how Moodle asks for an order."""
    return f"Step {position}"


def ordering_feedback(q: LmsQuestion) -> str:
    """The steps' explanations in the right order, as one HTML list (a matching question has no per-answer feedback)."""
    return "<ol>" + "".join(f"<li>{c.html}: {c.feedback}</li>" for c in q.choices) + "</ol>"


def true_is_correct(q: LmsQuestion) -> bool:
    """Whether a true_false question's right answer is its choice worded "True" (Moodle stores the truth value)."""
    for choice in q.choices:
        if choice.html.strip().lower() in ("true", "false"):
            return choice.correct == (choice.html.strip().lower() == "true")
    raise ExportError(f"question {q.id}: a true_false question needs a choice worded True or False")
