"""Logging in: password login, reuse of the device, revoked tokens, stopping while retrying.

All against a real Synapse and the real `lotse run` process.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx

from tests.integration.bot_process import BotProcess, joined_room, start_bot
from tests.integration.synapse_server import free_port


def device_ids_logged(bot: BotProcess) -> list[str]:
    return re.findall(r"Lotse started: .* device=(\S+)", bot.log_text())


def saved_credentials(bot: BotProcess) -> dict[str, str]:
    return dict(json.loads((bot.data_dir / "credentials.json").read_text()))


def password_bot(server: Any, data_dir: Path) -> BotProcess:
    return start_bot(server, data_dir, password=True)


async def test_password_login_works_and_a_restart_reuses_the_device(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = password_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    first = saved_credentials(bot)
    # A device of its own, not the one the registration created.
    assert first["device_id"] != bot.account.device_id
    user = await make_user("pw")
    bot_id = bot.account.user_id
    room = await joined_room(user, bot)
    command = await user.send_text(room, "!ping")
    assert (await user.wait_for_reply(room, command, sender=bot_id, timeout=20)).body == "Pong!"

    assert bot.terminate() == 0
    await bot.start_and_wait()
    assert saved_credentials(bot)["device_id"] == first["device_id"]
    assert device_ids_logged(bot) == [first["device_id"]] * 2
    again = await user.send_text(room, "!ping")
    assert (await user.wait_for_reply(room, again, sender=bot_id, timeout=20)).body == "Pong!"
    assert "was not accepted" not in bot.log_text()
    assert bot.terminate() == 0


def log_out(server: Any, access_token: str) -> None:
    """What an admin (or "sign out this session" in a client) does: the device is gone."""
    with httpx.Client(timeout=10, trust_env=False) as http:
        response = http.post(
            f"{server.base_url}/_matrix/client/v3/logout",
            headers={"Authorization": f"Bearer {access_token}"},
        )
    assert response.status_code == 200, response.text


async def wait_exit(bot: BotProcess, timeout: float) -> int:
    assert bot.proc is not None
    deadline = time.monotonic() + timeout
    while bot.proc.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    code = bot.proc.poll()
    assert code is not None, f"bot still running after {timeout}s:\n{bot.log_tail()}"
    return code


async def test_sigterm_while_the_homeserver_is_unreachable_stops_the_bot(
    tmp_path: Path,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    bot = BotProcess(closed, "@lotse:localhost", "some-token", tmp_path / "bot")
    bot.start()
    deadline = time.monotonic() + 60
    while "unreachable" not in bot.log_text() and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    assert "unreachable" in bot.log_text(), bot.log_tail()
    await asyncio.sleep(5)  # several attempts, each of which used to leak a client session
    assert bot.running, bot.log_tail()
    assert bot.proc is not None
    bot.proc.terminate()
    code = await wait_exit(bot, timeout=30)
    log = bot.log_text()
    assert code == 0, log
    assert "Unclosed client session" not in log and "Traceback" not in log, log
    assert log.count("unreachable") == 1, log  # once per change of state, not per attempt


async def test_a_revoked_token_without_password_stops_the_bot_with_one_clear_line(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = start_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    user = await make_user("revoke")
    room = await joined_room(user, bot)
    log_out(synapse, bot.account.access_token)
    await user.send_text(room, "!ping")  # ends the bot's long-poll; the next sync is refused
    code = await wait_exit(bot, timeout=90)
    log = bot.log_text()
    assert code == 2, log
    assert "Traceback" not in log, log
    errors = [line for line in log.splitlines() if "no longer accepts" in line]
    assert len(errors) == 1 and "MATRIX_ACCESS_TOKEN" in errors[0], log
    assert not (bot.data_dir / "credentials.json").exists()  # the dead token is not kept


async def test_a_revoked_token_is_replaced_by_logging_in_with_the_password(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = password_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    bot_id = bot.account.user_id
    before = saved_credentials(bot)
    user = await make_user("relogin")
    room = await joined_room(user, bot)

    log_out(synapse, before["access_token"])
    command = await user.send_text(room, "!ping")
    reply = await user.wait_for_reply(room, command, sender=bot_id, timeout=90)
    assert reply.body == "Pong!"
    after = saved_credentials(bot)
    assert after["device_id"] != before["device_id"]  # that device was deleted
    assert after["access_token"] != before["access_token"]
    later = await user.send_text(room, "!ping")
    assert (await user.wait_for_reply(room, later, sender=bot_id, timeout=30)).body == "Pong!"
    log = bot.log_text()
    assert "logging in again with MATRIX_PASSWORD" in log and "Traceback" not in log, log
    assert bot.running
    assert bot.terminate() == 0


async def test_after_logging_in_again_an_encrypted_room_stays_encrypted(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    """The new device knows no rooms: without a full-state sync it would see the encrypted
    room as a plain one and answer in the clear."""
    bot = password_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    bot_id = bot.account.user_id
    user = await make_user("relogin-e2e", encryption=True)
    room = await joined_room(user, bot, encrypted=True)
    old_device = saved_credentials(bot)["device_id"]
    log_out(synapse, saved_credentials(bot)["access_token"])
    # Ends the bot's long-poll; sent before the new device exists, it waits for its key.
    await user.send_text(room, "!ping")
    deadline = time.monotonic() + 90
    while "logged in again" not in bot.log_text():
        assert time.monotonic() < deadline, bot.log_text()
        await asyncio.sleep(0.2)  # polling the bot's log: it is another process
    new_device = saved_credentials(bot)["device_id"]
    assert new_device != old_device
    # As in Element, a message is encrypted for the devices the sender knows: on a busy
    # machine the new device's keys can reach the user after the log line.
    await user.wait_for_device(bot_id, new_device, timeout=60)
    later = await user.send_text(room, "!ping")  # now encrypted for the new device too
    reply = await user.wait_for_reply(room, later, sender=bot_id, timeout=60)
    assert reply.body == "Pong!"
    assert reply.decrypted, "answered in the clear after logging in again"
    assert bot.terminate() == 0
