"""Pydantic models for every kind of content item; the one schema the loader, the site, the engine and the widgets share."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
# A citation names a source and, after '#', one of that source's declared sections: "acl-16-85#i-at-risk".
Cite = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*(#[a-z0-9][a-z0-9_.()-]*)?$", max_length=120)]
Cites = Annotated[list[Cite], Field(min_length=1)]
Status = Literal["draft", "in_review", "approved"]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Short = Annotated[str, Field(min_length=1, max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Review(Strict):
    """One entry of an item's review history: a request to a reviewer (`requested`) or the reviewer's decision."""

    reviewer: Short
    date: dt.date
    decision: Literal["requested", "approve", "request_changes", "reject"]
    comments: Text | None = None
    release: Id | None = None  # the release reviewed; checked against releases once they are content


class Item(Strict):
    """Fields every policy item carries, after OpenFisca's parameters: a reference, a review status, a date."""

    id: Id
    cites: Cites
    status: Status
    effective: dt.date | None = None
    ambiguity: Text | None = None
    reviews: list[Review] = []  # oldest first; csec.checks.reviews gates `approved` on the last decision


# --- sources ------------------------------------------------------------------------------------------------

class SourceSection(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.()-]*$", max_length=80)]
    title: Short


class Source(Strict):
    """A document or authority that items cite: an ACL, a statute section, a regulation, a bill, a guide."""

    id: Id
    kind: Literal["letter", "notice", "faq", "guide", "statute", "regulation", "public_law", "bill",
                  "fiscal_letter", "note", "presentation", "tool", "report", "website"]
    short: Short  # how the sources cite it: "ACL 16-85", "WIC § 16501.35"
    title: Short
    date: dt.date | None = None
    issued_by: Short | None = None
    sections: list[SourceSection] = []
    part_of: Id | None = None  # e.g. the ACL 16-85 FAQ is part of ACL 16-85
    in_sources: bool = False  # True when the full text is in shared/sources (vs. only cited by it)
    note: Text | None = None
    status: Status = "approved"
    reviews: list[Review] = []


# --- glossary, indicators, red flags ------------------------------------------------------------------------

class Definition(Item):
    term: Short
    aliases: list[Short] = []
    text: Text  # in the source's own words where wording matters
    note: Text | None = None
    see_also: list[Id] = []  # other definition ids


class Indicator(Item):
    """An at-risk indicator; its id is a boolean fact of the fact vocabulary and its group feeds the at-risk rule."""

    group: Id  # an indicator group id
    letter: Annotated[str, Field(pattern=r"^[A-H]$")]  # LA guide lettering A-H
    acl_number: Annotated[str, Field(pattern=r"^(i|ii|iii|iv|v)$")]  # ACL 16-85 numbering within its group
    text: Text  # ACL 16-85 wording
    la_text: Text  # LA DCFS guide wording


class IndicatorGroup(Item):
    title: Short
    text: Text


RedFlagType = Literal["csec", "exploiting_labor", "criminal_activity"]


class RedFlag(Item):
    text: Text
    types: Annotated[list[RedFlagType], Field(min_length=1)]


class ExploitationCategory(Item):
    title: Short
    cwscms_code: Id | None = None  # the abuse subcategory it is documented under
    text: Text
    examples: list[Text] = []
    examples_title: Short | None = None
    settings: list[Short] = []
    settings_title: Short | None = None


# --- policy text --------------------------------------------------------------------------------------------

class Step(Strict):
    text: Text
    items: list[Text] = []
    cites: list[Cite] = []
    rule: Id | None = None  # the action rule that carries this step's deadline (its one home)


class Section(Item):
    """A unit of policy prose: an ACL 16-85 section, a FAQ answer, an LA procedure, a guidance list."""

    title: Short
    source_title: Short | None = None  # the heading as printed in the source
    parent: Id | None = None
    order: int = 0
    policy: Text | None = None  # the bold policy statement, verbatim
    body: Text | None = None  # MyST markdown
    steps: list[Step] = []
    items: list[Text] = []
    items_title: Short | None = None
    related: list[Id] = []  # other section ids
    terms: list[Id] = []  # definition ids the section relies on


class InvestigativeQuestion(Strict):
    id: Id
    text: Text
    cites: list[Cite] = []
    # The facts the answer to this question would settle (`csec assess`'s "what to find out next" names the question
    # for an unknown fact): read from the question's words against the fact's definition in facts.yaml.
    settles: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = []


class QuestionSet(Item):
    """Investigative questions or areas; reviewed (by the union) before publishing, as their `reviews` record."""

    title: Short
    audience: Literal["youth", "caregiver", "reporter", "investigator", "collateral"]
    style: Literal["open_ended", "specific", "area", "contacts", "determination"]
    intro: Text | None = None
    questions: Annotated[list[InvestigativeQuestion], Field(min_length=1)]


