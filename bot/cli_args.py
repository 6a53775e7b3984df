"""What the plugins' command-line sub-commands share: argument types, file messages."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from bot.i18n import Translator


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


def unreadable_file(t: Translator, file: str, error: OSError) -> str:
    """Why a file to import cannot be read, in the CLI's language (LOTSE_LANGUAGE)."""
    if isinstance(error, FileNotFoundError):
        return t("core.file.not_found", file=file)
    if isinstance(error, IsADirectoryError):
        return t("core.file.is_directory", file=file)
    if isinstance(error, PermissionError):
        return t("core.file.no_permission", file=file)
    return t("core.file.unreadable", file=file, detail=error.strerror or type(error).__name__)


def write_output(t: Translator, data: bytes, path: Path | str | None) -> bool:
    """`data` as it is into the file, or to stdout without a file; a file that cannot be
    written is told in one line on stderr (False), not as a traceback."""
    if not path:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return True
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        print(unwritable_file(t, str(path), exc), file=sys.stderr)
        return False
    return True


def unwritable_file(t: Translator, file: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return t("core.file.no_folder", file=file)
    if isinstance(error, IsADirectoryError):
        return t("core.file.is_directory", file=file)
    if isinstance(error, PermissionError):
        return t("core.file.no_write_permission", file=file)
    return t("core.file.unwritable", file=file, detail=error.strerror or type(error).__name__)
