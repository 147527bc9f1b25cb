"""Malformed rules are content errors: `csec validate` prints one line `path:line:col: message` and exits 1."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from csec_cli import copy_layers

CSEC = Path(sys.executable).with_name("csec")

RULES = "content/policy/rules.yaml"
# Each case: a (old, new) edit of the real rules file and the message the author should read.
CASES = {
    "unknown fact": (("all: [{fact: foreign_national}, {rule: minor}",
                      "all: [{fact: foreign_born}, {rule: minor}"),
                     "unknown fact 'foreign_born'"),
    "unknown rule": (("        - {fact: labor_trafficking_suspected}\n        - {rule: labor_trafficking}\n",
                      "        - {fact: labor_trafficking_suspected}\n        - {rule: labour_trafficking}\n"),
                     "unknown rule 'labour_trafficking'"),
    "cycle": (("when: {fact: age, lt: 18}", "when: {rule: sex_trafficking}"),
              "rules refer to each other in a cycle"),
    "type error": (("when: {fact: age, lt: 18}", "when: {fact: age, lt: 'eighteen'}"), "when.lt: Input should be a valid integer"),
    "enum value": (("{fact: exploitation_timing, eq: during_foster_care}",
                    "{fact: exploitation_timing, eq: in_care}"), "does not fit enum fact 'exploitation_timing'"),
    "impossible count": (("{count: {indicator_group: other}, at_least: 2}",
                          "{count: {indicator_group: other}, at_least: 9}"), "can never hold"),
    "unknown group": (("{count: {indicator_group: other}, at_least: 2}",
                       "{count: {indicator_group: weak}, at_least: 2}"), "unknown indicator group 'weak'"),
    "stale number": (("at least {at_least:other} of\n      indicators D–H", "at least 2 of\n      indicators D–H"),
                     "write {at_least:other}"),
    "bad placeholder": (("report {deadline} to the National Center", "report {within_minutes} to the National Center"),
                        "placeholder {within_minutes} names nothing"),
    "condition keyword": (("when: {fact: age, lt: 18}", "when: {fakt: age}"),
                          "a condition needs one of: all, any, not, fact, count, rule"),
    "missing contract action": (("  - id: notify_tribe\n", "  - id: notify_tribes\n"),
                                "required rule 'notify_tribe' is missing"),
}


@pytest.fixture
def content_copy(repo_root, tmp_path):
    copy_layers(tmp_path)
    return tmp_path


@pytest.fixture
def rules_only_copy(content_copy):
    """The content without the training material: a threshold edit rightly fails the vignettes whose answer it
    flips (tests/test_question_banks.py shows that); these tests are about the rule itself and its rendering."""
    for layer in (content_copy / "content", *content_copy.glob("counties/*/content")):
        for folder in ("scenarios", "questions"):
            shutil.rmtree(layer / folder, ignore_errors=True)  # a county's questions override statewide ones
    return content_copy


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_rule_gives_one_line(content_copy, case):
    (old, new), needle = CASES[case]
    path = content_copy / RULES
    text = path.read_text()
    assert old in text, f"the edit for {case!r} no longer matches rules.yaml"
    path.write_text(text.replace(old, new, 1))
    out = subprocess.run([str(CSEC), "validate", str(content_copy)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    assert re.match(rf"^{re.escape(RULES)}:\d+:\d+: ", lines[0])
    assert needle in lines[0]
    assert "Traceback" not in out.stdout + out.stderr


def test_threshold_edit_changes_engine_and_rendered_text(rules_only_copy):
    """Editing a threshold in YAML changes the engine's answer and the manual's words together."""
    from csec.training.corpus import checked
    from csec.engine.rules import assess, render_rule

    two_others = {"age": 15, "frequent_truancy": True, "concerning_relationships": True}
    content_copy = rules_only_copy
    before = checked(content_copy)
    assert assess(before, two_others).at_risk
    assert "at least 2 of indicators D–H" in " ".join(render_rule(before, "at_risk").split())

    path = content_copy / RULES
    path.write_text(path.read_text().replace("{count: {indicator_group: other}, at_least: 2}",
                                             "{count: {indicator_group: other}, at_least: 3}"))
    after = checked(content_copy)
    assert not assess(after, two_others).at_risk
    assert assess(after, {**two_others, "frequent_truancy": True, "hard_substance_abuse": True}).at_risk
    assert "at least 3 of indicators D–H" in " ".join(render_rule(after, "at_risk").split())


def _render_rule_page(root, out):
    """Render one MyST page holding `{csec-rule} at_risk` with the real Sphinx extension, return its HTML text."""
    # In a process of its own, as sphinx-build runs: Sphinx keeps global state (docutils' registries, the default of
    # source_suffix) that a build this test process forks later would inherit (tests/csec_cli.py).
    src = out / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(f"extensions = ['myst_parser', 'csec.sphinx']\ncsec_root = {str(root)!r}\n"
                                 "suppress_warnings = ['toc.not_readable']\n")
    (src / "index.md").write_text("# Rule\n\n```{csec-rule} at_risk\n```\n")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), str(src),
                           str(out / "html")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return (out / "html" / "index.html").read_text()


def test_threshold_edit_changes_the_rendered_manual_page(rules_only_copy, tmp_path):
    content_copy = rules_only_copy
    import re as _re

    def words(html):
        return " ".join(_re.sub(r"<[^>]+>", " ", html).split())

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = words(_render_rule_page(content_copy, tmp_path / "a"))
    assert "at least 2 of indicators D–H" in before
    path = content_copy / RULES
    path.write_text(path.read_text().replace("{count: {indicator_group: other}, at_least: 2}",
                                             "{count: {indicator_group: other}, at_least: 3}"))
    after = words(_render_rule_page(content_copy, tmp_path / "b"))
    assert "at least 3 of indicators D–H" in after and "at least 2 of indicators D" not in after
    assert "ACL 16-85" in after  # the rendered rule shows its citation
