"""Running the real `csec` console script from tests, and a scratch copy of the repository's content to edit."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"


def run_csec(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), *args], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


# A self-consistent approved vignette for tests to plant (`{id}`, `{module}` and `{cite}` to fill with str.format),
# ending at its `narrative: |-` line (line 12): the narrative's first line is line 13 of the file.
PLANTED_VIGNETTE = """\
id: {id}
title: Planted vignette
module: {module}
fictional: true
cites: [{cite}]
status: approved
summary: A planted vignette.
facts: {{age: 15}}
expected: {{at_risk: false, sex_trafficking: false, labor_trafficking: false, allegations: [],
           csec_data_grid: null, actions: []}}
debrief: Nothing.
narrative: |-
"""


def png() -> bytes:
    """A real one-pixel PNG image, built by the PNG specification's recipe (not copied from anything csec writes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def copy_layers(dest: Path, ignore=None) -> None:
    """Copy the content the loader reads by default: content/, the county overlays and csec.yaml choosing one."""
    shutil.copytree(REPO / "content", dest / "content", ignore=ignore)
    shutil.copytree(REPO / "counties", dest / "counties", ignore=ignore)
    shutil.copy(REPO / "csec.yaml", dest / "csec.yaml")


def content_copy(tmp_path: Path) -> Path:
    """A repository root in TMP_PATH holding a copy of the content (statewide, county overlays, csec.yaml) only."""
    copy_layers(tmp_path)
    return tmp_path


# --- `csec` commands in a fork of the test process ------------------------------------------------------------------
#
# A `csec` process spends about 0.3 s importing the kit before it does anything (0.4 s measured under coverage), and
# the suite runs some 350 of them. `run_forked` runs a command as the console script does (`sys.exit(main())` with
# its argv, working folder, environment, standard streams and exit status), in a process forked from the test
# process, which has imported the kit once: the same code in a fresh process per command, without the imports.
# conftest.py sends `subprocess.run` of the `csec` console script here, except `csec handouts`, which drives Chromium
# through Playwright (whose driver and event loop a fork of a test process that has used it would share), and any
# call whose streams this does not emulate; those run the script itself. `csec build` forks its Sphinx child in turn.

FORKED_COMMANDS_EXCLUDED = {"handouts"}


def forkable(args, options: dict) -> bool:
    """Whether `subprocess.run(ARGS, **OPTIONS)` runs the csec console script in a way run_forked emulates."""
    if isinstance(args, (str, bytes, os.PathLike)) or not args:
        return False
    argv = [os.fsdecode(a) for a in args]
    if Path(argv[0]).name != "csec" or not Path(argv[0]).is_file() or argv[1:2] and argv[1] in FORKED_COMMANDS_EXCLUDED:
        return False
    allowed = {"input", "capture_output", "text", "universal_newlines", "encoding", "errors", "timeout", "cwd", "env",
               "stdout", "stderr", "stdin", "check"}
    if set(options) - allowed:
        return False
    capture = options.get("capture_output", False)
    out, err = options.get("stdout"), options.get("stderr")
    if not capture and (out not in (subprocess.PIPE, subprocess.DEVNULL) or
                        err not in (subprocess.PIPE, subprocess.DEVNULL, subprocess.STDOUT)):
        return False  # inherited or file streams: the real script
    return options.get("stdin") in (None, subprocess.DEVNULL) or "input" in options and options["stdin"] is None


