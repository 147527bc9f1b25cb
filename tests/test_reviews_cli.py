"""Review records through the real CLI: an approved item whose last review did not approve it fails `csec validate`
naming both places, review dates run oldest first, and `csec review` lists what waits for whom."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from csec_cli import REPO, content_copy, run_csec as _csec

QUESTIONS = Path("counties/los-angeles/content/policy/investigative-questions.yaml")
AT = re.escape(QUESTIONS.as_posix())  # the file as error lines name it


@pytest.fixture
def root(tmp_path) -> Path:
    return content_copy(tmp_path)


def _edit(root: Path, old: str, new: str) -> None:
    path = root / QUESTIONS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_approved_item_whose_last_review_is_pending_is_refused_naming_both(root):
    _edit(root, "    status: in_review\n    reviews:", "    status: approved\n    reviews:")
    result = _csec("validate", str(root))
    assert result.returncode == 1
    lines = [l for l in result.stdout.splitlines() if "status 'approved'" in l]
    assert len(lines) == 1, result.stdout
    status_at = re.match(rf"^{AT}:(\d+):\d+: ", lines[0])
    decision_at = re.search(rf"\({AT}:(\d+):\d+: UPE \(union\), 2025-02-05\)",
                            lines[0])
    assert status_at and decision_at, lines[0]
    text = (root / QUESTIONS).read_text(encoding="utf-8").splitlines()
    assert text[int(status_at.group(1)) - 1].strip() == "status: approved"
    assert text[int(decision_at.group(1)) - 1].strip() == "decision: requested"
    assert "'requested', not approved" in lines[0]


def test_approved_item_with_an_approving_last_review_passes(root):
    _edit(root, "    status: in_review\n    reviews:", "    status: approved\n    reviews:")
    _edit(root, "    ambiguity:", "      - {reviewer: UPE (union), date: 2025-03-01, decision: approve, release: r-2025-03}\n"
                "    ambiguity:")
    result = _csec("validate", str(root))
    assert result.returncode == 0, result.stdout


def test_reviews_out_of_date_order_are_refused(root):
    _edit(root, "    ambiguity:", "      - {reviewer: UPE (union), date: 2024-01-01, decision: request_changes}\n"
                "    ambiguity:")
    result = _csec("validate", str(root))
    assert result.returncode == 1
    assert re.search(rf"^{AT}:\d+:\d+: review dated 2024-01-01 comes after "
                     r"one dated 2025-02-05", result.stdout, re.M), result.stdout


def test_old_review_key_is_an_unknown_key_naming_reviews(root):
    _edit(root, "    reviews:\n", "    review:\n")
    result = _csec("validate", str(root))
    assert result.returncode == 1
    assert re.search(r"unknown key 'review' \(did you mean 'reviews'\?\)", result.stdout), result.stdout


def test_review_lists_what_awaits_whom_with_days_waiting():
    result = _csec("review", str(REPO))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    days = (dt.date.today() - dt.date(2025, 2, 5)).days
    assert lines[0] == "UPE (union): 5 items"
    assert re.match(rf"^  {AT}:\d+: Open-ended questions for youth "
                    rf"\(in review, {days} days waiting\)$", lines[2]), lines[2]


def test_review_json_names_reviewer_place_and_wait():
    result = _csec("review", str(REPO), "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    sets = [e for e in entries if e["kind"] == "question_sets"]
    assert len(sets) == 5 and {e["reviewer"] for e in sets} == {"UPE (union)"}
    first = sets[0]
    line = (REPO / first["path"]).read_text(encoding="utf-8").splitlines()[first["line"] - 1]
    assert line.strip() == f"- id: {first['id']}"
    assert first["requested"] == "2025-02-05"
    assert first["days_waiting"] == (dt.date.today() - dt.date(2025, 2, 5)).days
