"""`csec export scorm`: one SCORM 1.2 package per module whose manifest validates against the schema files inside it
and whose SCO, run in Chromium against scorm-again's SCORM 1.2 runtime as the LMS, holds the module's vignettes and
quiz, reports the score and pass/fail the answers earn, one interaction per question and vignette decision, resumes
where the learner left, and never lowers a recorded pass, without a single request to another origin."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import xml.etree.ElementTree as ET
import zipfile

import pytest
import xmlschema
from _browser import Quiet, browser, guarded_page  # noqa: F401  (browser: Debian's Chromium through Playwright)
from _exports import MODULES, REPO, approved, choice_words, export_ok, html_words, words

from csec.training.answer import deadline_key, deadline_label, module_scenarios, vignette_key

SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
SCHEMA_FILES = {"imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"}
XML_NS = "http://www.w3.org/XML/1998/namespace"


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
        # Every SCO file listed, every listed file there; the schema files sit beside the manifest, not in the SCO.
        assert listed == set(zf.namelist()) - {"imsmanifest.xml"} - SCHEMA_FILES
        page = zf.read("index.html").decode("utf-8")
        assert not re.search(r'(?:src|href)="(?!sco\.)', page), "the page loads only the package's own files"
        data = _quiz_data(zf)
    # The vignettes travel with the quiz, in the module's order, approved ones only.
    assert [v["id"] for v in data["vignettes"]] == [
        s for s in module_scenarios(corpus, module) if corpus.scenarios[s].status == "approved"]
    assert data["vignettes"], module
    expected = approved(corpus, module)
    assert [q["id"] for q in data["questions"]] == [q.id for q in expected]
    for got, question in zip(data["questions"], expected):
        assert html_words(got["stem"]) == words(corpus, question.stem)
        assert [(html_words(c["html"]), c["correct"], html_words(c["feedback"])) for c in got["choices"]] == [
            (choice_words(corpus, c.text), c.correct, words(corpus, c.feedback)) for c in question.choices]


def test_the_manifest_validates_against_the_schema_files_in_the_package(packages, tmp_path):
    """ADL's conformance test reads the schema files the manifest names from the package itself."""
    with zipfile.ZipFile(packages / "csec-101.zip") as zf:
        assert SCHEMA_FILES <= set(zf.namelist())
        zf.extractall(tmp_path)
    manifest = ET.parse(tmp_path / "imsmanifest.xml").getroot()
    named = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[1::2]
    assert set(named) <= SCHEMA_FILES and "imscp_rootv1p1p2.xsd" in named
    schema = xmlschema.XMLSchema10([str(tmp_path / "imscp_rootv1p1p2.xsd"), str(tmp_path / "adlcp_rootv1p2.xsd")],
                                   validation="lax")
    # IMS's ims_xml.xsd binds the xml namespace as its default, which expat refuses to parse; every other
    # component must build, and the manifest must validate against them.
    assert all(XML_NS in str(e) for e in schema.all_errors), schema.all_errors
    assert [e.reason for e in schema.iter_errors(str(tmp_path / "imsmanifest.xml"))] == []
    broken = tmp_path / "broken.xml"
    broken.write_text((tmp_path / "imsmanifest.xml").read_text().replace("</metadata>", "<bogus/></metadata>"))
    assert not schema.is_valid(str(broken))  # the check can fail


# --- the SCO in a browser, with scorm-again as the LMS ----------------------------------------------------------

