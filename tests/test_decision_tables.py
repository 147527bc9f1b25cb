"""The at-risk definition and the CSEC Data Grid as decision tables: the rows the policy text gives, generated from
the rules (csec.engine.decision_table) and shown on the rules page by `{csec-decision-table}`."""

from __future__ import annotations

from bs4 import BeautifulSoup

from csec.engine.decision_table import data_grid_table, rule_table


def _rows(table) -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(row.cells.get(k, "-") for k, _ in table.columns), row.output) for row in table.rows]


def test_the_at_risk_table_has_the_definitions_two_branches(corpus):
    """ACL 16-85 §I At Risk Definition: one of indicators A–C, or two of D–H, for a child or youth in scope."""
    table = rule_table(corpus, "at_risk")
    headings = [h for _, h in table.columns]
    assert headings[0] == "A child, or a youth receiving child welfare services"
    assert _rows(table) == [(("yes", "at least 1", "-"), "yes"), (("yes", "-", "at least 2"), "yes"),
                            (("-", "-", "-"), "no")]


def test_the_data_grid_table_has_one_row_per_type(corpus):
    """ACL 16-85 §II: five victim types by when the exploitation happened, and "at risk" for a youth at risk who is
    not identified as a victim; all for children receiving child welfare services."""
    table = data_grid_table(corpus)
    by_output = {output: cells for cells, output in _rows(table)}
    assert list(by_output) == ["Victim Before Foster Care", "Victim During Foster Care",
                               "Victim in Open Case not in Foster Care", "Victim While Absence From Placement",
                               "Victim with Closed Case, Rcv ILP Svcs", "At Risk", "none"]
    headings = [h for _, h in table.columns]
    at_risk = dict(zip(headings, by_output["At Risk"]))
    assert at_risk["Victim of sex trafficking (CSE)"] == "no" and at_risk["Receiving child welfare services"] == "yes"
    before = dict(zip(headings, by_output["Victim Before Foster Care"]))
    assert before["When the exploitation happened"] == "is before foster care"
    assert before["Victim of sex trafficking (CSE)"] == "yes"


def test_the_rules_page_shows_both_tables(built_site):
    page = BeautifulSoup((built_site / "book/reference/rules.html").read_text(encoding="utf-8"), "html.parser")
    tables = page.select("table.csec-decision-table")
    assert len(tables) == 2
    assert "at least 2" in tables[0].get_text() and "Victim During Foster Care" in tables[1].get_text()
    assert tables[1].select_one("a[href]") is not None  # each row links its rule
