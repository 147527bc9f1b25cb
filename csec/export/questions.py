"""The approved quiz questions of each training module as plain data the LMS writers share: text already rendered
to safe HTML, policy numbers resolved from their rules, modules and questions in the order the content gives."""

from __future__ import annotations

from dataclasses import dataclass

from csec.render import markup


@dataclass(frozen=True)
class LmsChoice:
    html: str
    correct: bool
    feedback: str  # HTML


@dataclass(frozen=True)
class LmsQuestion:
    id: str
    kind: str  # single | multiple | true_false | ordering (ordering: choices in the correct order)
    topic: str | None
    stem: str  # HTML
    choices: tuple[LmsChoice, ...]


@dataclass(frozen=True)
class LmsModule:
    id: str
    title: str
    summary: str  # HTML
    questions: tuple[LmsQuestion, ...]

    def notes(self, fmt: str) -> list[str]:
        """What the format cannot carry as written, said once per export on standard error."""
        if fmt in ("gift", "moodle-xml") and any(q.kind == "ordering" for q in self.questions):
            return ["ordering questions are exported as Moodle matching questions (each step matched to its place: "
                    "GIFT has no ordering type, and core Moodle's ordering type only exists from Moodle 4.4)"]
        return []


def lms_modules(corpus) -> list[LmsModule]:
    """Every approved module with its approved questions; a module with none is left out (an LMS cannot score it)."""
    markup.use(corpus)  # policy-number and citation roles read this corpus
    modules = []
    for module in corpus.modules.values():
        if module.status != "approved":
            continue
        questions = tuple(_question(corpus, q) for q in corpus.questions.values()
                          if q.module == module.id and q.status == "approved")
        if questions:
            modules.append(LmsModule(module.id, module.title, markup.to_html(module.summary), questions))
    return modules


def _question(corpus, q) -> LmsQuestion:
    # A choice is one line of a list; a stem or a feedback may run to paragraphs.
    return LmsQuestion(q.id, q.kind, q.topic, markup.to_html(q.stem),
                       tuple(LmsChoice(markup.inline(c.text), c.correct, markup.to_html(c.feedback))
                             for c in q.choices))


def by_topic(module: LmsModule) -> list[tuple[str | None, list[LmsQuestion]]]:
    """The module's questions grouped by topic, topics in the order they first appear (one LMS category each)."""
    groups: dict[str | None, list[LmsQuestion]] = {}
    for q in module.questions:
        groups.setdefault(q.topic, []).append(q)
    return list(groups.items())


def category_path(module: str, topic: str | None) -> str:
    """The LMS category of a module's topic: 'csec-101/at-risk indicators'. Moodle reads '/' in a path as a
    subcategory, and '//' as a slash inside one name ("CWS//CMS documentation" is one category). A category name is
    one line in every format (GIFT's $CATEGORY line has no escape for a break), so white space runs become a space."""
    return "/".join([module, *([" ".join(topic.split()).replace("/", "//")] if topic else [])])
