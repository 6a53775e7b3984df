"""The latency floor: the least a matrix-nio bot can do to answer `!ping`.

Benchmarks run it next to Lotse against the same Synapse and compare both in the same run.
It must stay minimal (no filters, no tricks, no extra work) so the difference measures what
Lotse adds, not what a cleverer baseline would save.

Run by hand:
    MATRIX_HOMESERVER=http://127.0.0.1:8008 MATRIX_USER_ID=@echo:localhost \\
    MATRIX_ACCESS_TOKEN=... MATRIX_DEVICE_ID=... python benchmarks/bare_echo_bot.py
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from contextlib import suppress
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText

SYNC_TIMEOUT_MS = 30_000


def _logged_in_client(
    homeserver: str, user_id: str, token: str, device_id: str, store_path: Path | str | None
) -> AsyncClient:
    if store_path is not None:
        Path(store_path).mkdir(parents=True, exist_ok=True)
    client = AsyncClient(
        homeserver,
        user_id,
        device_id=device_id,
        store_path=str(store_path or ""),
        config=AsyncClientConfig(encryption_enabled=store_path is not None),
    )
    client.restore_login(user_id, device_id, token)  # loads the crypto store, if any
    return client


async def run_bare_echo_bot(
    homeserver: str,
    user_id: str,
    token: str,
    device_id: str,
    stop_event: asyncio.Event,
    store_path: Path | str | None = None,
) -> None:
    """Answer `!ping` with an m.notice "pong" reply until `stop_event` is set.

    With a `store_path` the bot does end-to-end encryption (nio + vodozemac).
    """
    client = _logged_in_client(homeserver, user_id, token, device_id, store_path)
    # Anything older was sent before we ran (first sync's history, or a room we join later).
    started_ms = int(time.time() * 1000)

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == client.user_id and event.membership == "invite":
            await client.join(room.room_id)

    async def on_text(room: MatrixRoom, event: RoomMessageText) -> None:
        if (
            event.sender == client.user_id
            or event.server_timestamp < started_ms
            or event.body.strip() != "!ping"
        ):
            return
        content = {
            "msgtype": "m.notice",
            "body": "pong",
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await client.room_send(
            room.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    client.add_event_callback(on_invite, InviteMemberEvent)
    client.add_event_callback(on_text, RoomMessageText)
    # sync_forever also uploads/queries/claims keys when encryption is on.
    sync = asyncio.create_task(client.sync_forever(timeout=SYNC_TIMEOUT_MS))
    stop = asyncio.create_task(stop_event.wait())
    try:
        await asyncio.wait([sync, stop], return_when=asyncio.FIRST_COMPLETED)
    finally:
        # Cancel instead of stop_sync_forever(): that only takes effect after a 30 s long-poll.
        for task in (sync, stop):
            task.cancel()
        with suppress(asyncio.CancelledError):
            await sync
        await client.close()


async def _main() -> int:
    names = ("MATRIX_HOMESERVER", "MATRIX_USER_ID", "MATRIX_ACCESS_TOKEN", "MATRIX_DEVICE_ID")
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        print(__doc__, file=sys.stderr)
        return 2
    stop_event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_event.set)
    homeserver, user_id, token, device_id = values
    await run_bare_echo_bot(
        homeserver, user_id, token, device_id, stop_event, os.environ.get("BARE_BOT_STORE")
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main()))
