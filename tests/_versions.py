"""Helpers the diff, written_against and releases tests share: scratch copies, the real CLI, and the threshold edit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from csec_cli import copy_layers

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
RULES = Path("content/policy/rules.yaml")
# The edit the tests make: the at-risk threshold for the "other" indicators, raised by one.
GROUP, OLD_N, NEW_N = "other", 2, 3
THRESHOLD = "{count: {indicator_group: %s}, at_least: %d}"


def scratch(dest: Path) -> Path:
    """A copy of the content and the pages (the inputs of `csec validate`, `diff` and `confirm`)."""
    copy_layers(dest, ignore=shutil.ignore_patterns("_build", "*.ipynb"))
    shutil.copytree(REPO / "book", dest / "book", ignore=shutil.ignore_patterns("_build", "*.ipynb"))
    return dest


def run(*args, cwd: Path = REPO) -> subprocess.CompletedProcess:
    done = subprocess.run([str(CSEC), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def edit(path: Path, old: str, new: str) -> int:
    """Replace OLD (once; it must be there) and return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def raise_threshold(root: Path) -> None:
    edit(root / RULES, THRESHOLD % (GROUP, OLD_N), THRESHOLD % (GROUP, NEW_N))


def _amendment(root: Path, sid: str) -> Path | None:
    """The configured county's amendment of vignette SID (csec.yaml's county), if it has one."""
    county = (yaml.safe_load((root / "csec.yaml").read_text(encoding="utf-8")) or {}).get("county")
    path = root / "counties" / str(county) / "content" / "scenarios" / f"{sid}.yaml"
    return path if county not in (None, "none") and path.is_file() else None


def scenarios(root: Path) -> dict[str, dict]:
    """Each vignette as the configured corpus reads it, from the YAML: the statewide file, with the fields of the
    county's amendment (if any) over it."""
    out = {}
    for p in sorted((root / "content/scenarios").glob("*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        amendment = _amendment(root, p.stem)
        if amendment is not None:
            data.update({k: v for k, v in yaml.safe_load(amendment.read_text(encoding="utf-8")).items()
                         if k != "amends"})
        out[p.stem] = data
    return out


def holder(root: Path, sid: str, field: str) -> str:
    """The file (relative to ROOT) that writes FIELD of vignette SID for the configured corpus."""
    amendment = _amendment(root, sid)
    if amendment is not None and field in (yaml.safe_load(amendment.read_text(encoding="utf-8")) or {}):
        return amendment.relative_to(root).as_posix()
    return f"content/scenarios/{sid}.yaml"


def flipped_by_threshold(root: Path) -> set[str]:
    """Vignettes at risk only through exactly OLD_N..NEW_N-1 "other" indicators (read from the YAML, not the engine):
    the ones the raised threshold takes out of the at-risk definition."""
    indicators = yaml.safe_load((root / "content/policy/indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    group = {i["id"]: i["group"] for i in indicators}
    out = set()
    for sid, s in scenarios(root).items():
        present = [f for f, v in s["facts"].items() if v is True and f in group]
        other = sum(group[f] == GROUP for f in present)
        strong = sum(group[f] != GROUP for f in present)
        if s["expected"]["at_risk"] is True and strong == 0 and OLD_N <= other < NEW_N:
            out.add(sid)
    return out


def questions_naming(root: Path, rule_id: str) -> set[str]:
    """Hand-written questions whose prose names the rule in a policy-number role (read from the YAML)."""
    out = set()
    for file in sorted((root / "content/questions").glob("*.yaml")):
        for q in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("questions", []):
            if f"`{rule_id}:" in str(q) or f"`{rule_id}`" in str(q):
                out.add(q["id"])
    return out
