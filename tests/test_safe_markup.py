"""Content markup is a safe subset of MyST: each payload (script, onerror, {raw}, file-reading directives, remote
image, javascript: link) planted in each kind of content text makes the real `csec validate` exit 1 with a line at
the payload's own `path:line:col` naming it; and the build's second line of defence renders the same payloads inert
when validation is bypassed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from csec_cli import PLANTED_VIGNETTE, copy_layers, png

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
TIMEOUT = 60

# name -> (lines of MyST, (which line, the text) the construct starts with, words the message must contain). Each
# payload is a paragraph or block of its own.
PAYLOADS = {
    "script tag": (["<script>alert(1)</script>"], (0, "<script"), "raw HTML"),
    "img onerror": (["See <img src=x onerror=alert(1)> here."], (0, "<img"), "raw HTML"),
    "raw directive": (["```{raw} html", "<b>bold</b>", "```"], (0, "{raw}"), "{raw} directive"),
    "raw role": (["Text {raw}`<b>x</b>` here."], (0, "{raw}"), "{raw} role"),
    "literalinclude": (["```{literalinclude} ../../../../etc/passwd", "```"], (0, "{literalinclude}"),
                       "{literalinclude} directive"),
    "include": ([":::{include} ../../../../etc/passwd", ":::"], (0, "{include}"), "{include} directive"),
    "csv-table file": (["```{csv-table}", ":file: /etc/passwd", "```"], (1, ":file:"), ":file: option"),
    "remote image": (["![logo](https://evil.example/x.png)"], (0, "https://evil"), "another origin"),
    "javascript link": (["[click](javascript:alert(1))"], (0, "javascript:"), "javascript: URL"),
}


def payload_block(indent: int) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The payloads as the lines of a YAML literal block, and where each one's construct sits (line offset in the
    block, 1-based column)."""
    lines: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    pad = " " * indent
    lines.append(pad + "Opening sentence.")
    for name, (text, (row, starts), _) in PAYLOADS.items():
        lines.append("")
        where[name] = (len(lines) + row, indent + text[row].index(starts) + 1)
        lines.extend(pad + t for t in text)
    lines += ["", pad + "Closing sentence."]
    return lines, where


def _repo_ids(root: Path) -> dict[str, str]:
    """Ids the planted items point at, read straight from the YAML (a cite, a module, an unused boolean fact and an
    indicator group), so the planted items pass the schema and their text is checked."""
    files = [*(root / "content" / "policy").glob("*.yaml"), *(root / "content" / "questions").glob("*.yaml")]
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(files)]
    merged: dict[str, list] = {}
    for doc in docs:
        for kind, items in (doc or {}).items():
            merged.setdefault(kind, []).extend(items)
    indicator_ids = {i["id"] for i in merged.get("indicators", [])}
    spare_fact = next(f["id"] for f in merged["facts"] if f["type"] == "bool" and f["id"] not in indicator_ids)
    return {"cite": merged["sources"][0]["id"], "module": merged["modules"][0]["id"], "fact": spare_fact,
            "group": merged["indicator_groups"][0]["id"]}


