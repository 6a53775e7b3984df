"""Argument types the plugins' command-line sub-commands share."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, else a clear error; `what` is
    how argparse names it in its messages ("number of days")."""

    def parse(text: str) -> int:
        value = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", value) or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low} to {high}, not {text[:20]!r}"
            )
        return int(value)

    parse.__name__ = what
    return parse
