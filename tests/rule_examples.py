"""The schema of the rule examples in tests/rules/*.yaml: unknown keys, fact names and rule ids are errors, so an
example such as `expect: {at_rsk: true}` fails loudly instead of checking nothing; so does an `expect` that names
nothing to check (`expect: {}`, empty lists, a deadline with no fields, a refusal naming no fact)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

EXAMPLES = Path(__file__).parent / "rules"


# The expectations test_rules_examples.py compares with the engine's answer (a null is an expectation too).
CHECKABLE = frozenset({"at_risk", "sex_trafficking", "labor_trafficking", "csec_data_grid", "allegations", "actions",
                       "actions_include", "actions_exclude", "deadlines", "needs", "refused"})


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at_risk: bool | None = None
    sex_trafficking: bool | None = None
    labor_trafficking: bool | None = None
    csec_data_grid: str | None = None
    allegations: list[str] | None = None
    actions: list[str] | None = None
    actions_include: list[str] = []
    actions_exclude: list[str] = []
    deadlines: dict[str, dict[str, Any]] = {}
    needs: list[str] | None = None
    find_out: list[str] | None = None  # the facts "what to find out next" lists, most decisive first
    could_change: dict[str, list[str]] = {}  # fact -> the outputs its find_out entry names
    refused: list[str] | None = None  # the facts `csec assess` names when it refuses these facts (exit 2)
    given: set[str] = set()  # the keys the example wrote (null is an expectation too)

    @model_validator(mode="after")
    def _checks_something(self) -> "Expect":
        # Each key must check something; an example whose expectations are all empty would pass whatever the
        # engine answers.
        empty = [k for k in ("actions_include", "actions_exclude", "deadlines") if k in self.given and
                 not getattr(self, k)]
        empty += [f"deadlines.{a}" for a, fields in self.deadlines.items() if not fields]
        if self.refused is not None and not self.refused:
            empty.append("refused")
        if empty:
            raise ValueError(f"{', '.join(empty)} names nothing to check (give the actions, fields or facts "
                             f"expected, or leave the key out)")
        if "refused" in self.given and self.given & CHECKABLE != {"refused"}:
            raise ValueError("refused takes no other expectation: refused facts get no answer to compare")
        if not self.given & CHECKABLE:
            raise ValueError(f"expect names nothing to check: give at least one of {', '.join(sorted(CHECKABLE))}")
        return self


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    facts: dict[str, Any]
    expect: Expect
    county: str | None = None  # the layer it is read in: `none` (statewide alone) or a county id; default csec.yaml's

    @field_validator("expect", mode="before")
    @classmethod
    def _remember_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {**value, "given": set(value)}
        return value


def check_names(corpus, example: Example) -> list[str]:
    """Problems with the names an example uses: facts not in the vocabulary (unless the example expects a refusal),
    rule ids that are no action or allegation, data grid values that do not exist."""
    problems = []
    if example.expect.refused is None:
        problems += [f"unknown fact {f!r}" for f in example.facts if f not in corpus.facts]
    actions = {r.id for r in corpus.rules.values() if r.kind == "action"}
    allegations = {r.id for r in corpus.rules.values() if r.kind == "allegation"}
    grids = {r.value for r in corpus.rules.values() if r.kind == "data_grid"}
    e = example.expect
    for listed in (e.actions or [], e.actions_include, e.actions_exclude, list(e.deadlines)):
        problems += [f"unknown action {a!r}" for a in listed if a not in actions]
    problems += [f"unknown allegation {a!r}" for a in e.allegations or [] if a not in allegations]
    if e.csec_data_grid is not None and e.csec_data_grid not in grids:
        problems.append(f"unknown data grid type {e.csec_data_grid!r}")
    problems += [f"unknown fact {f!r} in needs/refused/find_out" for f in
                 [*(e.needs or []), *(e.refused or []), *(e.find_out or []), *e.could_change] if f not in corpus.facts]
    return problems


def load_examples(folder: Path = EXAMPLES) -> list[tuple[str, Example]]:
    """(file name, example) for every example; raises ValueError naming the file and example on a schema error."""
    out = []
    for file in sorted(folder.glob("*.yaml")):
        for i, raw in enumerate(yaml.safe_load(file.read_text()) or []):
            try:
                out.append((file.name, Example.model_validate(raw)))
            except ValidationError as e:
                first = e.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ValueError(f"{file.name} example {i + 1} ({raw.get('name', '?')}): {where}: {first['msg']}")
    return out