HOST = """<!DOCTYPE html>
<html data-mastery="%(mastery)s"><head><meta charset="utf-8"><title>test LMS</title>
<script src="/scorm12.js"></script>
<script src="/host.js"></script></head>
<body><iframe id="sco" src="/sco/%(module)s/index.html" width="1000" height="800"></iframe></body></html>
"""
# The launch data an LMS gives the SCO comes in the page's #fragment as JSON (entry, lesson_mode, credit, the status
# and score on record, suspend_data, lesson_location, student_id); the host logs every value the SCO sets.
HOST_JS = """
  window.API = new Scorm12API({autocommit: false});
  window.lms = {set: {}, log: [], commits: 0, finished: false};
  // What an LMS does at launch with the manifest's adlcp:masteryscore.
  API.cmi.student_data.mastery_score = document.documentElement.getAttribute("data-mastery");
  var launch = JSON.parse(decodeURIComponent(location.hash.slice(1)) || "{}");
  API.cmi.core.student_id = launch.student_id || "learner-1";
  ["entry", "lesson_mode", "credit", "lesson_status", "lesson_location"].forEach(function (k) {
    if (launch[k] !== undefined) { API.cmi.core[k] = launch[k]; }
  });
  if (launch.raw !== undefined) { API.cmi.core.score.raw = launch.raw; }
  if (launch.suspend_data !== undefined) { API.cmi.suspend_data = launch.suspend_data; }
  API.on("LMSSetValue.cmi.*", function (element, value) { lms.set[element] = value; lms.log.push([element, value]); });
  API.on("LMSCommit", function () { lms.commits += 1; });
  API.on("LMSFinish", function () { lms.finished = true; });
"""


@pytest.fixture(scope="module")
def lms(packages, tmp_path_factory):
    """A static server on 127.0.0.1 with scorm-again, each module's unzipped package and a host page per module."""
    assert SCORM_AGAIN.is_file(), "npm ci installs scorm-again (a devDependency in package.json)"
    site = tmp_path_factory.mktemp("lms")
    (site / "scorm12.js").write_bytes(SCORM_AGAIN.read_bytes())
    (site / "host.js").write_text(HOST_JS)
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
    # Each choice's words, read in one call (None where a choice's text is missing or not one element).
    shown = fs.evaluate("""(fs, n) => Array.from({length: n}, (_, i) => {
        const found = fs.querySelectorAll(`[data-choice='${i}'] + span`);
        return found.length === 1 ? found[0].innerHTML : null;
    })""", n)
    assert [text if text is None else html_words(text) for text in shown] == [
        choice_words(corpus, choice.text) for choice in question.choices], question.id
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


def _launch(page, base: str, module: str, **launch) -> None:
    page.goto("about:blank")  # a new launch, never a same-page #fragment change
    page.goto(f"{base}/{module}.html#{json.dumps(launch)}")
    page.frame_locator("#sco").locator("#csec-quiz fieldset").first.wait_for()


def _state(page) -> dict:
    return page.evaluate("""() => ({raw: API.cmi.core.score.raw, min: API.cmi.core.score.min,
        max: API.cmi.core.score.max, status: API.cmi.core.lesson_status, set: lms.set, log: lms.log,
        commits: lms.commits, finished: lms.finished, suspend: API.cmi.suspend_data,
        location: API.cmi.core.lesson_location, exit: lms.set['cmi.core.exit'],
        result: document.getElementById('sco')?.contentDocument.getElementById('csec-result').textContent})""")


def _answer_quiz(frame, corpus, module: str, wrong: int) -> None:
    for i, question in enumerate(approved(corpus, module)):
        _answer(frame, corpus, question, right=i >= wrong)


def _submit(page) -> dict:
    page.frame_locator("#sco").locator("#csec-quiz button[type=submit]").click()
    page.wait_for_function("() => window.lms.finished", timeout=10_000)
    return _state(page)


def _leave(page) -> dict:
    """The learner closes the SCO's window: its frame goes away (pagehide), the host page stays to be read."""
    page.evaluate("() => document.getElementById('sco').remove()")
    page.wait_for_function("() => window.lms.finished", timeout=10_000)
    return _state(page)


def _take_quiz(browser, lms, corpus, module: str, wrong: int) -> tuple[dict, list[str], list[str]]:
    base, _ = lms
    # Anything not from the test server is refused outright and recorded: the SCO must need nothing else.
    with guarded_page(browser, base + "/") as (page, outside, errors):
        _launch(page, base, module)
        frame = page.frame_locator("#sco")
        assert page.evaluate("() => API.LMSGetValue('cmi.core.lesson_status')") == "incomplete"
        _answer_quiz(frame, corpus, module, wrong)
        state = _submit(page)
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


# --- interactions, resume, a kept pass ----------------------------------------------------------------------------

