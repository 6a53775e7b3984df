"""A real HTTP server on 127.0.0.1 for the fetch tests, scripted per path."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    b"DTSTART:20261201T100000Z\r\nSUMMARY:Served\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 30 Nov 2026 08:00:00 GMT"


@dataclass
class FeedServer:
    base: str
    stop: threading.Event
    #: (path, headers) of every request, in arrival order
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


@contextmanager
def feed_server(large_size: int = 200_000) -> Iterator[FeedServer]:
    stop = threading.Event()
    state: dict[str, FeedServer] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            server = state["server"]
            path = self.path.split("?")[0]
            with server.lock:
                server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self.route(path)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as the timeout tests intend
            finally:
                with server.lock:
                    server.in_flight -= 1

        def route(self, path: str) -> None:
            if path == "/calendar.ics":
                if self.headers.get("If-None-Match") == ETAG:
                    self.respond(304, b"", etag=True)
                else:
                    self.respond(200, CALENDAR, etag=True)
            elif path == "/modified-since.ics":
                if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    self.respond(304, b"")
                else:
                    self.respond(200, CALENDAR, last_modified=True)
            elif path == "/error":
                self.respond(500, b"Internal Server Error")
            elif path == "/missing":
                self.respond(404, b"nope")
            elif path == "/large-declared":
                self.respond(200, b"x" * large_size)
            elif path == "/large-chunked":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"BEGIN:VCALENDAR\r\n" + b"X" * 8000
                for _ in range(large_size // len(chunk) + 2):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            elif path == "/gzip-bomb":
                body = gzip.compress(b"\0" * (large_size * 10))
                self.send_response(200)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif path == "/slow":
                stop.wait(3)
                self.respond(200, CALENDAR)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Length", str(len(CALENDAR)))
                self.end_headers()
                for byte in CALENDAR:
                    if stop.wait(0.05):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            elif path == "/busy":
                stop.wait(0.15)
                self.respond(200, CALENDAR)
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/calendar.ics")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.respond(404, b"")

        def respond(
            self, status: int, body: bytes, *, etag: bool = False, last_modified: bool = False
        ) -> None:
            self.send_response(status)
            if etag:
                self.send_header("ETag", ETAG)
            if last_modified:
                self.send_header("Last-Modified", LAST_MODIFIED)
            if status != 304:
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state["server"] = FeedServer(f"http://127.0.0.1:{httpd.server_address[1]}", stop)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state["server"]
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
