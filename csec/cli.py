"""The `csec` command line: validate content, assess facts, build the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentErrors


def _validate(args: argparse.Namespace) -> int:
    from .content import load

    try:
        corpus = load(Path(args.root))
    except ContentErrors as e:
        for error in e.errors:
            print(error)
        print(f"{len(e.errors)} problem{'s' if len(e.errors) != 1 else ''} found", file=sys.stderr)
        return 1
    print(corpus.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csec", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every content file; one line per problem")
    p.add_argument("root", nargs="?", default=".", help="repository root (default: .)")
    p.set_defaults(func=_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
