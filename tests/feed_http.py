"""A programmable ICS server on 127.0.0.1: set what a path answers, then let the bot fetch it.

It honours If-None-Match like a real server (304 when the ETag matches), so conditional GET
is exercised for real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    etag: str | None = None
    delay: float = 0.0  # seconds before answering: a slow feed


@dataclass
class FeedHttp:
    base: str
    answers: dict[str, Answer] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)  # (path, status sent)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(
        self,
        path: str,
        body: bytes,
        etag: str | None = None,
        status: int = 200,
        delay: float = 0.0,
    ) -> None:
        self.answers[path] = Answer(status, body, etag, delay)

    def statuses(self, path: str) -> list[int]:
        return [status for seen, status in self.log if seen == path]


@contextmanager
def feed_http() -> Iterator[FeedHttp]:
    holder: dict[str, FeedHttp] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state = holder["state"]
            answer = state.answers.get(self.path, Answer(404, b"not found"))
            time.sleep(answer.delay)
            status = answer.status
            if status == 200 and answer.etag and self.headers.get("If-None-Match") == answer.etag:
                status = 304
            state.log.append((self.path, status))
            self.send_response(status)
            if answer.etag:
                self.send_header("ETag", answer.etag)
            body = answer.body if status == 200 else b""
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["state"] = FeedHttp(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["state"]
    finally:
        server.shutdown()
        server.server_close()


def calendar(*events: tuple[str, str, str]) -> bytes:
    """A VCALENDAR of (uid, DTSTART in UTC like 20261124T090000Z, summary) events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//feed//EN"]
    for uid, start, summary in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{start}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