class CwsCmsCode(Item):
    kind: Literal["abuse_category", "abuse_subcategory", "data_grid_type", "special_project_code"]
    label: Short  # the text as it appears in CWS/CMS
    text: Text
    privilege: Short | None = None


# --- facts and rules ----------------------------------------------------------------------------------------

class Fact(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    type: Literal["bool", "int", "enum"]
    values: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = []
    group: Literal["person", "indicator", "exploitation", "situation"]
    label: Short
    text: Text
    cites: list[Cite] = []
    # What a test of this fact gives when the facts leave it out: booleans read as false, an enum as "not
    # recorded" (every comparison false), and a fact marked `unknown` (age) leaves each test undecided, so no
    # answer silently reads a youth of unknown age as an adult or as a minor. A boolean marked `absent` is "not
    # given": a bare test reads it as false, and no comparison holds, so a conflict rule's `eq: false` tells it from
    # "given as false". Any fact given as null is unknown.
    when_missing: Literal["false", "unknown", "absent"] = "false"
    minimum: int = 0  # the range an int fact accepts (age: 0 to 130)
    maximum: int = 130
    mentions: list[Short] = []  # words that name this fact in a rule's text (read by the text-condition test)

    @model_validator(mode="after")
    def _enum_has_values(self) -> "Fact":
        if (self.type == "enum") != bool(self.values):
            raise ValueError("an enum fact needs 'values'; other types must not have them")
        return self


Scalar = Union[bool, int, str]


class FactTest(Strict):
    fact: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: int | None = None
    le: int | None = None
    gt: int | None = None
    ge: int | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")


class CountTest(Strict):
    """True when at least `at_least` of the listed boolean facts (or of an indicator group's facts) are true."""

    count: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] | dict[Literal["indicator_group"], Id]
    at_least: Annotated[int, Field(ge=1)]


class RuleRef(Strict):
    rule: Id


class All(Strict):
    all: Annotated[list["Condition"], Field(min_length=1)]


class AnyOf(Strict):
    any: Annotated[list["Condition"], Field(min_length=1)]


class Not(Strict):
    not_: "Condition" = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {All: "all", AnyOf: "any", Not: "not", FactTest: "fact", CountTest: "count", RuleRef: "rule"}.get(
            type(value))
    if isinstance(value, dict):
        for key in ("all", "any", "not", "count", "rule", "fact"):
            if key in value:
                return key
    return None


Condition = Annotated[
    Union[
        Annotated[All, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[FactTest, Tag("fact")],
        Annotated[CountTest, Tag("count")],
        Annotated[RuleRef, Tag("rule")],
    ],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of: all, any, not, fact, count, rule",
    ),
]
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


class Departure(Strict):
    """Why a rule's number is not the one the source it quotes states (a county's stricter deadline, a newer letter),
    with the authority for it: the quote keeps the source's words, the rule says what applies now."""

    because: Text
    cites: Cites


class Rule(Item):
    """A decision or required action, as data: the engine interprets `when`, the manual renders `text`."""

    # scope: a named condition other rules use (who a duty is for, a suspicion); conflict: facts that contradict
    # each other, refused by `csec assess` with the rule's text.
    kind: Literal["scope", "outcome", "allegation", "data_grid", "action", "conflict"]
    title: Short
    text: Text  # plain language; may use {at_least} style placeholders filled from the condition
    when: Condition
    immediately: bool = False  # the source says "immediately" before (or instead of) the time limit
    within_hours: Annotated[int, Field(ge=1)] | None = None
    within_days: Annotated[int, Field(ge=1)] | None = None
    every_days: Annotated[int, Field(ge=1)] | None = None
    value: Id | None = None  # for data_grid rules: the CSEC data grid type (a cwscms data_grid_type id)
    otherwise: Text | None = None  # what it means when the rule does not hold (e.g. "child labor, not trafficking")
    order: int = 0
    mentions: list[Short] = []  # words that name this rule in other rules' text (read by the text-condition test)
    departs: Departure | None = None  # its number differs from the quote it rests on, on this authority


# --- training -----------------------------------------------------------------------------------------------

class Expected(Strict):
    """A vignette's or rule example's answer; ids are checked against the rules as references."""

    at_risk: bool | None
    sex_trafficking: bool | None
    labor_trafficking: bool | None
    allegations: list[Id] | None
    csec_data_grid: Id | None
    actions: list[Id] | None
    needs: list[Id] = []


# What a vignette or question was written against: "kind/id" (e.g. "rules/at_risk") -> the 12-hex digest of that
# item's model when an author last confirmed it (csec/core/fingerprint.py); `csec validate` flags digests gone stale.
ItemKey = Annotated[str, Field(pattern=r"^[a-z_]+/[a-z0-9][a-z0-9_.-]*$", max_length=120)]
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")]
WrittenAgainst = dict[ItemKey, Digest]


