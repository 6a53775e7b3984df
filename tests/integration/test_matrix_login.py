"""Logging in: password login, reuse of the device, revoked tokens, stopping while retrying.

All against a real Synapse and the real `lotse run` process.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from tests.integration.bot_process import BotProcess


def device_ids_logged(bot: BotProcess) -> list[str]:
    return re.findall(r"Lotse started: .* device=(\S+)", bot.log_text())


def saved_credentials(bot: BotProcess) -> dict[str, str]:
    return dict(json.loads((bot.data_dir / "credentials.json").read_text()))


def password_bot(server: Any, data_dir: Path) -> BotProcess:
    account = server.register(f"lotse{uuid.uuid4().hex[:8]}")
    # The token line left empty, exactly as config.example.env has it.
    process = BotProcess(
        server.base_url,
        account.user_id,
        "",
        data_dir,
        env={"MATRIX_PASSWORD": account.password},
    )
    process.account = account  # type: ignore[attr-defined]
    return process


async def test_password_login_works_and_a_restart_reuses_the_device(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    bot = password_bot(synapse, tmp_path / "bot")
    await bot.start_and_wait()
    first = saved_credentials(bot)
    # A device of its own, not the one the registration created.
    assert first["device_id"] != bot.account.device_id  # type: ignore[attr-defined]
    user = await make_user("pw")
    bot_id = bot.account.user_id  # type: ignore[attr-defined]
    room = await user.create_room(invite=[bot_id])
    await user.wait_for_join(room, bot_id, timeout=30)
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
