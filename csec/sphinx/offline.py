"""Keep the built site self-contained: serve require.js and the widget manager from this site, and refuse any page
asset from another origin: when the build finishes, every attribute of every page that names a URL to load is read,
and one from another origin fails the build.

The widget files come from node_modules (package.json, installed by scripts/setup.sh) and are copied into
`_static/vendor/` of the output at the end of the build, and only when a page loads them. They are deliberately not in `html_static_path`: Jupyter
Book adds every .js under a static path to every page, in no useful order. myst-nb's `nb_ipywidgets_js` (in
_config.yml) points pages with widget state at these copies. sphinx-thebe, which Jupyter Book always loads,
would put an unpkg.com URL and its launcher on every page; with thebe off both are dropped here.

Every page also gets a Content-Security-Policy `<meta>` (it works on a plain static server and from file://, where no
header can be set) allowing only this site's own files: the inline scripts, handlers and styles the themes write are
each allowed by the hash of their exact text, so nothing else inline can run, even if markup ever slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pydata_sphinx_theme
from sphinx.application import Sphinx
from sphinx.util import logging

from csec.sphinx.corpus import content_root

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
    url = re.sub(r"[\x00-\x20]+", "", url).lower()  # browsers ignore whitespace and controls inside a scheme
    return url.startswith(("http:", "https:", "//", "\\\\", "/\\", "\\/", "ftp:", "ws:", "wss:")) or "://" in url


# Attributes whose value the browser fetches or navigates to; `srcset` holds a list and `style` may hold url(...).
_URL_ATTRS = {"src", "href", "data", "poster", "srcset", "xlink:href", "action", "formaction", "background",
              "codebase", "cite", "manifest", "ping", "imagesrcset"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)


class _PageUrls(HTMLParser):
    """Collects (where, url) for every URL an HTML page names in an attribute, an inline style or a <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if not value:
                continue
            if name in ("srcset", "imagesrcset"):
                self.found += [(f"<{tag} {name}>", part.split()[0]) for part in value.split(",") if part.split()]
            elif name in _URL_ATTRS and not (name == "href" and tag in ("a", "area")):
                # A plain link is not a request (content may hold none to other origins; `csec validate` sees to
                # that), while a theme's "Created using Sphinx" footer link is harmless.
                self.found.append((f"<{tag} {name}>", value))
            elif name == "style":
                self.found += [(f"<{tag} style>", u) for u in _css_urls(value)]
            elif name == "content" and tag == "meta" and "url=" in value.lower():
                self.found.append(("<meta refresh>", value[value.lower().index("url=") + 4:]))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("<style>", u) for u in _css_urls(data)]


def _css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(css)]


def outside_urls(html: str) -> Iterator[tuple[str, str]]:
    """(where, url) for each URL in the page that points at another origin."""
    parser = _PageUrls()
    parser.feed(html)
    parser.close()
    return ((where, url) for where, url in parser.found if is_external(url))


# --- the Content-Security-Policy ---------------------------------------------------------------------------------

WIDGET_MANAGER = "_static/vendor/html-manager/"
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)
_INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
_STYLE_ELEMENT = re.compile(r"<style(\s[^>]*)?>(.*?)</style>", re.S | re.I)
_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^<>]*?\s(on[a-z]+|style)=(?:"([^"]*)"|'([^']*)')""")
_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")  # the types a browser runs


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _type(attrs: str | None) -> str:
    found = re.search(r"""\btype=["']?([^"'\s>]+)""", attrs or "", re.I)
    return found.group(1).lower() if found else ""


