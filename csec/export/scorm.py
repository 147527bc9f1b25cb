"""SCORM 1.2 packages, one single-SCO zip per module (`<module>.zip`): a manifest with the schema files it names, and
a self-contained page whose script runs the module's vignettes and quiz from a JSON block and reports to the LMS
(score, pass/fail, one interaction per question and vignette decision, resume)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from csec.export.errors import ExportError, Format
from csec.export.questions import (
    LmsDecision,
    LmsModule,
    LmsQuestion,
    LmsVignette,
    objective_id,
    tags,
)
from csec.training.answer import MASTERY_SCORE

# MASTERY_SCORE is the pass mark the site's quiz shows too: the manifest declares it (adlcp:masteryscore) so the LMS
# can show and override it, and the SCO falls back to it when the LMS gives none.
SCO = Path(__file__).with_name("sco")
ASSETS = ("sco.js", "sco.css")
# The schema files the manifest names in xsi:schemaLocation, at the package root beside it (see schemas/README.md).
SCHEMAS = ("imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd")
# A SCORM 1.2 choice response names each option by one character (RTE 3.4.2.7.4), so a list has at most 36.
OPTION_IDS = "0123456789abcdefghijklmnopqrstuvwxyz"
_STAMP = (1980, 1, 1, 0, 0, 0)  # fixed zip times, so the same content gives byte-identical packages


def quiz_data(module: LmsModule) -> dict:
    """The JSON the SCO runs: the vignettes (practice, recorded as interactions) and the quiz (scored). Each item
    carries its LMS objectives, the module (its category in every export) and its topic (its tag)."""
    for item in [*module.questions, *(d for v in module.vignettes for d in v.decisions)]:
        if len(getattr(item, "choices", None) or getattr(item, "options", ())) > len(OPTION_IDS):
            raise ExportError(f"{item.id} has more than {len(OPTION_IDS)} choices, more than SCORM 1.2 can record")
    return {"module": module.id, "title": module.title, "mastery_score": MASTERY_SCORE, "option_ids": OPTION_IDS,
            "vignettes": [_vignette(module, v) for v in module.vignettes],
            "questions": [_question(module, q) for q in module.questions]}


def _objectives(module: LmsModule, topics: list[str]) -> list[str]:
    return [objective_id(module.id), *(objective_id(t) for t in topics)]


def _question(module: LmsModule, q: LmsQuestion) -> dict:
    return {"id": q.id, "kind": q.kind, "stem": q.stem, "objectives": _objectives(module, tags(q)),
            "choices": [{"html": c.html, "correct": c.correct, "feedback": c.feedback} for c in q.choices]}


def _decision(module: LmsModule, d: LmsDecision) -> dict:
    data = {"id": d.id, "kind": d.kind, "prompt": d.prompt, "objectives": _objectives(module, [d.topic]),
            "options": [{"html": o.html, "correct": o.correct, "chosen": o.chosen, "missed": o.missed}
                        for o in d.options]}
    if d.action is not None:
        data["action"] = d.action
    if d.timed:
        data["timed"] = list(d.timed)
    return data


def _vignette(module: LmsModule, v: LmsVignette) -> dict:
    return {"id": v.id, "title": v.title, "warning": v.warning, "narrative": v.narrative, "debrief": v.debrief,
            "decisions": [_decision(module, d) for d in v.decisions], "deadlines": list(v.deadlines)}


def page(module: LmsModule) -> str:
    # '<' is written \u003c in the JSON so no text can close the <script> block it sits in.
    data = json.dumps(quiz_data(module), ensure_ascii=False, indent=1).replace("<", "\\u003c")
    template = Template((SCO / "index.html").read_text(encoding="utf-8"))
    return template.substitute(title=escape(module.title), summary=module.summary, data=data)


_NS = {"": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
       "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
_SCHEMAS = ("http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
            "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd")
for _prefix, _uri in _NS.items():
    ET.register_namespace(_prefix, _uri)  # the prefixes SCORM 1.2's own examples use, not ns0/ns1


def _tag(name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{_NS[prefix]}}}{local}"


def _el(parent: ET.Element | None, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    attributes = {_tag(k.replace("__", ":")) if "__" in k else k: v for k, v in attrs.items()}
    element = ET.Element(_tag(name), attributes) if parent is None else ET.SubElement(parent, _tag(name), attributes)
    element.text = text
    return element


def manifest(module: LmsModule, files: list[str]) -> str:
    """imsmanifest.xml, built with ElementTree (every title and name escaped by the library)."""
    root = _el(None, "manifest", identifier=f"csec-kit-{module.id}", version="1.0", xsi__schemaLocation=_SCHEMAS)
    metadata = _el(root, "metadata")
    _el(metadata, "schema", "ADL SCORM")
    _el(metadata, "schemaversion", "1.2")
    organizations = _el(root, "organizations", default=f"org-{module.id}")
    organization = _el(organizations, "organization", identifier=f"org-{module.id}")
    _el(organization, "title", module.title)
    item = _el(organization, "item", identifier=f"item-{module.id}", identifierref=f"sco-{module.id}",
               isvisible="true")
    _el(item, "title", module.title)
    _el(item, "adlcp:masteryscore", str(MASTERY_SCORE))
    resources = _el(root, "resources")
    resource = _el(resources, "resource", identifier=f"sco-{module.id}", type="webcontent",
                   adlcp__scormtype="sco", href="index.html")
    for name in files:
        _el(resource, "file", href=name)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def package(module: LmsModule, target: Path) -> None:
    files = {"index.html": page(module).encode("utf-8")}
    files.update({name: (SCO / name).read_bytes() for name in ASSETS})
    schemas = [(name, (SCO / "schemas" / name).read_bytes()) for name in SCHEMAS]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        # The manifest first and at the root: that is where every LMS looks for it. The schema files are the
        # manifest's, not the SCO's: beside it, and not among the resource's files.
        for name, body in [("imsmanifest.xml", manifest(module, list(files)).encode("utf-8")), *files.items(),
                           *schemas]:
            info = zipfile.ZipInfo(name, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body)


FORMAT = Format("scorm", ".zip", "SCORM 1.2 packages", package)
