"""A trainee's progress through the modules, kept in one local JSON file per trainee; nothing leaves the machine.

The files live in $CSEC_PROGRESS_DIR, else `progress/` under the repository root (gitignored). Each write goes to a
temporary file in the same folder that then replaces the old one (os.replace), so a crash never leaves a
half-written file. `completion_summary()` reads it back per module: vignettes completed and best quiz scores.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from ._html import natural, summary_html
from .corpus import get_corpus, repo_root

VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def progress_dir() -> Path:
    env = os.environ.get("CSEC_PROGRESS_DIR")
    return Path(env) if env else repo_root() / "progress"


def default_trainee() -> str:
    """$CSEC_TRAINEE, else the login name: whose progress a notebook records unless told otherwise."""
    name = os.environ.get("CSEC_TRAINEE") or getpass.getuser()
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip("._-")[:64] or "trainee"


def progress_file(trainee: str) -> Path:
    # The name becomes a file name, so only plain names: no separators, no leading dot.
    if not isinstance(trainee, str) or not _NAME.match(trainee):
        raise ValueError(f"trainee name {trainee!r}: use letters, digits, '.', '_' and '-' (at most 64), "
                         "starting with a letter or digit")
    return progress_dir() / f"{trainee}.json"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def load_progress(trainee: str) -> dict[str, Any]:
    path = progress_file(trainee)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except ValueError as e:
        raise ValueError(f"{path}: not a progress file ({e}); move it aside to start again") from None
    data.setdefault("version", VERSION)
    data.setdefault("trainee", trainee)
    data.setdefault("vignettes", {})
    data.setdefault("quizzes", {})
    return data


def save_progress(trainee: str, data: dict[str, Any]) -> Path:
    path = progress_file(trainee)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def record_vignette(trainee: str, scenario_id: str, module: str, score: int, total: int) -> Path:
    data = load_progress(trainee)
    attempts = data["vignettes"].setdefault(scenario_id, {"module": module, "attempts": []})
    attempts["module"] = module
    attempts["attempts"].append({"at": _now(), "score": score, "total": total, "all_correct": score == total})
    return save_progress(trainee, data)


def record_quiz(trainee: str, module: str, score: int, total: int, questions: list[str],
                correct: list[str]) -> Path:
    data = load_progress(trainee)
    data["quizzes"].setdefault(module, []).append(
        {"at": _now(), "score": score, "total": total, "questions": list(questions), "correct": list(correct)})
    return save_progress(trainee, data)


def _best(attempts: list[dict]) -> dict | None:
    if not attempts:
        return None
    best = max(attempts, key=lambda a: (a["score"] / a["total"] if a["total"] else 0, a["total"]))
    return {"score": best["score"], "total": best["total"], "at": best["at"]}


def completion_summary(trainee: str, corpus=None) -> dict[str, Any]:
    """Per module: its vignettes, the ones the trainee completed (checked at least once), and the best quiz score.

    A module is complete when every one of its (approved) vignettes was completed and its quiz was taken."""
    corpus = get_corpus(corpus)
    data = load_progress(trainee)
    modules: dict[str, Any] = {}
    done = set(data["vignettes"])
    for module in corpus.modules.values():
        vignettes = [s for s in module.scenarios if s in corpus.scenarios and
                     corpus.scenarios[s].status == "approved"]
        completed = [s for s in vignettes if s in done]
        quiz = _best(data["quizzes"].get(module.id, []))
        modules[module.id] = {
            "title": module.title,
            "vignettes": vignettes,
            "vignettes_completed": completed,
            "quiz_best": quiz,
            "complete": len(completed) == len(vignettes) and quiz is not None,
        }
    return {
        "trainee": trainee,
        "modules": modules,
        "vignettes_completed": sorted(done),
        "quiz_best_scores": {m: v["quiz_best"] for m, v in modules.items() if v["quiz_best"] is not None},
    }


class ProgressSummary(ipw.VBox):
    """A button that shows the trainee's completion summary (read when pressed, never at notebook build time)."""

    def __init__(self, trainee: str | None = None, corpus=None, **kwargs):
        self.trainee = trainee or default_trainee()
        self._corpus = corpus
        self.button = ipw.Button(description="Show my progress", icon="list",
                                 tooltip=f"Show the progress saved on this computer for {self.trainee}",
                                 layout=natural())
        self.output = ipw.HTML(value="")
        self.button.on_click(lambda _: self.refresh())
        super().__init__(children=[self.button, self.output], **kwargs)

    def refresh(self) -> dict[str, Any]:
        summary = completion_summary(self.trainee, self._corpus)
        self.output.value = summary_html(summary, progress_file(self.trainee))
        return summary

    def __repr__(self) -> str:
        return "ProgressSummary()"
