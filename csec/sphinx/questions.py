"""`{csec-questions} [set-id]`: investigative question sets with their audience, questions, citations and review
record. Sets awaiting review (the union reviews them before publishing) are replaced on the published site by a
notice saying how many questions are withheld and who reviews them.
"""

from __future__ import annotations

from docutils import nodes

from csec.core.reviews import review_words
from csec.sphinx import status
from csec.sphinx.render import CsecDirective

AUDIENCE = {"youth": "the youth", "caregiver": "caregivers", "reporter": "the reporter",
            "investigator": "the investigating social worker", "collateral": "collateral contacts"}
STYLE = {"open_ended": "open-ended questions", "specific": "more specific questions", "area": "areas to address",
         "contacts": "contacts to make", "determination": "questions for the determination"}


class QuestionsDirective(CsecDirective):
    """`{csec-questions} <set-id>` renders one set; without an argument, every set in content order."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        if self.arguments:
            sets = [self.lookup("question_sets", self.arguments[0])]
        else:
            sets = list(self.corpus.question_sets.values())
        out: list[nodes.Node] = []
        hidden_questions, reviewers = 0, []
        for qset in sets:
            self.use("question_sets", qset.id)
            if self.shown(qset):
                out.append(self.render(qset))
            else:
                hidden_questions += len(qset.questions)
                reviewers += [r.reviewer for r in qset.reviews if r.decision == "requested"]
        if hidden_questions:
            out.append(status.withheld_notice(hidden_questions, "investigative question", "investigative questions",
                                              reviewers))
        return out

    def render(self, qset) -> nodes.section:
        section = nodes.section(classes=["csec-question-set"])
        section += self.heading(qset, qset.title)
        self.anchor("question_sets", qset.id, section, prefix="questions")
        section += nodes.paragraph(
            "", f"For {AUDIENCE[qset.audience]}: {STYLE[qset.style]}.", classes=["csec-question-meta"])
        if qset.intro:
            section += self.block(qset.intro).children
        questions = nodes.enumerated_list(classes=["csec-questions"], enumtype="arabic", prefix="", suffix=".")
        for q in qset.questions:
            item = nodes.list_item(classes=["csec-question"])
            item += self.block(q.text).children
            item += self.cites_para(q.cites)
            questions += item
        section += questions
        section += self.cites_para(qset.cites)
        if qset.reviews and status.preview(self.env):  # the review history is for reviewers, not workers
            section += self.review(qset)
        section += self.ambiguity(qset)
        return section

    def review(self, qset) -> list[nodes.Node]:
        bullets = nodes.bullet_list(classes=["csec-review"])
        for r in qset.reviews:
            item = nodes.list_item("", nodes.paragraph("", review_words(r)))
            if r.comments:
                item += self.block(r.comments).children
            bullets += item
        return [nodes.paragraph("", "", nodes.strong("", "Review"), classes=["csec-review-title"]), bullets]
