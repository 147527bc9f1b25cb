"""SCORM 1.2 packages, one single-SCO zip per module (`<module>.zip`): a manifest, and a self-contained quiz page
whose script reads the module's questions from a JSON block and reports score and pass/fail to the LMS."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from csec.export.errors import Format
from csec.export.questions import LmsModule, LmsQuestion

# The pass mark is the kit's training choice, not a policy number: the manifest declares it (adlcp:masteryscore) so
# the LMS can show and override it, and the SCO falls back to it when the LMS gives none.
MASTERY_SCORE = 80
SCO = Path(__file__).with_name("sco")
ASSETS = ("sco.js", "sco.css")
_STAMP = (1980, 1, 1, 0, 0, 0)  # fixed zip times, so the same content gives byte-identical packages


def quiz_data(module: LmsModule) -> dict:
    """The JSON the SCO runs; ordering steps carry the order they are shown in (a fixed shuffle, never the answer)."""
    return {"module": module.id, "title": module.title, "mastery_score": MASTERY_SCORE,
            "questions": [_question(q) for q in module.questions]}


def _question(q: LmsQuestion) -> dict:
    out = {"id": q.id, "kind": q.kind, "stem": q.stem,
           "choices": [{"html": c.html, "correct": c.correct, "feedback": c.feedback} for c in q.choices]}
    if q.kind == "ordering":
        out["display"] = _shuffled(q)
    return out


def _shuffled(q: LmsQuestion) -> list[int]:
    order = sorted(range(len(q.choices)), key=lambda i: hashlib.sha256(f"{q.id}:{i}".encode()).hexdigest())
    return order[1:] + order[:1] if order == sorted(order) else order


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
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        # The manifest first and at the root: that is where every LMS looks for it.
        for name, body in [("imsmanifest.xml", manifest(module, list(files)).encode("utf-8")), *files.items()]:
            info = zipfile.ZipInfo(name, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body)


FORMAT = Format("scorm", ".zip", "SCORM 1.2 packages", package)
