"""Fetching calendar feeds: conditional, bounded in time, size and parallelism, never raising.

Error results carry a `Problem` (message key + params) instead of text, and never the URL
or the exception text: private feed URLs (Google, Nextcloud, Outlook) embed secret tokens,
and exception messages of HTTP libraries tend to repeat the URL.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import httpx

from plugins.events.errors import ParamValue, Problem

FetchStatus = Literal["ok", "not_modified", "error"]

#: Longest ETag / Last-Modified value kept; anything longer is not a validator but noise.
MAX_VALIDATOR_LENGTH = 512
#: Every error key of a FetchResult, with its parameters (for the i18n catalogue).
FETCH_KEYS: dict[str, tuple[str, ...]] = {
    "events.fetch.bad_url": (),
    "events.fetch.bad_scheme": ("scheme",),
    "events.fetch.timeout": ("seconds",),
    "events.fetch.too_large": ("max_bytes",),
    "events.fetch.http_status": ("status",),
    "events.fetch.connect": (),
    "events.fetch.redirects": (),
    "events.fetch.network": ("detail",),
    "events.fetch.failed": ("detail",),
}
_SCHEMES = {"webcal": "https", "webcals": "https", "http": "http", "https": "https"}
_HEADERS = {"Accept": "text/calendar, text/plain;q=0.5, */*;q=0.1"}


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """One feed to fetch, with the validators remembered from the last successful fetch."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """`ok`: `body` holds the new content. `not_modified`: keep what you have, nothing to
    parse. `error`: `error` says why (keys `events.fetch.*`, see `fetch_one`).

    `etag`/`last_modified` are the validators to send next time (the old ones if the server
    sent none with a 304; None after an error).
    """

    name: str
    status: FetchStatus
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: Problem | None = None
    http_status: int | None = None
    elapsed: float = 0.0


async def fetch_feeds(
    client: httpx.AsyncClient,
    feeds: Sequence[FeedRequest],
    *,
    concurrency: int = 8,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
) -> list[FetchResult]:
    """Fetch all feeds, at most `concurrency` at a time; results in the order of `feeds`.

    Never raises (except on cancellation): one failing feed does not affect the others.
    """
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def bounded(feed: FeedRequest) -> FetchResult:
        async with semaphore:
            return await fetch_one(client, feed, timeout=timeout, max_bytes=max_bytes)

    return list(await asyncio.gather(*(bounded(feed) for feed in feeds)))


async def fetch_one(
    client: httpx.AsyncClient,
    feed: FeedRequest,
    *,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
) -> FetchResult:
    """Fetch one feed, following redirects (up to the client's limit).

    Error keys and params are listed in FETCH_KEYS; `detail` is an exception class name,
    never its message.
    """
    began = time.monotonic()

    def failed(
        key: str, params: dict[str, ParamValue] | None = None, status: int | None = None
    ) -> FetchResult:
        return FetchResult(
            feed.name,
            "error",
            error=Problem(key, params or {}),
            http_status=status,
            elapsed=time.monotonic() - began,
        )

    url = normalise_url(feed.url)
    if isinstance(url, Problem):
        return failed(url.key, dict(url.params))
    headers = dict(_HEADERS)
    if feed.etag and _header_safe(feed.etag):
        headers["If-None-Match"] = feed.etag
    if feed.last_modified and _header_safe(feed.last_modified):
        headers["If-Modified-Since"] = feed.last_modified

    try:
        # asyncio.timeout bounds the whole exchange; httpx's own timeouts are per read, so a
        # server dripping one byte a second would otherwise never time out.
        async with asyncio.timeout(timeout):
            async with client.stream(
                "GET", url, headers=headers, follow_redirects=True, timeout=timeout
            ) as response:
                status = response.status_code
                if status == 304:
                    return FetchResult(
                        feed.name,
                        "not_modified",
                        etag=_validator(response.headers.get("ETag")) or feed.etag,
                        last_modified=_validator(response.headers.get("Last-Modified"))
                        or feed.last_modified,
                        http_status=status,
                        elapsed=time.monotonic() - began,
                    )
                if status != 200:
                    return failed("events.fetch.http_status", {"status": status}, status)
                body = await _read_capped(response, max_bytes)
                if body is None:
                    return failed("events.fetch.too_large", {"max_bytes": max_bytes}, status)
                return FetchResult(
                    feed.name,
                    "ok",
                    body=body,
                    etag=_validator(response.headers.get("ETag")),
                    last_modified=_validator(response.headers.get("Last-Modified")),
                    http_status=status,
                    elapsed=time.monotonic() - began,
                )
    except (TimeoutError, httpx.TimeoutException):
        return failed("events.fetch.timeout", {"seconds": math.ceil(timeout)})
    except httpx.TooManyRedirects:
        return failed("events.fetch.redirects")
    except httpx.ConnectError:
        return failed("events.fetch.connect")
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        return failed("events.fetch.bad_url")
    except httpx.HTTPError as exc:
        return failed("events.fetch.network", {"detail": type(exc).__name__})
    except Exception as exc:  # noqa: BLE001 - a feed must never take the others down
        return failed("events.fetch.failed", {"detail": type(exc).__name__})


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes | None:
    """The decoded body, or None as soon as it exceeds max_bytes (no need to download it)."""
    declared = response.headers.get("Content-Length", "")
    # Content-Length counts the compressed bytes, so it can only prove "too large" early.
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks: list[bytes] = []
    size = 0
    # aiter_bytes decompresses, so a small gzip bomb is counted by what it unpacks to
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def normalise_url(raw: str) -> str | Problem:
    """The http(s) URL to fetch for a feed address (webcal:// is https), or what is wrong."""
    text = raw.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        return Problem("events.fetch.bad_url")
    target = _SCHEMES.get(scheme.lower())
    if target is None:
        return Problem("events.fetch.bad_scheme", {"scheme": scheme.lower()[:20]})
    url = f"{target}://{rest}"
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return Problem("events.fetch.bad_url")
    if not parsed.host:
        return Problem("events.fetch.bad_url")
    return url


def _header_safe(value: str) -> bool:
    return len(value) <= MAX_VALIDATOR_LENGTH and value.isascii() and value.isprintable()


def _validator(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value if value and _header_safe(value) else None