# kind -> (file to write, YAML template; {block} at the indentation given marks where the payload block goes)
KINDS = {
    "definition": ("content/policy/zz-payload.yaml", 6, """\
        definitions:
          - id: zz-payload
            term: Payload term
            cites: [{cite}]
            status: approved
            text: |-
        {block}
        """),
    "red flag": ("content/policy/zz-payload.yaml", 6, """\
        red_flags:
          - id: zz-payload
            cites: [{cite}]
            status: approved
            types: [csec]
            text: |-
        {block}
        """),
    "indicator": ("content/policy/zz-payload.yaml", 6, """\
        indicators:
          - id: {fact}
            group: {group}
            letter: H
            acl_number: v
            cites: [{cite}]
            status: approved
            text: Planted indicator.
            la_text: |-
        {block}
        """),
    "section step": ("content/policy/zz-payload.yaml", 10, """\
        sections:
          - id: zz-payload
            title: Planted section
            cites: [{cite}]
            status: approved
            steps:
              - text: |-
        {block}
        """),
    "rule text": ("content/policy/zz-payload.yaml", 6, """\
        rules:
          - id: zz-payload
            kind: action
            title: Planted rule
            cites: [{cite}]
            status: approved
            when: {{fact: {fact}, eq: true}}
            text: |-
        {block}
        """),
    "scenario narrative": ("content/scenarios/zz-payload.yaml", 2,
                           PLANTED_VIGNETTE.replace("{id}", "zz-payload") + "{block}\n"),
    "question feedback": ("content/questions/zz-payload.yaml", 10, """\
        questions:
          - id: zz-payload
            module: {module}
            kind: single
            cites: [{cite}]
            status: approved
            stem: Which one?
            choices:
              - text: This one
                correct: true
                feedback: |-
        {block}
              - text: That one
                correct: false
                feedback: No.
        """),
    "module talking point": ("content/policy/zz-payload.yaml", 8, """\
        modules:
          - id: zz-module
            title: Planted module
            audience: Everyone
            summary: A planted module.
            objectives: [Read.]
            cites: [{cite}]
            status: approved
            talking_points:
              - |-
        {block}
        """),
}


def run_validate(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, text=True, timeout=TIMEOUT,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_payload_in_every_kind_is_refused_at_its_position(tmp_path, kind):
    root = tmp_path / "repo"
    copy_layers(root)
    rel, indent, template = KINDS[kind]
    block, where = payload_block(indent)
    text = textwrap.dedent(template).format(block="\n".join(block), **_repo_ids(root))
    first_block_line = text.splitlines().index(block[0]) + 1
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")

    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name, (offset, col) in where.items():
        prefix = f"{rel}:{first_block_line + offset}:{col}: "
        hits = [line for line in lines if line.startswith(prefix)]
        assert hits, f"{kind}/{name}: no line starting {prefix!r} in:\n{result.stdout}"
        assert any(PAYLOADS[name][2] in line for line in hits), (kind, name, hits)


def test_safe_markup_is_not_refused(tmp_path):
    """The check refuses constructs, not MyST: admonitions, images from the media folder, mailto and tel links and
    roles pass."""
    root = tmp_path / "repo"
    copy_layers(root)
    (root / "content" / "media").mkdir()
    (root / "content" / "media" / "chart.png").write_bytes(png())
    block = "\n".join("      " + line for line in [
        "Read **this** and the {term}`CSEC` entry; mail [the desk](mailto:desk@example.org).", "",
        ":::{note}", "A note with [a phone](tel:+15555550100) and ![a chart](/content/media/chart.png).", ":::", "",
        "| a | b |", "|---|---|", "| 1 | 2 |"])
    ids = _repo_ids(root)
    (root / "content/policy/zz-fine.yaml").write_text(
        f"red_flags:\n  - id: zz-fine\n    cites: [{ids['cite']}]\n    status: approved\n    types: [csec]\n"
        f"    text: |-\n{block}\n", encoding="utf-8")
    result = run_validate(root)
    assert result.returncode == 0, result.stdout


# --- the second line of defence: the build's own parsing ---------------------------------------------------------

SPHINX_PAYLOAD = """\
<script>alert("live-script")</script>

See <img src=x onerror=alert(1)> here.

```{raw} html
<b id="raw-directive-live">bold</b>
```

```{literalinclude} /etc/passwd
```

```{include} /etc/passwd
```

```{csv-table}
:file: /etc/passwd
```

![logo](https://evil.example/x.png) and [click](javascript:alert(1)) and [away](https://evil.example/page)

![settings](/conf.py) and ![drawing](/evil.svg) from outside the media folder, ![a chart](/content/media/chart.png)
from inside it

Template {{ ''.__class__.__mro__ }} here.
"""

EXTENSION = '''
from pathlib import Path
from docutils import nodes
from csec.sphinx.render import CsecDirective


class Payload(CsecDirective):
    """Renders content text the way every csec directive does, with no validation in front of it."""

    def run(self):
        text = (Path(self.env.srcdir) / "payload.txt").read_text(encoding="utf-8")
        inline = "Inline <img src=y onerror=alert(2)> and {raw}`<i id=role-live>x</i>`"
        return [self.block(text), nodes.paragraph("", "", *self.inline(inline))]


def setup(app):
    app.add_directive("payload", Payload)
    return {"parallel_read_safe": True}
'''


def test_the_build_renders_payloads_inert_when_validation_is_bypassed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "payload.txt").write_text(SPHINX_PAYLOAD, encoding="utf-8")
    (src / "content" / "media").mkdir(parents=True)
    (src / "content" / "media" / "chart.png").write_bytes(png())
    (src / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                                  encoding="utf-8")
    (src / "payload_ext.py").write_text(EXTENSION, encoding="utf-8")
    (src / "conf.py").write_text(
        "import sys\nsys.path.insert(0, '.')\nextensions = ['myst_parser', 'payload_ext']\n"
        "myst_enable_extensions = ['colon_fence', 'substitution']\nhtml_theme = 'basic'\n", encoding="utf-8")
    (src / "index.md").write_text("# Payloads\n\n```{payload}\n```\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=180, cwd=src)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").find("body")
    assert body.find("h1"), "the page was not rendered"
    assert not [s for s in body.find_all("script") if "live-script" in s.get_text()]
    assert not body.find_all(attrs={"onerror": True})
    assert body.find(id="raw-directive-live") is None and body.find(id="role-live") is None
    assert not [img for img in body.find_all("img") if "evil.example" in img.get("src", "")]
    assert [img["alt"] for img in body.find_all("img")] == ["a chart"], "only the media folder's files are images"
    assert sorted(p.name for p in (tmp_path / "out" / "_images").iterdir()) == ["chart.png"]
    assert not [a for a in body.find_all("a", href=True)
                if a["href"].lower().startswith("javascript") or "evil.example" in a["href"]]
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    assert passwd not in html
    assert "<class 'object'>" not in body.get_text() and "&lt;class 'object'&gt;" not in html
    # Escaped, not dropped: the reader sees what the text said.
    assert '<script>alert("live-script")</script>' in body.get_text()
    assert "onerror=alert(1)" in body.get_text()
    assert "File insertion disabled" in result.stderr or "disabled" in result.stderr


