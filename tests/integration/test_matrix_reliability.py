"""Never lose or repeat a message: restarts, SIGKILL, homeserver outage, 429s, encryption.

All against a real Synapse and the real `lotse run` process.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.bot_process import BotProcess, joined_room, start_bot
from tests.services import scratch_postgres


def replies_per_command(user: Any, bot: BotProcess, room: str) -> Counter[str]:
    bot_id = bot.account.user_id
    return Counter(
        seen.in_reply_to for seen in user.messages_from(bot_id, room) if seen.in_reply_to
    )


async def wait_all_answered(
    user: Any, bot: BotProcess, room: str, commands: list[str], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = replies_per_command(user, bot, room)
        if all(counts[c] >= 1 for c in commands):
            return
        await asyncio.sleep(0.2)
    missing = [c for c in commands if replies_per_command(user, bot, room)[c] == 0]
    raise AssertionError(f"{len(missing)} commands unanswered; bot log:\n{bot.log_tail()}")


async def test_commands_sent_while_down_are_answered_once(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("anna")
    room = await joined_room(user, bot)
    assert bot.terminate() == 0
    commands = [await user.send_text(room, f"!ping {i}" if i else "!ping") for i in range(5)]
    await bot.start_and_wait()
    await wait_all_answered(user, bot, room, commands, timeout=30)
    await asyncio.sleep(1.5)
    counts = replies_per_command(user, bot, room)
    assert [counts[c] for c in commands] == [1] * 5
    bot.terminate()


async def test_sigkill_during_a_burst_answers_each_command_exactly_once(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("burst")
    room = await joined_room(user, bot)
    commands = [await user.send_text(room, "!ping") for _ in range(30)]
    # Kill it hard somewhere in the middle of answering.
    deadline = time.monotonic() + 30
    while sum(replies_per_command(user, bot, room).values()) < 8 and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    bot.kill()
    await bot.start_and_wait()
    await wait_all_answered(user, bot, room, commands, timeout=60)
    await asyncio.sleep(2)
    counts = replies_per_command(user, bot, room)
    assert {c: counts[c] for c in commands if counts[c] != 1} == {}
    bot.terminate()


async def test_bot_survives_a_homeserver_outage(
    synapse_factory: Any, make_user: Any, tmp_path: Path
) -> None:
    server = synapse_factory()
    bot = start_bot(server, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("outage", server=server)
    room = await joined_room(user, bot)
    first = await user.send_text(room, "!ping")
    await user.wait_for_reply(room, first, sender=bot.account.user_id, timeout=20)

    server.stop()
    await asyncio.sleep(30)
    assert bot.running, bot.log_tail()
    await server.astart()  # returns as soon as /versions answers again
    # The promise: a new command is answered within 10 s of the homeserver's return. The
    # waits below share that one deadline (the human's reconnect, at most ~1 s, included).
    deadline = time.monotonic() + 10

    def left() -> float:
        return max(0.1, deadline - time.monotonic())

    await user.wait_for_sync(timeout=left())
    command = await user.send_text(room, "!ping")
    await user.wait_for_reply(room, command, sender=bot.account.user_id, timeout=left())
    assert bot.running
    log = bot.log_text()
    # Backing off is logged once per state change, not once per failed attempt.
    assert log.count("backing off") <= 2, log
    assert "restored" in log
    assert log.count("Lotse started") == 1, log
    bot.terminate()


@pytest.fixture
def own_postgres_database() -> Iterator[tuple[str, Callable[[bool], None]]]:
    """A PostgreSQL database for one bot, and a switch that cuts it off and brings it back."""
    with scratch_postgres("lotse_outage") as database:

        def reachable(yes: bool) -> None:
            database.execute(
                f'ALTER DATABASE "{database.name}" ALLOW_CONNECTIONS {str(yes).lower()}'
            )
            if not yes:
                database.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n",
                    n=database.name,
                )

        yield database.url, reachable


async def test_commands_during_a_database_outage_are_answered_once_it_is_back(
    synapse: Any,
    make_user: Any,
    tmp_path: Path,
    own_postgres_database: tuple[str, Callable[[bool], None]],
) -> None:
    url, reachable = own_postgres_database
    bot = start_bot(synapse, tmp_path / "bot", env={"LOTSE_DATABASE_URL": url})
    await bot.start_and_wait()
    user = await make_user("dbdown")
    room = await joined_room(user, bot)
    bot_id = bot.account.user_id
    await user.wait_for_reply(room, await user.send_text(room, "!ping"), sender=bot_id, timeout=20)

    reachable(False)
    commands = [await user.send_text(room, "!ping") for _ in range(3)]
    await asyncio.sleep(4)
    assert bot.running, bot.log_tail()
    assert all(replies_per_command(user, bot, room)[c] == 0 for c in commands)
    reachable(True)
    await wait_all_answered(user, bot, room, commands, timeout=60)
    await asyncio.sleep(1.5)
    counts = replies_per_command(user, bot, room)
    assert [counts[c] for c in commands] == [1, 1, 1]
    # Which store call fails first depends on timing (the ledger or the saved sync token);
    # either way the batch is handled again once the database is back.
    log = bot.log_text()
    assert "handling a sync failed" in log and "handling syncs works again" in log
    bot.terminate()


def unsent_and_handled(bot: BotProcess) -> tuple[int, int]:
    """From the bot's own SQLite: replies committed but not sent, and commands handled."""
    import sqlite3

    with sqlite3.connect(bot.data_dir / "lotse.db") as db:
        unsent = db.execute(
            "SELECT count(*) FROM core_outbox WHERE sent_at IS NULL AND NOT gave_up"
        ).fetchone()[0]
        handled = db.execute("SELECT count(*) FROM core_handled_event").fetchone()[0]
    return int(unsent), int(handled)


