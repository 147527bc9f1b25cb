"""Policy sections: `{csec-section} <id>` renders one section (policy statement, body, items, steps with their
deadlines, terms, related sections, citations) as a real document section; `{csec-sections}` renders a list of them.

Usage (MyST)::

    ```{csec-section} acl-16-85-v
    :children:
    ```

    ```{csec-sections}
    :parent: la-commercial-exploitation
    ```
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from csec.core.deadline import Deadline
from csec.sphinx import status
from csec.sphinx.render import CsecDirective


def ordered_sections(corpus, ids) -> list:
    """Sections in reading order: by `order`, then in the order the content files list them."""
    position = {sid: i for i, sid in enumerate(corpus.sections)}
    return sorted((corpus.sections[i] for i in ids), key=lambda s: (s.order, position[s.id]))


def children_of(corpus, parent_id: str | None) -> list:
    return ordered_sections(corpus, [s.id for s in corpus.sections.values() if s.parent == parent_id])


def step_key(section_id: str, index: int) -> tuple[str, str]:
    return "steps", f"{section_id}.{index + 1}"


class SectionRenderer(CsecDirective):
    option_spec = {
        "children": directives.flag,
        "no-title": directives.flag,
    }

    def render(self, section, with_children: bool, titled: bool = True) -> list[nodes.Node]:
        self.use("sections", section.id)
        if titled:
            box = nodes.section(classes=["csec-section"])
            title = nodes.title("", "", *self.inline(section.title))
            for b in self.badge(section):
                title += nodes.Text(" ")
                title += b
            box += title
        else:
            box = nodes.container(classes=["csec-section"])
            box += self.badge(section)
        self.anchor("sections", section.id, box, prefix="")
        if section.source_title and section.source_title != section.title:
            box += nodes.paragraph("", f"In the source: “{section.source_title}”", classes=["csec-source-title"])
        box += self.effective(section)
        if section.policy:
            policy = nodes.admonition("", classes=["csec-policy", "important"])
            policy += nodes.title("", "Policy")
            policy += self.block(section.policy).children
            box += policy
        if section.body:
            box += self.block(section.body).children
        if section.items:
            if section.items_title:
                box += self.para(section.items_title, ["csec-items-title"])
            bullets = nodes.bullet_list(classes=["csec-items"])
            for text in section.items:
                bullets += nodes.list_item("", *self.block(text).children)
            box += bullets
        if section.steps:
            box += self.steps(section)
        if section.terms:
            box += self.terms(section)
        if section.related:
            box += self.related(section)
        box += self.cites_para(section.cites)
        box += self.ambiguity(section)
        if with_children:
            kids = children_of(self.corpus, section.id)
            box += self.render_many(kids, with_children=True)
        return [box]

    def render_many(self, sections, with_children: bool) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        hidden = 0
        for section in sections:
            if self.shown(section):
                out += self.render(section, with_children)
            else:
                self.use("sections", section.id)
                hidden += 1
        if hidden:
            out.append(status.withheld_notice(hidden, "policy section", "policy sections"))
        return out

    def steps(self, section) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.paragraph("", "Procedure", classes=["csec-steps-title"])]
        steps = nodes.enumerated_list(classes=["csec-steps"], enumtype="arabic", prefix="", suffix=".")
        for i, step in enumerate(section.steps):
            item = nodes.list_item(classes=["csec-step"])
            kind, key = step_key(section.id, i)
            self.anchor(kind, key, item, prefix="step")
            item += self.block(step.text).children
            if step.items:
                bullets = nodes.bullet_list()
                for text in step.items:
                    bullets += nodes.list_item("", *self.block(text).children)
                item += bullets
            when = Deadline.of(self.corpus.rules[step.rule]) if step.rule in self.corpus.rules else None
            if when:
                self.use("rules", step.rule)
                item += nodes.paragraph("", "", nodes.inline("", "Deadline: ", classes=["csec-deadline"]),
                                        self.item_link("rules", step.rule, when.words()),
                                        classes=["csec-deadline-line"])
            # A step without its own citations carries its section's, shown on the step itself.
            item += self.cites_para(step.cites or section.cites)
            steps += item
        out.append(steps)
        return out

    def terms(self, section) -> list[nodes.Node]:
        shown = [t for t in section.terms if self.shown(self.corpus.definitions[t])]
        if not shown:
            return []
        para = nodes.paragraph("", "", nodes.strong("", "Terms: "), classes=["csec-terms"])
        for i, definition_id in enumerate(shown):
            if i:
                para += nodes.Text(", ")
            para += self.term_link(definition_id)
        return [para]

    def related(self, section) -> list[nodes.Node]:
        others = [self.corpus.sections[r] for r in section.related]
        others = [o for o in others if self.shown(o)]
        if not others:
            return []
        para = nodes.paragraph("", "", nodes.strong("", "Related: "), classes=["csec-related"])
        for i, other in enumerate(others):
            if i:
                para += nodes.Text("; ")
            para += self.item_link("sections", other.id, other.title)
        return [para]


class SectionDirective(SectionRenderer):
    """`{csec-section} <id>`: one policy section; `:children:` adds its sub-sections, `:no-title:` drops the
    heading (when the page heading already names the section)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        section = self.lookup("sections", self.arguments[0])
        if not self.shown(section):
            self.use("sections", section.id)
            return [status.withheld_notice(1, "policy section", "policy sections")]
        return self.render(section, "children" in self.options, titled="no-title" not in self.options)


class SectionsDirective(SectionRenderer):
    """`{csec-sections}`: the sub-sections of `:parent:` (or the top-level sections of `:file:`, a content file
    stem), in order; `:children:` renders their sub-sections too."""

    option_spec = {**SectionRenderer.option_spec, "parent": directives.unchanged, "file": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        if "parent" in self.options:
            parent = self.lookup("sections", self.options["parent"]).id
            chosen = children_of(corpus, parent)
        elif "file" in self.options:
            stem = self.options["file"]
            in_file = [s.id for s in corpus.sections.values()
                       if corpus.file_of("sections", s.id).stem == stem]
            if not in_file:
                raise self.error(f"no sections in a content file named {stem!r}")
            ids = set(in_file)
            chosen = ordered_sections(corpus, [i for i in in_file if corpus.sections[i].parent not in ids])
        else:
            raise self.error("give :parent: <section id> or :file: <content file stem>")
        return self.render_many(chosen, "children" in self.options)
