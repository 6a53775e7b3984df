"""Errors as one line for logs and messages."""

from __future__ import annotations


def error_line(value: object, limit: int = 200) -> str:
    """The first line of what went wrong: an exception, a database error (its driver's
    message, not the SQL and link after it), a file error, or a nio error response."""
    inner = getattr(value, "orig", None) or value
    if isinstance(inner, OSError) and inner.strerror:
        return f"{inner.strerror}: {inner.filename}" if inner.filename else inner.strerror
    text = getattr(inner, "message", None) or str(inner) or type(inner).__name__
    return str(text).strip().split("\n")[0][:limit]
