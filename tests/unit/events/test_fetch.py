"""Fetching feeds from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from plugins.events.fetch import FETCH_KEYS, FeedRequest, FetchResult, fetch_feeds, fetch_one
from plugins.events.ical import parse_calendar
from tests.unit.events.feed_server import CALENDAR, ETAG, LAST_MODIFIED, FeedServer, feed_server


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


async def fetch(client: httpx.AsyncClient, url: str, **options: float) -> FetchResult:
    (result,) = await fetch_feeds(client, [FeedRequest("Netzwerk", url)], **options)  # type: ignore[arg-type]
    return result


async def test_200_then_304_with_etag(server: FeedServer, client: httpx.AsyncClient) -> None:
    first = await fetch(client, server.url("/calendar.ics"))
    assert first.status == "ok"
    assert first.body == CALENDAR
    assert first.etag == ETAG
    assert first.http_status == 200
    assert first.error is None
    assert first.elapsed > 0
    assert parse_calendar(first.body).event_count == 1

    again = FeedRequest("Netzwerk", server.url("/calendar.ics"), etag=first.etag)
    (second,) = await fetch_feeds(client, [again])
    assert second.status == "not_modified"
    assert second.body is None  # nothing to parse
    assert second.etag == ETAG
    sent = server.headers_of("/calendar.ics")
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == ETAG


async def test_if_modified_since(server: FeedServer, client: httpx.AsyncClient) -> None:
    first = await fetch(client, server.url("/modified-since.ics"))
    assert first.status == "ok"
    assert first.last_modified == LAST_MODIFIED
    assert first.etag is None
    request = FeedRequest(
        "Netzwerk", server.url("/modified-since.ics"), last_modified=first.last_modified
    )
    (second,) = await fetch_feeds(client, [request])
    assert second.status == "not_modified"
    # the server sent no validator with its 304: keep the old one
    assert second.last_modified == LAST_MODIFIED
    assert server.headers_of("/modified-since.ics")[1]["if-modified-since"] == LAST_MODIFIED


async def test_server_error(server: FeedServer, client: httpx.AsyncClient) -> None:
    result = await fetch(client, server.url("/error"))
    assert result.status == "error"
    assert result.body is None
    assert result.error is not None
    assert (result.error.key, dict(result.error.params)) == (
        "events.fetch.http_status",
        {"status": 500},
    )
    assert result.http_status == 500


async def test_oversize_body_declared(server: FeedServer, client: httpx.AsyncClient) -> None:
    result = await fetch(client, server.url("/large-declared"), max_bytes=100_000)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.key == "events.fetch.too_large"
    assert result.error.params == {"max_bytes": 100_000}


async def test_oversize_body_streamed(server: FeedServer, client: httpx.AsyncClient) -> None:
    result = await fetch(client, server.url("/large-chunked"), max_bytes=100_000)
    assert result.error is not None
    assert result.error.key == "events.fetch.too_large"


async def test_gzip_bomb_counts_unpacked_bytes(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    result = await fetch(client, server.url("/gzip-bomb"), max_bytes=100_000)
    assert result.error is not None
    assert result.error.key == "events.fetch.too_large"


async def test_slow_response_times_out(server: FeedServer, client: httpx.AsyncClient) -> None:
    result = await fetch(client, server.url("/slow"), timeout=0.3)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.key == "events.fetch.timeout"
    assert 0.25 < result.elapsed < 2.0


async def test_dripping_body_times_out_as_a_whole(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    # every single read is quick, only the whole exchange is too slow
    result = await fetch(client, server.url("/drip"), timeout=0.5)
    assert result.error is not None
    assert result.error.key == "events.fetch.timeout"
    assert result.elapsed < 2.0


async def test_redirects(server: FeedServer, client: httpx.AsyncClient) -> None:
    followed = await fetch(client, server.url("/redirect"))
    assert followed.status == "ok"
    assert followed.body == CALENDAR
    loop = await fetch(client, server.url("/loop"))
    assert loop.error is not None
    assert loop.error.key == "events.fetch.redirects"


async def test_one_failure_does_not_affect_the_others(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    feeds = [
        FeedRequest("a", server.url("/calendar.ics")),
        FeedRequest("b", server.url("/error")),
        FeedRequest("c", server.url("/slow")),
        FeedRequest("d", "ftp://example.org/x.ics"),
        FeedRequest("e", server.url("/missing")),
        FeedRequest("f", server.url("/modified-since.ics")),
    ]
    results = await fetch_feeds(client, feeds, timeout=0.5)
    assert [r.name for r in results] == ["a", "b", "c", "d", "e", "f"]
    assert [r.status for r in results] == ["ok", "error", "error", "error", "error", "ok"]
    assert [r.error.key if r.error else None for r in results] == [
        None,
        "events.fetch.http_status",
        "events.fetch.timeout",
        "events.fetch.bad_scheme",
        "events.fetch.http_status",
        None,
    ]


async def test_concurrency_is_bounded(server: FeedServer, client: httpx.AsyncClient) -> None:
    feeds = [FeedRequest(str(i), server.url(f"/busy?{i}")) for i in range(6)]
    results = await fetch_feeds(client, feeds, concurrency=2)
    assert all(r.status == "ok" for r in results)
    assert server.max_in_flight == 2


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await fetch(client, f"http://127.0.0.1:{port}/feed.ics")
    assert result.error is not None
    assert result.error.key == "events.fetch.connect"


@pytest.mark.parametrize(
    ("url", "key", "params"),
    [
        ("ftp://example.org/cal.ics", "events.fetch.bad_scheme", {"scheme": "ftp"}),
        ("file:///etc/passwd", "events.fetch.bad_scheme", {"scheme": "file"}),
        ("javascript://alert(1)", "events.fetch.bad_scheme", {"scheme": "javascript"}),
        ("example.org/cal.ics", "events.fetch.bad_url", {}),
        ("https://", "events.fetch.bad_url", {}),
        ("http://[::1/x", "events.fetch.bad_url", {}),
    ],
)
async def test_bad_urls_never_reach_the_network(
    client: httpx.AsyncClient, url: str, key: str, params: dict[str, str]
) -> None:
    result = await fetch(client, url)
    assert result.status == "error"
    assert result.error is not None
    assert (result.error.key, dict(result.error.params)) == (key, params)
    assert set(params) == set(FETCH_KEYS[key])


async def test_webcal_is_fetched_over_https() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, content=CALENDAR)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as mocked:
        result = await fetch_one(mocked, FeedRequest("x", "webcal://cal.example.org/a.ics"))
    assert result.status == "ok"
    assert str(seen[0]) == "https://cal.example.org/a.ics"


async def test_errors_do_not_leak_the_url(server: FeedServer, client: httpx.AsyncClient) -> None:
    secret = "private-token-4711"
    feeds = [
        FeedRequest("a", server.url(f"/error?token={secret}")),
        FeedRequest("b", f"http://{secret}.invalid/cal.ics"),
        FeedRequest("c", server.url(f"/slow?token={secret}")),
    ]
    for result in await fetch_feeds(client, feeds, timeout=0.3):
        assert result.status == "error"
        assert secret not in repr(result)


async def test_unsafe_validators_are_not_sent(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    request = FeedRequest("x", server.url("/calendar.ics"), etag='"v1"\r\nX-Evil: 1')
    (result,) = await fetch_feeds(client, [request])
    assert result.status == "ok"
    assert "if-none-match" not in server.headers_of("/calendar.ics")[0]


async def test_never_raises_even_on_a_closed_client() -> None:
    closed = httpx.AsyncClient()
    await closed.aclose()
    (result,) = await fetch_feeds(closed, [FeedRequest("x", "https://example.org/a.ics")])
    assert result.status == "error"
    assert result.error is not None
    assert result.error.key == "events.fetch.failed"
    assert result.error.params == {"detail": "RuntimeError"}