def _interactions(log: list) -> dict[str, dict]:
    """{interaction id: its fields} from the values the SCO set, in the order it set them."""
    by_index: dict[str, dict] = {}
    for element, value in log:
        m = re.match(r"cmi\.interactions\.(\d+)\.(.+)$", element)
        if m:
            by_index.setdefault(m.group(1), {})[m.group(2)] = value
    return {fields["id"]: fields for fields in by_index.values()}


def _answer_vignette(frame, corpus, position: int, key) -> None:
    """Answer a vignette as its key says for indicators and classifications; tick no red flag and no action."""
    section = frame.locator(f"#csec-v{position}")
    for item in key.topic("indicator"):
        if item.expected:
            section.locator(f"fieldset[data-decision='{key.scenario_id}.indicator'] label.csec-choice",
                            has_text=words(corpus, item.label)).locator("input").check()
    for item in key.topic("classification"):
        fs = section.locator(f"fieldset[data-decision='{key.scenario_id}.{item.key}']")
        fs.locator(f"input[value='{'t' if item.expected else 'f'}']").check()
    section.get_by_role("button", name="Check my answers").click()
    section.locator(".csec-debrief").wait_for()


@pytest.mark.browser
def test_each_question_and_vignette_decision_is_an_interaction(browser, lms, corpus):
    module = "csec-101"
    base, _ = lms
    sid = module_scenarios(corpus, module)[0]
    key = vignette_key(corpus, sid, 1)
    questions = approved(corpus, module)
    with guarded_page(browser, base + "/") as (page, outside, errors):
        _launch(page, base, module)
        frame = page.frame_locator("#sco")
        # The debrief gives the answers away: hidden until the trainee has checked their decisions.
        assert not frame.locator("#csec-v1 .csec-debrief").is_visible()
        _answer_vignette(frame, corpus, 1, key)
        _answer_quiz(frame, corpus, module, wrong=1)
        state = _submit(page)
    assert outside == [] and errors == []
    got = _interactions(state["log"])
    decisions = [f"{sid}.indicator", f"{sid}.red_flag", *(f"{sid}.{i.key}" for i in key.topic("classification")),
                 f"{sid}.action", *_deadline_ids(key)]
    assert set(got) == set(decisions) | {q.id for q in questions}
    for fields in got.values():
        assert {"id", "type", "student_response", "result", "correct_responses.0.pattern", "time",
                "objectives.0.id"} <= set(fields), fields
        assert fields["objectives.0.id"] == module
    assert got[f"{sid}.indicator"]["result"] == "correct"
    assert got[f"{sid}.indicator"]["type"] == "choice"
    assert got[f"{sid}.indicator"]["student_response"] == got[f"{sid}.indicator"]["correct_responses.0.pattern"]
    for item in key.topic("classification"):
        assert got[f"{sid}.{item.key}"]["type"] == "true-false"
        assert got[f"{sid}.{item.key}"]["result"] == "correct"
        assert got[f"{sid}.{item.key}"]["student_response"] == ("t" if item.expected else "f")
    # Nothing ticked: wrong where the vignette has something to find.
    for topic in ("red_flag", "action"):
        expected_any = any(i.expected for i in key.topic(topic) if topic != "red_flag" or i.key in key.red_flags_offered)
        assert got[f"{sid}.{topic}"]["result"] == ("wrong" if expected_any else "correct")
        assert got[f"{sid}.{topic}"]["student_response"] == ""
    assert got[questions[0].id]["result"] == "wrong"
    assert all(got[q.id]["result"] == "correct" for q in questions[1:])
    kinds = {"single": "choice", "multiple": "choice", "true_false": "true-false", "ordering": "sequencing"}
    assert all(got[q.id]["type"] == kinds[q.kind] for q in questions)
    # A right answer's response is its correct pattern; the wrong first one's is not.
    assert all(got[q.id]["student_response"] == got[q.id]["correct_responses.0.pattern"] for q in questions[1:])
    assert got[questions[0].id]["student_response"] != got[questions[0].id]["correct_responses.0.pattern"]
    # The vignettes are practice: the score is the quiz's alone.
    n = len(questions)
    assert state["raw"] == str(100 * (n - 1) // n)


def _deadline_ids(key) -> list[str]:
    """The interaction ids of a vignette's deadline decisions: one per required action that has a deadline."""
    return [f"{key.scenario_id}.deadline.{i.key}" for i in key.topic("action") if i.expected and i.deadline]


@pytest.mark.browser
def test_the_deadline_decisions_of_a_vignette_are_graded_interactions(browser, lms, corpus):
    """The site's vignette asks for each required action's deadline and scores it (csec.training.answer): so does the
    SCO, one choice interaction each, a deadline given only with its action ticked."""
    module = "csec-101"
    base, _ = lms
    sids = module_scenarios(corpus, module)
    position, key = next((k, vignette_key(corpus, s, k)) for k, s in enumerate(sids, 1)
                         if len(_deadline_ids(vignette_key(corpus, s, k))) >= 3)
    sid = key.scenario_id
    options = [k for _, k in key.deadline_options]
    required = [i for i in key.topic("action") if i.expected and i.deadline]
    timed = [i for i in key.topic("action") if deadline_key(corpus.rules[i.key])]
    assert len(timed) > len(required), "the choice of a deadline must not tell which actions are required"
    right, wrong, unticked = required[:3]
    wrong_choice = next(k for k in options if k != wrong.deadline.key)
    with guarded_page(browser, base + "/") as (page, outside, errors):
        _launch(page, base, module)
        section = page.frame_locator("#sco").locator(f"#csec-v{position}")
        # Every timed action offers a deadline, required or not.
        assert section.locator("select").count() == len(timed)
        actions = section.locator(f"fieldset[data-decision='{sid}.action']")
        for item in key.topic("action"):
            if item.expected and item is not unticked:
                actions.locator("label.csec-choice", has_text=words(corpus, item.label)).locator("input").check()
        for item, choice in ((right, right.deadline.key), (wrong, wrong_choice), (unticked, unticked.deadline.key)):
            section.locator(f"[data-decision='{sid}.deadline.{item.key}'] select").select_option(
                label=deadline_label(choice))
        section.get_by_role("button", name="Check my answers").click()
        section.locator(".csec-debrief").wait_for()
        result = section.locator(".csec-vresult").inner_text()
        state = _state(page)
    assert outside == [] and errors == []
    got = _interactions(state["log"])
    assert set(_deadline_ids(key)) <= set(got)
    assert len(got) == 3 + len(key.topic("classification")) + len(required), sorted(got)
    assert result.endswith(f" of {len(got)} decisions right: see the notes above and the debrief."), result
    char = {k: str(n) for n, k in enumerate(options)}  # SCORM 1.2 names a choice by one character: its place
    for item, response, verdict in ((right, char[right.deadline.key], "correct"),
                                    (wrong, char[wrong_choice], "wrong"),
                                    (unticked, "", "wrong")):  # a deadline without its action is not given
        fields = got[f"{sid}.deadline.{item.key}"]
        assert (fields["type"], fields["student_response"], fields["result"]) == ("choice", response, verdict), item.key
        assert fields["correct_responses.0.pattern"] == char[item.deadline.key]
        assert fields["objectives.0.id"] == module and fields["objectives.1.id"] == "deadlines"
    for item in required[3:]:  # ticked, no deadline chosen: missed
        assert got[f"{sid}.deadline.{item.key}"]["result"] == "wrong"


def _controls(frame) -> dict:
    return frame.locator("main").evaluate("""(main) => Array.from(main.querySelectorAll('input, select')).map(
        (el) => el.tagName === 'SELECT' ? el.value : el.checked)""")


@pytest.mark.browser
def test_a_learner_who_leaves_halfway_resumes_where_they_were(browser, lms, corpus):
    module = "csec-101"
    base, _ = lms
    sid = module_scenarios(corpus, module)[0]
    questions = approved(corpus, module)
    with guarded_page(browser, base + "/") as (page, outside, errors):
        _launch(page, base, module, entry="ab-initio")
        frame = page.frame_locator("#sco")
        _answer_vignette(frame, corpus, 1, vignette_key(corpus, sid, 1))
        # The most a learner can leave behind: every box in every other vignette ticked, every step placed.
        frame.locator("main").evaluate("""(main) => main.querySelectorAll(
            'section.csec-vignette:not(#csec-v1) input[type=checkbox]').forEach((el) => { el.checked = true; })""")
        frame.locator("#csec-v2 input[type=checkbox]").first.uncheck()  # a change event, as a learner's click
        frame.locator("#csec-v2 input[type=checkbox]").first.check()
        frame.locator("#csec-v2 select").last.select_option(index=1)  # a deadline chosen is kept too
        half = len(questions) // 2
        for question in questions[:half]:
            _answer(frame, corpus, question, right=True)
        before = _controls(frame)
        left = _leave(page)
        assert left["exit"] == "suspend" and left["status"] == "incomplete"
        assert left["location"] == "csec-quiz-section"
        assert 0 < len(left["suspend"]) <= 4096, len(left["suspend"])
        # The LMS launches the SCO again with what it stored.
        _launch(page, base, module, entry="resume", lesson_status="incomplete", suspend_data=left["suspend"],
                lesson_location=left["location"])
        frame = page.frame_locator("#sco")
        assert _controls(frame) == before
        assert frame.locator("#csec-v1 .csec-debrief").is_visible()  # checked before leaving: still checked
        assert "Welcome back" in frame.locator("#csec-lms").inner_text()
        for question in questions[half:]:
            _answer(frame, corpus, question, right=True)
        state = _submit(page)
        assert (state["status"], state["raw"]) == ("passed", "100")
        # A fresh attempt (not a resume) starts empty.
        _launch(page, base, module, entry="ab-initio", suspend_data=left["suspend"])
        assert not any(_controls(page.frame_locator("#sco")))
    assert outside == [] and errors == []


@pytest.mark.browser
@pytest.mark.parametrize("launch", [{"entry": ""}, {"lesson_mode": "review"}, {"credit": "no-credit"},
                                    {"lesson_mode": "browse"}])
def test_a_relaunch_never_lowers_a_recorded_pass(browser, lms, corpus, launch):
    module = "labor-trafficking"
    base, _ = lms
    n = len(approved(corpus, module))
    with guarded_page(browser, base + "/") as (page, outside, errors):
        _launch(page, base, module, lesson_status="passed", raw="100", **launch)
        frame = page.frame_locator("#sco")
        if launch.get("lesson_mode") == "review":
            assert frame.locator("#csec-quiz button[type=submit]").is_disabled()
            state = _leave(page)
        else:
            _answer_quiz(frame, corpus, module, wrong=n)
            state = _submit(page)
            assert f"0 of {n} right" in state["result"]
    assert (state["status"], state["raw"]) == ("passed", "100")
    written = {element for element, _ in state["log"]}
    assert "cmi.core.lesson_status" not in written and "cmi.core.score.raw" not in written
    if "lesson_mode" in launch:  # review and browse record nothing about the answers
        assert not any(e.startswith(("cmi.interactions", "cmi.suspend_data")) for e in written)
    assert outside == [] and errors == []


@pytest.mark.browser
def test_choices_are_shuffled_per_learner_and_stable_on_relaunch(browser, lms, corpus):
    module = "csec-101"
    base, _ = lms
    shown = {}
    with guarded_page(browser, base + "/") as (page, outside, errors):
        for learner in ("learner-a", "learner-a", "learner-b"):
            _launch(page, base, module, student_id=learner)
            shown.setdefault(learner, []).append(page.frame_locator("#sco").locator("#csec-quiz").evaluate(
                """(form) => Array.from(form.querySelectorAll('fieldset')).map((fs) =>
                    Array.from(fs.querySelectorAll('[data-choice]')).map((el) => el.getAttribute('data-choice')))"""))
    assert outside == [] and errors == []
    content = [[str(i) for i in range(len(q.choices))] for q in approved(corpus, module)]
    a, again = shown["learner-a"]
    assert a == again  # a relaunch shows the same order
    assert a != content and shown["learner-b"][0] != a
    orders = {q.kind: [] for q in approved(corpus, module)}
    for q, order, plain in zip(approved(corpus, module), a, content):
        assert sorted(order) == sorted(plain)
        orders[q.kind].append(order != plain)
    assert all(orders.get("ordering", [True]))  # steps are never shown in their right order
