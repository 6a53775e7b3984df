"""Making feed texts safe and short enough to show in a chat message."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

MAX_LINE = 200
MAX_DESCRIPTION = 280
MAX_URL = 2000

_TAG = re.compile(r"<[^>]{0,500}>")
_WHITESPACE = re.compile(r"\s+")


def clean_line(value: str) -> str:
    """One line of plain text: control characters dropped, whitespace collapsed, capped."""
    return _shorten(plain(value[: MAX_LINE * 4]), MAX_LINE)


def clean_description(value: str) -> str | None:
    """A short plain-text teaser of a description (some feeds put HTML in there)."""
    value = value[: MAX_DESCRIPTION * 8]  # long descriptions cost time, only a teaser shows
    if "<" in value:
        value = html.unescape(_TAG.sub(" ", value))
    text = _shorten(plain(value), MAX_DESCRIPTION)
    return text or None


def clean_url(value: str) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript:, data:, file:)."""
    url = value.strip()
    if not url or len(url) > MAX_URL or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def plain(value: str) -> str:
    """One line: control and format characters (bidi overrides) out, whitespace collapsed."""
    if value.isprintable():  # the common case, checked in C
        return _WHITESPACE.sub(" ", value).strip()
    # Cc/Cf/Co/Cs: control, format (bidi overrides!), private use and lone surrogates
    kept = "".join(
        " " if ch in "\t\r\n" else ch
        for ch in value
        if ch in "\t\r\n" or not unicodedata.category(ch).startswith("C")
    )
    return _WHITESPACE.sub(" ", kept).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
