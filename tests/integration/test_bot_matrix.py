"""The real bot (`lotse run` in a subprocess) against a real Synapse: the foundation's promises."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.bot_process import BotProcess

MakeUser = Callable[..., Awaitable[Any]]


@pytest.fixture
async def bot(synapse: Any, tmp_path: Path) -> AsyncIterator[BotProcess]:
    account = synapse.register(f"lotse{uuid.uuid4().hex[:8]}", admin=False)
    process = BotProcess(
        synapse.base_url,
        account.user_id,
        account.access_token,
        tmp_path / "bot",
        allowed="@friend*:localhost",
    )
    process.account = account
    await process.start_and_wait()
    yield process
    if process.running:
        process.terminate()


async def room_with_bot(user: Any, bot: BotProcess, *, encrypted: bool = False) -> str:
    room = await user.create_room(invite=[bot.account.user_id], encrypted=encrypted)
    await user.wait_for_join(room, bot.account.user_id, timeout=20)
    return room


async def ask(user: Any, room: str, bot: BotProcess, body: str, timeout: float = 20) -> Any:
    event_id = await user.send_text(room, body)
    return await user.wait_for_reply(room, event_id, sender=bot.account.user_id, timeout=timeout)


def content_of(event: Any) -> dict[str, Any]:
    source = getattr(event, "source", event)
    return dict(source.get("content", {}))


async def test_invite_join_and_ping(bot: BotProcess, make_user: MakeUser) -> None:
    friend = await make_user("friend")
    room = await room_with_bot(friend, bot)
    reply = await ask(friend, room, bot, "!ping")
    content = content_of(reply)
    assert content["msgtype"] == "m.notice"
    assert content["body"] == "Pong!"
    assert content["format"] == "org.matrix.custom.html"
    help_reply = content_of(await ask(friend, room, bot, "!hilfe"))
    assert "Befehle von Lotse" in help_reply["body"]
    assert "<strong>" in help_reply["formatted_body"]


async def test_invite_from_stranger_is_ignored(bot: BotProcess, make_user: MakeUser) -> None:
    stranger = await make_user("stranger")
    room = await stranger.create_room(invite=[bot.account.user_id])
    await asyncio.sleep(3)  # several sync rounds of the bot
    assert bot.account.user_id not in await stranger.joined_members(room)
    assert "declined invitation" in bot.log_text()


async def test_restart_does_not_answer_old_commands_again(
    bot: BotProcess, make_user: MakeUser
) -> None:
    friend = await make_user("friend")
    room = await room_with_bot(friend, bot)
    await ask(friend, room, bot, "!ping")
    bot.terminate()
    await bot.start_and_wait()
    await ask(friend, room, bot, "!hilfe ping")
    await asyncio.sleep(1)
    replies = friend.messages_from(bot.account.user_id, room)
    assert [content_of(r)["body"] for r in replies].count("Pong!") == 1


async def test_messages_from_before_the_first_start_are_not_answered(
    synapse: Any, make_user: MakeUser, tmp_path: Path
) -> None:
    friend = await make_user("friend")
    account = synapse.register(f"lotse{uuid.uuid4().hex[:8]}")
    room = await friend.create_room(invite=[account.user_id])
    await friend.send_text(room, "!ping")  # before the bot ever ran
    process = BotProcess(
        synapse.base_url,
        account.user_id,
        account.access_token,
        tmp_path / "b",
        allowed="@friend*:localhost",
    )
    process.account = account
    await process.start_and_wait()
    try:
        await friend.wait_for_join(room, account.user_id, timeout=20)
        reply = await ask(friend, room, process, "!ping")
        assert content_of(reply)["body"] == "Pong!"
        await asyncio.sleep(1)
        assert len(friend.messages_from(account.user_id, room)) == 1
    finally:
        process.terminate()