def test_widget_markup_escapes_and_drops_unsafe_links():
    from widgets.markup import to_html

    # A line that starts with an HTML tag is an HTML block in MyST (shown as text here); the links get their own.
    out = to_html('<script>alert(1)</script> <img src=x onerror=alert(1)>\n\nSee <img src=x onerror=alert(2)> '
                  '[a](javascript:alert(1)) [b](https://evil.example/) [c](../manual/index.html) '
                  '[d](mailto:desk@example.org)')
    soup = BeautifulSoup(out, "html.parser")
    assert not soup.find_all("script") and not soup.find_all(attrs={"onerror": True})
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert hrefs == ["../manual/index.html", "mailto:desk@example.org"]
    assert "<script>alert(1)</script>" in soup.get_text()


def test_the_renderer_reads_text_as_myst_does():
    """The widgets, player and exports parse content text with the checker's MyST parser, so they show what MyST
    (and the site) reads: a comment line is hidden, a code fence is code, an escaped star is a star."""
    from widgets.markup import inline, to_html

    out = BeautifulSoup(to_html("% a note only authors see\n\nTitle\n=====\n\n```\n[x](../manual/index.html)\n```\n\n"
                                "A \\*plain\\* star and a [page](../manual/index.html).", 3), "html.parser")
    assert "only authors" not in out.get_text()
    assert [h.get_text() for h in out.find_all("h3")] == ["Title"]
    assert out.find("pre").get_text().strip() == "[x](../manual/index.html)"
    assert [a.get_text() for a in out.find_all("a")] == ["page"]
    assert not out.find_all("em") and "A *plain* star" in out.get_text()
    assert inline("%50% off") == "%50% off"  # a choice is one line of inline text: no comment there
