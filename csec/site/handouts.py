"""`csec handouts --out DIR`: the published site's printable pages (reference charts, trainee worksheets, trainer's
guides) printed to one PDF each by Debian's Chromium, with the release and page numbers in every page's footer."""

from __future__ import annotations

import contextlib
import html
import sys
from dataclasses import dataclass
from pathlib import Path

from csec.core.pages import COUNTY_KEY, front_matter, has_approved, needed_kinds
from csec.core.site_view import STATUS_WORDS, approved_only, status_of
from csec.export.errors import ExportError
from csec.export.outdir import replace_atomically
from csec.load.counties import county_name
from csec.releases.edition import Edition, current_edition
from csec.site.build import SITE_LINK, build, current_site, inputs_digest, read_stamp
from csec.site.build_lock import LockTimeout, build_lock
from csec.site.chromium import CHROMIUM, launch, outside_requests, serve


class HandoutError(Exception):
    """A handout that cannot be printed; its message is the one line the command prints."""


@dataclass(frozen=True)
class Handout:
    file: str  # "red-flags-chart.pdf"
    page: str  # "book/reference/red-flags": the page's source (.md) and, as .html, its place in the site
    title: str  # named in the footer of every printed page


# The reference pages printed as handouts; a page whose `csec_needs` kinds have nothing approved, or that is another
# county's (`csec_county`), is left out, as the publish build leaves it out of the site.
REFERENCE = (Handout("red-flags-chart.pdf", "book/reference/red-flags", "Red flags chart"),
             Handout("at-risk-checklist.pdf", "book/reference/indicators", "At-risk checklist"),
             Handout("reporting-deadlines.pdf", "book/reference/deadlines", "Reporting deadlines card"),
             Handout("interview-question-guide.pdf", "book/reference/investigative-questions",
                     "Interview question guide"))
# Letter paper (US agencies); the bottom margin holds the footer template.
PDF = {"format": "Letter", "print_background": True, "display_header_footer": True,
       "margin": {"top": "14mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
       "header_template": "<span></span>"}
# One line: the title and edition shrink (cut with an ellipsis if they must), the page number never wraps. The box
# is the page's width less the side margins (padding inside a border-box, not a margin added to 100%).
FOOTER = ('<div style="font-family: sans-serif; font-size: 8px; color: #333; width: 100%; box-sizing: border-box; '
          'padding: 0 14mm; display: flex; gap: 4mm; justify-content: space-between; white-space: nowrap">'
          '<span style="flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis">{title}. {edition}.'
          '</span><span style="flex: none">Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
          '</span></div>')


def _held_back(corpus, kinds: list[str]) -> str:
    """'5 in review' (or '2 draft, 1 in review'): why nothing of KINDS is approved."""
    counts: dict[str, int] = {}
    for kind in kinds:
        for item in corpus.items.get(kind, {}).values():
            counts[status_of(item)] = counts.get(status_of(item), 0) + 1
    return ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in sorted(counts.items())) or "none written"


def plan(root: Path, corpus) -> tuple[list[Handout], list[str]]:
    """The handouts to print, in order, and one note for each one left out."""
    chosen, notes = [], []
    for handout in REFERENCE:
        page = root / f"{handout.page}.md"
        county = front_matter(page).get(COUNTY_KEY)
        needs = needed_kinds(page)
        if county is not None and county != corpus.county:  # a county's page, not in this county's site
            notes.append(f"note: {handout.title.lower()} left out: it is {county_name(county)}'s "
                         f"({'statewide content alone' if corpus.county is None else county_name(corpus.county)} "
                         "is printed)")
        elif needs and not has_approved(corpus, needs):
            names = " or ".join(k.replace("_", " ") for k in needs)
            notes.append(f"note: {handout.title.lower()} left out: none of its {names} is approved yet "
                         f"({_held_back(corpus, needs)})")
        else:
            chosen.append(handout)
    # Per module, the trainee's worksheet (no answers) and the trainer's pack (the guide, with every answer key).
    for module in approved_only(corpus).modules.values():
        chosen.append(Handout(f"{module.id}-worksheet.pdf", f"book/modules/{module.id}-worksheet",
                              f"{module.title}: worksheet"))
        chosen.append(Handout(f"{module.id}-trainer-guide.pdf", f"book/modules/{module.id}-trainer-guide",
                              f"{module.title}: trainer's guide"))
    return chosen, notes


