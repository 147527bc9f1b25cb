"""Test-only Sphinx configuration: a one-page site whose corpus carries a stub substantive release (until
content/releases.yaml lands), so the read-and-understood form can be driven in a browser."""

import os

extensions = ["csec.sphinx"]
csec_root = os.environ["CSEC_TEST_ROOT"]
root_doc = "index"
STUB_RELEASES = {"2026-01": {"id": "2026-01", "title": "January 2026 update", "effective": "2026-01-15",
                             "changes": [{"class": "editorial", "text": "Typos."},
                                         {"class": "substantive", "text": "New reporting step."}]}}


def setup(app):
    def add_stub_release(app):
        from csec.sphinx.corpus import corpus_of

        corpus_of(app.env).items["releases"] = STUB_RELEASES

    app.connect("builder-inited", add_stub_release, priority=100)
