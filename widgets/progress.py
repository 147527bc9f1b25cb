"""A trainee's progress through the modules, kept in one local JSON file per trainee; nothing leaves the machine.

The files live in $CSEC_PROGRESS_DIR, else `progress/` under the repository root (gitignored). Each write goes to a
temporary file in the same folder that then replaces the old one (os.replace), so a crash never leaves a
half-written file, and each read-change-write holds an exclusive lock on a sidecar `.<trainee>.lock` file
(fcntl.flock), so two notebooks saving at once never drop each other's answers. `completion_summary()` reads it back per module: vignettes completed and best quiz scores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import getpass
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import ipywidgets as ipw

from csec.load.jsonread import read_json

from ._html import esc, natural, summary_html
from .corpus import get_corpus, repo_root

VERSION = 1
# A trainee's file grows by about 200 bytes an attempt: 10 MB is tens of thousands of attempts.
MAX_BYTES = 10_000_000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def progress_dir() -> Path:
    env = os.environ.get("CSEC_PROGRESS_DIR")
    return Path(env) if env else repo_root() / "progress"


def default_trainee() -> str:
    """$CSEC_TRAINEE, else the login name: whose progress a notebook records unless told otherwise."""
    name = os.environ.get("CSEC_TRAINEE") or getpass.getuser()
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip("._-")[:64] or "trainee"


def progress_file(trainee: str) -> Path:
    # The name becomes a file name, so only plain names: no separators, no leading dot, no '..', and no control
    # character (fullmatch: a '$' would let a trailing newline through).
    if not isinstance(trainee, str) or not _NAME.fullmatch(trainee) or ".." in trainee:
        raise ValueError(f"trainee name {trainee!r}: use letters, digits, '.', '_' and '-' (at most 64), "
                         "starting with a letter or digit, with no '..'")
    return progress_dir() / f"{trainee}.json"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _refuse(path: Path, why: str) -> ValueError:
    return ValueError(f"{path}: not a progress file ({why}); move it aside to start again")


def _is_attempt(a: Any) -> bool:
    return isinstance(a, dict) and all(type(a.get(k)) is int for k in ("score", "total"))


def _check_shape(path: Path, data: Any) -> dict[str, Any]:
    """The file as written by this module, or the same error a corrupt file gets (a list, attempts not a list...)."""
    if not isinstance(data, dict):
        raise _refuse(path, f"expected a JSON object, found {type(data).__name__}")
    vignettes, quizzes = data.get("vignettes", {}), data.get("quizzes", {})
    if not isinstance(vignettes, dict) or not isinstance(quizzes, dict):
        raise _refuse(path, "'vignettes' and 'quizzes' must be objects")
    for sid, entry in vignettes.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("attempts", []), list):
            raise _refuse(path, f"vignette {sid!r} must be an object whose 'attempts' is a list")
        if not all(map(_is_attempt, entry.get("attempts", []))):
            raise _refuse(path, f"each attempt of vignette {sid!r} must be an object with a whole-number score "
                                "and total")
    for module, attempts in quizzes.items():
        if not isinstance(attempts, list) or not all(map(_is_attempt, attempts)):
            raise _refuse(path, f"quiz {module!r} must be a list of attempts, each with a whole-number score and "
                                "total")
    return data


def load_progress(trainee: str) -> dict[str, Any]:
    path = progress_file(trainee)
    if not path.exists() and not path.is_symlink():
        data: Any = {}
    else:
        try:  # bounded: a pipe, a device or a huge or deeply nested file is refused, never read whole
            data = read_json(path, "a progress file", MAX_BYTES)
        except ValueError as e:
            raise _refuse(path, str(e)) from None
    data = _check_shape(path, data)
    data.setdefault("version", VERSION)
    data.setdefault("trainee", trainee)
    data.setdefault("vignettes", {})
    data.setdefault("quizzes", {})
    return data


@contextlib.contextmanager
def _locked(trainee: str) -> Iterator[Path]:
    """Hold the trainee's sidecar lock: one read-change-write at a time across processes."""
    path = progress_file(trainee)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(f".{path.stem}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def _write(path: Path, data: dict[str, Any]) -> Path:
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
    # The rename itself is durable only once the folder is synced.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path


def save_progress(trainee: str, data: dict[str, Any]) -> Path:
    with _locked(trainee) as path:
        return _write(path, data)


def _update(trainee: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """Read, change and write the trainee's file under its lock, so concurrent writers never lose an answer."""
    with _locked(trainee) as path:
        data = load_progress(trainee)
        change(data)
        return _write(path, data)


def record_vignette(trainee: str, scenario_id: str, module: str, score: int, total: int,
                    at: str | None = None) -> Path:
    """Add one vignette attempt; AT (default now) is when it was answered, which a retried save keeps."""
    when = at or _now()

    def change(data: dict[str, Any]) -> None:
        attempts = data["vignettes"].setdefault(scenario_id, {"module": module, "attempts": []})
        attempts["module"] = module
        attempts.setdefault("attempts", []).append(
            {"at": when, "score": score, "total": total, "all_correct": score == total})

    return _update(trainee, change)


def record_quiz(trainee: str, module: str, score: int, total: int, questions: list[str],
                correct: list[str], at: str | None = None) -> Path:
    """Add one quiz attempt; AT (default now) is when it was finished, which a retried save keeps."""
    when = at or _now()

    def change(data: dict[str, Any]) -> None:
        data["quizzes"].setdefault(module, []).append(
            {"at": when, "score": score, "total": total, "questions": list(questions), "correct": list(correct)})

    return _update(trainee, change)


class Saver:
    """Saves an exercise's attempts and says in the exercise when one could not be saved (a full disk, a folder that
    cannot be written, a corrupt progress file): the attempt stays in memory, and the next save or the "Try saving
    again" button writes it, so no answer is lost without the trainee being told."""

    def __init__(self) -> None:
        self.pending: list[Callable[[], Path]] = []
        self.status = ipw.HTML(value="")
        self.retry_button = ipw.Button(description="Try saving again", icon="save", layout=natural(),
                                       tooltip="Write the answers not yet saved to your progress file")
        self.retry_button.layout.display = "none"
        self.retry_button.on_click(lambda _: self.retry())
        self.view = ipw.VBox([self.status, self.retry_button])

    def save(self, record: Callable[..., Path], *args: Any) -> Path | None:
        """Keep RECORD(*ARGS, at=now) and write it with any attempt still waiting; the file, or None if not saved."""
        self.pending.append(functools.partial(record, *args, at=_now()))
        return self.retry()

    def retry(self) -> Path | None:
        saved = None
        while self.pending:
            try:
                saved = self.pending[0]()
            except (OSError, ValueError) as e:
                self._not_saved(e)
                return None
            self.pending.pop(0)
        self.status.value = ""
        self.retry_button.layout.display = "none"
        return saved

    def _not_saved(self, error: Exception) -> None:
        if isinstance(error, OSError):
            where = error.filename or progress_dir()
            why = f"{where}: {error.strerror or error}"
        else:
            why = str(error)
        n = len(self.pending)
        self.status.value = (
            "<div role='alert' class='csec-not-saved'><p><strong>Your answers were not saved.</strong> "
            f"{'This attempt is' if n == 1 else f'These {n} attempts are'} kept in this notebook until it is "
            "closed; free some disk space or fix the file, then press <em>Try saving again</em>.</p>"
            f"<p><small>{esc(why)}</small></p></div>")
        self.retry_button.layout.display = None


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
