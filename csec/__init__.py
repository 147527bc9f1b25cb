"""CSEC policy and training kit: one validated content model feeding the manual site, the rules engine and the widgets."""

__version__ = "0.1.0"
