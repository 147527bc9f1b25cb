"""Every reference in content text is checked by `csec validate` at its YAML position: roles that only the book can
resolve ({ref}, {doc}, {numref}) and links to pages are refused, {csec-cite} and policy-number roles must name
something, and images come only from content/media/ as PNG, JPEG or WebP files (no SVG, nothing under .git or .venv,
no symbolic link leaving the folder). A content file that links out of the repository is never read.

The hostile fixtures are in tests/fixtures/bad_content_text (one expected line each, in its expected.yaml).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from csec_cli import PLANTED_VIGNETTE, copy_layers, png

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad_content_text"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
LINE = re.compile(r"^(content/.+?):(\d+):(\d+): (.+)$")
TIMEOUT = 60


def run_validate(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, text=True, timeout=TIMEOUT,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def hostile_root(tmp_path: Path) -> Path:
    """The good fixture, with the files a hostile text points at: an SVG carrying script (in the media folder and
    beside the policy files), an SVG named .png, the repository's private files, and links out of the folder."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "good", root)
    media = root / "content" / "media"
    media.mkdir()
    (media / "chart.png").write_bytes(png())
    for name in ("evil.svg", "fake.png"):
        shutil.copy(BAD / "media" / name, media / name)
    shutil.copy(BAD / "media" / "evil.svg", root / "content" / "policy" / "evil.svg")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n\trepositoryformatversion = 0\n", encoding="utf-8")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (root / "csec.yaml").write_text("county: none\n", encoding="utf-8")
    outside = tmp_path / "outside.png"
    outside.write_bytes(png())
    (media / "outside.png").symlink_to(outside)
    (media / "config.png").symlink_to(root / ".git" / "config")
    return root


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_reference_gives_its_one_line(tmp_path, name):
    root = hostile_root(tmp_path)
    shutil.copy(BAD / name, root / "content" / "policy" / name)
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"{name}: expected one line, got:\n{result.stdout}"
    match = LINE.match(lines[0])
    assert match, lines[0]
    want = EXPECTED[name]
    assert (match.group(1), int(match.group(2)), int(match.group(3))) == \
        (f"content/policy/{name}", want["line"], want["col"]), lines[0]
    assert want["message_contains"] in match.group(4), lines[0]


def test_an_image_in_the_media_folder_passes(tmp_path):
    root = hostile_root(tmp_path)
    (root / "content" / "policy" / "image.yaml").write_text(textwrap.dedent("""\
        red_flags:
          - id: with-image
            types: [csec]
            cites: [fixture-acl]
            status: approved
            text: 'Look ![a chart](/content/media/chart.png) here; mail [the desk](mailto:desk@example.org).'
        """), encoding="utf-8")
    result = run_validate(root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_media_folder_linking_out_of_the_repository_is_refused(tmp_path):
    root = hostile_root(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "chart.png").write_bytes(png())
    shutil.rmtree(root / "content" / "media")
    (root / "content" / "media").symlink_to(elsewhere)
    (root / "content" / "policy" / "image.yaml").write_text(
        "red_flags:\n  - id: with-image\n    types: [csec]\n    cites: [fixture-acl]\n    status: approved\n"
        "    text: Look ![c](/content/media/chart.png) here.\n", encoding="utf-8")
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "content/policy/image.yaml:6:21: the image /content/media/chart.png is a symbolic link to a file outside the "
        "repository; images must be JPEG, PNG, WebP files in content/media/, written from the repository root: "
        "![what it shows](/content/media/NAME.png)"]


def test_a_content_file_linking_out_of_the_repository_is_not_read(tmp_path):
    root = hostile_root(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    # Would add an approved red flag if it were read.
    outside.write_text("red_flags:\n  - id: smuggled\n    types: [csec]\n    cites: [fixture-acl]\n"
                       "    status: approved\n    text: Smuggled in.\n", encoding="utf-8")
    (root / "content" / "policy" / "linked.yaml").symlink_to(outside)
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "content/policy/linked.yaml:1:1: this is a symbolic link to a file outside the repository; content files are "
        "files of the repository"]


NARRATIVE = PLANTED_VIGNETTE.replace("{id}", "zz-refs") + """\
  She showed a chart: ![Chart](/content/policy/evil.svg)

  See {{ref}}`missing-label` and {{doc}}`x` for more.
"""


def _ids(root: Path) -> dict[str, str]:
    sources = yaml.safe_load((root / "content" / "policy" / "sources.yaml").read_text(encoding="utf-8"))
    modules = [m for p in sorted((root / "content").glob("*/*.yaml"))
               for m in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("modules", [])]
    return {"cite": sources["sources"][0]["id"], "module": modules[0]["id"]}


def test_references_in_a_vignette_narrative_fail_validate_at_their_yaml_lines(tmp_path):
    """The reproductions: a script-carrying SVG, a {ref} to a missing label and a {doc} in a narrative used to pass
    validate (the SVG was published as _images/evil.svg; the build then failed at the book page)."""
    root = tmp_path / "repo"
    copy_layers(root)
    shutil.copy(BAD / "media" / "evil.svg", root / "content" / "policy" / "evil.svg")
    rel = "content/scenarios/zz-refs.yaml"
    (root / rel).write_text(NARRATIVE.format(**_ids(root)), encoding="utf-8")
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for prefix, words in ((f"{rel}:13:32: ", "an image outside /content/media/"),
                          (f"{rel}:15:7: ", "the {ref} role is not allowed"),
                          (f"{rel}:15:32: ", "the {doc} role is not allowed")):
        assert [line for line in lines if line.startswith(prefix) and words in line], (prefix, result.stdout)


def test_a_policy_number_role_in_a_narrative_must_name_a_rule(tmp_path):
    """A narrative may tell time as the story goes, but a {csec-deadline} in it still renders a rule's words."""
    root = tmp_path / "repo"
    copy_layers(root)
    rel = "content/scenarios/zz-refs.yaml"
    text = NARRATIVE.format(**_ids(root)).split("narrative:")[0] + \
        "narrative: She was told to report {csec-deadline}`no_such_rule`.\n"
    (root / rel).write_text(text, encoding="utf-8")
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines()
            if line.startswith(f"{rel}:12:12: ") and "{csec-deadline} names no rule 'no_such_rule'" in line], \
        result.stdout
