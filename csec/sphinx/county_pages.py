"""Pages of a county's own procedures: a page whose front matter says `csec_county: <id>` is built only when that
county's overlay is read (csec.load.counties), and left out of the table of contents and the build otherwise, exactly as
if _toc.yml did not list it; `{csec-county-pages}` lists, on a statewide page, the county pages this build has."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from csec.core.pages import COUNTY_KEY as KEY
from csec.core.pages import front_matter
from csec.load import counties
from csec.sphinx.corpus import corpus_at_start
from csec.sphinx.withheld_pages import drop, source_file

logger = logging.getLogger(__name__)
PAGES = "csec_county_pages"  # app.config attribute: the docnames of the county pages in this build, in toc order


def on_config_inited(app: Sphinx, config) -> None:
    # Runs before withheld_pages (priority), at the same point: after _toc.yml is parsed, before the configuration
    # is compared with the last build's (see withheld_pages) and sources are found.
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    corpus = corpus_at_start(app)
    known = counties.known(Path(corpus.root))
    kept: list[str] = []
    other: list[str] = []
    for docname in list(site_map):
        path = source_file(app, docname)
        county = front_matter(path).get(KEY) if path is not None else None
        if county is None:
            continue
        if county not in known:
            logger.warning(f"{KEY}: unknown county {county!r} (known: {', '.join(known) or 'none'})",
                           location=f"{path}:1", type="csec", subtype="county")
        elif county == corpus.county:
            kept.append(docname)
        else:
            other.append(docname)
    before = set(site_map)
    for docname in other:
        if docname in site_map:  # not already left out with the county page above it
            drop(site_map, docname)
    # Every page that left the table of contents (a county page, and any page under it) leaves the build too.
    gone = [source_file(app, d) for d in sorted(before - set(site_map))]
    left_out = [path.relative_to(app.srcdir).as_posix() for path in gone if path is not None]
    setattr(config, PAGES, [d for d in kept if d in site_map])
    if left_out:
        shown = counties.county_name(corpus.county) if corpus.county else "the statewide baseline alone"
        logger.info("[csec] county: left out %d page(s) of another county's procedures (building %s): %s",
                    len(left_out), shown, ", ".join(left_out))
        config.exclude_patterns = config.exclude_patterns + left_out


class CountyPagesDirective(SphinxDirective):
    """A bullet list linking the county pages this build has (titled by the pages themselves); on a statewide
    build, a sentence saying that the site shows the statewide policy alone."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        # A county page a publish build withholds (nothing approved to show, csec.sphinx.withheld_pages) is not found.
        pages = [d for d in getattr(self.config, PAGES, []) if d in self.env.found_docs]
        if not pages:
            return [nodes.paragraph("", "This site shows the statewide policy alone; no county's own procedures are "
                                        "added.")]
        items = nodes.bullet_list()
        for docname in pages:
            ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + docname,
                                        refexplicit=False, refdoc=self.env.docname)
            ref += nodes.inline("", docname, classes=["xref", "std", "std-doc"])
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        return [items]
