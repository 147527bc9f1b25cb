"""Rule examples in tests/rules/*.yaml (OpenFisca style): each sentence-named example is one test, read through a
schema that refuses unknown keys and names (tests/rule_examples.py)."""

from __future__ import annotations

import pytest

from csec.engine.rules import CONTRACT_ACTIONS, FactsError, assess
from rule_examples import Example, check_names, load_examples

OUTCOME_KEYS = ("at_risk", "sex_trafficking", "labor_trafficking", "csec_data_grid", "needs")
EXAMPLES = load_examples()


@pytest.fixture(scope="module")
def layers(corpus, repo_root):
    """The corpus an example names (`county:`), loaded once each; the configured one by default."""
    from csec.training.corpus import checked

    loaded = {None: corpus}

    def get(county):
        if county not in loaded:
            loaded[county] = checked(repo_root, county=county)
        return loaded[county]
    return get


@pytest.mark.parametrize(("file", "example"), EXAMPLES, ids=[f"{f[:-5]}: {e.name}" for f, e in EXAMPLES])
def test_rule_example(layers, file, example: Example):
    corpus = layers(example.county)
    where = f"{file}: {example.name}"
    assert not check_names(corpus, example), f"{where}: {check_names(corpus, example)}"
    expect = example.expect
    if expect.refused is not None:
        with pytest.raises(FactsError) as refused:
            assess(corpus, example.facts)
        for fact in expect.refused:
            assert repr(fact) in str(refused.value), f"{where}: the refusal names {fact!r}: {refused.value}"
        return
    result = assess(corpus, example.facts)
    for key in OUTCOME_KEYS:
        if key in expect.given:
            assert getattr(result, key) == getattr(expect, key), f"{where}: {key}"
    if "allegations" in expect.given:
        got = None if result.allegations is None else sorted(result.allegations)
        want = None if expect.allegations is None else sorted(expect.allegations)
        assert got == want, f"{where}: allegations"
    ids = result.action_ids
    if "actions" in expect.given:
        assert ids == expect.actions, f"{where}: actions"
    for action in expect.actions_include:
        assert action in (ids or []), f"{where}: expected action {action}"
    for action in expect.actions_exclude:
        assert ids is not None and action not in ids, f"{where}: unexpected action {action}"
    if "find_out" in expect.given:
        assert [e["fact"] for e in result.find_out] == expect.find_out, f"{where}: find_out"
    entries = {e["fact"]: e for e in result.find_out}
    for fact, outputs in expect.could_change.items():
        assert entries.get(fact, {}).get("could_change") == outputs, f"{where}: {fact} could change"
    by_id = {a["id"]: a for a in result.actions or []}
    for action, fields in expect.deadlines.items():
        for key, value in fields.items():
            assert by_id[action][key] == value, f"{where}: {action}.{key}"


def test_examples_cover_every_contract_action_both_ways(corpus):
    """Each action the contract names is shown holding in one example and not holding in another."""
    seen_true, seen_false = set(), set()
    for _, example in EXAMPLES:
        if example.expect.refused is not None or example.county is not None:
            continue
        ids = assess(corpus, example.facts).action_ids
        if ids is None:
            continue
        seen_true |= set(ids)
        seen_false |= set(CONTRACT_ACTIONS) - set(ids)
    assert set(CONTRACT_ACTIONS) <= seen_true
    assert set(CONTRACT_ACTIONS) <= seen_false


@pytest.mark.parametrize("bad", [
    {"name": "typo in an expected key", "facts": {"age": 15}, "expect": {"at_rsk": True}},
    {"name": "typo in a top-level key", "facts": {"age": 15}, "expects": {"at_risk": True}},
])
def test_the_schema_refuses_unknown_keys(tmp_path, bad):
    import yaml

    (tmp_path / "bad.yaml").write_text(yaml.safe_dump([bad]))
    with pytest.raises(ValueError, match="bad.yaml example 1"):
        load_examples(tmp_path)


@pytest.mark.parametrize(("expect", "message"), [
    ({}, "expect names nothing to check"),
    ({"actions_include": []}, "actions_include names nothing to check"),
    ({"at_risk": True, "actions_exclude": []}, "actions_exclude names nothing to check"),
    ({"deadlines": {}}, "deadlines names nothing to check"),
    ({"deadlines": {"report_to_law_enforcement": {}}}, "deadlines.report_to_law_enforcement names nothing to check"),
    ({"refused": []}, "refused names nothing to check"),
    ({"refused": ["age"], "at_risk": True}, "refused takes no other expectation"),
])
def test_the_schema_refuses_an_expectation_that_checks_nothing(tmp_path, expect, message):
    import yaml

    (tmp_path / "vacuous.yaml").write_text(yaml.safe_dump([{"name": "checks nothing", "facts": {"age": 15},
                                                            "expect": expect}]))
    with pytest.raises(ValueError, match="vacuous.yaml example 1 \\(checks nothing\\): expect: ") as refused:
        load_examples(tmp_path)
    assert message in str(refused.value)


def test_a_null_expectation_is_an_expectation():
    # `at_risk: null` expects the engine to leave the answer open (a fact it needs is unknown): it checks something.
    example = Example.model_validate({"name": "age unknown", "facts": {}, "expect": {"at_risk": None}})
    assert example.expect.given == {"at_risk"} and example.expect.at_risk is None


def test_the_schema_refuses_unknown_names(corpus):
    example = Example.model_validate({"name": "typo in a fact", "facts": {"age": 15, "comercial_sex_act": True},
                                      "expect": {"actions_include": ["report_to_law_enforcment"]}})
    problems = check_names(corpus, example)
    assert "unknown fact 'comercial_sex_act'" in problems
    assert "unknown action 'report_to_law_enforcment'" in problems
