"""Versions of the content over time: what changed, releases and their records, acknowledgements."""
