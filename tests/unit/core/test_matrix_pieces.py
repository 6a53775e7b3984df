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


def _megolm_event_size(limit: int) -> int:
    """Bytes of the m.room.encrypted content nio sends for a maximal answer under `limit`."""
    import json

    from nio.api import Api
    from nio.crypto.sessions import OutboundGroupSession

    from bot.messages import render_bounded

    markdown = "\n".join(f"- Eintrag {i} – Grüße aus Thüringen, <@x:y> & Co." for i in range(9000))
    message = render_bounded(markdown, "_gekürzt_", limit)
    content = {  # as MatrixTransport.send builds it
        "msgtype": "m.notice",
        "body": message.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": message.html,
        "m.mentions": {"user_ids": sorted(message.mentions)},
        "m.relates_to": {"m.in_reply_to": {"event_id": "$" + "e" * 43}},
    }
    session = OutboundGroupSession()
    session.shared = True
    room_id = "!" + "r" * 18 + ":matrix.example.org"
    plaintext = {"type": "m.room.message", "content": content, "room_id": room_id}
    encrypted = {  # as nio's group_encrypt wraps the ciphertext
        "algorithm": "m.megolm.v1.aes-sha2",
        "sender_key": "k" * 43,
        "ciphertext": session.encrypt(Api.to_json(plaintext)),
        "session_id": "s" * 43,
        "device_id": "DEVICEIDXX",
        "m.relates_to": content["m.relates_to"],
    }
    return len(json.dumps(encrypted, separators=(",", ":")))


def test_the_encrypted_limit_fits_one_event_after_megolm() -> None:
    from bot.messages import MAX_ENCRYPTED_MESSAGE_BYTES, MAX_MESSAGE_BYTES

    # Synapse refuses PDUs over 65,536 bytes; keep 2 KB for its own fields (hashes,
    # signatures, prev/auth events).
    assert _megolm_event_size(MAX_ENCRYPTED_MESSAGE_BYTES) < 65_536 - 2_048
    # The plain-room limit would not survive encryption: the reason for a second one.
    assert _megolm_event_size(MAX_MESSAGE_BYTES) > 65_536
