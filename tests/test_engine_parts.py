"""The engine's parts, each held to what the sources and the contract say rather than to the engine's own output:
every comparison operator, counting a listed set of facts, the fact type checks, and the checks that refuse a
malformed rule or a vignette whose answer is not the rules' (what `csec validate` runs).

Variants of the real rules are made in memory: a rule's condition or words swapped for another spelling of the same
policy (or a deliberately wrong one), so each test reads like the policy it comes from.
"""

from __future__ import annotations

import copy
import itertools

import pytest

from csec.checks.rules import check_rules, check_scenarios
from csec.core import model as m
from csec.engine.rules import UNKNOWN, FactsError, assess, check_facts, describe

# The sources' definition of a minor (22 USC § 7102, quoted in ACL 16-85 §I): "has not attained 18 years of age".
MAJORITY = 18
AGES = [*range(0, 31), None]  # None: the age is not given
# ACL 16-85 §I, At Risk Definition: "B. OR has a minimum of two of the following indicators: i. ... v." — the
# kit's "other" group (content/policy/indicators.yaml), listed here by their facts.
OTHER_INDICATORS = ["runaway_or_unstable_housing", "law_enforcement_involvement", "frequent_truancy",
                    "concerning_relationships", "hard_substance_abuse"]
AT_LEAST_OTHER = 2  # "a minimum of two"


def _with(corpus, kind: str, item_id: str, **changes):
    """A shallow copy of CORPUS in which one item has CHANGES (the rest, origins included, is shared)."""
    variant = copy.copy(corpus)
    items = dict(corpus.items)
    items[kind] = {**items[kind], item_id: items[kind][item_id].model_copy(update=changes)}
    variant.items = items
    return variant


def _fact(**test) -> m.FactTest:
    return m.FactTest.model_validate(test)


# --- comparisons ------------------------------------------------------------------------------------------------

# "Under 18" written with each operator of the condition language: every spelling must read the same ages as minors.
UNDER_18 = {
    "lt": _fact(fact="age", lt=MAJORITY),
    "le": _fact(fact="age", le=MAJORITY - 1),
    "not ge": m.Not.model_validate({"not": {"fact": "age", "ge": MAJORITY}}),
    "not gt": m.Not.model_validate({"not": {"fact": "age", "gt": MAJORITY - 1}}),
    "in": _fact(fact="age", **{"in": list(range(MAJORITY))}),
    "eq or lt": m.AnyOf.model_validate({"any": [{"fact": "age", "eq": MAJORITY - 1},
                                                {"fact": "age", "lt": MAJORITY - 1}]}),
    "ne and lt": m.All.model_validate({"all": [{"fact": "age", "ne": MAJORITY}, {"fact": "age", "lt": MAJORITY + 1}]}),
}


def _minor_as(corpus, spelling: str):
    # The words too: only some spellings have the {lt:age} the rule's text names.
    return _with(corpus, "rules", "minor", when=UNDER_18[spelling], text="The child is under the age of majority.")


@pytest.mark.parametrize("spelling", sorted(UNDER_18))
def test_every_comparison_reads_under_18_as_the_sources_do(corpus, spelling):
    variant = _minor_as(corpus, spelling)
    for age in AGES:
        holds = assess(variant, {"age": age}).holds["minor"]
        want = None if age is None else age < MAJORITY
        assert holds is want, f"{spelling}: age {age} read as {'a minor' if holds else holds}"


# --- counting -------------------------------------------------------------------------------------------------

def _other_as_a_list(corpus):
    """The at-risk rule with the "other" group written as the list of its indicators (the same policy)."""
    def swap(c):
        if isinstance(c, m.CountTest) and c.count == {"indicator_group": "other"}:
            return m.CountTest(count=list(OTHER_INDICATORS), at_least=c.at_least)
        if isinstance(c, (m.All, m.AnyOf)):
            field = "all" if isinstance(c, m.All) else "any"
            return c.model_copy(update={field: [swap(x) for x in getattr(c, field)]})
        return c

    when = swap(corpus.rules["at_risk"].when)
    assert when != corpus.rules["at_risk"].when, "the at-risk rule no longer counts the other group"
    return _with(corpus, "rules", "at_risk", when=when)


def test_the_other_group_holds_the_sources_five_indicators(corpus):
    assert sorted(i.id for i in corpus.indicators.values() if i.group == "other") == sorted(OTHER_INDICATORS)


