"""Text from content or from outside made inert where it goes: a terminal, a spreadsheet cell, an XML file."""

from __future__ import annotations

import re

# Unicode's bidirectional formatting characters (UAX #9): they reorder what a reader sees without changing what a
# program reads, so a word can look like another or a line hide part of itself (CVE-2021-42574, "Trojan Source").
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI = re.compile(f"[{BIDI_CONTROLS}]")

# What XML 1.0 forbids in a document (production [2] Char): C0 controls other than tab, line feed and carriage
# return, lone surrogates, U+FFFE and U+FFFF. No escape can carry them, so a file holding one is not XML at all.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Controls a terminal acts on (ESC sequences retitle windows, move the cursor, rewrite lines), line and paragraph
# separators, and the bidirectional controls: each is shown as an escape instead.
TERMINAL_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
_TERMINAL_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def _escaped(match: re.Match) -> str:
    # C0 controls as \x1b (as YAML and Python write them); the rest as \u009b, \u202e, which is also how JSON writes
    # them, so `--json` output that holds one (json.dumps escapes C0 itself) stays valid JSON once escaped.
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """TEXT with every control character a terminal would act on shown as an escape (\\x1b, \\u009b, \\u202e), so a
    file name or value cannot retitle, rewrite or reorder the terminal; with LINES, line feeds and tabs are kept."""
    return (_TERMINAL_LINES if lines else TERMINAL_CONTROL).sub(_escaped, text)


# OWASP's CSV injection advice: a cell starting with = + - @, a tab or a carriage return is read by a spreadsheet as
# a formula (or, for the last two, may become one once trimmed), so it gets a leading apostrophe and is shown as
# text. The trainee's results CSV in the page player (csec/sphinx/player_static/csec-player.js, csvCell) uses the
# same characters; tests/test_hostile_outputs.py holds the two to one list.
FORMULA_PREFIXES = "=+-@\t\r"


def spreadsheet_cell(value: object) -> str:
    """VALUE as a CSV cell no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in tuple(FORMULA_PREFIXES) and text else text