def content_security_policy(page: str) -> str:
    """The policy for one page: the site's own files, and the page's own inline code by the hash of its text."""
    scripts, styles, unsafe_hashes = [], [], False
    for attrs, body in _INLINE_SCRIPT.findall(page):
        if not re.search(r"\bsrc=", attrs or "", re.I) and _type(attrs) in _SCRIPT_TYPES:
            scripts.append(_hash(body))
    styles += [_hash(body) for _, body in _STYLE_ELEMENT.findall(page)]
    # Inline event handlers and style attributes can only be allowed by hash with 'unsafe-hashes' (the hash still
    # names the exact text). Their values are as the browser reads them: entities decoded.
    for match in _ATTRIBUTE.finditer(page):
        name, value = match.group(1).lower(), htmllib.unescape(match.group(2) or match.group(3) or "")
        (styles if name == "style" else scripts).append(_hash(value))
        unsafe_hashes = True
    extra = " 'unsafe-hashes'" if unsafe_hashes else ""

    def allow(hashes: list[str]) -> str:
        return (extra if hashes else "") + "".join(f" {h}" for h in sorted(set(hashes)))

    # The Jupyter widget manager (only on a page with widget state; the published manual has none) writes its
    # stylesheets into the page as it renders and compiles its JSON schemas with new Function(): such a page allows
    # inline styles (a hash would make a browser ignore 'unsafe-inline') and eval. Other inline scripts still need
    # their hash there too.
    widgets = WIDGET_MANAGER in page
    style = " 'unsafe-inline'" if widgets else allow(styles)
    script = allow(scripts) + (" 'unsafe-eval'" if widgets else "")
    return ("default-src 'self'; "
            f"script-src 'self'{script}; style-src 'self'{style}; "
            # data: images are the theme's inline SVG icons (Bootstrap's check marks and arrows): no request.
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")


def with_csp(page: str) -> str:
    """PAGE with its Content-Security-Policy <meta> first in <head> (replacing one an earlier build wrote)."""
    page = _CSP_META.sub("", page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">\n'
    # Right after the charset: a policy applies only to what the page declares after it.
    at = re.search(r"<meta charset=[^>]*>\s*", page, re.I) or re.search(r"<head[^>]*>\s*", page, re.I)
    # A page with no <head> (Jupyter Book's root redirect) gets it first: the parser puts it in the implied head.
    return page[:at.end()] + meta + page[at.end():] if at else meta + page


STARTED = "csec_started_ns"  # on the application: when the builder started (pages older than this were kept)
STARTED_FILE = ".csec-build-started"  # in the doctree folder: touched when the builder starts


def _mark_start(app: Sphinx) -> None:
    """Note when this build started, on the file system's own clock: a page's modification time comes from the
    kernel's coarse clock, which can read a few milliseconds behind time.time_ns(), so a page written just after a
    start taken from that would look kept and go unsecured."""
    marker = Path(app.doctreedir) / STARTED_FILE
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    setattr(app, STARTED, marker.stat().st_mtime_ns)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Give every page this build wrote its Content-Security-Policy and fail the build on another origin.

    A page kept from the last build (csec.site.build reuses the current site's pages, modification times and all,
    for Sphinx to leave alone) was secured and scanned by the build that wrote it, which could only become the site
    by passing: only pages written since this build started are read again."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = sorted(outdir.rglob("*.html"))
    copy_vendor_if_used(app, pages)
    started = getattr(app, STARTED, 0)
    for page in pages:
        if page.stat().st_mtime_ns < started:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        secured = with_csp(text)
        if secured != text:
            page.write_text(secured, encoding="utf-8")
        for where, url in outside_urls(text):
            logger.warning("%s: %s points at another origin (%s); the site must make no request outside its own "
                           "origin", page.relative_to(outdir).as_posix(), where, url[:120], type="csec",
                           subtype="offline")


def on_config_inited(app: Sphinx, config) -> None:
    for url in (config.nb_ipywidgets_js or {}) if "nb_ipywidgets_js" in config else {}:
        if is_external(url):
            logger.warning("nb_ipywidgets_js loads %s from another origin; point it at _static/vendor/ copies "
                           "(see _config.yml)", url, type="csec", subtype="offline")


# pydata-sphinx-theme's Font Awesome script writes its stylesheet into each page as a <style> element, which the
# policy refuses; the same CSS is served as a file instead and the script told not to add it (data-auto-add-css).
FONTAWESOME_CSS = "csec-fontawesome.css"
_FA_STYLES = re.compile(r"""=\s*'(:host,:root\{[^'\\]*)'""")


def fontawesome_css() -> str | None:
    """The stylesheet the theme's Font Awesome script would inject, read from the script (None without it)."""
    found = sorted(Path(pydata_sphinx_theme.__file__).parent.glob("theme/*/static/scripts/fontawesome.js"))
    hit = _FA_STYLES.search(found[0].read_text(encoding="utf-8")) if found else None
    return hit.group(1) if hit else None


def on_builder_inited(app: Sphinx) -> None:
    """Say early when the npm packages are missing (the copy itself waits for the end of the build); write the
    Font Awesome stylesheet the policy needs as a file."""
    if app.builder.format != "html":
        return
    _mark_start(app)
    css = fontawesome_css()
    if css is None:
        logger.warning("the theme's fontawesome.js no longer holds its stylesheet where csec.sphinx.offline reads it; "
                       "its icons will be refused by the Content-Security-Policy", type="csec", subtype="offline")
    else:
        target = Path(app.outdir) / "_static" / FONTAWESOME_CSS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
        app.add_css_file(FONTAWESOME_CSS)
    modules = content_root(app) / "node_modules"
    for package in VENDOR:
        if not (modules / package).is_dir():
            logger.warning("%s is missing: run `bash scripts/setup.sh` (it installs the npm packages the offline "
                           "site serves)", modules / package, type="csec", subtype="offline")


def copy_vendor_if_used(app: Sphinx, pages: list[Path]) -> None:
    """Copy require.js and the widget manager into the site only when a built page loads them: pages with widget
    state do; the published manual (its exercises are the page player) has none, so it carries no 7 MB it never
    loads. A copy left by an earlier build of the same folder is removed when no page needs it any more."""
    target = Path(app.outdir) / "_static" / "vendor"
    used = any(f"_static/vendor/{folder}/" in page.read_text(encoding="utf-8", errors="replace")
               for page in pages for folder, _ in VENDOR.values())
    modules = content_root(app) / "node_modules"
    for package, (folder, patterns) in VENDOR.items():
        dest = target / folder
        if not used:
            shutil.rmtree(dest, ignore_errors=True)
            continue
        src = modules / package
        if not src.is_dir():
            continue  # said at builder-inited
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
