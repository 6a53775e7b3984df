"""`lotse shell`: the same bot on stdin/stdout, one message per line, replies as plain text."""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from typing import TextIO

from bot.messages import MAX_MESSAGE_BYTES
from bot.transport.base import EventDeferred, EventHandler, Incoming, Outgoing

SHELL_ROOM = "!shell:localhost"


class ShellTransport:
    def __init__(
        self,
        sender: str,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.user_id = "@lotse:localhost"
        self.sender = sender
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self._stopped = False
        self._ids = itertools.count(1)
        self._session = f"{time.time_ns():x}"  # event ids unique across shell runs
        # Set by whoever knows the language (cmd_shell); the transport has no catalogue.
        self.deferred_note = "(!)"

    async def run(self, on_event: EventHandler) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopped:
            if self.interactive:
                self.stdout.write("> ")
                self.stdout.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not text.strip():
                continue
            number = next(self._ids)
            incoming = Incoming(
                room_id=SHELL_ROOM,
                sender=self.sender,
                event_id=f"$shell-{self._session}-{number}",
                body=text,
                origin_ts=int(time.time() * 1000),
            )
            try:
                await on_event(incoming)
            except EventDeferred:
                self.stdout.write(self.deferred_note + "\n")

    async def send(self, out: Outgoing) -> str:
        self.stdout.write(out.message.plain + "\n")
        if not self.interactive:
            self.stdout.write("\n")
        self.stdout.flush()
        return f"$shell-out-{self._session}-{next(self._ids)}"

    async def stop(self) -> None:
        self._stopped = True

    async def wait_ready(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def joined_rooms(self) -> list[str]:
        return [SHELL_ROOM]

    def message_limit(self, room_id: str) -> int:
        return MAX_MESSAGE_BYTES  # as in an unencrypted Matrix room
