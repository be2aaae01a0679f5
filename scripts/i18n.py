"""Catalogue tooling: extract, update, compile and check the gettext catalogues (placeholder)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
