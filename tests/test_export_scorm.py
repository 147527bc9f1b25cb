"""`csec export scorm`: one SCORM 1.2 package per module whose manifest an LMS accepts and whose SCO, run in
Chromium against scorm-again's SCORM 1.2 runtime as the LMS, reports the score and pass/fail the answers earn,
without a single request to another origin."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import xml.etree.ElementTree as ET
import zipfile

import pytest
from _browser import Quiet, browser, guarded_page  # noqa: F401  (browser: Debian's Chromium through Playwright)
from _exports import MODULES, REPO, approved, choice_words, export_ok, html_words, words

SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return export_ok(tmp_path_factory, "scorm")[0]


def _manifest(zf: zipfile.ZipFile) -> ET.Element:
    return ET.fromstring(zf.read("imsmanifest.xml"))


def _mastery(manifest: ET.Element) -> int:
    return int(manifest.find(".//cp:item/adlcp:masteryscore", NS).text)


def _quiz_data(zf: zipfile.ZipFile) -> dict:
    page = zf.read("index.html").decode("utf-8")
    block = re.search(r'<script type="application/json" id="csec-quiz-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


@pytest.mark.parametrize("module", MODULES)
def test_each_module_is_a_single_sco_scorm_12_package(packages, corpus, module):
    with zipfile.ZipFile(packages / f"{module}.zip") as zf:
        manifest = _manifest(zf)
        assert manifest.tag == f"{{{NS['cp']}}}manifest"
        assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
        assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
        resources = manifest.findall("cp:resources/cp:resource", NS)
        assert len(resources) == 1 and resources[0].get(f"{{{NS['adlcp']}}}scormtype") == "sco"
        item = manifest.find("cp:organizations/cp:organization/cp:item", NS)
        assert item.get("identifierref") == resources[0].get("identifier")
        assert 0 < _mastery(manifest) <= 100
        listed = {f.get("href") for f in resources[0].findall("cp:file", NS)}
        assert resources[0].get("href") in listed
        assert listed == set(zf.namelist()) - {"imsmanifest.xml"}  # every file listed, every listed file there
        page = zf.read("index.html").decode("utf-8")
        assert not re.search(r'(?:src|href)="(?!sco\.)', page), "the page loads only the package's own files"
        data = _quiz_data(zf)
    expected = approved(corpus, module)
    assert [q["id"] for q in data["questions"]] == [q.id for q in expected]
    for got, question in zip(data["questions"], expected):
        assert html_words(got["stem"]) == words(corpus, question.stem)
        assert [(html_words(c["html"]), c["correct"], html_words(c["feedback"])) for c in got["choices"]] == [
            (choice_words(corpus, c.text), c.correct, words(corpus, c.feedback)) for c in question.choices]


# --- the SCO in a browser, with scorm-again as the LMS ----------------------------------------------------------

HOST = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>test LMS</title>
<script src="/scorm12.js"></script>
<script>
  window.API = new Scorm12API({autocommit: false});
  window.lms = {set: {}, commits: 0, finished: false};
  // What an LMS does at launch with the manifest's adlcp:masteryscore.
  API.cmi.student_data.mastery_score = "%(mastery)s";
  API.on("LMSSetValue.cmi.*", function (element, value) { lms.set[element] = value; });
  API.on("LMSCommit", function () { lms.commits += 1; });
  API.on("LMSFinish", function () { lms.finished = true; });
</script></head>
<body><iframe id="sco" src="/sco/%(module)s/index.html" width="1000" height="800"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def lms(packages, tmp_path_factory):
    """A static server on 127.0.0.1 with scorm-again, each module's unzipped package and a host page per module."""
    assert SCORM_AGAIN.is_file(), "npm ci installs scorm-again (a devDependency in package.json)"
    site = tmp_path_factory.mktemp("lms")
    (site / "scorm12.js").write_bytes(SCORM_AGAIN.read_bytes())
    masteries = {}
    for module in MODULES:
        with zipfile.ZipFile(packages / f"{module}.zip") as zf:
            zf.extractall(site / "sco" / module)
            masteries[module] = _mastery(_manifest(zf))
        (site / f"{module}.html").write_text(HOST % {"module": module, "mastery": masteries[module]})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", masteries
    httpd.shutdown()


