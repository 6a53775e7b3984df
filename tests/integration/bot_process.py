"""The real bot as a separate `lotse run` process against the test Synapse.

A subprocess, not a task, so tests can SIGTERM or SIGKILL it like an operator (or the OOM
killer) would, and restart it on the same data directory.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

STARTED_LINE = "Lotse started:"


class BotProcess:
    def __init__(
        self,
        homeserver: str,
        user_id: str,
        access_token: str,
        data_dir: Path,
        *,
        allowed: str = "@*:localhost",
        admins: str = "",
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.log_path = data_dir / "bot.log"
        self.env = {
            **os.environ,
            "MATRIX_HOMESERVER": homeserver,
            "MATRIX_USER_ID": user_id,
            "MATRIX_ACCESS_TOKEN": access_token,
            "LOTSE_DATA_DIR": str(data_dir),
            "LOTSE_ALLOWED_USERS": allowed,
            "LOTSE_ADMINS": admins,
            "LOTSE_LOG_LEVEL": "INFO",
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.account: Any = None  # the bot's Synapse account, where a helper registered it

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--env-file", os.devnull],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self.starts += 1

    async def wait_started(self, timeout: float = 60.0) -> None:
        """Until this start logged its ready line (first sync done)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if STARTED_LINE in self.log_since_start():
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"bot exited with {self.proc.returncode}:\n{self.log_tail()}")
            await asyncio.sleep(0.05)
        raise AssertionError(f"bot did not start within {timeout}s:\n{self.log_tail()}")

    async def start_and_wait(self, timeout: float = 60.0) -> None:
        self.start()
        await self.wait_started(timeout)

    def log_since_start(self) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as handle:
            handle.seek(self._log_offset)
            return handle.read().decode("utf-8", "replace")

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, timeout: float = 30.0) -> int:
        return self._signal(signal.SIGTERM, timeout)

    def kill(self) -> int:
        return self._signal(signal.SIGKILL, 10.0)

    def _signal(self, sig: int, timeout: float) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.proc = None
        return code


def start_bot(
    server: Any,
    data_dir: Path,
    *,
    env: dict[str, str] | None = None,
    allowed: str = "@*:localhost",
    password: bool = False,
) -> BotProcess:
    """A bot process with an account of its own, not started yet. With `password` it logs in
    with MATRIX_PASSWORD (the token line left empty, exactly as config.example.env has it)."""
    account = server.register(f"lotse{uuid.uuid4().hex[:8]}")
    token = "" if password else account.access_token
    extra = {"MATRIX_PASSWORD": account.password} if password else {}
    env = {**extra, **(env or {})}
    process = BotProcess(
        server.base_url, account.user_id, token, data_dir, allowed=allowed, env=env
    )
    process.account = account
    return process


async def joined_room(user: Any, bot: BotProcess, *, encrypted: bool = False) -> str:
    """A new room of `user` that the bot was invited to and has joined."""
    bot_id = bot.account.user_id
    room = await user.create_room(invite=[bot_id], encrypted=encrypted)
    await user.wait_for_join(room, bot_id, timeout=30)
    return room
