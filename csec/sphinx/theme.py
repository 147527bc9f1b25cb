"""Kit fixes for accessibility faults of sphinx-book-theme 1.3 / pydata-sphinx-theme 0.17 (Jupyter Book 1 pins
them; their fixed releases need Sphinx 8): template overrides in templates/, a stylesheet and a script in static/.

Each override says which fault it fixes. Upgrading the themes may make one redundant; tests/test_accessibility.py
runs axe-core over the whole site either way.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx

TEMPLATES = Path(__file__).parent / "templates"
CSS = "theme-fixes.css"
JS = "theme-fixes.js"


def on_config_inited(app: Sphinx, config) -> None:
    # First, so these win over the themes' own components folders (which they append to templates_path).
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def on_builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["csec_name_summaries"] = name_summaries


def name_summaries(html: str) -> Markup:
    """Give each chevron-only <summary> of the site navigation a name: the title of the page it expands."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(str(html), "html.parser")
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue  # a caption heading inside the summary already names it
        link = summary.find_parent("li").find("a", recursive=False)
        title = " ".join(link.get_text().split()) if link else ""
        summary["aria-label"] = f"Sections of {title}" if title else "Sections"
    return Markup(str(soup))
