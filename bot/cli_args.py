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


#: Message keys for a file that cannot be read / written: by error, then the fallback.
_READ_KEYS = ("core.file.not_found", "core.file.no_permission", "core.file.unreadable")
_WRITE_KEYS = ("core.file.no_folder", "core.file.no_write_permission", "core.file.unwritable")


def unreadable_file(t: Translator, file: str, error: OSError) -> str:
    """Why a file to import cannot be read, in the CLI's language (LOTSE_LANGUAGE)."""
    return _file_problem(t, file, error, _READ_KEYS)


def unwritable_file(t: Translator, file: str, error: OSError) -> str:
    """Why an output file cannot be written, in the CLI's language."""
    return _file_problem(t, file, error, _WRITE_KEYS)


def _file_problem(t: Translator, file: str, error: OSError, keys: tuple[str, str, str]) -> str:
    missing, no_permission, other = keys
    if isinstance(error, FileNotFoundError):
        return t(missing, file=file)
    if isinstance(error, IsADirectoryError):
        return t("core.file.is_directory", file=file)
    if isinstance(error, PermissionError):
        return t(no_permission, file=file)
    return t(other, file=file, detail=error.strerror or type(error).__name__)


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