def _answer(frame, corpus, question, right: bool) -> None:
    fs = frame.locator(f"fieldset[data-question='{question.id}']")
    n = len(question.choices)
    for i, choice in enumerate(question.choices):
        assert html_words(fs.locator(f"[data-choice='{i}'] + span").inner_html()) == \
            choice_words(corpus, choice.text), question.id
    if question.kind == "ordering":
        for i in range(n):
            fs.locator(f"select[data-choice='{i}']").select_option(str(i + 1 if right else n - i))
        return
    if question.kind == "multiple":
        # Wrong: tick every choice (or none, when every choice is right).
        tick = [c.correct for c in question.choices] if right else (
            [True] * n if not all(c.correct for c in question.choices) else [False] * n)
    else:
        first_wrong = next(i for i, c in enumerate(question.choices) if not c.correct)
        tick = [c.correct for c in question.choices] if right else [i == first_wrong for i in range(n)]
    for i, on in enumerate(tick):
        if on:
            fs.locator(f"input[data-choice='{i}']").check()


def _take_quiz(browser, lms, corpus, module: str, wrong: int) -> tuple[dict, list[str], list[str]]:
    base, _ = lms
    # Anything not from the test server is refused outright and recorded: the SCO must need nothing else.
    with guarded_page(browser, base + "/") as (page, outside, errors):
        page.goto(f"{base}/{module}.html")
        frame = page.frame_locator("#sco")
        frame.locator("fieldset").first.wait_for()
        assert page.evaluate("() => API.LMSGetValue('cmi.core.lesson_status')") == "incomplete"
        for i, question in enumerate(approved(corpus, module)):
            _answer(frame, corpus, question, right=i >= wrong)
        frame.locator("button[type=submit]").click()
        page.wait_for_function("() => window.lms.finished", timeout=10_000)
        state = page.evaluate("""() => ({raw: API.cmi.core.score.raw, min: API.cmi.core.score.min,
            max: API.cmi.core.score.max, status: API.cmi.core.lesson_status, set: lms.set, commits: lms.commits,
            result: document.getElementById('sco').contentDocument.getElementById('csec-result').textContent})""")
        first = approved(corpus, module)[0]
        state["first_feedback"] = [html_words(t) for t in frame.locator(
            f"fieldset[data-question='{first.id}'] .csec-feedback:not([hidden])").all_inner_texts()]
    return state, outside, errors


def _expected(corpus, lms, module: str, wrong: int) -> tuple[str, str]:
    n = len(approved(corpus, module))
    raw = 100 * (n - wrong) // n
    return str(raw), "passed" if raw >= lms[1][module] else "failed"


@pytest.mark.browser
@pytest.mark.parametrize("module", MODULES)
def test_all_right_passes_with_100(browser, lms, corpus, module):
    state, outside, errors = _take_quiz(browser, lms, corpus, module, wrong=0)
    assert (state["raw"], state["status"]) == ("100", "passed")
    assert (state["min"], state["max"]) == ("0", "100")
    assert state["set"]["cmi.core.score.raw"] == "100" and state["commits"] >= 1
    assert outside == [] and errors == []


@pytest.mark.browser
def test_some_wrong_fails_with_the_score_the_answers_earn(browser, lms, corpus):
    module = "csec-101"
    n = len(approved(corpus, module))
    wrong = next(k for k in range(1, n + 1) if 100 * (n - k) // n < lms[1][module])
    state, outside, errors = _take_quiz(browser, lms, corpus, module, wrong=wrong)
    assert (state["raw"], state["status"]) == _expected(corpus, lms, module, wrong)
    assert state["status"] == "failed"
    assert f"{n - wrong} of {n} right" in state["result"]
    # The first question was answered wrong: its chosen choice's feedback is shown.
    first = approved(corpus, module)[0]
    assert any(words(corpus, c.feedback) in state["first_feedback"] for c in first.choices)
    assert outside == [] and errors == []


@pytest.mark.browser
def test_one_wrong_still_passes_below_100(browser, lms, corpus):
    module = "labor-trafficking"
    state, outside, errors = _take_quiz(browser, lms, corpus, module, wrong=1)
    assert (state["raw"], state["status"]) == _expected(corpus, lms, module, 1)
    assert state["raw"] != "100" and state["status"] == "passed"
    assert outside == [] and errors == []
