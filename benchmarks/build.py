"""Time the manual site's builds on a scratch copy of the repository: clean build (nothing cached), clean build with
the notebook execution cache kept (site and Sphinx environment deleted), rebuild with no change, rebuild after
touching one YAML file (same bytes: nothing to rebuild), and after editing one definition's text. Target: the
one-file rebuild takes at most 40% of the clean build; the stricter comparison is with the warm-cache clean build,
which excludes notebook execution.

    .venv/bin/python benchmarks/build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SKIP = {".git", ".venv", "node_modules", "_build", ".pytest_cache", ".hypothesis", ".jupyter_cache", "progress"}


def scratch_copy(dest: Path) -> Path:
    root = dest / "repo"
    shutil.copytree(REPO, root, ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    (root / "node_modules").symlink_to(REPO / "node_modules")  # the vendor files the build copies
    return root


def timed(root: Path, label: str) -> float:
    from csec.site.build import build

    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        status = build(root)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{label}: build failed\n{out.getvalue()}")
    print(f"{label:<44} {elapsed:6.2f} s", flush=True)
    return elapsed


def edit_definition(file: Path) -> None:
    """Change the text of the first definition whose text is a one-line scalar (stays valid content)."""
    text = file.read_text(encoding="utf-8")
    new, n = re.subn(r"^(    text: (?![>|\"']).*\S)\s*$", r"\1 (benchmark edit)", text, count=1, flags=re.M)
    if not n:
        new = text + "\n# benchmark edit\n"
    file.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="repeat the incremental measurements N times")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="csec-bench-") as tmp:
        root = scratch_copy(Path(tmp))
        glossary = root / "content" / "policy" / "glossary.yaml"
        clean = timed(root, "clean build (nothing cached)")
        for entry in (root / "_build").iterdir():  # the site and the Sphinx environment; the notebook cache stays
            if entry.name != ".jupyter_cache":
                entry.unlink() if entry.is_symlink() or entry.is_file() else shutil.rmtree(entry)
        warm = timed(root, "clean build (notebook cache kept)")
        results = {"no change": [], "touch glossary.yaml": [], "edit one definition": []}
        for _ in range(args.repeat):
            results["no change"].append(timed(root, "rebuild, no change"))
            time.sleep(0.01)
            glossary.touch()
            results["touch glossary.yaml"].append(timed(root, "rebuild after touching glossary.yaml"))
            edit_definition(glossary)
            results["edit one definition"].append(timed(root, "rebuild after editing one definition"))
        print()
        for label, values in results.items():
            best = min(values)
            print(f"{label:<24} {best:6.2f} s = {100 * best / clean:3.0f}% of the clean build ({clean:.2f} s), "
                  f"{100 * best / warm:3.0f}% of the warm-cache clean build ({warm:.2f} s)")
        edit = min(results["edit one definition"])
        for label, base in (("clean", clean), ("warm-cache clean", warm)):
            print(f"target: one-YAML-edit rebuild <= 40% of {label}: {'met' if edit <= 0.40 * base else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