async def test_sigterm_finishes_the_commands_in_flight_and_exits_0(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("sigterm")
    room = await joined_room(user, bot)
    bot_id = bot.account.user_id
    commands = [await user.send_text(room, "!ping") for _ in range(30)]
    deadline = time.monotonic() + 30
    while not replies_per_command(user, bot, room) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    assert bot.terminate() == 0  # SIGTERM while the burst is being answered
    log = bot.log_text()
    assert "Traceback" not in log, log
    # Whatever the bot took on before it stopped, it also answered: nothing committed is
    # left unsent in the outbox, and each handled command has its reply in the room.
    unsent, handled = unsent_and_handled(bot)
    assert unsent == 0 and handled >= 1
    await wait_until_replied(user, bot, room, handled)
    # The rest comes with the next start, each exactly once.
    await bot.start_and_wait()
    await wait_all_answered(user, bot, room, commands, timeout=60)
    await asyncio.sleep(1.5)
    counts = replies_per_command(user, bot, room)
    assert [counts[c] for c in commands] == [1] * 30
    assert user.messages_from(bot_id, room)
    bot.terminate()


async def wait_until_replied(user: Any, bot: BotProcess, room: str, count: int) -> None:
    deadline = time.monotonic() + 15
    while sum(replies_per_command(user, bot, room).values()) < count:
        assert time.monotonic() < deadline, f"fewer than {count} replies; {bot.log_tail()}"
        await asyncio.sleep(0.1)


async def test_burst_of_50_replies_all_arrive_under_a_low_rate_limit(
    synapse_factory: Any, make_user: Any, tmp_path: Path
) -> None:
    server = synapse_factory(rate_limits={"rc_message": {"per_second": 3, "burst_count": 5}})
    bot = start_bot(server, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("limited", server=server)
    server.exempt_from_rate_limits(user.user_id)
    room = await joined_room(user, bot)
    commands = [await user.send_text(room, "!ping") for _ in range(50)]
    await wait_all_answered(user, bot, room, commands, timeout=120)
    await asyncio.sleep(1)
    counts = replies_per_command(user, bot, room)
    assert [counts[c] for c in commands] == [1] * 50
    bot.terminate()


async def test_encrypted_room_gets_encrypted_replies(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("secret", encryption=True)
    room = await joined_room(user, bot, encrypted=True)
    command = await user.send_text(room, "!ping")
    reply = await user.wait_for_reply(room, command, sender=bot.account.user_id, timeout=30)
    assert reply.decrypted, "the reply was sent in the clear"
    assert reply.body == "Pong!"
    # And after a restart the bot still reads and answers in the encrypted room.
    bot.terminate()
    await bot.start_and_wait()
    again = await user.send_text(room, "!ping")
    reply = await user.wait_for_reply(room, again, sender=bot.account.user_id, timeout=30)
    assert reply.decrypted and reply.body == "Pong!"
    bot.terminate()


def import_big_directory(bot: BotProcess, networks: int) -> None:
    """A knowledge base whose `!netzwerke` list is far longer than one Matrix event."""
    lines = ["networks:"]
    for i in range(networks):
        lines += [
            f"  - id: netz{i}",
            f"    name: Thüringer Netzwerk Nummer {i} für Zusammenarbeit",
            "    topics: [Energieeffizienz, Künstliche Intelligenz, Fördermittel, Logistik]",
        ]
    path = bot.data_dir / "big-kb.yaml"
    bot.data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "bot", "--env-file", os.devnull, "kb", "import", str(path)]
    done = subprocess.run(command, env=bot.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


async def test_a_long_answer_arrives_in_an_encrypted_room(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    import_big_directory(bot, 1000)
    await bot.start_and_wait()
    user = await make_user("longread", encryption=True)
    room = await joined_room(user, bot, encrypted=True)
    bot_id = bot.account.user_id
    command = await user.send_text(room, "!netzwerke")
    reply = await user.wait_for_reply(room, command, sender=bot_id, timeout=30)
    assert reply.decrypted
    # Cut at a whole line with a note, as large as an encrypted event allows.
    assert reply.body.endswith("gekürzt: die Antwort war für eine Nachricht zu lang.")
    assert len(reply.body) > 15_000, len(reply.body)
    assert "M_TOO_LARGE" not in bot.log_text()
    bot.terminate()


async def send_with_withheld_key(user: Any, room: str) -> tuple[str, Callable[[], Any]]:
    """Send `!ping` in a fresh Megolm session whose key the bot does not get yet; returns its
    event id and a coroutine function that delivers the key late (as from a slow sender)."""
    from nio import RoomSendResponse, ToDeviceMessage
    from nio.api import Api

    client = user.client
    olm = client.olm
    olm.create_outbound_group_session(room)
    session = olm.outbound_group_sessions[room]
    first_key = session.session_key  # index 0: what the sender's client would share
    session.shared = True  # pretend, so nio encrypts without sending the key
    payload = client.olm.group_encrypt(
        room, {"type": "m.room.message", "content": {"msgtype": "m.text", "body": "!ping"}}
    )
    method, path, data = Api.room_send(
        client.access_token, room, "m.room.encrypted", payload, uuid.uuid4().hex
    )
    sent = await client._send(RoomSendResponse, method, path, data, response_data=(room,))
    assert isinstance(sent, RoomSendResponse)

    async def deliver_key(bot_id: str) -> None:
        # Over the Olm channel both already share.
        device = next(iter(olm.device_store.active_user_devices(bot_id)))
        channel = olm.session_store.get(device.curve25519)
        key = {
            "algorithm": "m.megolm.v1.aes-sha2",
            "room_id": room,
            "session_id": session.id,
            "session_key": first_key,
        }
        message = olm._olm_encrypt(channel, device, "m.room_key", key)
        await client.to_device(ToDeviceMessage("m.room.encrypted", bot_id, device.id, message))

    return str(sent.event_id), deliver_key


async def encrypted_room_with_bot(user: Any, bot: BotProcess) -> str:
    room = await joined_room(user, bot, encrypted=True)
    warm = await user.send_text(room, "!ping")  # both sides now know each other's devices
    await user.wait_for_reply(room, warm, sender=bot.account.user_id, timeout=30)
    return room


async def test_message_undecryptable_at_first_is_answered_when_its_key_arrives(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("latekey", encryption=True)
    room = await encrypted_room_with_bot(user, bot)
    event_id, deliver_key = await send_with_withheld_key(user, room)
    await asyncio.sleep(4)
    bot_id = bot.account.user_id
    assert not [e for e in user.messages_from(bot_id, room) if e.in_reply_to == event_id]

    await deliver_key(bot_id)
    reply = await user.wait_for_reply(room, event_id, sender=bot_id, timeout=30)
    assert reply.body == "Pong!"
    await asyncio.sleep(1)
    assert replies_per_command(user, bot, room)[event_id] == 1
    bot.terminate()


async def test_a_message_waiting_for_its_key_survives_a_restart(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("latekeyrestart", encryption=True)
    room = await encrypted_room_with_bot(user, bot)
    event_id, deliver_key = await send_with_withheld_key(user, room)
    later = await user.send_text(room, "!ping")  # once this is answered, the sync moved past
    bot_id = bot.account.user_id
    await user.wait_for_reply(room, later, sender=bot_id, timeout=30)

    assert bot.terminate() == 0  # the sync token is now past the undecryptable event
    await bot.start_and_wait()
    assert "waiting for the keys of 1 encrypted events" in bot.log_since_start()
    await deliver_key(bot_id)
    reply = await user.wait_for_reply(room, event_id, sender=bot_id, timeout=30)
    assert reply.body == "Pong!"
    await asyncio.sleep(1)
    assert replies_per_command(user, bot, room)[event_id] == 1
    bot.terminate()
