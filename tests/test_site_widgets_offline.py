"""Pages with widget state load require.js and the widget manager from the site itself: a one-notebook Sphinx
project with the kit's extension and the `nb_ipywidgets_js` setting of _config.yml, checked in the HTML and, where
Debian's Chromium is present, in a real browser that renders the widget with no request to another origin.

(The manual's own module pages render their widgets statically today, so this small project is what exercises
myst-nb's widget path.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

pytestmark = pytest.mark.build


def _notebook() -> dict:
    import ipywidgets as w
    from ipywidgets.embed import embed_data

    data = embed_data(views=[w.IntSlider(value=3, description="Hours")])
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "widgets": {"application/vnd.jupyter.widget-state+json": data["manager_state"]}},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Widget page"},
            {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1, "source": "slider",
             "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                          "data": {"application/vnd.jupyter.widget-view+json": data["view_specs"][0],
                                   "text/plain": "IntSlider(value=3)"}}]},
        ],
    }


@pytest.fixture(scope="module")
def widget_site(tmp_path_factory, repo_root) -> Path:
    src = tmp_path_factory.mktemp("widgets") / "src"
    src.mkdir()
    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    widget_js = config["sphinx"]["config"]["nb_ipywidgets_js"]
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'csec.sphinx']\n"
        f"csec_root = {str(repo_root)!r}\n"
        "nb_execution_mode = 'off'\n"
        f"nb_ipywidgets_js = {widget_js!r}\n"
        "html_theme = 'basic'\n", encoding="utf-8")
    (src / "index.ipynb").write_text(json.dumps(_notebook()), encoding="utf-8")
    out = src.parent / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(src), str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def test_widget_page_loads_the_local_widget_manager(widget_site):
    soup = BeautifulSoup((widget_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    srcs = [s["src"].split("?")[0] for s in soup.find_all("script", src=True)]
    assert "_static/vendor/requirejs/require.js" in srcs
    assert "_static/vendor/html-manager/embed-amd.js" in srcs
    assert srcs.index("_static/vendor/requirejs/require.js") < srcs.index("_static/vendor/html-manager/embed-amd.js")
    manager = soup.find("script", src=lambda s: s and "embed-amd.js" in s)
    assert not manager["data-jupyter-widgets-cdn"].startswith(("http", "//"))
    assert soup.find("script", type="application/vnd.jupyter.widget-state+json") is not None
    for rel in ("_static/vendor/requirejs/require.js", "_static/vendor/html-manager/embed-amd.js"):
        assert (widget_site / rel).is_file()  # copied because this page loads them (the manual has no such page)
    # The widget manager's fonts sit next to it (it loads them relative to its own URL).
    assert list((widget_site / "_static/vendor/html-manager").glob("*.woff2"))
    from test_site_build import outside_references

    assert outside_references(widget_site / "index.html") == []


@pytest.mark.browser
def test_widget_renders_offline_in_chromium(widget_site):
    from _browser import CHROMIUM, launch, outside_requests, serve
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is required: apt-get install chromium"
    errors: list[str] = []
    with serve(widget_site) as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        outside = outside_requests(page, base)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/index.html", wait_until="load")
        page.wait_for_selector(".widget-slider, .jupyter-widgets.widget-inline-hbox", timeout=15000)
        assert "Hours" in page.inner_text("body")
        browser.close()
    assert outside == []
    assert errors == []