def run_forked(args, *, input=None, capture_output=False, text=None, universal_newlines=None, encoding=None,
               errors=None, timeout=None, cwd=None, env=None, stdout=None, stderr=None, stdin=None,
               check=False) -> subprocess.CompletedProcess:
    import csec.cli  # noqa: F401 (imported once, in the test process, before forking)

    argv = [os.fsdecode(a) for a in args]
    if argv[1:2] == ["build"]:
        import_sphinx()
    text = bool(text or universal_newlines or encoding or errors)
    if capture_output:
        stdout = stderr = subprocess.PIPE
    data = input.encode(encoding or "utf-8", errors or "strict") if isinstance(input, str) else input
    child_in = parent_in = None
    if data is not None:
        child_in, parent_in = os.pipe()
    elif stdin == subprocess.DEVNULL:
        child_in = os.open(os.devnull, os.O_RDONLY)
    pipes: dict[str, tuple[int, int]] = {}
    for name, how in (("stdout", stdout), ("stderr", stderr)):
        if how == subprocess.PIPE:
            pipes[name] = os.pipe()
    devnull = os.open(os.devnull, os.O_WRONLY)
    with warnings.catch_warnings():
        # Under pytest-xdist the test process has a second thread, execnet's channel reader. The child takes none of
        # its locks: it runs csec's code on fresh standard streams and ends with os._exit.
        warnings.filterwarnings("ignore", r"This process \(pid=\d+\) is multi-threaded", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: become the console script
        _child(argv, child_in, parent_in, pipes, devnull, stderr, cwd, env)
    if child_in is not None:
        os.close(child_in)
    os.close(devnull)
    for _, write_end in pipes.values():
        os.close(write_end)
    found = _communicate(pid, parent_in, data, {name: read_end for name, (read_end, _) in pipes.items()}, timeout,
                         argv)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    outputs = {}
    for name in ("stdout", "stderr"):
        raw = found.get(name)
        outputs[name] = raw.decode(encoding or "utf-8", errors or "strict") if text and raw is not None else raw
    result = subprocess.CompletedProcess(argv, code, outputs["stdout"], outputs["stderr"])
    if check:
        result.check_returncode()
    return result


# What the Sphinx child of `csec build` imports (Jupyter Book, the extensions _config.yml loads, the kit's own):
# imported once in the test process, so that every build forked from it starts with them (about a quarter of a
# second of each small book's build). Importing creates no Sphinx application: conftest.py checks that none runs here.
SPHINX_MODULES = ("jupyter_book.sphinx", "myst_nb", "myst_nb.sphinx_ext", "jupyter_cache", "sphinx_book_theme",
                  "pydata_sphinx_theme", "sphinx_design", "sphinx_togglebutton", "sphinx_copybutton",
                  "sphinx_external_toc", "sphinx_jupyterbook_latex", "sphinx_multitoc_numbering", "sphinx_comments",
                  "sphinx_thebe", "sphinx.builders.html", "sphinx.ext.intersphinx", "csec.sphinx",
                  "csec.sphinx.corpus", "csec.sphinx.notebooks")


def import_sphinx() -> None:
    import importlib

    # As the child does first (csec.site.build._sphinx): jsonschema's optional IRI grammars are never needed.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    for name in SPHINX_MODULES:
        importlib.import_module(name)


def _child(argv, child_in, parent_in, pipes, devnull, stderr, cwd, env) -> None:
    import io
    import signal
    import traceback

    code = 1
    try:
        if child_in is not None:
            os.dup2(child_in, 0)
        os.dup2(pipes["stdout"][1] if "stdout" in pipes else devnull, 1)
        os.dup2(1 if stderr == subprocess.STDOUT else pipes["stderr"][1] if "stderr" in pipes else devnull, 2)
        # Only 0, 1 and 2 stay open, as subprocess leaves them (close_fds): a write end of stdin's pipe left open
        # here would never let it end.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        # What a new interpreter starts with: default signal handling, Python's own SIGPIPE and SIGINT.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update({os.fsdecode(k): os.fsdecode(v) for k, v in env.items()})
        # Standard streams as the interpreter opens them on pipes under a C.UTF-8 locale (PYTHONIOENCODING wins).
        spec = os.environ.get("PYTHONIOENCODING", "")
        encoding = spec.partition(":")[0] or "utf-8"
        errors = spec.partition(":")[2] or "surrogateescape"
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding, errors)
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding, errors)
        sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding,
                                      "backslashreplace", line_buffering=True)
        sys.argv = argv
        from csec.cli import main

        try:
            code = main(argv[1:])
        except SystemExit as e:  # argparse's usage errors and --help
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:
                print(e.code, file=sys.stderr)
                code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:
                code = 120  # what the interpreter exits with when its last flush fails
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code if isinstance(code, int) else 1)


def _communicate(pid: int, parent_in, data, reads: dict[str, int], timeout, argv) -> dict[str, bytes]:
    """Feed DATA to the child and read its output pipes until they close and it has exited (a pidfd says when);
    past TIMEOUT, kill it and raise subprocess.TimeoutExpired, as subprocess.run does."""
    import selectors
    import signal
    import time

    deadline = None if timeout is None else time.monotonic() + timeout
    found = {name: bytearray() for name in reads}
    names = {fd: name for name, fd in reads.items()}
    exited = os.pidfd_open(pid)
    with selectors.DefaultSelector() as selector:
        for fd in (*reads.values(), exited):
            selector.register(fd, selectors.EVENT_READ)
        view = memoryview(data or b"")
        if parent_in is not None:
            if view:
                os.set_blocking(parent_in, False)
                selector.register(parent_in, selectors.EVENT_WRITE)
            else:
                os.close(parent_in)
        while selector.get_map():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                os.kill(pid, signal.SIGKILL)
                for key in list(selector.get_map().values()):
                    os.close(key.fd)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(argv, timeout)
            for key, _ in selector.select(left):
                if key.fd == exited:
                    selector.unregister(exited)
                    os.close(exited)
                elif key.fd == parent_in:
                    try:
                        view = view[os.write(parent_in, view[:65536]):]
                    except BrokenPipeError:
                        view = view[:0]
                    if not view:
                        selector.unregister(parent_in)
                        os.close(parent_in)
                elif chunk := os.read(key.fd, 65536):
                    found[names[key.fd]] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    return {name: bytes(value) for name, value in found.items()}
