"""Command -> reply latency of Lotse next to a bare matrix-nio echo bot, on one Synapse.

Both bots run as their own processes against the same loopback Synapse in the same run; pings
to the two alternate, so drift in the machine's load hits both alike. Then a burst of 500
commands from 5 senders to each: lost, duplicated, throughput.

    .venv/bin/python -m benchmarks.latency [--pings 200] [--burst 500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from tests.integration.bot_process import BotProcess
from tests.integration.matrix_user import MatrixTestUser
from tests.integration.synapse_server import SynapseServer


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class Bot:
    """One bot under test: its account, its process and a room with the human in it."""

    def __init__(self, name: str, user_id: str, process: Any) -> None:
        self.name = name
        self.user_id = user_id
        self.process = process
        self.room = ""
        self.latencies: list[float] = []


def start_bare_bot(server: SynapseServer, data: Path) -> Bot:
    account = server.register(f"bare{uuid.uuid4().hex[:6]}")
    env = {
        **os.environ,
        "MATRIX_HOMESERVER": server.base_url,
        "MATRIX_USER_ID": account.user_id,
        "MATRIX_ACCESS_TOKEN": account.access_token,
        "MATRIX_DEVICE_ID": account.device_id,
    }
    log = (data / "bare.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bare_echo_bot"], env=env, stdout=log, stderr=log
    )
    return Bot("bare nio bot", account.user_id, proc)


async def start_lotse(server: SynapseServer, data: Path) -> Bot:
    account = server.register(f"lotse{uuid.uuid4().hex[:6]}")
    process = BotProcess(
        server.base_url,
        account.user_id,
        account.access_token,
        data / "lotse",
        allowed="@*:localhost",
    )
    await process.start_and_wait()
    return Bot("Lotse", account.user_id, process)


async def make_user(server: SynapseServer, data: Path, prefix: str) -> MatrixTestUser:
    account = server.register(f"{prefix}{uuid.uuid4().hex[:6]}")
    server.exempt_from_rate_limits(account.user_id)
    user = MatrixTestUser(server.base_url, account, data / account.localpart, encryption=False)
    await user.start()
    return user


async def ping(user: MatrixTestUser, bot: Bot) -> float:
    start = time.perf_counter()
    event_id = await user.send_text(bot.room, "!ping")
    await user.wait_for_reply(bot.room, event_id, sender=bot.user_id, timeout=30)
    return time.perf_counter() - start


async def burst(users: list[MatrixTestUser], bot: Bot, total: int) -> dict[str, float]:
    per_user = total // len(users)
    start = time.perf_counter()

    async def send_all(user: MatrixTestUser) -> list[str]:
        return [await user.send_text(bot.room, "!ping") for _ in range(per_user)]

    sent = [e for ids in await asyncio.gather(*(send_all(u) for u in users)) for e in ids]
    watcher = users[0]
    deadline = time.monotonic() + 300
    last_reply = time.perf_counter()
    seen = 0
    while time.monotonic() < deadline:
        replies = Counter(
            e.in_reply_to for e in watcher.messages_from(bot.user_id, bot.room) if e.in_reply_to
        )
        answered = sum(1 for e in sent if replies[e] >= 1)
        if answered != seen:
            seen, last_reply = answered, time.perf_counter()
        if answered == len(sent):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(2)  # let duplicates, if any, arrive
    replies = Counter(
        e.in_reply_to for e in watcher.messages_from(bot.user_id, bot.room) if e.in_reply_to
    )
    return {
        "sent": len(sent),
        "lost": sum(1 for e in sent if replies[e] == 0),
        "duplicated": sum(1 for e in sent if replies[e] > 1),
        "throughput": seen / max(1e-9, last_reply - start),
    }


async def run(pings: int, burst_size: int) -> int:
    """Prints the figures; 1 if Lotse lost or duplicated a reply in the burst."""
    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as tmp:
        data = Path(tmp)
        server = SynapseServer(data / "synapse")
        server.start()
        bots: list[Bot] = []
        users: list[MatrixTestUser] = []
        try:
            bare = start_bare_bot(server, data)
            lotse = await start_lotse(server, data)
            bots = [bare, lotse]
            users = [await make_user(server, data, f"sender{i}") for i in range(5)]
            human = users[0]
            for bot in bots:
                bot.room = await human.create_room(
                    invite=[bot.user_id, *(u.user_id for u in users[1:])]
                )
                await human.wait_for_join(bot.room, bot.user_id, timeout=60)
                for other in users[1:]:
                    await other.join(bot.room)
                for _ in range(10):  # warm-up
                    await ping(human, bot)
            for _ in range(pings):
                for bot in bots:
                    bot.latencies.append(await ping(human, bot))
            print(f"command -> reply latency, {pings} pings each, one Synapse on loopback")
            print(f"{'bot':<14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
            for bot in bots:
                ms = [v * 1000 for v in bot.latencies]
                print(
                    f"{bot.name:<14}{percentile(ms, 50):>9.1f}{percentile(ms, 95):>9.1f}"
                    f"{percentile(ms, 99):>9.1f}{statistics.fmean(ms):>9.1f}"
                )
            b, lo = [v * 1000 for v in bare.latencies], [v * 1000 for v in lotse.latencies]
            for q in (50, 95, 99):
                print(f"ratio Lotse/bare p{q}: {percentile(lo, q) / percentile(b, q):.2f}x")
            print("(goal: p50 within 1.15x of the bare bot)")
            print(f"\nburst: {burst_size} commands from {len(users)} senders")
            results = {}
            for bot in bots:
                results[bot.name] = result = await burst(users, bot, burst_size)
                print(
                    f"{bot.name:<14} sent {result['sent']:.0f}  lost {result['lost']:.0f}  "
                    f"duplicated {result['duplicated']:.0f}  "
                    f"throughput {result['throughput']:.1f} replies/s"
                )
            ratio = results[lotse.name]["throughput"] / max(1e-9, results[bare.name]["throughput"])
            print(f"ratio Lotse/bare burst throughput: {ratio:.2f}x")
            wrong = results[lotse.name]["lost"] + results[lotse.name]["duplicated"]
            if wrong:
                print(f"FAIL: Lotse lost or duplicated {wrong:.0f} replies in the burst")
                return 1
        finally:
            for user in users:
                await user.stop()
            for bot in bots:
                bot.process.terminate()
                if isinstance(bot.process, subprocess.Popen):
                    bot.process.wait(10)
            server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pings", type=int, default=200)
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.pings, args.burst))


if __name__ == "__main__":
    sys.exit(main())