def test_counting_a_listed_set_of_facts_is_counting_the_group(corpus):
    listed = _other_as_a_list(corpus)
    for n in range(len(OTHER_INDICATORS) + 1):
        for present in itertools.combinations(OTHER_INDICATORS, n):
            facts = {"age": 15, **{f: True for f in present}}
            want = n >= AT_LEAST_OTHER  # "a minimum of two", and no strong indicator here
            assert assess(corpus, facts).at_risk is want, present
            result = assess(listed, facts)
            assert result.at_risk is want, present
            because = next(r.because for r in result.reasons if r.rule == "at_risk")
            assert f"{n} of " in because and f"at least {AT_LEAST_OTHER} needed" in because, because
            for fact in present:  # the reason names each indicator it counted, in words
                assert corpus.facts[fact].label in because, (fact, because)


def test_a_listed_count_is_described_by_its_facts_words(corpus):
    words = describe(_other_as_a_list(corpus), "at_risk")
    assert f"at least {AT_LEAST_OTHER} of: " in words
    for fact in OTHER_INDICATORS:
        assert corpus.facts[fact].label in words, fact


# --- the fact type checks (csec assess refuses them, exit 2) ---------------------------------------------------

@pytest.mark.parametrize(("facts", "message"), [
    ({"age": 15.0}, "fact 'age' must be a whole number"),
    ({"age": "15"}, "fact 'age' must be a whole number"),
    ({"age": True}, "fact 'age' must be a whole number"),
    ({"age": -1}, "fact 'age' must be from 0 to 130 (got -1)"),
    ({"age": 131}, "fact 'age' must be from 0 to 130 (got 131)"),
    ({"missing": 1}, "fact 'missing' must be true or false (got 1)"),
    ({"missing": "yes"}, "fact 'missing' must be true or false"),
    ({"case_status": "adopted"}, "fact 'case_status' must be one of: none, referral, open_case_in_home"),
    ({"case_status": True}, "fact 'case_status' must be one of:"),
    ({"runaway": True}, "unknown fact 'runaway' (known: "),
])
def test_facts_of_the_wrong_type_are_refused_with_one_clear_line(corpus, facts, message):
    with pytest.raises(FactsError) as refused:
        check_facts(corpus, facts)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_facts_of_the_right_type_are_taken_and_the_rest_default(corpus):
    # The contract: booleans left out default to false; every other fact left out (and any null) is unknown.
    checked = check_facts(corpus, {"age": 0, "missing": True, "case_status": "referral", "frequent_truancy": None})
    assert checked["age"] == 0 and checked["missing"] is True and checked["case_status"] == "referral"
    assert checked["frequent_truancy"] is UNKNOWN  # given as null: unknown, not false (DESIGN "Unknown facts")
    assert checked["exploitation_timing"] is None and checked["indian_child"] is False
    assert check_facts(corpus, {"age": 130})["age"] == 130
    with pytest.raises(FactsError, match="facts must be a mapping"):
        check_facts(corpus, [("age", 15)])


# --- the checks of malformed rules (csec validate) -------------------------------------------------------------

def _messages(errors) -> list[str]:
    return [e.message for e in errors]


def test_a_count_of_anything_but_known_yes_no_facts_is_refused(corpus):
    when = m.CountTest(count=["frequent_truancy", "age", "truant"], at_least=1)
    messages = _messages(check_rules(_with(corpus, "rules", "at_risk", when=when)))
    assert "count needs boolean facts; 'age' is int" in messages
    assert "count needs boolean facts; 'truant' is unknown" in messages
    assert not [msg for msg in messages if "'frequent_truancy'" in msg]


def test_a_count_that_can_never_reach_its_threshold_is_refused(corpus):
    when = m.CountTest(count=list(OTHER_INDICATORS), at_least=len(OTHER_INDICATORS) + 1)
    messages = _messages(check_rules(_with(corpus, "rules", "at_risk", when=when)))
    assert f"at_least {len(OTHER_INDICATORS) + 1} can never hold: only {len(OTHER_INDICATORS)} facts are counted" \
        in messages
    when = m.CountTest(count=list(OTHER_INDICATORS), at_least=len(OTHER_INDICATORS))  # all five: possible
    possible = _with(corpus, "rules", "at_risk", when=when, text="At least {at_least:1} of the other indicators.")
    assert check_rules(possible) == []


def test_a_comparison_that_does_not_fit_its_fact_is_refused_naming_the_allowed_values(corpus):
    enum = _with(corpus, "rules", "minor", when=_fact(fact="case_status", eq="adopted"))
    messages = _messages(check_rules(enum))
    assert any(msg.startswith("eq 'adopted' does not fit enum fact 'case_status' (values: none, referral,")
               for msg in messages), messages
    whole = _with(corpus, "rules", "minor", when=_fact(fact="age", eq="eighteen"))
    assert "eq 'eighteen' does not fit int fact 'age'" in _messages(check_rules(whole))  # no values to list


