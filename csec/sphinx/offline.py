"""Keep the built site self-contained: serve require.js and the widget manager from this site, and refuse any page
asset from another origin.

The widget files come from node_modules (package.json, installed by scripts/setup.sh) and are copied into
`_static/vendor/` of the output when the builder starts. They are deliberately not in `html_static_path`: Jupyter
Book adds every .js under a static path to every page, in no useful order. myst-nb's `nb_ipywidgets_js` (in
_config.yml) points pages with widget state at these copies. sphinx-thebe, which Jupyter Book always loads,
would put an unpkg.com URL and its launcher on every page; with thebe off both are dropped here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .corpus import content_root

logger = logging.getLogger(__name__)

# node_modules path -> (folder under _static/vendor, file name patterns)
VENDOR = {
    "requirejs": ("requirejs", ["require.js", "package.json", "README.md"]),
    "@jupyter-widgets/html-manager/dist": ("html-manager", ["embed-amd.js", "embed.js.LICENSE.txt", "*.woff2",
                                                            "*.woff", "*.ttf", "*.eot", "*.svg"]),
}


def is_external(url: str | None) -> bool:
    if not url:
        return False
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:")) or "://" in url


def on_config_inited(app: Sphinx, config) -> None:
    for url in (config.nb_ipywidgets_js or {}) if "nb_ipywidgets_js" in config else {}:
        if is_external(url):
            logger.warning("nb_ipywidgets_js loads %s from another origin; point it at _static/vendor/ copies "
                           "(see _config.yml)", url, type="csec", subtype="offline")


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    modules = content_root(app) / "node_modules"
    target = Path(app.outdir) / "_static" / "vendor"
    for package, (folder, patterns) in VENDOR.items():
        src = modules / package
        if not src.is_dir():
            logger.warning("%s is missing: run `bash scripts/setup.sh` (it installs the npm packages the offline "
                           "site serves)", src, type="csec", subtype="offline")
            continue
        dest = target / folder
        dest.mkdir(parents=True, exist_ok=True)
        for pattern in patterns:
            for file in src.glob(pattern):
                # Always copied (~10 ms): npm gives every file the same old mtime, so dates cannot tell versions apart.
                shutil.copy2(file, dest / file.name)


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", None) or ""
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop thebe's launcher and flag any script or stylesheet from another origin (runs after other handlers)."""
    if not app.config.html_theme_options.get("launch_buttons", {}).get("thebe"):
        if "script_files" in context:
            context["script_files"][:] = [js for js in context["script_files"] if not _is_thebe(js)]
    for key in ("script_files", "css_files"):
        for asset in context.get(key, []):
            url = getattr(asset, "filename", None) or str(asset)
            if is_external(url):
                logger.warning("page %s would load %s from another origin; the site must work offline", pagename,
                               url, type="csec", subtype="offline")
