"""Errors of the events service layer: a message key plus parameters, never finished prose.

The chat layer translates `key` with `params` into German or English. `str(error)` is an
English sentence for logs only. Parameter values may come from untrusted feeds or user
input: escape them before they go into Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ParamValue = str | int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that went wrong, as a translatable message key with its parameters."""

    key: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)


class EventsError(Exception):
    """Base of the errors this package raises on bad input (never on programming errors)."""

    def __init__(
        self, key: str, params: Mapping[str, ParamValue] | None = None, message: str = ""
    ) -> None:
        self.key = key
        self.params: dict[str, ParamValue] = dict(params or {})
        if not message:
            message = f"{key} {self.params}" if self.params else key
        super().__init__(message)

    @property
    def problem(self) -> Problem:
        return Problem(self.key, dict(self.params))

    def __reduce__(self) -> tuple[type[EventsError], tuple[str, dict[str, ParamValue], str]]:
        # Keeps the error picklable (e.g. across a process pool) despite the custom __init__.
        return (type(self), (self.key, self.params, str(self)))


class FeedError(EventsError):
    """A calendar feed could not be parsed or expanded; the feed is unusable as it is."""


class DateParseError(EventsError):
    """A date, time or event line typed by a user could not be understood."""
