"""Pure parts of the Matrix transport: backoff, reply fallbacks, credentials file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.transport import matrix
from bot.transport.matrix import Backoff, Credentials, _strip_reply_fallback


def test_backoff_grows_with_the_outage_and_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(matrix.time, "monotonic", lambda: clock[0])
    backoff = Backoff(low=1.0, high=60.0)
    delays = []
    for _ in range(40):
        delay = backoff.next_delay()
        assert 0.8 <= delay <= 60.0
        delays.append(delay)
        clock[0] += delay
    outage = clock[0] - 1000.0
    # Never a tight loop, yet a 30 s outage is followed by at most ~8 s of waiting.
    assert min(delays) >= 0.8
    assert max(d for d, t in zip(delays, _elapsed(delays), strict=True) if t <= 30) <= 7.5
    assert outage > 300 and max(delays) <= 60.0
    assert backoff.reset() is True and backoff.reset() is False


def _elapsed(delays: list[float]) -> list[float]:
    total, out = 0.0, []
    for delay in delays:
        out.append(total)
        total += delay
    return out


def test_reply_fallback_is_stripped_from_commands() -> None:
    body = "> <@anna:x> !ticket 3\n> more\n\n!claim 3"
    assert _strip_reply_fallback(body) == "!claim 3"
    assert _strip_reply_fallback("!ping") == "!ping"


def test_credentials_are_private_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    creds = Credentials("https://hs", "@bot:hs", "DEVICE", "secret-token")
    creds.save(path)
    assert Credentials.load(path) == creds
    assert os.stat(path).st_mode & 0o777 == 0o600
    path.write_text("{broken")
    assert Credentials.load(path) is None
