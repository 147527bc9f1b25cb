"""A version of the content to compare or confirm: a folder or a git revision, loaded by the one loader with its rules checked but its training not yet judged.

`csec diff` and `csec confirm` must read a version whose vignettes disagree with its rules or whose `written_against`
records are stale (that is what they are for), so they load the schema, the references and the rules' well-formedness,
and leave the answers, the stale-training guard and the prose checks to `csec validate`.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from csec.checks.rules import check_rules
from csec.core.corpus import Corpus
from csec.core.errors import ContentErrors
from csec.load.counties import CONFIG_FILE, COUNTIES_DIR
from csec.load.loader import load
from csec.training.quizgen import add_generated_questions


class LoadError(ValueError):
    """A version that cannot be read: its problems, one `path:line:col: message` per line, or a bad revision."""


def _load_checked(root: Path, label: str, county: str | None = None) -> Corpus:
    try:
        corpus = load(root, county=county)
        errors = check_rules(corpus)
        if errors:
            raise ContentErrors(errors)
        add_generated_questions(corpus)
    except ContentErrors as e:
        # Say which version a problem is in: the folder as given, or the revision before the path.
        raise LoadError("\n".join(f"{label}{error}" for error in e.errors)) from None
    return corpus


def load_version(spec: str, *, folder_only: bool = False, county: str | None = None) -> Corpus:
    """Load SPEC: a folder holding content/, else a git revision of the repository in the current directory; with
    the county overlay COUNTY ('none': statewide only; None: as that version configures it, see csec.load.counties)."""
    folder = Path(spec)
    if folder.is_dir():
        if not (folder / "content").is_dir():
            raise LoadError(f"{spec}: no content/ folder here")
        return _load_checked(folder, "" if spec in (".", "./") else f"{spec.rstrip('/')}/", county)
    if folder_only:
        raise LoadError(f"{spec}: no such folder")
    return load_revision(spec, county=county)


# What a revision's content is: the statewide baseline, the county overlays and the file choosing one of them.
VERSIONED = ("content", COUNTIES_DIR, CONFIG_FILE)


def load_revision(rev: str, repo: Path | None = None, county: str | None = None) -> Corpus:
    """Load content/ as of git revision REV of the repository at REPO (default: the current directory), extracted into
    a temporary folder (the work tree is never touched)."""

    def _git(*args: str) -> subprocess.CompletedProcess:
        where = ["-C", str(repo)] if repo is not None else []
        try:
            return subprocess.run(["git", *where, *args], capture_output=True, check=False, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise LoadError(f"{rev}: cannot run git: {e}") from None

    if rev.startswith("-"):
        raise LoadError(f"{rev}: not a folder or a git revision")
    found = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        inside = _git("rev-parse", "--git-dir").returncode == 0
        where = "of this repository" if inside else "(and the current directory is not in a git repository)"
        raise LoadError(f"{rev}: not a folder or a git revision {where}")
    commit = found.stdout.decode().strip()
    present = [p for p in VERSIONED if _git("cat-file", "-e", f"{commit}:{p}").returncode == 0]
    archive = _git("archive", "--format=tar", commit, *present) if "content" in present else None
    if archive is None or archive.returncode != 0:
        raise LoadError(f"{rev}: revision {commit[:12]} has no content/ folder")
    with tempfile.TemporaryDirectory(prefix="csec-diff-") as tmp:
        try:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.FilterError, tarfile.TarError, OSError) as e:
            # The "data" filter refuses what a content folder has no business holding: a link out of it (to
            # /etc/passwd), a device, an absolute path.
            member = getattr(getattr(e, "tarinfo", None), "name", None)
            where = f"{rev}:{member}" if member else rev
            raise LoadError(f"{where}: cannot be read as content: {_reason(e)}") from None
        return _load_checked(Path(tmp), f"{rev}:", county)


def _reason(error: Exception) -> str:
    """A tarfile refusal in words ('is a symbolic link to an absolute path /etc/passwd'), without the member name."""
    if isinstance(error, tarfile.AbsoluteLinkError):
        return f"a symbolic link to an absolute path ({error.tarinfo.linkname}); links must stay inside the folder"
    if isinstance(error, tarfile.LinkOutsideDestinationError):
        return f"a link that leaves the folder ({error.tarinfo.linkname})"
    if isinstance(error, tarfile.SpecialFileError):
        return "a device or named pipe, not a file"
    return getattr(error, "strerror", None) or str(error).split(":")[0] or type(error).__name__