class Scenario(Item):
    title: Short
    module: Id
    fictional: Literal[True]
    content_warning: Text | None = None
    summary: Short
    narrative: Text  # MyST
    facts: dict[str, Scalar]
    expected: Expected
    indicators_present: list[Id] = []
    red_flags_present: list[Id] = []
    debrief: Text
    # What a county's own procedures add to the debrief, written by that county's amendment of the vignette (with
    # its expected answers); shown after the statewide debrief under the county's name.
    county_debrief: Text | None = None
    contrast_with: Id | None = None  # the scenario this one differs from by one fact
    changed_fact: str | None = None
    order: int = 0
    written_against: WrittenAgainst | None = None  # see csec/checks/written_against.py


class Choice(Strict):
    text: Text
    correct: bool
    feedback: Text
    names_term: bool = False  # a wrong choice that names an avoided term on purpose (csec.checks.terminology)


class Question(Item):
    module: Id
    kind: Literal["single", "multiple", "true_false", "ordering"]
    stem: Text
    choices: Annotated[list[Choice], Field(min_length=2)]
    topic: Short | None = None
    generated_from: Id | None = None  # the rule a generated question was made from
    written_against: WrittenAgainst | None = None  # see csec/checks/written_against.py


class AgendaItem(Strict):
    title: Short
    minutes: Annotated[int, Field(ge=1)]
    notes: Text | None = None
    # A slot that runs vignettes: about how long each takes (reading, deciding, debrief), so the trainer's guide can
    # suggest the set that fits the slot (csec.training.plan).
    vignette_minutes: Annotated[int, Field(ge=1)] | None = None


class DiscussionPrompt(Strict):
    """A question for the group after a vignette, drawn from the sources' engagement and interviewing guidance."""

    text: Text
    scenarios: Annotated[list[Id], Field(min_length=1)]  # the vignettes it is asked after
    cites: Cites


class Module(Item):
    title: Short
    audience: Short
    summary: Text
    objectives: Annotated[list[Text], Field(min_length=1)]
    agenda: list[AgendaItem] = []
    talking_points: list[Text] = []
    discussion: list[DiscussionPrompt] = []
    scenarios: list[Id] = []
    sections: list[Id] = []


class TermToAvoid(Item):
    """A word the sources' guidance says not to use for a youth; `csec validate` finds it in any prose."""

    term: Short
    forms: list[Short] = []  # other spellings matched too (a plural)
    say: Text  # the preferred wording, as the error message offers it
    guidance: Text  # the cited guidance, quoted


# --- releases -------------------------------------------------------------------------------------------

class ItemRef(Strict):
    """An item a release changes, checked as a reference: its kind (a KINDS key) and its id."""

    kind: Id
    id: Id


class ValueChange(Strict):
    """One field a change set changed, with its value before and after: the record keeps its own history, so what a
    release said does not depend on what the rules say today."""

    kind: Id
    id: Id
    field: Id
    old: Any = None  # None: the field (or the item) was not there before
    new: Any = None


class Change(Strict):
    items: Annotated[list[ItemRef], Field(min_length=1)]
    class_: Literal["editorial", "substantive"] = Field(alias="class")
    summary: Short
    values: list[ValueChange] = []  # what a folded change set changed, field by field


class Release(Item):
    """A published version of the content: what changed since the release before it, and from when."""

    title: Short
    previous: Id | None = None  # the release this one follows
    # The git revision holding the previous release's content, so the site can redline each change against it.
    baseline: Annotated[str, Field(pattern=r"^[0-9a-f]{7,40}$")] | None = None
    changes: list[Change] = []
    note: Text | None = None


class ChangeSet(Strict):
    """A proposed change to published content, reviewed and published as one unit (`changes/<id>/change.yaml`,
    beside the overlay files it changes): its items carry no status or reviews of their own, the change set's are
    theirs. An approved change set is published from its effective date on."""

    title: Short
    summary: Text
    kind: Literal["major", "minor"]  # a major change asks staff for a new acknowledgement; a minor one does not
    effective: dt.date
    status: Status
    reviews: list[Review] = []  # oldest first; approved needs a last review that approves
    cites: list[Cite] = []  # the authority for the change (a newer letter, a county decision), when it has one

    @model_validator(mode="after")
    def _approved_by_a_review(self) -> "ChangeSet":
        if self.status == "approved" and (not self.reviews or self.reviews[-1].decision != "approve"):
            raise ValueError("an approved change set's last review approves it (csec change review ID --decision "
                             "approve)")
        return self


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # reproducible-builds.org: the build's "now", in seconds since 1970 UTC


class BuildDateError(ValueError):
    """$SOURCE_DATE_EPOCH is set but is not a whole number of seconds."""


