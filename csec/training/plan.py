"""A session plan for a trainer: which of a module's vignettes fit an agenda slot, and the discussion prompts for each."""

from __future__ import annotations

from dataclasses import dataclass

from csec.engine.rules import CONTRACT_OUTCOMES, assess
from csec.training.answer import module_scenarios


@dataclass(frozen=True)
class SlotPlan:
    """The vignettes suggested for one agenda slot (in the module's order) and the ones left for another time."""

    minutes: int
    each: int  # minutes per vignette (the slot's vignette_minutes)
    suggested: list[str]
    others: list[str]


def _outcome(corpus, scenario_id: str) -> tuple:
    """What a vignette teaches, as the rules answer it: its classifications, Data Grid type and allegations."""
    result = assess(corpus, corpus.scenarios[scenario_id].facts)
    return (*(result.holds[r] for r in CONTRACT_OUTCOMES), result.csec_data_grid, tuple(sorted(result.allegations or [])))


def _groups(corpus, ids: list[str]) -> list[list[str]]:
    """The vignettes as they are run: one that contrasts with another of the module goes with it (the pair differs
    in one fact, so it is run together or not at all)."""
    groups: list[list[str]] = []
    placed: dict[str, list[str]] = {}
    for sid in ids:
        partner = corpus.scenarios[sid].contrast_with
        group = placed.get(partner) if partner in ids else None
        if group is None:
            group = []
            groups.append(group)
        group.append(sid)
        placed[sid] = group
    return groups


def slot_plan(corpus, module_id: str, minutes: int, each: int) -> SlotPlan:
    """The vignettes that fit MINUTES at EACH minutes apiece: whole contrast pairs, chosen so that the set shows as
    many different outcomes of the rules as it can (first in the module's order on a tie)."""
    ids = module_scenarios(corpus, module_id)
    budget = max(1, minutes // each)
    groups = _groups(corpus, ids)
    chosen: list[list[str]] = []
    seen: set[tuple] = set()
    while True:
        fits = [g for g in groups if g not in chosen and sum(map(len, chosen)) + len(g) <= budget]
        if not fits:
            break
        # Most new outcomes per vignette; ties go to the earlier group (max keeps the first of equals).
        best = max(fits, key=lambda g: len({_outcome(corpus, s) for s in g} - seen) / len(g))
        chosen.append(best)
        seen |= {_outcome(corpus, s) for s in best}
    picked = {s for g in chosen for s in g}
    return SlotPlan(minutes, each, [s for s in ids if s in picked], [s for s in ids if s not in picked])


def session_slots(corpus, module_id: str) -> list[tuple[int, SlotPlan]]:
    """(agenda position, plan) for each of the module's agenda slots that runs vignettes."""
    module = corpus.modules[module_id]
    return [(i, slot_plan(corpus, module_id, item.minutes, item.vignette_minutes))
            for i, item in enumerate(module.agenda) if item.vignette_minutes]


def discussion_prompts(corpus, module_id: str, scenario_id: str) -> list:
    """The module's discussion prompts asked after SCENARIO_ID, in the module's order."""
    module = corpus.modules.get(module_id)
    return [p for p in (module.discussion if module else []) if scenario_id in p.scenarios]
