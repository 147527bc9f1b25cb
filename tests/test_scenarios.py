"""Every vignette's expected outcome, checked against the engine one by one (OpenFisca style), and the coverage the
training needs: every at-risk branch, every data-grid type, every contract action both ways, contrastive pairs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from csec.engine.rules import CONTRACT_ACTIONS, COUNTY_CONTRACT_ACTIONS, assess

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "content" / "scenarios").glob("*.yaml"))
# A vignette describes exploitation when it has a commercial sex act or labor obtained by force, fraud or coercion.
EXPLOITATION_FACTS = ("commercial_sex_act", "force_fraud_or_coercion")
# Every vignette has an answer in each layer: the statewide baseline read alone, and Los Angeles County's (its
# amendment under counties/los-angeles/content/scenarios/ where the county's duties change the answer).
LAYERS = ("none", "los-angeles")


@pytest.fixture(scope="module")
def unchecked_corpora(repo_root):
    # Scenario expectations are also checked by `csec validate`; loading without that check lets each scenario
    # fail here on its own, naming its file and field, instead of failing the whole corpus fixture.
    from csec.training.corpus import loaded

    return {layer: loaded(repo_root, county=layer) for layer in LAYERS}


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("file", SCENARIOS, ids=[f.stem for f in SCENARIOS])
def test_scenario_expectation_matches_the_engine(unchecked_corpora, file, layer):
    corpus = unchecked_corpora[layer]
    scenario = corpus.scenarios[file.stem]
    result = assess(corpus, scenario.facts)
    expected = scenario.expected
    where = corpus.origin("scenarios", file.stem).place("expected")
    assert result.at_risk == expected.at_risk, f"{where}: at_risk"
    assert result.sex_trafficking == expected.sex_trafficking, f"{where}: sex_trafficking"
    assert result.labor_trafficking == expected.labor_trafficking, f"{where}: labor_trafficking"
    assert sorted(result.allegations) == sorted(expected.allegations), f"{where}: allegations"
    assert result.csec_data_grid == expected.csec_data_grid, f"{where}: csec_data_grid"
    assert sorted(result.action_ids) == sorted(expected.actions), f"{where}: actions"


def _all(corpus=None):
    """Each vignette as its file says, or, given a corpus, as that corpus reads it (county amendments applied)."""
    if corpus is not None:
        return [s.model_dump(by_alias=True) for s in corpus.scenarios.values()]
    return [yaml.safe_load(f.read_text()) for f in SCENARIOS]


def test_there_are_enough_vignettes_in_every_module(corpus):
    assert len(SCENARIOS) >= 24
    for module in ("csec-101", "csec-102", "labor-trafficking"):
        assert any(s["module"] == module for s in _all()), module


def test_every_data_grid_type_is_taught(corpus):
    taught = {s["expected"]["csec_data_grid"] for s in _all(corpus)}
    grid_types = {c.id for c in corpus.cwscms_codes.values() if c.kind == "data_grid_type"}
    assert grid_types <= taught


@pytest.mark.parametrize("layer", LAYERS)
def test_every_contract_action_appears_and_is_absent_somewhere(unchecked_corpora, layer):
    """In each layer, every duty of the contract that layer has is required by some vignette and not by another."""
    corpus = unchecked_corpora[layer]
    shown = [set(s["expected"]["actions"]) for s in _all(corpus)]
    duties = [a for a in CONTRACT_ACTIONS if a in corpus.rules]
    assert len(duties) >= len(CONTRACT_ACTIONS) - len(COUNTY_CONTRACT_ACTIONS)
    for action in duties:
        assert any(action in a for a in shown), f"no vignette requires {action} ({layer})"
        assert any(action not in a for a in shown), f"every vignette requires {action} ({layer})"


def test_every_at_risk_branch_and_the_key_distinctions_are_covered(corpus):
    strong = {i.id for i in corpus.indicators.values() if i.group == "strong"}
    other = {i.id for i in corpus.indicators.values() if i.group == "other"}
    cases = [(s, {k for k, v in s["facts"].items() if v is True}) for s in _all(corpus)]

    def any_case(pred):
        return any(pred(s, true) for s, true in cases)

    assert any_case(lambda s, t: len(t & strong) == 1 and not t & other and s["expected"]["at_risk"])
    assert any_case(lambda s, t: not t & strong and len(t & other) == 2 and s["expected"]["at_risk"])
    assert any_case(lambda s, t: not t & strong and len(t & other) == 1 and not s["expected"]["at_risk"])
    # Labor without force, fraud or coercion: child labor, not trafficking.
    assert any_case(lambda s, t: "labor_or_services_for_another" in t and "force_fraud_or_coercion" not in t
                    and not s["expected"]["labor_trafficking"])
    # Co-occurrence: two or more allegations entered separately.
    assert any_case(lambda s, t: len(s["expected"]["allegations"]) >= 2)
    # Strong and other indicators together.
    assert any_case(lambda s, t: t & strong and len(t & other) >= 2 and s["expected"]["at_risk"])
    # Labor trafficking in a legal setting and in criminal activity.
    assert any_case(lambda s, t: {"labor_or_services_for_another", "force_fraud_or_coercion"} <= t
                    and "exploiting_childs_labor" in s["expected"]["allegations"])
    assert any_case(lambda s, t: {"illicit_activity", "force_fraud_or_coercion"} <= t
                    and "involving_child_in_criminal_activity" in s["expected"]["allegations"])
    # An adult (nonminor dependent): a commercial sex act is sex trafficking with force, fraud or coercion only.
    adult_sex_act = lambda s, t: s["facts"].get("age", 0) >= 18 and "commercial_sex_act" in t  # noqa: E731
    assert any_case(lambda s, t: adult_sex_act(s, t) and "force_fraud_or_coercion" not in t
                    and not s["expected"]["sex_trafficking"])
    assert any_case(lambda s, t: adult_sex_act(s, t) and "force_fraud_or_coercion" in t
                    and s["expected"]["sex_trafficking"])
    # A missing youth at risk who receives child welfare services; a return from running away; a foreign national
    # minor; an Indian child missing from care.
    assert any_case(lambda s, t: {"missing", "receiving_child_welfare_services"} <= t and s["expected"]["at_risk"]
                    and {"report_missing_to_law_enforcement_for_ncic", "report_missing_to_ncmec",
                         "confirm_whereabouts_every_30_days"} <= set(s["expected"]["actions"]))
    assert any_case(lambda s, t: "returned_from_runaway" in t and "assess_for_cse_on_return" in s["expected"]["actions"])
    assert any_case(lambda s, t: "foreign_national" in t and "notify_otip" in s["expected"]["actions"])
    assert any_case(lambda s, t: {"indian_child", "missing"} <= t and "notify_tribe" in s["expected"]["actions"])


@pytest.mark.parametrize("layer", LAYERS)
def test_contrastive_pairs_differ_in_one_fact_and_flip_the_answer(unchecked_corpora, layer):
    by_id = {s["id"]: s for s in _all(unchecked_corpora[layer])}
    pairs = [s for s in by_id.values() if s.get("contrast_with")]
    assert len(pairs) >= 4
    for second in pairs:
        first = by_id[second["contrast_with"]]
        changed = {k for k in set(first["facts"]) | set(second["facts"])
                   if first["facts"].get(k) != second["facts"].get(k)}
        assert second["changed_fact"] in changed, second["id"]
        assert first["expected"] != second["expected"], f"{second['id']}: the answer does not flip"


def test_every_vignette_is_in_its_module_once(corpus):
    listed = {}
    for module in corpus.modules.values():
        for sid in module.scenarios:
            assert sid not in listed, f"{sid} is listed by {listed.get(sid)} and {module.id}"
            listed[sid] = module.id
    for s in _all():
        assert listed.get(s["id"]) == s["module"], f"content/scenarios/{s['id']}.yaml: module {s['module']!r} does not list it"


def test_vignettes_are_fictional_warned_and_use_trauma_informed_language(corpus):
    for s in _all(corpus):
        assert s["fictional"] is True
        assert s["narrative"].lstrip().startswith("*Fictional case for training."), s["id"]
        if any(s["facts"].get(f) for f in EXPLOITATION_FACTS):
            assert s.get("content_warning"), f"{s['id']} describes exploitation without a content warning"
        for field in ("narrative", "debrief", "county_debrief", "summary", "title"):
            assert not re.search(r"prostitut", s.get(field) or "", re.I), f"{s['id']}: {field}"