def build_date() -> dt.date:
    """The day a build (and `csec assess` without --as-of) publishes for: the UTC day of $SOURCE_DATE_EPOCH when it
    is set (the reproducible-builds convention: the same inputs and the same date give the same site), else today."""
    value = os.environ.get(SOURCE_DATE_EPOCH)
    if value is None or value.strip() == "":
        return dt.date.today()
    try:
        seconds = int(value.strip())
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise BuildDateError(f"{SOURCE_DATE_EPOCH}={value!r}: not a whole number of seconds since 1970-01-01 UTC "
                             f"(unset it to build for today)") from None


@dataclass(frozen=True)
class Edition:
    """Which content a reader sees: what is published on a date (approved change sets in force on it), or the
    preview (every change set, in force or proposed)."""

    as_of: dt.date
    preview: bool = False
    dated: bool = False  # the date was asked for (`--as-of`), not today's
    also: frozenset[str] = frozenset()  # change sets shown besides those in force (one proposal under review)

    @classmethod
    def published(cls, as_of: dt.date | None = None) -> "Edition":
        return cls(as_of or build_date(), dated=as_of is not None)

    @property
    def label(self) -> str:
        """What `csec assess` reports as `rules_as_of`: 'published', 'preview', or the date asked for."""
        return "preview" if self.preview else self.as_of.isoformat() if self.dated else "published"

    @classmethod
    def of_build(cls, preview: bool) -> "Edition":
        """What a build shows: the preview (every change set), or what is published on the day it is built
        (build_date(): $SOURCE_DATE_EPOCH's day when set)."""
        return cls(build_date(), preview=True) if preview else cls.published()

    def includes(self, change_id: str, change: ChangeSet) -> bool:
        if self.preview or change_id in self.also:
            return True
        return change.status == "approved" and change.effective <= self.as_of


@dataclass(frozen=True)
class Kind:
    """A kind of content item, declared once: what a content file, the loader's messages, `csec validate`'s summary,
    the review queue, the sources page and the changes page need from it."""

    key: str  # the top-level key of a content file and of Corpus.items: "red_flags"
    model: type[BaseModel]
    one: str  # how a message names one item: "red flag"
    many: str  # how a page heads a group of them: "red flags"
    name: str | None  # the field that names an item in a list ("title", "term", ...); None: its id
    counted: bool = True  # `csec validate` counts it in its summary line
    nested: str | None = None  # a count the summary gives right after this kind's (items inside its items)
    page_one: str | None = None  # how a page names one item, where it says more than `one` ("policy section")

    def name_of(self, item: BaseModel) -> str:
        """What a list shows for ITEM: its naming field, else its id."""
        return (getattr(item, self.name) if self.name else None) or item.id

    @property
    def shown(self) -> str:
        """How a page names one item of this kind."""
        return self.page_one or self.one


# Every kind, in the order `csec validate`'s summary counts them (DESIGN.md's contract names the first seven); an
# error naming the kinds lists them in this order too.
REGISTRY: tuple[Kind, ...] = (
    Kind("sources", Source, "source", "sources", "title"),
    Kind("definitions", Definition, "definition", "definitions", "term", page_one="glossary term"),
    Kind("indicators", Indicator, "indicator", "at-risk indicators", None),
    Kind("red_flags", RedFlag, "red flag", "red flags", None),
    Kind("rules", Rule, "rule", "rules", "title"),
    Kind("scenarios", Scenario, "scenario", "scenarios", "title", page_one="vignette"),
    Kind("questions", Question, "question", "quiz questions", "stem"),
    Kind("indicator_groups", IndicatorGroup, "indicator group", "indicator groups", "title"),
    Kind("exploitation_categories", ExploitationCategory, "exploitation category", "exploitation categories",
         "title"),
    Kind("sections", Section, "section", "policy sections", "title", page_one="policy section"),
    Kind("question_sets", QuestionSet, "question set", "investigative question sets", "title",
         nested="investigative_questions"),
    Kind("cwscms_codes", CwsCmsCode, "CWS/CMS code", "CWS/CMS codes", "label"),
    Kind("facts", Fact, "fact", "facts", "label"),
    Kind("modules", Module, "module", "training modules", "title"),
    Kind("releases", Release, "release", "releases", "title"),
    Kind("terms_to_avoid", TermToAvoid, "term to avoid", "terms to avoid", "term", counted=False),
)
KIND: dict[str, Kind] = {kind.key: kind for kind in REGISTRY}
# Each kind as it appears as a top-level key of a content file, with its model.
KINDS: dict[str, type[BaseModel]] = {kind.key: kind.model for kind in REGISTRY}
# What `csec validate` counts on success, in this order.
SUMMARY = tuple(key for kind in REGISTRY if kind.counted for key in (kind.key, kind.nested) if key)
