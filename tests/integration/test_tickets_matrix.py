"""A ticket's life on a real Synapse with the real bot: filed, claimed by ✋, closed by ✅.

The bot runs in this process as an asyncio task (Bot + MatrixTransport), so the test can look
into its database afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import Bot
from bot.config import Settings
from bot.store import Store
from bot.transport.matrix import MatrixTransport
from plugins.tickets import TicketsPlugin, service
from plugins.tickets.models import Action, Status

REPLY_TIMEOUT = 30.0


@dataclass
class RunningBot:
    bot: Bot
    transport: MatrixTransport
    task: asyncio.Task[None]

    @property
    def user_id(self) -> str:
        return self.transport.user_id


@pytest.fixture
async def ticket_bot(synapse: Any, tmp_path: Path) -> AsyncIterator[RunningBot]:
    account = synapse.register(f"lotse{uuid.uuid4().hex[:8]}", admin=False)
    settings = Settings(
        data_dir=tmp_path / "bot",
        matrix_homeserver=synapse.base_url,
        matrix_user_id=account.user_id,
        matrix_access_token=account.access_token,
        allowed_users=["@*:localhost"],
        plugins=["tickets"],
    )
    store = Store(settings.db_url)
    transport = MatrixTransport(settings, store)
    bot = Bot(settings, transport, store, plugin_classes=[TicketsPlugin])
    task = asyncio.create_task(bot.run(with_scheduler=False))
    try:
        async with asyncio.timeout(REPLY_TIMEOUT):
            await transport.wait_ready()
        yield RunningBot(bot, transport, task)
    finally:
        await transport.stop()
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                await task
        finally:
            store.dispose()


async def bot_says(user: Any, room: str, bot: RunningBot, text: str) -> Any:
    """The first message of the bot in `room` whose body contains `text`."""
    return await user.wait_for(
        lambda seen: (
            seen.room_id == room
            and seen.sender == bot.user_id
            and seen.type == "m.room.message"
            and text in (seen.body or "")
        ),
        REPLY_TIMEOUT,
        f"bot message containing {text!r}",
    )


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_file_claim_by_reaction_and_close_by_reaction(
    ticket_bot: RunningBot, make_user: Any, encrypted: bool
) -> None:
    manager = await make_user("manager")
    room = await manager.create_room(invite=[ticket_bot.user_id], encrypted=encrypted)
    await manager.wait_for_join(room, ticket_bot.user_id, timeout=REPLY_TIMEOUT)

    request = await manager.send_text(
        room, "!anfrage Exportberatung für Polen gesucht\nFirma: Müller <GmbH>"
    )
    confirmation = await manager.wait_for_reply(
        room, request, sender=ticket_bot.user_id, timeout=REPLY_TIMEOUT
    )
    assert confirmation.body.startswith("📝 Anfrage #1 angelegt: Exportberatung für Polen gesucht")
    assert "Firma: Müller <GmbH>" in confirmation.body
    html = confirmation.content["formatted_body"]
    assert "Müller &lt;GmbH&gt;" in html and "<GmbH>" not in html

    await manager.react(room, confirmation.event_id, "✋️")
    claimed = await bot_says(manager, room, ticket_bot, "übernommen")
    assert claimed.body == (
        f"✋ {manager.user_id} hat Anfrage #1 übernommen: Exportberatung für Polen gesucht"
    )

    await manager.react(room, confirmation.event_id, "✅")
    closed = await bot_says(manager, room, ticket_bot, "ist erledigt")
    assert closed.body.startswith(f"✅ Anfrage #1 ist erledigt ({manager.user_id})")

    with ticket_bot.bot.store.session() as session:
        ticket = service.get_ticket(session, room, 1)
        assert (ticket.status, ticket.claimed_by) == (Status.DONE, manager.user_id)
        actions = [event.action for event in service.history(session, ticket)]
    assert actions == [Action.CREATED, Action.CLAIMED, Action.CLOSED]
