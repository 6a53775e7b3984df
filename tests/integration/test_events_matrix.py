"""Events against the real world: a feed over HTTP (200, 304, 500) and the digest job posting
into a real Synapse room from the real `lotse run` process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.feed_http import calendar, feed_http
from tests.integration.bot_process import BotProcess


async def run_cli(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # In a thread: the test's own Matrix client must keep syncing meanwhile.
    return await asyncio.to_thread(
        subprocess.run, argv, env=env, capture_output=True, text=True, timeout=60
    )


async def test_feed_refresh_and_digest_in_a_real_room(
    synapse: Any, make_user: Any, tmp_path: Path
) -> None:
    manager = await make_user("manager")
    account = synapse.register(f"lotse{uuid.uuid4().hex[:8]}")
    bot = BotProcess(
        synapse.base_url,
        account.user_id,
        account.access_token,
        tmp_path / "bot",
        allowed="@*:localhost",
        admins=manager.user_id,
        env={"LOTSE_DIGEST_CRON": "* * * * *"},  # every minute, so the test sees a post soon
    )
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    start = tomorrow.strftime("%Y%m%dT100000Z")
    with feed_http() as http:
        http.serve("/theen.ics", calendar(("e1", start, "Energietag Erfurt")), etag='"1"')
        await bot.start_and_wait()
        try:
            room = await manager.create_room(invite=[account.user_id])
            await manager.wait_for_join(room, account.user_id, timeout=30)
            command = await manager.send_text(room, f"!quelle add ThEEN {http.url('/theen.ics')}")
            reply = await manager.wait_for_reply(room, command, sender=account.user_id, timeout=30)
            assert reply.body == "Quelle ThEEN hinzugefügt: 1 Termin geladen."

            # A refresh from the command line: the unchanged feed costs a 304.
            env = {**bot.env}
            fetch = [sys.executable, "-m", "bot", "events", "fetch", "--env-file", "/dev/null"]
            done = await run_cli(fetch, env)
            assert done.returncode == 0, done.stderr
            assert http.statuses("/theen.ics") == [200, 304]

            # The server fails: the CLI says so, and the old data is kept.
            http.serve("/theen.ics", b"", status=500)
            done = await run_cli(fetch, env)
            assert done.returncode == 1 and "HTTP 500" in done.stderr

            digest = await manager.wait_for(
                lambda seen: (
                    seen.sender == account.user_id
                    and (seen.body or "").startswith("Wochenüberblick")
                ),
                timeout=90,
            )
            assert "Energietag Erfurt" in (digest.body or "")
            assert "<strong>" in digest.content.get("formatted_body", "")
        finally:
            bot.terminate()
