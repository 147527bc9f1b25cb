"""The one vocabulary for deadlines: an action rule's time limit as a value with its words, its hours and its sort key.

The explanation of `csec assess`, the manual's deadlines table and rule pages, the widgets' deadline choices and the
generated quiz questions all read a rule's deadline through `Deadline`, so "immediately" and the number always travel
together and every reader says it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

HOURS_PER_DAY = 24  # a unit conversion, not policy
FIELDS = ("within_hours", "within_days", "every_days")
UNITS = {"within_hours": "hours", "within_days": "calendar days", "every_days": "days"}


@dataclass(frozen=True)
class Deadline:
    immediately: bool = False
    within_hours: int | None = None
    within_days: int | None = None
    every_days: int | None = None

    @classmethod
    def of(cls, rule) -> "Deadline | None":
        """The deadline of an action rule, or None when the rule sets no time at all."""
        d = cls(bool(getattr(rule, "immediately", False)), *(getattr(rule, f, None) for f in FIELDS))
        return d if d.immediately or d.limit else None

    @property
    def limit(self) -> tuple[str, int] | None:
        """(field, number) of the time limit, e.g. ("within_hours", 24); None for "immediately" alone."""
        return next(((f, getattr(self, f)) for f in FIELDS if getattr(self, f) is not None), None)

    def words(self) -> str:
        """'immediately, and in no case later than 24 hours', 'immediately or within 10 calendar days',
        'within 24 hours', 'immediately', 'once every 30 days' — the phrasing of ACL 16-85 §I, §V and §VI."""
        if self.limit is None:
            return "immediately"
        field, n = self.limit
        if field == "every_days":
            return f"once every {n} {_unit(field, n)}"
        amount = f"{n} {_unit(field, n)}"
        if not self.immediately:
            return f"within {amount}"
        if field == "within_hours":
            return f"immediately, and in no case later than {amount}"
        return f"immediately or within {amount}"

    @property
    def hours(self) -> int:
        """The time limit in hours (0 for "immediately" alone); days are calendar days of 24 hours."""
        if self.limit is None:
            return 0
        field, n = self.limit
        return n if field == "within_hours" else n * HOURS_PER_DAY

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Shortest first; "immediately" before a bare limit of the same length; a recurring check after both."""
        recurring = self.limit is not None and self.limit[0] == "every_days"
        return (int(recurring), self.hours, 0 if self.immediately else 1)

    @property
    def key(self) -> str:
        """A stable id for a trainee's choice of deadline: 'immediately+within_hours:24', 'every_days:30'."""
        parts = ["immediately"] if self.immediately else []
        if self.limit is not None:
            parts.append(f"{self.limit[0]}:{self.limit[1]}")
        return "+".join(parts)

    @classmethod
    def from_key(cls, key: str) -> "Deadline":
        fields: dict = {"immediately": False}
        for part in key.split("+"):
            name, _, value = part.partition(":")
            if name == "immediately":
                fields["immediately"] = True
            elif name in FIELDS and value.isdigit():
                fields[name] = int(value)
            else:
                raise ValueError(f"unknown deadline {key!r}")
        return cls(**fields)



def action_fields(deadline: Deadline | None) -> dict:
    """The deadline fields an assessed action carries in `csec assess --json` (days also given in hours, as the
    contract prints them; a recurring check has no `within_hours`)."""
    out: dict = {"within_hours": None}
    if deadline is not None and deadline.limit is not None:
        field, n = deadline.limit
        out["within_hours"] = None if field == "every_days" else deadline.hours
        if field != "within_hours":
            out[field] = n
    out["immediately"] = bool(deadline and deadline.immediately)
    out["deadline"] = deadline.words() if deadline else None
    return out


def _unit(field: str, n: int) -> str:
    unit = UNITS[field]
    return unit[:-1] if n == 1 else unit
