"""Rule examples in tests/rules/*.yaml (OpenFisca style): each sentence-named example is one test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csec.rules import assess

EXAMPLES = Path(__file__).parent / "rules"
OUTCOME_KEYS = ("at_risk", "sex_trafficking", "labor_trafficking", "csec_data_grid")


def _examples():
    for file in sorted(EXAMPLES.glob("*.yaml")):
        for example in yaml.safe_load(file.read_text()):
            yield pytest.param(file.name, example, id=f"{file.stem}: {example['name']}")


@pytest.mark.parametrize(("file", "example"), list(_examples()))
def test_rule_example(corpus, file, example):
    result = assess(corpus, example["facts"])
    expect = example["expect"]
    where = f"{file}: {example['name']}"
    for key in OUTCOME_KEYS:
        if key in expect:
            assert getattr(result, key) == expect[key], f"{where}: {key}"
    if "allegations" in expect:
        assert sorted(result.allegations) == sorted(expect["allegations"]), f"{where}: allegations"
    ids = result.action_ids
    if "actions" in expect:
        assert ids == expect["actions"], f"{where}: actions"
    for action in expect.get("actions_include", []):
        assert action in ids, f"{where}: expected action {action}"
    for action in expect.get("actions_exclude", []):
        assert action not in ids, f"{where}: unexpected action {action}"
    by_id = {a["id"]: a for a in result.actions}
    for action, fields in expect.get("deadlines", {}).items():
        for key, value in fields.items():
            assert by_id[action][key] == value, f"{where}: {action}.{key}"


def test_examples_cover_every_contract_action_both_ways(corpus):
    """Each action the contract names is shown holding in one example and not holding in another."""
    from csec.rules import CONTRACT_ACTIONS

    seen_true, seen_false = set(), set()
    for param in _examples():
        _, example = param.values
        ids = set(assess(corpus, example["facts"]).action_ids)
        seen_true |= ids
        seen_false |= set(CONTRACT_ACTIONS) - ids
    assert set(CONTRACT_ACTIONS) <= seen_true
    assert set(CONTRACT_ACTIONS) <= seen_false
