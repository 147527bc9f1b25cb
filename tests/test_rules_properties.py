"""Properties of the rules that must hold for every combination of facts (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from csec.engine.explain import explain
from csec.engine.rules import FactsError, assess

CHILD_ABUSE_ALLEGATIONS = {"commercial_sexual_exploitation", "exploiting_childs_labor",
                           "involving_child_in_criminal_activity"}
CHILD_ONLY_ACTIONS = {"call_child_protection_hotline", "tag_referral_s_csec", "complete_emergency_response_protocol",
                      "in_person_investigation", "contact_law_enforcement_cse",
                      "contact_law_enforcement_labor_trafficking", "notify_otip"}
SERVICE_ACTIONS = {"document_in_cws_cms", "determine_services", "convene_cft", "report_to_law_enforcement",
                   "report_missing_to_law_enforcement_for_ncic", "report_missing_to_ncmec",
                   "confirm_whereabouts_every_30_days", "notify_tribe"}
FORCE = ("sex_act_force_fraud_or_coercion", "labor_force_fraud_or_coercion", "illicit_force_fraud_or_coercion",
         "force_fraud_or_coercion")


@st.composite
def facts(draw, vocab=None):
    """Any facts in the vocabulary: every boolean, any age (or none), any case status and timing (or none)."""
    out = {}
    for fact in vocab.values():
        if fact.type == "bool":
            out[fact.id] = draw(st.booleans())
        elif fact.type == "enum" and draw(st.booleans()):
            out[fact.id] = draw(st.sampled_from(fact.values))
    age = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=60)))
    if age is not None:
        out["age"] = age
    return out


def _assess(corpus, f):
    try:
        return assess(corpus, f)
    except FactsError:
        assume(False)  # contradictory facts are refused (tested in tests/rules); the properties are about answers


def _answer_or_refused(corpus, f):
    try:
        return assess(corpus, f)
    except FactsError:
        return None


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_strategy_draws_every_fact(corpus, data):
    """The generator is built from the vocabulary, so a new fact is explored without editing this file."""
    drawn = data.draw(facts(corpus.facts))
    assert set(drawn) <= set(corpus.facts)
    assert {f.id for f in corpus.facts.values() if f.type == "bool"} <= set(drawn)


@SETTINGS
@given(st.data())
def test_adding_an_indicator_never_turns_at_risk_off(corpus, data):
    f = data.draw(facts(corpus.facts))
    extra = data.draw(st.sampled_from(list(corpus.indicators)))
    before = _assess(corpus, f).at_risk
    after = _assess(corpus, {**f, extra: True}).at_risk
    assert after is not False or before is False


@SETTINGS
@given(st.data(), st.integers(min_value=0, max_value=17))
def test_a_minor_with_a_commercial_sex_act_is_always_a_sex_trafficking_victim(corpus, data, age):
    f = data.draw(facts(corpus.facts))
    result = _assess(corpus, {**f, "age": age, "commercial_sex_act": True})
    assert result.sex_trafficking is True
    assert "commercial_sexual_exploitation" in result.allegations


@SETTINGS
@given(st.data(), st.integers(min_value=18, max_value=60))
def test_no_child_abuse_allegation_and_no_child_only_duty_from_the_age_of_majority(corpus, data, age):
    f = data.draw(facts(corpus.facts))
    result = _assess(corpus, {**f, "age": age})
    assert not CHILD_ABUSE_ALLEGATIONS & set(result.allegations)
    assert not CHILD_ONLY_ACTIONS & set(result.action_ids)


@SETTINGS
@given(st.data(), st.integers(min_value=22, max_value=60))
def test_past_21_no_child_welfare_duty_at_all(corpus, data, age):
    f = data.draw(facts(corpus.facts))
    f = {**f, "age": age, "receiving_child_welfare_services": False}
    f.pop("case_status", None)  # no case status that implies services (A-D end at 21)
    result = _assess(corpus, f)
    assert result.at_risk is False
    assert result.csec_data_grid is None
    assert not (CHILD_ONLY_ACTIONS | SERVICE_ACTIONS) & set(result.action_ids)


@SETTINGS
@given(st.data())
def test_without_an_age_no_answer_reads_the_youth_as_an_adult_or_a_minor(corpus, data):
    f = data.draw(facts(corpus.facts))
    f.pop("age", None)
    result = _assess(corpus, f)
    # A minor, a young adult who may still receive services, and an adult past 21. An age the other facts refuse
    # (a case status that ends at 21, say) is left out: that age cannot be the youth's.
    aged = [a for age in (15, 20, 30) if (a := _answer_or_refused(corpus, {**f, "age": age})) is not None]
    assert aged, "the facts were taken without an age but refused at every age"
    for key in ("at_risk", "sex_trafficking", "labor_trafficking", "allegations", "csec_data_grid"):
        if len({repr(getattr(a, key)) for a in aged}) > 1:  # it depends on age: without one it stays open and asks
            assert getattr(result, key) is None and "age" in result.needs, key
    if len({tuple(a.action_ids) for a in aged}) > 1:
        assert result.actions is None and "age" in result.needs
    assert "adult" not in explain(corpus, result).lower()


@SETTINGS
@given(st.data())
def test_without_a_commercial_sex_act_or_a_recruiter_role_there_is_never_a_cse_allegation(corpus, data):
    f = data.draw(facts(corpus.facts))
    result = _assess(corpus, {**f, "age": 15, "commercial_sex_act": False, "recruits_or_exploits_others": False})
    assert "commercial_sexual_exploitation" not in result.allegations
    assert result.sex_trafficking is False


@SETTINGS
@given(st.data())
def test_labor_trafficking_never_holds_without_force_fraud_or_coercion(corpus, data):
    f = data.draw(facts(corpus.facts))
    result = _assess(corpus, {**f, "age": 15, **{k: False for k in FORCE}})
    assert result.labor_trafficking is False
    assert not {"exploiting_childs_labor", "involving_child_in_criminal_activity"} & set(result.allegations)


@SETTINGS
@given(st.data())
def test_each_form_reads_its_own_force(corpus, data):
    """Force in one form never makes another form trafficking (ACL 16-85 §I; LA guide, entered separately)."""
    f = data.draw(facts(corpus.facts))
    f = {**f, "age": 19, "force_fraud_or_coercion": False, "sex_act_force_fraud_or_coercion": False}
    assert _assess(corpus, f).sex_trafficking is False


@SETTINGS
@given(st.data())
def test_data_grid_is_a_victim_type_only_for_victims_receiving_services(corpus, data):
    f = data.draw(facts(corpus.facts))
    f["age"] = data.draw(st.integers(min_value=0, max_value=21))
    result = _assess(corpus, f)
    grid = result.csec_data_grid
    if grid is not None:
        receives = result.holds["receives_child_welfare_services"]
        assert receives, "the CSEC data grid is for children receiving child welfare services (ACL 16-85 §II)"
        assert grid.startswith("victim_") == bool(result.sex_trafficking)
        assert corpus.cwscms_codes[grid].kind == "data_grid_type"


@SETTINGS
@given(st.data())
def test_every_action_and_reason_cites_a_declared_source(corpus, data):
    result = _assess(corpus, data.draw(facts(corpus.facts))).as_dict()
    for item in (result["actions"] or []) + result["reasons"]:
        assert item["cites"]
        for cite in item["cites"]:
            assert cite.split("#")[0] in corpus.sources
