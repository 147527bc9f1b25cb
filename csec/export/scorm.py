"""SCORM 1.2 packages, one single-SCO zip per module (`<module>.zip`): a manifest, and a self-contained quiz page
whose script reads the module's questions from a JSON block and reports score and pass/fail to the LMS."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape, quoteattr

from csec.export.errors import Format
from csec.export.questions import LmsModule, LmsQuestion
from csec.training.answer import MASTERY_SCORE, stable_order

# MASTERY_SCORE is the pass mark the site's quiz shows too: the manifest declares it (adlcp:masteryscore) so the LMS
# can show and override it, and the SCO falls back to it when the LMS gives none.
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
    return stable_order(q.id, len(q.choices))


def page(module: LmsModule) -> str:
    # '<' is written \u003c in the JSON so no text can close the <script> block it sits in.
    data = json.dumps(quiz_data(module), ensure_ascii=False, indent=1).replace("<", "\\u003c")
    template = Template((SCO / "index.html").read_text(encoding="utf-8"))
    return template.substitute(title=escape(module.title), summary=module.summary, data=data)


def manifest(module: LmsModule, files: list[str]) -> str:
    title = escape(module.title)
    listed = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(f"csec-kit-{module.id}")} version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-{module.id}">
    <organization identifier="org-{module.id}">
      <title>{title}</title>
      <item identifier="item-{module.id}" identifierref="sco-{module.id}" isvisible="true">
        <title>{title}</title>
        <adlcp:masteryscore>{MASTERY_SCORE}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco-{module.id}" type="webcontent" adlcp:scormtype="sco" href="index.html">
{listed}
    </resource>
  </resources>
</manifest>
"""


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
