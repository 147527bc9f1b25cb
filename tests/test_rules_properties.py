"""Properties of the rules that must hold for every combination of facts (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec.rules import assess

BOOL_FACTS = [
    "receiving_child_welfare_services", "controlled_or_groomed", "time_with_people_in_commercial_sex",
    "atypical_online_sexual_behavior", "runaway_or_unstable_housing", "law_enforcement_involvement",
    "frequent_truancy", "concerning_relationships", "hard_substance_abuse", "commercial_sex_act",
    "force_fraud_or_coercion", "labor_or_services_for_another", "illicit_activity", "missing",
    "returned_from_runaway", "foreign_national", "indian_child",
]
TIMINGS = [None, "before_foster_care", "during_foster_care", "open_case_not_in_foster_care",
           "while_absent_from_placement", "closed_case_ilp"]


@st.composite
def facts(draw):
    out = {name: draw(st.booleans()) for name in BOOL_FACTS}
    age = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=25)))
    if age is not None:
        out["age"] = age
    timing = draw(st.sampled_from(TIMINGS))
    if timing:
        out["exploitation_timing"] = timing
    return out


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(facts(), st.data())
def test_adding_an_indicator_never_turns_at_risk_off(corpus, f, data):
    indicators = list(corpus.indicators)
    extra = data.draw(st.sampled_from(indicators))
    before = assess(corpus, f).at_risk
    after = assess(corpus, {**f, extra: True}).at_risk
    assert after or not before


@SETTINGS
@given(facts(), st.integers(min_value=0, max_value=17))
def test_a_minor_with_a_commercial_sex_act_is_always_a_sex_trafficking_victim(corpus, f, age):
    result = assess(corpus, {**f, "age": age, "commercial_sex_act": True})
    assert result.sex_trafficking
    assert "commercial_sexual_exploitation" in result.allegations


@SETTINGS
@given(facts())
def test_without_a_commercial_sex_act_there_is_never_a_cse_allegation(corpus, f):
    result = assess(corpus, {**f, "commercial_sex_act": False})
    assert "commercial_sexual_exploitation" not in result.allegations
    assert not result.sex_trafficking


@SETTINGS
@given(facts())
def test_labor_trafficking_never_holds_without_force_fraud_or_coercion(corpus, f):
    result = assess(corpus, {**f, "force_fraud_or_coercion": False})
    assert not result.labor_trafficking
    assert not {"exploiting_childs_labor", "involving_child_in_criminal_activity"} & set(result.allegations)


@SETTINGS
@given(facts())
def test_data_grid_is_a_victim_type_exactly_for_victims_with_a_timing(corpus, f):
    result = assess(corpus, f)
    grid = result.csec_data_grid
    if result.sex_trafficking and f.get("exploitation_timing"):
        assert grid is not None and grid.startswith("victim_")
    elif result.sex_trafficking:
        assert grid is None
    elif result.at_risk:
        assert grid == "at_risk"
    else:
        assert grid is None
    # The grid is one of the CWS/CMS data grid codes the content declares.
    assert grid is None or corpus.cwscms_codes[grid].kind == "data_grid_type"


@SETTINGS
@given(facts())
def test_every_action_and_reason_cites_a_declared_source(corpus, f):
    result = assess(corpus, f).as_dict()
    for item in result["actions"] + result["reasons"]:
        assert item["cites"]
        for cite in item["cites"]:
            assert cite.split("#")[0] in corpus.sources
