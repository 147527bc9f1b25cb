"""Fuzz the loader: whatever bytes land in content/, `checked()` returns a Corpus or raises ContentErrors whose lines
are one-line `content/...:line:col: message` problems, never any other exception.

Inputs are mutations of the good fixture's own files (deleted, inserted and swapped characters and lines, random
unicode, YAML punctuation), random YAML-shaped structures built from the model's own kinds and keys, and raw
bytes. Bounded to run in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.training.corpus import checked
from csec.core.errors import ContentErrors

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
FILES = sorted(p.name for p in (GOOD / "content" / "policy").glob("*.yaml"))
ORIGINAL = {name: (GOOD / "content" / "policy" / name).read_text(encoding="utf-8") for name in FILES}
KINDS = [kind for kind in m.KINDS if kind != "scenarios"]
FIELD_NAMES = sorted({info.alias or name for model in m.KINDS.values() for name, info in model.model_fields.items()})
YAML_PUNCTUATION = list(":-[]{}&*!|>'\"%@#,?`\t\n <=~") + ["<<: ", "!!python/object:os.system ", "&a ", "*a",
                                                          "---\n", "...\n", "{term}`", "#", "\x00", "\ufeff"]

# Plain scalars YAML reads as something other than text, tags and indicators, written raw (safe_dump would quote
# them): impossible dates, huge integers, explicit tags with values they cannot hold.
RISKY_SCALARS = ["2016-02-30", "2016-13-01", "2016-02-05 25:00:00", "0000-01-01", "1" * 5000, "0x1F", "0o17",
                 "0b101", "1_000", "190:20:30", "1e400", "-.inf", ".nan", "yes", "no", "on", "~", "null", "<<", "=",
                 "!!binary aGk=", "!!timestamp 2016-02-30", "!!timestamp soon", "!!int 1.5", "!!float x",
                 "!!bool maybe", "!!null x", "!!str", "! x", "!!map x", "!!seq [a]", "!!set {a}", "!!omap [a: 1]",
                 "&a x", "*a", "|", ">-", "[", "{", "'", '"', "@", "`", "%", "? x", "- x", ": x", "[a, *b]",
                 "{a: 1, a: 2}", "{? [a]: b}", "!<tag:yaml.org,2002:int> 7", "!<!> 7", "!e!x y"]

FUZZ = settings(max_examples=150, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(GOOD, dest)
    return dest


def check(root: Path, name: str, data: bytes) -> None:
    """Write data as content/policy/<name>, load, and restore the fixture whatever happens."""
    target = root / "content" / "policy" / name
    target.write_bytes(data)
    try:
        try:
            result = checked(root)
        except ContentErrors as e:
            assert e.errors, "ContentErrors with no errors"
            for error in e.errors:
                text = str(error)
                assert "\n" not in text and "\r" not in text, f"multi-line message: {text!r}"
                assert text.startswith("content/"), text
                assert error.line >= 1 and error.col >= 1, text
                assert error.message.strip(), text
        else:
            assert isinstance(result, Corpus)
    finally:
        if name in ORIGINAL:
            target.write_text(ORIGINAL[name], encoding="utf-8")
        else:
            target.unlink()


# --- mutations of the fixture's own text --------------------------------------------------------------------

def _mutate(text: str, draw) -> str:
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "punct", "swap_lines", "dup_line", "indent", "unicode",
                                   "scalar", "scalar"]))
        n = len(text)
        at = draw(st.integers(0, max(n, 0)))
        if op == "delete" and n:
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "insert":
            text = text[:at] + draw(st.text(max_size=20)) + text[at:]
        elif op == "punct":
            text = text[:at] + draw(st.sampled_from(YAML_PUNCTUATION)) + text[at:]
        elif op == "unicode":
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at + 1:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "scalar":
                k = next((k for k in [i, *range(len(lines))] if ": " in lines[k]), None)
                if k is not None:
                    head = lines[k].split(": ", 1)[0]
                    lines[k] = f"{head}: {draw(st.sampled_from(RISKY_SCALARS))}"
            elif op == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "dup_line":
                lines.insert(j, lines[i])
            else:
                lines[i] = draw(st.sampled_from(["", " ", "  ", "    ", "\t", "- "])) + lines[i].lstrip(" ")
            text = "\n".join(lines)
    return text


@FUZZ
@given(data=st.data())
def test_mutated_fixture_files(root, data):
    name = data.draw(st.sampled_from(FILES))
    text = _mutate(ORIGINAL[name], data.draw)
    check(root, name, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(name=st.sampled_from(FILES), line=st.integers(0, 10 ** 6), scalar=st.sampled_from(RISKY_SCALARS),
       where=st.sampled_from(["value", "key", "item"]))
def test_one_risky_scalar_in_a_valid_file(root, name, line, scalar, where):
    """One odd scalar in an otherwise valid file, so the reader gets past the syntax and has to construct it."""
    lines = ORIGINAL[name].split("\n")
    candidates = [i for i, text in enumerate(lines) if ": " in text]
    i = candidates[line % len(candidates)]
    head, _, tail = lines[i].partition(": ")
    indent = head[: len(head) - len(head.lstrip(" -"))]
    if where == "value":
        lines[i] = f"{head}: {scalar}"
    elif where == "key":
        lines[i] = f"{indent}{scalar}: {tail}"
    else:
        lines.insert(i, f"{indent}- {scalar}")
    check(root, name, "\n".join(lines).encode("utf-8"))


# --- random structures shaped like content ------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 30), 10 ** 30), st.floats(allow_nan=True),
    st.dates(min_value=dt.date(1, 1, 1)), st.text(max_size=30), st.sampled_from(FIELD_NAMES + KINDS),
    st.sampled_from(["fixture-acl", "fixture-acl#ii", "fixture-acl#nope", "nowhere", "csec", "grooming",
                     "approved", "draft", "publish", "{term}`CSEC`", "{term}`nope`", "age", "frequent_truancy",
                     "other", "strong", "csec", "exploiting_labor", "letter", "2016-02-30", "Bad Id"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=6)), max_leaves=25)
items = st.one_of(
    st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=12),  # mostly-known keys: reaches pydantic
    values,
)
documents = st.one_of(
    st.dictionaries(st.sampled_from(KINDS + ["glossary", "scenarios"]), st.lists(items, max_size=4), max_size=4),
    values,
)


@FUZZ
@given(doc=documents, flow=st.sampled_from([None, True, False]), name=st.sampled_from(FILES + ["zz-fuzz.yaml"]))
def test_random_structures(root, doc, flow, name):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    check(root, name, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(base=st.sampled_from(FILES), item=st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=6),
       kind=st.sampled_from(KINDS), index=st.integers(0, 5))
def test_fixture_item_with_random_fields(root, base, item, kind, index):
    """A real item of the fixture with some of its fields replaced: errors deep inside valid-looking data."""
    doc = yaml.safe_load(ORIGINAL[base])
    for entries in doc.values():
        if entries:
            target = entries[index % len(entries)]
            target.update(item)
            break
    doc.setdefault(kind, [])
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    check(root, base, text.encode("utf-8", "surrogatepass"))


# --- raw bytes and text -------------------------------------------------------------------------------------

@FUZZ
@given(data=st.one_of(st.binary(max_size=400),
                      st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.lists(st.sampled_from(YAML_PUNCTUATION + ["a", "b", "1", "id", "definitions"]),
                               max_size=80).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))))
def test_random_bytes(root, data):
    check(root, "zz-fuzz.yaml", data)


@FUZZ
@given(depth=st.integers(1, 3000), opener=st.sampled_from(["[", "{a: ", "- ", "[{x: "]))
def test_random_nesting(root, depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": "", "[{x: ": "}]"}[opener]
    if opener == "- ":
        text = "definitions:\n" + "".join("  " * i + "- \n" for i in range(min(depth, 200)))
    else:
        text = "definitions: " + opener * depth + "x" + closer * depth + "\n"
    check(root, "zz-fuzz.yaml", text.encode())
