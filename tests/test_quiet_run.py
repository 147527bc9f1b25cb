"""A quiet first run: building the package prints no deprecation warning of the project's own, and the notebook
kernels the build starts do not print ipykernel's plain-TCP notice (what the README's commands print is what a
newcomer needs).
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
MACHINE_NOISE = "Location 'file:"  # this machine's pip configuration names package folders that do not exist


def _own_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and MACHINE_NOISE not in line]


def test_building_the_package_prints_no_deprecation_warning(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, project / name)
    for package in ("csec", "widgets"):
        shutil.copytree(REPO / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    # With build isolation, as `pip install` in scripts/setup.sh builds it: the backend is what [build-system] asks.
    result = subprocess.run([str(PYTHON), "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                             "--no-cache-dir", "-w", str(tmp_path / "dist"), str(project)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    output = "\n".join(_own_lines(result.stdout + result.stderr))
    for word in ("Deprecat", "deprecated", "BuildBackendWarning", "SetuptoolsWarning"):
        assert word not in output, output
    assert list((tmp_path / "dist").glob("csec_kit-*.whl"))


def test_a_notebook_kernel_starts_without_the_plain_tcp_notice(tmp_path):
    script = tmp_path / "kernel.py"
    script.write_text(textwrap.dedent("""\
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(kernel_name="python3")
        try:
            kc.execute_interactive("print('kernel-ran')", timeout=60)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        """), encoding="utf-8")
    # The kernel inherits this process's stderr, as the build's notebook kernels inherit the build's.
    result = subprocess.run([str(PYTHON), str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kernel-ran" in result.stdout
    assert "without encryption" not in result.stderr, result.stderr