def _footer(handout: Handout, edition: Edition) -> str:
    return FOOTER.format(title=html.escape(handout.title), edition=html.escape(edition.words()))


def print_pdfs(site: Path, handouts: list[Handout], edition: Edition, out: Path) -> None:
    """Print each handout's page from SITE into OUT; any request outside 127.0.0.1 fails the whole run."""
    from playwright.sync_api import Error, sync_playwright

    for handout in handouts:
        if not (site / f"{handout.page}.html").is_file():
            raise HandoutError(f"{site / handout.page}.html: not in the built site; cannot print the "
                               f"{handout.title.lower()}")
    with serve(site) as base, sync_playwright() as playwright:
        try:
            browser = launch(playwright)
        except Error as e:
            raise HandoutError(f"Chromium ({CHROMIUM}) did not start: {str(e).splitlines()[0]}") from None
        try:
            context = browser.new_context()
            # The browser refuses any request outside this machine (chromium.OFFLINE); the site must work with no
            # internet (DESIGN.md), so a page that even tries is a defect.
            outside = outside_requests(context, f"{base}/")
            for handout in handouts:
                page = context.new_page()
                page.goto(f"{base}/{handout.page}.html", wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")  # print with the page's own fonts
                if outside:
                    raise HandoutError(f"{handout.page}.html asked for {outside[0]}, outside 127.0.0.1; "
                                       "no handout written")
                page.pdf(path=str(out / handout.file), footer_template=_footer(handout, edition), **PDF)
                page.close()
        finally:
            browser.close()


def _published_site(root: Path) -> None:
    """Build ROOT's publish site (for the county the command was given) unless it is up to date."""
    # The build's own lines are progress, not the command's output (the PDFs written), so they go to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        status = build(root, preview=False)
    if status != 0:
        raise HandoutError("the site did not build (see the messages above); no handout written")


def _site_to_print(root: Path, county: str | None) -> Path:
    """With the build lock held: the site folder to print, checked to be the publish build of the current inputs."""
    build_dir = root / "_build"
    stamp = read_stamp(build_dir / SITE_LINK)
    site = current_site(build_dir)
    wanted = {"mode": "publish", "county": county, "inputs": inputs_digest(root, False, county)}
    if site is None or stamp != wanted:  # another build, or an edit, came in between: never print another site
        raise HandoutError(f"{build_dir / SITE_LINK} is no longer the publish build of the current content "
                           "(another build replaced it, or a file changed); run again")
    return site


def main(root: Path, out: Path, corpus) -> int:
    """Build ROOT (validated as CORPUS) if needed, then print every handout into OUT atomically; 0 ok, 1 failed,
    2 no browser."""
    root = root.resolve()
    if not CHROMIUM.is_file():
        print(f"csec handouts: Debian's Chromium is missing ({CHROMIUM}); install it with apt-get install chromium",
              file=sys.stderr)
        return 2
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("csec handouts: Playwright is not installed; run bash scripts/setup.sh", file=sys.stderr)
        return 2
    handouts, notes = plan(root, corpus)
    try:
        _published_site(root)
        # Held while printing, so no `csec build` swaps the site out from under the browser.
        with build_lock(root / "_build"), replace_atomically(out, "csec handouts") as tmp:
            print_pdfs(_site_to_print(root, corpus.county), handouts, current_edition(corpus), tmp)
    except (HandoutError, ExportError, LockTimeout) as e:
        print(f"csec handouts: {e}", file=sys.stderr)
        return 1
    for handout in handouts:
        print(out / handout.file)  # only once the folder is in place
    for note in notes:
        print(note, file=sys.stderr)
    return 0