def test_rules_that_refer_to_each_other_in_a_cycle_are_refused(corpus):
    looped = _with(corpus, "rules", "minor", when=m.RuleRef(rule="sex_trafficking"))
    messages = _messages(check_rules(looped))
    assert any(msg.startswith("rules refer to each other in a cycle: ") and "minor" in msg and
               "sex_trafficking" in msg for msg in messages), messages
    assert not any("cycle" in msg for msg in _messages(check_rules(corpus)))


@pytest.mark.parametrize("stated", ["2", "two", "Two"])
def test_a_threshold_stated_in_a_rules_words_is_refused(corpus, stated):
    # ACL 16-85 says "a minimum of two" other indicators; the rule's words must name the threshold
    # ({at_least:other}), not state it, in digits or in words, or they go stale when the data changes.
    rule = corpus.rules["at_risk"]
    assert "{at_least:other}" in rule.text
    variant = _with(corpus, "rules", "at_risk", text=rule.text.replace("{at_least:other}", stated))
    assert any("states 2 directly; write {at_least:other}" in msg for msg in _messages(check_rules(variant)))


WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@pytest.mark.parametrize("threshold", range(1, len(WORDS) + 1))
def test_any_threshold_spelled_out_in_a_rules_words_is_refused(corpus, threshold):
    # Whatever a threshold becomes, the rule's words must not state it ("at least four of ..."): here a count of
    # ten yes/no facts, with every threshold it could have.
    facts = [f.id for f in corpus.facts.values() if f.type == "bool"][:len(WORDS)]
    assert len(facts) == len(WORDS)
    when = m.CountTest(count=facts, at_least=threshold)
    text = f"At least {WORDS[threshold - 1]} of the listed facts."
    messages = _messages(check_rules(_with(corpus, "rules", "at_risk", when=when, text=text)))
    assert messages == [f"text states {threshold} directly; write {{at_least:1}} in the text so it follows the data"]


def test_a_number_stated_in_a_rules_mentions_is_refused_naming_the_field(corpus):
    # A mention ("under {lt:age}") is how prose elsewhere names the rule: "under 18" there would go stale too.
    rule = corpus.rules["minor"]
    assert "under {lt:age}" in rule.mentions
    mentions = [t.replace("{lt:age}", str(MAJORITY)) for t in rule.mentions]
    messages = _messages(check_rules(_with(corpus, "rules", "minor", mentions=mentions)))
    assert f"mentions states {MAJORITY} directly; write {{lt:age}} in the text so it follows the data" in messages


# --- the checks of vignettes (csec validate) --------------------------------------------------------------------

def test_a_vignette_whose_answer_is_not_the_rules_is_refused(corpus):
    # Dev (15, an open in-home case) shows two "other" indicators: running away/couch surfing and truancy (B.i and
    # B.iii), so ACL 16-85's "minimum of two" makes him at risk. A vignette saying otherwise is refused.
    dev = corpus.scenarios["dev-two-other-indicators"]
    assert {f for f in OTHER_INDICATORS if dev.facts.get(f)} == {"runaway_or_unstable_housing", "frequent_truancy"}
    assert check_scenarios(corpus) == []
    wrong = _with(corpus, "scenarios", dev.id, expected=dev.expected.model_copy(update={"at_risk": False}))
    messages = _messages(check_scenarios(wrong))
    assert messages == ["expected at_risk False but the rules give True"], messages


def test_a_vignette_naming_an_unknown_action_or_allegation_is_refused(corpus):
    dev = corpus.scenarios["dev-two-other-indicators"]
    expected = dev.expected.model_copy(update={"actions": [*dev.expected.actions, "report_to_law_enforcment"],
                                               "allegations": ["child_labour"]})
    messages = _messages(check_scenarios(_with(corpus, "scenarios", dev.id, expected=expected)))
    assert any(msg.startswith("unknown action 'report_to_law_enforcment' (known: ") for msg in messages), messages
    assert any(msg.startswith("unknown allegation 'child_labour' (known: ") for msg in messages), messages


def test_a_vignette_whose_facts_contradict_each_other_is_refused_at_its_facts(corpus):
    # A case status of none contradicts receiving child welfare services (ACL 16-85 §I: those children have a case
    # or a referral with the agency): the vignette cannot be answered, and validate says why.
    dev = corpus.scenarios["dev-two-other-indicators"]
    facts = {**dev.facts, "receiving_child_welfare_services": True, "case_status": "none"}
    errors = check_scenarios(_with(corpus, "scenarios", dev.id, facts=facts))
    assert len(errors) == 1, errors
    assert "'receiving_child_welfare_services' and 'case_status' contradict each other" in errors[0].message
    assert errors[0].path == corpus.origin("scenarios", dev.id).path
